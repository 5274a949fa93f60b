#!/bin/sh
# Signed out, the home screen (issue 15) says why in full, wrapped to the screen rather than
# cut at its edge, and offers Sign in: the screens give way to synwiz login, whose device
# code is approved on the sandbox with `synwiz sandbox approve CODE` from another terminal,
# and the home screen comes back signed in, listing what the store holds.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init tui-home-signin
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
. "$SRC/tests/tui/lib.sh"
sandbox_load
sandbox_reset
export SYNWIZ_CLOUD=sandbox
CAP=$OUT/captures
mkdir -p "$CAP"

COLS=80 ROWS=24 tui_start "$BIN" --cloud sandbox
check "signed out, the home screen says so" tui_wait "Not signed in" 100
check "... offers Sign in" tui_wait "   Sign in"
tui_snap "$CAP/signed-out.txt"
check "... its reason whole: wrapped, not cut at the screen's edge" \
  sh -c 'tr "\n" " " <"$1" | tr -s " " | grep -q "AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH)."' sh "$CAP/signed-out.txt"
expect_eq "... no line cut short" "" "$(grep '…' "$CAP/signed-out.txt")"
tui_keys Enter
check "Sign in runs synwiz login: the code and how to approve it on the sandbox" \
  tui_wait "synwiz sandbox approve" 100
code=$($T capture-pane -t t -p | sed -n 's/^ *synwiz sandbox approve \([A-Z0-9-]*\)$/\1/p' | head -n 1)
check "... a code to approve" test -n "$code"
"$BIN" sandbox approve "$code" >"$CAP/approve.out" 2>&1
expect_eq "synwiz sandbox approve CODE from another terminal: exit 0" 0 $?
check "back home, signed in" tui_wait "Signed in: dana@contoso.onmicrosoft.com" 100
check "... told so" tui_wait "Signed in."
check "... the store listed" tui_wait "No connections yet" 50
tui_text "q"
expect_eq "home quits: exit 0" 0 "$(tui_wait_exit)"
assert_no_secrets "$OUT/state/synwiz/synwiz.log" "$OUT/config" "$CAP"
test_done
