#!/bin/sh
# The table catalog (issue 11): a new store on the sandbox lists the demo tables (Customer,
# Orders, WebActivity) with the rows of the sandbox's files; `table add --file` reads a CSV
# (quotes, embedded line breaks, CRLF, byte order mark) and infers CDM types; a malformed
# file is refused with its line and column; names follow the CI table rule and are unique
# ignoring case; one customer profile table; `--url` reads a blob or a folder of parts with
# the signed-in identity, refused by Azure without a Storage Blob Data role; show, list
# --output json, remove; a viewer is refused add.
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init table_catalog
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
sandbox_load
sandbox_reset
T=$OUT/captures
mkdir -p "$T"
export SYNWIZ_CLOUD=sandbox
export SYNWIZ_STORE=$OUT/store

sandbox_login
"$BIN" table list --output json >"$T/list0.json"
expect_eq "a new store lists the demo tables" '["Customer","Orders","WebActivity"]' \
  "$(jget "$T/list0.json" 'j.map(t => t.name)')"
for t in Customer Orders WebActivity; do
  want=$(($(node -e 'const [,f]=process.argv; process.stdout.write(String(require("fs").readFileSync(f,"utf8").split("\r\n").filter(Boolean).length))' "$SYNWIZ_SANDBOX_DIR/data/$t.csv") - 1))
  expect_eq "$t: rows equal the sandbox's file" "$want" "$(jget "$T/list0.json" "j.find(t => t.name === '$t').rows")"
done
expect_eq "Customer is the customer profile table" CustomerId \
  "$(jget "$T/list0.json" 'j.find(t => t.name === "Customer").customer_id')"
expect_eq "Customer's types" '["guid","string","string","string","string","string","dateTime","dateTime","int64","string","string"]' \
  "$(jget "$T/list0.json" 'j.find(t => t.name === "Customer").attributes.map(a => a.dataType)')"
expect_eq "Orders' types" '["int64","guid","dateTime","string","int64","decimal","decimal","string"]' \
  "$(jget "$T/list0.json" 'j.find(t => t.name === "Orders").attributes.map(a => a.dataType)')"
check "the demo tables live in contosolake/customerinsights/source/" \
  grep -q 'https://contosolake.blob.sandbox.localhost:[0-9]*/customerinsights/source/Orders/Orders.csv' "$T/list0.json"

# A file with every RFC 4180 feature, CRLF and a byte order mark.
printf '\357\273\277Id,Name,Note,Score,Active,Seen,Ref\r\n' >"$T/people.csv"
printf '1,"Smith, Ann","said ""hi""",1.5,true,2025-06-30T10:00:00Z,0b9e3c1e-7a1d-4f2a-9d3e-1c2b3a4d5e6f\r\n' >>"$T/people.csv"
printf '2,Bob,"two\r\nlines",2e3,FALSE,2025-07-01,0b9e3c1e-7a1d-4f2a-9d3e-1c2b3a4d5e70\r\n' >>"$T/people.csv"
printf '3,"Zoë",,,false,,\r\n' >>"$T/people.csv"
check "table add --file reads a CSV" "$BIN" table add People --file "$T/people.csv"
"$BIN" table show People --output json >"$T/people.json"
expect_eq "its attributes" "Id Name Note Score Active Seen Ref" "$(jget "$T/people.json" 'j.attributes.map(a => a.name).join(" ")')"
expect_eq "its types" "int64 string string double boolean dateTime guid" "$(jget "$T/people.json" 'j.attributes.map(a => a.dataType).join(" ")')"
expect_eq "its rows (a line break inside quotes is not a row)" 3 "$(jget "$T/people.json" 'j.rows')"
expect_eq "its bytes" "$(wc -c <"$T/people.csv" | tr -d ' ')" "$(jget "$T/people.json" 'j.bytes')"
"$BIN" table show people >"$T/people.txt"
check "show prints the attributes and types" grep -Eq '^  Score +double$' "$T/people.txt"
check "... the rows" grep -q '^Rows: *3$' "$T/people.txt"
check "... where it lives" grep -q "^Location: *$T/people.csv (a local file)" "$T/people.txt"
"$BIN" table list >"$T/list1.txt"
check "list has the new table" grep -Eq '^People +3 ' "$T/list1.txt"

