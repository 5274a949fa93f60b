#!/bin/sh
# kill -HUP of a running wizard: the terminal is left sane, a draft is saved, and resume
# reopens it at the same step with the same answers.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init tui-wiz-hangup
. "$SRC/tests/tui/lib.sh"
tui_start sh -c "'$DRIVER' new connection; echo EXIT=\$?; stty -a > '$OUT/stty.txt'; sleep 30"
tui_wait "Display name"
tui_text "hup_test"
tui_keys F10
check "step 2" tui_wait "[2 Azure resources]"
tui_keys Enter
check "the subscriptions are listed" tui_wait "Contoso Research"
tui_keys Enter
check "the list is closed" tui_wait_gone "Filter:"
check "the subscription is chosen" tui_wait "Contoso Analytics"
tui_wait_gone "Loading" 30
pid=$(pgrep -P "$(tui_pid)" | head -n 1)
check "the wizard runs" test -n "$pid"
kill -HUP "$pid"
check "exits 1 after the hangup" tui_wait "EXIT=1"
sleep 0.3
check "the terminal is sane again (icanon, echo)" grep -Eq "(^| )icanon( |$).*" "$OUT/stty.txt"
check "echo is back on" grep -Eq "(^| )echo( |$)" "$OUT/stty.txt"
"$DRIVER" resume >"$OUT/list.txt" 2>&1
check "resume lists the draft" grep -q "^connection-.* connection  *azure" "$OUT/list.txt"
name=$(awk '/^connection-/ {print $1; exit}' "$OUT/list.txt")
check "the draft holds the answers" grep -q '"display_name": "hup_test"' \
  "$XDG_STATE_HOME/synwiz/drafts/$name.json"
check "the draft is 0600" test "$(stat -c %a "$XDG_STATE_HOME/synwiz/drafts/$name.json")" = 600
tui_new_server
tui_start "$DRIVER" resume "$name"
check "resume reopens at the same step" tui_wait "[2 Azure resources]"
check "with the same answers" tui_wait "Contoso Analytics"
tui_keys F8
check "and the first step's answer" tui_wait "hup_test"
tui_keys C-x
tui_wait "Cancel the wizard"
tui_text "y"
expect_eq "cancelled: exit 1" 1 "$(tui_wait_exit)"
test_done
