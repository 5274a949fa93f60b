#!/bin/sh
# Ctrl-C (and SIGTERM) during the role-propagation countdown of `linked-service new` without
# screens is caught (issue 13 item 8): synwiz says what was already done (the role stays
# granted, the linked service was not created) and exits 1, not 130 with no word; Synapse
# holds no such linked service and the store records none.
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init ls_interrupt
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
sandbox_load
sandbox_reset
T=$OUT/captures
mkdir -p "$T"
export SYNWIZ_CLOUD=sandbox
sandbox_login
for sig in INT TERM; do
  cat >"$T/msi-$sig.json" <<EOF
{ "subscription": "Contoso Analytics", "workspace": "contoso-synapse", "name": "Stopped$sig",
  "ml_subscription": "Contoso Analytics", "ml_workspace": "contoso-ml",
  "authentication": "managed_identity", "grant_role": true }
EOF
  # A shell starts background jobs with SIGINT ignored: give synwiz the default back, as a
  # terminal's Ctrl-C would find it.
  SYNWIZ_ROLE_WAIT_SECONDS=60 env --default-signal=INT "$BIN" linked-service new \
    --answers "$T/msi-$sig.json" --non-interactive >"$T/$sig.out" 2>"$T/$sig.err" &
  pid=$!
  for _ in $(seq 300); do grep -q "Waiting for the new role" "$T/$sig.err" && break; sleep 0.1; done
  check "SIG$sig: the countdown started" grep -q "Waiting for the new role" "$T/$sig.err"
  kill -"$sig" "$pid"
  wait "$pid"
  expect_eq "... exit 1 (cancelled), not killed" 1 $?
  check "... the report says the role stays granted" grep -q "stays granted" "$T/$sig.out"
  check "... and that the linked service was not created" grep -q "linked service was not created" "$T/$sig.out"
  "$BIN" sandbox state --dir "$SYNWIZ_SANDBOX_DIR" >"$T/state-$sig.json"
  expect_eq "... Synapse holds no such linked service" "none" \
    "$(jget "$T/state-$sig.json" "(j.workspaces.find(w=>w.name==='contoso-synapse').linkedServices.find(l=>l.name==='Stopped$sig')) ? 'created' : 'none'")"
  sandbox_reset
done
test_done
