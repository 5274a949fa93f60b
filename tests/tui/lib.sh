# tmux end-to-end harness (anchors.md B): a private tmux server per test, a pinned
# environment, polling waits (no blind sleeps), remain-on-exit to read the exit status.
# Source it after setting BIN, SRC and BLD ($1 $2 $3) and calling test_init:
#   tui_start CMD...          run CMD in a COLSxROWS pane (defaults 100x30)
#   tui_wait TEXT [N]         poll until TEXT is on screen (N tenths of a second, default 50)
#   tui_keys KEY...           tmux key names: Tab BTab Down Up Enter Escape F1 F10 C-x BSpace
#   tui_text TEXT             literal text
#   tui_snap FILE             the screen as plain text;  tui_snap_ansi FILE: with SGR escapes
#   tui_resize W H            resize (the program gets SIGWINCH)
#   tui_pid                   the pid of the command (the pane runs it under a status-recording sh)
#   tui_wait_exit [N]         poll until the program exits, print its exit status
#   tui_new_server            end this tmux server, use a new one for the next tui_start
# A test that needs the sandbox (synwiz itself) calls sandbox_load / sandbox_reset from
# tests/lib/common.sh first; the wizard-engine tests run the test driver with the fake host.
command -v tmux >/dev/null 2>&1 || { echo "tmux missing"; exit 77; }
COLS=${COLS:-100}
ROWS=${ROWS:-30}
TSOCK="synwiz-test-$$"
T="tmux -L $TSOCK -f /dev/null"
DRIVER="$BLD/tests/synwiz-testdrive"
tui_cleanup() {
  $T kill-server 2>/dev/null || true
  rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$TSOCK"
}
trap tui_cleanup EXIT

# tmux 3.3a sometimes marks a pane dead without ever recording its exit status (seen here:
# a quarter of the runs of a program that plainly exit_group(1)s), so the command runs under
# a small sh that writes "$?" to a file: that file, not tmux, says how the program ended.
TUI_RUN=0
tui_start() {
  TUI_RUN=$((TUI_RUN + 1))
  TUI_EXIT_FILE="$OUT/tui-exit.$TUI_RUN"
  rm -f "$TUI_EXIT_FILE"
  $T new-session -d -s t -x "$COLS" -y "$ROWS" \
    -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 -e TZ=UTC -e NCURSES_NO_UTF8_ACS=1 -e ESCDELAY=25 \
    -e HOME="$HOME" -e XDG_CONFIG_HOME="$XDG_CONFIG_HOME" -e XDG_STATE_HOME="$XDG_STATE_HOME" \
    ${TUI_ENV:-} sh -c '"$@"; echo $? >"$0.tmp" && mv "$0.tmp" "$0"' "$TUI_EXIT_FILE" "$@"
  $T set-option -t t remain-on-exit on >/dev/null
}

tui_wait() {
  n=${2:-50}
  while [ "$n" -gt 0 ]; do
    $T capture-pane -t t -p | grep -qF -- "$1" && return 0
    sleep 0.1
    n=$((n - 1))
  done
  echo "timeout waiting for '$1'" >&2
  $T capture-pane -t t -p >&2
  return 1
}

tui_wait_gone() {
  n=${2:-50}
  while [ "$n" -gt 0 ]; do
    $T capture-pane -t t -p | grep -qF -- "$1" || return 0
    sleep 0.1
    n=$((n - 1))
  done
  echo "timeout waiting for '$1' to go" >&2
  return 1
}

# A second run in the same test: a new private server (killing one and starting another on
# the same socket races with the old server's exit).
tui_new_server() {
  tui_cleanup
  TSOCK="$TSOCK-x"
  T="tmux -L $TSOCK -f /dev/null"
}

tui_keys() { $T send-keys -t t "$@"; }
tui_text() { $T send-keys -t t -l -- "$1"; }
# With SYNWIZ_SCREENSHOTS=DIR (scripts/screenshots.sh), every snap also keeps the screen with
# its colours as DIR/<test>--<snap>.ans: the README's pictures come from these very runs.
tui_snap() {
  $T capture-pane -t t -p >"$1"
  if [ -n "${SYNWIZ_SCREENSHOTS:-}" ]; then
    mkdir -p "$SYNWIZ_SCREENSHOTS"
    $T capture-pane -t t -p -e -N >"$SYNWIZ_SCREENSHOTS/$TEST_NAME--$(basename "$1" .txt).ans"
  fi
}
tui_snap_ansi() { $T capture-pane -t t -p -e -N >"$1"; }
tui_status() { $T display -p -t t '#{pane_dead}:#{pane_dead_status}'; }
tui_resize() { $T resize-window -t t -x "$1" -y "$2"; }
# The command's pid (the pane's process is the sh that records the exit status).
tui_pid() {
  n=50
  while [ "$n" -gt 0 ]; do
    p=$(pgrep -P "$($T display -p -t t '#{pane_pid}')" | head -n 1)
    [ -n "$p" ] && { echo "$p"; return 0; }
    sleep 0.1
    n=$((n - 1))
  done
  return 1
}

tui_wait_exit() {
  n=${1:-50}
  while [ "$n" -gt 0 ]; do
    if [ -f "$TUI_EXIT_FILE" ]; then
      rc=$(cat "$TUI_EXIT_FILE")
      if [ "$rc" -gt 128 ]; then echo "signal $((rc - 128))"; else echo "$rc"; fi
      return 0
    fi
    sleep 0.1
    n=$((n - 1))
  done
  echo "program did not exit" >&2
  return 1
}
