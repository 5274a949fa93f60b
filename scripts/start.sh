#!/bin/sh
# README command 1: install what is missing, build, install synwiz for this user, start the
# sandbox, open synwiz on it.
#
# synwiz goes to ~/.local (SYNWIZ_PREFIX to change it): no sudo, and where Debian's
# ~/.profile puts user programs on the PATH, so that every `synwiz ...` of the README and
# `man synwiz` work as written. When that directory is not on this shell's PATH yet, the
# last line says what to type.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh build
prefix=${SYNWIZ_PREFIX:-$HOME/.local}
cmake --install build --prefix "$prefix" >build/install.log 2>&1 || {
  cat build/install.log
  exit 1
}
echo "start: installed $prefix/bin/synwiz (and man synwiz, bash and zsh completion)"
"$prefix/bin/synwiz" sandbox start
rc=0
"$prefix/bin/synwiz" --cloud sandbox "$@" || rc=$?
case ":$PATH:" in
*":$prefix/bin:"*) ;;
*)
  echo "start: $prefix/bin is not on this shell's PATH yet; to run synwiz as the README writes it, type:"
  echo "  export PATH=\"$prefix/bin:\$PATH\""
  ;;
esac
exit $rc
