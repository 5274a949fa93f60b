#!/bin/sh
# kill -HUP of a running `synwiz connection new` on the sandbox (issue 4, on the real wizard):
# the terminal is left sane, a draft holds the answers, and `synwiz resume` reopens it at the
# same step with the same answers. NO_COLOR=1: the capture holds no colour escape sequence.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init tui-conn-hangup
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
. "$SRC/tests/tui/lib.sh"
sandbox_load
sandbox_reset
sandbox_login
CAP=$OUT/captures
mkdir -p "$CAP"
ESC=$(printf '\033')
# A colour SGR: 30-38, 40-48, 90-97, 100-107 (39 and 49 only reset to the defaults).
colour_sgr() { grep -Eq "$ESC\[([0-9;]*;)?(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9;]*)?m" "$1"; }

TUI_ENV="-e NO_COLOR=1" tui_start sh -c "'$BIN' --cloud sandbox connection new; echo EXIT=\$?; stty -a > '$OUT/stty.txt'; sleep 30"
tui_wait "Display name"
tui_text "hup_lake"
tui_keys F10
check "step 2" tui_wait "[2 Azure resources]"
tui_keys Enter
check "the subscriptions are listed" tui_wait "Contoso Research"
tui_keys Enter
check "the list is closed" tui_wait_gone "Filter:"
check "the subscription is chosen" tui_wait "Contoso Analytics"
tui_keys Enter
check "the workspaces are listed" tui_wait "contoso-synapse-shir"
tui_keys Enter
check "the workspace is chosen" tui_wait "Resource group           rg-analytics"
tui_snap_ansi "$CAP/mono.ans"
check_fails "NO_COLOR: no colour escape in the capture of the real wizard" colour_sgr "$CAP/mono.ans"
check "NO_COLOR: attributes still mark the focus" grep -q "$ESC\[" "$CAP/mono.ans"
pid=$(pgrep -P "$(tui_pid)" | head -n 1)
check "the wizard runs" test -n "$pid"
kill -HUP "$pid"
check "exits 1 after the hangup" tui_wait "EXIT=1"
for _ in $(seq 30); do [ -s "$OUT/stty.txt" ] && break; sleep 0.1; done
check "the terminal is sane again (icanon)" grep -Eq "(^| )icanon( |$)" "$OUT/stty.txt"
check "echo is back on" grep -Eq "(^| )echo( |$)" "$OUT/stty.txt"
"$BIN" --cloud sandbox resume >"$CAP/list.txt" 2>&1
check "resume lists the draft" grep -q "^connection-.* connection  *azure" "$CAP/list.txt"
name=$(awk '/^connection-/ {print $1; exit}' "$CAP/list.txt")
check "the draft holds the answers" grep -q '"display_name": "hup_lake"' \
  "$XDG_STATE_HOME/synwiz/drafts/$name.json"
check "the draft is 0600" test "$(stat -c %a "$XDG_STATE_HOME/synwiz/drafts/$name.json")" = 600
tui_new_server
tui_start "$BIN" --cloud sandbox resume "$name"
check "resume reopens at the same step" tui_wait "[2 Azure resources]"
check "with the same answers" tui_wait "Workspace *               contoso-synapse"
check "... the subscription too" tui_wait "Subscription *            Contoso Analytics"
tui_keys F8
check "and the first step's answer" tui_wait "hup_lake"
tui_keys C-x
tui_wait "Cancel the wizard"
tui_text "y"
expect_eq "cancelled: exit 1" 1 "$(tui_wait_exit)"
expect_eq "nothing was saved" "[]" "$("$BIN" --cloud sandbox connection list --output json)"
assert_no_secrets "$OUT/state/synwiz/synwiz.log" "$OUT/state/synwiz/drafts" "$OUT/config" "$CAP" \
  "$OUT/last.out"
test_done
