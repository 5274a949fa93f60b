#!/bin/sh
# The Azure ML linked-service wizard without screens (issue 6), on the sandbox as Dana:
# a service-principal run from --answers with the secret in an environment variable (the
# sandbox then holds exactly API.md D.3's properties); a wrong secret (exit 3, the
# wrong-secret message); a non-GUID application id and an object id given as the
# application id, refused at the field (exit 2, field and rule named, the application id to
# use); the workspace with data exfiltration protection and the self-hosted runtime refused
# with the documented reasons; the 200-then-Failed create reported and not saved; a dry run
# that changes nothing; linked-service list|show|remove; and the secret in no log, record,
# store, draft or capture.
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init ls_answers
for t in curl node; do command -v $t >/dev/null 2>&1 || { echo "$t is missing"; exit 77; }; done
sandbox_load
sandbox_reset
# Synapse operations end after 300 ms (the default 1 s only makes the test wait).
sandbox_control POST config '{"operationMs": 300}' >/dev/null
T=$OUT/captures
mkdir -p "$T"
LOG=$OUT/state/synwiz/synwiz.log
export SYNWIZ_CLOUD=sandbox
SECRET=$SYNWIZ_SANDBOX_CLIENT_SECRET
jget() { node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); const v=('"$2"'); process.stdout.write(v===undefined||v===null?"":typeof v==="string"?v:JSON.stringify(v))' "$1"; }
state() { "$BIN" sandbox state --dir "$SYNWIZ_SANDBOX_DIR" >"$T/state.json"; }
ls_of() { state; jget "$T/state.json" "JSON.stringify((j.workspaces.find(w=>w.name==='$1').linkedServices.find(l=>l.name==='$2')||{}).properties||null)"; }
new() { # new NAME ANSWERS-FILE [ARGS...]: stdout/stderr to $T/NAME.out/.err; prints the exit code
  name=$1 file=$2
  shift 2
  "$BIN" linked-service new --answers "$file" --non-interactive "$@" >"$T/$name.out" 2>"$T/$name.err"
  echo $?
}
answers() { # answers FILE CLIENT_ID [NAME] [WORKSPACE] [EXTRA JSON MEMBERS]
  cat >"$1" <<EOF
{ "subscription": "Contoso Analytics", "workspace": "${4:-contoso-synapse}", "name": "${3:-AzureMLService2}",
  "ml_subscription": "Contoso Analytics", "ml_workspace": "contoso-ml",
  "authentication": "service_principal", "client_id": "$2",
  "secret": { "env": "SP_SECRET" }, "tenant": "contoso.onmicrosoft.com"${5:+, $5} }
EOF
}

# Dana signs in (sandbox start on a running sandbox signs the demo user in, in this HOME).
"$BIN" sandbox start --dir "$SYNWIZ_SANDBOX_DIR" >"$T/signin.out" 2>&1
expect_eq "Dana is signed in" yes "$(grep -q 'Signed in to the sandbox as Dana Demo' "$T/signin.out" && echo yes)"

echo "== a service principal from --answers, the secret from the environment"
answers "$OUT/sp.json" "$SYNWIZ_SANDBOX_CLIENT_ID"
export SP_SECRET="$SECRET"
expect_eq "saved: exit 0" 0 "$(new sp "$OUT/sp.json" --record "$OUT/sp-record.json")"
expect_eq "... the test signed in as the principal and read the workspace" yes "$(grep -q 'signs in and reads contoso-ml' "$T/sp.out" && grep -q 'Signed in to tenant contoso.onmicrosoft.com' "$T/sp.out" && echo yes)"
expect_eq "... the sandbox holds exactly API.md D.3's properties (key masked by Synapse)" \
  "{\"type\":\"AzureMLService\",\"typeProperties\":{\"subscriptionId\":\"$SYNWIZ_SANDBOX_SUBSCRIPTION\",\"resourceGroupName\":\"rg-ml\",\"mlWorkspaceName\":\"contoso-ml\",\"servicePrincipalId\":\"$SYNWIZ_SANDBOX_CLIENT_ID\",\"servicePrincipalKey\":{\"type\":\"SecureString\",\"value\":\"**********\"},\"tenant\":\"contoso.onmicrosoft.com\"}}" \
  "$(ls_of contoso-synapse AzureMLService2)"