# Refusals.
printf 'a,b\n1,2\n3,x"y\n' >"$T/bad.csv"
"$BIN" table add Bad --file "$T/bad.csv" 2>"$T/bad.err"
expect_eq "a malformed file is refused (exit 2)" 2 $?
check "... naming its line and column" grep -q "bad.csv is not a valid CSV file .*line 3, column 4: a quote" "$T/bad.err"
printf 'a,b\n1,2\n3,4,5\n' >"$T/ragged.csv"
"$BIN" table add Ragged --file "$T/ragged.csv" 2>"$T/ragged.err"
check "a ragged row is refused with its line" grep -q "line 3, column 6: this row has more fields than the header's 2" "$T/ragged.err"
"$BIN" table add 1st --file "$T/people.csv" 2>"$T/name.err"
expect_eq "a name not starting with a letter is refused (exit 2)" 2 $?
check "... with the rule" grep -q "rule: table_name" "$T/name.err"
"$BIN" table add PEOPLE --file "$T/people.csv" 2>"$T/dup.err"
expect_eq "a name taken (ignoring case) is refused" 2 $?
"$BIN" table add People2 --file "$T/people.csv" --customer-id Id 2>"$T/profile.err"
check_fails "a second customer profile table is refused" test $? = 0
check "... naming the one there is" grep -q "'Customer' is already the customer profile table" "$T/profile.err"
"$BIN" table add People3 --file "$T/people.csv" --customer-id Nope 2>"$T/col.err"
check "--customer-id must name a column" grep -q "'Nope' is not a column" "$T/col.err"
check_fails "a missing file is refused" "$BIN" table add Missing --file "$T/none.csv"

# --url: a CSV blob or a folder of parts, read with the signed-in identity (Dana).
BLOBPORT=$(jget "$SYNWIZ_SANDBOX_DIR/runtime.json" 'String(j.ports.azurite)')
BLOB="https://contosolake.blob.sandbox.localhost:$BLOBPORT"
"$BIN" table add Src --url "$BLOB/customerinsights/source/Orders/Orders.csv" 2>"$T/norole.err"
expect_eq "--url without a Storage Blob Data role: refused by Azure (exit 3)" 3 $?
check "... AuthorizationPermissionMismatch, with the role to get" grep -q "AuthorizationPermissionMismatch" "$T/norole.err"
check "... and the hint naming the role" grep -q "Storage Blob Data" "$T/norole.err"
SA="/subscriptions/$SYNWIZ_SANDBOX_SUBSCRIPTION/resourceGroups/rg-analytics/providers/Microsoft.Storage/storageAccounts/contosolake"
check "Dana grants herself Storage Blob Data Reader on contosolake" "$BIN" rest --method put \
  --url "$SYNWIZ_SANDBOX_ARM$SA/providers/Microsoft.Authorization/roleAssignments/$(cat /proc/sys/kernel/random/uuid)?api-version=2022-04-01" \
  --body "{\"properties\":{\"roleDefinitionId\":\"/subscriptions/$SYNWIZ_SANDBOX_SUBSCRIPTION/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1\",\"principalId\":\"$SYNWIZ_SANDBOX_USER_OBJECT_ID\",\"principalType\":\"User\"}}"
