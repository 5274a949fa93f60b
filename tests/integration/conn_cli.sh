#!/bin/sh
# The connection commands without screens (issues 4 and 5): an invalid answers file exits 2
# naming the field and the rule; a complete one saves, with every answer in `connection show
# --output json`; a new container is created through ARM on save; a dry run changes nothing
# (sandbox state, containers and store unchanged) and prints the calls; `edit` updates on the
# revision read; `remove` is refused while an export uses the connection and offers to remove
# or detach it.
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init conn_cli
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
sandbox_load
sandbox_reset
T=$OUT/captures
mkdir -p "$T"
export SYNWIZ_CLOUD=sandbox
SUB=$SYNWIZ_SANDBOX_SUBSCRIPTION
jn() { node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); const v=('"$2"'); process.stdout.write(v===undefined||v===null?"":typeof v==="string"?v:JSON.stringify(v))' "$1"; }
answers() { # answers FILE NAME CONTAINER_JSON [AUDIENCE]
  cat >"$1" <<EOF
{ "display_name": "$2", "audience": "${4:-admins}", "subscription": "Contoso Analytics",
  "workspace": "contoso-synapse", "storage_account": "contosolake",
  "container": $3, "private_link": true, "agree": true }
EOF
}
containers() { "$BIN" rest --url "$SYNWIZ_SANDBOX_ARM/subscriptions/$SUB/resourceGroups/rg-analytics/providers/Microsoft.Storage/storageAccounts/contosolake/blobServices/default/containers?api-version=2023-05-01" 2>/dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).value.map(c=>c.name).sort().join(" ")))'; }
state_digest() { "$BIN" sandbox state --dir "$SYNWIZ_SANDBOX_DIR" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);process.stdout.write(JSON.stringify([j.roleAssignments,j.synapseRoleAssignments,j.workspaces]))})'; }

sandbox_login

# --- issue 4: an invalid display name, without screens ---
answers "$T/bad.json" "9lives" '"customerinsights"'
"$BIN" connection new --answers "$T/bad.json" --non-interactive >"$T/bad.out" 2>"$T/bad.err"
expect_eq "an invalid display name: exit 2" 2 $?
check "the message names the field and the rule" grep -q "display_name: Must start with a letter and contain only letters, digits and underscores (_). (rule: connection_display_name)" "$T/bad.err"
expect_eq "... and nothing was saved" "[]" "$("$BIN" connection list --output json)"
printf '{"display_name": "x", "colour": "blue"}' >"$T/unknown.json"
"$BIN" connection new --answers "$T/unknown.json" --non-interactive >/dev/null 2>"$T/unknown.err"
expect_eq "an unknown key: exit 2" 2 $?
check "... named" grep -q "colour: not a field of the connection wizard" "$T/unknown.err"
printf '{"display_name": "x"}' >"$T/missing.json"
"$BIN" connection new --answers "$T/missing.json" --non-interactive >/dev/null 2>"$T/missing.err"
expect_eq "missing answers: exit 2" 2 $?
check "... each listed with its rule" grep -q "agree: Select \"I agree\" to continue. (rule: must_agree)" "$T/missing.err"
check "... a subscription too" grep -q "subscription: missing: Required. (rule: required)" "$T/missing.err"

# --- a dry run with a new container changes nothing and prints the calls ---
before_state=$(state_digest)
before_containers=$(containers)
answers "$T/dry.json" "dry_lake" '{"new": "dryrun-exports"}'
"$BIN" connection new --answers "$T/dry.json" --non-interactive --dry-run >"$T/dry.out" 2>"$T/dry.err"
expect_eq "a dry run exits 0" 0 $?
check "it says nothing was saved" grep -q "Dry run: nothing was saved" "$T/dry.out"
check "it prints the container PUT it did not send" grep -q "^PUT https://management.sandbox.localhost:[0-9]*/subscriptions/$SUB/resourceGroups/rg-analytics/providers/Microsoft.Storage/storageAccounts/contosolake/blobServices/default/containers/dryrun-exports?api-version=" "$T/dry.out"
check "and the reads of the check" grep -q "^GET .*/providers/Microsoft.Authorization/roleAssignments" "$T/dry.out"
check "and the record it would have written" grep -q "store: create the connection record 'dry_lake'" "$T/dry.out"
expect_eq "the sandbox's role assignments and workspaces are unchanged" "$before_state" "$(state_digest)"
expect_eq "no container was created" "$before_containers" "$(containers)"
expect_eq "no connection was saved" "[]" "$("$BIN" connection list --output json)"

# --- a complete answers file with a new container ---
answers "$T/new.json" "exports_lake" '{"new": "ci-exports"}' admins_and_contributors
"$BIN" connection new --answers "$T/new.json" --non-interactive --record "$T/record.json" >"$T/new.out" 2>"$T/new.err"
expect_eq "saved: exit 0" 0 $?
check "the container was created through ARM" grep -q "Created the container ci-exports in storage account contosolake" "$T/new.out"
expect_eq "... and is there" "$(printf '%s\n' $before_containers ci-exports | sort -u | tr '\n' ' ' | sed 's/ $//')" "$(containers)"
check "Private Link with public access enabled warns (behavior.md 6.5)" grep -q "\[WARN\] Private Link" "$T/new.out"
"$BIN" connection show exports_lake --output json >"$T/show.json"
expect_eq "show --output json holds every answer" \
  "exports_lake|admins_and_contributors|$SUB|Contoso Analytics|contoso-synapse|rg-analytics|contosolake|rg-analytics|ci-exports|true" \
  "$(jn "$T/show.json" '[j.display_name,j.audience,j.subscription_id,j.subscription_name,j.workspace_name,j.workspace_resource_group,j.storage_account,j.storage_resource_group,j.container,j.private_link].join("|")')"
