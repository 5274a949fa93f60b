#!/bin/sh
# The README's "Start here" (issue 15), followed as a newcomer would: from the home screen,
# with exactly the keys and names it gives, to a saved connection that `synwiz connection
# list` shows; then its answers-file block, taken from the README itself, saves a second
# one without screens. If the README and the screens drift apart, this fails.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init tui-readme-start
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
. "$SRC/tests/tui/lib.sh"
sandbox_load
sandbox_reset
sandbox_login
export SYNWIZ_CLOUD=sandbox
CAP=$OUT/captures
mkdir -p "$CAP"
README=$SRC/README.md
check "the README's first section is Start here" \
  sh -c 'grep -m1 "^## " "$1" | grep -q "^## Start here: from a fresh clone to a saved connection"' sh "$README"

tui_start "$BIN" --cloud sandbox
check "step 2: the home screen lists the wizards first" tui_wait "Set up Azure Synapse Analytics connection" 100
tui_keys Enter
check "Enter opens the connection wizard" tui_wait "[1 Name and access]" 100
tui_text sales_lake
tui_wait "Display name *            sales_lake" >/dev/null
tui_keys F10
check "F10: Azure resources" tui_wait "[2 Azure resources]"
tui_keys Enter
check "Enter opens the subscriptions" tui_wait "Contoso Analytics" 100
tui_keys Enter
tui_wait_gone "Filter:" >/dev/null
check "... Contoso Analytics chosen" tui_wait "Subscription *            Contoso Analytics"
tui_keys Enter
check "Enter again opens the workspaces" tui_wait "contoso-synapse-shir" 100
tui_keys Enter
tui_wait_gone "Filter:" >/dev/null
check "... contoso-synapse chosen" tui_wait "Workspace *               contoso-synapse"
tui_keys Enter
check "the storage accounts, contosolake first" tui_wait "contosolake  resource group rg-analytics, the workspace's default" 100
check "... contosoblob refused" tui_wait "contosoblob  (refused: Hierarchical namespace is off"
tui_keys Enter
tui_wait_gone "Filter:" >/dev/null
tui_keys Enter
check "the containers" tui_wait "+ Create new container" 100
tui_text cust
tui_wait "Filter: cust" >/dev/null
tui_keys Enter
check "... customerinsights chosen" tui_wait "Container *               customerinsights"
tui_keys F10
check "F10: Data privacy" tui_wait "[3 Data privacy]"
tui_keys Space
check "Space ticks I agree" tui_wait "[x] I agree"
tui_keys F10
check "F10: the review" tui_wait "Review and save"
tui_keys F10
check "F10 saves, and the check runs" tui_wait "Connection saved (done)" 100
check "the report offers 1 Grant what is missing" tui_wait "1  Grant what is missing"
tui_keys 1
check "1 grants, waits and checks again" tui_wait "granted and checked again (done)" 200
tui_keys F10
check "F10 closes the report: back home, the connection listed" tui_wait "sales_lake" 100
tui_snap "$CAP/home-after.txt"
tui_keys F9
expect_eq "F9 quits the home screen (exit 0)" 0 "$(tui_wait_exit 100)"

echo "== step 3: see it saved"
"$BIN" connection list >"$CAP/list.out" 2>&1
check "synwiz connection list shows sales_lake" grep -q "^sales_lake " "$CAP/list.out"
check "synwiz connection show sales_lake" "$BIN" connection show sales_lake
check "synwiz doctor sales_lake passes now" "$BIN" doctor sales_lake

echo "== the README's answers file, as written there"
sed -n "/^cat >conn.json <<'END'$/,/^END$/p" "$README" >"$CAP/readme-block.sh"
check "the README has the answers-file block" test -s "$CAP/readme-block.sh"
(cd "$CAP" && sh ./readme-block.sh)
check "... which writes conn.json" test -s "$CAP/conn.json"
grep -q '^synwiz connection new --answers conn.json --non-interactive$' "$README"
expect_eq "the README's command for it is there" 0 $?
(cd "$CAP" && "$BIN" connection new --answers conn.json --non-interactive) >"$CAP/new2.out" 2>&1
expect_eq "... and saves the second connection (exit 0)" 0 $?
check "... which connection list shows" sh -c '"$1" connection list | grep -q "^sales_lake2 "' sh "$BIN"
assert_no_secrets "$CAP" "$OUT/config"
test_done
