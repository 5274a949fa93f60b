#!/bin/sh
# Editing and the home screen (issue 5): `synwiz connection edit NAME` opens the wizard filled
# from the record; when someone else changes the connection meanwhile, Save reports the
# conflict and overwrites nothing. The home screen lists the connection with its actions:
# Check prerequisites runs the check and shows its report; Remove asks first, then removes.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init tui-conn-edit
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
. "$SRC/tests/tui/lib.sh"
sandbox_load
sandbox_reset
sandbox_login
CAP=$OUT/captures
mkdir -p "$CAP"
export SYNWIZ_CLOUD=sandbox
jn() { node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); process.stdout.write(String('"$2"'))' "$1"; }
cat >"$CAP/answers.json" <<EOF
{ "display_name": "sales_lake", "audience": "admins", "subscription": "Contoso Analytics",
  "workspace": "contoso-synapse", "storage_account": "contosolake",
  "container": "customerinsights", "private_link": false, "agree": true }
EOF
"$BIN" connection new --answers "$CAP/answers.json" --non-interactive >/dev/null 2>&1
expect_eq "a connection to edit" 0 $?

tui_start "$BIN" --cloud sandbox connection edit sales_lake
check "the wizard opens on the record" tui_wait "Display name *            sales_lake"
check "... its title says what it edits" tui_wait \
  "Set up Azure Synapse Analytics connection: editing sales_lake "
tui_keys F10
check "its Azure answers are there" tui_wait "Container *               customerinsights" 100
check "... the workspace" tui_wait "Workspace *               contoso-synapse"
check "... each looked up in Azure again" tui_wait_gone "Looking up" 100
tui_keys F10
check "... and the agreement" tui_wait "[x] I agree"
tui_keys F10
check "the review" tui_wait "Review and save"
# Meanwhile, someone else changes the connection.
printf '{"audience": "admins_and_contributors"}' >"$CAP/other.json"
"$BIN" connection edit sales_lake --answers "$CAP/other.json" --non-interactive >/dev/null 2>&1
expect_eq "another edit saved meanwhile" 0 $?
tui_keys F10
check "Save reports the conflict" tui_wait "The connection was not updated (refused)" 100
check "... and overwrites nothing" tui_wait "Someone else changed it meanwhile: nothing was overwritten"
tui_keys Enter
check "back on the review to decide" tui_wait "Review and save"
tui_keys C-x
tui_wait "Cancel the wizard"
tui_text "y"
expect_eq "cancelled: exit 1" 1 "$(tui_wait_exit)"
"$BIN" connection show sales_lake --output json >"$CAP/show.json"
expect_eq "the other edit stands (revision 2)" "admins_and_contributors 2" \
  "$(jn "$CAP/show.json" 'j.audience+" "+j.revision')"

# A draft saved while editing resumes the edit: Save updates the connection, not a new one
# (which would be refused: its name is taken).
tui_new_server
tui_start "$BIN" --cloud sandbox connection edit sales_lake
check "edit opens again" tui_wait "Display name *            sales_lake"
tui_keys F2
check "a draft of the edit is saved" tui_wait "Resume with: synwiz resume" 50
tui_keys C-x
tui_wait "Cancel the wizard" >/dev/null
tui_text "y"
expect_eq "cancelled with the draft kept: exit 1" 1 "$(tui_wait_exit 50)"
DRAFT=$(basename "$(ls "$OUT"/state/synwiz/drafts/connection-*.json)" .json)
expect_eq "the draft names the connection it edits" "sales_lake" \
  "$(jn "$OUT/state/synwiz/drafts/$DRAFT.json" j.edit)"
"$BIN" resume >"$CAP/drafts.txt" 2>&1
check "resume lists it as an edit of sales_lake" grep -Eq "^$DRAFT +connection .* sales_lake$" \
  "$CAP/drafts.txt"
printf '{"audience": "admins"}' >"$CAP/back.json"
"$BIN" --cloud sandbox resume --answers "$CAP/back.json" --non-interactive "$DRAFT" \
  >"$CAP/resume-edit.out" 2>&1
expect_eq "resumed headless, it saves: exit 0" 0 $?
"$BIN" connection show sales_lake --output json >"$CAP/show3.json"
expect_eq "... as an update of sales_lake (revision 3)" "admins 3" \
  "$(jn "$CAP/show3.json" 'j.audience+" "+j.revision')"
expect_eq "... the draft is gone (it became the real thing)" "" \
  "$(ls "$OUT"/state/synwiz/drafts/ 2>/dev/null)"
expect_eq "... and no second connection" 1 \
  "$("$BIN" connection list --output json | node -e 'let d="";process.stdin.on("data",c=>d+=c).on("end",()=>process.stdout.write(String(JSON.parse(d).length)))')"

# The home screen: the wizards (4 rows), then the connection, one row, its actions in a menu.
tui_new_server
tui_start "$BIN" --cloud sandbox
check "home lists the connection" tui_wait "sales_lake"
check "... under the section's columns" tui_wait "Workspace        Storage account  Container"
tui_snap "$CAP/home.txt"
tui_keys Down Down Down Down Enter
check "... its actions: Check prerequisites" tui_wait "1  Check prerequisites"
check "... Edit" tui_wait "2  Edit"
check "... Remove" tui_wait "3  Remove"
tui_keys Enter
check "Check prerequisites runs the check" tui_wait "Prerequisites of sales_lake (refused)" 100
check "... its findings on screen" tui_wait "[FAIL] Storage Blob Data Contributor on the storage account (you)"
tui_keys Enter
check "back home, told how it went" tui_wait "Check prerequisites sales_lake: not done (see the report)."
tui_text "3"
check "Remove asks first" tui_wait "sales_lake is not removed yet (cancelled)" 100
check "... with the confirmation as follow-up 1" tui_wait "1  Yes, remove sales_lake"
tui_keys 1
check "removed" tui_wait "Removed the connection sales_lake (done)" 100
tui_keys Enter
check "home says there is none" tui_wait "No connections yet"
tui_text "q"
expect_eq "home quits: exit 0" 0 "$(tui_wait_exit)"
expect_eq "the store has no connection" "[]" "$("$BIN" connection list --output json)"
assert_no_secrets "$OUT/state/synwiz/synwiz.log" "$OUT/state/synwiz/drafts" "$OUT/config" "$CAP" \
  "$OUT/last.out"
test_done
