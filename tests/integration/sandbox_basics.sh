#!/bin/sh
# The sandbox with curl, as any client sees it (issue 2's must-show): tokens, 401/403 shapes,
# paging, faults, the device-code flow, managed identity, metastore states, a pipeline run
# writing its output CSV to Azurite (and one failing), a linked-service LRO with the
# 200-then-Failed trap, and request-body validation.
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init sandbox_basics
for t in curl node; do command -v $t >/dev/null 2>&1 || { echo "$t is missing"; exit 77; }; done
sandbox_load
sandbox_reset
T=$OUT/tmp
mkdir -p "$T"
CA=$SYNWIZ_SANDBOX_CA
AUTH=$SYNWIZ_SANDBOX_AUTHORITY
TEN=$SYNWIZ_SANDBOX_TENANT
SUB=$SYNWIZ_SANDBOX_SUBSCRIPTION
PORT=${AUTH##*:}
DEV="https://contoso-synapse.dev.sandbox.localhost:$PORT"
BLOBPORT=$(node -e 'process.stdout.write(String(JSON.parse(require("fs").readFileSync(process.argv[1])).ports.azurite))' "$SYNWIZ_SANDBOX_DIR/runtime.json")
RG="/subscriptions/$SUB/resourceGroups/rg-analytics"

# jq-like: jget FILE 'js expression on j'
jget() { node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); const v=('"$2"'); process.stdout.write(v===undefined?"":typeof v==="string"?v:JSON.stringify(v))' "$1"; }
# req METHOD URL [TOKEN] [JSON]: body to $T/body, headers to $T/hdr, prints the status
req() {
  curl -sS --cacert "$CA" -X "$1" -o "$T/body" -D "$T/hdr" -w '%{http_code}' \
    ${3:+-H "Authorization: Bearer $3"} ${4:+-H 'Content-Type: application/json' --data "$4"} "$2"
}
form() { curl -sS --cacert "$CA" -o "$T/body" -w '%{http_code}' --data "$2" "$AUTH/$TEN/oauth2/v2.0/$1"; }
token() { # token CLIENT SECRET SCOPE
  form token "grant_type=client_credentials&client_id=$1&client_secret=$2&scope=$3" >/dev/null && jget "$T/body" j.access_token
}
ctl() { sandbox_control "$@" >/dev/null; }

ARMTOK=$(token "$SYNWIZ_SANDBOX_CLIENT_ID" "$SYNWIZ_SANDBOX_CLIENT_SECRET" https://management.azure.com/.default)
SYNTOK=$(token "$SYNWIZ_SANDBOX_CLIENT_ID" "$SYNWIZ_SANDBOX_CLIENT_SECRET" https://dev.azuresynapse.net/.default)
STOTOK=$(token "$SYNWIZ_SANDBOX_CLIENT_ID" "$SYNWIZ_SANDBOX_CLIENT_SECRET" https://storage.azure.com/.default)
NOTOK=$(token "$SYNWIZ_SANDBOX_NOACCESS_CLIENT_ID" "$SYNWIZ_SANDBOX_NOACCESS_CLIENT_SECRET" https://management.azure.com/.default)

echo "== status and tokens"
check "synwiz sandbox status exits 0" "$BIN" sandbox status --dir "$SYNWIZ_SANDBOX_DIR"
"$BIN" sandbox start --dir "$SYNWIZ_SANDBOX_DIR" --ports auto --no-login >"$T/start.out" 2>&1
expect_eq "start again: exit 0, says it is already running" "0 yes" "$? $(grep -q 'already running' "$T/start.out" && echo yes)"
check_fails "status of a directory with no sandbox exits 1" "$BIN" sandbox status --dir "$T/none"
expect_eq "a client-credentials token is a 3-part JWT" 3 "$(echo "$ARMTOK" | awk -F. '{print NF}')"
expect_eq "openid-configuration names the token endpoint" "$AUTH/$TEN/oauth2/v2.0/token" "$(req GET "$AUTH/$TEN/v2.0/.well-known/openid-configuration" >/dev/null; jget "$T/body" j.token_endpoint)"
expect_eq "instance discovery describes the sandbox authority" "$AUTH/$TEN/v2.0/.well-known/openid-configuration" "$(req GET "$AUTH/common/discovery/instance?api-version=1.1&authorization_endpoint=$AUTH/$TEN/oauth2/v2.0/authorize" >/dev/null; jget "$T/body" j.tenant_discovery_endpoint)"
expect_eq "its issuer is the v1 form" "https://sts.windows.net/$TEN/" "$(node -e 'process.stdout.write(JSON.parse(Buffer.from(process.argv[1].split(".")[1],"base64url")).iss)' "$ARMTOK")"
expect_eq "subscriptions list with the token: 200" 200 "$(req GET "$SYNWIZ_SANDBOX_ARM/subscriptions?api-version=2022-12-01" "$ARMTOK")"
expect_eq "... lists Contoso Analytics" "Contoso Analytics" "$(jget "$T/body" 'j.value.map(s=>s.displayName).join()')"
expect_eq "wrong secret: 401" 401 "$(form token "grant_type=client_credentials&client_id=$SYNWIZ_SANDBOX_CLIENT_ID&client_secret=nope&scope=https://management.azure.com/.default")"
expect_eq "... AADSTS7000215" 7000215 "$(jget "$T/body" 'j.error_codes[0]')"
expect_eq "unknown app: 400 AADSTS700016" "400 700016" "$(form token "grant_type=client_credentials&client_id=$(cat /proc/sys/kernel/random/uuid)&client_secret=x&scope=https://management.azure.com/.default") $(jget "$T/body" 'j.error_codes[0]')"
expect_eq "unknown tenant: 400 AADSTS90002" "400 90002" "$(curl -sS --cacert "$CA" -o "$T/body" -w '%{http_code}' --data "grant_type=client_credentials&client_id=x&client_secret=y&scope=https://management.azure.com/.default" "$AUTH/$(cat /proc/sys/kernel/random/uuid)/oauth2/v2.0/token") $(jget "$T/body" 'j.error_codes[0]')"

# A client assertion signed with synwiz-cert's key but already expired: AADSTS700024.
ASSERT=$(node -e '
const fs=require("fs"),c=require("crypto");const pem=fs.readFileSync(process.argv[1],"utf8");
const x=new c.X509Certificate(pem);const key=c.createPrivateKey(pem);const now=Math.floor(Date.now()/1000)-3600;
const b=(o)=>Buffer.from(JSON.stringify(o)).toString("base64url");
const h=b({alg:"RS256",typ:"JWT",x5t:c.createHash("sha1").update(x.raw).digest("base64url")});
const p=b({aud:process.argv[2],iss:process.argv[3],sub:process.argv[3],jti:c.randomUUID(),nbf:now-600,exp:now});
process.stdout.write(h+"."+p+"."+c.sign("sha256",Buffer.from(h+"."+p),key).toString("base64url"))' \
  "$SYNWIZ_SANDBOX_CERT_PATH" "$AUTH/$TEN/oauth2/v2.0/token" "$SYNWIZ_SANDBOX_CERT_CLIENT_ID")
expect_eq "expired client assertion: 401 AADSTS700024" "401 700024" "$(form token "grant_type=client_credentials&client_id=$SYNWIZ_SANDBOX_CERT_CLIENT_ID&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=$ASSERT&scope=https://management.azure.com/.default") $(jget "$T/body" 'j.error_codes[0]')"

echo "== 401 and 403"
expect_eq "no token: 401" 401 "$(req GET "$SYNWIZ_SANDBOX_ARM/subscriptions?api-version=2022-12-01")"
check "... with WWW-Authenticate: Bearer authorization_uri=..., error=\"invalid_token\"" grep -qi '^WWW-Authenticate: Bearer authorization_uri="https://login.sandbox.localhost.*error="invalid_token"' "$T/hdr"
expect_eq "... and ARM's error body" AuthenticationFailed "$(jget "$T/body" j.error.code)"
expect_eq "a garbage token: 401 InvalidAuthenticationToken" "401 InvalidAuthenticationToken" "$(req GET "$SYNWIZ_SANDBOX_ARM/subscriptions?api-version=2022-12-01" "not.a.token") $(jget "$T/body" j.error.code)"
expect_eq "a storage token on ARM: 401 InvalidAuthenticationTokenAudience" "401 InvalidAuthenticationTokenAudience" "$(req GET "$SYNWIZ_SANDBOX_ARM/subscriptions?api-version=2022-12-01" "$STOTOK") $(jget "$T/body" j.error.code)"
expect_eq "synwiz-noaccess on a workspace: 403" 403 "$(req GET "$SYNWIZ_SANDBOX_ARM$RG/providers/Microsoft.Synapse/workspaces/contoso-synapse?api-version=2021-06-01" "$NOTOK")"
expect_eq "... AuthorizationFailed" AuthorizationFailed "$(jget "$T/body" j.error.code)"
check "... with Azure's message" grep -q "The client '$SYNWIZ_SANDBOX_NOACCESS_CLIENT_ID' with object id '[0-9a-f-]*' does not have authorization to perform action 'Microsoft.Synapse/workspaces/read' over scope '$RG/providers/Microsoft.Synapse/workspaces/contoso-synapse' or the scope is invalid. If access was recently granted, please refresh your credentials." "$T/body"

echo "== token lifetime"
ctl POST config '{"tokenLifetimeSeconds":1}'
SHORT=$(token "$SYNWIZ_SANDBOX_CLIENT_ID" "$SYNWIZ_SANDBOX_CLIENT_SECRET" https://management.azure.com/.default)
ctl POST config '{"tokenLifetimeSeconds":3600}'
sleep 1.1
expect_eq "a token past its exp: 401 ExpiredAuthenticationToken" "401 ExpiredAuthenticationToken" "$(req GET "$SYNWIZ_SANDBOX_ARM/subscriptions?api-version=2022-12-01" "$SHORT") $(jget "$T/body" j.error.code)"
NOOID=$(node -e 'process.stdout.write(JSON.parse(Buffer.from(process.argv[1].split(".")[1],"base64url")).oid)' "$NOTOK")
ctl POST config '{"propagationSeconds":2}'
RAID=$(cat /proc/sys/kernel/random/uuid)
RABODY='{"properties":{"roleDefinitionId":"/subscriptions/'$SUB'/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7","principalId":"'$NOOID'","principalType":"ServicePrincipal"}}'
WSURL="$SYNWIZ_SANDBOX_ARM$RG/providers/Microsoft.Synapse/workspaces/contoso-synapse?api-version=2021-06-01"
echo "== paging"
ctl POST config '{"pageSize":3}'
pages=0
url="$SYNWIZ_SANDBOX_ARM/subscriptions/$SUB/providers/Microsoft.Authorization/roleDefinitions?api-version=2022-04-01"
n=0
while [ -n "$url" ] && [ $pages -lt 20 ]; do
  req GET "$url" "$ARMTOK" >/dev/null
  n=$((n + $(jget "$T/body" j.value.length)))
  url=$(jget "$T/body" 'j.nextLink')
  pages=$((pages + 1))
done
expect_eq "role definitions in pages of 3: 4 pages" 4 "$pages"
expect_eq "... 10 definitions in all" 10 "$n"
ctl POST config '{"pageSize":100}'

echo "== faults"
check "fault: 429 with Retry-After, once" "$BIN" sandbox fault --dir "$SYNWIZ_SANDBOX_DIR" --route '^GET management\.sandbox\.localhost/subscriptions\?' --status 429 --retry-after 7 --count 1
expect_eq "... the call gets 429" 429 "$(req GET "$SYNWIZ_SANDBOX_ARM/subscriptions?api-version=2022-12-01" "$ARMTOK")"
check "... with Retry-After: 7" grep -qi '^Retry-After: 7' "$T/hdr"
expect_eq "... the next call gets 200" 200 "$(req GET "$SYNWIZ_SANDBOX_ARM/subscriptions?api-version=2022-12-01" "$ARMTOK")"
check "fault: connection reset" "$BIN" sandbox fault --dir "$SYNWIZ_SANDBOX_DIR" --route '^GET management\.sandbox\.localhost/tenants' --reset --count 1
check_fails "... curl sees the connection drop" curl -sS --cacert "$CA" -H "Authorization: Bearer $ARMTOK" "$SYNWIZ_SANDBOX_ARM/tenants?api-version=2022-12-01"
check "fault: 600 ms delay" "$BIN" sandbox fault --dir "$SYNWIZ_SANDBOX_DIR" --route '^GET management\.sandbox\.localhost/tenants' --delay-ms 600
ms=$(curl -sS --cacert "$CA" -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $ARMTOK" "$SYNWIZ_SANDBOX_ARM/tenants?api-version=2022-12-01" | awk '{print int($1*1000)}')
check "... the call takes >= 600 ms ($ms ms)" test "$ms" -ge 600
check "fault --clear" "$BIN" sandbox fault --dir "$SYNWIZ_SANDBOX_DIR" --clear
ms=$(curl -sS --cacert "$CA" -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $ARMTOK" "$SYNWIZ_SANDBOX_ARM/tenants?api-version=2022-12-01" | awk '{print int($1*1000)}')
check "... and the delay is gone ($ms ms)" test "$ms" -lt 600
check_fails "fault with a bad option is refused" "$BIN" sandbox fault --dir "$SYNWIZ_SANDBOX_DIR" --route x --status abc

echo "== device code"
dcflow() { form devicecode "client_id=$SYNWIZ_SANDBOX_USER_CLIENT_ID&scope=https%3A%2F%2Fmanagement.azure.com%2F.default%20offline_access%20openid" >/dev/null; }
poll() { form token "grant_type=urn:ietf:params:oauth:grant-type:device_code&client_id=$SYNWIZ_SANDBOX_USER_CLIENT_ID&device_code=$1" >/dev/null; jget "$T/body" 'j.error||"ok"'; }
dcflow
DC=$(jget "$T/body" j.device_code)
UC=$(jget "$T/body" j.user_code)
expect_eq "devicecode gives a user code and interval" "yes" "$([ -n "$UC" ] && [ "$(jget "$T/body" j.interval)" -ge 1 ] && echo yes)"
expect_eq "first poll: authorization_pending" authorization_pending "$(poll "$DC")"
expect_eq "polling again at once: slow_down" slow_down "$(poll "$DC")"
check "synwiz sandbox approve CODE" "$BIN" sandbox approve --dir "$SYNWIZ_SANDBOX_DIR" "$UC"
sleep 1.1
expect_eq "after approval: a token" ok "$(poll "$DC")"
RT=$(jget "$T/body" j.refresh_token)
USERTOK=$(jget "$T/body" j.access_token)
expect_eq "... for the demo user" "$SYNWIZ_SANDBOX_USER_NAME" "$(jget "$T/body" 'JSON.parse(Buffer.from(j.access_token.split(".")[1],"base64url")).upn')"
expect_eq "the device code is now spent: expired_token" expired_token "$(poll "$DC")"
form token "grant_type=refresh_token&client_id=$SYNWIZ_SANDBOX_USER_CLIENT_ID&refresh_token=$RT&scope=https%3A%2F%2Fdev.azuresynapse.net%2F.default%20offline_access" >/dev/null
expect_eq "refresh_token grant for Synapse: audience" "https://dev.azuresynapse.net" "$(jget "$T/body" 'JSON.parse(Buffer.from(j.access_token.split(".")[1],"base64url")).aud')"
RT2=$(jget "$T/body" j.refresh_token)
check "... and a new (rotated) refresh token" test -n "$RT2" -a "$RT2" != "$RT"
dcflow
DC=$(jget "$T/body" j.device_code)
UC=$(jget "$T/body" j.user_code)
ctl POST devicecode/decline "{\"user_code\":\"$UC\"}"
expect_eq "declined: authorization_declined" authorization_declined "$(poll "$DC")"
ctl POST config '{"deviceCodeLifetimeSeconds":1}'
dcflow
DC=$(jget "$T/body" j.device_code)
sleep 1.2
expect_eq "expired: expired_token" expired_token "$(poll "$DC")"
ctl POST config '{"deviceCodeLifetimeSeconds":900}'
expect_eq "unknown device code: bad_verification_code" bad_verification_code "$(poll nope)"

echo "== role propagation delay"
expect_eq "Dana grants synwiz-noaccess Reader on rg-analytics: 201" 201 "$(req PUT "$SYNWIZ_SANDBOX_ARM$RG/providers/Microsoft.Authorization/roleAssignments/$RAID?api-version=2022-04-01" "$USERTOK" "$RABODY")"
expect_eq "... it is listed at once" "$RAID" "$(req GET "$SYNWIZ_SANDBOX_ARM$RG/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&%24filter=principalId%20eq%20%27$NOOID%27" "$USERTOK" >/dev/null; jget "$T/body" 'j.value.map(r=>r.name).join()')"
expect_eq "... but not in effect yet: 403" 403 "$(req GET "$WSURL" "$NOTOK")"
sleep 2.1
expect_eq "... in effect after the propagation delay: 200" 200 "$(req GET "$WSURL" "$NOTOK")"
expect_eq "... delete it: 200" 200 "$(req DELETE "$SYNWIZ_SANDBOX_ARM$RG/providers/Microsoft.Authorization/roleAssignments/$RAID?api-version=2022-04-01" "$USERTOK")"
expect_eq "... and again: 204" 204 "$(req DELETE "$SYNWIZ_SANDBOX_ARM$RG/providers/Microsoft.Authorization/roleAssignments/$RAID?api-version=2022-04-01" "$USERTOK")"
ctl POST config '{"propagationSeconds":0}'

echo "== managed identity"
expect_eq "IMDS without Metadata: true: 400" 400 "$(req GET "$SYNWIZ_SANDBOX_IMDS_ENDPOINT?api-version=2018-02-01&resource=https://management.azure.com/")"
code=$(curl -sS --cacert "$CA" -o "$T/body" -w '%{http_code}' -H 'Metadata: true' "$SYNWIZ_SANDBOX_IMDS_ENDPOINT?api-version=2018-02-01&resource=https://storage.azure.com/")
expect_eq "IMDS: 200 with expires_in as a string" "200 string" "$code $(jget "$T/body" 'typeof j.expires_in')"
code=$(curl -sS --cacert "$CA" -o "$T/body" -w '%{http_code}' -H "X-IDENTITY-HEADER: $SYNWIZ_SANDBOX_IDENTITY_HEADER" "$SYNWIZ_SANDBOX_IDENTITY_ENDPOINT?api-version=2019-08-01&resource=https://management.azure.com&client_id=$SYNWIZ_SANDBOX_MI_CLIENT_ID")
expect_eq "IDENTITY_ENDPOINT with the header: 200 for synwiz-vm-identity" "200 $SYNWIZ_SANDBOX_MI_CLIENT_ID" "$code $(jget "$T/body" j.client_id)"
expect_eq "IDENTITY_ENDPOINT with a wrong header: 401" 401 "$(curl -sS --cacert "$CA" -o /dev/null -w '%{http_code}' -H 'X-IDENTITY-HEADER: wrong' "$SYNWIZ_SANDBOX_IDENTITY_ENDPOINT?api-version=2019-08-01&resource=https://management.azure.com")"

echo "== metastore"
MS="$DEV/metastore"
AV="api-version=2021-07-01-preview"
LAKE="https://contosolake.dfs.sandbox.localhost:$BLOBPORT/customerinsights"
ctl POST config '{"operationMs":1000}'
# The metastore makes a database from a CDM folder: a model.json naming Customer.csv.
node -e '
const fs = require("fs"); const [out, data, lake] = process.argv.slice(1);
const cols = fs.readFileSync(`${data}/Customer.csv`, "utf8").split("\r\n")[0].split(",");
fs.writeFileSync(out, JSON.stringify({ name: "basics", version: "1.0", entities: [{ $type: "LocalEntity",
  name: "Customer", attributes: cols.map((c) => ({ name: c, dataType: "string" })),
  partitions: [{ name: "Customer_1", location: `${lake}/source/Customer/Customer.csv`,
    fileFormatSettings: { $type: "CsvFormatSettings", columnHeaders: true } }] }] }));
' "$T/model.json" "$SYNWIZ_SANDBOX_DIR/data" "$LAKE"
expect_eq "a CDM folder's model.json uploaded" 201 "$(curl -sS --cacert "$CA" -o /dev/null -w '%{http_code}' -X PUT -H "Authorization: Bearer $STOTOK" -H 'x-ms-version: 2021-12-02' -H 'x-ms-blob-type: BlockBlob' --data-binary "@$T/model.json" "https://contosolake.blob.sandbox.localhost:$BLOBPORT/customerinsights/basics/cdm/model.json")"
expect_eq "create-database-operations: 201 Running" "201 Running" "$(req PUT "$MS/create-database-operations/basicsdb?$AV" "$SYNTOK" "{\"inputFolder\":\"$LAKE/basics/cdm/\"}") $(jget "$T/body" j.status)"
req GET "$MS/create-database-operations/basicsdb?$AV" "$SYNTOK" >/dev/null
expect_eq "... GET: Creating" Creating "$(jget "$T/body" j.status)"
sleep 1.2
req GET "$MS/create-database-operations/basicsdb?$AV" "$SYNTOK" >/dev/null
expect_eq "... then Created" Created "$(jget "$T/body" j.status)"
req PUT "$MS/create-database-operations/emptydb?$AV" "$SYNTOK" "{\"inputFolder\":\"$LAKE/nothing/here/\"}" >/dev/null
sleep 1.2
req GET "$MS/create-database-operations/emptydb?$AV" "$SYNTOK" >/dev/null
expect_eq "an input folder without blobs: Failed" Failed "$(jget "$T/body" j.status)"
expect_eq "a name that is not alphanumeric: 400" 400 "$(req PUT "$MS/create-database-operations/bad-name?$AV" "$SYNTOK" "{\"inputFolder\":\"$LAKE/source/\"}")"
expect_eq "a name longer than 24: 400" 400 "$(req PUT "$MS/create-database-operations/abcdefghijklmnopqrstuvwxy?$AV" "$SYNTOK" "{\"inputFolder\":\"$LAKE/source/\"}")"
expect_eq "update-database-operations: 201" 201 "$(req PUT "$MS/update-database-operations/basicsdb?$AV" "$SYNTOK" "{\"inputFolder\":\"$LAKE/basics/cdm/\"}")"
expect_eq "DELETE databases/basicsdb: 204" 204 "$(req DELETE "$MS/databases/basicsdb?$AV" "$SYNTOK")"

echo "== pipeline runs"
# Each step of a run lasts 2 s here, so that the first read lands while the run is still
# Queued even on a loaded machine (at 600 ms, a slow jget + curl once read InProgress).
ctl POST config '{"pipelineStepMs":2000}'
SRCU="abfss://customerinsights@contosolake.dfs.sandbox.localhost/source"
OUTP="basics/$(date +%s)/churn.csv"
expect_eq "createRun ScoreCustomerChurn: 202" 202 "$(req POST "$DEV/pipelines/ScoreCustomerChurn/createRun?api-version=2020-12-01" "$SYNTOK" "{\"Customer\":\"$SRCU/Customer/Customer.csv\",\"Orders\":\"$SRCU/Orders/Orders.csv\",\"output_path\":\"$OUTP\"}")"
RUN=$(jget "$T/body" j.runId)
req GET "$DEV/pipelineruns/$RUN?api-version=2020-12-01" "$SYNTOK" >/dev/null
expect_eq "... the run starts Queued" Queued "$(jget "$T/body" j.status)"
ctl POST config '{"pipelineStepMs":600}'
st=""
for i in $(seq 100); do
  req GET "$DEV/pipelineruns/$RUN?api-version=2020-12-01" "$SYNTOK" >/dev/null
  st=$(jget "$T/body" j.status)
  case $st in Succeeded | Failed) break ;; esac
  sleep 0.1
done
expect_eq "... and ends Succeeded" Succeeded "$st"
code=$(curl -sS --cacert "$CA" -o "$T/out.csv" -w '%{http_code}' -H "Authorization: Bearer $STOTOK" -H 'x-ms-version: 2021-12-02' "https://contosolake.blob.sandbox.localhost:$BLOBPORT/customerinsights/$OUTP")
expect_eq "the output CSV is in Azurite (bearer token)" 200 "$code"
expect_eq "... with the declared header" "CustomerId,ChurnScore,ChurnRisk" "$(head -n 1 "$T/out.csv" | tr -d '\r')"
expect_eq "... and one row per customer" 2001 "$(wc -l <"$T/out.csv" | tr -d ' ')"
req POST "$DEV/pipelines/ScoreCustomerChurn/createRun?api-version=2020-12-01" "$SYNTOK" "{\"Customer\":\"$SRCU/Orders/Orders.csv\",\"Orders\":\"$SRCU/Orders/Orders.csv\"}" >/dev/null
RUN2=$(jget "$T/body" j.runId)
for i in $(seq 100); do
  req GET "$DEV/pipelineruns/$RUN2?api-version=2020-12-01" "$SYNTOK" >/dev/null
  st=$(jget "$T/body" j.status)
  case $st in Succeeded | Failed) break ;; esac
  sleep 0.1
done
expect_eq "a run whose Customer input lacks columns: Failed" Failed "$st"
check "... saying which columns are missing" grep -q "lacks the declared column(s) 'TenureMonths', 'LoyaltyTier', 'SignupDate'" "$T/body"
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
req POST "$DEV/pipelines/ScoreCustomerChurn/pipelineruns/$RUN2/queryActivityruns?api-version=2020-12-01" "$SYNTOK" "{\"lastUpdatedAfter\":\"2020-01-01T00:00:00Z\",\"lastUpdatedBefore\":\"2099-01-01T00:00:00Z\"}" >/dev/null
expect_eq "queryActivityruns: CheckInputs Failed" "CheckInputs:Failed" "$(jget "$T/body" 'j.value.map(a=>a.activityName+":"+a.status).join()')"
check "fault --fail-operation on createRun" "$BIN" sandbox fault --dir "$SYNWIZ_SANDBOX_DIR" --route '^POST contoso-synapse\.dev\.sandbox\.localhost/pipelines/ScoreCustomerChurn/createRun' --fail-operation --count 1
req POST "$DEV/pipelines/ScoreCustomerChurn/createRun?api-version=2020-12-01" "$SYNTOK" "{\"Customer\":\"$SRCU/Customer/Customer.csv\",\"Orders\":\"$SRCU/Orders/Orders.csv\"}" >/dev/null
RUN3=$(jget "$T/body" j.runId)
for i in $(seq 100); do
  req GET "$DEV/pipelineruns/$RUN3?api-version=2020-12-01" "$SYNTOK" >/dev/null
  st=$(jget "$T/body" j.status)
  case $st in Succeeded | Failed) break ;; esac
  sleep 0.1
done
expect_eq "... the run fails" Failed "$st"
expect_eq "createRun with an undeclared parameter: 400" 400 "$(req POST "$DEV/pipelines/ScoreCustomerChurn/createRun?api-version=2020-12-01" "$SYNTOK" '{"Nope":"x"}')"

echo "== linked service LRO and the 200-then-Failed trap"
ctl POST config '{"operationMs":1000}'
LS='{"properties":{"type":"AzureMLService","typeProperties":{"subscriptionId":"'$SUB'","resourceGroupName":"rg-ml","mlWorkspaceName":"contoso-ml","servicePrincipalId":"'$SYNWIZ_SANDBOX_CLIENT_ID'","servicePrincipalKey":{"type":"SecureString","value":"basics-secret-value"},"tenant":"'$TEN'"}}}'
expect_eq "PUT linked service: 202" 202 "$(req PUT "$DEV/linkedservices/BasicsML?api-version=2020-12-01" "$SYNTOK" "$LS")"
LOC=$(sed -n 's/^[Ll]ocation: *//p' "$T/hdr" | tr -d '\r')
check "... with Location .../operationResults/{id}" test -n "$(echo "$LOC" | grep '/operationResults/')"
expect_eq "... polling at once: 202" 202 "$(req GET "$LOC" "$SYNTOK")"
sleep 1.2
expect_eq "... then 200 with the linked service" "200 BasicsML" "$(req GET "$LOC" "$SYNTOK") $(jget "$T/body" j.name)"
req GET "$DEV/linkedservices/BasicsML?api-version=2020-12-01" "$SYNTOK" >/dev/null
expect_eq "GET masks the SecureString" "**********" "$(jget "$T/body" j.properties.typeProperties.servicePrincipalKey.value)"
check "fault --fail-operation on linked services" "$BIN" sandbox fault --dir "$SYNWIZ_SANDBOX_DIR" --route '^PUT contoso-synapse\.dev\.sandbox\.localhost/linkedservices/' --fail-operation --count 1
req PUT "$DEV/linkedservices/BasicsTrap?api-version=2020-12-01" "$SYNTOK" "$LS" >/dev/null
LOC=$(sed -n 's/^[Ll]ocation: *//p' "$T/hdr" | tr -d '\r')
sleep 1.2
expect_eq "the operation answers 200 ..." 200 "$(req GET "$LOC" "$SYNTOK")"
expect_eq "... with status Failed in the body" Failed "$(jget "$T/body" j.status)"
expect_eq "... and nothing was created" 404 "$(req GET "$DEV/linkedservices/BasicsTrap?api-version=2020-12-01" "$SYNTOK")"

echo "== request bodies are checked"
expect_eq "role assignment (by Dana, Owner) with a bad principalId: 400" 400 "$(req PUT "$SYNWIZ_SANDBOX_ARM$RG/providers/Microsoft.Authorization/roleAssignments/$(cat /proc/sys/kernel/random/uuid)?api-version=2022-04-01" "$USERTOK" '{"properties":{"roleDefinitionId":"/subscriptions/'$SUB'/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7","principalId":"not-a-guid"}}')"
check "... naming properties.principalId" grep -q "properties.principalId" "$T/body"
expect_eq "AzureMLService with an unknown typeProperty: 400" 400 "$(req PUT "$DEV/linkedservices/BadML?api-version=2020-12-01" "$SYNTOK" '{"properties":{"type":"AzureMLService","typeProperties":{"subscriptionId":"a","resourceGroupName":"b","mlWorkspaceName":"c","azureCloudType":"AzurePublic"}}}')"
check "... naming typeProperties.azureCloudType" grep -q "properties.typeProperties.azureCloudType" "$T/body"
expect_eq "a pipeline without properties: 400" 400 "$(req PUT "$DEV/pipelines/NoProps?api-version=2020-12-01" "$SYNTOK" '{"name":"NoProps"}')"
expect_eq "RunFilterParameters without lastUpdatedBefore: 400" 400 "$(req POST "$DEV/queryPipelineRuns?api-version=2020-12-01" "$SYNTOK" '{"lastUpdatedAfter":"2025-01-01T00:00:00Z"}')"
expect_eq "container create with a bad publicAccess: 400" 400 "$(req PUT "$SYNWIZ_SANDBOX_ARM$RG/providers/Microsoft.Storage/storageAccounts/contosolake/blobServices/default/containers/basics?api-version=2023-05-01" "$ARMTOK" '{"properties":{"publicAccess":"Everyone"}}')"

echo "== state and secrets"
"$BIN" sandbox state --dir "$SYNWIZ_SANDBOX_DIR" >"$T/state.json"
check "synwiz sandbox state dumps the state" grep -q '"BasicsML"' "$T/state.json"
check_fails "... with the linked service secret masked" grep -q "basics-secret-value" "$T/state.json"
check "synwiz sandbox secrets lists the issued tokens" sh -c "'$BIN' sandbox secrets --dir '$SYNWIZ_SANDBOX_DIR' | grep -qF -- '$ARMTOK'"
check "synwiz sandbox reset" "$BIN" sandbox reset --dir "$SYNWIZ_SANDBOX_DIR"
expect_eq "... the linked service made since is gone" 404 "$(req GET "$DEV/linkedservices/BasicsML?api-version=2020-12-01" "$SYNTOK")"
expect_eq "... the seeded pipelines are back" 200 "$(req GET "$DEV/pipelines/ScoreBroken?api-version=2020-12-01" "$SYNTOK")"

assert_no_secrets "$SYNWIZ_SANDBOX_DIR/server.log" "$SYNWIZ_SANDBOX_DIR/azurite.log" "$T/state.json"
test_done