expect_eq "... the one-off token went to no cache (tokens.json has no entry for the principal)" no \
  "$(grep -q "$SYNWIZ_SANDBOX_CLIENT_ID" "$OUT/state/synwiz/tokens.json" && echo yes || echo no)"
expect_eq "... the record names the secret by its variable" '{"env":"SP_SECRET"}' "$(jget "$OUT/sp-record.json" j.secret)"

echo "== a wrong secret"
answers "$OUT/bad.json" "$SYNWIZ_SANDBOX_CLIENT_ID" AzureMLService3
expect_eq "refused: exit 3" 3 "$(SP_SECRET=not-the-secret-at-all new bad "$OUT/bad.json")"
expect_eq "... the wrong-secret message, with Entra's code" "yes yes" "$(grep -q 'The client secret is wrong' "$T/bad.out" && echo yes) $(grep -q 'AADSTS7000215' "$T/bad.out" && echo yes)"
expect_eq "... and what to do" yes "$(grep -q "Give the secret's Value (not its Secret ID)" "$T/bad.out" && echo yes)"
expect_eq "... nothing created" "null" "$(ls_of contoso-synapse AzureMLService3)"

echo "== the application id field"
answers "$OUT/name.json" "synwiz-automation" AzureMLService3
expect_eq "a name instead of a GUID: exit 2" 2 "$(new name "$OUT/name.json")"
expect_eq "... naming the field and the rule" yes "$(grep -q '^  client_id: Must be the application (client) ID, a GUID.*(rule: application_id)$' "$T/name.err" && echo yes)"
answers "$OUT/oid.json" "$SYNWIZ_SANDBOX_CLIENT_OBJECT_ID" AzureMLService3
expect_eq "the service principal's object id: exit 2" 2 "$(new oid "$OUT/oid.json")"
expect_eq "... named as such, with the application id to use" yes "$(grep -q "client_id: $SYNWIZ_SANDBOX_CLIENT_OBJECT_ID is the object id of the service principal 'synwiz-automation', not an application (client) id: give its application id $SYNWIZ_SANDBOX_CLIENT_ID. (rule: application_id_not_object_id)" "$T/oid.err" && echo yes)"
APPOBJ=$(node -e 'const t=JSON.parse(require("fs").readFileSync(process.argv[1]));process.stdout.write(t.applications.find(a=>a.name==="synwiz-automation").applicationObjectId)' "$SRC/sandbox/seed/tenant.json")
answers "$OUT/appobj.json" "$APPOBJ" AzureMLService3
expect_eq "the app registration's object id: exit 2, named too" "2 yes" "$(new appobj "$OUT/appobj.json") $(grep -q "is the object id of the app registration 'synwiz-automation'.*$SYNWIZ_SANDBOX_CLIENT_ID" "$T/appobj.err" && echo yes)"

echo "== the documented limitations"
cat >"$OUT/dep.json" <<EOF
{ "subscription": "Contoso Analytics", "workspace": "contoso-synapse-dep", "name": "AzureMLDep",
  "ml_subscription": "Contoso Analytics", "ml_workspace": "contoso-ml" }
EOF
expect_eq "data exfiltration protection: exit 2" 2 "$(new dep "$OUT/dep.json")"
expect_eq "... refused at the workspace with the quickstart's reason" yes "$(grep -q 'workspace: "contoso-synapse-dep" cannot be used: The Azure Machine Learning integration is not currently supported in Synapse Workspaces with Data Exfiltration Protection' "$T/dep.err" && echo yes)"
cat >"$OUT/shir.json" <<EOF
{ "subscription": "Contoso Analytics", "workspace": "contoso-synapse-shir", "name": "AzureMLShir",
  "ml_subscription": "Contoso Analytics", "ml_workspace": "contoso-ml",
  "integration_runtime": "OnPremisesIR" }
