#!/bin/sh
# The home screen wraps a message that holds its fix instead of cutting it at the screen's
# width (issue 13 item 6): on a store synwiz refuses to open (writable by others), at 80
# columns, the message's last words (the command that fixes it) are on the screen.
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init tui-home-wraps-fix
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
COLS=80 ROWS=40
. "$SRC/tests/tui/lib.sh"
sandbox_load
sandbox_reset
sandbox_login
CAP=$OUT/captures
mkdir -p "$CAP"
export SYNWIZ_CLOUD=sandbox
STORE=$OUT/a-store-with-a-rather-long-path-so-that-the-message-is-long/store
mkdir -p "$(dirname "$STORE")"
"$BIN" --store "$STORE" role list >/dev/null 2>&1 # made by Dana, then opened to everyone
chmod 0777 "$STORE"
"$BIN" --store "$STORE" connection list >"$CAP/cli.out" 2>"$CAP/cli.err"
msg=$(sed -n 's/^synwiz: //p' "$CAP/cli.err" | head -n 1)
check "the CLI names the problem" test -n "$msg"
last=$(printf '%s' "$msg" | awk '{print $NF}')
tui_start "$BIN" --store "$STORE"
check "the home screen opens" tui_wait "Wizards"
tui_wait "Azure ML linked services" 50
sleep 0.3
tui_snap "$CAP/home.txt"
# The message's words, joined across the screen's lines, hold its end (the fix).
flat=$(tr -s ' \n' '  ' <"$CAP/home.txt")
check "the end of the message is on the screen ($last)" sh -c 'printf "%s" "$1" | grep -qF -- "$2"' _ "$flat" "$last"
tui_keys q
chmod 0700 "$STORE"
test_done
