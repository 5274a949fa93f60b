#!/bin/sh
# build.sh [DIR [extra cmake options]]: configure (once) and build a tree. Default: build/.
set -eu
cd "$(dirname "$0")/.."
dir=${1:-build}
[ $# -gt 0 ] && shift
if [ ! -f "$dir/CMakeCache.txt" ]; then
  cmake -S . -B "$dir" -DSYNWIZ_WERROR=ON "$@" >/dev/null
fi
cmake --build "$dir" -j"$(nproc)" >"$dir.log" 2>&1 || { cat "$dir.log"; exit 1; }
