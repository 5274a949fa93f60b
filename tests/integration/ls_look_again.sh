#!/bin/sh
# When the linked service's create was applied but following its operation failed (a 500),
# synwiz reads it again before saying what state Synapse is in (issue 13 item 4): it says
# the create was applied, records it, and the next run with the same name says it exists
# and is recorded instead of only "the name is taken". When the create was not applied
# (the PUT itself failed), reading again says so: nothing created, nothing recorded.
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init ls_look_again
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
sandbox_load
sandbox_reset
T=$OUT/captures
mkdir -p "$T"
export SYNWIZ_CLOUD=sandbox SYNWIZ_ROLE_WAIT_SECONDS=0
sandbox_login
answers() { # answers FILE NAME
  cat >"$1" <<EOF
{ "subscription": "Contoso Analytics", "workspace": "contoso-synapse", "name": "$2",
  "ml_subscription": "Contoso Analytics", "ml_workspace": "contoso-ml",
  "authentication": "managed_identity", "grant_role": true }
EOF
}
in_synapse() { "$BIN" sandbox state --dir "$SYNWIZ_SANDBOX_DIR" >"$T/state.json"
  jget "$T/state.json" "(j.workspaces.find(w=>w.name==='contoso-synapse').linkedServices.find(l=>l.name==='$1')) ? 'there' : 'none'"; }

answers "$T/a.json" Applied1
"$BIN" sandbox fault --route 'operationResults' --status 500 --count 100 >/dev/null
"$BIN" linked-service new --answers "$T/a.json" --non-interactive >"$T/a.out" 2>"$T/a.err"
rc=$?
"$BIN" sandbox fault --clear >/dev/null
expect_eq "following the create fails with 500, but it was applied: exit 0" 0 $rc
check "... the report says it was created after all" grep -q "Following the create failed, but the linked service was created" "$T/a.out"
check "... and recorded" grep -q "Recorded in the synwiz store" "$T/a.out"
check_fails "... not 'Could not create'" grep -q "Could not create the linked service" "$T/a.out"
expect_eq "... Synapse holds it" there "$(in_synapse Applied1)"
check "... the store records it" grep -qs '"name": *"Applied1"' "$OUT/config/synwiz/store/linked_services/"*.json

"$BIN" linked-service new --answers "$T/a.json" --non-interactive >"$T/again.out" 2>"$T/again.err"
check "the next run with the name: refused" test $? -ne 0
check "... saying it exists and is recorded" grep -q "exists and is recorded in the synwiz store" "$T/again.out" "$T/again.err"

answers "$T/b.json" NotApplied1
"$BIN" sandbox fault --route 'PUT .*linkedservices/NotApplied1' --status 500 --count 100 >/dev/null
"$BIN" linked-service new --answers "$T/b.json" --non-interactive >"$T/b.out" 2>"$T/b.err"
rc=$?
"$BIN" sandbox fault --clear >/dev/null
expect_eq "the PUT itself fails with 500: exit 4" 4 $rc
check "... read again, it says nothing was created" grep -q "nothing was created and nothing was recorded" "$T/b.out"
expect_eq "... and Synapse holds none" none "$(in_synapse NotApplied1)"
test_done
