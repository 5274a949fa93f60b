#!/bin/sh
# README command 1: install what is missing, build, start the sandbox, open synwiz on it.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh build
build/synwiz sandbox start
exec build/synwiz --cloud sandbox "$@"
