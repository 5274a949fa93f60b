#!/bin/sh
# Benchmark (not a test): synwiz's block upload (`synwiz rest --upload`, Shared Key) beside
# two peers putting the same file to the same Azurite (the sandbox's, over HTTPS):
#   - @azure/storage-blob 12.32.0 (the Azure SDK for JavaScript, pinned in tests/contract),
#     same 8 MiB blocks, 4 in parallel, the same account key (bench/sdk-upload.mjs);
#   - the physical ceiling: one plain `curl --parallel --parallel-max 4` process putting the
#     same 8 MiB blocks (split into files beforehand, not timed) with a container SAS made
#     beforehand (no signing while timed), then the block list; "Expect:" suppressed as
#     synwiz does. Nothing a client can do moves these bytes to this server faster.
#
# Method: a sandbox of its own (--ports auto). RUNS paired runs, each putting the file with
# synwiz, the SDK and curl in turn (each side overwriting its own blob). Wall, CPU (user +
# sys, every thread) and peak RSS come from bench/measure.py (getrusage of the child).
# Figures are medians; ratios are medians of the per-run ratios (synwiz / peer), so both
# sides of a ratio ran under the same load (the machine may be shared). Throughput ratio
# (synwiz MiB/s over curl's) is curl's wall over synwiz's: the target is >= 0.9.
#
#   bench/upload.sh [BUILD_DIR] [SIZE_MB] [RUNS]      (defaults: build 256 5)
#   BASELINE=/path/to/older/synwiz bench/upload.sh ...   adds "synwiz before" beside it
set -u
SRC=$(cd "$(dirname "$0")/.." && pwd)
BLD=$(cd "${1:-$SRC/build}" && pwd)
SIZE_MB=${2:-256}
RUNS=${3:-5}
BIN=$BLD/synwiz
BASELINE=${BASELINE:-}
[ -x "$BIN" ] || { echo "no synwiz in $BLD (build it first)"; exit 1; }
[ -x /usr/bin/python3 ] || { echo "/usr/bin/python3 is needed (bench/measure.py)"; exit 1; }
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
mkdir "$WORK/blocks"
split -b 8M -d -a 5 "$WORK/data.bin" "$WORK/blocks/b"
# A container SAS for curl, made by the SDK from the account key (not timed).
SAS=$(node -e '
  const { createRequire } = require("node:module");
  const r = createRequire(process.argv[1] + "/tests/contract/package.json");
  const { BlobServiceClient, ContainerSASPermissions } = r("@azure/storage-blob");
  const c = BlobServiceClient.fromConnectionString(process.env.AZURE_STORAGE_CONNECTION_STRING).getContainerClient("raw");
  c.generateSasUrl({ permissions: ContainerSASPermissions.parse("rcw"), expiresOn: new Date(Date.now() + 36e5) })
    .then((u) => process.stdout.write(new URL(u).search.slice(1)));' "$SRC") || exit 1
# One curl process: every block as "-T FILE URL", 4 at a time on reused connections, then
# the block list. Block ids: base64 of "b" and the 5-digit block number (one length for all).
curl_cfg="$WORK/curl-blocks.cfg"
ids=""
for f in "$WORK"/blocks/b*; do
  id=$(printf 'b%s' "${f##*/b}" | base64) # 6 bytes: 8 characters, no padding to escape
  ids="$ids<Latest>$id</Latest>"
  printf 'upload-file = "%s"\nurl = "%s/raw/bench/curl.bin?comp=block&blockid=%s&%s"\n' \
    "$f" "$BLOB" "$id" "$SAS" >>"$curl_cfg"
done
printf '<?xml version="1.0" encoding="utf-8"?><BlockList>%s</BlockList>' "$ids" >"$WORK/blocklist.xml"
cat >"$WORK/curl-upload.sh" <<EOF
#!/bin/sh
curl -sS --fail --cacert "$SYNWIZ_SANDBOX_CA" -H 'Expect:' -H 'x-ms-version: 2021-08-06' \\
  --parallel --parallel-max 4 -o /dev/null -K "$curl_cfg" &&
curl -sS --fail --cacert "$SYNWIZ_SANDBOX_CA" -H 'Expect:' -H 'x-ms-version: 2021-08-06' \\
  -H 'Content-Type:' -X PUT --data-binary @"$WORK/blocklist.xml" -o /dev/null \\
  "$BLOB/raw/bench/curl.bin?comp=blocklist&$SAS"
EOF
chmod +x "$WORK/curl-upload.sh"

echo "file: $SIZE_MB MiB, $RUNS paired runs, 8 MiB blocks x 4 in parallel, Azurite over HTTPS"

run() { # run NAME CMD...: appends "wall_ms cpu_ms peak_rss_kB" to $WORK/NAME.txt
  name=$1
  shift
  MEASURE_ERR=$WORK/err.txt "$SRC/bench/measure.py" "$@" >"$WORK/one.txt" ||
    { echo "$name failed:"; tail -n 20 "$WORK/err.txt"; exit 1; }
  cat "$WORK/one.txt" >>"$WORK/$name.txt"
}
sides="synwiz sdk curl"
[ -n "$BASELINE" ] && sides="$sides before"
i=1
while [ $i -le "$RUNS" ]; do
  run synwiz "$BIN" rest --shared-key --url "$BLOB/raw/bench/synwiz.bin" --upload "$WORK/data.bin"
  run sdk node --import "$SRC/tests/contract/dns-localhost.mjs" "$SRC/bench/sdk-upload.mjs" \
    "$WORK/data.bin" "$BLOB/raw/bench/sdk.bin"
  run curl "$WORK/curl-upload.sh"
  [ -n "$BASELINE" ] &&
    run before "$BASELINE" rest --shared-key --url "$BLOB/raw/bench/before.bin" --upload "$WORK/data.bin"
  i=$((i + 1))
done
# The three blobs must be the file (a fast wrong upload proves nothing).
want=$(sha256sum <"$WORK/data.bin" | cut -d' ' -f1)
for side in synwiz curl; do
  "$BIN" rest --shared-key --url "$BLOB/raw/bench/$side.bin" --download "$WORK/back.bin" >/dev/null 2>&1
  [ "$(sha256sum <"$WORK/back.bin" | cut -d' ' -f1)" = "$want" ] ||
    echo "WARNING: $side's blob is not the file"
done

median() { sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
col() { cut -d' ' -f"$2" "$WORK/$1.txt"; }
ratio() { # ratio A B FIELD: median over runs of A/B
  col "$1" "$3" >"$WORK/a.col"
  col "$2" "$3" >"$WORK/b.col"
  paste -d' ' "$WORK/a.col" "$WORK/b.col" | awk '{ printf "%.3f\n", ($2 > 0 ? $1 / $2 : 0) }' | median
}
printf '%-34s %10s %8s %10s %12s\n' "uploader" "wall ms" "MiB/s" "CPU ms" "peak RSS MiB"
for side in $sides; do
  case $side in
  synwiz) label="synwiz rest --upload" ;;
  sdk) label="@azure/storage-blob 12.32.0" ;;
  curl) label="curl --parallel (ceiling)" ;;
  before) label="synwiz before" ;;
  esac
  w=$(col $side 1 | median)
  awk -v n="$label" -v w="$w" -v c="$(col $side 2 | median)" -v kb="$(col $side 3 | median)" \
    -v mb="$SIZE_MB" 'BEGIN { printf "%-34s %10d %8.1f %10d %12.1f\n", n, w, mb * 1000 / w, c, kb / 1024 }'
done
echo
printf '%-44s %8s\n' "ratio (median of per-run ratios)" "value"
printf '%-44s %8.2f\n' "synwiz / SDK, wall" "$(ratio synwiz sdk 1)"
printf '%-44s %8.2f\n' "synwiz / SDK, peak RSS" "$(ratio synwiz sdk 3)"
printf '%-44s %8.2f\n' "synwiz throughput / curl's (target >= 0.9)" "$(ratio curl synwiz 1)"
printf '%-44s %8.2f\n' "synwiz / curl, CPU" "$(ratio synwiz curl 2)"
[ -n "$BASELINE" ] && printf '%-44s %8.2f\n' "synwiz / synwiz before, wall" "$(ratio synwiz before 1)"
echo "raw (wall_ms cpu_ms peak_kB per run):"
for side in $sides; do echo "  $side: $(tr '\n' ';' <"$WORK/$side.txt")"; done
