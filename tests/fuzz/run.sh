#!/bin/sh
# run.sh TARGET CORPUS SECONDS: fuzz TARGET for SECONDS from a copy of its seed corpus (the
# committed corpus is never written), keeping what it finds in $TMPDIR; a crash, leak or
# undefined behaviour fails the test and leaves the input beside the log.
set -eu
target=$1 corpus=$2 seconds=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/synwiz-fuzz.XXXXXX")
mkdir "$work/corpus"
cp "$corpus"/* "$work/corpus/" 2>/dev/null || true
name=$(basename "$target")
if "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$work/" "$work/corpus" >"$work/log" 2>&1; then
  grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+.*DONE)' "$work/log" || true
  echo "$name: no crash in ${seconds}s"
  rm -rf "$work"
else
  tail -n 60 "$work/log"
  echo "$name: FAILED; input and log kept in $work" >&2
  exit 1
fi