check "table add --url reads a CSV blob" "$BIN" table add Src --url "$BLOB/customerinsights/source/Orders/Orders.csv"
"$BIN" table show Src --output json >"$T/src.json"
expect_eq "... its rows equal the file's" "$(jget "$T/list0.json" 'j.find(t => t.name === "Orders").rows')" "$(jget "$T/src.json" j.rows)"
expect_eq "... its source is storage" storage "$(jget "$T/src.json" j.source)"
check "the abfss:// form names the same blob" "$BIN" table add Src2 --url "abfss://customerinsights@contosolake.dfs.sandbox.localhost:$BLOBPORT/source/Customer/Customer.csv"
# A folder of parts (uploaded with the account key), each with the header; a folder of its
# own per run, since blobs outlive the sandbox's reset.
PARTS="$BLOB/raw/parts-$(date +%s)-$$"
printf 'Id,Amount\r\n1,2.50\r\n2,3.75\r\n' >"$T/p1.csv"
printf 'Id,Amount\r\n3,1e2\r\n' >"$T/p2.csv"
printf 'Id,Total\r\n4,1\r\n' >"$T/p3.csv"
"$BIN" rest --shared-key --url "$PARTS/2026/p1.csv" --upload "$T/p1.csv" >/dev/null
"$BIN" rest --shared-key --url "$PARTS/2026/sub/p2.csv" --upload "$T/p2.csv" >/dev/null
"$BIN" rest --shared-key --url "$PARTS/readme.txt" --upload "$T/p2.csv" >/dev/null
check "table add --url of a folder reads every .csv part" "$BIN" table add Parts --url "$PARTS"
"$BIN" table show Parts --output json >"$T/parts.json"
expect_eq "... rows of both parts" 3 "$(jget "$T/parts.json" j.rows)"
expect_eq "... types across parts" "int64 double" "$(jget "$T/parts.json" 'j.attributes.map(a => a.dataType).join(" ")')"
expect_eq "... the parts in name order" 2 "$(jget "$T/parts.json" 'j.parts.length')"
"$BIN" rest --shared-key --url "$PARTS/2026/z.csv" --upload "$T/p3.csv" >/dev/null
"$BIN" table add Parts2 --url "$PARTS/" 2>"$T/parts.err"
expect_eq "a part with another header is refused (exit 2)" 2 $?
check "... naming the blob and the column" grep -q "/2026/z.csv is not a valid CSV file .*line 1, column 9: this part's header names 'Total' as column 2" "$T/parts.err"
"$BIN" table add Parts3 --url "$BLOB/raw/nothing/here" 2>"$T/noparts.err"
check "a folder without .csv blobs is refused" grep -q "There is no .csv blob under" "$T/noparts.err"
"$BIN" table remove Src >/dev/null
"$BIN" table remove Src2 >/dev/null
"$BIN" table remove Parts >/dev/null

# Remove: the record goes, the file stays.
check "table remove" "$BIN" table remove people
check "... the file is still there" test -f "$T/people.csv"
"$BIN" table list --output json >"$T/list2.json"
expect_eq "... and the catalog no longer lists it" '["Customer","Orders","WebActivity"]' \
  "$(jget "$T/list2.json" 'j.map(t => t.name)')"
check_fails "show of a removed table fails" "$BIN" table show People

# A viewer sees the tables and adds none.
"$BIN" role add "$SYNWIZ_SANDBOX_CLIENT_OBJECT_ID" viewer >/dev/null
as_sp() { env XDG_STATE_HOME="$OUT/state-sp" AZURE_TENANT_ID="$SYNWIZ_SANDBOX_TENANT" \
  AZURE_CLIENT_ID="$SYNWIZ_SANDBOX_CLIENT_ID" AZURE_CLIENT_SECRET="$SYNWIZ_SANDBOX_CLIENT_SECRET" \
  "$BIN" "$@"; }
mkdir -p "$OUT/state-sp"
check "a viewer lists the tables" as_sp table list
as_sp table add Viewer --file "$T/people.csv" 2>"$T/viewer.err"
expect_eq "a viewer cannot add one (exit 3)" 3 $?
check "... and is told who can" grep -q "administrators and contributors can" "$T/viewer.err"

assert_no_secrets "$OUT/store" "$T"
test_done
