#!/bin/sh
# Makes the PNGs of screenshots/ from tmux captures: scripts/ansi2png.py draws the capture
# (UTF-8, SGR colours) with Debian's Terminus console font, so the same screen always gives
# the same bytes. Installs tmux and console-setup-linux (the font) when missing; not part
# of CI. Until the app hosts land, the wizards run on the test driver's fake host (the
# sandbox's names); the file names say which wizard and screen.
#   scripts/screenshots.sh [BUILD_DIR]      (default build/)
set -eu
cd "$(dirname "$0")/.."
BLD=${1:-build}
DRIVER="$BLD/tests/synwiz-testdrive"
[ -x "$DRIVER" ] || { echo "build first: $DRIVER is missing" >&2; exit 1; }
need=""
command -v tmux >/dev/null 2>&1 || need="$need tmux"
[ -f /usr/share/consolefonts/Uni2-Terminus20x10.psf.gz ] || need="$need console-setup-linux"
if [ -n "$need" ]; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need >/dev/null
fi
OUTDIR=screenshots
mkdir -p "$OUTDIR"
WORK=$(mktemp -d)
COLS=100
ROWS=30
T="tmux -L synwiz-shots-$$ -f /dev/null"
trap '$T kill-server 2>/dev/null || true; rm -rf "$WORK"' EXIT

start() {
  $T kill-server 2>/dev/null || true
  T="tmux -L synwiz-shots-$$-$1 -f /dev/null"
  shift
  $T new-session -d -s t -x "$COLS" -y "$ROWS" -e LANG=C.UTF-8 -e NCURSES_NO_UTF8_ACS=1 \
    -e ESCDELAY=25 -e TERM=xterm -e XDG_STATE_HOME="$WORK/state" -e FAKE_DELAY_MS=150 \
    -e FAKE_CLOUD_LABEL=Sandbox "$@"
}
wait_for() {
  n=50
  while [ $n -gt 0 ]; do
    $T capture-pane -t t -p | grep -qF -- "$1" && return 0
    sleep 0.1
    n=$((n - 1))
  done
  echo "screenshots: timeout waiting for '$1'" >&2
  return 1
}
gone() {
  n=50
  while [ $n -gt 0 ]; do
    $T capture-pane -t t -p | grep -qF -- "$1" || return 0
    sleep 0.1
    n=$((n - 1))
  done
}
png() { # png NAME: the pane as it is now
  $T capture-pane -t t -p -e -N >"$WORK/$1.ans"
  /usr/bin/python3 scripts/ansi2png.py "$WORK/$1.ans" "$OUTDIR/$1.png" --cols "$COLS" --rows "$ROWS"
  echo "screenshots: $OUTDIR/$1.png"
}

start c "$DRIVER" new connection
wait_for "Display name"
$T send-keys -t t -l "9lives"
wait_for "Must start with a letter"
png connection-1-inline-error
$T send-keys -t t C-u
$T send-keys -t t -l "sales_synapse"
$T send-keys -t t F10
wait_for "Azure resources]"
$T send-keys -t t Enter
wait_for "Contoso Research"
png connection-2-picker
$T send-keys -t t Enter
gone "Filter:"
wait_for "contoso-synapse" || true
$T send-keys -t t Enter
wait_for "contoso-synapse-dep"
$T send-keys -t t Enter
gone "Filter:"
$T send-keys -t t Enter
wait_for "contosoblob"
png connection-3-storage-refused
$T send-keys -t t Enter
gone "Filter:"
$T send-keys -t t Enter
wait_for "customerinsights"
$T send-keys -t t Enter
gone "Filter:"
$T send-keys -t t F10
wait_for "I agree"
$T send-keys -t t Tab Space F10
wait_for "Review and save]"
png connection-4-review
$T send-keys -t t F10
wait_for "MB of"
png connection-5-progress
wait_for "prerequisites check"
png connection-6-report
$T send-keys -t t F10

start l "$DRIVER" new linked_service
wait_for "Limitations"
png linked-service-1-limitations
$T send-keys -t t F10 F10
wait_for "Name *"
$T send-keys -t t -l "ml-link"
wait_for "must not contain"
png linked-service-2-name-rule
echo "screenshots: done"
