#!/bin/sh
# The export wizard and its runs on the sandbox (issue 11), headless:
# - a contributor (synwiz-automation: Storage Blob Data Contributor, Synapse Administrator)
#   creates an export from an answers file on a connection shared with contributors, on the
#   demo tables, and runs it: the lake database is Created with three tables whose row
#   counts equal the source files'; model.json is valid against the CDM schema (ajv);
# - a 503 on one block is retried, not the whole run; a Failed metastore operation ends the
#   run Failed with Synapse's message; Dana (administrator, no blob data role) is stopped
#   before uploading, with the role and `synwiz doctor CONNECTION --fix` named;
# - an update that removes a table and renames the database: a new database is created, the
#   old one and the removed table's files are still there, and `export show` says so;
# - roles: refused on an administrators-only connection, and as a viewer;
# - kill -9 in the middle of a run: the next run succeeds, the killed one is recorded Failed
#   (interrupted), and every run record parses.
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init export_cli
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
sandbox_load
sandbox_reset
T=$OUT/captures
mkdir -p "$T"
export SYNWIZ_CLOUD=sandbox
export SYNWIZ_STORE=$OUT/store
export TMPDIR=$OUT/tmp # where runs stage their partitions
mkdir -p "$TMPDIR"
SP=$SYNWIZ_SANDBOX_CLIENT_OBJECT_ID
SP_STATE=$OUT/state-sp
mkdir -p "$SP_STATE"
as_sp() { env XDG_STATE_HOME="$SP_STATE" AZURE_TENANT_ID="$SYNWIZ_SANDBOX_TENANT" \
  AZURE_CLIENT_ID="$SYNWIZ_SANDBOX_CLIENT_ID" AZURE_CLIENT_SECRET="$SYNWIZ_SANDBOX_CLIENT_SECRET" \
  "$BIN" "$@"; }
D=$SYNWIZ_SANDBOX_DIR/data
rows() { echo $(($(tr -cd '\n' <"$D/$1.csv" | wc -c) - 1)); }
BLOBPORT=$(jget "$SYNWIZ_SANDBOX_DIR/runtime.json" 'String(j.ports.azurite)')
BLOB="https://contosolake.blob.sandbox.localhost:$BLOBPORT"
# Azurite keeps its blobs across sandbox resets: an export name of this run's own.
S="Sales lake $(date +%s)"
SU=$(echo "$S" | sed 's/ /%20/g')
conn() { # conn FILE NAME AUDIENCE
  cat >"$1" <<EOF
{ "display_name": "$2", "audience": "$3", "subscription": "Contoso Analytics",
  "workspace": "contoso-synapse", "storage_account": "contosolake",
  "container": "customerinsights", "private_link": false, "agree": true }
EOF
}
state_db() { # state_db DB EXPR: EXPR over the database d in the sandbox's state
  sandbox_control GET state >"$T/state.json"
  jget "$T/state.json" "(d => $2)(j.workspaces.find(w => w.name === 'contoso-synapse').databases.find(x => x.name === '$1'))"
}

sandbox_login
conn "$T/shared.json" shared_lake admins_and_contributors
conn "$T/admins.json" admin_lake admins
"$BIN" connection new --answers "$T/shared.json" --non-interactive >/dev/null 2>&1
"$BIN" connection new --answers "$T/admins.json" --non-interactive >/dev/null 2>&1
"$BIN" role add "$SP" contributor --name synwiz-automation >/dev/null 2>&1
expect_eq "setup: two connections and a contributor" "0" "$?"

# --- the contributor creates an export from an answers file, and runs it ---
cat >"$T/sales.json" <<EOF
{ "connection": "shared_lake", "display_name": "$S", "database_name": "salesdb",
  "tables": ["Customer", "Orders", "WebActivity"], "schedule": {"daily": "02:00"} }
