#!/bin/sh
# Export runs and schedules on the sandbox (issue 11): Ctrl-C (SIGINT) in the middle of a run
# cancels it (exit 1, recorded Canceled, no model.json written by it) and the next run is
# clean; `export schedule` sets and clears a schedule; `refresh --due` runs what is due and
# nothing else, one refresh at a time (a second one meanwhile does nothing); `run --all`
# runs only the exports with an active schedule; `schedule install` prints the crontab line
# where there is no systemd user instance; `export remove` says the files and database stay.
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init export_schedule
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
sandbox_load
sandbox_reset
T=$OUT/captures
mkdir -p "$T"
export SYNWIZ_CLOUD=sandbox
export SYNWIZ_STORE=$OUT/store
SP=$SYNWIZ_SANDBOX_CLIENT_OBJECT_ID
SP_STATE=$OUT/state-sp
mkdir -p "$SP_STATE"
as_sp() { env XDG_STATE_HOME="$SP_STATE" AZURE_TENANT_ID="$SYNWIZ_SANDBOX_TENANT" \
  AZURE_CLIENT_ID="$SYNWIZ_SANDBOX_CLIENT_ID" AZURE_CLIENT_SECRET="$SYNWIZ_SANDBOX_CLIENT_SECRET" \
  "$BIN" "$@"; }

sandbox_login
cat >"$T/conn.json" <<EOF
{ "display_name": "shared_lake", "audience": "admins_and_contributors", "subscription": "Contoso Analytics",
  "workspace": "contoso-synapse", "storage_account": "contosolake",
  "container": "customerinsights", "private_link": false, "agree": true }
