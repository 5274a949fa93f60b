# Shared helpers for script tests (tests/{integration,tui,screen}/*.sh). Source it:
#   . "$SRC/tests/lib/common.sh"
# after setting BIN, SRC and BLD from $1 $2 $3. Every test:
#   test_init NAME        private HOME/XDG dirs under $BLD/tests-out/NAME, pinned env
#   sandbox_load          eval "synwiz sandbox env" for the build tree's sandbox
#   sandbox_reset         put the sandbox back in its seeded state
#   check DESC CMD...     run CMD; count a pass or a failure, print which
#   expect_eq DESC A B    compare two strings
#   assert_no_secrets DIR...  fail if any seeded secret appears under DIR
#   jget FILE EXPR        print the JavaScript EXPR over the JSON file's `j` (needs node):
#                         a string as is, anything else as JSON, nothing for null/undefined
#   test_done             print "N passed, N failed" and exit 0/1
set -u

test_init() {
  TEST_NAME=$1
  OUT="$BLD/tests-out/$TEST_NAME"
  rm -rf "$OUT"
  mkdir -p "$OUT/home" "$OUT/config" "$OUT/state"
  export HOME="$OUT/home" XDG_CONFIG_HOME="$OUT/config" XDG_STATE_HOME="$OUT/state"
  export TZ=UTC LANG=C.UTF-8 LC_ALL=C.UTF-8
  unset SYNWIZ_CLOUD SYNWIZ_STORE SYNWIZ_LOG_FILE AZURE_TENANT_ID AZURE_CLIENT_ID \
    AZURE_CLIENT_SECRET AZURE_CLIENT_CERTIFICATE_PATH IDENTITY_ENDPOINT IDENTITY_HEADER
  T_PASS=0
  T_FAIL=0
}

sandbox_load() {
  if [ -z "${SYNWIZ_SANDBOX_DIR:-}" ] || [ ! -f "$SYNWIZ_SANDBOX_DIR/runtime.json" ]; then
    echo "no sandbox running in ${SYNWIZ_SANDBOX_DIR:-(unset)}" >&2
    exit 1
  fi
  eval "$("$BIN" sandbox env --dir "$SYNWIZ_SANDBOX_DIR")"
}

sandbox_control() { # sandbox_control METHOD PATH [JSON]
  curl -sS --fail-with-body --cacert "$SYNWIZ_SANDBOX_CA" -X "$1" \
    -H "x-sandbox-control: $(sandbox_control_token)" -H 'Content-Type: application/json' \
    ${3:+--data "$3"} "$SYNWIZ_SANDBOX_CONTROL/$2"
}

sandbox_control_token() {
  node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(process.argv[1])).control_token)' \
    "$SYNWIZ_SANDBOX_DIR/runtime.json"
}

sandbox_reset() { sandbox_control POST reset >/dev/null; }

check() { # check DESC CMD...
  desc=$1
  shift
  if "$@" >"$OUT/last.out" 2>&1; then
    T_PASS=$((T_PASS + 1))
    echo "ok   - $desc"
  else
    T_FAIL=$((T_FAIL + 1))
    echo "FAIL - $desc"
    sed 's/^/       /' "$OUT/last.out" | tail -n 30
  fi
}

check_fails() { # check_fails DESC CMD...: CMD must exit non-zero
  desc=$1
  shift
  if "$@" >"$OUT/last.out" 2>&1; then
    T_FAIL=$((T_FAIL + 1))
    echo "FAIL - $desc (it succeeded)"
    sed 's/^/       /' "$OUT/last.out" | tail -n 30
  else
    T_PASS=$((T_PASS + 1))
    echo "ok   - $desc"
  fi
}

expect_eq() { # expect_eq DESC EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then
    T_PASS=$((T_PASS + 1))
    echo "ok   - $1"
  else
    T_FAIL=$((T_FAIL + 1))
    echo "FAIL - $1: expected [$2], got [$3]"
  fi
}

# Every secret the sandbox knows: the service principals' secrets, the certificate's key,
# the storage account keys, and every token it has issued (the sandbox lists them).
assert_no_secrets() { # assert_no_secrets DIR...
  secrets=$("$BIN" sandbox secrets --values --dir "$SYNWIZ_SANDBOX_DIR" 2>/dev/null)
  found=""
  for s in $secrets; do
    [ ${#s} -ge 12 ] || continue
    hit=$(grep -rlF -- "$s" "$@" 2>/dev/null | head -n 3)
    [ -n "$hit" ] && found="$found $hit"
  done
  if [ -z "$found" ]; then
    T_PASS=$((T_PASS + 1))
    echo "ok   - no secret in $*"
  else
    T_FAIL=$((T_FAIL + 1))
    echo "FAIL - secrets found in:$found"
  fi
}

jget() { node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); const v=('"$2"'); process.stdout.write(v===undefined||v===null?"":typeof v==="string"?v:JSON.stringify(v))' "$1"; }

test_done() {
  echo "$T_PASS passed, $T_FAIL failed"
  [ "$T_FAIL" = 0 ]
}

# Sign the demo user (Dana) in to the sandbox through device code, the code approved through
# the control endpoint (there is no browser). Uses this test's HOME and XDG dirs.
sandbox_login() { # sandbox_login
  _err="$OUT/sandbox-login.err"
  : >"$_err"
  "$BIN" --cloud sandbox login >/dev/null 2>"$_err" &
  _pid=$!
  _code=""
  for _ in $(seq 100); do
    _code=$(sed -n 's/.*enter the code \([A-Z0-9-]*\).*/\1/p' "$_err" | head -n 1)
    [ -n "$_code" ] && break
    sleep 0.1
  done
  sandbox_control POST devicecode/approve "{\"user_code\":\"$_code\"}" >/dev/null
  wait $_pid
}