expect_eq "... and what the workspace and account are" \
  "/subscriptions/$SUB/resourceGroups/rg-analytics/providers/Microsoft.Synapse/workspaces/contoso-synapse|/subscriptions/$SUB/resourceGroups/rg-analytics/providers/Microsoft.Storage/storageAccounts/contosolake|yes|yes|yes" \
  "$(jn "$T/show.json" '[j.workspace_id,j.storage_account_id,/^https:\/\/contoso-synapse\.dev\./.test(j.workspace_dev_endpoint)?"yes":"no",/^[0-9a-f-]{36}$/.test(j.workspace_principal_id)?"yes":"no",/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(j.agreed_at)?"yes":"no"].join("|")')"
check "the record of the run names the answers" grep -q '"display_name": "exports_lake"' "$T/record.json"
"$BIN" connection list >"$T/list.out"
check "list shows it" grep -Eq "^exports_lake +Azure Synapse Analytics +administrators and contributors +contoso-synapse / contosolake / ci-exports" "$T/list.out"
"$BIN" connection new --answers "$T/new.json" --non-interactive >/dev/null 2>"$T/again.err"
expect_eq "the same name again: exit 2 (the uniqueness rule)" 2 $?
check "... says the name is taken" grep -q "display_name: A connection named 'exports_lake' already exists" "$T/again.err"

# --- edit: based on the revision read ---
printf '{"audience": "admins", "private_link": false}' >"$T/edit.json"
"$BIN" connection edit exports_lake --answers "$T/edit.json" --non-interactive >"$T/edit.out" 2>&1
expect_eq "edit: exit 0" 0 $?
"$BIN" connection show exports_lake --output json >"$T/show2.json"
expect_eq "edit: the answers changed, the revision went up, the rest stayed" "admins|false|2|ci-exports|$(jn "$T/show.json" j.agreed_at)" \
  "$(jn "$T/show2.json" '[j.audience,j.private_link,j.revision,j.container,j.agreed_at].join("|")')"
check "the report says it was updated" grep -q "Updated the connection 'exports_lake'" "$T/edit.out"
"$BIN" connection edit nosuch --non-interactive >/dev/null 2>"$T/edit-missing.err"
expect_eq "edit of an unknown connection: exit 2" 2 $?
check "... says so" grep -q "no connection named 'nosuch'" "$T/edit-missing.err"

# --- remove: refused while an export uses it; remove or detach the dependents ---
CONN_ID=$(jn "$T/show2.json" j.id)
add_export() { # add_export NAME: an export record as the export wizard will write it
  id=$(node -e 'process.stdout.write(require("crypto").randomUUID())')
  now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  cat >"$OUT/config/synwiz/store/exports/$id.json" <<EOF
{"schema": 1, "kind": "export", "id": "$id", "revision": 1, "display_name": "$1", "connection_id": "$CONN_ID",
 "database_name": "ci$1", "status": "Not started", "tables": ["Customer"],
 "previous_database_names": [], "schedule": {"mode": "system_refresh"},
 "created_at": "$now", "created_by": "$SYNWIZ_SANDBOX_USER_OBJECT_ID",
 "updated_at": "$now", "updated_by": "$SYNWIZ_SANDBOX_USER_OBJECT_ID"}
EOF
  chmod 600 "$OUT/config/synwiz/store/exports/$id.json"
}
add_export weekly
"$BIN" connection remove exports_lake --yes >"$T/rm1.out" 2>"$T/rm1.err"
expect_eq "remove while an export uses it: refused, exit 3" 3 $?
check "it lists the export" grep -q "export 'weekly'" "$T/rm1.err"
check "it offers both choices" grep -q "\-\-remove-dependents .*\-\-detach-dependents\|--detach-dependents" "$T/rm1.err"
check "... the documents' wording" grep -q "keep them, inactive (\"No connection\")" "$T/rm1.err"
"$BIN" connection remove exports_lake --detach-dependents --yes >"$T/rm2.out" 2>&1
expect_eq "--detach-dependents: removed, exit 0" 0 $?
check "it says the export was detached and kept" grep -q "detached export 'weekly' (kept, inactive" "$T/rm2.out"
expect_eq "the connection is gone" "[]" "$("$BIN" connection list --output json)"
check "the export is still in the store, without connection" grep -L connection_id "$OUT/config/synwiz/store/exports/"*.json
# The container made above exists now: chosen from the list ("+ Create new" with its name
# is refused since issue 13 item 3).
answers "$T/again-new.json" "exports_lake" '"ci-exports"' admins_and_contributors
"$BIN" connection new --answers "$T/again-new.json" --non-interactive >/dev/null 2>&1
"$BIN" connection show exports_lake --output json >"$T/show3.json"
CONN_ID=$(jn "$T/show3.json" j.id)
add_export daily
"$BIN" connection remove exports_lake --remove-dependents --yes >"$T/rm3.out" 2>&1
expect_eq "--remove-dependents: exit 0" 0 $?
check "it says the export was removed" grep -q "removed export 'daily'" "$T/rm3.out"
expect_eq "one export is left (the detached one)" 1 "$(ls "$OUT/config/synwiz/store/exports/" | wc -l)"

assert_no_secrets "$OUT/state/synwiz/synwiz.log" "$OUT/state/synwiz/drafts" "$OUT/config" "$T" \
  "$OUT/last.out"
test_done
