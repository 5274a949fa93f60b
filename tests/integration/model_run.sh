#!/bin/sh
# The custom-model wizard without screens (issue 12), on the sandbox as synwiz-automation: a model on
# ScoreCustomerChurn from an answers file mapped to the demo tables runs to Successful and
# its output table is in the catalog with one row per customer and a unique primary key;
# CopyRawToLake and ScoreBroken are refused with their reasons; an incomplete mapping saves
# as a draft and its run exits 2 naming the unmapped attributes; a failing activity leaves
# the model Failed with the activity's error and a later refresh succeeds; a duplicated
# primary key in the output is caught and named; a pipeline whose inputs changed in Synapse
# is named by Refresh, which waits for Edit; the output table exports as any other;
# refresh --due runs every model before the exports; kill -9 during a
# run is recorded by the next command and every store file still parses.
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init model_run
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
sandbox_load
sandbox_reset
sandbox_control POST config '{"pipelineStepMs": 200, "operationMs": 200}' >/dev/null
T=$OUT/captures
mkdir -p "$T"
export SYNWIZ_CLOUD=sandbox
export SYNWIZ_STORE=$OUT/store
# synwiz-automation: Synapse Administrator on contoso-synapse and Storage Blob Data
# Contributor on contosolake, what staging inputs and running pipelines need.
# The secret is never kept on disk: every command takes it from the environment.
export AZURE_TENANT_ID=$SYNWIZ_SANDBOX_TENANT AZURE_CLIENT_ID=$SYNWIZ_SANDBOX_CLIENT_ID
export AZURE_CLIENT_SECRET=$SYNWIZ_SANDBOX_CLIENT_SECRET
"$BIN" login --service-principal --tenant "$AZURE_TENANT_ID" --client-id "$AZURE_CLIENT_ID" >"$T/login.out" 2>&1

cat >"$T/conn.json" <<EOF
{ "display_name": "sales_lake", "audience": "admins", "subscription": "Contoso Analytics",
  "workspace": "contoso-synapse", "storage_account": "contosolake",
  "container": "customerinsights", "private_link": false, "agree": true }
EOF
"$BIN" connection new --answers "$T/conn.json" --non-interactive >"$T/conn.out" 2>&1
expect_eq "a connection to contoso-synapse is saved" 0 $?

model() { # model FILE NAME OUTPUT PIPELINE INPUTS_JSON
  cat >"$1" <<EOF
{ "connection": "sales_lake", "pipeline": "$4", "name": "$2", "output_table": "$3",
  "primary_key": "CustomerId", "customer_id": "CustomerId", "inputs": $5 }
EOF
}
FULL='{ "Customer": { "table": "Customer" }, "Orders": { "table": "Orders" } }'

echo "== a model on ScoreCustomerChurn runs to Successful"
model "$T/churn.json" Churn ChurnScores ScoreCustomerChurn "$FULL"
"$BIN" model new --answers "$T/churn.json" --non-interactive --run >"$T/churn.out" 2>"$T/churn.err"
expect_eq "model new --run: exit 0" 0 $?
"$BIN" model show Churn --output json >"$T/churn.json.out"
expect_eq "its status is Successful" Successful "$(jget "$T/churn.json.out" j.status)"
"$BIN" table show ChurnScores --output json >"$T/out.json"
customers=$(($(grep -c . "$SYNWIZ_SANDBOX_DIR/data/Customer.csv") - 1))
expect_eq "the output table is in the catalog, one row per customer" "$customers" "$(jget "$T/out.json" j.rows)"
check "... its attributes are the pipeline's output" grep -q '"ChurnRisk"' "$T/out.json"
check "... the output was checked: the primary key is unique" grep -q 'primary key CustomerId unique' "$T/churn.out"
check "... and the Customer ID match rate said" grep -q 'Customer ID match rate: 100.0%' "$T/churn.out"
"$BIN" model list >"$T/list.txt"
check "model list shows it Successful" grep -Eq '^Churn +Custom model +ChurnScores +Successful' "$T/list.txt"

echo "== the model's output table exports like any other table (the two wizards meet)"
cat >"$T/exp.json" <<EOF
{ "connection": "sales_lake", "display_name": "Churn scores", "database_name": "churndb",
  "tables": ["ChurnScores"], "schedule": "off" }
