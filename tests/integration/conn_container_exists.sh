#!/bin/sh
# "+ Create new container" never claims a container it did not make (issue 13 item 3): the
# field refuses the name of a container in the list; and when one of that name appears
# between the check and the PUT (which then answers 200, not 201), the report says it
# already existed and was used as it is, not "Created the container".
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init conn_container_exists
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
sandbox_load
sandbox_reset
T=$OUT/captures
mkdir -p "$T"
export SYNWIZ_CLOUD=sandbox
SUB=$SYNWIZ_SANDBOX_SUBSCRIPTION
sandbox_login
answers() { # answers FILE NAME CONTAINER_JSON
  cat >"$1" <<EOF
{ "display_name": "$2", "audience": "admins", "subscription": "Contoso Analytics",
  "workspace": "contoso-synapse", "storage_account": "contosolake",
  "container": $3, "private_link": true, "agree": true }
EOF
}
answers "$T/taken.json" Taken1 '{"new": "customerinsights"}'
"$BIN" connection new --answers "$T/taken.json" --non-interactive >"$T/taken.out" 2>"$T/taken.err"
expect_eq "creating a container that is in the list: refused (exit 2)" 2 $?
check "... the field says it already exists" grep -q 'container: .*already exists: choose it from the list' "$T/taken.err"
check_fails "... and nothing claims it was created" grep -q "Created the container" "$T/taken.out"

echo "== a container of that name appears before the PUT"
URL="$SYNWIZ_SANDBOX_ARM/subscriptions/$SUB/resourceGroups/rg-analytics/providers/Microsoft.Storage/storageAccounts/contosolake/blobServices/default/containers/latecomer?api-version=2023-05-01"
"$BIN" sandbox fault --route 'PUT .*containers/latecomer' --delay-ms 3000 --count 1 >/dev/null
answers "$T/late.json" Late1 '{"new": "latecomer"}'
"$BIN" connection new --answers "$T/late.json" --non-interactive >"$T/late.out" 2>"$T/late.err" &
pid=$!
for _ in $(seq 100); do grep -q "Creating the container" "$T/late.err" && break; sleep 0.1; done
"$BIN" rest --method put --url "$URL" --body '{"properties":{"publicAccess":"None"}}' >"$T/put.out" 2>&1
expect_eq "someone else creates it meanwhile" 0 $?
wait $pid
expect_eq "the connection is saved (exit 0)" 0 $?
check "... the report says the container already existed" grep -q "The container latecomer already existed" "$T/late.out"
check_fails "... not that it was created" grep -q "Created the container latecomer" "$T/late.out"
"$BIN" sandbox fault --clear >/dev/null
test_done
