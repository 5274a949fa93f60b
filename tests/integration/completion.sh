#!/bin/sh
# Shell completion (issue 15), as bash and zsh load it from an install: commands,
# subcommands, flags, and the names synwiz itself lists: saved connections (`connection
# list --output json`) and, after --workspace, the workspace's Azure ML linked services.
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init completion
command -v bash >/dev/null 2>&1 || { echo "bash is missing"; exit 77; }
sandbox_load
sandbox_reset
export SYNWIZ_CLOUD=sandbox
sandbox_login
cat >"$OUT/conn.json" <<JSON
{ "display_name": "sales_lake", "audience": "admins", "subscription": "Contoso Analytics",
  "workspace": "contoso-synapse", "storage_account": "contosolake",
  "container": "customerinsights", "private_link": false, "agree": true }
JSON
check "a saved connection to complete" \
  "$BIN" connection new --answers "$OUT/conn.json" --non-interactive
PORT=${SYNWIZ_SANDBOX_AUTHORITY##*:}
check "an Azure ML linked service in contoso-synapse" \
  "$BIN" rest --method put --wait \
  --url "https://contoso-synapse.dev.sandbox.localhost:$PORT/linkedservices/AzureMLDone?api-version=2020-12-01" \
  --body '{"properties":{"type":"AzureMLService","typeProperties":{"subscriptionId":"'"$SYNWIZ_SANDBOX_SUBSCRIPTION"'","resourceGroupName":"rg-ml","mlWorkspaceName":"contoso-ml","authentication":"MSI"}}}'
printf '{ "connection": "sales_lake", "display_name": "sales_export", "database_name": "salesdb", "tables": ["Orders"] }' >"$OUT/export.json"
check "a saved export to complete" \
  "$BIN" export new --answers "$OUT/export.json" --non-interactive

# bash: what _synwiz offers for the line "synwiz WORDS..." (the last word is completed).
bcomp() {
  bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _synwiz; [ ${#COMPREPLY[@]} = 0 ] || printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' \
    sh "$SRC/completions/synwiz.bash" "$BIN" "$@"
}
expect_eq "bash: commands" "connection " "$(bcomp conn)"
expect_eq "bash: every command" \
  "account connection doctor export forms help linked-service login logout refresh rest resume role sandbox schedule " \
  "$(bcomp "")"
expect_eq "bash: global flags" "--cloud " "$(bcomp --cl)"
expect_eq "bash: subcommands" "edit " "$(bcomp connection ed)"
expect_eq "bash: a subcommand's flags" "--remove-dependents " "$(bcomp connection remove --rem)"
expect_eq "bash: saved connection names" "sales_lake " "$(bcomp connection show "")"
expect_eq "bash: ... for doctor too" "sales_lake " "$(bcomp doctor sa)"
expect_eq "bash: --workspace takes a connection's name" "sales_lake " \
  "$(bcomp linked-service list --workspace "")"
expect_eq "bash: linked-service names of that workspace" "AzureMLDone " \
  "$(bcomp linked-service show --workspace contoso-synapse "")"
expect_eq "bash: export's subcommands" "schedule show " "$(bcomp export s)"
expect_eq "bash: saved export names" "sales_export " "$(bcomp export run "")"
expect_eq "bash: export schedule's flags" "--daily " "$(bcomp export schedule --da)"
expect_eq "bash: --output values" "json table " "$(bcomp connection list --output "")"
expect_eq "bash: names come from the --store of the line (an empty one: none)" "" \
  "$(bcomp --store "$OUT/empty-store" connection show "")"

if command -v zsh >/dev/null 2>&1; then
  # zsh: the completion function with compadd and friends replaced by ones that print what
  # they are given (a real completion widget needs a terminal).
  zcomp() {
    zsh -f -c 'compadd() { while [[ $1 == -* && $1 != -- ]]; do shift; done; [[ $1 == -- ]] && shift; print -l -- "$@"; }
      _files() { :; }; _directories() { :; }
      words=("$0" "$@"); CURRENT=${#words}
      source "$ZFILE" 2>&1' "$BIN" "$@" | sort | tr '\n' ' '
  }
  export ZFILE="$SRC/completions/_synwiz"
  expect_eq "zsh: commands" "connection " "$(zcomp conn | tr ' ' '\n' | grep '^conn' | tr '\n' ' ')"
  expect_eq "zsh: subcommands" "edit list new remove show " "$(zcomp linked-service "")"
  expect_eq "zsh: flags" "--detach-dependents --help --remove-dependents --yes " \
    "$(zcomp connection remove -)"
  expect_eq "zsh: saved connection names" "sales_lake " "$(zcomp connection edit "")"
  expect_eq "zsh: saved export names" "sales_export " "$(zcomp export show "")"
  expect_eq "zsh: linked-service names of the workspace" "AzureMLDone " \
    "$(zcomp linked-service remove --workspace contoso-synapse "")"
else
  echo "zsh is missing: its completion is not checked (scripts/install-deps.sh installs it)"
fi
test_done