EOF
as_sp export new --answers "$T/sales.json" --non-interactive >"$T/new.out" 2>"$T/new.err"
expect_eq "export new from an answers file (contributor, shared connection): exit 0" 0 $?
check "... Save says it does not run the export" grep -q "Save does not run it" "$T/new.out"
as_sp export list --output json >"$T/list0.json"
expect_eq "export list: Not started, daily schedule, the connection used" \
  "$S|Azure Synapse Analytics|Not started|Daily at 02:00 UTC|shared_lake" \
  "$(jget "$T/list0.json" '[j[0].display_name, j[0].type, j[0].run_status, j[0].schedule_text, j[0].connection_used].join("|")')"

as_sp export list >"$T/list0.txt"
check "export list's columns, and Your permissions for a contributor" grep -Eq \
  "^DISPLAY NAME +TYPE +STATUS +REFRESHED +SCHEDULE +CONNECTION USED +YOUR PERMISSIONS" "$T/list0.txt"
check "... Manage, on a connection shared with contributors" grep -Eq "^$S .*shared_lake +Manage" "$T/list0.txt"

sandbox_control POST config '{"operationMs":300}' >/dev/null
# One block of the run is refused once with a 503: the client retries that block.
# (The demo tables' partitions fit in one block, so the block is the whole partition.)
"$BIN" sandbox fault --route '^PUT contosolake\.blob\..*/Orders_2\.csv' --status 503 --count 1 >/dev/null
as_sp export run "$S" --partition-bytes 200000 >"$T/run1.out" 2>"$T/run1.err"
expect_eq "export run: Successful (exit 0), despite a 503 on a block" 0 $?
check "... says Successful" grep -q "^$S: Successful" "$T/run1.out"
check "... plain progress lines on a pipe: bytes, rate, time left, per table" \
  grep -Eq "^Orders \(2/3\): .* of .*; .* of .* overall, .*/s, about .* left" "$T/run1.err"
sandbox_control GET state >"$T/faults.json"
expect_eq "... the 503 was served once (hits/remaining), and the block retried" "1/0" \
  "$(jget "$T/faults.json" '(j.faults || []).filter(f => /Orders_2/.test(f.route)).map(f => f.hits + "/" + f.remaining).join()')"
expect_eq "the lake database is Created with the three tables" "Created|Customer Orders WebActivity" \
  "$(state_db salesdb 'd.status + "|" + d.tables.map(t => t.name).join(" ")')"
expect_eq "... with the source files' row counts" "$(rows Customer) $(rows Orders) $(rows WebActivity)" \
  "$(state_db salesdb 'd.tables.map(t => t.rows).join(" ")')"

"$BIN" rest --shared-key --url "$BLOB/customerinsights/customerinsights/$SU/model.json" --download "$T/model.json" >/dev/null 2>&1
check "model.json is at customerinsights/<export>/model.json" test -s "$T/model.json"
check "model.json is valid against the CDM model.json schema (ajv, the sandbox's)" node -e '
const path = require("path"), fs = require("fs");
const sb = path.join(process.argv[1], "sandbox");
const Ajv = require(path.join(sb, "node_modules/ajv")), fmt = require(path.join(sb, "node_modules/ajv-formats"));
const ajv = new Ajv({ allErrors: true, strict: false }); fmt(ajv);
const v = ajv.compile(JSON.parse(fs.readFileSync(path.join(sb, "schemas/cdm-model.json"))));
const m = JSON.parse(fs.readFileSync(process.argv[2]));
if (!v(m)) { console.error(JSON.stringify(v.errors)); process.exit(1); }
if (m.entities.length !== 3) process.exit(1);' "$SRC" "$T/model.json"

as_sp export show "$S" --output json >"$T/show1.json"
expect_eq "export show: the run recorded (status, tables, rows, database)" \
  "Successful|3|$(($(rows Customer) + $(rows Orders) + $(rows WebActivity)))|salesdb" \
  "$(jget "$T/show1.json" '[j.runs[0].status, j.runs[0].tables.length, j.runs[0].rows, j.runs[0].database].join("|")')"

