#!/bin/sh
# README command 2: every test (lint, unit, stress, screen, sandbox integration, terminal),
# in a normal build with warnings as errors and again in an ASan + UBSan build.
# Ends with one line: "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
scripts/install-deps.sh || exit 1

build_tree() { # build_tree DIR [cmake options]
  dir=$1
  shift
  echo "== building $dir"
  scripts/build.sh "$dir" "$@"
}

test_tree() { # test_tree DIR [ctest options]: writes DIR/ctest.log
  dir=$1
  shift
  (cd "$dir" && ctest --output-on-failure --timeout 600 "$@") >"$dir/ctest.log" 2>&1
}

passed=0
failed=0
status=0
count_tree() { # count_tree DIR LABEL RC
  dir=$1 label=$2 rc=$3
  echo "== $label ($dir)"
  cat "$dir/ctest.log"
  line=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$dir/ctest.log" | tail -n 1)
  if [ -z "$line" ]; then
    failed=$((failed + 1))
    status=1
    return
  fi
  total=$(echo "$line" | sed -E 's/.* out of ([0-9]+).*/\1/')
  bad=$(echo "$line" | sed -E 's/.*passed, ([0-9]+) tests failed.*/\1/')
  passed=$((passed + total - bad))
  failed=$((failed + bad))
  [ "$rc" = 0 ] || status=1
}

# The trees are tested one after the other: tested at the same time, the CPU-heavy tests of
# one (the 1 GiB round trip, the kill -9 torture) starved the other's timing (measured: twice
# the wall time in all, and a store writer waiting out its lock). Within a tree, ctest runs
# two tests at once: the sandbox's tests hold one lock and run in turn, the unit, stress,
# lint and screen tests run beside them.
if build_tree build; then
  test_tree build -j2
  count_tree build "normal build" $?
else
  echo "== normal build: the build failed (see build.log)"
  failed=$((failed + 1))
  status=1
fi
if build_tree build-asan -DSYNWIZ_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug; then
  # The label "peer" marks the tests of the sandbox against Microsoft's SDK: no C code of
  # ours runs in them, so there is nothing for the sanitizers to see. The 1 GiB round trip
  # shrinks to 128 MiB: its memory bound is only meaningful without ASan's shadow memory.
  (
    export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
    export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
    export SYNWIZ_TEST_BLOB_MB=128
    test_tree build-asan -j2 -LE peer
  )
  count_tree build-asan "sanitizer build (ASan + UBSan)" $?
else
  echo "== sanitizer build: the build failed (see build-asan.log)"
  failed=$((failed + 1))
  status=1
fi
echo "$passed passed, $failed failed"
exit $status
