#!/bin/sh
# A service-principal linked service under tmux (issue 6): an answers file with the secret as
# {"env": "SP_SECRET"} and a gap (the name), so the screens ask only for the name; a draft is
# saved and the run cancelled; `synwiz resume` reopens it, the review shows the secret
# masked; Test connection signs in as synwiz-automation and passes; Save creates it. The
# secret is then in no screen capture, draft, log, record or store file.
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init tui-ls-sp
. "$SRC/tests/tui/lib.sh"
sandbox_load
sandbox_reset
# Synapse operations end after 300 ms (the default 1 s only makes the test wait).
sandbox_control POST config '{"operationMs": 300}' >/dev/null
C=$OUT/captures
mkdir -p "$C"
SECRET=$SYNWIZ_SANDBOX_CLIENT_SECRET
"$BIN" sandbox start --dir "$SYNWIZ_SANDBOX_DIR" >"$C/signin.out" 2>&1
cat >"$OUT/sp.json" <<EOF
{ "subscription": "Contoso Analytics", "workspace": "contoso-synapse",
  "ml_subscription": "Contoso Analytics", "ml_workspace": "contoso-ml",
  "authentication": "service_principal", "client_id": "$SYNWIZ_SANDBOX_CLIENT_ID",
  "secret": { "env": "SP_SECRET" }, "tenant": "contoso.onmicrosoft.com" }
EOF

TUI_ENV="-e SYNWIZ_SANDBOX_DIR=$SYNWIZ_SANDBOX_DIR -e SP_SECRET=$SECRET" \
  tui_start "$BIN" linked-service new --answers "$OUT/sp.json"
check "the screens open where the answers have a gap: the name" tui_wait "Step 2 of 5" 80
tui_text "AzureMLService2"
tui_keys F2
check "a draft is saved (no secrets)" tui_wait "(no secrets)."
check "... with the whole command to resume it" tui_wait "Resume with: synwiz resume linked_service-"
tui_snap "$C/01-draft.txt"
tui_keys C-x
tui_wait "Cancel the wizard" >/dev/null
tui_text "y"
expect_eq "cancelled with the draft kept: exit 1" 1 "$(tui_wait_exit 50)"
DRAFT=$(basename "$(ls "$OUT"/state/synwiz/drafts/linked_service-*.json)" .json)
expect_eq "the draft names the secret's variable, not the secret" "yes" "$(grep -q '"env": "SP_SECRET"' "$OUT/state/synwiz/drafts/$DRAFT.json" && echo yes)"

# Resumed: every step is there, the review shows the secret masked.
tui_new_server
TUI_ENV="-e SYNWIZ_SANDBOX_DIR=$SYNWIZ_SANDBOX_DIR -e SP_SECRET=$SECRET" \
  tui_start "$BIN" resume --record "$OUT/record.json" "$DRAFT"
check "the draft reopens at the name" tui_wait "Name *                    AzureMLService2" 80
# (A name check still running refuses Next: press again, as a user would.)
for step in 3 4 5; do
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    tui_keys F10
    tui_wait "Step $step of 5" 20 2>/dev/null && break
  done
done
check "the review shows the secret masked, and where it came from" tui_wait 'Client secret          ******** (from $SP_SECRET)'
tui_snap "$C/02-review.txt"
tui_keys F6
check "Test connection signs in as the service principal and passes" tui_wait "Test connection passed (done)" 100
check "... having read the Azure ML workspace as it" tui_wait "signs in and reads contoso-ml"
tui_snap "$C/03-tested.txt"
tui_keys 1
check "saved" tui_wait "Linked service saved (done)" 100
tui_snap "$C/04-saved.txt"
tui_keys Enter
expect_eq "exit 0" 0 "$(tui_wait_exit 50)"
expect_eq "the record names the secret's variable" yes "$(grep -q '"env": "SP_SECRET"' "$OUT/record.json" && echo yes)"
mkdir -p "$OUT/state/synwiz/drafts"
assert_no_secrets "$OUT/state/synwiz/synwiz.log" "$OUT/config" "$OUT/state/synwiz/drafts" "$C" "$OUT/record.json"
expect_eq "the secret itself is in no capture, draft, log, record or store file" "" \
  "$(grep -rlF -- "$SECRET" "$C" "$OUT/state" "$OUT/config" "$OUT/record.json" "$OUT/sp.json" 2>/dev/null)"
test_done
