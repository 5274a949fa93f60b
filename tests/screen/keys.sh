#!/bin/sh
# Keys as in every dialog tool (issue 15): Esc on a step or the review asks to cancel and
# leaves the question; the question's footer shows its own keys and, after a key it does not
# take, says which it takes; Ctrl-U clears the name, a list's filter and a new name; Down
# and Up move over a choice's options, Space and Enter choose; "Subscription: Required."
# goes once a subscription is chosen.
. "$2/tests/screen/_lib.sh"
screen_init keys
screen_run keys new connection
expect_eq "cancel exits 1" 1 "$RC"
screen_check keys-help keys-esc-asks keys-confirm-hint keys-choice-down keys-status-refused \
  keys-filter-cleared keys-status-gone keys-newname-cleared keys-review-confirm keys-review-back
# The progress and the report (which is also the home screen's "remove it?") say which keys
# they take after one they do not take; a key they take clears that.
screen_run keys_report new connection
expect_eq "finished run exits 0" 0 "$RC"
screen_check keys-progress-hint keys-report-hint keys-report-scrolled
test_done
