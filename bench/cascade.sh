#!/bin/sh
# Benchmark (not a test): the `synwiz connection new --dry-run` cascade (the pickers' lists,
# then the prerequisites check: 16 calls and 2 tokens) against its peer, the Azure SDK for
# JavaScript making the same calls in the same order and groups (bench/sdk-cascade.mjs,
# packages pinned in tests/contract), both signed in as the sandbox's synwiz-automation
# service principal with client credentials, both starting with no token (synwiz's token
# cache is removed before each run).
#
# Method: a sandbox of its own (--ports auto). RUNS paired runs (synwiz, the SDK, synwiz
# with its token cache kept from the previous run as after `synwiz login`, and BASELINE when
# given) first with 50 ms added to every sandbox route (`synwiz sandbox fault --route .
# --delay-ms 50`), then with no added latency. Wall and CPU (user + sys, every thread) come
# from bench/measure.py (getrusage of the child, to the millisecond). Figures are medians;
# each ratio is the median of the per-run ratios, so both sides of a ratio ran under the
# same load (the machine may be shared). Then one more run of each under
# `strace -f -e trace=openat,connect`, not timed: TLS connections (connect() calls to the
# sandbox's port; each is one TLS handshake, full or resumed) and opens of the system CA
# bundle.
#
#   bench/cascade.sh [BUILD_DIR] [RUNS]        (defaults: build 7)
#   BASELINE=/path/to/older/synwiz bench/cascade.sh ...   adds "synwiz before" beside it
set -u
SRC=$(cd "$(dirname "$0")/.." && pwd)
BLD=$(cd "${1:-$SRC/build}" && pwd)
RUNS=${2:-7}
BIN=$BLD/synwiz
BASELINE=${BASELINE:-}
[ -x "$BIN" ] || { echo "no synwiz in $BLD (build it first)"; exit 1; }
[ -x /usr/bin/python3 ] || { echo "/usr/bin/python3 is needed (bench/measure.py)"; exit 1; }
[ -d "$SRC/tests/contract/node_modules/@azure/arm-synapse" ] || {
  echo "run scripts/install-deps.sh first (tests/contract's npm packages)"; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/synwiz-bench.XXXXXX")
export HOME=$WORK/home XDG_STATE_HOME=$WORK/state XDG_CONFIG_HOME=$WORK/config
mkdir -p "$HOME"
trap '"$BIN" sandbox stop --dir "$WORK/sandbox" >/dev/null 2>&1; rm -rf "$WORK"' EXIT
"$BIN" sandbox start --dir "$WORK/sandbox" --ports auto --no-login >/dev/null || exit 1
eval "$("$BIN" sandbox env --dir "$WORK/sandbox")"
export SYNWIZ_CLOUD=sandbox AZURE_TENANT_ID=$SYNWIZ_SANDBOX_TENANT
export AZURE_CLIENT_ID=$SYNWIZ_SANDBOX_CLIENT_ID AZURE_CLIENT_SECRET=$SYNWIZ_SANDBOX_CLIENT_SECRET
export NODE_EXTRA_CA_CERTS=$SYNWIZ_SANDBOX_CA SYNWIZ_LOG_FILE=$WORK/synwiz.log
PORT=$(sed -n 's/.*"sandbox": *\([0-9]*\).*/\1/p' "$WORK/sandbox/runtime.json" | head -n 1)
cat >"$WORK/answers.json" <<EOF
{ "display_name": "bench_lake", "audience": "admins", "subscription": "Contoso Analytics",
  "workspace": "contoso-synapse", "storage_account": "contosolake",
  "container": "customerinsights", "private_link": false, "agree": true }
EOF

# Each side as one command line (GNU time runs programs, not shell functions).
set_synwiz() { # set_synwiz BINARY: its command line in $CMD, its tokens forgotten
  rm -f "$XDG_STATE_HOME/synwiz/tokens.json"
  CMD="$1 connection new --answers $WORK/answers.json --non-interactive --dry-run"
}
SDK_CMD="node --import $SRC/tests/contract/dns-localhost.mjs $SRC/bench/sdk-cascade.mjs"

run() { # run NAME CMD...: appends "wall_ms cpu_ms peak_rss_kB" to $WORK/NAME.txt
  name=$1
  shift
  MEASURE_ERR=$WORK/err.txt "$SRC/bench/measure.py" "$@" >"$WORK/one.txt" ||
    { echo "$name failed:"; tail -n 20 "$WORK/err.txt"; exit 1; }
  cat "$WORK/one.txt" >>"$WORK/$name.txt"
}

sides="synwiz sdk warm"
[ -n "$BASELINE" ] && sides="$sides before"
series() { # series LABEL: RUNS paired runs into $WORK/LABEL-{synwiz,sdk,before}.txt
  i=1
  while [ $i -le "$RUNS" ]; do
    set_synwiz "$BIN"
    run "$1-synwiz" $CMD
    run "$1-sdk" $SDK_CMD
    run "$1-warm" $CMD
    if [ -n "$BASELINE" ]; then
      set_synwiz "$BASELINE"
      run "$1-before" $CMD
    fi
    i=$((i + 1))
  done
}

echo "cascade: $RUNS paired runs each, 2 CPUs shared; medians (ms) and median per-run ratios"
"$BIN" sandbox fault --dir "$WORK/sandbox" --route . --delay-ms 50 >/dev/null || exit 1
series lat50
"$BIN" sandbox fault --dir "$WORK/sandbox" --clear >/dev/null || exit 1
series lat0

median() { sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
col() { cut -d' ' -f"$2" "$WORK/$1.txt"; } # col FILE FIELD
ratio() { # ratio A B FIELD: median over runs of A/B
  col "$1" "$3" >"$WORK/a.col"
  col "$2" "$3" >"$WORK/b.col"
  paste -d' ' "$WORK/a.col" "$WORK/b.col" | awk '{ printf "%.3f\n", ($2 > 0 ? $1 / $2 : 0) }' | median
}
row() { # row LABEL SERIES FIELD PEER [SIDE]
  side=${5:-synwiz}
  printf '%-44s %9s %9s %7.2f\n' "$1" "$(col "$2-$side" "$3" | median)" \
    "$(col "$2-$4" "$3" | median)" "$(ratio "$2-$side" "$2-$4" "$3")"
}
printf '%-44s %9s %9s %7s\n' "what" "synwiz" "SDK" "ratio"
row "dry-run cascade, +50 ms every route, wall" lat50 1 sdk
row "the same, CPU (user+sys)" lat50 2 sdk
row "dry-run cascade, no added latency, wall" lat0 1 sdk
row "the same, CPU (user+sys)" lat0 2 sdk
row "+50 ms, wall, synwiz with its tokens cached" lat50 1 sdk warm
if [ -n "$BASELINE" ]; then
  printf '\n%-44s %9s %9s %7s\n' "what" "synwiz" "before" "ratio"
  row "dry-run cascade, +50 ms every route, wall" lat50 1 before
  row "the same, CPU (user+sys)" lat50 2 before
  row "dry-run cascade, no added latency, wall" lat0 1 before
  row "the same, CPU (user+sys)" lat0 2 before
fi

# Counted apart: strace slows what it traces.
BUNDLE=$(curl-config --configure 2>/dev/null | tr ' ' '\n' | sed -n "s/^'*--with-ca-bundle=\([^']*\)'*$/\1/p")
[ -n "$BUNDLE" ] || BUNDLE=/etc/ssl/certs/ca-certificates.crt
traced() { # traced NAME CMD...: prints "connections bundle_opens"
  name=$1
  shift
  strace -f -qq -e trace=openat,connect -o "$WORK/$name.strace" "$@" >/dev/null 2>&1 ||
    { echo "? ?"; return; }
  printf '%s %s\n' "$(grep -c "connect(.*htons($PORT)" "$WORK/$name.strace")" \
    "$(grep -F "\"$BUNDLE\"" "$WORK/$name.strace" | grep -c 'openat(')"
}
if command -v strace >/dev/null 2>&1; then
  echo
  printf '%-44s %9s %9s\n' "per run (strace, not timed)" "TLS conn" "CA opens"
  set_synwiz "$BIN"
  set -- $(traced synwiz $CMD)
  printf '%-44s %9s %9s\n' "synwiz" "$1" "$2"
  set -- $(traced sdk $SDK_CMD)
  printf '%-44s %9s %9s\n' "Azure SDK for JS (Node's built-in roots)" "$1" "$2"
  if [ -n "$BASELINE" ]; then
    set_synwiz "$BASELINE"
    set -- $(traced before $CMD)
    printf '%-44s %9s %9s\n' "synwiz before" "$1" "$2"
  fi
fi
echo
echo "raw (wall_ms cpu_ms per run):"
for s in lat50 lat0; do
  for side in $sides; do echo "  $s $side: $(tr '\n' ';' <"$WORK/$s-$side.txt")"; done
done
