#!/bin/sh
# The review (secrets masked, answers per step), the progress of Save (spinner, then a bar
# with bytes and time left) and the report with findings and follow-up actions.
. "$2/tests/screen/_lib.sh"
screen_init review
screen_run review new connection
expect_eq "finished run exits 0" 0 "$RC"
screen_check review progress-spinner progress-bar report
check "the report is printed after the screens" grep -q "Storage Blob Data Contributor" "$OUT/driver.out"
test_done