EOF
expect_eq "a self-hosted integration runtime: exit 2" 2 "$(new shir "$OUT/shir.json")"
expect_eq "... refused with the quickstart's reason" yes "$(grep -q 'integration_runtime: "OnPremisesIR" cannot be used: AzureML linked service is not supported with self hosted integration runtimes. This applies to Synapse workspaces with and without Data Exfiltration Protection.' "$T/shir.err" && echo yes)"

echo "== a create that fails after a 200"
"$BIN" sandbox fault --dir "$SYNWIZ_SANDBOX_DIR" --route '^PUT contoso-synapse\.dev\.sandbox\.localhost/linkedservices/' --fail-operation --count 1 >/dev/null
answers "$OUT/trap.json" "$SYNWIZ_SANDBOX_CLIENT_ID" AzureMLTrap
expect_eq "reported as failed: exit 3" 3 "$(new trap "$OUT/trap.json")"
expect_eq "... with Synapse's words" "yes yes" "$(grep -q 'Synapse reported that creating the linked service failed' "$T/trap.out" && echo yes) $(grep -q 'OperationFailed' "$T/trap.out" && echo yes)"
expect_eq "... not in the sandbox" null "$(ls_of contoso-synapse AzureMLTrap)"
"$BIN" linked-service list --workspace contoso-synapse --output json >"$T/list-trap.json" 2>&1
expect_eq "... not in the store (list shows only the saved one, recorded)" "AzureMLService2:true" "$(jget "$T/list-trap.json" 'j.value.map(v=>v.name+":"+(v.recorded!==null)).join()')"

echo "== a dry run"
answers "$OUT/dry.json" "$SYNWIZ_SANDBOX_CLIENT_ID" AzureMLDry
expect_eq "dry run: exit 0" 0 "$(new dry "$OUT/dry.json" --dry-run)"
expect_eq "... the PUT is listed with the secret redacted" "yes no" "$(grep -q 'PUT https://contoso-synapse.dev.sandbox.localhost:[0-9]*/linkedservices/AzureMLDry?api-version=2020-12-01' "$T/dry.out" && echo yes) $(grep -qF -- "$SECRET" "$T/dry.out" && echo yes || echo no)"
expect_eq "... nothing created" null "$(ls_of contoso-synapse AzureMLDry)"

echo "== list, show, remove"
"$BIN" linked-service list --workspace contoso-synapse >"$T/list.out" 2>&1
expect_eq "list: the Azure ML linked service, recorded" yes "$(grep -q '^AzureMLService2 .*contoso-ml .*ServicePrincipal .*AutoResolveIntegrationRuntime *yes$' "$T/list.out" && echo yes)"
expect_eq "... not the workspace's storage" no "$(grep -q WorkspaceDefaultStorage "$T/list.out" && echo yes || echo no)"
"$BIN" linked-service show AzureMLService2 --workspace contoso-synapse --output json >"$T/show.json" 2>&1
expect_eq "show --output json" "ServicePrincipal $SYNWIZ_SANDBOX_CLIENT_ID SecureString AzureMLService2" "$(jget "$T/show.json" '[j.authentication,j.servicePrincipalId,j.servicePrincipalKey.type,j.recorded.name].join(" ")')"
"$BIN" linked-service show contoso-synapse-WorkspaceDefaultStorage --workspace contoso-synapse >"$T/show-other.out" 2>&1
expect_eq "show of another type: exit 2" 2 "$?"
"$BIN" linked-service show Nope --workspace contoso-synapse >"$T/show-none.out" 2>&1
expect_eq "show of an unknown name: exit 3 with Synapse's code" "3 yes" "$? $(grep -q LinkedServiceNotFound "$T/show-none.out" && echo yes)"
"$BIN" linked-service remove AzureMLService2 --workspace contoso-synapse --yes >"$T/remove.out" 2>&1
expect_eq "remove: exit 0, record removed too" "0 yes" "$? $(grep -q 'and its record from the store' "$T/remove.out" && echo yes)"
expect_eq "... gone from the sandbox" null "$(ls_of contoso-synapse AzureMLService2)"
"$BIN" linked-service list --workspace contoso-synapse --output json >"$T/list2.json" 2>&1
expect_eq "... and from the list" 0 "$(jget "$T/list2.json" j.value.length)"
"$BIN" linked-service list --workspace no-such-workspace >"$T/list3.out" 2>&1
expect_eq "an unknown workspace: exit 2" 2 "$?"