EOF
"$BIN" export new --answers "$T/exp.json" --non-interactive >"$T/exp.out" 2>"$T/exp.err"
expect_eq "an export of ChurnScores is saved: exit 0" 0 $?
"$BIN" export run "Churn scores" >"$T/exprun.out" 2>"$T/exprun.err"
expect_eq "... and runs: exit 0" 0 $?
"$BIN" export show "Churn scores" --output json >"$T/exp.json.out"
expect_eq "... Successful, one row per customer sent" "Successful $customers" \
  "$(jget "$T/exp.json.out" '(j.runs&&j.runs[0]?j.runs[0].status+" "+j.runs[0].rows:JSON.stringify(j))')"

echo "== pipelines that break the contract are listed with their reasons and refused"
model "$T/copy.json" Copy CopyOut CopyRawToLake "{}"
"$BIN" model new --answers "$T/copy.json" --non-interactive >"$T/copy.out" 2>"$T/copy.err"
expect_eq "CopyRawToLake: exit 2" 2 $?
check "... with its reason" grep -q 'No output_path or output_datastore parameter' "$T/copy.err"
model "$T/broken.json" Broken BrokenOut ScoreBroken "{}"
"$BIN" model new --answers "$T/broken.json" --non-interactive >"$T/broken.out" 2>"$T/broken.err"
expect_eq "ScoreBroken: exit 2" 2 $?
check "... with its reason" grep -q 'No output schema' "$T/broken.err"

echo "== an incomplete mapping: the draft saves, the run names what is missing"
model "$T/draft.json" Draft DraftOut ScoreCustomerChurn \
  '{ "Customer": { "table": "Customer" }, "Orders": { "table": "WebActivity" } }'
"$BIN" model new --answers "$T/draft.json" --non-interactive >"$T/draft.out" 2>"$T/draft.err"
expect_eq "the draft saves: exit 0" 0 $?
check "... said as a draft" grep -q 'Model Draft saved as a draft' "$T/draft.out"
"$BIN" model refresh Draft >"$T/draftrun.out" 2>"$T/draftrun.err"
expect_eq "its run: exit 2" 2 $?
check "... naming the unmapped attributes" grep -q 'Orders: "OrderDate", "TotalAmount"' "$T/draftrun.out"

echo "== a failing activity, then a refresh that succeeds"
"$BIN" sandbox fault --route '^POST contoso-synapse\.dev\.sandbox\.localhost/pipelines/ScoreCustomerChurn/createRun' --fail-operation --count 1 >/dev/null
"$BIN" model refresh Churn >"$T/fail.out" 2>"$T/fail.err"
expect_eq "the failed run: exit 4" 4 $?
"$BIN" model show Churn --output json >"$T/failed.json"
expect_eq "the model shows Failed" Failed "$(jget "$T/failed.json" j.status)"
check "... with the activity and its error" grep -q 'Failed activity: CheckInputs: The activity failed' "$T/failed.json"
expect_eq "... and keeps its last good output table" "$customers" "$("$BIN" table show ChurnScores --output json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(String(JSON.parse(s).rows)))')"
"$BIN" model refresh Churn >"$T/again.out" 2>"$T/again.err"
expect_eq "a later refresh succeeds" 0 $?
expect_eq "... Successful again" Successful "$("$BIN" model show Churn --output json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).status))')"

