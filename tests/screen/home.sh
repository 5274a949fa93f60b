#!/bin/sh
# The home screen (issue 10): one row per saved thing with its actions in a menu, the
# section's own action ("Check all") as a row after its things, and the filter ('/').
. "$2/tests/screen/_lib.sh"
screen_init home
screen_run home home
expect_eq "F9 quits the home screen: exit 0" 0 "$RC"
screen_check home home-menu home-filter-typing home-filtered home-section-action
test_done
