#!/bin/sh
# The prerequisites check against the seeded tenant (issue 5): `synwiz doctor NAME` finds the
# role assignments missing on purpose (Storage Blob Data Contributor on contosolake for Dana
# and for contoso-synapse's identity, Synapse Credential User for Dana) and exits 3;
# `doctor --fix` creates them (the sandbox's state shows each one with the right role, scope,
# principal and principalType), waits with a countdown while the sandbox delays their effect,
# and then passes (exit 0). A user who may not grant gets the commands for an administrator.
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init conn_doctor
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
sandbox_load
sandbox_reset
T=$OUT/captures
mkdir -p "$T"
export SYNWIZ_CLOUD=sandbox
SUB=$SYNWIZ_SANDBOX_SUBSCRIPTION
DANA=$SYNWIZ_SANDBOX_USER_OBJECT_ID
SA="/subscriptions/$SUB/resourceGroups/rg-analytics/providers/Microsoft.Storage/storageAccounts/contosolake"
jn() { node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); const v=('"$2"'); process.stdout.write(v===undefined||v===null?"":typeof v==="string"?v:JSON.stringify(v))' "$1"; }

sandbox_login
cat >"$T/answers.json" <<EOF
{ "display_name": "sales_lake", "audience": "admins", "subscription": "Contoso Analytics",
  "workspace": "contoso-synapse", "storage_account": "contosolake",
  "container": "customerinsights", "private_link": false, "agree": true }
EOF
"$BIN" connection new --answers "$T/answers.json" --non-interactive >"$T/new.out" 2>"$T/new.err"
expect_eq "connection new saves (exit 0) even though the check finds something missing" 0 $?
check "the report says it was saved" grep -q "Saved the connection 'sales_lake'" "$T/new.out"
check "... and offers to grant what is missing" grep -q "next: Grant what is missing$" "$T/new.out"
"$BIN" connection show sales_lake --output json >"$T/show.json"
MI=$(jn "$T/show.json" j.workspace_principal_id)
check "the record knows the workspace's identity" test -n "$MI"

# --- the check finds what is missing in the seeded tenant ---
"$BIN" doctor sales_lake >"$T/doctor1.out" 2>"$T/doctor1.err"
expect_eq "doctor exits 3: something is missing" 3 $?
check "Storage Blob Data Contributor for Dana: missing" grep -q "\[FAIL\] Storage Blob Data Contributor on the storage account (you)" "$T/doctor1.out"
check "... for the workspace's identity: missing" grep -q "\[FAIL\] Storage Blob Data Contributor on the storage account (the workspace's managed identity)" "$T/doctor1.out"
check "Synapse Credential User: missing, and why" grep -q "\[FAIL\] Synapse Credential User on the workspace (you)" "$T/doctor1.out"
check "Owner counts as Reader on the resource group" grep -q "\[PASS\] Reader on the workspace's resource group (you)" "$T/doctor1.out"
check "Synapse Contributor is there" grep -q "\[PASS\] Synapse Contributor on the workspace (you)" "$T/doctor1.out"
check "hierarchical namespace passes" grep -q "\[PASS\] Hierarchical namespace" "$T/doctor1.out"
check "the scope of a finding is named" grep -q "scope: container customerinsights of storage account contosolake" "$T/doctor1.out"
check "why it matters is said" grep -q "why: Running a pipeline that uses the workspace's managed identity" "$T/doctor1.out"
"$BIN" doctor sales_lake --output json >"$T/doctor1.json" 2>/dev/null
expect_eq "--output json: three failures" 3 "$(jn "$T/doctor1.json" 'j.findings.filter(f=>f.status==="fail").length')"

# --- --fix grants them, waits for the sandbox's propagation delay, then passes ---
"$BIN" sandbox state --dir "$SYNWIZ_SANDBOX_DIR" >"$T/state0.json"
sandbox_control POST config '{"propagationSeconds": 3}' >/dev/null
"$BIN" doctor sales_lake --fix >"$T/fix.out" 2>"$T/fix.err"
expect_eq "doctor --fix exits 0: everything passes after the wait" 0 $?
check "a countdown was shown while waiting" grep -q "Waiting for the new role assignments to take effect.*checking again in [0-9]* s, giving up in 4:5[0-9]" "$T/fix.err"
check "the countdown went down second by second" grep -q "checking again in 1 s" "$T/fix.err"
check "the report says how long it waited" grep -Eq "\[INFO\] Waited 0:0[1-9] for the new role assignments" "$T/fix.out"
check "the three grants are reported" test "$(grep -c '\[PASS\] Granted' "$T/fix.out")" = 3
check "nothing fails any more" test "$(grep -c '\[FAIL\]' "$T/fix.out")" = 0
"$BIN" sandbox state --dir "$SYNWIZ_SANDBOX_DIR" >"$T/state1.json"
# Each new assignment, with its role, scope, principal and principalType.
new_arm() { node -e '
  const s=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));
  process.stdout.write(s.roleAssignments.filter(r=>r.createdBy).map(r=>[r.roleDefinitionGuid,r.scope,r.principalId,r.principalType].join(" ")).sort().join("\n"));' "$1"; }
