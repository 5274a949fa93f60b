#!/bin/sh
# Keys from a terminal whose description does not know them (issue 15): under TERM=vt100
# inside tmux, F10 sends ESC [ 2 1 ~, which vt100's entry does not have. Such sequences
# must never be typed into a field: a common one works as its key (F10: next step), any
# other is dropped whole. A lone Esc stays the Esc key, which asks to cancel on a step.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init tui-wiz-term-keys
. "$SRC/tests/tui/lib.sh"
tui_start env TERM=vt100 "$DRIVER" new connection
check "the first step shows under TERM=vt100" tui_wait "Display name"
tui_text "abc"
tui_wait "Display name *            abc" >/dev/null
# ESC [ 9 9 ~ (no such key) and ESC [ 1 ; 5 C (Ctrl-Right), then one more letter.
tui_keys -H 1b 5b 39 39 7e
tui_keys -H 1b 5b 31 3b 35 43
tui_text "d"
check "unknown sequences are dropped, the letter after them typed" \
  tui_wait "Display name *            abcd"
tui_snap "$OUT/typed.txt"
check_fails "no sequence was typed into the field" grep -qE "abc.*(\[|~|;5C)" "$OUT/typed.txt"
tui_keys F10
check "F10 (ESC [ 2 1 ~) moves on under TERM=vt100" tui_wait "Step 2 of"
tui_snap "$OUT/step2.txt"
check_fails "F10 typed nothing" grep -q "21~" "$OUT/step2.txt"
# A lone Esc is still the Esc key: on a step it asks to cancel; the question takes y, d, n
# and Esc, says so after any other key, and Esc leaves it.
tui_keys Escape
check "Esc on a step asks to cancel" tui_wait "Cancel the wizard? Answers not saved"
check "... with the question's own keys in the footer" tui_wait "n/Esc No, go on"
tui_text "x"
check "a key the question does not take: it says which it takes" \
  tui_wait "Press y to cancel, d to save a draft and quit, n or Esc to go on."
tui_keys Escape
check "Esc leaves the question" tui_wait_gone "Press y to cancel"
check "... back on the step" tui_wait "F10/^N Next"
# Esc then Ctrl-X in one write (as a quick hand or a paste sends them) are two keys: the
# list closes, then the wizard asks to cancel; ESC ^X is no sequence to drop.
tui_keys Enter
tui_wait "Filter:" >/dev/null
tui_keys Escape C-x
check "Esc and Ctrl-X typed at once: both count" tui_wait "Cancel the wizard? Answers"
check "... the list closed first" tui_wait_gone "Filter:"
tui_text "y"
expect_eq "cancelled: exit 1" 1 "$(tui_wait_exit)"
test_done
