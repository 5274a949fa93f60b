#!/bin/sh
# Benchmark (not a test): synwiz's block upload against @azure/storage-blob 12.32.0 (the
# Azure SDK for JavaScript, pinned in tests/contract), same file, same Azurite (the
# sandbox's, over HTTPS), same 8 MiB blocks and 4 in parallel, both with the account key.
# Prints the median wall time and median peak RSS of RUNS runs of each.
#
#   bench/upload.sh [BUILD_DIR] [SIZE_MB] [RUNS]      (defaults: build 256 5)
#
# Starts its own sandbox (--ports auto) in a temporary directory and stops it at the end.
set -u
SRC=$(cd "$(dirname "$0")/.." && pwd)
BLD=$(cd "${1:-$SRC/build}" && pwd)
SIZE_MB=${2:-256}
RUNS=${3:-5}
BIN=$BLD/synwiz
[ -x "$BIN" ] || { echo "no synwiz in $BLD (build it first)"; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time is needed (apt-get install time)"; exit 1; }
[ -d "$SRC/tests/contract/node_modules/@azure/storage-blob" ] || {
  echo "run scripts/install-deps.sh first (tests/contract's npm packages)"; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/synwiz-bench.XXXXXX")
export HOME=$WORK/home XDG_STATE_HOME=$WORK/state XDG_CONFIG_HOME=$WORK/config
mkdir -p "$HOME"
trap '"$BIN" sandbox stop --dir "$WORK/sandbox" >/dev/null 2>&1; rm -rf "$WORK"' EXIT
"$BIN" sandbox start --dir "$WORK/sandbox" --ports auto --no-login >/dev/null || exit 1
eval "$("$BIN" sandbox env --dir "$WORK/sandbox")"
BLOB=$(echo "$AZURE_STORAGE_CONNECTION_STRING" | sed -n 's/.*BlobEndpoint=\([^;]*\).*/\1/p')
BLOB=${BLOB%/}
export NODE_EXTRA_CA_CERTS=$SYNWIZ_SANDBOX_CA SYNWIZ_LOG_FILE=$WORK/synwiz.log

head -c $((SIZE_MB * 1024 * 1024)) /dev/urandom >"$WORK/data.bin"
echo "file: $SIZE_MB MiB, $RUNS runs each, 8 MiB blocks x 4 in parallel, Azurite over HTTPS"

run() { # run NAME CMD...: appends "seconds kB" to $WORK/NAME.txt
  name=$1
  shift
  /usr/bin/time -f '%e %M' -o "$WORK/one.txt" "$@" >/dev/null 2>"$WORK/err.txt" ||
    { echo "$name failed:"; cat "$WORK/err.txt"; exit 1; }
  cat "$WORK/one.txt" >>"$WORK/$name.txt"
}

i=1
while [ $i -le "$RUNS" ]; do
  run synwiz "$BIN" rest --shared-key --url "$BLOB/raw/bench/synwiz-$i.bin" --upload "$WORK/data.bin"
  run sdk node --import "$SRC/tests/contract/dns-localhost.mjs" "$SRC/bench/sdk-upload.mjs" \
    "$WORK/data.bin" "$BLOB/raw/bench/sdk-$i.bin"
  i=$((i + 1))
done

median() { sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
printf '%-28s %12s %14s %14s\n' "uploader" "median s" "MiB/s" "median RSS MiB"
for name in synwiz sdk; do
  s=$(cut -d' ' -f1 "$WORK/$name.txt" | median)
  kb=$(cut -d' ' -f2 "$WORK/$name.txt" | median)
  label=$([ $name = synwiz ] && echo "synwiz rest --upload" || echo "@azure/storage-blob 12.32.0")
  awk -v n="$label" -v s="$s" -v kb="$kb" -v mb="$SIZE_MB" \
    'BEGIN { printf "%-28s %12.2f %14.1f %14.1f\n", n, s, mb / s, kb / 1024 }'
done
echo "raw (seconds, peak kB):"
for name in synwiz sdk; do echo "  $name: $(tr '\n' ';' <"$WORK/$name.txt")"; done
