#!/bin/sh
# A newcomer's command line (issue 15): `synwiz sandbox secrets` says what each secret is;
# after `synwiz logout`, `synwiz login` on the sandbox says how to approve its code there
# (`synwiz sandbox approve CODE`: there is no page to open), and that very command signs in;
# `connection remove` and `linked-service remove` ask first on a terminal (n keeps it, exit
# 1; y removes it) and, without a terminal, refuse without --yes (exit 2, naming --yes).
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init tui-cli-newcomer
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
. "$SRC/tests/tui/lib.sh"
sandbox_load
sandbox_reset
export SYNWIZ_CLOUD=sandbox
CAP=$OUT/captures
mkdir -p "$CAP"

echo "== sandbox secrets, labelled"
"$BIN" sandbox secrets --dir "$SYNWIZ_SANDBOX_DIR" >"$CAP/secrets.txt" 2>&1
expect_eq "sandbox secrets: exit 0" 0 $?
check "the automation principal's secret is labelled with its name and application id" \
  grep -qxF "client secret of synwiz-automation ($SYNWIZ_SANDBOX_CLIENT_ID): $SYNWIZ_SANDBOX_CLIENT_SECRET" \
  "$CAP/secrets.txt"
check "an account key is labelled" grep -q "^account key of contosolake: " "$CAP/secrets.txt"
expect_eq "every line has a label" "" "$(grep -v '^[a-zA-Z][^:]*: ' "$CAP/secrets.txt" | head -n 3)"
"$BIN" sandbox secrets --values --dir "$SYNWIZ_SANDBOX_DIR" >"$CAP/values.txt" 2>&1
check "--values: the values alone, one per line" grep -qxF "$SYNWIZ_SANDBOX_CLIENT_SECRET" "$CAP/values.txt"
expect_eq "... as many as the labelled lines" "$(wc -l <"$CAP/secrets.txt")" "$(wc -l <"$CAP/values.txt")"
rm -f "$CAP/secrets.txt" "$CAP/values.txt" # they are the secrets: not for assert_no_secrets

echo "== login after logout names synwiz sandbox approve"
sandbox_login
check "logout" "$BIN" logout
"$BIN" --cloud sandbox login >"$CAP/login.out" 2>"$CAP/login.err" &
login_pid=$!
code=""
for _ in $(seq 100); do
  code=$(sed -n 's/^ *synwiz sandbox approve \([A-Z0-9-]*\)$/\1/p' "$CAP/login.err" | head -n 1)
  [ -n "$code" ] && break
  sleep 0.1
done
check "login says: approve the code with synwiz sandbox approve CODE" test -n "$code"
check "... there being no page to open" grep -q "On the sandbox there is no page to open" "$CAP/login.err"
check "the command it names approves the code" "$BIN" sandbox approve "$code" --dir "$SYNWIZ_SANDBOX_DIR"
wait $login_pid
expect_eq "... and login ends signed in (exit 0)" 0 $?
check "... as the demo user" grep -q "Signed in to .* as dana@contoso.onmicrosoft.com" "$CAP/login.out"

echo "== removals ask first"
cat >"$CAP/conn.json" <<JSON
{ "display_name": "sales_lake", "audience": "admins", "subscription": "Contoso Analytics",
  "workspace": "contoso-synapse", "storage_account": "contosolake",
  "container": "customerinsights", "private_link": false, "agree": true }
JSON
check "a connection to remove" "$BIN" connection new --answers "$CAP/conn.json" --non-interactive
PORT=${SYNWIZ_SANDBOX_AUTHORITY##*:}
check "a linked service to remove" "$BIN" rest --method put --wait \
  --url "https://contoso-synapse.dev.sandbox.localhost:$PORT/linkedservices/AzureMLGone?api-version=2020-12-01" \
  --body '{"properties":{"type":"AzureMLService","typeProperties":{"subscriptionId":"'"$SYNWIZ_SANDBOX_SUBSCRIPTION"'","resourceGroupName":"rg-ml","mlWorkspaceName":"contoso-ml","authentication":"MSI"}}}'
listed() { "$BIN" connection list --output json | grep -c '"display_name": "sales_lake"'; }
ls_listed() { "$BIN" linked-service list --workspace contoso-synapse --output json | grep -c '"name": "AzureMLGone"'; }

"$BIN" connection remove sales_lake </dev/null >"$CAP/rm-nontty.out" 2>&1
expect_eq "connection remove without a terminal and without --yes: exit 2" 2 $?
check "... naming --yes" grep -q "run it on a terminal, or add --yes" "$CAP/rm-nontty.out"
expect_eq "... nothing removed" 1 "$(listed)"
"$BIN" linked-service remove AzureMLGone --workspace contoso-synapse </dev/null >"$CAP/lsrm-nontty.out" 2>&1
expect_eq "linked-service remove without a terminal and without --yes: exit 2" 2 $?
check "... naming --yes" grep -q "run it on a terminal, or add --yes" "$CAP/lsrm-nontty.out"
expect_eq "... nothing removed" 1 "$(ls_listed)"

tui_start "$BIN" connection remove sales_lake
check "on a terminal, connection remove asks" tui_wait "Remove the connection sales_lake? [y/N]" 100
tui_text n
tui_keys Enter
expect_eq "n: not removed, exit 1" 1 "$(tui_wait_exit 100)"
check "... saying so" tui_wait "Not removed."
expect_eq "... still saved" 1 "$(listed)"
tui_new_server
tui_start "$BIN" connection remove sales_lake
check "asked again" tui_wait "Remove the connection sales_lake? [y/N]" 100
tui_text y
tui_keys Enter
expect_eq "y: removed, exit 0" 0 "$(tui_wait_exit 100)"
check "... saying so" tui_wait "Removed the connection sales_lake."
expect_eq "... gone from the store" 0 "$(listed)"

tui_new_server
tui_start "$BIN" linked-service remove AzureMLGone --workspace contoso-synapse
check "on a terminal, linked-service remove asks" \
  tui_wait "Remove the linked service AzureMLGone from contoso-synapse? [y/N]" 100
tui_keys Enter
expect_eq "Enter alone means no: exit 1" 1 "$(tui_wait_exit 100)"
expect_eq "... still in Synapse" 1 "$(ls_listed)"
tui_new_server
tui_start "$BIN" linked-service remove AzureMLGone --workspace contoso-synapse
check "asked again" tui_wait "Remove the linked service AzureMLGone from contoso-synapse? [y/N]" 100
tui_text y
tui_keys Enter
expect_eq "y: removed, exit 0" 0 "$(tui_wait_exit 100)"
expect_eq "... gone from Synapse" 0 "$(ls_listed)"
"$BIN" linked-service remove AzureMLGone --workspace contoso-synapse --yes </dev/null >"$CAP/lsrm-yes.out" 2>&1
expect_eq "--yes without a terminal goes ahead (here: already gone, exit 3)" 3 $?
assert_no_secrets "$CAP" "$OUT/config"
test_done
