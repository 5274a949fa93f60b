#!/bin/sh
# A picker whose list fails: the error, the hint and the retry key; F5 loads it again.
. "$2/tests/screen/_lib.sh"
screen_init picker_failed
screen_run picker_failed new connection
screen_check picker-failed picker-retried
test_done
