#!/bin/sh
# Text on screens (issue 15): what a user must type (the `synwiz resume NAME` of a saved
# draft) is never cut, at 80 columns or 100; a rule message wraps at words and never leaves
# a lone "/" on a line; a new name's rule message wraps in its box; cut text ends with "…";
# the linked-service step rail names every step at 100 columns and what fits at 80.
. "$2/tests/screen/_lib.sh"
screen_init text
screen_run text_conn new connection
expect_eq "cancel exits 1" 1 "$RC"
screen_check text-newname-rule
# The draft's name holds the time it was saved: checked by pattern, not against a golden.
D80="$DUMPS/text-draft-80.txt"
check "80 columns: the draft is named" grep -q "Draft saved as connection-[0-9-]* (no secrets)." "$D80"
check "80 columns: the resume command whole, on its own line" \
  grep -qx " Resume with: synwiz resume connection-[0-9-]*" "$D80"

# Without UTF-8 (LANG=C), a cut subscription ends with three dots.
LANG=C LC_ALL=C screen_run text_ascii new connection
check "ASCII: a cut item ends with ..." grep -q '[0-9a-f]\.\.\. |$' "$DUMPS/text-ascii-cut.txt"
check_fails "ASCII: no item ends with ~" grep -q '~ |$' "$DUMPS/text-ascii-cut.txt"

# The linked-service rail: at 80 columns the current step whole, the others cut to what fits
# (ending with an ellipsis), never numbers alone while names fit; at 100 every name whole.
unset FAKE_HOLD
screen_run text_rail new linked_service
screen_check text-rail-80
check "80 columns: every step named, at least in part" \
  grep -q "^ 1 Synap.* > \[2 Azure ML\] > 3 Auth.* > 4 Integ.* > 5 Test" "$DUMPS/text-rail-80.txt"

export LINES=30 COLUMNS=100
screen_run text_ls new linked_service
expect_eq "cancel exits 1" 1 "$RC"
screen_check text-rule-wrap
check "100 columns: every step's name whole" grep -qx \
  " 1 Synapse workspace > \[2 Azure ML\] > 3 Authentication > 4 Integration runtime > 5 Test and save" \
  "$DUMPS/text-rule-wrap.txt"
check_fails "no rule message line is a lone /" grep -qx " */" "$DUMPS/text-rule-wrap.txt"
D100="$DUMPS/text-draft-100.txt"
check "100 columns: the resume command whole" \
  grep -qx " Resume with: synwiz resume linked_service-[0-9-]*" "$D100"
check_fails "nothing on the status rows is cut" sh -c "tail -n 3 '$D100' | grep -q '…'"
test_done
