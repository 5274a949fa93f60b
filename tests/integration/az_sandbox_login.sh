#!/bin/sh
# `synwiz sandbox start` signs the demo user in through the normal device-code path (the
# code approved through the control endpoint) unless --no-login, which node never sees.
# Uses its own sandbox directory and ports, and stops that sandbox at the end.
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init az_sandbox_login
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
T=$OUT/captures
mkdir -p "$T"
SB=$OUT/sandbox
trap '"$BIN" sandbox stop --dir "$SB" >/dev/null 2>&1' EXIT
jget() { node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); const v=('"$2"'); process.stdout.write(v===undefined||v===null?"":typeof v==="string"?v:JSON.stringify(v))' "$1"; }

"$BIN" sandbox start --dir "$SB" --ports auto >"$T/start.out" 2>"$T/start.err"
expect_eq "sandbox start exits 0" 0 "$?"
expect_eq "... and says who is signed in" yes "$(grep -q 'Signed in to the sandbox as Dana Demo' "$T/start.out" && echo yes)"
export SYNWIZ_SANDBOX_DIR=$SB
eval "$("$BIN" sandbox env --dir "$SB")"
"$BIN" account show --output json >"$T/account.json" 2>&1
expect_eq "the demo user is signed in to the sandbox" "user $SYNWIZ_SANDBOX_USER_OBJECT_ID sandbox" "$(jget "$T/account.json" j.type) $(jget "$T/account.json" j.objectId) $(jget "$T/account.json" j.cloud)"
check "a call works right away" "$BIN" rest --url "$SYNWIZ_SANDBOX_ARM/subscriptions?api-version=2022-12-01"
expect_eq "the sign-in went through device code and the control endpoint" "yes yes" "$(grep -q 'oauth2/v2.0/devicecode' "$OUT/state/synwiz/synwiz.log" && echo yes) $(grep -q '_sandbox/devicecode/approve' "$OUT/state/synwiz/synwiz.log" && echo yes)"
# While this sandbox runs, its secret list covers every token it issued.
assert_no_secrets "$OUT/state/synwiz/synwiz.log" "$OUT/config" "$T" "$OUT/last.out"
"$BIN" logout >/dev/null
"$BIN" sandbox stop --dir "$SB" >/dev/null 2>&1
"$BIN" sandbox start --dir "$SB" --ports auto --no-login >"$T/start2.out" 2>&1
expect_eq "--no-login: started, nobody signed in" "0 no" "$? $([ -e "$OUT/state/synwiz/tokens.json" ] && echo yes || echo no)"
expect_eq "... node never saw --no-login (no usage error)" no "$(grep -q 'unknown option' "$T/start2.out" && echo yes || echo no)"
test_done
