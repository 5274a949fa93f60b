#!/bin/sh
# The Azure ML linked-service wizard's documented limitations on the screen (issue 6): the
# workspace with data exfiltration protection is refused at the first field, and the
# self-hosted integration runtime of contoso-synapse-shir at its picker, each with the
# quickstart's reason (a wide terminal shows the whole status line). Real binary, sandbox,
# Dana signed in.
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init tui-ls-refusals
COLS=260
ROWS=30
. "$SRC/tests/tui/lib.sh"
sandbox_load
sandbox_reset
C=$OUT/captures
mkdir -p "$C"
next_to() {
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    tui_keys F10
    tui_wait "$1" 20 2>/dev/null && return 0
  done
  tui_wait "$1" 1
}
"$BIN" sandbox start --dir "$SYNWIZ_SANDBOX_DIR" >"$C/signin.out" 2>&1

TUI_ENV="-e SYNWIZ_SANDBOX_DIR=$SYNWIZ_SANDBOX_DIR" tui_start "$BIN" linked-service new
check "the wizard opens" tui_wait "Saved connection" 80
tui_keys Tab
tui_text "Contoso An"
check "the subscriptions load" tui_wait "Contoso Analytics  6512"
tui_keys Enter
tui_text "dep"
check "the workspace with data exfiltration protection is listed as refused" tui_wait "contoso-synapse-dep  (refused: The Azure Machine Learning integration is not currently supported"
tui_keys Enter
check "... choosing it is refused with the quickstart's reason" tui_wait "contoso-synapse-dep cannot be chosen: The Azure Machine Learning integration is not currently supported in Synapse Workspaces with Data Exfiltration Protection. This workspace has data exfiltration protection on."
tui_snap "$C/01-dep.txt"
tui_keys Escape
check "... and the workspace stays unchosen" tui_wait "Synapse workspace *       Select an option"
next_to "Synapse workspace: Required."
check "Next is refused without a workspace" tui_wait "Step 1 of 5"

tui_keys Enter
tui_text "shir"
check "the workspace with a self-hosted runtime can be chosen" tui_wait "contoso-synapse-shir"
tui_keys Enter
check "... chosen" tui_wait "Synapse workspace *       contoso-synapse-shir "
next_to "Step 2 of 5"
tui_text "AzureMLShir"
tui_keys Tab
tui_text "Contoso An"
tui_wait "Contoso Analytics  6512" >/dev/null
tui_keys Enter
tui_text "contoso-ml"
tui_wait "contoso-ml  resource group rg-ml" >/dev/null
tui_keys Enter
next_to "Step 3 of 5"
next_to "Step 4 of 5"
tui_keys Enter
check "the runtimes: the self-hosted one is listed as refused" tui_wait "OnPremisesIR  (refused: AzureML linked service is not supported with self hosted integration runtimes."
tui_text "OnPrem"
tui_keys Enter
check "... choosing it is refused with the quickstart's reason" tui_wait "OnPremisesIR cannot be chosen: AzureML linked service is not supported with self hosted integration runtimes. This applies to Synapse workspaces with and without Data Exfiltration Protection."
tui_snap "$C/02-shir.txt"
tui_keys Escape
check "... AutoResolveIntegrationRuntime stays" tui_wait "AutoResolveIntegrationRuntime"
tui_keys C-x
tui_wait "Cancel the wizard" >/dev/null
tui_text "y"
expect_eq "cancelled: exit 1" 1 "$(tui_wait_exit 50)"
expect_eq "nothing was created" 1 "$("$BIN" sandbox state --dir "$SYNWIZ_SANDBOX_DIR" | node -e 'const s=JSON.parse(require("fs").readFileSync(0));process.stdout.write(String(s.workspaces.find(w=>w.name==="contoso-synapse-shir").linkedServices.length))')"
test_done
