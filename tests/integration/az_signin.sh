#!/bin/sh
# Every way of signing in, against the sandbox (issue 3): device code approved through
# `synwiz sandbox approve`, a service principal by secret (environment) and by certificate,
# a managed identity through IMDS and through IDENTITY_ENDPOINT, the EnvironmentCredential
# variables without a login; `synwiz account show`; logout; and, after each, no secret
# anywhere but the 0600 token cache.
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init az_signin
for t in node; do command -v $t >/dev/null 2>&1 || { echo "$t is missing"; exit 77; }; done
sandbox_load
sandbox_reset
T=$OUT/captures
mkdir -p "$T"
LOG=$OUT/state/synwiz/synwiz.log
CACHE=$OUT/state/synwiz/tokens.json
export SYNWIZ_CLOUD=sandbox
ARM_URL="$SYNWIZ_SANDBOX_ARM/subscriptions?api-version=2022-12-01"

jget() { node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); const v=('"$2"'); process.stdout.write(v===undefined||v===null?"":typeof v==="string"?v:JSON.stringify(v))' "$1"; }
no_secrets() { assert_no_secrets "$LOG" "$OUT/config" "$T" "$OUT/last.out"; }
mode_of() { stat -c %a "$1" 2>/dev/null; }
# "hit" when FILE holds one of the sandbox's secrets: shows that the secret check can fail.
# The list goes through a file: `sandbox secrets` loses its tail when a slow reader drains
# the pipe (node exits with writes pending).
secrets_in() {
  list_file=$OUT/secrets.list
  "$BIN" sandbox secrets --values --dir "$SYNWIZ_SANDBOX_DIR" >"$list_file" 2>/dev/null
  found=""
  while read -r s; do
    if [ ${#s} -ge 12 ] && grep -qF -- "$s" "$1"; then
      found=hit
      break
    fi
  done <"$list_file"
  rm -f "$list_file"
  echo "$found"
}

echo "== device code, approved through synwiz sandbox approve"
"$BIN" login >"$T/login.out" 2>"$T/login.err" &
LOGIN_PID=$!
code=""
for _ in $(seq 100); do
  code=$(sed -n 's/.*enter the code \([A-Z0-9]*\).*/\1/p' "$T/login.err" | head -n 1)
  [ -n "$code" ] && break
  sleep 0.1
done
expect_eq "the code is shown on stderr" yes "$([ -n "$code" ] && echo yes)"
check "synwiz sandbox approve CODE" "$BIN" sandbox approve "$code"
wait $LOGIN_PID
expect_eq "login exits 0" 0 "$?"
expect_eq "it says who signed in" yes "$(grep -q "$SYNWIZ_SANDBOX_USER_NAME" "$T/login.out" && echo yes)"
expect_eq "the code never reaches the log" no "$(grep -q "$code" "$LOG" && echo yes || echo no)"
expect_eq "tokens.json is 0600" 600 "$(mode_of "$CACHE")"
expect_eq "tokens live in tokens.json (so the secret check below can fail)" hit "$(secrets_in "$CACHE")"
expect_eq "config.json is 0600 and names the sandbox" "600 sandbox" "$(mode_of "$OUT/config/synwiz/config.json") $(jget "$OUT/config/synwiz/config.json" j.cloud)"
"$BIN" account show --output json >"$T/account.json" 2>"$T/account.err"
expect_eq "account show: a user" user "$(jget "$T/account.json" j.type)"
expect_eq "... its object id is the demo user's" "$SYNWIZ_SANDBOX_USER_OBJECT_ID" "$(jget "$T/account.json" j.objectId)"
expect_eq "... tenant and cloud" "$SYNWIZ_SANDBOX_TENANT sandbox" "$(jget "$T/account.json" j.tenantId) $(jget "$T/account.json" j.cloud)"
"$BIN" account show >"$T/account.txt" 2>&1
expect_eq "account show (table) names the user" yes "$(grep -q "$SYNWIZ_SANDBOX_USER_NAME" "$T/account.txt" && echo yes)"
check "a call works with the cached sign-in (new process)" "$BIN" rest --url "$ARM_URL"
"$BIN" rest --url "https://contoso-synapse.dev.sandbox.localhost:${SYNWIZ_SANDBOX_AUTHORITY##*:}/pipelines?api-version=2020-12-01" >"$T/pipelines.json" 2>&1
expect_eq "the refresh token gets a Synapse token too" yes "$(grep -q ScoreCustomerChurn "$T/pipelines.json" && echo yes)"
no_secrets

echo "== logout"
check "logout" "$BIN" logout
expect_eq "the token cache is gone" no "$([ -e "$CACHE" ] && echo yes || echo no)"
"$BIN" account show >"$T/nobody.out" 2>&1
expect_eq "account show afterwards: exit 3, says how to sign in" "3 yes" "$? $(grep -q 'synwiz login' "$T/nobody.out" && echo yes)"

echo "== device code declined"
"$BIN" login >"$T/login2.out" 2>"$T/login2.err" &
LOGIN_PID=$!
code=""
for _ in $(seq 100); do
  code=$(sed -n 's/.*enter the code \([A-Z0-9]*\).*/\1/p' "$T/login2.err" | head -n 1)
  [ -n "$code" ] && break
  sleep 0.1
done
sandbox_control POST devicecode/decline "{\"user_code\":\"$code\"}" >/dev/null
wait $LOGIN_PID
expect_eq "a declined code: exit 3 with the hint" "3 yes" "$? $(grep -q 'declined' "$T/login2.err" && echo yes)"

echo "== service principal, secret from AZURE_CLIENT_SECRET"
AZURE_CLIENT_SECRET=$SYNWIZ_SANDBOX_CLIENT_SECRET "$BIN" login --service-principal \
  --tenant "$SYNWIZ_SANDBOX_TENANT" --client-id "$SYNWIZ_SANDBOX_CLIENT_ID" >"$T/sp.out" 2>&1
expect_eq "login --service-principal exits 0" 0 "$?"
"$BIN" account show --output json >"$T/sp.json" 2>&1
expect_eq "account show: the service principal" "servicePrincipal $SYNWIZ_SANDBOX_CLIENT_OBJECT_ID" "$(jget "$T/sp.json" j.type) $(jget "$T/sp.json" j.objectId)"
expect_eq "the secret is not in the token cache" no "$(grep -qF "$SYNWIZ_SANDBOX_CLIENT_SECRET" "$CACHE" && echo yes || echo no)"
check "a call with the cached token (no secret at hand)" "$BIN" rest --url "$ARM_URL"
check_fails "a secret on the command line is refused" "$BIN" login --service-principal --tenant t --client-id c --secret nope
AZURE_CLIENT_SECRET=wrong-secret "$BIN" login --service-principal --tenant "$SYNWIZ_SANDBOX_TENANT" \
  --client-id "$SYNWIZ_SANDBOX_CLIENT_ID" >"$T/badsp.out" 2>&1 </dev/null
expect_eq "a wrong secret: exit 3, AADSTS7000215 and its hint" "3 yes yes" "$? $(grep -q AADSTS7000215 "$T/badsp.out" && echo yes) $(grep -q 'Secret ID' "$T/badsp.out" && echo yes)"
no_secrets

echo "== service principal, secret typed at a masked prompt (on a pseudo-terminal)"
if command -v script >/dev/null 2>&1; then
  (sleep 1; printf '%s\r' "$SYNWIZ_SANDBOX_CLIENT_SECRET") | script -qec "'$BIN' login --service-principal --tenant $SYNWIZ_SANDBOX_TENANT --client-id $SYNWIZ_SANDBOX_CLIENT_ID" /dev/null >"$T/tty.out" 2>&1
  expect_eq "the prompt asked and the login succeeded" "yes yes" "$(grep -q 'Client secret of' "$T/tty.out" && echo yes) $(grep -q 'Signed in to' "$T/tty.out" && echo yes)"
  expect_eq "... the secret was masked, not echoed" "no yes" "$(grep -qF "$SYNWIZ_SANDBOX_CLIENT_SECRET" "$T/tty.out" && echo yes || echo no) $(grep -q '\*\*\*\*' "$T/tty.out" && echo yes)"
else
  echo "       (script(1) is missing: the prompt is not exercised)"
fi
no_secrets

echo "== service principal, certificate"
"$BIN" login --service-principal --tenant "$SYNWIZ_SANDBOX_TENANT" \
  --client-id "$SYNWIZ_SANDBOX_CERT_CLIENT_ID" --certificate "$SYNWIZ_SANDBOX_CERT_PATH" >"$T/cert.out" 2>&1
expect_eq "login --certificate exits 0" 0 "$?"
"$BIN" account show --output json >"$T/cert.json" 2>&1
expect_eq "account show: the certificate's service principal" "servicePrincipal $SYNWIZ_SANDBOX_CERT_CLIENT_ID $SYNWIZ_SANDBOX_CERT_PATH" "$(jget "$T/cert.json" j.type) $(jget "$T/cert.json" j.clientId) $(jget "$T/cert.json" j.certificate)"
check "a call signed in with the certificate" "$BIN" rest --url "$ARM_URL"
no_secrets

echo "== managed identity, IMDS"
"$BIN" login --managed-identity --client-id "$SYNWIZ_SANDBOX_MI_CLIENT_ID" >"$T/mi.out" 2>&1
expect_eq "login --managed-identity exits 0" 0 "$?"
"$BIN" account show --output json >"$T/mi.json" 2>&1
expect_eq "account show: a managed identity through IMDS" "managedIdentity IMDS $SYNWIZ_SANDBOX_MI_CLIENT_ID" "$(jget "$T/mi.json" j.type) $(jget "$T/mi.json" j.managedIdentityEndpoint) $(jget "$T/mi.json" j.clientId)"
check "a call as the managed identity" "$BIN" rest --url "$ARM_URL"
no_secrets

echo "== managed identity, IDENTITY_ENDPOINT"
IDENTITY_ENDPOINT=$SYNWIZ_SANDBOX_IDENTITY_ENDPOINT IDENTITY_HEADER=$SYNWIZ_SANDBOX_IDENTITY_HEADER \
  "$BIN" login --managed-identity >"$T/mi2.out" 2>&1
expect_eq "login --managed-identity (App Service style) exits 0" 0 "$?"
IDENTITY_ENDPOINT=$SYNWIZ_SANDBOX_IDENTITY_ENDPOINT IDENTITY_HEADER=$SYNWIZ_SANDBOX_IDENTITY_HEADER \
  "$BIN" account show --output json >"$T/mi2.json" 2>&1
expect_eq "account show: through IDENTITY_ENDPOINT" "managedIdentity IDENTITY_ENDPOINT" "$(jget "$T/mi2.json" j.type) $(jget "$T/mi2.json" j.managedIdentityEndpoint)"
expect_eq "the identity header is not in the token cache" no "$(grep -qF "$SYNWIZ_SANDBOX_IDENTITY_HEADER" "$CACHE" && echo yes || echo no)"
no_secrets

echo "== EnvironmentCredential, no login"
"$BIN" logout >/dev/null
AZURE_TENANT_ID=$SYNWIZ_SANDBOX_TENANT AZURE_CLIENT_ID=$SYNWIZ_SANDBOX_CLIENT_ID \
  AZURE_CLIENT_SECRET=$SYNWIZ_SANDBOX_CLIENT_SECRET "$BIN" account show --output json >"$T/env.json" 2>&1
expect_eq "secret variables: the service principal, from the environment" "servicePrincipal environment $SYNWIZ_SANDBOX_CLIENT_OBJECT_ID" "$(jget "$T/env.json" j.type) $(jget "$T/env.json" j.source) $(jget "$T/env.json" j.objectId)"
AZURE_TENANT_ID=$SYNWIZ_SANDBOX_TENANT AZURE_CLIENT_ID=$SYNWIZ_SANDBOX_CERT_CLIENT_ID \
  AZURE_CLIENT_CERTIFICATE_PATH=$SYNWIZ_SANDBOX_CERT_PATH "$BIN" rest --url "$ARM_URL" >"$T/envcert.json" 2>&1
expect_eq "certificate variables: a call works" yes "$(grep -q 'Contoso Analytics' "$T/envcert.json" && echo yes)"
expect_eq "nothing was written to the token cache" no "$([ -e "$CACHE" ] && echo yes || echo no)"
no_secrets
expect_eq "the log exists and is 0600" 600 "$(mode_of "$LOG")"

test_done
