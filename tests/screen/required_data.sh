#!/bin/sh
# The repeated group kind (forms/README.md, kind "group") on its test form, until the model
# wizard uses it: its screens at 80x24, and a headless run from an answers file (complete:
# the record holds every entry with the proposed columns; incomplete: exit 2 naming each
# unmapped attribute and the column whose type does not fit).
. "$2/tests/screen/_lib.sh"
screen_init required_data
export SYNWIZ_DATA_DIR="$SRC/tests/fixtures"
screen_run required_data new required_data
expect_eq "cancel exits 1" 1 "$RC"
screen_check group-loading group-entries group-proposed group-mapping-list group-next-refused \
  group-columns-typed group-review
check "forms check accepts the group kind" "$DRIVER" forms check \
  "$SRC/tests/fixtures/forms/required_data.json"

unset FAKE_HOLD
cat >"$OUT/complete.json" <<'JSON'
{ "pipeline": "ScoreCustomerChurn",
  "inputs": { "Customer": { "table": "Customer" },
              "Orders": { "table": "Orders", "map": { "OrderId": "OrderId" } } } }
JSON
"$DRIVER" new required_data --answers "$OUT/complete.json" --non-interactive \
  --record "$OUT/record.json" >"$OUT/complete.out" 2>"$OUT/complete.err"
expect_eq "a complete answers file runs" 0 "$?"
check "the record maps every attribute" grep -q '"TotalSpend": "TotalSpend"' "$OUT/record.json"
check "the record keeps the answers given" grep -q '"OrderId": "OrderId"' "$OUT/record.json"

cat >"$OUT/partial.json" <<'JSON'
{ "pipeline": "ScoreCustomerChurn",
  "inputs": { "Customer": { "table": "Customer", "map": { "TotalSpend": "Email" } },
              "Orders": { "table": "WebActivity" } } }
JSON
"$DRIVER" new required_data --answers "$OUT/partial.json" --non-interactive \
  >"$OUT/partial.out" 2>"$OUT/partial.err"
expect_eq "an incomplete mapping exits 2" 2 "$?"
check "the unmapped attributes are named" \
  grep -q 'Map every attribute: "OrderId", "Amount" have no column' "$OUT/partial.err"
check "a type that does not fit is named" \
  grep -q '"TotalSpend" (Double) cannot take the column "Email" (String)' "$OUT/partial.err"
test_done
