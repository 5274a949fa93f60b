#!/bin/sh
# Functions the style guide bans (curl's list, in short): unbounded copies and atoi.
set -u
SRC=${2:?source dir}
cd "$SRC" || exit 1
hits=$(grep -rnE '\b(sprintf|vsprintf|strcpy|strcat|strncat|strncpy|strtok|gets|atoi|atol)[[:space:]]*\(' \
  --include='*.c' --include='*.h' src ui tests/unit 2>/dev/null)
if [ -n "$hits" ]; then
  echo "banned functions:"; echo "$hits"; exit 1
fi
echo "banned: ok"
