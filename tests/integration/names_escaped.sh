#!/bin/sh
# Names from outside never drive the terminal (issue 13 item 7): a linked service whose name
# holds ESC]0;title BEL and ESC[2J (Synapse's name rule allows them), made with `synwiz rest`
# as the demo user, goes through every command that prints a name (list and show as tables
# and JSON, `rest`, a 404 that echoes the name, an answers file's display name, a store
# record's display name) and no raw ESC or BEL reaches stdout or stderr; a name with a
# right-to-left override or a space is shown with the override visible. A 1 MB answer is
# not echoed whole.
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init names_escaped
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
sandbox_load
sandbox_reset
T=$OUT/captures
mkdir -p "$T"
export SYNWIZ_CLOUD=sandbox
SUB=$SYNWIZ_SANDBOX_SUBSCRIPTION
PORT=${SYNWIZ_SANDBOX_AUTHORITY##*:}
DEV="https://contoso-synapse.dev.sandbox.localhost:$PORT"
ESC=$(printf '\033')
BEL=$(printf '\007')
# No raw ESC or BEL (nor any other C0 control but newline and tab) in the files named.
no_raw() { # no_raw DESC FILE...
  _bad=""
  for _f in "$@"; do
    [ "$_f" = "$1" ] && continue
    if LC_ALL=C tr -d '\n\t' <"$_f" | LC_ALL=C grep -q "[$ESC$BEL]"; then _bad="$_bad $_f"; fi
  done
  if [ -z "$_bad" ]; then T_PASS=$((T_PASS + 1)); echo "ok - $1"
  else T_FAIL=$((T_FAIL + 1)); echo "FAIL - $1: raw ESC or BEL in$_bad"; fi
}
sandbox_login

NAME=$(printf 'Evil\033]0;pwned\007Name\033[2J')
ENC=$(node -e 'process.stdout.write(encodeURIComponent(process.argv[1]))' "$NAME")
BODY="{\"properties\":{\"type\":\"AzureMLService\",\"typeProperties\":{\"subscriptionId\":\"$SUB\",\"resourceGroupName\":\"rg-ml\",\"mlWorkspaceName\":\"contoso-ml\",\"authentication\":\"MSI\"}}}"
"$BIN" rest --method put --wait --url "$DEV/linkedservices/$ENC?api-version=2020-12-01" --body "$BODY" >"$T/put.out" 2>"$T/put.err"
expect_eq "the demo user makes a linked service whose name holds escapes" 0 $?
no_raw "... and rest's answer shows them escaped" "$T/put.out" "$T/put.err"
RLO=$(printf 'Rlo\342\200\256evil name')
ENC2=$(node -e 'process.stdout.write(encodeURIComponent(process.argv[1]))' "$RLO")
"$BIN" rest --method put --wait --url "$DEV/linkedservices/$ENC2?api-version=2020-12-01" --body "$BODY" >/dev/null 2>&1
expect_eq "... and one with a right-to-left override and a space" 0 $?

"$BIN" rest --url "$DEV/linkedservices/$ENC?api-version=2020-12-01" >"$T/get.out" 2>"$T/get.err"
no_raw "rest GET: no raw ESC or BEL" "$T/get.out" "$T/get.err"
check "... and its JSON is still valid JSON holding the name" node -e '
  const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));
  if (j.name !== process.argv[2]) process.exit(1)' "$T/get.out" "$NAME"

"$BIN" linked-service list --workspace contoso-synapse >"$T/list.out" 2>"$T/list.err"
expect_eq "linked-service list: exit 0" 0 $?
no_raw "linked-service list: no raw ESC or BEL" "$T/list.out" "$T/list.err"
check "... the name shown with its escapes visible" grep -qF 'Evil\x1b]0;pwned\x07Name\x1b[2J' "$T/list.out"
check "... the override shown visibly" grep -qF 'Rlo\u{202e}evil name' "$T/list.out"
check "... and the columns after the names stay in line" sh -c \
  "awk 'NR>1 && /contoso-ml/ {print index(\$0, \"contoso-ml\")}' '$T/list.out' | sort -u | wc -l | grep -qx 1"
"$BIN" linked-service list --workspace contoso-synapse --output json >"$T/listj.out" 2>"$T/listj.err"
no_raw "linked-service list --output json: no raw ESC or BEL" "$T/listj.out" "$T/listj.err"
check "... and valid JSON" node -e 'JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"))' "$T/listj.out"
"$BIN" linked-service show "$NAME" --workspace contoso-synapse >"$T/show.out" 2>"$T/show.err"
expect_eq "linked-service show: exit 0" 0 $?
no_raw "linked-service show: no raw ESC or BEL" "$T/show.out" "$T/show.err"
"$BIN" linked-service show "$NAME" --workspace contoso-synapse --output json >"$T/showj.out" 2>"$T/showj.err"
no_raw "linked-service show --output json: no raw ESC or BEL" "$T/showj.out" "$T/showj.err"

