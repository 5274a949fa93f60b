#!/bin/sh
# Conventions users expect (issue 15): `--help` on every command and subcommand prints its
# usage on stdout and exits 0; an unknown option is named in the error, not only followed by
# the usage. Every command of `synwiz --help` must be in the list below, so a new command
# cannot be added without its --help being checked.
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init help
# No sandbox and no sign-in: --help must answer before anything talks to Azure.
export SYNWIZ_SANDBOX_DIR="$OUT/no-sandbox"

COMMANDS="connection linked-service resume doctor role login logout account rest sandbox table export refresh schedule model forms"
SUBCOMMANDS="
connection new
connection edit
connection list
connection show
connection remove
linked-service new
linked-service edit
linked-service list
linked-service show
linked-service remove
role list
role add
role remove
account show
sandbox start
sandbox stop
sandbox status
sandbox reset
sandbox env
sandbox state
sandbox secrets
sandbox approve
sandbox decline
sandbox fault
table add
table list
table show
table remove
export new
export edit
export list
export show
export run
export schedule
export remove
schedule install
schedule remove
model new
model edit
model refresh
model list
model show
model cancel
model remove
forms check
"

listed=$("$BIN" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z-]*\) .*/\1/p' | tr '\n' ' ')
expect_eq "synwiz --help lists exactly the commands checked here" "$COMMANDS " "$listed"

help_ok() { # help_ok WORDS...: exit 0, and stdout starts with "usage: synwiz FIRST-WORD"
  "$BIN" "$@" >"$OUT/help.out" 2>"$OUT/help.err" </dev/null
  rc=$?
  first=$(head -n 1 "$OUT/help.out")
  case "$rc $first" in
  "0 usage: synwiz $1"*) return 0 ;;
  esac
  echo "exit $rc; stdout begins: [$first]; stderr: $(head -n 3 "$OUT/help.err")"
  return 1
}
# The man page names every command too (docs/synwiz.1, installed by cmake --install).
for c in $COMMANDS; do
  roff=$(echo "$c" | sed 's/-/\\-/g') # man pages write a hyphen as \-
  check "synwiz(1) describes synwiz $c" grep -qF ".B synwiz $roff" "$SRC/docs/synwiz.1"
done
check "synwiz --help" sh -c '"$1" --help | head -n 1 | grep -q "^usage: synwiz"' sh "$BIN"
check "synwiz help" sh -c '"$1" help | head -n 1 | grep -q "^usage: synwiz"' sh "$BIN"
for c in $COMMANDS; do
  check "synwiz $c --help" help_ok $c --help
  check "synwiz $c -h" help_ok $c -h
done
echo "$SUBCOMMANDS" | while read -r c s; do
  [ -n "$c" ] || continue
  help_ok $c $s --help >"$OUT/sub.out" 2>&1 && echo "ok   - synwiz $c $s --help" ||
    echo "FAIL - synwiz $c $s --help: $(cat "$OUT/sub.out")"
done >"$OUT/subs.txt"
cat "$OUT/subs.txt"
T_PASS=$((T_PASS + $(grep -c '^ok' "$OUT/subs.txt")))
T_FAIL=$((T_FAIL + $(grep -c '^FAIL' "$OUT/subs.txt")))
# With operands too, as someone types it half-way through a command line.
check "synwiz connection show NAME --help" help_ok connection show sales_lake --help
check "synwiz linked-service remove NAME --workspace WS --help" \
  help_ok linked-service remove AzureMLService2 --workspace contoso-synapse --help
check "synwiz sandbox approve CODE --help" help_ok sandbox approve ABCD-1234 --help

# An unknown option is named, and the exit status is 2.
named() { # named OPTION WORDS...: exit 2 and OPTION named on stderr
  opt=$1
  shift
  "$BIN" "$@" >"$OUT/bad.out" 2>"$OUT/bad.err" </dev/null
  rc=$?
  [ $rc = 2 ] && grep -q -- "$opt" "$OUT/bad.err" && return 0
  echo "exit $rc; stderr: $(cat "$OUT/bad.err")"
  return 1
}
check "connection list --ouput json names --ouput" named "'--ouput'" connection list --ouput json
check "connection show X --ouput json names --ouput" named "'--ouput'" connection show x --ouput json
check "connection list --output xml names xml" named "'xml'" connection list --output xml
check "connection remove X --force names --force" named "force" connection remove x --force
check "linked-service list --ouput names --ouput" named "ouput" linked-service list --ouput json
check "linked-service new --anwsers names --anwsers" named "anwsers" linked-service new --anwsers x
check "doctor X --fixx names --fixx" named "fixx" doctor x --fixx
check "role list --ouput names --ouput" named "ouput" role list --ouput json
check "login --tenantt names --tenantt" named "tenantt" login --tenantt x
check "logout now names now" named "now" logout now
check "account show --ouput names --ouput" named "ouput" account show --ouput json
check "sandbox status --bogus names --bogus" named "bogus" sandbox status --bogus
check "model list --ouput names --ouput" named "ouput" model list --ouput json
check "forms list names list" named "list" forms list
check "an unknown command is named" named "'frobnicate'" frobnicate
check "an unknown global option is named" named "bogus" --bogus
test_done
