#!/bin/sh
# The Azure ML linked-service wizard under tmux, as a new user would run it (issue 6): the
# real binary on the sandbox, Dana signed in; managed identity; Test connection finds the
# missing Contributor assignment of contoso-synapse's identity on contoso-ml; the offered
# grant runs, a countdown shows while the role propagates (the sandbox delays it), the test
# passes, the linked service is saved; the sandbox then holds exactly API.md D.3's
# properties, authentication "MSI" included, and the assignment (Contributor,
# ServicePrincipal) at the Azure ML workspace.
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init tui-ls-msi
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
. "$SRC/tests/tui/lib.sh"
sandbox_load
sandbox_reset
C=$OUT/captures
mkdir -p "$C"
jget() { node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); const v=('"$2"'); process.stdout.write(v===undefined||v===null?"":typeof v==="string"?v:JSON.stringify(v))' "$1"; }
MI=6bf3f643-48c8-4f57-aa36-29dc0f1efe3d
CONTRIBUTOR=b24988ac-6180-42a0-ab88-20f7382dd24c
ML_ID="/subscriptions/$SYNWIZ_SANDBOX_SUBSCRIPTION/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/contoso-ml"
mi_roles() { # Contributor assignments of the workspace identity at contoso-ml, as the sandbox has them
  "$BIN" sandbox state --dir "$SYNWIZ_SANDBOX_DIR" >"$C/state.json"
  jget "$C/state.json" "j.roleAssignments.filter(r=>r.principalId==='$MI'&&r.roleDefinitionGuid==='$CONTRIBUTOR'&&r.scope==='$ML_ID').map(r=>r.principalType).join()"
}
# Press F10 until the screen says `$1` (a pending name check refuses Next until it answers).
next_to() {
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    tui_keys F10
    tui_wait "$1" 20 2>/dev/null && return 0
  done
  tui_wait "$1" 1
}

"$BIN" sandbox start --dir "$SYNWIZ_SANDBOX_DIR" >"$C/signin.out" 2>&1
expect_eq "Dana is signed in" yes "$(grep -q 'Signed in to the sandbox as Dana Demo' "$C/signin.out" && echo yes)"
sandbox_control POST config '{"propagationSeconds": 3, "operationMs": 300}' >/dev/null
expect_eq "before: contoso-synapse's identity lacks Contributor on contoso-ml" "" "$(mi_roles)"

TUI_ENV="-e SYNWIZ_SANDBOX_DIR=$SYNWIZ_SANDBOX_DIR -e SYNWIZ_ROLE_WAIT_SECONDS=3" tui_start "$BIN" linked-service new
check "the wizard opens with the limitations banner" tui_wait "Limitations: the Azure Machine Learning integration is not supported" 80
tui_snap "$C/01-start.txt"
tui_keys Tab
tui_text "Contoso An"
check "the subscriptions load" tui_wait "Contoso Analytics  6512"
tui_keys Enter
tui_text "contoso-synapse"
check "the workspaces load" tui_wait "contoso-synapse-shir"
tui_keys Enter
check "contoso-synapse chosen" tui_wait "Synapse workspace *       contoso-synapse "
next_to "Step 2 of 5"
tui_text "AzureMLService1"
tui_keys Tab
tui_text "Contoso An"
check "the Azure ML subscriptions load" tui_wait "Contoso Analytics  6512"
tui_keys Enter
tui_text "contoso-ml"
check "the Azure ML workspaces load" tui_wait "contoso-ml  resource group rg-ml"
tui_keys Enter
check "its resource group follows" tui_wait "Resource group           rg-ml"
tui_snap "$C/02-ml.txt"
next_to "Step 3 of 5"
check "managed identity is the default" tui_wait "(*) Managed identity"
next_to "Step 4 of 5"
check "AutoResolveIntegrationRuntime by default" tui_wait "AutoResolveIntegrationRuntime"
next_to "Step 5 of 5"
check "the review" tui_wait "F6/^T Test connection"
tui_snap "$C/03-review.txt"

tui_keys F6
check "Test connection finds the missing role" tui_wait "Test connection failed (refused)" 100
check "... names it" tui_wait "The managed identity of workspace contoso-synapse does not hold Contributor on contoso-ml"
check "... and offers to grant it" tui_wait "1  Grant Contributor to the managed identity of workspace contoso-synapse and test again"
tui_snap "$C/04-test-failed.txt"
expect_eq "the test changed nothing" "" "$(mi_roles)"

tui_keys 1
check "the grant runs, then a countdown while the role propagates" tui_wait "Waiting for the new role to take effect" 100
check "... with the time left" tui_wait "left" 20
tui_snap "$C/05-countdown.txt"
check "the test passes after the grant" tui_wait "Contributor granted; Test connection passed (done)" 150
check "... the identity holds Contributor" tui_wait "The managed identity of workspace contoso-synapse holds Contributor on contoso-ml"
check "... and Save is offered" tui_wait "1  Save"
tui_snap "$C/06-test-passed.txt"
expect_eq "the sandbox has the assignment, principal type ServicePrincipal" ServicePrincipal "$(mi_roles)"

tui_keys 1
check "saved" tui_wait "Linked service saved (done)" 100
check "... created and read back" tui_wait "Linked service AzureMLService1 created in contoso-synapse and read back"
check "... recorded in the store" tui_wait "Recorded in the synwiz store"
tui_snap "$C/07-saved.txt"
tui_keys Enter
expect_eq "the wizard ends: exit 0" 0 "$(tui_wait_exit 50)"

"$BIN" sandbox state --dir "$SYNWIZ_SANDBOX_DIR" >"$C/state.json"
expect_eq "the sandbox holds exactly API.md D.3's properties, authentication MSI included" \
  "{\"type\":\"AzureMLService\",\"typeProperties\":{\"subscriptionId\":\"$SYNWIZ_SANDBOX_SUBSCRIPTION\",\"resourceGroupName\":\"rg-ml\",\"mlWorkspaceName\":\"contoso-ml\",\"authentication\":\"MSI\"}}" \
  "$(jget "$C/state.json" "JSON.stringify(j.workspaces.find(w=>w.name==='contoso-synapse').linkedServices.find(l=>l.name==='AzureMLService1').properties)")"
"$BIN" linked-service list --workspace contoso-synapse --output json >"$C/list.json" 2>&1
expect_eq "the store has its record (MSI, no secret)" "AzureMLService1 MSI contoso-ml" "$(jget "$C/list.json" '[j.value[0].name,j.value[0].recorded.authentication,j.value[0].recorded.ml_workspace_name].join(" ")')"
mkdir -p "$OUT/state/synwiz/drafts"
assert_no_secrets "$OUT/state/synwiz/synwiz.log" "$OUT/config" "$OUT/state/synwiz/drafts" "$C"
test_done