# --- faults ---
"$BIN" sandbox fault --route '^PUT .*metastore/(create|update)-database-operations/salesdb' --fail-operation --count 1 >/dev/null
as_sp export run "$S" >"$T/fail.out" 2>"$T/fail.err"
expect_eq "a Failed metastore operation: the run fails (exit 4)" 4 $?
check "... recorded Failed" grep -q "^$S: Failed" "$T/fail.out"
check "... with Synapse's message" grep -q "Synapse could not update the lake database salesdb (Failed): .*fail" "$T/fail.err"
"$BIN" sandbox fault --clear >/dev/null

"$BIN" export run "$S" >"$T/dana.out" 2>"$T/dana.err"
expect_eq "Dana, without the blob data role: the run fails (exit 4)" 4 $?
check "... names the role and the fix" grep -q "needs Storage Blob Data Contributor .* nothing was uploaded. Grant it with: synwiz doctor shared_lake --fix" "$T/dana.err"
check "... stopped before uploading (no progress of a table)" sh -c '! grep -q "(1/3)" "$1"' sh "$T/dana.err"

# --- an update: a table removed, the database renamed ---
cat >"$T/sales2.json" <<EOF
{ "connection": "shared_lake", "display_name": "$S", "database_name": "salesdb2",
  "tables": ["Customer", "Orders"], "schedule": "off" }
EOF
as_sp export edit "$S" --answers "$T/sales2.json" --non-interactive >"$T/edit.out" 2>"$T/edit.err"
expect_eq "export edit: exit 0" 0 $?
check "... says the old database stays" grep -q "The database salesdb stays in Synapse" "$T/edit.out"
check "... says the removed table stays in the database" grep -q "WebActivity is no longer exported" "$T/edit.out"
as_sp export run "$S" --partition-bytes 200000 >"$T/run2.out" 2>"$T/run2.err"
expect_eq "the run after the update: exit 0" 0 $?
expect_eq "a new database is created with the two tables" "Created|Customer Orders" \
  "$(state_db salesdb2 'd.status + "|" + d.tables.map(t => t.name).join(" ")')"
expect_eq "the old database is still there, with its three tables" "Customer Orders WebActivity" \
  "$(state_db salesdb 'd.tables.map(t => t.name).join(" ")')"
as_sp rest --url "$BLOB/customerinsights?restype=container&comp=list&prefix=customerinsights/$SU/WebActivity/" >"$T/blobs.xml" 2>&1
check "the removed table's files are still in the container" grep -q "WebActivity_1.csv" "$T/blobs.xml"
as_sp export show "$S" >"$T/show2.out" 2>&1
check "export show lists the database left behind" grep -q "^  lake database salesdb$" "$T/show2.out"
check "... and the table left behind" grep -q "^  table WebActivity in lake database salesdb$" "$T/show2.out"

# --- roles ---
sed "s/shared_lake/admin_lake/; s/$S/Admin export/" "$T/sales.json" >"$T/adm.json"
as_sp export new --answers "$T/adm.json" --non-interactive >"$T/adm.out" 2>&1
expect_eq "a contributor cannot use an administrators-only connection (exit 2)" 2 $?
check "... it is not even listed to them" grep -q 'No Connection for export "admin_lake" in the list' "$T/adm.out"
"$BIN" role add "$SP" viewer --name synwiz-automation >/dev/null 2>&1
sed "s/$S/Viewer export/" "$T/sales.json" >"$T/viewer.json"
as_sp export new --answers "$T/viewer.json" --non-interactive >"$T/viewer.out" 2>"$T/viewer.err"
expect_eq "a viewer cannot create an export (exit 3)" 3 $?
check "... and is told who can" grep -q "administrators and contributors" "$T/viewer.err"
as_sp export run "$S" >/dev/null 2>"$T/viewer-run.err"
expect_eq "... nor run one (exit 3)" 3 $?
"$BIN" role add "$SP" contributor --name synwiz-automation >/dev/null 2>&1

