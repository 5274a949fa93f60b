#!/bin/sh
# The custom-model wizard on screen at 80x24 (issue 12): the answers give the connection,
# the pipeline and the inputs' tables; the screens open at Model name, where the name and
# the output table are typed; Required data shows the pipeline's two inputs with their
# tables and proposed columns; Review and run; F10 saves and runs, the run's progress is on
# screen and ends Successful; My predictions (synwiz model list) shows the model.
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init tui-model-wizard
COLS=80 ROWS=24
. "$SRC/tests/tui/lib.sh"
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
sandbox_load
sandbox_reset
sandbox_control POST config '{"pipelineStepMs": 800}' >/dev/null
C=$OUT/captures
mkdir -p "$C"
export SYNWIZ_CLOUD=sandbox
export SYNWIZ_STORE=$OUT/store
# synwiz-automation holds what a run needs (Synapse Administrator, Storage Blob Data
# Contributor); its secret comes from the environment, never from argv or a file.
export AZURE_TENANT_ID=$SYNWIZ_SANDBOX_TENANT AZURE_CLIENT_ID=$SYNWIZ_SANDBOX_CLIENT_ID
export AZURE_CLIENT_SECRET=$SYNWIZ_SANDBOX_CLIENT_SECRET
"$BIN" login --service-principal --tenant "$AZURE_TENANT_ID" --client-id "$AZURE_CLIENT_ID" >"$C/login.out" 2>&1
cat >"$OUT/conn.json" <<EOF
{ "display_name": "sales_lake", "audience": "admins", "subscription": "Contoso Analytics",
  "workspace": "contoso-synapse", "storage_account": "contosolake",
  "container": "customerinsights", "private_link": false, "agree": true }
EOF
check "a connection is saved" "$BIN" connection new --answers "$OUT/conn.json" --non-interactive
cat >"$OUT/model.json" <<EOF
{ "connection": "sales_lake", "pipeline": "ScoreCustomerChurn",
  "inputs": { "Customer": { "table": "Customer" }, "Orders": { "table": "Orders" } } }
EOF

# A draft (as Save draft leaves one) on the Pipeline step's answers: resumed, every step is
# walked on screen (an answers file would run the rest unattended).
mkdir -p "$OUT/state/synwiz/drafts"
chmod 700 "$OUT/state/synwiz/drafts"
node -e 'const a=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); process.stdout.write(JSON.stringify({synwiz_draft:1,name:"model-tui",form:"model",step:1,focus:0,saved:"2026-12-04T07:00:00Z",answers:a}))' "$OUT/model.json" >"$OUT/state/synwiz/drafts/model-tui.json"
chmod 600 "$OUT/state/synwiz/drafts/model-tui.json"
# The screens run as synwiz-automation too: a wrapper reads its secret when it runs (never on
# a command line, never in a file).
cat >"$OUT/as_sp" <<EOT
#!/bin/sh
eval "\$('$BIN' sandbox env --dir '$SYNWIZ_SANDBOX_DIR')"
export AZURE_TENANT_ID="\$SYNWIZ_SANDBOX_TENANT" AZURE_CLIENT_ID="\$SYNWIZ_SANDBOX_CLIENT_ID" \
  AZURE_CLIENT_SECRET="\$SYNWIZ_SANDBOX_CLIENT_SECRET" SYNWIZ_SANDBOX_DIR='$SYNWIZ_SANDBOX_DIR' \
  SYNWIZ_CLOUD=sandbox SYNWIZ_STORE='$SYNWIZ_STORE'
exec '$BIN' "\$@"
EOT
chmod 700 "$OUT/as_sp"
tui_start "$OUT/as_sp" resume model-tui
check "the draft reopens on the Pipeline step" tui_wait "ScoreCustomerChurn" 300
for _ in 1 2 3 4 5; do
  tui_keys F10
  tui_wait "Step 2 of 4" 20 2>/dev/null && break
done
check "Model name" tui_wait "Output table name" 100
tui_text "Churn"
tui_keys Tab
tui_text "ChurnScores"
check "... the primary key and Customer ID preselected" tui_wait "CustomerId" 50
tui_snap "$C/01-model-name.txt"
for _ in 1 2 3 4 5; do
  tui_keys F10
  tui_wait "Step 3 of 4" 20 2>/dev/null && break
done
check "Required data: the first input" tui_wait "Customer" 50
check "... and the second" tui_wait "Orders" 50
check "... each attribute proposed a column: the first input's" tui_wait "4 of 4 attributes mapped" 100
check "... and the second's" tui_wait "3 of 3 attributes mapped" 100
tui_snap "$C/02-required-data.txt"
for _ in 1 2 3 4 5; do
  tui_keys F10
  tui_wait "Step 4 of 4" 20 2>/dev/null && break
done
check "Review and run" tui_wait "Save and run" 50
tui_snap "$C/03-review.txt"
tui_keys F10
check "the run's progress is on screen" tui_wait "Run " 150
tui_snap "$C/04-progress.txt"
check "the run ends Successful" tui_wait "Model run successful" 300
tui_snap "$C/05-done.txt"
tui_keys Enter
expect_eq "exit 0" 0 "$(tui_wait_exit 50)"

tui_new_server
tui_start sh -c '"$0" model list; sleep 30' "$OUT/as_sp"
check "My predictions lists the model Successful" tui_wait "Successful" 100
tui_snap "$C/06-my-predictions.txt"
test_done
