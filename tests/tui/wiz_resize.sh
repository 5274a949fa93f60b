#!/bin/sh
# Resize at any moment keeps every answer and the cursor: "9lives" with its message, then
# 60x20 shows "too small", then at 100x30 the same field, text and message are back.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init tui-wiz-resize
. "$SRC/tests/tui/lib.sh"
TUI_ENV="-e FAKE_DELAY_MS=100" tui_start "$DRIVER" new connection
check "the first step shows" tui_wait "Display name"
tui_text "9lives"
# Every key drawn first (the message shows from "9" on): a resize while keys are still
# arriving would drop them, as keys are ignored on the "too small" screen.
tui_wait "Display name *            9lives" >/dev/null
check "the rule's message shows next to the field" tui_wait "Must start with a letter"
tui_snap "$OUT/before.txt"
tui_resize 60 20
check "60x20 says too small" tui_wait "Terminal too small: 60x20"
tui_resize 100 30
check "back at 100x30" tui_wait_gone "Terminal too small"
tui_snap "$OUT/after.txt"
check "the text is still in the field" grep -q "Display name \*  *9lives" "$OUT/after.txt"
check "the message is still there" grep -q "Must start with a letter" "$OUT/after.txt"
check "the cursor is still on the field" grep -q "^. Display name" "$OUT/after.txt"
check "the screen is the same as before" diff -u "$OUT/before.txt" "$OUT/after.txt"
tui_text "x"
check "typing goes on at the end of the text" tui_wait "9livesx"
tui_keys C-x
tui_wait "Cancel the wizard"
tui_text "y"
expect_eq "cancelled: exit 1" 1 "$(tui_wait_exit)"
test_done
