#!/bin/sh
# Roles in the store and the connections (issue 5): Dana, the store's first user, is its
# administrator and adds the service principal synwiz-automation as a contributor. Signed in
# as that principal (EnvironmentCredential, its secret from `sandbox env`), it is refused
# `connection new` with a message that says who can do it; it sees the connection shared with
# contributors (name and type only, also through the wizards' `connections` source) and not
# the administrators-only one; it changes no role. Two concurrent `connection new` runs on one
# store both end saved (two names), or one is told of the conflict (one name).
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init conn_roles
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
sandbox_load
sandbox_reset
T=$OUT/captures
mkdir -p "$T"
export SYNWIZ_CLOUD=sandbox
STORE=$OUT/shared-store
export SYNWIZ_STORE=$STORE
SP=$SYNWIZ_SANDBOX_CLIENT_OBJECT_ID
SP_STATE=$OUT/state-sp
mkdir -p "$SP_STATE"
jn() { node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); const v=('"$2"'); process.stdout.write(v===undefined||v===null?"":typeof v==="string"?v:JSON.stringify(v))' "$1"; }
answers() { # answers FILE NAME AUDIENCE
  cat >"$1" <<EOF
{ "display_name": "$2", "audience": "$3", "subscription": "Contoso Analytics",
  "workspace": "contoso-synapse", "storage_account": "contosolake",
  "container": "customerinsights", "private_link": false, "agree": true }
EOF
}
# The automation principal, signed in through the environment (its own token cache dir).
as_sp() { env XDG_STATE_HOME="$SP_STATE" AZURE_TENANT_ID="$SYNWIZ_SANDBOX_TENANT" \
  AZURE_CLIENT_ID="$SYNWIZ_SANDBOX_CLIENT_ID" AZURE_CLIENT_SECRET="$SYNWIZ_SANDBOX_CLIENT_SECRET" \
  "$BIN" "$@"; }

sandbox_login
answers "$T/shared.json" shared_lake admins_and_contributors
answers "$T/admins.json" admin_lake admins
"$BIN" connection new --answers "$T/shared.json" --non-interactive >/dev/null 2>&1
expect_eq "Dana saves a connection shared with contributors" 0 $?
"$BIN" connection new --answers "$T/admins.json" --non-interactive >/dev/null 2>&1
expect_eq "... and one for administrators only" 0 $?
"$BIN" role list >"$T/roles0.out"
check "Dana, the store's first user, is its administrator" grep -Eq "^$SYNWIZ_SANDBOX_USER_OBJECT_ID +admin +dana@contoso.onmicrosoft.com" "$T/roles0.out"

# Not a member yet: nothing at all.
as_sp connection list >/dev/null 2>"$T/nomember.err"
expect_eq "not a member: refused (exit 3)" 3 $?
check "... with the administrators named" grep -q "have no role in the store .*Administrators: dana@contoso.onmicrosoft.com ($SYNWIZ_SANDBOX_USER_OBJECT_ID)" "$T/nomember.err"

"$BIN" role add "$SP" contributor --name synwiz-automation >"$T/add.out" 2>&1
expect_eq "role add: exit 0" 0 $?
"$BIN" role list --output json >"$T/roles.json"
expect_eq "role list shows the contributor" "contributor" "$(jn "$T/roles.json" "j.find(m=>m.object_id===\"$SP\").role")"
"$BIN" role add "$SP" superuser >/dev/null 2>"$T/badrole.err"
expect_eq "an unknown role: exit 2" 2 $?
"$BIN" role add synwiz-automation contributor >/dev/null 2>"$T/badoid.err"
expect_eq "a name instead of an object id: exit 2" 2 $?
check "... says an object id is a GUID" grep -q "is not an object id: it must be a GUID" "$T/badoid.err"

# --- the contributor ---
answers "$T/sp.json" sp_lake admins
as_sp connection new --answers "$T/sp.json" --non-interactive >"$T/sp-new.out" 2>"$T/sp-new.err"
expect_eq "a contributor is refused connection new (exit 3)" 3 $?
check "... with a message that says who can do it" grep -q "Only administrators of this store can create or edit connections; you are a contributor. Administrators: dana@contoso.onmicrosoft.com ($SYNWIZ_SANDBOX_USER_OBJECT_ID)." "$T/sp-new.err"
check "... before anything was asked or sent" test ! -s "$T/sp-new.out"
as_sp connection edit shared_lake --non-interactive >/dev/null 2>"$T/sp-edit.err"
expect_eq "... and edit (exit 3)" 3 $?
as_sp connection list --output json >"$T/sp-list.json" 2>"$T/sp-list.err"
expect_eq "the contributor lists the connections" 0 $?
expect_eq "only the shared one, by name and type" 'shared_lake|Azure Synapse Analytics|["display_name","id","type"]' \
  "$(jn "$T/sp-list.json" 'j.map(c=>c.display_name).join(",")+"|"+j[0].type+"|"+JSON.stringify(Object.keys(j[0]).sort())')"
