#!/bin/sh
# `synwiz connection new` under tmux on the sandbox, as a new user would do it (issues 4
# and 5): "9lives" shows the rule's message next to the field while the text stays; a resize
# to 60x20 shows "too small" and back at 100x30 the same field, text and message are there;
# the name is corrected; every picker is filled from the sandbox; Save creates the connection
# and the prerequisites check's results are on screen; "Grant what is missing" grants them,
# counting down while the sandbox delays their effect; `connection show --output json` then
# holds every answer.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init tui-conn-wizard
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
. "$SRC/tests/tui/lib.sh"
sandbox_load
sandbox_reset
sandbox_login
CAP=$OUT/captures
mkdir -p "$CAP"

tui_start "$BIN" --cloud sandbox connection new
check "the first step shows" tui_wait "Display name"
check "on the sandbox, said plainly" tui_wait "Sandbox (local stand-in for Azure)"
tui_text "9lives"
# Every key drawn first (the message shows from "9" on): a resize while keys are still
# arriving would drop them, as keys are ignored on the "too small" screen.
tui_wait "Display name *            9lives" >/dev/null
check "the rule's message shows next to the field" tui_wait "Must start with a letter"
tui_snap "$CAP/before.txt"
check "while 9lives stays in the field" grep -q "Display name \*  *9lives" "$CAP/before.txt"
tui_resize 60 20
check "60x20 says too small" tui_wait "Terminal too small: 60x20"
tui_resize 100 30
check "back at 100x30" tui_wait_gone "Terminal too small"
tui_snap "$CAP/after.txt"
check "the text is still in the field" grep -q "Display name \*  *9lives" "$CAP/after.txt"
check "the message is still there" grep -q "Must start with a letter" "$CAP/after.txt"
check "the cursor is still on the field" grep -q "^. Display name" "$CAP/after.txt"
check "the screen is the same as before" diff -u "$CAP/before.txt" "$CAP/after.txt"

# Corrected on the way, as a new user would.
tui_keys BSpace BSpace BSpace BSpace BSpace BSpace
tui_text "sales_lake"
check "the corrected name is accepted" tui_wait_gone "Must start with a letter"
tui_keys F10
check "step 2" tui_wait "[2 Azure resources]"
tui_keys Enter
check "the subscriptions are listed from ARM" tui_wait "Contoso Research"
check "the disabled one is refused with its reason" tui_wait "Contoso Legacy  (refused: This subscription is Disabled"
tui_snap "$CAP/subscriptions.txt"
tui_keys Enter
tui_wait_gone "Filter:" >/dev/null
check "the subscription is chosen" tui_wait "Subscription *            Contoso Analytics"
tui_keys Enter
check "the workspaces are listed" tui_wait "contoso-synapse-shir"
tui_keys Enter
tui_wait_gone "Filter:" >/dev/null
check "the workspace is chosen, its resource group follows" tui_wait "Resource group           rg-analytics"
tui_keys Enter
check "the storage accounts: the workspace's default first" tui_wait "contosolake  resource group rg-analytics, the workspace's default"
check "... one without hierarchical namespace refused" tui_wait "contosoblob  (refused: Hierarchical namespace is off"
tui_snap "$CAP/storage.txt"
tui_keys Enter
tui_wait_gone "Filter:" >/dev/null
tui_keys Enter
check "the containers of the account" tui_wait "+ Create new container"
tui_text "cust"
check "typing filters the list" tui_wait "Filter: cust"
tui_keys Enter
check "the container is chosen" tui_wait "Container *               customerinsights"
tui_keys F10
check "step 3: data privacy" tui_wait "[3 Data privacy]"
tui_keys F10
check "Next without agreeing stays and says why" tui_wait 'Select "I agree" to continue.'
tui_keys Space
check "I agree" tui_wait "[x] I agree"
tui_keys F10
check "the review lists every answer" tui_wait "Review and save"
tui_snap "$CAP/review.txt"
check "... the name" grep -q "Display name           sales_lake" "$CAP/review.txt"
check "... the container" grep -q "Container              customerinsights" "$CAP/review.txt"
tui_keys F10
check "saved, and the check ran" tui_wait "Connection saved (done)" 100
check "the check's results are on screen: what is missing" tui_wait "[FAIL] Storage Blob Data Contributor on the storage account (you)"
tui_snap "$CAP/saved.txt"
check "... the workspace identity's role too" grep -q "\[FAIL\] Storage Blob Data Contributor on the storage account (the workspace's" "$CAP/saved.txt"
check "... and the save itself" grep -q "\[PASS\] Saved the connection 'sales_lake'" "$CAP/saved.txt"

# Grant what is missing (follow-up 1), the sandbox delaying the new assignments' effect.
sandbox_control POST config '{"propagationSeconds": 3}' >/dev/null
tui_keys 1
check "a countdown shows while the assignments propagate" tui_wait "giving up in 4:5" 100
tui_snap "$CAP/countdown.txt"
check "... and the next check's" grep -Eq "again in [0-9]+ s," "$CAP/countdown.txt"
check "granted and checked again" tui_wait "Prerequisites of sales_lake: granted and checked again (done)" 150
tui_snap "$CAP/granted.txt"
check "the grants are on screen" grep -q "\[PASS\] Granted Storage Blob Data Contributor to you" "$CAP/granted.txt"
check "nothing is missing any more" grep -q "Prerequisites: 9 passed, 0 missing" "$CAP/granted.txt"
tui_keys Enter
expect_eq "closed: exit 0" 0 "$(tui_wait_exit)"

"$BIN" --cloud sandbox connection show sales_lake --output json >"$CAP/show.json"
jn() { node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); process.stdout.write(String('"$2"'))' "$1"; }
expect_eq "connection show holds every answer" \
  "sales_lake|admins|$SYNWIZ_SANDBOX_SUBSCRIPTION|contoso-synapse|rg-analytics|contosolake|customerinsights|false|true" \
  "$(jn "$CAP/show.json" '[j.display_name,j.audience,j.subscription_id,j.workspace_name,j.workspace_resource_group,j.storage_account,j.container,j.private_link,!!j.agreed_at].join("|")')"
assert_no_secrets "$OUT/state/synwiz/synwiz.log" "$OUT/state/synwiz/drafts" "$OUT/config" "$CAP" \
  "$OUT/last.out"
test_done