# --- kill -9 in the middle of a run ---
sandbox_control POST config '{"operationMs":3000}' >/dev/null
# Not through as_sp (a function): $! must be synwiz itself.
env XDG_STATE_HOME="$SP_STATE" AZURE_TENANT_ID="$SYNWIZ_SANDBOX_TENANT" AZURE_CLIENT_ID="$SYNWIZ_SANDBOX_CLIENT_ID" \
  AZURE_CLIENT_SECRET="$SYNWIZ_SANDBOX_CLIENT_SECRET" "$BIN" export run "$S" --partition-bytes 20000 >"$T/killed.out" 2>"$T/killed.err" &
pid=$!
i=0
# In the middle of the upload: a partition of the first table is up.
while [ $i -lt 300 ] && ! grep -q "(1/2): [1-9]" "$T/killed.err" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
kill -9 $pid
wait $pid 2>/dev/null
sandbox_control POST config '{"operationMs":300}' >/dev/null
check "the killed run left its staging folder" sh -c 'ls "$1" | grep -q "^synwiz-export-$2-"' sh "$TMPDIR" "$pid"
as_sp export run "$S" >"$T/after.out" 2>"$T/after.err"
expect_eq "after kill -9, the next run succeeds" 0 $?
check "... and removed the killed run's staging folder" sh -c '! ls "$1" | grep -q "^synwiz-export-$2-"' sh "$TMPDIR" "$pid"
as_sp export show "$S" --output json >"$T/show3.json"
expect_eq "... the killed run is recorded Failed (interrupted)" "Successful|Failed|Interrupted" \
  "$(jget "$T/show3.json" '[j.runs[0].status, j.runs[1].status, j.runs[1].error.split(":")[0]].join("|")')"
check "every run record parses" node -e '
const fs = require("fs"), path = require("path");
let n = 0;
const walk = d => fs.readdirSync(d).forEach(f => { const p = path.join(d, f);
  if (fs.statSync(p).isDirectory()) walk(p); else if (f.endsWith(".json")) { JSON.parse(fs.readFileSync(p, "utf8")); n++; } });
walk(process.argv[1]); if (n < 6) { console.error("only " + n); process.exit(1); }' "$SYNWIZ_STORE/export_runs"

# --- a 503 on one block of a partition bigger than a block (8 MiB): that block is retried ---
awk 'BEGIN { print "Id,Name,Amount\r"; for (i = 1; i <= 400000; i++) printf "%d,name %d with some padding text,%d.%02d\r\n", i, i, i % 1000, i % 100 }' >"$T/Big.csv"
as_sp table add Big --file "$T/Big.csv" >/dev/null 2>&1
printf '{ "connection": "shared_lake", "display_name": "%s big", "database_name": "bigdb", "tables": ["Big"], "schedule": "off" }' "$S" >"$T/big.json"
as_sp export new --answers "$T/big.json" --non-interactive >/dev/null 2>&1
"$BIN" sandbox fault --route '^PUT contosolake\.blob\..*/Big_1\.csv\?.*comp=block&' --status 503 --count 1 >/dev/null
as_sp export run "$S big" >"$T/big.out" 2>"$T/big.err"
expect_eq "a partition of $(($(stat -c %s "$T/Big.csv") / 1048576)) MiB with a 503 on one of its blocks: Successful" 0 $?
sandbox_control GET state >"$T/faults2.json"
expect_eq "... the 503 was served once, on a block" "1/0" \
  "$(jget "$T/faults2.json" '(j.faults || []).filter(f => /Big_1/.test(f.route)).map(f => f.hits + "/" + f.remaining).join()')"
expect_eq "... and the database has every row" "400000" "$(state_db bigdb 'String(d.tables[0].rows)')"
"$BIN" sandbox fault --clear >/dev/null

sandbox_control POST config '{"operationMs":1000}' >/dev/null
assert_no_secrets "$T"
test_done
