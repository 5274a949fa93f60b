#!/bin/sh
# The home screen keeps up (issue 15): a connection saved by the CLI in another terminal
# appears without a key, one removed there goes; F5 refreshes at once; '/' filters the rows
# as typed (issue 10); a draft is listed by the display name of what it makes; a draft
# resumed or removed elsewhere goes from the list, and one chosen after it went says so;
# Ctrl-C ends the home screen with exit 1, as cancelling does everywhere else.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init tui-home-refresh
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
. "$SRC/tests/tui/lib.sh"
sandbox_load
sandbox_reset
sandbox_login
export SYNWIZ_CLOUD=sandbox
CAP=$OUT/captures
mkdir -p "$CAP"
DRAFTS=$XDG_STATE_HOME/synwiz/drafts

tui_start "$BIN" --cloud sandbox
check "home" tui_wait "No connections yet" 100

echo "== a draft is named after what it makes"
tui_keys Enter
check "the connection wizard" tui_wait "[1 Name and access]" 100
tui_text sales_draft
tui_wait "Display name *            sales_draft" >/dev/null
tui_keys F2
check "draft saved" tui_wait "synwiz resume" 50
tui_keys C-x
tui_wait "Cancel the wizard" >/dev/null
tui_text "y"
check "back home, the draft listed by its display name" tui_wait "sales_draft  " 100
tui_snap "$CAP/draft.txt"
check "... as a new connection, with the name to resume it by (not cut)" \
  grep -q "^   sales_draft  *new connection, step name  synwiz resume connection-[0-9-]*$" "$CAP/draft.txt"

echo "== a change made by the CLI elsewhere shows without a key"
cat >"$CAP/conn.json" <<'END'
{ "display_name": "sales_cli", "subscription": "Contoso Analytics",
  "workspace": "contoso-synapse", "storage_account": "contosolake",
  "container": "customerinsights", "private_link": false, "agree": true }
END
"$BIN" connection new --answers "$CAP/conn.json" --non-interactive >"$CAP/new.out" 2>&1
expect_eq "synwiz connection new elsewhere: exit 0" 0 $?
check "the home screen lists it by itself" tui_wait "sales_cli  " 60
"$BIN" connection remove sales_cli --yes >"$CAP/remove.out" 2>&1
expect_eq "synwiz connection remove elsewhere: exit 0" 0 $?
check "... and drops it by itself" tui_wait_gone "sales_cli  " 60
tui_keys F5
check "F5 refreshes at once" tui_wait "Refreshed." 30

echo "== the filter"
tui_text "/"
check "/ asks for the filter" tui_wait "Filter: " 20
tui_text "web"
check "typing filters the rows" tui_wait_gone "Orders  " 20
check "... the matching one stays" tui_wait "WebActivity  "
tui_snap "$CAP/filtered.txt"
expect_eq "... the wizards that do not match are hidden" no \
  "$(grep -q 'Set up Azure Synapse' "$CAP/filtered.txt" && echo yes || echo no)"
tui_keys Escape
check "Esc clears it: the wizards are back" tui_wait "Set up Azure Synapse" 20

echo "== a draft resumed elsewhere"
draft=$(ls "$DRAFTS")
# The filter finds the draft's row (whatever the wizards above it), the cursor on it.
tui_text "/"
tui_text "sales_draft"
tui_keys Enter
rm -f "$DRAFTS/$draft"
tui_keys Enter
check "chosen after it went: said so" tui_wait "The draft sales_draft is gone: it was resumed or removed elsewhere." 50
check "... and it is no longer listed" tui_wait_gone "sales_draft  " 30

echo "== Ctrl-C"
tui_keys C-c
expect_eq "Ctrl-C ends the home screen: exit 1" 1 "$(tui_wait_exit)"
assert_no_secrets "$OUT/state/synwiz/synwiz.log" "$OUT/config" "$CAP"
test_done
