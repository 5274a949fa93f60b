#!/bin/sh
# A failed Test connection offers to change the secret (issue 15), not only to test again: a
# service-principal linked service whose secret is wrong fails to sign in; the report's
# follow-up 1 "Change the secret" goes back to the secret field; with a new secret typed
# there it signs in and is saved. The secret is in no capture, log or draft.
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init tui-ls-secret
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
. "$SRC/tests/tui/lib.sh"
sandbox_load
sandbox_reset
sandbox_login
C=$OUT/captures
mkdir -p "$C"
SECRET=$SYNWIZ_SANDBOX_CLIENT_SECRET
cat >"$OUT/sp.json" <<EOF
{ "subscription": "Contoso Analytics", "workspace": "contoso-synapse",
  "ml_subscription": "Contoso Analytics", "ml_workspace": "contoso-ml",
  "authentication": "service_principal", "client_id": "$SYNWIZ_SANDBOX_CLIENT_ID",
  "secret": { "env": "SP_SECRET" }, "tenant": "contoso.onmicrosoft.com" }
EOF

TUI_ENV="-e SYNWIZ_SANDBOX_DIR=$SYNWIZ_SANDBOX_DIR -e SP_SECRET=not-the-secret" \
  tui_start "$BIN" --cloud sandbox linked-service new --answers "$OUT/sp.json"
check "the screens open at the gap: the name" tui_wait "Step 2 of 5" 80
tui_text "AzureMLSecret"
for step in 3 4 5; do
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    tui_keys F10
    tui_wait "Step $step of 5" 20 2>/dev/null && break
  done
done
check "the review" tui_wait "[5 Test and save]"
tui_keys F6
check "Test connection: the secret is wrong" tui_wait "The client secret is wrong" 100
check "... follow-up 1 changes the secret" tui_wait "1  Change the secret"
check "... follow-up 2 tests again" tui_wait "2  Test again"
tui_snap "$C/01-failed.txt"
tui_keys 1
check "1 goes back to the secret field" tui_wait_gone "1  Change the secret" 30
tui_snap "$C/02-secret.txt"
check "... on its step" grep -q "Client secret \*" "$C/02-secret.txt"
tui_keys C-u
tui_text "$SECRET"
# Next from here: the steps already answered are passed (the answers file's unattended run)
# and the review saves, signing in first.
for _ in 1 2 3 4 5 6 7 8 9 10; do
  tui_keys F10
  tui_wait "signs in and reads contoso-ml" 20 2>/dev/null && break
done
check "with the new secret it signs in" tui_wait "[PASS] Service principal $SYNWIZ_SANDBOX_CLIENT_ID signs in and reads contoso-ml" 100
tui_snap "$C/03-passed.txt"
tui_keys Enter
expect_eq "... and saves it: exit 0" 0 "$(tui_wait_exit 100)"
"$BIN" --cloud sandbox linked-service list --workspace contoso-synapse >"$C/list.txt" 2>&1
check "... recorded" grep -q "AzureMLSecret" "$C/list.txt"
mkdir -p "$OUT/state/synwiz/drafts"
assert_no_secrets "$OUT/state/synwiz/synwiz.log" "$OUT/config" "$OUT/state/synwiz/drafts" "$C"
test_done
