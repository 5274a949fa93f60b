#!/bin/sh
# The export wizard at 80x24 (issue 11), as a contributor on a connection shared with
# contributors: the connection picker, the database name refused with `_` and the reason,
# the tables with rows and size beside each, the schedule, the review saying Save does not
# run; "Save and run" (F6) saves, then runs it, its progress on screen, and ends
# Successful. Then `export edit` shows what an update means before Save.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init tui-export-wizard
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
COLS=80 ROWS=24
. "$SRC/tests/tui/lib.sh"
sandbox_load
sandbox_reset
sandbox_login
CAP=$OUT/captures
mkdir -p "$CAP"
export SYNWIZ_CLOUD=sandbox
export SYNWIZ_STORE=$OUT/store
cat >"$CAP/conn.json" <<EOT
{ "display_name": "shared_lake", "audience": "admins_and_contributors", "subscription": "Contoso Analytics",
  "workspace": "contoso-synapse", "storage_account": "contosolake",
  "container": "customerinsights", "private_link": false, "agree": true }
EOT
"$BIN" connection new --answers "$CAP/conn.json" --non-interactive >/dev/null 2>&1
"$BIN" role add "$SYNWIZ_SANDBOX_CLIENT_OBJECT_ID" contributor --name synwiz-automation >/dev/null 2>&1
expect_eq "setup: a shared connection and a contributor" 0 $?
# The contributor signs in through the environment; its secret is read when the wrapper
# runs (never on a command line, never in a file).
mkdir -p "$OUT/state-sp"
cat >"$OUT/as_sp" <<EOT
#!/bin/sh
eval "\$('$BIN' sandbox env --dir '$SYNWIZ_SANDBOX_DIR')"
export AZURE_TENANT_ID="\$SYNWIZ_SANDBOX_TENANT" AZURE_CLIENT_ID="\$SYNWIZ_SANDBOX_CLIENT_ID" \
  AZURE_CLIENT_SECRET="\$SYNWIZ_SANDBOX_CLIENT_SECRET" XDG_STATE_HOME='$OUT/state-sp' \
  SYNWIZ_CLOUD=sandbox SYNWIZ_STORE='$SYNWIZ_STORE'
exec '$BIN' "\$@"
EOT
chmod 700 "$OUT/as_sp"

tui_start "$OUT/as_sp" export new
check "step 1: Connection for export" tui_wait "Connection for export" 100
tui_keys Enter
check "the connections the contributor may use" tui_wait "shared_lake" 100
tui_keys Enter
tui_wait_gone "Filter:" >/dev/null
tui_snap "$CAP/1-connection.txt"
tui_keys F10
check "step 2: Display name and database" tui_wait "Display name *"
tui_text "Sales lake"
tui_keys Tab
tui_text "sales_db"
check "the database name with _ is refused, saying why" tui_wait "refuses _ and -" 50
tui_snap "$CAP/2-database-refused.txt"
tui_keys BSpace BSpace BSpace
tui_text "db"
check "... saleslakedb accepted" tui_wait_gone "refuses _ and -"
tui_keys F10
check "step 3: Tables" tui_wait "[3 Tables]"
tui_keys Enter
check "the catalog's tables with rows and size beside each" tui_wait "rows, " 100
tui_snap "$CAP/3-tables.txt"
check "... Orders with its rows" grep -q "Orders .*[0-9][0-9]* rows, [0-9.]* KiB" "$CAP/3-tables.txt"
tui_keys F7
tui_keys Enter
tui_wait_gone "Filter:" >/dev/null
tui_keys F10
check "step 4: Schedule" tui_wait "[4 Schedule]"
tui_snap "$CAP/4-schedule.txt"
tui_keys F10
check "the review" tui_wait "Review and save"
check "... says Save does not run the export" tui_wait "Save keeps the export and does"
tui_snap "$CAP/5-review.txt"
# Each upload slowed a little, so that the run's progress is seen on its way.
"$BIN" sandbox fault --route '^PUT contosolake\.blob\..*\.csv' --delay-ms 250 >/dev/null
tui_keys F6
check "Save and run: the run's progress on screen, per table and overall" \
  tui_wait "WebActivity (3/3)" 200
tui_snap "$CAP/7-progress.txt"
check "... bytes, rate and time left (the line wraps at 80 columns)" \
  sh -c 'tr -s " \n" " " <"$1" | grep -Eq "overall, [0-9.]+ [KM]iB/s, about [0-9]+ s left"' sh "$CAP/7-progress.txt"
check "the export is saved and run" tui_wait "Export saved and run (done)" 300
tui_snap "$CAP/8-run.txt"
check "... its report says so" grep -q "Export saved" "$CAP/8-run.txt"
check "... and Successful" grep -q "Sales lake: Successful" "$CAP/8-run.txt"
"$BIN" sandbox fault --clear >/dev/null
tui_keys Enter
expect_eq "exit 0" 0 "$(tui_wait_exit 100)"

tui_new_server
tui_start "$OUT/as_sp" export edit "Sales lake"
check "edit opens on the saved export" tui_wait "Connection for export" 100
tui_keys F10
tui_wait "Display name *" >/dev/null
tui_keys Tab
tui_keys BSpace BSpace
tui_text "v2"
check "a new database name: the old one stays, said before Save" tui_wait "stays in" 50
tui_snap "$CAP/9-edit-database.txt"
tui_keys C-x
tui_wait "Cancel the wizard" >/dev/null
tui_text "y"
expect_eq "cancelled: exit 1" 1 "$(tui_wait_exit 50)"
assert_no_secrets "$CAP"
test_done
