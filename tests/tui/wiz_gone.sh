#!/bin/sh
# When the SSH link drops, synwiz saves the answers as a draft and ends, whatever screen it
# is on: a SIGHUP while a wizard opened from the home screen runs ends the home screen
# too, and a terminal that disappears without any SIGHUP reaching synwiz (the signal
# blocked) is noticed by the terminal's hang-up itself. Before this, both left an orphaned
# synwiz spinning at full CPU on a closed terminal.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init tui-wiz-gone
. "$SRC/tests/tui/lib.sh"

gone() { # gone PID: true once the process has ended (polls for 5 s)
  n=50
  while [ $n -gt 0 ]; do
    kill -0 "$1" 2>/dev/null || return 0
    sleep 0.1
    n=$((n - 1))
  done
  ps -o pid,pcpu,stat,cmd -p "$1" >&2
  kill -9 "$1" 2>/dev/null
  return 1
}

# 1. Home, then a wizard, then SIGHUP.
TUI_ENV="-e FAKE_DELAY_MS=50" tui_start "$DRIVER" home
check "the home screen shows" tui_wait "Wizards"
tui_keys Enter
check "the connection wizard opens from it" tui_wait "Display name"
tui_text "gone_home"
check "the answer is typed" tui_wait "gone_home"
pid=$(tui_pid)
kill -HUP "$pid"
check "synwiz ends after the hangup (the home screen does not come back)" gone "$pid"
expect_eq "exit status 1" 1 "$(tui_wait_exit)"
check "a draft holds the answer" grep -rq '"gone_home"' "$XDG_STATE_HOME/synwiz/drafts"

# 2. The terminal goes away and no SIGHUP is delivered (blocked by whoever started synwiz).
tui_new_server
TUI_ENV="-e FAKE_DELAY_MS=50" tui_start /usr/bin/python3 -c \
  'import os, signal, sys; signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGHUP}); os.execv(sys.argv[1], sys.argv[1:])' \
  "$DRIVER" new connection
check "the wizard shows" tui_wait "Display name"
tui_text "gone_tty"
check "the answer is typed" tui_wait "gone_tty"
pid=$(tui_pid)
check "SIGHUP is blocked in synwiz" grep -Eq '^SigBlk:.*[13579bdf]$' "/proc/$pid/status"
$T kill-server
check "synwiz ends when its terminal is gone" gone "$pid"
check "a draft holds the answer" grep -rq '"gone_tty"' "$XDG_STATE_HOME/synwiz/drafts"
test_done
