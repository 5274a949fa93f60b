#!/bin/sh
# The layering rules of CMakeLists.txt, checked on the sources: only src/azure/ includes
# curl, only ui/ includes curses, ui/ includes nothing of src/azure/ or src/app/.
set -u
SRC=${2:?source dir}
cd "$SRC" || exit 1
fail=0
bad=$(grep -rlE '#[[:space:]]*include[[:space:]]*<curl/' src ui tests/unit 2>/dev/null | grep -v '^src/azure/' | grep -v '^tests/unit/')
[ -n "$bad" ] && { echo "curl included outside src/azure/:"; echo "$bad"; fail=1; }
bad=$(grep -rlE '#[[:space:]]*include[[:space:]]*<n?curses(w)?[./]' src ui 2>/dev/null | grep -v '^ui/')
[ -n "$bad" ] && { echo "curses included outside ui/:"; echo "$bad"; fail=1; }
bad=$(grep -rlE '#[[:space:]]*include[[:space:]]*"(azure|app)/' ui 2>/dev/null)
[ -n "$bad" ] && { echo "ui/ reaches into src/azure or src/app:"; echo "$bad"; fail=1; }
bad=$(grep -rlE '#[[:space:]]*include[[:space:]]*"(app|ui)/' src/azure src/wizard src/util 2>/dev/null)
[ -n "$bad" ] && { echo "a lower layer includes src/app or ui:"; echo "$bad"; fail=1; }
[ $fail = 0 ] && echo "layers: ok"
exit $fail
