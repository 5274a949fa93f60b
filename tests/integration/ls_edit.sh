#!/bin/sh
# Editing a saved Azure ML linked service without screens (`synwiz linked-service edit NAME
# --workspace WS`), on the sandbox as Dana: a managed-identity linked service saved from
# answers is edited headless: unchanged, then to a service principal (the secret from the
# environment), then to a Key Vault reference; each Save updates the same linked service in
# Synapse (the sandbox holds the new properties, no second one) and the same store record
# (its revision goes up). Edit mode starts from what Synapse holds: the answers it recorded
# (--record of a dry run) are the saved ones, a typed secret is not among them (Save without
# it exits 2, naming the field), a Key Vault reference is kept. A rename and a move to another
# workspace are refused at the name field; a wrong workspace, a wrong name and another type
# of linked service exit 2 with a message; no secret anywhere.
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init ls_edit
for t in curl node; do command -v $t >/dev/null 2>&1 || { echo "$t is missing"; exit 77; }; done
sandbox_load
sandbox_reset
sandbox_control POST config '{"operationMs": 300}' >/dev/null
T=$OUT/captures
mkdir -p "$T"
LOG=$OUT/state/synwiz/synwiz.log
export SYNWIZ_CLOUD=sandbox SYNWIZ_ROLE_WAIT_SECONDS=0
SECRET=$SYNWIZ_SANDBOX_CLIENT_SECRET
SUB=$SYNWIZ_SANDBOX_SUBSCRIPTION
state() { "$BIN" sandbox state --dir "$SYNWIZ_SANDBOX_DIR" >"$T/state.json"; }
props() { state; jget "$T/state.json" "JSON.stringify((j.workspaces.find(w=>w.name==='contoso-synapse').linkedServices.find(l=>l.name==='AzureMLEdit')||{}).properties||null)"; }
count() { state; jget "$T/state.json" "String(j.workspaces.find(w=>w.name==='contoso-synapse').linkedServices.filter(l=>l.name.toLowerCase()==='azuremledit').length)"; }
record() { # the store's record of AzureMLEdit: "authentication revision"
  "$BIN" linked-service list --workspace contoso-synapse --output json >"$T/list.json" 2>&1
  jget "$T/list.json" 'j.value.filter(v=>v.name==="AzureMLEdit").map(v=>v.recorded.authentication+" "+v.recorded.revision).join()'
}
edit() { # edit OUT-NAME [ARGS...]: stdout/stderr to $T/OUT-NAME.out/.err; prints the exit code
  name=$1
  shift
  "$BIN" linked-service edit "$@" >"$T/$name.out" 2>"$T/$name.err"
  echo $?
}
MSI_PROPS="{\"type\":\"AzureMLService\",\"typeProperties\":{\"subscriptionId\":\"$SUB\",\"resourceGroupName\":\"rg-ml\",\"mlWorkspaceName\":\"contoso-ml\",\"authentication\":\"MSI\"}}"

"$BIN" sandbox start --dir "$SYNWIZ_SANDBOX_DIR" >"$T/signin.out" 2>&1
expect_eq "Dana is signed in" yes "$(grep -q 'Signed in to the sandbox as Dana Demo' "$T/signin.out" && echo yes)"

echo "== a managed-identity linked service saved from answers"
cat >"$OUT/msi.json" <<EOF
{ "subscription": "Contoso Analytics", "workspace": "contoso-synapse", "name": "AzureMLEdit",
  "ml_subscription": "Contoso Analytics", "ml_workspace": "contoso-ml",
  "authentication": "managed_identity", "grant_role": true }
EOF
"$BIN" linked-service new --answers "$OUT/msi.json" --non-interactive >"$T/new.out" 2>"$T/new.err"
expect_eq "saved: exit 0" 0 "$?"
expect_eq "... the sandbox holds it (MSI)" "$MSI_PROPS" "$(props)"
expect_eq "... recorded, revision 1" "MSI 1" "$(record)"

echo "== edit, unchanged: Save updates the same linked service"
expect_eq "edited headless: exit 0" 0 "$(edit same AzureMLEdit --workspace contoso-synapse --non-interactive)"
expect_eq "... reported as an update" "yes yes" "$(grep -q '^Linked service updated$' "$T/same.out" && echo yes) $(grep -q 'Linked service AzureMLEdit updated in contoso-synapse and read back' "$T/same.out" && echo yes)"
expect_eq "... the name being edited is not 'taken'" no "$(grep -q 'already has a linked service' "$T/same.out" "$T/same.err" && echo yes || echo no)"
expect_eq "... one linked service of that name, the same properties" "1 $MSI_PROPS" "$(count) $(props)"
expect_eq "... the same record, revision 2" "MSI 2" "$(record)"

