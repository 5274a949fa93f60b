#!/bin/sh
# Next while a field's check is pending: the wizard waits for the check, then goes on.
. "$2/tests/screen/_lib.sh"
screen_init next_waits
screen_run next_waits new connection
expect_eq "cancel exits 1" 1 "$RC"
screen_check next-waiting next-moved-on
test_done
