#!/bin/sh
# The SDK contract test: Microsoft's Azure SDK for JavaScript (tests/contract/, exact pins,
# committed lockfile) runs every operation synwiz uses against the build tree's sandbox.
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init sdk_contract
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
if [ ! -d "$SRC/tests/contract/node_modules/@azure/identity" ]; then
  echo "tests/contract/node_modules is missing: run scripts/install-deps.sh"
  exit 1
fi
sandbox_load
cd "$SRC/tests/contract" || exit 1
NODE_EXTRA_CA_CERTS="$SYNWIZ_SANDBOX_CA" node --import ./dns-localhost.mjs contract.mjs >"$OUT/contract.log" 2>&1
rc=$?
cat "$OUT/contract.log"
# The SDK's runs must not have left secrets in what this test wrote (its HOME, XDG dirs, log).
assert_no_secrets "$OUT" >/dev/null
[ "$T_FAIL" = 0 ] || { echo "secrets found in the test's directories"; exit 1; }
exit $rc