echo "== edit to a service principal (the secret from the environment)"
cat >"$OUT/sp.json" <<EOF
{ "authentication": "service_principal", "client_id": "$SYNWIZ_SANDBOX_CLIENT_ID",
  "secret": { "env": "SP_SECRET" }, "tenant": "contoso.onmicrosoft.com" }
EOF
export SP_SECRET="$SECRET"
expect_eq "edited: exit 0" 0 "$(edit sp AzureMLEdit --workspace contoso-synapse --answers "$OUT/sp.json" --non-interactive)"
expect_eq "... the test signed in as the principal" yes "$(grep -q 'signs in and reads contoso-ml' "$T/sp.out" && echo yes)"
expect_eq "... the sandbox holds the principal's properties (key masked), still one" \
  "1 {\"type\":\"AzureMLService\",\"typeProperties\":{\"subscriptionId\":\"$SUB\",\"resourceGroupName\":\"rg-ml\",\"mlWorkspaceName\":\"contoso-ml\",\"servicePrincipalId\":\"$SYNWIZ_SANDBOX_CLIENT_ID\",\"servicePrincipalKey\":{\"type\":\"SecureString\",\"value\":\"**********\"},\"tenant\":\"contoso.onmicrosoft.com\"}}" \
  "$(count) $(props)"
expect_eq "... the same record, revision 3" "ServicePrincipal 3" "$(record)"

echo "== edit mode starts from what Synapse holds, never with the typed secret"
unset SP_SECRET
expect_eq "edit without the secret: exit 2" 2 "$(edit nosecret AzureMLEdit --workspace contoso-synapse --non-interactive)"
expect_eq "... the secret is asked for, nothing else" "1 yes" \
  "$(grep -c '^  ' "$T/nosecret.err") $(grep -q '^  secret: missing: Required. (rule: required)$' "$T/nosecret.err" && echo yes)"
echo '{ "secret": { "env": "SP_SECRET" } }' >"$OUT/secret.json"
expect_eq "a dry run with the secret: exit 0" 0 \
  "$(SP_SECRET="$SECRET" edit dry AzureMLEdit --workspace contoso-synapse --answers "$OUT/secret.json" --non-interactive --dry-run --record "$OUT/edit-record.json")"
expect_eq "... its answers are the saved ones" \
  "$SUB contoso-synapse AzureMLEdit $SUB contoso-ml service_principal $SYNWIZ_SANDBOX_CLIENT_ID secure_string contoso.onmicrosoft.com AutoResolveIntegrationRuntime" \
  "$(jget "$OUT/edit-record.json" '[j.subscription,j.workspace,j.name,j.ml_subscription,j.ml_workspace,j.authentication,j.client_id,j.secret_source,j.tenant,j.integration_runtime].join(" ")')"
expect_eq "... the secret only as its variable" '{"env":"SP_SECRET"}' "$(jget "$OUT/edit-record.json" j.secret)"
expect_eq "... the PUT of the same name listed, the secret redacted" "yes no" \
  "$(grep -q 'PUT https://contoso-synapse.dev.sandbox.localhost:[0-9]*/linkedservices/AzureMLEdit?api-version=2020-12-01' "$T/dry.out" && echo yes) $(grep -qF -- "$SECRET" "$T/dry.out" && echo yes || echo no)"
expect_eq "... nothing changed (revision 3)" "ServicePrincipal 3" "$(record)"

