#!/bin/sh
# My predictions on the home screen (issue 12): a saved model is one row (status, output
# table, last edited, last refreshed); Enter offers Edit, Refresh, View runs and
# Remove; Refresh runs it again to Successful; View runs lists its runs, the latest first;
# cancelled while it runs, the report asks whether to cancel the run in Synapse too;
# Remove asks first and says the output table and its files stay.
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init tui-model-home
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
. "$SRC/tests/tui/lib.sh"
sandbox_load
sandbox_reset
sandbox_control POST config '{"pipelineStepMs": 300}' >/dev/null
CAP=$OUT/captures
mkdir -p "$CAP"
export SYNWIZ_CLOUD=sandbox
export SYNWIZ_STORE=$OUT/store
# synwiz-automation holds the roles a run needs; its secret is read from the environment
# by a wrapper when it runs (never on a command line, never in a file).
cat >"$OUT/as_sp" <<EOT
#!/bin/sh
eval "\$('$BIN' sandbox env --dir '$SYNWIZ_SANDBOX_DIR')"
export AZURE_TENANT_ID="\$SYNWIZ_SANDBOX_TENANT" AZURE_CLIENT_ID="\$SYNWIZ_SANDBOX_CLIENT_ID" \
  AZURE_CLIENT_SECRET="\$SYNWIZ_SANDBOX_CLIENT_SECRET" SYNWIZ_SANDBOX_DIR='$SYNWIZ_SANDBOX_DIR' \
  SYNWIZ_CLOUD=sandbox SYNWIZ_STORE='$SYNWIZ_STORE'
exec '$BIN' "\$@"
EOT
chmod 700 "$OUT/as_sp"
"$OUT/as_sp" login --service-principal --tenant "$SYNWIZ_SANDBOX_TENANT" \
  --client-id "$SYNWIZ_SANDBOX_CLIENT_ID" >"$CAP/login.out" 2>&1
cat >"$CAP/conn.json" <<EOT
{ "display_name": "sales_lake", "audience": "admins", "subscription": "Contoso Analytics",
  "workspace": "contoso-synapse", "storage_account": "contosolake",
  "container": "customerinsights", "private_link": false, "agree": true }
EOT
"$OUT/as_sp" connection new --answers "$CAP/conn.json" --non-interactive >"$CAP/conn.out" 2>&1
expect_eq "setup: a connection" 0 $?
cat >"$CAP/churn.json" <<EOT
{ "connection": "sales_lake", "pipeline": "ScoreCustomerChurn", "name": "Churn",
  "output_table": "ChurnScores",
  "inputs": { "Customer": { "table": "Customer" }, "Orders": { "table": "Orders" } } }
EOT
"$OUT/as_sp" model new --answers "$CAP/churn.json" --non-interactive --run >"$CAP/churn.out" 2>&1
expect_eq "setup: a model that ran (its primary key and Customer ID preselected)" 0 $?

tui_start "$OUT/as_sp"
check "My predictions on the home screen" tui_wait "My predictions (custom models)" 100
check "... the model's row: status, output table" tui_wait "Churn  Successful  ChurnScores" 50
tui_snap "$CAP/home.txt"
tui_text "/"
tui_text "Churn"
tui_keys Enter
tui_keys Enter
check "its actions: Edit" tui_wait "1  Edit" 50
check "... Refresh" tui_wait "2  Refresh"
check "... View runs" tui_wait "3  View runs"
check "... Remove" tui_wait "4  Remove"
tui_snap "$CAP/menu.txt"
tui_text "2"
check "Refresh runs it again" tui_wait "Model run successful" 300
tui_snap "$CAP/refreshed.txt"
tui_keys Enter
check "back home" tui_wait "My predictions (custom models)" 50
tui_keys Enter
tui_wait "3  View runs" 50 >/dev/null
tui_text "3"
check "View runs" tui_wait "Runs of Churn" 100
tui_snap "$CAP/runs.txt"
expect_eq "... both runs, Successful" 2 "$(grep -c '\[PASS\] .* Successful' "$CAP/runs.txt")"
tui_keys Enter
tui_wait "My predictions (custom models)" 50 >/dev/null

# Cancelled while it runs: the run is left running in Synapse, and the report asks.
sandbox_control POST config '{"pipelineStepMs": 4000}' >/dev/null
tui_keys Enter
tui_wait "2  Refresh" 50 >/dev/null
tui_text "2"
check "a slow refresh runs" tui_wait "activity" 300
tui_keys F9
check "cancelled: the run is left running in Synapse" tui_wait "Left running" 100
check "... and the report asks whether to cancel it there" tui_wait "1  Cancel the run in Synapse" 50
tui_snap "$CAP/left-running.txt"
tui_text "1"
check "1 asks Synapse to cancel it" tui_wait "Asked Synapse to cancel the run" 100
sandbox_control POST config '{"pipelineStepMs": 300}' >/dev/null
tui_keys Enter
tui_wait "My predictions (custom models)" 50 >/dev/null
for _ in $(seq 50); do
  "$OUT/as_sp" model show Churn --output json >"$CAP/after-cancel.json" 2>/dev/null
  [ "$(jget "$CAP/after-cancel.json" j.status)" = Canceled ] && break
  sleep 0.2
done
expect_eq "... and the model's status says so" Canceled "$(jget "$CAP/after-cancel.json" j.status)"

tui_keys Enter
tui_wait "4  Remove" 50 >/dev/null
tui_text "4"
check "Remove asks first" tui_wait "Remove the model Churn?" 100
check "... saying the output table stays" tui_wait "Its output table ChurnScores and its files stay"
tui_text "1"
check "removed" tui_wait "Removed the model Churn" 100
tui_keys Enter
tui_text "q"
expect_eq "home quits: exit 0" 0 "$(tui_wait_exit)"
expect_eq "the store holds no model" 0 \
  "$("$OUT/as_sp" model list --output json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(String(JSON.parse(s).length)))')"
expect_eq "... and the output table stays in the catalog" 0 "$("$OUT/as_sp" table show ChurnScores >/dev/null 2>&1; echo $?)"
assert_no_secrets "$OUT/state/synwiz/synwiz.log" "$OUT/config" "$CAP"
test_done
