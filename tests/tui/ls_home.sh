#!/bin/sh
# Saved Azure ML linked services on the home screen: each is one row under the section's
# columns, its actions (Test connection, Edit, Remove) in a menu or on their digit, found by
# its workspace and name, so that two linked services
# of the same name in two workspaces stay apart. Test connection runs on the saved one and
# shows its report; Edit opens the wizard on it (a rename is refused at the name field);
# Remove asks first, then removes the one chosen from Synapse and from the store, and the
# other one of the same name stays.
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init tui-ls-home
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
. "$SRC/tests/tui/lib.sh"
sandbox_load
sandbox_reset
sandbox_login
sandbox_control POST config '{"operationMs": 300}' >/dev/null
CAP=$OUT/captures
mkdir -p "$CAP"
export SYNWIZ_CLOUD=sandbox SYNWIZ_ROLE_WAIT_SECONDS=0
in_sandbox() { # in_sandbox WORKSPACE: "yes" when WORKSPACE holds AzureMLHome
  "$BIN" sandbox state --dir "$SYNWIZ_SANDBOX_DIR" >"$CAP/state.json"
  jget "$CAP/state.json" "j.workspaces.find(w=>w.name==='$1').linkedServices.some(l=>l.name==='AzureMLHome')?'yes':'no'"
}
recorded() { # the workspaces of the store's AzureMLHome records
  "$BIN" linked-service list --workspace "$1" --output json >"$CAP/list.json" 2>&1
  jget "$CAP/list.json" 'j.value.filter(v=>v.name==="AzureMLHome"&&v.recorded).map(v=>v.recorded.workspace_name).join()'
}
# The same name in two workspaces (managed identity; the missing role granted on the way).
for ws in contoso-synapse contoso-synapse-shir; do
  cat >"$CAP/$ws.json" <<EOF
{ "subscription": "Contoso Analytics", "workspace": "$ws", "name": "AzureMLHome",
  "ml_subscription": "Contoso Analytics", "ml_workspace": "contoso-ml",
  "authentication": "managed_identity", "grant_role": true }
EOF
  "$BIN" linked-service new --answers "$CAP/$ws.json" --non-interactive >"$CAP/new-$ws.out" 2>&1
  expect_eq "a linked service AzureMLHome in $ws" "0 yes" "$? $(in_sandbox $ws)"
done

# The home screen (issue 10): the wizards (4 rows), then one row per linked service under the
# section's columns, the actions in a menu (Enter) or on their digit; contoso-synapse's row first.
tui_start "$BIN" --cloud sandbox
check "home lists the linked services" tui_wait "AzureMLHome"
check "... under the section's columns" tui_wait "Name         Workspace             Azure ML workspace  Authentication"
tui_snap "$CAP/home.txt"
expect_eq "... one row each, each with its workspace" "2 yes yes" \
  "$(grep -c '^   AzureMLHome  ' "$CAP/home.txt") $(grep -q '^   AzureMLHome  *contoso-synapse  *contoso-ml  *managed identity' "$CAP/home.txt" && echo yes) $(grep -q '^   AzureMLHome  *contoso-synapse-shir  *contoso-ml  *managed identity' "$CAP/home.txt" && echo yes)"
expect_eq "... no row per action" 0 "$(grep -c 'Test connection' "$CAP/home.txt")"

tui_keys Down Down Down Down Enter
check "Enter opens its actions" tui_wait "1  Test connection"
check "... Edit" tui_wait "2  Edit"
check "... Remove" tui_wait "3  Remove"
tui_snap "$CAP/menu.txt"
tui_keys Enter
check "Test connection runs on the saved one" tui_wait "Test connection passed (done)" 100
check "... its findings on screen" tui_wait "[PASS] The managed identity of workspace contoso-synapse holds Contributor on contoso-ml"
tui_snap "$CAP/tested.txt"
check "... titled as the action on that linked service, no step rail" \
  grep -q "^ Test connection: contoso-synapse/AzureMLHome  *Sandbox (local stand-in for Azure) *$" \
  "$CAP/tested.txt"
expect_eq "... nothing to save offered (it is saved)" no "$(grep -q '1  Save' "$CAP/tested.txt" && echo yes || echo no)"
tui_keys Enter
check "back home, told how it went" tui_wait "Test connection AzureMLHome: done."

# The cursor stayed on that row: its digit 2 is Edit, without moving.
tui_text "2"
check "Edit opens the wizard on it" tui_wait "Synapse workspace *       contoso-synapse " 100
check "... looked up in Azure again" tui_wait_gone "Looking up" 100
tui_keys F10
check "... its name" tui_wait "Name *                    AzureMLHome" 100
tui_text "2"
check "... a rename is refused at the field" tui_wait "Renaming is not supported: this edits AzureMLHome" 50
tui_keys C-x
tui_wait "Cancel the wizard" >/dev/null
tui_text "y"
check "back home, nothing changed" tui_wait "Edit AzureMLHome: closed."

# Remove the one in contoso-synapse-shir (the next row), through the menu.
tui_keys Down Enter
check "its menu" tui_wait "3  Remove"
tui_keys Down Down Enter
check "Remove asks first" tui_wait "AzureMLHome is not removed yet (cancelled)" 100
check "... naming its workspace" tui_wait "contoso-synapse-shir and its record from the synwiz store"
check "... with the confirmation as follow-up 1" tui_wait "1  Yes, remove AzureMLHome"
expect_eq "... nothing removed yet" "yes yes" "$(in_sandbox contoso-synapse) $(in_sandbox contoso-synapse-shir)"
tui_keys 1
check "removed" tui_wait "Removed the linked service AzureMLHome (done)" 100
check "... from Synapse" tui_wait "[PASS] Removed AzureMLHome from the Synapse workspace contoso-synapse-shir"
check "... and from the store" tui_wait "[PASS] Its record was removed from the synwiz store"
tui_keys Enter
check "back home" tui_wait "Remove AzureMLHome: done."
tui_snap "$CAP/home2.txt"
expect_eq "home lists the other one only" "1 no" \
  "$(grep -c '^   AzureMLHome  ' "$CAP/home2.txt") $(grep -q 'contoso-synapse-shir' "$CAP/home2.txt" && echo yes || echo no)"
expect_eq "the one chosen is gone from the sandbox, the other stays" "no yes" \
  "$(in_sandbox contoso-synapse-shir) $(in_sandbox contoso-synapse)"
expect_eq "... and from the store, the other's record stays" "/contoso-synapse" \
  "$(recorded contoso-synapse-shir)/$(recorded contoso-synapse)"

# The cursor is on the row that took the removed one's place: the other; 3 removes it.
tui_text "3"
check "Remove the other: asked" tui_wait "1  Yes, remove AzureMLHome" 100
tui_keys 1
check "... removed" tui_wait "Removed the linked service AzureMLHome (done)" 100
tui_keys Enter
check "home says there is none" tui_wait "No linked services yet."
tui_text "q"
expect_eq "home quits: exit 0" 0 "$(tui_wait_exit)"
expect_eq "gone from the sandbox" "no no" "$(in_sandbox contoso-synapse) $(in_sandbox contoso-synapse-shir)"
expect_eq "... and from the store" "" "$(recorded contoso-synapse)"
mkdir -p "$OUT/state/synwiz/drafts"
assert_no_secrets "$OUT/state/synwiz/synwiz.log" "$OUT/state/synwiz/drafts" "$OUT/config" "$CAP" \
  "$OUT/last.out"
test_done
