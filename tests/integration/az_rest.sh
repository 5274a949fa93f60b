#!/bin/sh
# synwiz rest through the whole pipeline, against the sandbox (issue 3): paging with a small
# page size, retries of 429 answers that the log shows, Azure's refusals with their hints and
# exit codes, an expired token refreshed, a linked service created as a long-running
# operation, the 200-then-Failed trap, TLS verification, dry runs; no secret leaks.
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init az_rest
for t in node; do command -v $t >/dev/null 2>&1 || { echo "$t is missing"; exit 77; }; done
sandbox_load
sandbox_reset
T=$OUT/captures
mkdir -p "$T"
LOG=$OUT/state/synwiz/synwiz.log
export SYNWIZ_CLOUD=sandbox
SUB=$SYNWIZ_SANDBOX_SUBSCRIPTION
PORT=${SYNWIZ_SANDBOX_AUTHORITY##*:}
DEV="https://contoso-synapse.dev.sandbox.localhost:$PORT"
ARM_URL="$SYNWIZ_SANDBOX_ARM/subscriptions?api-version=2022-12-01"

jget() { node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); const v=('"$2"'); process.stdout.write(v===undefined||v===null?"":typeof v==="string"?v:JSON.stringify(v))' "$1"; }
no_secrets() { assert_no_secrets "$LOG" "$OUT/config" "$T" "$OUT/last.out"; }
rest() { # rest NAME ARGS...: stdout to $T/NAME.out, stderr to $T/NAME.err; prints the exit code
  name=$1
  shift
  "$BIN" rest "$@" >"$T/$name.out" 2>"$T/$name.err"
  echo $?
}

# Dana signs in through the device-code path, approved by the control endpoint.
"$BIN" login >"$T/login.out" 2>"$T/login.err" &
pid=$!
for _ in $(seq 100); do
  code=$(sed -n 's/.*enter the code \([A-Z0-9]*\).*/\1/p' "$T/login.err" | head -n 1)
  [ -n "$code" ] && break
  sleep 0.1
done
sandbox_control POST devicecode/approve "{\"user_code\":\"$code\"}" >/dev/null
wait $pid
expect_eq "signed in as the demo user" 0 "$?"

echo "== paging"
sandbox_control POST config '{"pageSize":1}' >/dev/null
expect_eq "one page: exit 0" 0 "$(rest page1 --url "$ARM_URL")"
expect_eq "... one item and a nextLink" "1 yes" "$(jget "$T/page1.out" j.value.length) $(jget "$T/page1.out" '!!j.nextLink?"yes":"no"')"
mark=$(wc -l <"$LOG")
expect_eq "--all: exit 0" 0 "$(rest all --all --url "$ARM_URL")"
expect_eq "... every subscription in one value array" "3 Contoso Analytics,Contoso Research,Contoso Legacy" "$(jget "$T/all.out" j.value.length) $(jget "$T/all.out" 'j.value.map(s=>s.displayName).join()')"
expect_eq "... three GETs in the log" 3 "$(tail -n +$((mark + 1)) "$LOG" | grep -c 'INFO  GET .*/subscriptions')"
expect_eq "a path goes to the resource manager" 0 "$(rest rel --all --url "/subscriptions/$SUB/resourcegroups?api-version=2021-04-01")"
expect_eq "... and pages too" "rg-analytics,rg-ml" "$(jget "$T/rel.out" 'j.value.map(g=>g.name).sort().join()')"
sandbox_control POST config '{"pageSize":100}' >/dev/null

echo "== 429 twice, then success"
: >"$LOG.mark"
"$BIN" sandbox fault --route subscriptions --status 429 --retry-after 1 --count 2 >/dev/null
expect_eq "synwiz rest succeeds after the throttling" 0 "$(rest throttled --url "$ARM_URL")"
expect_eq "... with the subscriptions" yes "$(grep -q 'Contoso Analytics' "$T/throttled.out" && echo yes)"
expect_eq "the log shows the first wait, its reason and delay" 1 "$(grep -c 'retry 1/4 of GET .*/subscriptions?api-version=2022-12-01 in 1000 ms (Retry-After: 1) after HTTP 429' "$LOG")"
expect_eq "the log shows the second wait" 1 "$(grep -c 'retry 2/4 of GET .*/subscriptions?api-version=2022-12-01 in 1000 ms (Retry-After: 1) after HTTP 429' "$LOG")"
grep -E 'retry [0-9]/4' "$LOG" | sed 's/^/       log: /'

echo "== refusals and failures"
RA="$SYNWIZ_SANDBOX_ARM/subscriptions/$SUB/providers/Microsoft.Authorization/roleAssignments/$(node -e 'console.log(require("crypto").randomUUID())')?api-version=2022-04-01"
BODY="{\"properties\":{\"roleDefinitionId\":\"/subscriptions/$SUB/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7\",\"principalId\":\"$SYNWIZ_SANDBOX_CLIENT_OBJECT_ID\",\"principalType\":\"ServicePrincipal\"}}"
expect_eq "a role assignment Dana may not make: exit 3" 3 "$(rest denied --method put --url "$RA" --body "$BODY")"
expect_eq "... AuthorizationFailed on stderr" yes "$(grep -q '^synwiz: AuthorizationFailed: ' "$T/denied.err" && echo yes)"
expect_eq "... the hint names the action, the scope and the roles" yes "$(grep 'hint:' "$T/denied.err" | grep 'roleAssignments/write' | grep "/subscriptions/$SUB" | grep -q 'User Access Administrator' && echo yes)"
expect_eq "... the request id is shown" yes "$(grep -q 'HTTP 403, request id ' "$T/denied.err" && echo yes)"
expect_eq "... nothing on stdout" 0 "$(wc -c <"$T/denied.out")"
expect_eq "a missing resource group: exit 3" 3 "$(rest missing --url "$SYNWIZ_SANDBOX_ARM/subscriptions/$SUB/resourceGroups/nope?api-version=2021-04-01")"
"$BIN" sandbox fault --route resourcegroups --status 503 --retry-after 0 --count 5 >/dev/null
expect_eq "503 on every attempt: exit 4" 4 "$(rest busy --url "$SYNWIZ_SANDBOX_ARM/subscriptions/$SUB/resourcegroups?api-version=2021-04-01")"
expect_eq "... after five attempts" 1 "$(grep -c 'giving up on GET .*resourcegroups.* after 5 attempts' "$LOG")"
"$BIN" sandbox fault --clear >/dev/null
expect_eq "a bad body is refused before sending: exit 2" 2 "$(rest badbody --method put --url "$RA" --body '{oops')"
expect_eq "an unknown host needs --scope: exit 2" 2 "$(rest nohost --url "https://example.invalid/x")"

echo "== an expired token is refreshed"
expect_eq "a call before" 0 "$(rest before --url "$ARM_URL")"
sandbox_control POST expire-tokens >/dev/null
expect_eq "the call after expire-tokens still succeeds" 0 "$(rest after --url "$ARM_URL")"
expect_eq "... after one refresh, as the log says" 1 "$(grep -c '401 from GET .*/subscriptions.*getting a new token' "$LOG")"

echo "== a linked service created as a long-running operation"
LS="$DEV/linkedservices/LakeFromRest?api-version=2020-12-01"
LSBODY='{"properties":{"type":"AzureBlobFS","typeProperties":{"url":"https://contosolake.dfs.core.windows.net"}}}'
expect_eq "PUT --wait: exit 0" 0 "$(rest lro --method put --wait --url "$LS" --body "$LSBODY")"
expect_eq "... the answer is the linked service read back" "LakeFromRest AzureBlobFS" "$(jget "$T/lro.out" j.name) $(jget "$T/lro.out" j.properties.type)"
expect_eq "... 202, polled until done, then read back" "1 1" "$(grep -c '202 PUT .*LakeFromRest' "$LOG") $(grep -c 'GET .*/operationResults/' "$LOG" | awk '{print ($1>0)}')"
"$BIN" sandbox fault --route linkedservices --fail-operation --count 1 >/dev/null
expect_eq "an operation that answers 200 {status: Failed}: exit 3" 3 "$(rest lrofail --method put --wait --url "$DEV/linkedservices/LakeBroken?api-version=2020-12-01" --body "$LSBODY")"
expect_eq "... reported as the operation's failure" yes "$(grep -q '^synwiz: OperationFailed: ' "$T/lrofail.err" && grep -q 'HTTP 200' "$T/lrofail.err" && echo yes)"
expect_eq "... and nothing was created" 3 "$(rest lsgone --url "$DEV/linkedservices/LakeBroken?api-version=2020-12-01")"

echo "== dry run"
expect_eq "a dry-run PUT: exit 0" 0 "$(rest dry --dry-run --method put --url "$DEV/linkedservices/DryLake?api-version=2020-12-01" --body "$LSBODY")"
expect_eq "... prints the call on stderr" yes "$(grep -q "^PUT $DEV/linkedservices/DryLake" "$T/dry.err" && echo yes)"
expect_eq "... and sent nothing" 3 "$(rest drygone --url "$DEV/linkedservices/DryLake?api-version=2020-12-01")"

echo "== TLS verification"
node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1])).profile; delete r.ca_bundle; r.name="no-ca"; require("fs").writeFileSync(process.argv[2], JSON.stringify(r))' "$SYNWIZ_SANDBOX_DIR/runtime.json" "$T/no-ca.json"
expect_eq "without the sandbox CA: exit 4" 4 "$(SYNWIZ_CLOUD="$T/no-ca.json" rest tls --url "$SYNWIZ_SANDBOX_AUTHORITY/$SYNWIZ_SANDBOX_TENANT/v2.0/.well-known/openid-configuration")"
expect_eq "... the hint says which CA files are trusted" yes "$(grep 'hint:' "$T/tls.err" | grep -q 'no extra CA file' && echo yes)"
expect_eq "... and it was not retried" 1 "$(grep -c 'openid-configuration (attempt' "$LOG")"
expect_eq "with it: exit 0" 0 "$(rest tlsok --url "$SYNWIZ_SANDBOX_AUTHORITY/$SYNWIZ_SANDBOX_TENANT/v2.0/.well-known/openid-configuration")"

no_secrets
test_done
