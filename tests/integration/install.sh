#!/bin/sh
# `cmake --install` (issue 2): the binary, forms/ and the sandbox go under PREFIX, and the
# installed binary uses its own share/synwiz (not the source tree it was built from): it
# checks the installed forms, starts the installed sandbox, and runs a wizard's headless
# twin on it.
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init install
command -v cmake >/dev/null 2>&1 || { echo "cmake is missing"; exit 77; }
P="$OUT/prefix"
check "cmake --install puts everything under the prefix" \
  cmake --install "$BLD" --prefix "$P"
I="$P/bin/synwiz"
check "the binary is installed" test -x "$I"
check "the forms are installed" test -f "$P/share/synwiz/forms/connection.json"
check "the sandbox is installed" test -f "$P/share/synwiz/sandbox/bin/sandbox.mjs"
check "with its packages (Azurite)" test -d "$P/share/synwiz/sandbox/node_modules/azurite"
check "the man page is installed" test -f "$P/share/man/man1/synwiz.1"
check "the bash completion is installed" test -f "$P/share/bash-completion/completions/synwiz"
check "the zsh completion is installed" test -f "$P/share/zsh/site-functions/_synwiz"
# `man synwiz` with only the prefix's bin on the PATH: man-db finds PREFIX/share/man from it,
# which is how a ~/.local install (README command 1) gets its man page.
if command -v man >/dev/null 2>&1; then
  (unset MANPATH; PATH="$P/bin:/usr/bin:/bin" man -w synwiz) >"$OUT/manw.out" 2>&1
  expect_eq "man synwiz finds the installed page" "$P/share/man/man1/synwiz.1" "$(cat "$OUT/manw.out")"
  (unset MANPATH; PATH="$P/bin:/usr/bin:/bin" MANWIDTH=80 man synwiz) >"$OUT/man.out" 2>&1
  check "... and shows it" grep -q "synwiz connection new" "$OUT/man.out"
fi

# The installed binary reads the installed forms, not the source tree's: the files it names.
"$I" forms check >"$OUT/forms.out" 2>&1
# Every form of the source tree, installed.
expect_eq "forms check names the installed forms" "$(ls "$SRC"/forms/*.json | wc -l)" \
  "$(grep -c "^ok   $P/share/synwiz/forms/" "$OUT/forms.out")"

# Its own sandbox (this test's state dir), from share/synwiz/sandbox: not the suite's, which
# SYNWIZ_SANDBOX_DIR names.
unset SYNWIZ_SANDBOX_DIR
export XDG_RUNTIME_DIR="$OUT/run"
mkdir -p "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
check "the installed sandbox starts" "$I" sandbox start --ports auto
sbx_dir=$(sed -n 's/.*, dir \(.*\)$/\1/p' "$OUT/last.out" | tail -n 1)
pid=$(node -e 'process.stdout.write(String(JSON.parse(require("fs").readFileSync(process.argv[1])).pid))' \
  "$sbx_dir/runtime.json" 2>/dev/null || true)
cmdline=$(tr '\0' ' ' <"/proc/${pid:-0}/cmdline" 2>/dev/null || true)
case $cmdline in
*"$P/share/synwiz/sandbox/"*) expect_eq "it runs from share/synwiz/sandbox" yes yes ;;
*) expect_eq "it runs from share/synwiz/sandbox" "$P/share/synwiz/sandbox/..." "$cmdline" ;;
esac
echo '{ "display_name": "9lives" }' >"$OUT/answers.json"
"$I" --cloud sandbox connection new --answers "$OUT/answers.json" --non-interactive \
  >"$OUT/wizard.out" 2>&1
expect_eq "the headless wizard runs on it and refuses a bad name (exit 2)" 2 $?
check "... saying why, next to the field" grep -q "display_name: Must start with a letter" \
  "$OUT/wizard.out"
check "the installed sandbox stops" "$I" sandbox stop
rm -rf "$P"
test_done
