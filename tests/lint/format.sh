#!/bin/sh
# The pinned .clang-format, checked like CI checks it.
set -u
SRC=${2:?source dir}
cd "$SRC" || exit 1
command -v clang-format >/dev/null 2>&1 || { echo "clang-format missing"; exit 77; }
files=$(find src ui tests/unit -name '*.[ch]' | sort)
[ -z "$files" ] && exit 0
# shellcheck disable=SC2086
clang-format --dry-run --Werror $files || { echo "run: clang-format -i \$(find src ui tests/unit -name '*.[ch]')"; exit 1; }
echo "format: ok ($(echo "$files" | wc -l) files)"
