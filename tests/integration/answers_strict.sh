#!/bin/sh
# Answers and forms are read strictly (issue 13 item 9): an unknown key inside an answer
# object ({"new": "abc", "x": 1}; a secret with both "env" and "value") is refused like an
# unknown top-level key; {"env": ""} says the variable's name is empty; `forms check`
# refuses a form whose id is not its file name, and control characters in its titles.
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init answers_strict
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
sandbox_load
sandbox_reset
T=$OUT/captures
mkdir -p "$T"
export SYNWIZ_CLOUD=sandbox
sandbox_login

cat >"$T/conn.json" <<EOF
{ "display_name": "Strict1", "audience": "admins", "subscription": "Contoso Analytics",
  "workspace": "contoso-synapse", "storage_account": "contosolake",
  "container": {"new": "abc", "x": 1}, "private_link": true, "agree": true }
EOF
"$BIN" connection new --answers "$T/conn.json" --non-interactive >"$T/conn.out" 2>"$T/conn.err"
expect_eq "a picker answer {\"new\", \"x\"}: exit 2" 2 $?
check "... naming the unknown key" grep -q 'container: unknown key "x" in the answer' "$T/conn.err"

ls_answers() { # ls_answers FILE SECRET_JSON
  cat >"$1" <<EOF
{ "subscription": "Contoso Analytics", "workspace": "contoso-synapse", "name": "Strict2",
  "ml_subscription": "Contoso Analytics", "ml_workspace": "contoso-ml",
  "authentication": "service_principal", "client_id": "$SYNWIZ_SANDBOX_CLIENT_ID",
  "secret": $2, "tenant": "contoso.onmicrosoft.com" }
EOF
}
ls_answers "$T/both.json" '{"env": "SP_SECRET", "value": "not-a-secret"}'
SP_SECRET=x "$BIN" linked-service new --answers "$T/both.json" --non-interactive >"$T/both.out" 2>"$T/both.err"
expect_eq "a secret with both env and value: exit 2" 2 $?
check "... naming the unknown key" grep -q 'secret: unknown key "value" in the answer' "$T/both.err"
ls_answers "$T/empty.json" '{"env": ""}'
"$BIN" linked-service new --answers "$T/empty.json" --non-interactive >"$T/empty.out" 2>"$T/empty.err"
expect_eq "a secret {\"env\": \"\"}: exit 2" 2 $?
check "... saying the variable's name is empty" grep -q "variable's name is empty" "$T/empty.err"
check_fails "... not 'The environment variable  is not set'" grep -q 'variable  is not set' "$T/empty.err"

echo "== forms check"
cp "$SRC/forms/connection.json" "$T/other.json"
"$BIN" forms check "$T/other.json" >"$T/fid.out" 2>"$T/fid.err"
expect_eq "a form whose id is not its file name: exit 2" 2 $?
check "... saying so" grep -q 'is not its file name' "$T/fid.err"
mkdir -p "$T/esc"
node -e 'const fs=require("fs");const j=JSON.parse(fs.readFileSync(process.argv[1],"utf8"));
  j.title="Conn\u001b]0;pwned\u0007";fs.writeFileSync(process.argv[2],JSON.stringify(j))' \
  "$SRC/forms/connection.json" "$T/esc/connection.json"
"$BIN" forms check "$T/esc/connection.json" >"$T/ftitle.out" 2>"$T/ftitle.err"
expect_eq "a form title holding ESC and BEL: exit 2" 2 $?
check "... saying it holds a control character" grep -q 'control character' "$T/ftitle.err"
"$BIN" forms check >"$T/fall.out" 2>"$T/fall.err"
expect_eq "synwiz's own forms still pass" 0 $?
test_done
