#!/bin/sh
# NO_COLOR=1: a capture of the screen holds no colour escape sequence (attributes such as
# reverse or bold remain); without it, colours are there.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init tui-wiz-no-color
. "$SRC/tests/tui/lib.sh"
ESC=$(printf '\033')
# A colour SGR: 30-38, 40-48, 90-97, 100-107 (39 and 49 only reset to the defaults).
colour_sgr() { grep -Eq "$ESC\[([0-9;]*;)?(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9;]*)?m" "$1"; }
TUI_ENV="-e NO_COLOR=1" tui_start "$DRIVER" new connection
tui_wait "Display name"
tui_text "9lives"
# Every key drawn first (the message shows from "9" on): a resize while keys are still
# arriving would drop them, as keys are ignored on the "too small" screen.
tui_wait "Display name *            9lives" >/dev/null
tui_wait "Must start with a letter"
tui_snap_ansi "$OUT/mono.ans"
check_fails "NO_COLOR: no colour escape in the capture" colour_sgr "$OUT/mono.ans"
check "NO_COLOR: attributes still mark the focus" grep -q "$ESC\[" "$OUT/mono.ans"
tui_keys C-x
tui_wait "Cancel the wizard"
tui_text "y"
tui_wait_exit >/dev/null
tui_new_server
tui_start "$DRIVER" new connection
tui_wait "Display name"
tui_snap_ansi "$OUT/colour.ans"
check "without NO_COLOR the capture has colours" colour_sgr "$OUT/colour.ans"
tui_keys C-x
tui_wait "Cancel the wizard"
tui_text "y"
tui_wait_exit >/dev/null
test_done