MISSING=$(printf 'Gone\033]0;pwned\007\033[2J')
"$BIN" linked-service show "$MISSING" --workspace contoso-synapse >"$T/404.out" 2>"$T/404.err"
check "a missing linked service: non-zero exit" test $? -ne 0
no_raw "... its error message echoes the name without raw ESC or BEL" "$T/404.out" "$T/404.err"
ENC3=$(node -e 'process.stdout.write(encodeURIComponent(process.argv[1]))' "$MISSING")
"$BIN" rest --url "$DEV/linkedservices/$ENC3?api-version=2020-12-01" >"$T/rest404.out" 2>"$T/rest404.err"
check "rest GET of a missing name: non-zero exit" test $? -ne 0
no_raw "... Azure's error message echoes the name without raw ESC or BEL" "$T/rest404.out" "$T/rest404.err"
"$BIN" linked-service remove "$MISSING" --workspace contoso-synapse --yes >"$T/rm404.out" 2>"$T/rm404.err"
no_raw "linked-service remove of a missing name: no raw ESC or BEL" "$T/rm404.out" "$T/rm404.err"

echo "== answers files"
DN=$(printf 'Bad\033]0;pwned\007\033[2J')
node -e 'require("fs").writeFileSync(process.argv[1], JSON.stringify({display_name: process.argv[2],
  audience: "admins", subscription: process.argv[2], workspace: "contoso-synapse",
  storage_account: "contosolake", container: "customerinsights", private_link: true, agree: true}))' "$T/esc.json" "$DN"
"$BIN" connection new --answers "$T/esc.json" --non-interactive >"$T/ans.out" 2>"$T/ans.err"
expect_eq "an answers file with escapes in a display name: exit 2" 2 $?
no_raw "... the refusal echoes it without raw ESC or BEL" "$T/ans.out" "$T/ans.err"
node -e 'require("fs").writeFileSync(process.argv[1], JSON.stringify({workspace: process.argv[2],
  ml_workspace: process.argv[2], name: process.argv[2], subscription: "Contoso Analytics"}))' "$T/lsesc.json" "$DN"
"$BIN" linked-service new --answers "$T/lsesc.json" --non-interactive >"$T/lsans.out" 2>"$T/lsans.err"
no_raw "linked-service new with escapes in its answers: no raw ESC or BEL" "$T/lsans.out" "$T/lsans.err"
node -e 'require("fs").writeFileSync(process.argv[1], JSON.stringify({display_name: "Big1",
  audience: "admins", subscription: "x".repeat(1<<20), workspace: "contoso-synapse",
  storage_account: "contosolake", container: "customerinsights", private_link: true, agree: true}))' "$T/big.json"
"$BIN" connection new --answers "$T/big.json" --non-interactive >"$T/big.out" 2>"$T/big.err"
expect_eq "a 1 MB subscription answer: exit 2" 2 $?
check "... echoed cut, not whole (under 16 KB of output)" test "$(cat "$T/big.out" "$T/big.err" | wc -c)" -lt 16384

echo "== a store record"
cat >"$T/good.json" <<EOF
{ "display_name": "Plain1", "audience": "admins", "subscription": "Contoso Analytics",
  "workspace": "contoso-synapse", "storage_account": "contosolake",
  "container": "customerinsights", "private_link": true, "agree": true }
EOF
"$BIN" connection new --answers "$T/good.json" --non-interactive >"$T/good.out" 2>"$T/good.err"
expect_eq "a connection is saved" 0 $?
REC=$(ls "$OUT/config/synwiz/store/connections/"*.json | head -n 1)
node -e 'const fs=require("fs");const j=JSON.parse(fs.readFileSync(process.argv[1],"utf8"));
  for (const k of Object.keys(j)) if (typeof j[k]==="string" && k!=="id" && k!=="kind" && !/_at$|_id$|^id$/.test(k)) j[k]+=process.argv[2];
  fs.writeFileSync(process.argv[1], JSON.stringify(j))' "$REC" "$DN"
"$BIN" connection list >"$T/clist.out" 2>"$T/clist.err"
no_raw "connection list of a record holding escapes: no raw ESC or BEL" "$T/clist.out" "$T/clist.err"
"$BIN" connection list --output json >"$T/clistj.out" 2>"$T/clistj.err"
no_raw "connection list --output json: no raw ESC or BEL" "$T/clistj.out" "$T/clistj.err"
"$BIN" connection show "Plain1$DN" >"$T/cshow.out" 2>"$T/cshow.err"
no_raw "connection show: no raw ESC or BEL" "$T/cshow.out" "$T/cshow.err"
"$BIN" doctor "Plain1$DN" >"$T/doc.out" 2>"$T/doc.err"
no_raw "doctor: no raw ESC or BEL" "$T/doc.out" "$T/doc.err"
"$BIN" resume >"$T/resume.out" 2>"$T/resume.err"
no_raw "resume's list: no raw ESC or BEL" "$T/resume.out" "$T/resume.err"
"$BIN" account show >"$T/acct.out" 2>"$T/acct.err"
no_raw "account show: no raw ESC or BEL" "$T/acct.out" "$T/acct.err"
test_done
