#!/bin/sh
# Makes the PNGs of screenshots/ from the terminal tests: it runs the tmux tests of the
# wizards against the sandbox with SYNWIZ_SCREENSHOTS set (tests/tui/lib.sh then keeps every
# screen a test snaps, with its colours), and draws the chosen ones with scripts/ansi2png.py
# (Debian's Terminus console font; the same screen always gives the same bytes). Nothing in
# screenshots/ is edited by hand: run this again after changing a screen or a form.
#   scripts/screenshots.sh [BUILD_DIR]      (default build/; built if missing)
# Installs the font (console-setup-linux) when missing; not part of CI.
set -eu
cd "$(dirname "$0")/.."
BLD=${1:-build}
scripts/build.sh "$BLD"
if [ ! -f /usr/share/consolefonts/Uni2-Terminus20x10.psf.gz ]; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    console-setup-linux >/dev/null
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export SYNWIZ_SCREENSHOTS="$WORK/ans"
(cd "$BLD" && ctest -R '^(sandbox/|tui/(conn_wizard|conn_edit|ls_msi|ls_refusals|ls_sp|ls_home|export_wizard|export_home|model_wizard|model_home)$)' \
  --output-on-failure) >"$WORK/ctest.log" 2>&1 || {
  cat "$WORK/ctest.log"
  echo "screenshots: the terminal tests failed; no picture was changed" >&2
  exit 1
}

# capture (test--snap)              picture  [COLSxROWS, default 100x30]
SHOTS="
tui-conn-edit--home                 home
tui-conn-wizard--before             connection-1-name-rule
tui-conn-wizard--subscriptions      connection-2-subscriptions
tui-conn-wizard--storage            connection-3-storage-accounts
tui-conn-wizard--review             connection-4-review
tui-conn-wizard--saved              connection-5-saved-and-checked
tui-conn-wizard--countdown          connection-6-granting
tui-conn-wizard--granted            connection-7-granted
tui-ls-msi--01-start                linked-service-1-limitations
tui-ls-msi--04-test-failed          linked-service-2-test-finds-missing-role
tui-ls-msi--06-test-passed          linked-service-3-test-passed
tui-ls-msi--07-saved                linked-service-4-saved
tui-ls-refusals--01-dep             linked-service-5-exfiltration-protection-refused
tui-ls-sp--03-tested                linked-service-6-service-principal-tested
tui-ls-home--menu                   linked-service-7-home-actions
tui-ls-home--tested                 linked-service-8-test-from-home
tui-export-wizard--1-connection     export-1-connection                80x24
tui-export-wizard--2-database-refused export-2-database-name-rule      80x24
tui-export-wizard--3-tables         export-3-tables                    80x24
tui-export-wizard--5-review         export-4-review                    80x24
tui-export-wizard--7-progress       export-5-run-progress              80x24
tui-export-wizard--8-run            export-6-run-done                  80x24
tui-export-wizard--9-edit-database  export-7-update-warning            80x24
tui-export-home--home               export-8-home-actions
tui-model-wizard--01-model-name     model-1-model-name                 80x24
tui-model-wizard--02-required-data  model-2-required-data              80x24
tui-model-wizard--03-review         model-3-review-and-run             80x24
tui-model-wizard--04-progress       model-4-run-progress               80x24
tui-model-wizard--05-done           model-5-run-done                   80x24
tui-model-home--home                model-6-my-predictions
tui-model-home--menu                model-7-my-predictions-actions
tui-model-home--runs                model-8-view-runs
"
mkdir -p screenshots
rm -f screenshots/*.png
echo "$SHOTS" | while read -r cap name size; do
  [ -n "$cap" ] || continue
  cols=100 rows=30
  [ -n "$size" ] && cols=${size%x*} rows=${size#*x}
  if [ ! -f "$SYNWIZ_SCREENSHOTS/$cap.ans" ]; then
    echo "screenshots: no capture $cap (a test's snaps changed?)" >&2
    exit 1
  fi
  /usr/bin/python3 scripts/ansi2png.py "$SYNWIZ_SCREENSHOTS/$cap.ans" "screenshots/$name.png" \
    --cols "$cols" --rows "$rows"
  echo "screenshots/$name.png"
done
