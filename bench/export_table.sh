#!/bin/sh
# Benchmark (not a test): one table of an export run (issue 11) through the building blocks
# (tests/driver/exportdrive.c: read once, partitions of 256 MiB, block upload, model.json,
# the metastore's create), against @azure/storage-blob 12.32.0 uploading the same CSV as one
# blob, on the same Azurite (the sandbox's, over HTTPS, through its blob front). synwiz signs
# in as the sandbox's automation principal (bearer tokens, the data role checked); the SDK
# uses the account key. Prints wall time and peak RSS of each.
#
#   bench/export_table.sh [BUILD_DIR] [SIZE_MB]      (defaults: build 1024)
#
# Starts its own sandbox (--ports auto) in a temporary directory and stops it at the end.
set -u
SRC=$(cd "$(dirname "$0")/.." && pwd)
BLD=$(cd "${1:-$SRC/build}" && pwd)
SIZE_MB=${2:-1024}
BIN=$BLD/synwiz
DRIVE=$BLD/tests/synwiz-exportdrive
[ -x "$BIN" ] && [ -x "$DRIVE" ] || { echo "no synwiz or synwiz-exportdrive in $BLD (build it first)"; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time is needed (apt-get install time)"; exit 1; }
[ -d "$SRC/tests/contract/node_modules/@azure/storage-blob" ] || {
  echo "run scripts/install-deps.sh first (tests/contract's npm packages)"; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/synwiz-bench.XXXXXX")
export HOME=$WORK/home XDG_STATE_HOME=$WORK/state XDG_CONFIG_HOME=$WORK/config SYNWIZ_CLOUD=sandbox
mkdir -p "$HOME"
trap '"$BIN" sandbox stop --dir "$WORK/sandbox" >/dev/null 2>&1; rm -rf "$WORK"' EXIT
"$BIN" sandbox start --dir "$WORK/sandbox" --ports auto --no-login >/dev/null || exit 1
eval "$("$BIN" sandbox env --dir "$WORK/sandbox")"
BLOB=$(echo "$AZURE_STORAGE_CONNECTION_STRING" | sed -n 's/.*BlobEndpoint=\([^;]*\).*/\1/p')
BLOB=${BLOB%/}
DEV="https://contoso-synapse.dev.sandbox.localhost:${SYNWIZ_SANDBOX_AUTHORITY##*:}"
export NODE_EXTRA_CA_CERTS=$SYNWIZ_SANDBOX_CA SYNWIZ_LOG_FILE=$WORK/synwiz.log

# A customer-like table: the demo Orders' columns, rows until SIZE_MB.
node -e '
const fs = require("fs"); const [out, mb] = process.argv.slice(1); const f = fs.openSync(out, "w");
fs.writeSync(f, "OrderId,CustomerId,OrderDate,ProductCategory,Quantity,UnitPrice,TotalAmount,Channel\r\n");
let size = 0, i = 0; const limit = Number(mb) * 1048576;
while (size < limit) {
  let chunk = "";
  for (let k = 0; k < 10000; k++, i++)
    chunk += `${100000 + i},0b9e3c1e-7a1d-4f2a-9d3e-${String(i % 1e12).padStart(12, "0")},2025-06-30T12:34:56Z,"Home, Garden",${1 + (i % 5)},${(i % 24000) / 100},${(i % 120000) / 100},Web\r\n`;
  fs.writeSync(f, chunk); size += Buffer.byteLength(chunk);
}
fs.closeSync(f);' "$WORK/table.csv" "$SIZE_MB"
echo "table: $(($(wc -c <"$WORK/table.csv") / 1048576)) MiB, $(($(wc -l <"$WORK/table.csv") - 1)) rows"

/usr/bin/time -f '%e %M' -o "$WORK/synwiz.txt" env AZURE_TENANT_ID="$SYNWIZ_SANDBOX_TENANT" \
  AZURE_CLIENT_ID="$SYNWIZ_SANDBOX_CLIENT_ID" AZURE_CLIENT_SECRET="$SYNWIZ_SANDBOX_CLIENT_SECRET" \
  "$DRIVE" "$BLOB" customerinsights bench "$DEV" benchdb "$WORK/table.csv=Orders" >"$WORK/run.json" 2>"$WORK/err.txt" ||
  { echo "synwiz-exportdrive failed:"; cat "$WORK/err.txt" "$WORK/run.json"; exit 1; }
/usr/bin/time -f '%e %M' -o "$WORK/sdk.txt" node --import "$SRC/tests/contract/dns-localhost.mjs" \
  "$SRC/bench/sdk-upload.mjs" "$WORK/table.csv" "$BLOB/customerinsights/bench-sdk/table.csv" >/dev/null 2>"$WORK/err.txt" ||
  { echo "sdk failed:"; cat "$WORK/err.txt"; exit 1; }
printf '%-44s %10s %10s %12s\n' "" "seconds" "MiB/s" "peak RSS MiB"
awk -v mb="$SIZE_MB" '{ printf "%-44s %10.2f %10.1f %12.1f\n", "synwiz: read, partition, upload, metastore", $1, mb / $1, $2 / 1024 }' "$WORK/synwiz.txt"
awk -v mb="$SIZE_MB" '{ printf "%-44s %10.2f %10.1f %12.1f\n", "@azure/storage-blob: upload the file as is", $1, mb / $1, $2 / 1024 }' "$WORK/sdk.txt"
node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1]));console.log(`database ${j.status}; ${j.tables.map(t=>`${t.name}: ${t.rows} rows in ${t.partitions} partitions`).join(", ")}`)' "$WORK/run.json"
