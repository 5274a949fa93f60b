#!/bin/sh
# At home in any terminal (issue 15): on a terminal that cannot move the cursor (TERM=dumb),
# the home screen and a wizard say that screens are not possible there and how to do the
# same without them (--answers FILE --non-interactive), exit 2, and draw nothing; the
# command they name works there.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init tui-term-dumb
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
. "$SRC/tests/tui/lib.sh"
sandbox_load
sandbox_reset
sandbox_login
export SYNWIZ_CLOUD=sandbox
CAP=$OUT/captures
mkdir -p "$CAP"
# The pane with its history: when the program exits, tmux's "Pane is dead" line scrolls the
# screen by one, so the first line of a short message may be in the history by then.
seen() { # seen TEXT: TEXT is in the pane or its history
  $T capture-pane -t t -p -S -100 >"$CAP/pane.txt"
  grep -qF -- "$1" "$CAP/pane.txt" || { cat "$CAP/pane.txt"; return 1; }
}

tui_start env TERM=dumb "$BIN" --cloud sandbox
expect_eq "home: exit 2" 2 "$(tui_wait_exit 100)"
check "... saying screens are not possible here" \
  seen "this terminal (TERM=dumb) cannot move the cursor, so synwiz cannot show its screens here"
check "... and what to run instead" seen "synwiz connection new --answers FILE --non-interactive"
$T capture-pane -t t -p -S -100 >"$CAP/home.txt"
expect_eq "... nothing of the home screen was drawn" "" "$(grep -E 'Azure ML linked services|Synapse connections|lqqq|[┌─]' "$CAP/home.txt")"

tui_new_server
tui_start env TERM=dumb "$BIN" --cloud sandbox connection new
expect_eq "connection new: exit 2" 2 "$(tui_wait_exit 100)"
check "... saying screens are not possible here" seen "cannot move the cursor"
check "... naming the same wizard from an answers file" \
  seen "synwiz connection new --answers FILE --non-interactive"
$T capture-pane -t t -p -S -100 >"$CAP/conn.txt"
expect_eq "... no step was drawn" "" "$(grep -E 'Display name|Step 1|[┌─]' "$CAP/conn.txt")"

tui_new_server
tui_start env TERM=dumb "$BIN" --cloud sandbox linked-service new
expect_eq "linked-service new: exit 2" 2 "$(tui_wait_exit 100)"
check "... naming its own command" seen "synwiz linked-service new --answers FILE --non-interactive"

# The command it names works on that terminal.
cat >"$CAP/answers.json" <<JSON
{ "display_name": "sales_lake", "audience": "admins", "subscription": "Contoso Analytics",
  "workspace": "contoso-synapse", "storage_account": "contosolake",
  "container": "customerinsights", "private_link": false, "agree": true }
JSON
tui_new_server
tui_start env TERM=dumb "$BIN" --cloud sandbox connection new --answers "$CAP/answers.json" --non-interactive
expect_eq "the named command saves the connection there (exit 0)" 0 "$(tui_wait_exit 300)"
test_done
