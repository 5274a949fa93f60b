#!/bin/sh
# A viewer of the store may not create or remove a linked service (issue 13 item 2):
# `linked-service new` by a viewer is refused before its first write to Azure (the action
# runner checks the store's health and the role for every action that records what it
# does), with exit 3 and the store's words; the workspace holds no new linked service and
# no PUT was sent. On a store synwiz refuses to open (world-writable), the same: exit 2 (a local store it cannot use),
# nothing sent. `linked-service remove` by a viewer is refused too: the linked service stays.
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init ls_viewer
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
sandbox_load
sandbox_reset
T=$OUT/captures
mkdir -p "$T"
export SYNWIZ_CLOUD=sandbox
export SYNWIZ_STORE=$OUT/shared-store
SP=$SYNWIZ_SANDBOX_CLIENT_OBJECT_ID
SP_STATE=$OUT/state-sp
mkdir -p "$SP_STATE"
jget() { node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); const v=('"$2"'); process.stdout.write(v===undefined||v===null?"":typeof v==="string"?v:JSON.stringify(v))' "$1"; }
# The automation principal (Synapse Administrator on contoso-synapse), signed in through the
# environment, with its own token cache.
as_sp() { env XDG_STATE_HOME="$SP_STATE" AZURE_TENANT_ID="$SYNWIZ_SANDBOX_TENANT" \
  AZURE_CLIENT_ID="$SYNWIZ_SANDBOX_CLIENT_ID" AZURE_CLIENT_SECRET="$SYNWIZ_SANDBOX_CLIENT_SECRET" \
  SYNWIZ_LOG_FILE="$T/sp.log" "$BIN" "$@"; }

sandbox_login
"$BIN" role list >/dev/null 2>&1 # Dana, the store's first user, is its administrator
"$BIN" role add "$SP" viewer --name synwiz-automation >"$T/add.out" 2>&1
expect_eq "the principal is made a viewer of the store" 0 $?

cat >"$T/msi.json" <<EOF
{ "subscription": "Contoso Analytics", "workspace": "contoso-synapse", "name": "ViewerMade",
  "ml_subscription": "Contoso Analytics", "ml_workspace": "contoso-ml",
  "authentication": "managed_identity" }
EOF
as_sp linked-service new --answers "$T/msi.json" --non-interactive >"$T/new.out" 2>"$T/new.err"
expect_eq "a viewer's linked-service new is refused (exit 3)" 3 $?
check "... saying a viewer cannot change linked services" grep -q "You are a viewer of this store and cannot change linked services" "$T/new.out" "$T/new.err"
"$BIN" sandbox state --dir "$SYNWIZ_SANDBOX_DIR" >"$T/state.json"
expect_eq "... and Synapse holds no such linked service" "none" \
  "$(jget "$T/state.json" "(j.workspaces.find(w=>w.name==='contoso-synapse').linkedServices.find(l=>l.name==='ViewerMade')) ? 'created' : 'none'")"
check "... no PUT or DELETE was sent" sh -c "! grep -Eq '(PUT|DELETE) https?://[^ ]*(linkedservices|roleAssignments)' '$T/sp.log'"
echo "== a store synwiz refuses to open"
BAD=$OUT/unsafe-store
mkdir -p "$BAD"
SYNWIZ_STORE=$BAD "$BIN" role list >/dev/null 2>&1 # made by Dana, then opened to everyone
chmod 0777 "$BAD"
sed 's/"ViewerMade"/"UnsafeMade"/' "$T/msi.json" >"$T/unsafe.json"
SYNWIZ_STORE=$BAD SYNWIZ_LOG_FILE="$T/unsafe.log" "$BIN" linked-service new --answers "$T/unsafe.json" \
  --non-interactive >"$T/unsafe.out" 2>"$T/unsafe.err"
expect_eq "linked-service new on an unsafe store: refused (exit 2)" 2 $?
"$BIN" sandbox state --dir "$SYNWIZ_SANDBOX_DIR" >"$T/state1.json"
expect_eq "... and Synapse holds no such linked service" "none" \
  "$(jget "$T/state1.json" "(j.workspaces.find(w=>w.name==='contoso-synapse').linkedServices.find(l=>l.name==='UnsafeMade')) ? 'created' : 'none'")"
check "... no PUT was sent" sh -c "! grep -Eq 'PUT https?://[^ ]*linkedservices' '$T/unsafe.log'"
chmod 0700 "$BAD"

echo "== remove"
PORT=${SYNWIZ_SANDBOX_AUTHORITY##*:}
as_sp rest --method put --wait --url "https://contoso-synapse.dev.sandbox.localhost:$PORT/linkedservices/AzureMLOther?api-version=2020-12-01" \
  --body "{\"properties\":{\"type\":\"AzureMLService\",\"typeProperties\":{\"subscriptionId\":\"$SYNWIZ_SANDBOX_SUBSCRIPTION\",\"resourceGroupName\":\"rg-ml\",\"mlWorkspaceName\":\"contoso-ml\",\"authentication\":\"MSI\"}}}" >"$T/put.out" 2>&1
expect_eq "an Azure ML linked service made outside synwiz" 0 $?
as_sp linked-service remove AzureMLOther --workspace contoso-synapse --yes >"$T/rm.out" 2>"$T/rm.err"
expect_eq "a viewer's linked-service remove is refused (exit 3)" 3 $?
check "... saying a viewer cannot remove linked services" grep -q "You are a viewer of this store and cannot remove linked services" "$T/rm.err"
"$BIN" sandbox state --dir "$SYNWIZ_SANDBOX_DIR" >"$T/state2.json"
expect_eq "... and the linked service is still there" "kept" \
  "$(jget "$T/state2.json" "(j.workspaces.find(w=>w.name==='contoso-synapse').linkedServices.find(l=>l.name==='AzureMLOther')) ? 'kept' : 'gone'")"

assert_no_secrets "$T/sp.log" "$OUT/shared-store" "$T"
test_done
