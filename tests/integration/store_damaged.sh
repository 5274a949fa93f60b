#!/bin/sh
# One damaged record does not stop every command (issue 13, item 6): with one connection's
# file cut short, `connection list` still lists the others (exit 0) and names the damaged
# file and what is wrong with it; the others can be shown and checked; only a command that
# needs the damaged one is refused, saying which file to repair, with exit 2 (a local file,
# not "network or service failure").
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init store_damaged
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
sandbox_load
sandbox_reset
T=$OUT/captures
mkdir -p "$T"
export SYNWIZ_CLOUD=sandbox
sandbox_login
for n in sales_lake web_lake; do
  cat >"$T/$n.json" <<EOF2
{ "display_name": "$n", "audience": "admins", "subscription": "Contoso Analytics",
  "workspace": "contoso-synapse", "storage_account": "contosolake",
  "container": "customerinsights", "private_link": false, "agree": true }
EOF2
  check "connection $n is saved" "$BIN" connection new --answers "$T/$n.json" --non-interactive
done
ID=$("$BIN" connection show sales_lake --output json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).id))')
FILE="$OUT/config/synwiz/store/connections/$ID.json"
check "the record of sales_lake is a file of the store" test -f "$FILE"
printf '{"schema": 1, "kind": "connection", "id": ' >"$FILE"

"$BIN" connection list >"$T/list.out" 2>"$T/list.err"
expect_eq "connection list still works: exit 0" 0 $?
check "... and lists the other connection" grep -q "^web_lake " "$T/list.out"
check "... and names the damaged file" grep -qF "$FILE" "$T/list.err"
check "... and what is wrong with it" grep -q "not valid JSON" "$T/list.err"
"$BIN" connection show web_lake >/dev/null 2>"$T/show_ok.err"
expect_eq "the other connection can be shown" 0 $?
"$BIN" connection show sales_lake >/dev/null 2>"$T/show_bad.err"
expect_eq "the damaged one is refused with exit 2" 2 $?
check "... naming the file to repair" grep -qF "$FILE" "$T/show_bad.err"
"$BIN" connection list --output json >"$T/list.json" 2>/dev/null
expect_eq "--output json lists the readable one" web_lake "$(jget "$T/list.json" 'j.map(c=>c.display_name).join(",")')"
test_done