EOF
"$BIN" connection new --answers "$T/conn.json" --non-interactive >/dev/null 2>&1
"$BIN" role add "$SP" contributor --name synwiz-automation >/dev/null 2>&1
# Azurite keeps its blobs across sandbox resets: a name of this run's own.
M=manual$(date +%s)
for x in "hourly:hourlydb:{\"every_hours\": 1}" "$M:manualdb:\"off\""; do
  name=${x%%:*} rest=${x#*:} db=${rest%%:*} sched=${rest#*:}
  cat >"$T/$name.json" <<EOF
{ "connection": "shared_lake", "display_name": "$name", "database_name": "$db",
  "tables": ["Orders"], "schedule": $sched }
EOF
  as_sp export new --answers "$T/$name.json" --non-interactive >/dev/null 2>&1
  expect_eq "export $name saved" 0 $?
done

# --- Ctrl-C ---
sandbox_control POST config '{"operationMs":300}' >/dev/null
"$BIN" sandbox fault --route '^PUT contosolake\.blob\..*/Orders_' --delay-ms 400 >/dev/null
env XDG_STATE_HOME="$SP_STATE" AZURE_TENANT_ID="$SYNWIZ_SANDBOX_TENANT" AZURE_CLIENT_ID="$SYNWIZ_SANDBOX_CLIENT_ID" \
  AZURE_CLIENT_SECRET="$SYNWIZ_SANDBOX_CLIENT_SECRET" "$BIN" export run "$M" --partition-bytes 20000 >"$T/cancel.out" 2>"$T/cancel.err" &
pid=$!
i=0
while [ $i -lt 150 ] && ! grep -q "Orders (1/1): [1-9]" "$T/cancel.err" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
kill -INT $pid
wait $pid
expect_eq "Ctrl-C cancels the run (exit 1)" 1 $?
check "... recorded Canceled" grep -q "^$M: Canceled" "$T/cancel.out"
BLOBP=$(jget "$SYNWIZ_SANDBOX_DIR/runtime.json" 'String(j.ports.azurite)')
as_sp rest --url "https://contosolake.blob.sandbox.localhost:$BLOBP/customerinsights?restype=container&comp=list&prefix=customerinsights/$M/Orders/" >"$T/cancel-blobs.xml" 2>&1
n_parts=$(grep -o "Orders_[0-9]*\.csv" "$T/cancel-blobs.xml" | sort -u | wc -l)
check "... it stopped between partitions: some of Orders' $(($(stat -c %s "$SYNWIZ_SANDBOX_DIR/data/Orders.csv") / 20000)) or so went up, not all ($n_parts)" \
  sh -c '[ "$1" -ge 1 ] && [ "$1" -lt 20 ]' sh "$n_parts"
"$BIN" sandbox fault --clear >/dev/null
"$BIN" rest --shared-key --url "https://contosolake.blob.sandbox.localhost:$(jget "$SYNWIZ_SANDBOX_DIR/runtime.json" 'String(j.ports.azurite)')/customerinsights/customerinsights/$M/model.json" --download "$T/model.json" >/dev/null 2>&1
check "... no model.json was written by the canceled run" test ! -s "$T/model.json"
sandbox_control GET state >"$T/state.json"
expect_eq "... and no database was created" "" \
  "$(jget "$T/state.json" "(j.workspaces.find(w => w.name === 'contoso-synapse').databases.find(d => d.name === 'manualdb') || {}).status")"
as_sp export run "$M" >"$T/after.out" 2>&1
expect_eq "the next run is clean: Successful" 0 $?
as_sp export show "$M" --output json >"$T/manual.json"
expect_eq "... the runs recorded: Successful, then Canceled" "Successful Canceled" \
  "$(jget "$T/manual.json" 'j.runs.map(r => r.status).join(" ")')"

# --- schedules ---
as_sp export schedule "$M" --daily 25:00 >/dev/null 2>"$T/bad.err"
expect_eq "export schedule refuses a bad time (exit 2)" 2 $?
as_sp export schedule "$M" --every 12h >"$T/sched.out" 2>&1
check "export schedule --every 12h" grep -q "schedule Every 12 hours" "$T/sched.out"
as_sp export schedule "$M" --off >/dev/null 2>&1
as_sp export list --output json >"$T/list.json"
expect_eq "export list shows the schedules" "Every hour Off" \
  "$(jget "$T/list.json" 'j.map(e => e.schedule_text).join(" ")')"

sandbox_control POST config '{"operationMs":2000}' >/dev/null
as_sp refresh --due >"$T/due1.out" 2>"$T/due1.err" &
pid=$!
sleep 1
as_sp refresh --due >"$T/due2.out" 2>&1
check "a second refresh meanwhile does nothing" grep -q "Another refresh is running" "$T/due2.out"
wait $pid
expect_eq "refresh --due: exit 0" 0 $?
check "... ran the hourly export, never run before" grep -q "^hourly: Successful" "$T/due1.out"
check "... not the one without a schedule" sh -c '! grep -q "^$2" "$1"' sh "$T/due1.out" "$M"
sandbox_control POST config '{"operationMs":300}' >/dev/null
as_sp refresh --due >"$T/due3.out" 2>&1
check "right after, no export is due" grep -q "No export is due" "$T/due3.out"
as_sp export run --all >"$T/all.out" 2>&1
check "run --all runs the exports with an active schedule" grep -q "^hourly: Successful" "$T/all.out"
check "... and not the others" sh -c '! grep -q "^$2" "$1"' sh "$T/all.out" "$M"

"$BIN" schedule install >"$T/install.out" 2>&1
check "schedule install: a timer, or the crontab line" grep -Eq "Installed synwiz-refresh.timer|\\*/15 \\* \\* \\* \\* .* refresh --due" "$T/install.out"
"$BIN" schedule remove >/dev/null 2>&1

as_sp export remove "$M" --yes >"$T/remove.out" 2>&1
expect_eq "export remove: exit 0" 0 $?
check "... says the files and the database stay" grep -q "stay in Synapse" "$T/remove.out"
assert_no_secrets "$T"
test_done
