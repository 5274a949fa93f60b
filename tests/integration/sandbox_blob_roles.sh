#!/bin/sh
# The sandbox's blob data plane is authorized like Azure's (issue 11): a bearer token needs a
# Storage Blob Data role (data actions) at the container, the account or above, else 403
# AuthorizationPermissionMismatch; Owner or Contributor alone do not count; a Reader role on
# a container reads and does not write; Shared Key is not affected; an invalid token is
# still Azurite's to refuse; faults apply to blob routes.
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init sandbox_blob_roles
for t in curl node; do command -v $t >/dev/null 2>&1 || { echo "$t is missing"; exit 77; }; done
sandbox_load
sandbox_reset
T=$OUT/tmp
mkdir -p "$T"
CA=$SYNWIZ_SANDBOX_CA
AUTH=$SYNWIZ_SANDBOX_AUTHORITY
TEN=$SYNWIZ_SANDBOX_TENANT
SUB=$SYNWIZ_SANDBOX_SUBSCRIPTION
BLOBPORT=$(jget "$SYNWIZ_SANDBOX_DIR/runtime.json" 'String(j.ports.azurite)')
BLOB="https://contosolake.blob.sandbox.localhost:$BLOBPORT"
SA="/subscriptions/$SUB/resourceGroups/rg-analytics/providers/Microsoft.Storage/storageAccounts/contosolake"
token() { # token CLIENT SECRET SCOPE
  curl -sS --cacert "$CA" --data "grant_type=client_credentials&client_id=$1&client_secret=$2&scope=$3" \
    "$AUTH/$TEN/oauth2/v2.0/token" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).access_token))'
}
AUTO=$(token "$SYNWIZ_SANDBOX_CLIENT_ID" "$SYNWIZ_SANDBOX_CLIENT_SECRET" https://storage.azure.com/.default)
NONE=$(token "$SYNWIZ_SANDBOX_NOACCESS_CLIENT_ID" "$SYNWIZ_SANDBOX_NOACCESS_CLIENT_SECRET" https://storage.azure.com/.default)
NONE_OID=$(node -e 'process.stdout.write(JSON.parse(Buffer.from(process.argv[1].split(".")[1],"base64url")).oid)' "$NONE")
# blob METHOD URL TOKEN [FILE]: prints the status; headers in $T/hdr, body in $T/body
blob() {
  curl -sS --cacert "$CA" -X "$1" -o "$T/body" -D "$T/hdr" -w '%{http_code}' -H "Authorization: Bearer $3" \
    -H 'x-ms-version: 2021-12-02' ${4:+-H 'x-ms-blob-type: BlockBlob' --data-binary "@$4"} "$2"
}
code() { sed -n 's/^x-ms-error-code: *\([A-Za-z]*\).*/\1/ip' "$T/hdr" | head -n 1; }
grant() { # grant ROLE_GUID SCOPE PRINCIPAL: as Dana (Owner of rg-analytics); prints the exit status
  "$BIN" rest --method put --url "$SYNWIZ_SANDBOX_ARM$2/providers/Microsoft.Authorization/roleAssignments/$(cat /proc/sys/kernel/random/uuid)?api-version=2022-04-01" \
    --body "{\"properties\":{\"roleDefinitionId\":\"/subscriptions/$SUB/providers/Microsoft.Authorization/roleDefinitions/$1\",\"principalId\":\"$3\",\"principalType\":\"ServicePrincipal\"}}" >"$T/grant" 2>&1
  echo $?
}
echo hello >"$T/hello.txt"
SRCB="$BLOB/customerinsights/source/Customer/Customer.csv"

expect_eq "Storage Blob Data Contributor on the account: a read is 200" 200 "$(blob GET "$SRCB" "$AUTO")"
expect_eq "... a write is 201" 201 "$(blob PUT "$BLOB/raw/roles/auto.txt" "$AUTO" "$T/hello.txt")"
expect_eq "... a list is 200" 200 "$(blob GET "$BLOB/customerinsights?restype=container&comp=list" "$AUTO")"
expect_eq "no role: a read is 403 AuthorizationPermissionMismatch" "403 AuthorizationPermissionMismatch" "$(blob GET "$SRCB" "$NONE") $(code)"
check "... with Azure's message" grep -q "This request is not authorized to perform this operation using this permission" "$T/body"
expect_eq "... a write too" "403 AuthorizationPermissionMismatch" "$(blob PUT "$BLOB/raw/roles/none.txt" "$NONE" "$T/hello.txt") $(code)"
expect_eq "... a list too" "403 AuthorizationPermissionMismatch" "$(blob GET "$BLOB/raw?restype=container&comp=list" "$NONE") $(code)"
expect_eq "... container properties too" 403 "$(blob GET "$BLOB/raw?restype=container" "$NONE")"
expect_eq "... and a HEAD says so in its header" "403 AuthorizationPermissionMismatch" "$(blob HEAD "$SRCB" "$NONE") $(code)"

# Dana is Owner of rg-analytics: she grants roles.
export SYNWIZ_CLOUD=sandbox
sandbox_login
expect_eq "Contributor on the account (an action role) is granted" 0 "$(grant b24988ac-6180-42a0-ab88-20f7382dd24c "$SA" "$NONE_OID")"
expect_eq "... and still gives no data access" 403 "$(blob GET "$SRCB" "$NONE")"
expect_eq "Storage Blob Data Reader on the raw container is granted" 0 "$(grant 2a2b9908-6ea1-4ae2-8e65-a410df84e7d1 "$SA/blobServices/default/containers/raw" "$NONE_OID")"
expect_eq "... it reads in raw" 200 "$(blob GET "$BLOB/raw/roles/auto.txt" "$NONE")"
expect_eq "... lists raw" 200 "$(blob GET "$BLOB/raw?restype=container&comp=list" "$NONE")"
expect_eq "... writes nothing there" "403 AuthorizationPermissionMismatch" "$(blob PUT "$BLOB/raw/roles/none.txt" "$NONE" "$T/hello.txt") $(code)"
expect_eq "... and reads nothing in another container" 403 "$(blob GET "$SRCB" "$NONE")"

# Shared Key (the account key grants everything) and invalid tokens are Azurite's, as before.
check "Shared Key still works (synwiz rest --shared-key)" "$BIN" rest --shared-key --url "$BLOB/raw/roles/key.txt" --upload "$T/hello.txt"
expect_eq "a token that is not one: refused by Azurite (AuthenticationFailed), not by role" "403 AuthenticationFailed" "$(blob GET "$SRCB" "not.a.token") $(code)"

# Faults reach blob routes: one 503 on a Put Block, then it works.
sandbox_control POST faults "{\"route\":\"^PUT contosolake\\\\.blob\\\\.sandbox\\\\.localhost/raw/roles/f\\\\.txt\",\"status\":503,\"count\":1}" >/dev/null
expect_eq "a 503 fault on a blob route: ServerBusy" "503 ServerBusy" "$(blob PUT "$BLOB/raw/roles/f.txt" "$AUTO" "$T/hello.txt") $(code)"
expect_eq "... once" 201 "$(blob PUT "$BLOB/raw/roles/f.txt" "$AUTO" "$T/hello.txt")"
sandbox_control DELETE faults >/dev/null

test_done
