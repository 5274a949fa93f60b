#!/bin/sh
# The export run's building blocks end to end on the sandbox (issue 11), before a wizard
# runs them (tests/driver/exportdrive.c): the demo tables, read from local files, go up as
# CSV partitions under customerinsights/<export>/<Table>/<yyyy>/<MM>/<dd>/<HHmm>/, with a
# model.json that a JSON Schema validator (ajv) finds valid against the CDM model.json
# schema the sandbox uses; the metastore creates the lake database with three tables whose
# row counts equal the source files', from local files and from the demo blobs. Without a
# Storage Blob Data role the first upload is refused with AuthorizationPermissionMismatch;
# a 503 on a partition is retried; a Failed metastore operation ends with Synapse's error.
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init export_blocks
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
DRIVE=$BLD/tests/synwiz-exportdrive
[ -x "$DRIVE" ] || { echo "no $DRIVE"; exit 1; }
sandbox_load
sandbox_reset
T=$OUT/captures
mkdir -p "$T"
export SYNWIZ_CLOUD=sandbox
sandbox_control POST config '{"operationMs":300}' >/dev/null
BLOBPORT=$(jget "$SYNWIZ_SANDBOX_DIR/runtime.json" 'String(j.ports.azurite)')
BLOB="https://contosolake.blob.sandbox.localhost:$BLOBPORT"
# The workspace's dev endpoint as ARM reports it (the sandbox's has a port).
DEV="https://contoso-synapse.dev.sandbox.localhost:${SYNWIZ_SANDBOX_AUTHORITY##*:}"
D=$SYNWIZ_SANDBOX_DIR/data
EXPORT="blocks$(date +%s)"
DB="db$(date +%s)"
# synwiz-automation: Storage Blob Data Contributor on contosolake, Synapse Administrator.
as_sp() { env AZURE_TENANT_ID="$SYNWIZ_SANDBOX_TENANT" AZURE_CLIENT_ID="$SYNWIZ_SANDBOX_CLIENT_ID" \
  AZURE_CLIENT_SECRET="$SYNWIZ_SANDBOX_CLIENT_SECRET" "$@"; }
rows() { echo $(($(tr -cd '\n' <"$D/$1.csv" | wc -c) - 1)); }

SYNWIZ_PARTITION_BYTES=200000 as_sp "$DRIVE" "$BLOB" customerinsights "$EXPORT" "$DEV" "$DB" \
  "$D/Customer.csv=Customer" "$D/Orders.csv=Orders" "$D/WebActivity.csv=WebActivity" >"$T/run.json" 2>"$T/run.err"
expect_eq "the run's tables are uploaded and the database is Created" "0 Created" "$? $(jget "$T/run.json" j.status)"
expect_eq "... rows per table equal the files'" "$(rows Customer) $(rows Orders) $(rows WebActivity)" \
  "$(jget "$T/run.json" 'j.tables.map(t => t.rows).join(" ")')"
check "... tables bigger than a partition went up in several" node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1]));process.exit(j.tables.every(t=>t.partitions>=2)?0:1)' "$T/run.json"
sandbox_control GET state >"$T/state.json"
DBJ="j.workspaces.find(w => w.name === 'contoso-synapse').databases.find(d => d.name === '$DB')"
expect_eq "the metastore registered the three tables" "Customer Orders WebActivity" "$(jget "$T/state.json" "$DBJ.tables.map(t => t.name).join(' ')")"
expect_eq "... with the source files' row counts" "$(rows Customer) $(rows Orders) $(rows WebActivity)" \
  "$(jget "$T/state.json" "$DBJ.tables.map(t => t.rows).join(' ')")"

