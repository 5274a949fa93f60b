#!/bin/sh
# When the lists cannot be loaded the answers were never judged (issue 13 item 5):
# `connection new --non-interactive` exits 4 (network or service: a 500, 429 after every
# retry) or 3 (a rejected token, with the advice to sign in again), not 2 ("answers missing
# or invalid"); a slow list says what is being waited for instead of printing nothing.
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init conn_lists_unloaded
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
sandbox_load
sandbox_reset
T=$OUT/captures
mkdir -p "$T"
export SYNWIZ_CLOUD=sandbox
sandbox_login
cat >"$T/a.json" <<EOF
{ "display_name": "Lists1", "audience": "admins", "subscription": "Contoso Analytics",
  "workspace": "contoso-synapse", "storage_account": "contosolake",
  "container": "customerinsights", "private_link": true, "agree": true }
EOF
run() { # run TAG: connection new with the answers above, no screens
  "$BIN" connection new --answers "$T/a.json" --non-interactive >"$T/$1.out" 2>"$T/$1.err"
}
"$BIN" sandbox fault --route 'subscriptions\?' --status 500 --count 50 >/dev/null
run e500
expect_eq "the subscriptions list answers 500: exit 4" 4 $?
check "... saying the answers were not checked" grep -q "the lists could not be loaded" "$T/e500.err"
"$BIN" sandbox fault --clear >/dev/null

"$BIN" sandbox fault --route 'subscriptions\?' --status 429 --retry-after 0 --count 50 >/dev/null
run e429
expect_eq "429 after every retry: exit 4" 4 $?
"$BIN" sandbox fault --clear >/dev/null

"$BIN" sandbox fault --route 'storageAccounts\?' --status 401 --count 50 >/dev/null
run e401
expect_eq "a rejected token on a later list: exit 3" 3 $?
check "... with the advice to sign in again" grep -q "synwiz login again" "$T/e401.err"
"$BIN" sandbox fault --clear >/dev/null

"$BIN" sandbox fault --route 'subscriptions\?' --delay-ms 5000 --count 1 >/dev/null
run slow
expect_eq "a slow list, then the answers are good: exit 0" 0 $?
check "... and while it waited it said for what" grep -q "waiting for the list of Subscription" "$T/slow.err"
"$BIN" sandbox fault --clear >/dev/null
test_done