new_syn() { node -e '
  const a=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")), b=JSON.parse(require("fs").readFileSync(process.argv[2],"utf8"));
  const old=new Set(a.synapseRoleAssignments.map(r=>r.id));
  process.stdout.write(b.synapseRoleAssignments.filter(r=>!old.has(r.id)).map(r=>[r.workspace,r.roleDefinitionId,r.scope,r.principalId,r.principalType].join(" ")).join("\n"));' "$1" "$2"; }
expect_eq "no assignment was made by anyone before" "" "$(new_arm "$T/state0.json")"
expected=$(printf '%s\n' "ba92f5b4-2d11-453d-a403-e96b0029c9fe $SA $MI ServicePrincipal" \
  "ba92f5b4-2d11-453d-a403-e96b0029c9fe $SA $DANA User" | sort)
expect_eq "sandbox state: Storage Blob Data Contributor on contosolake for Dana (User) and the workspace (ServicePrincipal)" "$expected" "$(new_arm "$T/state1.json")"
expect_eq "sandbox state: Synapse Credential User on contoso-synapse for Dana (User)" \
  "contoso-synapse 5eb298b4-692c-4241-9cf0-f58a3b42bb25 workspaces/contoso-synapse $DANA User" \
  "$(new_syn "$T/state0.json" "$T/state1.json")"
"$BIN" doctor sales_lake >"$T/doctor2.out" 2>"$T/doctor2.err"
expect_eq "doctor now passes (exit 0)" 0 $?
check "the check measured its time" grep -Eq "the check took [0-9]+\.[0-9] s" "$T/doctor2.err"
grep -h "the check took" "$T/doctor1.err" "$T/fix.err" "$T/doctor2.err" | sed 's/^/  measured: /'
"$BIN" doctor sales_lake --fix >"$T/fix2.out" 2>&1
expect_eq "--fix with nothing missing grants nothing" "0 0" "$? $(grep -c 'Granted' "$T/fix2.out")"

# --- who may not grant gets the commands an administrator can run ---
sandbox_reset
# synwiz-automation: Reader on the subscription, Synapse Administrator on contoso-synapse.
SP_STATE=$OUT/state-sp
mkdir -p "$SP_STATE"
"$BIN" role add "$SYNWIZ_SANDBOX_CLIENT_OBJECT_ID" admin --name synwiz-automation >/dev/null
env XDG_STATE_HOME="$SP_STATE" AZURE_TENANT_ID="$SYNWIZ_SANDBOX_TENANT" \
  AZURE_CLIENT_ID="$SYNWIZ_SANDBOX_CLIENT_ID" AZURE_CLIENT_SECRET="$SYNWIZ_SANDBOX_CLIENT_SECRET" \
  "$BIN" doctor sales_lake --fix >"$T/sp.out" 2>"$T/sp.err"
expect_eq "a principal that may not grant everything: exit 3" 3 $?
check "it says it may not grant on the storage account" grep -q "\[FAIL\] You may not grant Storage Blob Data Contributor to the workspace's managed identity" "$T/sp.out"
check "it prints the az command" grep -q "az role assignment create --assignee-object-id $MI --assignee-principal-type ServicePrincipal --role \"Storage Blob Data Contributor\" --scope \"$SA\"" "$T/sp.out"
check "and the synwiz rest command" grep -q "synwiz rest --method put --url '$SYNWIZ_SANDBOX_ARM$SA/providers/Microsoft.Authorization/roleAssignments/.*principalType\":\"ServicePrincipal\"" "$T/sp.out"
check "its own Storage Blob Data Contributor was already there (seeded)" grep -q "\[PASS\] Storage Blob Data Contributor on the storage account (you)" "$T/sp.out"
check "as Synapse Administrator it has every Synapse role" grep -q "\[PASS\] Synapse Credential User on the workspace (you)" "$T/sp.out"
"$BIN" sandbox state --dir "$SYNWIZ_SANDBOX_DIR" >"$T/state2.json"
expect_eq "nothing was created by the principal that may not" "" "$(new_arm "$T/state2.json")"

# Logs, the store, drafts and captures (the 0600 token cache is where tokens belong).
assert_no_secrets "$OUT/state/synwiz/synwiz.log" "$OUT/state/synwiz/drafts" \
  "$SP_STATE/synwiz/synwiz.log" "$OUT/config" "$T" "$OUT/last.out"
test_done