echo "== a Key Vault reference is kept"
PORT=${SYNWIZ_SANDBOX_AUTHORITY##*:}
"$BIN" rest --method put --wait --url "https://contoso-synapse.dev.sandbox.localhost:$PORT/linkedservices/Vault1?api-version=2020-12-01" \
  --body '{"properties":{"type":"AzureKeyVault","typeProperties":{"baseUrl":"https://contoso-kv.vault.azure.net/"}}}' >"$T/vault.out" 2>&1
expect_eq "an Azure Key Vault linked service to refer to" 0 "$?"
echo '{ "secret_source": "key_vault", "key_vault_linked_service": "Vault1", "secret_name": "ml-sp-secret" }' >"$OUT/kv.json"
expect_eq "edited to the reference: exit 0" 0 "$(edit kv AzureMLEdit --workspace contoso-synapse --answers "$OUT/kv.json" --non-interactive)"
KV_KEY='{"type":"AzureKeyVaultSecret","store":{"referenceName":"Vault1","type":"LinkedServiceReference"},"secretName":"ml-sp-secret"}'
key() { props | node -e 'process.stdout.write(JSON.stringify(JSON.parse(require("fs").readFileSync(0)).typeProperties.servicePrincipalKey))'; }
expect_eq "... the key is the reference" "$KV_KEY" "$(key)"
expect_eq "edited again with no answers: exit 0 (nothing to give again)" 0 "$(edit kv2 AzureMLEdit --workspace contoso-synapse --non-interactive)"
expect_eq "... the reference is kept" "$KV_KEY" "$(key)"
expect_eq "... the same record, revision 5" "ServicePrincipal 5" "$(record)"

echo "== back to the managed identity"
echo '{ "authentication": "managed_identity" }' >"$OUT/back.json"
expect_eq "edited: exit 0" 0 "$(edit back AzureMLEdit --workspace contoso-synapse --answers "$OUT/back.json" --non-interactive)"
expect_eq "... MSI again, still one" "1 $MSI_PROPS" "$(count) $(props)"
expect_eq "... the same record, revision 6" "MSI 6" "$(record)"

echo "== what edit refuses"
echo '{ "name": "AzureMLRenamed" }' >"$OUT/rename.json"
expect_eq "a rename: exit 2" 2 "$(edit rename AzureMLEdit --workspace contoso-synapse --answers "$OUT/rename.json" --non-interactive)"
expect_eq "... said at the name field" yes "$(grep -q '^  name: Renaming is not supported: this edits AzureMLEdit .*(rule: linked_service_name_unique)$' "$T/rename.err" && echo yes)"
echo '{ "subscription": "Contoso Analytics", "workspace": "contoso-synapse-shir" }' >"$OUT/move.json"
expect_eq "another workspace: exit 2" 2 "$(edit move AzureMLEdit --workspace contoso-synapse --answers "$OUT/move.json" --non-interactive)"
expect_eq "... said at the name field" yes "$(grep -q '^  name: This edits AzureMLEdit of the workspace contoso-synapse: a linked service cannot move to another workspace' "$T/move.err" && echo yes)"
expect_eq "... nothing renamed or created" "1 null" "$(count) $(state; jget "$T/state.json" "JSON.stringify(j.workspaces.find(w=>w.name==='contoso-synapse-shir').linkedServices.find(l=>l.name==='AzureMLEdit')||null)")"
expect_eq "a wrong workspace: exit 2" 2 "$(edit badws AzureMLEdit --workspace no-such-workspace --non-interactive)"
expect_eq "... with a message" yes "$(grep -q "no saved connection and no Synapse workspace you can see is named 'no-such-workspace'" "$T/badws.err" && echo yes)"
expect_eq "a wrong name: exit 2" 2 "$(edit badname AzureMLNope --workspace contoso-synapse --non-interactive)"
expect_eq "... with a message" yes "$(grep -q "the Synapse workspace contoso-synapse has no linked service named 'AzureMLNope'" "$T/badname.err" && echo yes)"
expect_eq "another type of linked service: exit 2" 2 "$(edit blob contoso-synapse-WorkspaceDefaultStorage --workspace contoso-synapse --non-interactive)"
expect_eq "... with a message" yes "$(grep -q 'is not an Azure Machine Learning linked service (its type is AzureBlobFS)' "$T/blob.err" && echo yes)"
expect_eq "no --workspace: exit 2" 2 "$(edit usage AzureMLEdit --non-interactive)"
expect_eq "... with the usage" yes "$(grep -q 'linked-service edit NAME --workspace WS' "$T/usage.err" && echo yes)"
"$BIN" --help >"$T/help.out" 2>&1
expect_eq "synwiz --help lists linked-service edit" yes "$(grep -q '^  linked-service .*edit NAME' "$T/help.out" && echo yes)"
expect_eq "... MSI, revision 6: nothing changed by the refusals" "MSI 6" "$(record)"

echo "== no secret anywhere"
mkdir -p "$OUT/state/synwiz/drafts"
assert_no_secrets "$LOG" "$OUT/config" "$OUT/state/synwiz/drafts" "$T" "$OUT"/*.json
expect_eq "the secret itself is in no file of this test" "" "$(grep -rlF -- "$SECRET" "$OUT" 2>/dev/null)"
test_done
