#!/bin/sh
# Actions on a saved export from the home screen (issue 11): the export is one row; Enter offers Edit, Run,
# Create duplicate, Detach connection and Remove; Create duplicate makes "Copy of ..." with a
# database of its own; Remove asks first and says the files and the database stay in Synapse.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init tui-export-home
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
. "$SRC/tests/tui/lib.sh"
sandbox_load
sandbox_reset
sandbox_login
CAP=$OUT/captures
mkdir -p "$CAP"
export SYNWIZ_CLOUD=sandbox
cat >"$CAP/conn.json" <<EOT
{ "display_name": "shared_lake", "audience": "admins_and_contributors", "subscription": "Contoso Analytics",
  "workspace": "contoso-synapse", "storage_account": "contosolake",
  "container": "customerinsights", "private_link": false, "agree": true }
EOT
"$BIN" connection new --answers "$CAP/conn.json" --non-interactive >/dev/null 2>&1
printf '{ "connection": "shared_lake", "display_name": "Sales", "database_name": "salesdb", "tables": ["Orders"], "schedule": "off" }' >"$CAP/export.json"
"$BIN" export new --answers "$CAP/export.json" --non-interactive >/dev/null 2>&1
expect_eq "setup: an export" 0 $?

# Dana grants herself the roles a run needs (she may: she owns the subscription).
sandbox_control POST config '{"propagationSeconds": 0, "operationMs": 300}' >/dev/null
"$BIN" doctor shared_lake --fix >"$CAP/fix.out" 2>&1
expect_eq "setup: the roles a run needs, granted" 0 $?

tui_start "$BIN" --cloud sandbox
check "home lists the export, one row under the section's columns" \
  tui_wait "Sales  Not started  salesdb   shared_lake  Off" 100
tui_snap "$CAP/home.txt"
# A run made elsewhere shows by itself: its status, without a key.
"$BIN" export run Sales >"$CAP/cli-run.out" 2>&1
expect_eq "synwiz export run Sales elsewhere: exit 0" 0 $?
check "... the home screen shows it Successful by itself" tui_wait "Sales  Successful" 60
# The filter finds its row; Enter opens its actions.
tui_text "/"
tui_text "Sales"
tui_keys Enter
tui_keys Enter
check "its actions: Edit" tui_wait "1  Edit"
check "... Run" tui_wait "2  Run"
check "... Create duplicate" tui_wait "3  Create duplicate"
check "... Detach connection" tui_wait "4  Detach connection"
check "... Remove" tui_wait "5  Remove"
tui_snap "$CAP/menu.txt"
tui_text "2"
check "Run runs the export" tui_wait "The export ran" 300
tui_snap "$CAP/run.txt"
check "... its result on screen" grep -q "Sales: Successful" "$CAP/run.txt"
tui_keys Enter
check "back home, the export's status is its run's" tui_wait "Sales  Successful" 50
tui_keys Enter
tui_wait "3  Create duplicate" >/dev/null
tui_text "3"
check "Create duplicate" tui_wait "Created Copy of Sales" 100
tui_snap "$CAP/duplicate.txt"
check "... with a database of its own" grep -q "lake database salesdbc1" "$CAP/duplicate.txt"
tui_keys Enter
check "back home, the copy is listed" tui_wait "Copy of Sales" 50
tui_snap "$CAP/home2.txt"
"$BIN" export list --output json >"$CAP/list.json"
expect_eq "the store holds both" "Copy of Sales,Sales" "$(jget "$CAP/list.json" 'j.map(e => e.display_name).sort().join()')"
# Esc clears the filter; a new one finds the copy alone.
tui_keys Escape
tui_text "/"
tui_text "Copy"
tui_keys Enter
tui_keys Enter
tui_wait "5  Remove" >/dev/null
tui_text "5"
check "Remove asks first" tui_wait "Remove the export Copy of Sales?" 100
check "... saying the files and the database stay" tui_wait "lake database stay in Synapse"
tui_snap "$CAP/remove-ask.txt"
tui_keys 1
check "removed" tui_wait "Export removed" 100
tui_keys Enter
tui_wait "Exports" >/dev/null
tui_text "q"
expect_eq "home quits: exit 0" 0 "$(tui_wait_exit)"
"$BIN" export list --output json >"$CAP/list2.json"
expect_eq "only the original is left" "Sales" "$(jget "$CAP/list2.json" 'j.map(e => e.display_name).join()')"
test_done
