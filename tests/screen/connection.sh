#!/bin/sh
# Screens of the connection wizard: inline error, Next refused, picker loading / list /
# refused item / filtered, terminal too small, back at 80x24 unchanged.
. "$2/tests/screen/_lib.sh"
screen_init connection
screen_run connection new connection
expect_eq "cancel exits 1" 1 "$RC"
screen_check conn-inline-error conn-next-refused conn-picker-loading conn-picker-list \
  conn-picker-refused conn-picker-filtered conn-too-small conn-after-resize
test_done
