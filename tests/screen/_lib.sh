# Shared by the in-process screen tests (tig's method): the test driver renders into
# newterm() on /dev/null at a pinned size, reads a key script, and dumps screens as text at
# ":dump NAME"; each dump is compared with tests/screen/golden/NAME.txt.
#   screen_run SCRIPT [driver arguments...]    run the driver on scripts/SCRIPT.keys
#   screen_check NAME...                       compare dumps with goldens
# UPDATE_GOLDEN=1 copies the dumps over the goldens instead (review the diff in git).
set -u
BIN=$1 SRC=$2 BLD=$3
DRIVER="$BLD/tests/synwiz-testdrive"
[ -x "$DRIVER" ] || { echo "no test driver at $DRIVER"; exit 1; }
. "$SRC/tests/lib/common.sh"

screen_init() {
  test_init "screen-$1"
  export LINES=${LINES_OVERRIDE:-24} COLUMNS=${COLUMNS_OVERRIDE:-80} TERM=xterm ESCDELAY=25
  export FAKE_HOLD=1
  unset NO_COLOR FAKE_FAIL FAKE_DELAY_MS FAKE_OUTCOME FAKE_CLOUD_LABEL
  DUMPS="$OUT/dumps"
  mkdir -p "$DUMPS"
}

screen_run() { # screen_run SCRIPT ARGS...
  script=$1
  shift
  "$DRIVER" --script "$SRC/tests/screen/scripts/$script.keys" --dump-dir "$DUMPS" "$@" \
    >"$OUT/driver.out" 2>"$OUT/driver.err"
  RC=$?
}

screen_check() { # screen_check NAME...
  for name in "$@"; do
    if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
      cp "$DUMPS/$name.txt" "$SRC/tests/screen/golden/$name.txt"
    fi
    check "screen $name matches golden" diff -u "$SRC/tests/screen/golden/$name.txt" \
      "$DUMPS/$name.txt"
  done
}
