#!/bin/sh
# Benchmark (not a test): bytes synwiz sends to the terminal per interaction, beside
# dialog(1) doing the same thing on a form of the same kind.
#
# Method: each program runs alone in a 100x30 tmux pane (private server, TERM as tmux sets
# it, LANG=C.UTF-8), and `tmux pipe-pane` copies every byte the program writes to its
# terminal into a file. After each step the file is left to settle (no growth for 0.4 s),
# and the step's figure is how much it grew:
#   first frame       from start until the first screen is complete
#   typed character   "s" typed into the first field (focused at start in both)
#   move to a field   to the next field: Tab in synwiz (its key for it), Down in dialog's
#                     --form (Tab there goes to the buttons); the field left is valid ("s")
#   resize            the window set to 90x28 (SIGWINCH), until the new frame is complete
# synwiz is the connection wizard's first step run by the test driver with the fake host
# (build/tests/synwiz-testdrive new connection: no sandbox, same screens as synwiz); dialog
# shows a --form with the wizard's five text fields (display name, subscription, workspace,
# storage account, container). RUNS runs each; figures are medians (they barely vary).
# Not measured yet: picker scrolling (the fake host's lists are too short to scroll).
#
#   bench/screen-bytes.sh [BUILD_DIR] [RUNS]        (defaults: build 3; needs tmux, dialog)
#   SCREEN_TERM=xterm-256color bench/screen-bytes.sh   both under another TERM (the figures
#                     depend on it: tmux's default "screen" has no bce, ech or rep, so a
#                     coloured run of blanks is sent as blanks)
set -u
SRC=$(cd "$(dirname "$0")/.." && pwd)
BLD=$(cd "${1:-$SRC/build}" && pwd)
RUNS=${2:-3}
DRIVER=$BLD/tests/synwiz-testdrive
[ -x "$DRIVER" ] || { echo "no tests/synwiz-testdrive in $BLD (build it first)"; exit 1; }
command -v tmux >/dev/null 2>&1 || { echo "tmux is needed"; exit 1; }
command -v dialog >/dev/null 2>&1 || { echo "dialog is needed (apt-get install dialog)"; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/synwiz-bench.XXXXXX")
T="tmux -L synwiz-bench-$$ -f /dev/null"
trap '$T kill-server 2>/dev/null; rm -rf "$WORK"' EXIT
mkdir -p "$WORK/home" "$WORK/config" "$WORK/state"
SET_TERM="" # tmux sets TERM in the pane itself: the command line has to change it
[ -n "${SCREEN_TERM:-}" ] && SET_TERM="TERM=$SCREEN_TERM; export TERM; "
cat >"$WORK/dialog.sh" <<'EOF'
#!/bin/sh
exec dialog --form "Set up Azure Synapse Analytics connection" 20 76 5 \
  "Display name" 1 1 "" 1 22 40 0 "Subscription" 2 1 "" 2 22 40 0 \
  "Workspace" 3 1 "" 3 22 40 0 "Storage account" 4 1 "" 4 22 40 0 "Container" 5 1 "" 5 22 40 0
EOF
cat >"$WORK/synwiz.sh" <<EOF
#!/bin/sh
exec "$DRIVER" new connection
EOF
chmod +x "$WORK/dialog.sh" "$WORK/synwiz.sh"

size() { stat -c %s "$WORK/bytes"; }
settle() { # wait until the output stops growing, print its size
  prev=-1
  while :; do
    sleep 0.4
    s=$(size)
    [ "$s" = "$prev" ] && break
    prev=$s
  done
  echo "$s"
}
measure() { # measure NAME MOVE_KEY: appends "first char move resize" to $WORK/NAME.txt
  : >"$WORK/bytes"
  $T kill-server 2>/dev/null
  # The program starts after pipe-pane is set up, so its first byte is counted.
  $T new-session -d -s b -x 100 -y 30 -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 -e ESCDELAY=25 \
    -e HOME="$WORK/home" -e XDG_CONFIG_HOME="$WORK/config" -e XDG_STATE_HOME="$WORK/state" \
    "sleep 0.3; ${SET_TERM}exec $WORK/$1.sh"
  $T pipe-pane -t b -o "cat >>$WORK/bytes"
  f=$(settle)
  $T send-keys -t b -l s
  c=$(settle)
  $T send-keys -t b "$2"
  m=$(settle)
  $T resize-window -t b -x 90 -y 28
  r=$(settle)
  $T capture-pane -t b -p >"$WORK/$1.screen"
  $T kill-server 2>/dev/null
  echo "$f $((c - f)) $((m - c)) $((r - m))" >>"$WORK/$1.txt"
}
i=1
while [ $i -le "$RUNS" ]; do
  measure synwiz Tab
  measure dialog Down
  i=$((i + 1))
done
grep -q "Display name" "$WORK/synwiz.screen" || { echo "synwiz's wizard did not show:"; cat "$WORK/synwiz.screen"; exit 1; }
grep -q "Display name" "$WORK/dialog.screen" || { echo "dialog's form did not show"; exit 1; }

median() { sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
printf 'bytes to the terminal, median of %s runs, TERM=%s\n' "$RUNS" "${SCREEN_TERM:-screen (tmux's default)}"
printf '%-22s %9s %9s %7s\n' "interaction" "synwiz" "dialog" "ratio"
n=1
for what in "first frame" "typed character" "move to a field" "resize"; do
  a=$(cut -d' ' -f$n "$WORK/synwiz.txt" | median)
  b=$(cut -d' ' -f$n "$WORK/dialog.txt" | median)
  awk -v w="$what" -v a="$a" -v b="$b" 'BEGIN { printf "%-22s %9d %9d %7.2f\n", w, a, b, (b > 0 ? a / b : 0) }'
  n=$((n + 1))
done
echo "raw (first char move resize per run):"
for side in synwiz dialog; do echo "  $side: $(tr '\n' ';' <"$WORK/$side.txt")"; done