echo "== a duplicated primary key in the output is caught and named"
# Published as one would in Synapse Studio: ScoreCustomerChurn's definition, run by a notebook
# that writes its first customer twice.
PORT=$(echo "$SYNWIZ_SANDBOX_AUTHORITY" | sed 's/.*://')
"$BIN" rest --url "https://contoso-synapse.dev.sandbox.localhost:$PORT/pipelines/ScoreCustomerChurn?api-version=2020-12-01" >"$T/churn-def.json"
node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); const p={properties:j.properties}; p.properties.activities[1].typeProperties.notebook.referenceName="ScoreChurnDuplicated"; process.stdout.write(JSON.stringify(p))' "$T/churn-def.json" >"$T/dup-def.json"
"$BIN" rest --method PUT --url "https://contoso-synapse.dev.sandbox.localhost:$PORT/pipelines/ScoreDuplicates?api-version=2020-12-01" --body @"$T/dup-def.json" >"$T/dup-put.out" 2>&1
sleep 1
model "$T/dup.json" Dup DupScores ScoreDuplicates "$FULL"
"$BIN" model new --answers "$T/dup.json" --non-interactive --run >"$T/dup.out" 2>"$T/dup.err"
expect_eq "the run with a duplicated key: exit 4" 4 $?
check "... the primary key and the duplicated value named" grep -q 'the primary key "CustomerId" is not unique: "[0-9a-f-]*" appears more than once' "$T/dup.out"
expect_eq "... the model shows Failed" Failed "$("$BIN" model show Dup --output json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).status))')"
check_fails "... and no output table is registered" "$BIN" table show DupScores

echo "== the pipeline changed in Synapse since the model was saved"
# Orders gains an attribute in the pipeline's annotation, as a data scientist would publish it.
node -e 'const p=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); p.properties.annotations[0].synwiz.inputs.Orders.push({name:"Quantity",type:"Int64"}); process.stdout.write(JSON.stringify(p))' "$T/dup-def.json" >"$T/dup-def2.json"
"$BIN" rest --method PUT --url "https://contoso-synapse.dev.sandbox.localhost:$PORT/pipelines/ScoreDuplicates?api-version=2020-12-01" --body @"$T/dup-def2.json" >"$T/dup-put2.out" 2>&1
sleep 1
"$BIN" model refresh Dup >"$T/changed.out" 2>"$T/changed.err"
expect_eq "Refresh waits for the mapping: exit 2" 2 $?
check "... saying what was added" grep -q 'Added: Orders.Quantity. Removed: none.' "$T/changed.out"
check "... and that Edit comes first" grep -q 'Run waits for the mapping' "$T/changed.out"
model "$T/dup2.json" Dup DupScores ScoreDuplicates "$FULL"
"$BIN" model edit Dup --answers "$T/dup2.json" --non-interactive >"$T/edit.out" 2>"$T/edit.err"
expect_eq "model edit saves the mapping against the new inputs: exit 0" 0 $?
"$BIN" model refresh Dup >"$T/changed2.out" 2>&1
check "... and the next refresh no longer says it changed" sh -c '! grep -q "changed in Synapse" "$1"' sh "$T/changed2.out"

echo "== refresh --due: the models first, every one, even after one cannot run"
n_before=$(jget_runs() { "$BIN" model show Churn --output json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(String(JSON.parse(s).runs.length)))'; }; jget_runs)
"$BIN" refresh --due >"$T/due.out" 2>"$T/due.err"
expect_eq "Dup's output breaks the contract again: the worst exit code, 4" 4 $?
check "... the draft says which attributes are not mapped" grep -q 'Orders: "OrderDate", "TotalAmount"' "$T/due.out"
check "... Dup ran after it, and says why it failed" grep -q 'DupScores.csv breaks the contract' "$T/due.out"
expect_eq "... and Churn ran all the same, once more" "$((n_before + 1)) Successful" \
  "$("$BIN" model show Churn --output json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);process.stdout.write(j.runs.length+" "+j.status)})')"
check "... then the exports: none is due" grep -q 'No export is due' "$T/due.out"

echo "== kill -9 during a run"
sandbox_control POST config '{"pipelineStepMs": 3000}' >/dev/null
"$BIN" model refresh Churn >"$T/kill.out" 2>"$T/kill.err" &
pid=$!
for _ in $(seq 100); do
  grep -q '"Processing"' "$OUT"/store/models/*.json 2>/dev/null && break
  sleep 0.1
done
kill -9 $pid
wait $pid 2>/dev/null
sandbox_control POST config '{"pipelineStepMs": 100}' >/dev/null
sleep 7
"$BIN" model show Churn >"$T/after.txt" 2>&1
check "the next command records the run synwiz left" grep -q 'synwiz stopped while following the run' "$T/after.txt"
bad=0
for f in $(find "$OUT/store" -name '*.json'); do node -e 'JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"))' "$f" || bad=$((bad + 1)); done
expect_eq "every store file parses" 0 "$bad"

test_done
