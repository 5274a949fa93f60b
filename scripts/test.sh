#!/bin/sh
# README command 2: every test (lint, unit, screen, sandbox integration, terminal), first in
# a normal build with warnings as errors, then again in an ASan + UBSan build.
# Ends with one line: "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
scripts/install-deps.sh || exit 1
passed=0
failed=0
status=0
run_tree() { # run_tree DIR LABEL CTEST_ARGS [cmake options]
  dir=$1 label=$2 ctest_args=$3
  shift 3
  echo "== $label: building $dir"
  if ! scripts/build.sh "$dir" "$@"; then
    echo "== $label: build failed"
    failed=$((failed + 1))
    status=1
    return
  fi
  echo "== $label: testing"
  # shellcheck disable=SC2086
  (cd "$dir" && ctest --output-on-failure --timeout 600 $ctest_args) >"$dir/ctest.log" 2>&1
  rc=$?
  cat "$dir/ctest.log"
  line=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$dir/ctest.log" | tail -n 1)
  total=$(echo "$line" | sed -E 's/.* out of ([0-9]+).*/\1/')
  bad=$(echo "$line" | sed -E 's/.*passed, ([0-9]+) tests failed.*/\1/')
  if [ -z "$line" ]; then
    failed=$((failed + 1))
    status=1
    return
  fi
  passed=$((passed + total - bad))
  failed=$((failed + bad))
  [ $rc = 0 ] || status=1
}
run_tree build "normal build" ""
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
# The label "peer" marks tests of the sandbox against Microsoft's SDK: no C code of ours runs
# in them, so there is nothing for the sanitizers to see.
run_tree build-asan "sanitizer build (ASan + UBSan)" "-LE peer" -DSYNWIZ_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
echo "$passed passed, $failed failed"
exit $status
