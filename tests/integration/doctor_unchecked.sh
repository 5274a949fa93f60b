#!/bin/sh
# A check that could not be made is not a pass (issue 13, item 1): when sign-in has expired
# (access tokens revoked, the refresh refused) or the service fails on every call, `synwiz
# doctor` does not print "0 passed, 0 missing" and exit 0. It counts the checks it could not
# make, says "Run synwiz login again" once, at the top, and exits 3 (sign-in) or 4 (service).
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init doctor_unchecked
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
sandbox_load
sandbox_reset
T=$OUT/captures
mkdir -p "$T"
export SYNWIZ_CLOUD=sandbox

sandbox_login
cat >"$T/answers.json" <<EOF2
{ "display_name": "sales_lake", "audience": "admins", "subscription": "Contoso Analytics",
  "workspace": "contoso-synapse", "storage_account": "contosolake",
  "container": "customerinsights", "private_link": false, "agree": true }
EOF2
check "a connection to check is saved" "$BIN" connection new --answers "$T/answers.json" --non-interactive

# --- the service fails on every call: exit 4, nothing passes ---
"$BIN" sandbox fault --route 'management\.sandbox\.localhost|dev\.sandbox\.localhost' --status 503 --retry-after 0 --count 10000 >/dev/null
"$BIN" doctor sales_lake >"$T/fail.out" 2>"$T/fail.err"
expect_eq "every call fails with 503: doctor exits 4" 4 $?
check "the summary counts the checks not made" grep -Eq "Prerequisites: 0 passed, 0 missing, [1-9][0-9]* not checked" "$T/fail.out"
check_fails "... and says no check passed or was a mere warning" grep -q "Prerequisites: 0 passed, 0 missing, [0-9]* warnings" "$T/fail.out"
"$BIN" sandbox fault --clear >/dev/null

# --- sign-in expired: every access token refused, the refresh refused too: exit 3 ---
sandbox_control POST expire-tokens >/dev/null
"$BIN" sandbox fault --route 'POST login\.sandbox\.localhost/.*/token' --status 400 --count 10000 >/dev/null
"$BIN" doctor sales_lake >"$T/signin.out" 2>"$T/signin.err"
expect_eq "sign-in expired: doctor exits 3" 3 $?
check "the first finding says sign-in is needed" sh -c "grep -m1 '\[[A-Z]*\]' '$T/signin.out' | grep -q 'FAIL\] Sign-in is needed'"
expect_eq "'Run synwiz login again' is said once" 1 "$(grep -o 'Run synwiz login again' "$T/signin.out" | wc -l | tr -d ' ')"
check_fails "nothing is reported as passed" grep -q "\[PASS\]" "$T/signin.out"
"$BIN" doctor sales_lake --output json >"$T/signin.json" 2>/dev/null
expect_eq "--output json: the outcome is refused" refused "$(jget "$T/signin.json" j.outcome)"
"$BIN" sandbox fault --clear >/dev/null
test_done
