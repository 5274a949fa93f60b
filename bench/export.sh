#!/bin/sh
# Benchmark (not a test): `synwiz export run` of one big table (default 1 GiB of CSV) on the
# sandbox, beside @azure/storage-blob 12.32.0 (bench/sdk-upload.mjs: 8 MiB blocks, 4 in
# parallel) writing the same bytes (the CSV file) to the same Azurite. The export run does
# more than the SDK: it reads and re-writes the CSV (RFC 4180, header in every partition),
# cuts it into partitions of 256 MiB, uploads each with block upload, writes model.json and
# has the metastore create the lake database (its operation time set to 0 here), so the
# ratio is an upper bound of its overhead. The target: synwiz's peak RSS <= 32 MiB.
#
# Method: a sandbox of its own (--ports auto), the automation principal (Storage Blob Data
# Contributor, Synapse Administrator) signed in through the environment, a fresh store; the
# table is added once (not timed); RUNS paired runs (synwiz, then the SDK). Wall, CPU and
# peak RSS from bench/measure.py; medians.
#
#   bench/export.sh [BUILD_DIR] [SIZE_MB] [RUNS]      (defaults: build 1024 1)
set -u
SRC=$(cd "$(dirname "$0")/.." && pwd)
BLD=$(cd "${1:-$SRC/build}" && pwd)
SIZE_MB=${2:-1024}
RUNS=${3:-1}
BIN=$BLD/synwiz
[ -x "$BIN" ] || { echo "no synwiz in $BLD (build it first)"; exit 1; }
[ -d "$SRC/tests/contract/node_modules/@azure/storage-blob" ] || {
  echo "run scripts/install-deps.sh first (tests/contract's npm packages)"; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/synwiz-bench-export.XXXXXX")
export HOME=$WORK/home XDG_STATE_HOME=$WORK/state XDG_CONFIG_HOME=$WORK/config
mkdir -p "$HOME"
trap '"$BIN" sandbox stop --dir "$WORK/sandbox" >/dev/null 2>&1; rm -rf "$WORK"' EXIT
"$BIN" sandbox start --dir "$WORK/sandbox" --ports auto --no-login >/dev/null || exit 1
eval "$("$BIN" sandbox env --dir "$WORK/sandbox")"
export SYNWIZ_CLOUD=sandbox SYNWIZ_STORE=$WORK/store SYNWIZ_LOG_FILE=$WORK/synwiz.log
export AZURE_TENANT_ID=$SYNWIZ_SANDBOX_TENANT AZURE_CLIENT_ID=$SYNWIZ_SANDBOX_CLIENT_ID \
  AZURE_CLIENT_SECRET=$SYNWIZ_SANDBOX_CLIENT_SECRET
BLOB=$(echo "$AZURE_STORAGE_CONNECTION_STRING" | sed -n 's/.*BlobEndpoint=\([^;]*\).*/\1/p')
BLOB=${BLOB%/}
export NODE_EXTRA_CA_CERTS=$SYNWIZ_SANDBOX_CA
curl -sS --cacert "$SYNWIZ_SANDBOX_CA" -X POST -H "x-sandbox-control: $(node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(process.argv[1])).control_token)' "$WORK/sandbox/runtime.json")" \
  -H 'Content-Type: application/json' --data '{"operationMs":0}' "$SYNWIZ_SANDBOX_CONTROL/config" >/dev/null

# A CSV of SIZE_MB MiB: a guid, an int64, a decimal, a dateTime and a string per row.
python3 - "$WORK/Big.csv" "$SIZE_MB" <<'EOF'
import sys, uuid
path, mb = sys.argv[1], int(sys.argv[2])
target = mb * 1024 * 1024
with open(path, "w", newline="") as f:
    f.write("Id,Seq,Amount,At,Note\r\n")
    n = 0
    size = 0
    chunk = []
    while size < target:
        n += 1
        row = f"{uuid.UUID(int=n * 2654435761 % (1 << 128))},{n},{n % 100000}.{n % 100:02d},2026-12-04T{n % 24:02d}:{n % 60:02d}:00Z,\"note {n}, quoted\"\r\n"
        chunk.append(row)
        size += len(row)
        if len(chunk) >= 10000:
            f.write("".join(chunk))
            chunk = []
    f.write("".join(chunk))
EOF
BYTES=$(stat -c %s "$WORK/Big.csv")
"$BIN" table add Big --file "$WORK/Big.csv" >/dev/null || exit 1
cat >"$WORK/conn.json" <<EOF
{ "display_name": "bench_lake", "audience": "admins", "subscription": "Contoso Analytics",
  "workspace": "contoso-synapse", "storage_account": "contosolake",
  "container": "customerinsights", "private_link": false, "agree": true }
EOF
"$BIN" connection new --answers "$WORK/conn.json" --non-interactive >/dev/null 2>&1 || {
  echo "connection new failed"; exit 1; }
printf '{ "connection": "bench_lake", "display_name": "bench", "database_name": "benchdb",
  "tables": ["Big"], "schedule": "off" }' >"$WORK/export.json"
"$BIN" export new --answers "$WORK/export.json" --non-interactive >/dev/null 2>&1 || {
  echo "export new failed"; exit 1; }

echo "table: $((BYTES / 1048576)) MiB of CSV, $RUNS paired runs, Azurite over HTTPS"
run() { # run NAME CMD...: appends "wall_ms cpu_ms peak_rss_kB" to $WORK/NAME.txt
  name=$1
  shift
  MEASURE_ERR=$WORK/err.txt "$SRC/bench/measure.py" "$@" >"$WORK/one.txt" ||
    { echo "$name failed:"; tail -n 20 "$WORK/err.txt"; exit 1; }
  cat "$WORK/one.txt" >>"$WORK/$name.txt"
}
i=1
while [ $i -le "$RUNS" ]; do
  run synwiz "$BIN" export run bench --partition-bytes $((256 * 1024 * 1024))
  run sdk node --import "$SRC/tests/contract/dns-localhost.mjs" "$SRC/bench/sdk-upload.mjs" \
    "$WORK/Big.csv" "$BLOB/customerinsights/bench/sdk.csv"
  i=$((i + 1))
done
"$BIN" export show bench --output json >"$WORK/show.json"
node -e 'const j = JSON.parse(require("fs").readFileSync(process.argv[1])); const r = j.runs[0];
  console.log(`last run: ${r.status}, ${r.rows} rows, ${r.bytes} bytes, ${r.tables[0].partitions} partitions`);' "$WORK/show.json"

median() { sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
col() { cut -d' ' -f"$2" "$WORK/$1.txt"; }
printf '%-40s %10s %8s %10s %12s\n' "writer" "wall ms" "MiB/s" "CPU ms" "peak RSS MiB"
for side in synwiz sdk; do
  case $side in
  synwiz) label="synwiz export run (CSV+upload+db)" ;;
  sdk) label="@azure/storage-blob 12.32.0 (upload)" ;;
  esac
  w=$(col $side 1 | median)
  awk -v n="$label" -v w="$w" -v c="$(col $side 2 | median)" -v kb="$(col $side 3 | median)" \
    -v mb="$((BYTES / 1048576))" 'BEGIN { printf "%-40s %10d %8.1f %10d %12.1f\n", n, w, mb * 1000 / w, c, kb / 1024 }'
done
echo "raw (wall_ms cpu_ms peak_kB per run):"
for side in synwiz sdk; do echo "  $side: $(tr '\n' ';' <"$WORK/$side.txt")"; done