# The layout and model.json, read back with the account key.
"$BIN" rest --shared-key --url "$BLOB/customerinsights/customerinsights/$EXPORT/model.json" --download "$T/model.json" >/dev/null
check "model.json is at customerinsights/<export>/model.json" test -s "$T/model.json"
check "model.json is valid against the CDM model.json schema (ajv)" node -e '
const path = require("path"), fs = require("fs");
const sb = path.join(process.argv[1], "sandbox");
const Ajv = require(path.join(sb, "node_modules/ajv")), fmt = require(path.join(sb, "node_modules/ajv-formats"));
const ajv = new Ajv({ allErrors: true, strict: false }); fmt(ajv);
const v = ajv.compile(JSON.parse(fs.readFileSync(path.join(sb, "schemas/cdm-model.json"))));
const m = JSON.parse(fs.readFileSync(process.argv[2]));
if (!v(m)) { console.error(JSON.stringify(v.errors)); process.exit(1); }' "$SRC" "$T/model.json"
check "partitions follow <Table>/<yyyy>/<MM>/<dd>/<HHmm>/<Table>_<n>.csv" node -e '
const m = JSON.parse(require("fs").readFileSync(process.argv[1]));
const re = new RegExp(`/customerinsights/${process.argv[2]}/(\\w+)/\\d{4}/\\d{2}/\\d{2}/\\d{4}/(\\w+)_(\\d+)\\.csv$`);
for (const e of m.entities) e.partitions.forEach((p, i) => {
  const x = re.exec(p.location);
  if (!x || x[1] !== e.name || x[2] !== e.name || +x[3] !== i + 1 || !/\.dfs\./.test(p.location)) { console.error(p.location); process.exit(1); }
});' "$T/model.json" "$EXPORT"

# The demo tables where they live (in storage, as the catalog of a new sandbox store has
# them): downloaded part by part and written the same way, into another database.
as_sp "$DRIVE" "$BLOB" customerinsights "${EXPORT}s" "$DEV" "${DB}s" \
  "$BLOB/customerinsights/source/Customer/Customer.csv=Customer" \
  "$BLOB/customerinsights/source/Orders/Orders.csv=Orders" \
  "$BLOB/customerinsights/source/WebActivity/WebActivity.csv=WebActivity" >"$T/storage.json" 2>"$T/storage.err"
expect_eq "tables in storage: the database is Created" "0 Created" "$? $(jget "$T/storage.json" j.status)"
sandbox_control GET state >"$T/state2.json"
DBS="j.workspaces.find(w => w.name === 'contoso-synapse').databases.find(d => d.name === '${DB}s')"
expect_eq "... its tables have the source files' row counts" "$(rows Customer) $(rows Orders) $(rows WebActivity)" \
  "$(jget "$T/state2.json" "$DBS.tables.map(t => t.rows).join(' ')")"

# Faults: a 503 on one partition's upload is retried (the run still ends Created); a Failed
# metastore operation ends it with Synapse's error.
sandbox_control POST faults "{\"route\":\"^PUT contosolake\\\\.blob\\\\.sandbox\\\\.localhost/customerinsights/customerinsights/${EXPORT}f/Orders/.*Orders_1\\\\.csv\",\"status\":503,\"count\":1}" >/dev/null
SYNWIZ_PARTITION_BYTES=200000 as_sp "$DRIVE" "$BLOB" customerinsights "${EXPORT}f" "$DEV" "${DB}f" "$D/Orders.csv=Orders" >"$T/fault.json" 2>"$T/fault.err"
expect_eq "a 503 on a partition's upload is retried: Created" "0 Created" "$? $(jget "$T/fault.json" j.status)"
check "... after the 503 the sandbox saw" grep -q "PUT contosolake.blob.sandbox.localhost/customerinsights/customerinsights/${EXPORT}f/Orders/.*/Orders_1.csv 503" "$SYNWIZ_SANDBOX_DIR/server.log"
sandbox_control DELETE faults >/dev/null
sandbox_control POST faults '{"route":"^PUT contoso-synapse\\.dev\\.sandbox\\.localhost/metastore/create-database-operations/","failOperation":true,"count":1}' >/dev/null
as_sp "$DRIVE" "$BLOB" customerinsights "${EXPORT}m" "$DEV" "${DB}m" "$D/Orders.csv=Orders" >"$T/mfail.json" 2>"$T/mfail.err"
expect_eq "a Failed metastore operation: exit 4, Failed" "4 Failed" "$? $(jget "$T/mfail.json" j.status)"
expect_eq "... with Synapse's error" OperationFailed "$(jget "$T/mfail.json" j.error.code)"
sandbox_control DELETE faults >/dev/null

# Dana has no Storage Blob Data role on contosolake: the upload itself says so.
sandbox_login
"$DRIVE" "$BLOB" customerinsights "${EXPORT}dana" "$DEV" "${DB}d" "$D/Orders.csv=Orders" >"$T/dana.json" 2>"$T/dana.err"
expect_eq "without the blob data role: refused (exit 3)" 3 $?
check "... AuthorizationPermissionMismatch" grep -q "AuthorizationPermissionMismatch" "$T/dana.err"

sandbox_control POST config '{"operationMs":1000}' >/dev/null
assert_no_secrets "$T"
test_done