as_sp connection show shared_lake >"$T/sp-show.out" 2>&1
expect_eq "show of the shared one works" 0 $?
check "... and says it is name and type only" grep -q "contributors see only the name and type" "$T/sp-show.out"
check "... no workspace shown" grep -vq "contoso-synapse" "$T/sp-show.out"
as_sp connection show admin_lake >/dev/null 2>"$T/sp-show2.err"
expect_eq "the administrators-only one is not shown (exit 2, as if it did not exist)" 2 $?
check "... not even named as hidden" grep -q "no connection" "$T/sp-show2.err"
as_sp connection remove shared_lake --yes >/dev/null 2>"$T/sp-rm.err"
expect_eq "a contributor cannot remove it (exit 3)" 3 $?
as_sp doctor admin_lake >/dev/null 2>&1
expect_eq "nor check the hidden one (exit 2)" 2 $?
as_sp role add "$SYNWIZ_SANDBOX_USER_OBJECT_ID" viewer >/dev/null 2>"$T/sp-role.err"
expect_eq "a contributor changes no role (exit 3)" 3 $?
check "... told who can" grep -q "Only administrators of this store can add members" "$T/sp-role.err"
"$BIN" role remove "$SYNWIZ_SANDBOX_USER_OBJECT_ID" >/dev/null 2>"$T/last-admin.err"
expect_eq "the last administrator cannot be removed (exit 3)" 3 $?

# --- two concurrent `connection new` on one store ---
answers "$T/c1.json" concurrent_a admins
answers "$T/c2.json" concurrent_b admins
"$BIN" connection new --answers "$T/c1.json" --non-interactive >"$T/c1.out" 2>&1 &
p1=$!
"$BIN" connection new --answers "$T/c2.json" --non-interactive >"$T/c2.out" 2>&1 &
p2=$!
wait $p1
r1=$?
wait $p2
r2=$?
expect_eq "two names at once: both end saved" "0 0" "$r1 $r2"
"$BIN" connection list --output json >"$T/after.json"
expect_eq "... both are in the store" "admin_lake,concurrent_a,concurrent_b,shared_lake" "$(jn "$T/after.json" 'j.map(c=>c.display_name).join(",")')"
answers "$T/d.json" same_name admins
"$BIN" connection new --answers "$T/d.json" --non-interactive >"$T/d1.out" 2>"$T/d1.err" &
p1=$!
"$BIN" connection new --answers "$T/d.json" --non-interactive >"$T/d2.out" 2>"$T/d2.err" &
p2=$!
wait $p1
r1=$?
wait $p2
r2=$?
outcome=$(printf '%s\n%s\n' "$r1" "$r2" | sort | tr '\n' ' ')
# The loser is stopped by the uniqueness rule (exit 2) when the winner saved before it looked,
# else by the store's check under its lock (exit 3); either way it is told of the conflict.
case "$outcome" in
"0 2 " | "0 3 ") T_PASS=$((T_PASS + 1)); echo "ok   - one name at once: one saved, the other told ($outcome)" ;;
*) T_FAIL=$((T_FAIL + 1)); echo "FAIL - one name at once: exits $outcome" ;;
esac
check "... the other was told the name is taken" grep -Eqh "already exists|already taken" "$T/d1.err" "$T/d2.err" "$T/d1.out" "$T/d2.out"
"$BIN" connection list --output json >"$T/after2.json"
expect_eq "... exactly one same_name in the store" 1 "$(jn "$T/after2.json" 'j.filter(c=>c.display_name==="same_name").length')"
check "the store's records all parse" node -e '
  const fs=require("fs"),d=process.argv[1]+"/connections";
  for (const f of fs.readdirSync(d)) JSON.parse(fs.readFileSync(d+"/"+f,"utf8"));' "$STORE"

assert_no_secrets "$OUT/state/synwiz/synwiz.log" "$SP_STATE/synwiz/synwiz.log" "$STORE" \
  "$OUT/config" "$T" "$OUT/last.out"
test_done
