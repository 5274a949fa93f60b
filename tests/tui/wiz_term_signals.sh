#!/bin/sh
# SIGTERM and SIGINT in an open wizard keep a draft, as SIGHUP does (issue 13 item 8): the
# wizard ends with exit 1 and `resume` lists a draft holding the answers typed so far.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init tui-wiz-term-signals
. "$SRC/tests/tui/lib.sh"
for sig in TERM INT; do
  echo "== SIG$sig"
  rm -rf "$XDG_STATE_HOME/synwiz/drafts"
  [ "$sig" = INT ] && tui_new_server
  tui_start sh -c "'$DRIVER' new connection; echo EXIT=\$?; sleep 30"
  tui_wait "Display name"
  tui_text "sig_$sig"
  tui_keys F10
  check "step 2" tui_wait "[2 Azure resources]"
  pid=$(pgrep -P "$(tui_pid)" | head -n 1)
  check "the wizard runs" test -n "$pid"
  kill -"$sig" "$pid"
  check "exits 1 after SIG$sig" tui_wait "EXIT=1"
  "$DRIVER" resume >"$OUT/list-$sig.txt" 2>&1
  check "resume lists a draft" grep -q "^connection-" "$OUT/list-$sig.txt"
  name=$(awk '/^connection-/ {print $1; exit}' "$OUT/list-$sig.txt")
  check "the draft holds the answers" grep -q "\"display_name\": \"sig_$sig\"" \
    "$XDG_STATE_HOME/synwiz/drafts/$name.json"
done
test_done