echo "== an Azure Key Vault secret reference"
PORT=${SYNWIZ_SANDBOX_AUTHORITY##*:}
"$BIN" rest --method put --wait --url "https://contoso-synapse.dev.sandbox.localhost:$PORT/linkedservices/Vault1?api-version=2020-12-01" \
  --body '{"properties":{"type":"AzureKeyVault","typeProperties":{"baseUrl":"https://contoso-kv.vault.azure.net/"}}}' >"$T/vault.out" 2>&1
expect_eq "an Azure Key Vault linked service to refer to" 0 "$?"
answers "$OUT/kv.json" "$SYNWIZ_SANDBOX_CLIENT_ID" AzureMLKv contoso-synapse '"secret_source": "key_vault", "key_vault_linked_service": "Vault1", "secret_name": "ml-sp-secret"'
expect_eq "saved: exit 0" 0 "$(SP_SECRET= new kv "$OUT/kv.json")"
expect_eq "... the test checked the vault's linked service and the principal's role" "yes yes" "$(grep -q 'The Key Vault linked service Vault1 exists' "$T/kv.out" && echo yes) $(grep -q "Service principal $SYNWIZ_SANDBOX_CLIENT_ID holds Contributor on contoso-ml" "$T/kv.out" && echo yes)"
expect_eq "... the key is the reference" '{"type":"AzureKeyVaultSecret","store":{"referenceName":"Vault1","type":"LinkedServiceReference"},"secretName":"ml-sp-secret"}' \
  "$(ls_of contoso-synapse AzureMLKv | node -e 'process.stdout.write(JSON.stringify(JSON.parse(require("fs").readFileSync(0)).typeProperties.servicePrincipalKey))')"
# Removed behind synwiz's back (as in Synapse Studio): `remove` then removes its record.
"$BIN" rest --method delete --wait --url "https://contoso-synapse.dev.sandbox.localhost:$PORT/linkedservices/AzureMLKv?api-version=2020-12-01" \
  >"$T/kv-delete.out" 2>&1
expect_eq "removed outside synwiz" "0 null" "$? $(ls_of contoso-synapse AzureMLKv)"
"$BIN" linked-service remove AzureMLKv --workspace contoso-synapse --dry-run >"$T/remove-kv-dry.out" 2>&1
expect_eq "remove --dry-run of the stale one: exit 0, says what it would do" "0 yes" \
  "$? $(grep -q 'its store record would be removed' "$T/remove-kv-dry.out" && echo yes)"
"$BIN" linked-service remove AzureMLKv --workspace contoso-synapse --yes >"$T/remove-kv.out" 2>&1
expect_eq "remove then removes its stale record: exit 0, saying so" "0 yes" \
  "$? $(grep -q 'was no longer in contoso-synapse (removed outside synwiz); removed its record' "$T/remove-kv.out" && echo yes)"
"$BIN" linked-service remove AzureMLKv --workspace contoso-synapse --yes >"$T/remove-kv2.out" 2>&1
expect_eq "... once: again, Synapse's not-found (exit 3)" "3 yes" \
  "$? $(grep -q LinkedServiceNotFound "$T/remove-kv2.out" && echo yes)"

echo "== no secret anywhere"
# (tokens.json, the 0600 token cache, is where tokens belong: Dana's, never the principal's)
mkdir -p "$OUT/state/synwiz/drafts"
assert_no_secrets "$LOG" "$OUT/config" "$OUT/state/synwiz/drafts" "$T" "$OUT"/*.json
expect_eq "the secret itself is in no file of this test" "" "$(grep -rlF -- "$SECRET" "$OUT" 2>/dev/null)"
test_done
