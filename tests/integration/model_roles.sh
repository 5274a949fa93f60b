#!/bin/sh
# A model that can run is saved only when its runs would have the roles they need (issue
# 12): Dana, without Storage Blob Data Contributor on the storage account nor a Synapse role,
# is told "Couldn't save the workflow" with the role, its scope and synwiz doctor CONNECTION
# --fix, exit 3, and nothing is saved; a draft (WebActivity lacks columns Orders needs)
# saves all the same;
# once doctor --fix has granted the roles, the same answers save; model remove asks first
# (--yes without a terminal).
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init model_roles
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
sandbox_load
sandbox_reset
sandbox_control POST config '{"propagationSeconds": 0, "operationMs": 200}' >/dev/null
T=$OUT/captures
mkdir -p "$T"
export SYNWIZ_CLOUD=sandbox
sandbox_login
cat >"$T/conn.json" <<EOT
{ "display_name": "sales_lake", "audience": "admins", "subscription": "Contoso Analytics",
  "workspace": "contoso-synapse", "storage_account": "contosolake",
  "container": "customerinsights", "private_link": false, "agree": true }
EOT
"$BIN" connection new --answers "$T/conn.json" --non-interactive >"$T/conn.out" 2>&1
expect_eq "a connection is saved" 0 $?

cat >"$T/churn.json" <<EOT
{ "connection": "sales_lake", "pipeline": "ScoreCustomerChurn", "name": "Churn",
  "output_table": "ChurnScores", "primary_key": "CustomerId", "customer_id": "CustomerId",
  "inputs": { "Customer": { "table": "Customer" }, "Orders": { "table": "Orders" } } }
EOT
"$BIN" model new --answers "$T/churn.json" --non-interactive >"$T/denied.out" 2>"$T/denied.err"
expect_eq "a model Dana's runs could not run is refused: exit 3" 3 $?
check "... Couldn't save the workflow" grep -q "Couldn't save the workflow" "$T/denied.out"
check "... naming the role" grep -q "Storage Blob Data Contributor" "$T/denied.out"
check "... where" grep -q "storage account contosolake" "$T/denied.out"
check "... and the fix" grep -q "synwiz doctor sales_lake --fix" "$T/denied.out"
expect_eq "... nothing was saved" 0 \
  "$("$BIN" model list --output json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(String(JSON.parse(s).length)))')"

cat >"$T/draft.json" <<EOT
{ "connection": "sales_lake", "pipeline": "ScoreCustomerChurn", "name": "Draft",
  "output_table": "DraftScores", "primary_key": "CustomerId", "customer_id": "CustomerId",
  "inputs": { "Customer": { "table": "Customer" }, "Orders": { "table": "WebActivity" } } }
EOT
"$BIN" model new --answers "$T/draft.json" --non-interactive >"$T/draft.out" 2>"$T/draft.err"
expect_eq "a draft, which does not run, saves without the roles: exit 0" 0 $?

"$BIN" doctor sales_lake --fix >"$T/fix.out" 2>&1
expect_eq "doctor --fix grants what is missing" 0 $?
"$BIN" model new --answers "$T/churn.json" --non-interactive >"$T/saved.out" 2>"$T/saved.err"
expect_eq "then the same answers save: exit 0" 0 $?
check "... Model saved" grep -q "Model saved" "$T/saved.out"

# Removal asks first, as every removal: without a terminal it needs --yes.
"$BIN" model remove Draft </dev/null >"$T/rm.out" 2>"$T/rm.err"
expect_eq "model remove without a terminal and without --yes: exit 2" 2 $?
check "... saying it asks first" grep -q "asks first" "$T/rm.err"
"$BIN" model remove Draft --yes </dev/null >"$T/rm2.out" 2>"$T/rm2.err"
expect_eq "with --yes it removes: exit 0" 0 $?
check "... saying the output table stays" grep -q "its output table DraftScores and its files are kept" "$T/rm2.out"
test_done
