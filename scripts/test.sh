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

test_tree() { # test_tree DIR LOG [ctest options]: writes DIR/LOG
  dir=$1
  log=$2
  shift 2
  (cd "$dir" && ctest --output-on-failure --timeout 600 "$@") >"$dir/$log" 2>&1
}

passed=0
failed=0
status=0
count_tree() { # count_tree DIR LOG LABEL RC
  dir=$1 log=$2 label=$3 rc=$4
  echo "== $label ($dir)"
  cat "$dir/$log"
  line=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$dir/$log" | tail -n 1)
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

# Both trees are built first, then tested in two phases.
# 1. Each tree's sandbox tests (one sandbox per tree; its tests hold a lock and run in turn)
#    with its unit, screen and lint tests beside them: the two trees at the same time. The
#    sandbox tests mostly wait (on tmux, on polling, on the sandbox's simulated delays), so
#    the two chains overlap well on two CPUs.
# 2. The stress tests (kill -9 torture, concurrent writers), one tree after the other and
#    alone: run beside the 1 GiB blob round trip, a store writer waited out its 15 s lock.
# The label "peer" marks the tests of the sandbox against Microsoft's SDK, and "packaging"
# the `cmake --install` test: no C code of ours is at stake there, so the sanitizer tree
# skips them. Its 1 GiB round trip shrinks to 128 MiB: the memory bound is only meaningful
# without ASan's shadow memory, and it does 250 kill -9 cycles instead of 1,000.
normal_ok=0
asan_ok=0
if build_tree build; then normal_ok=1; else
  echo "== normal build: the build failed (see build.log)"
  failed=$((failed + 1))
  status=1
fi
if build_tree build-asan -DSYNWIZ_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug; then asan_ok=1; else
  echo "== sanitizer build: the build failed (see build-asan.log)"
  failed=$((failed + 1))
  status=1
fi
asan_env() {
  export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
  export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
  export SYNWIZ_TEST_BLOB_MB=128
}
echo "== testing both trees (the stress tests come after)"
if [ $normal_ok = 1 ]; then
  test_tree build ctest.log -j2 -LE stress &
  normal_pid=$!
fi
if [ $asan_ok = 1 ]; then
  (asan_env && test_tree build-asan ctest.log -j2 -LE 'peer|packaging|stress') &
  asan_pid=$!
fi
if [ $normal_ok = 1 ]; then
  wait $normal_pid
  count_tree build ctest.log "normal build" $?
fi
if [ $asan_ok = 1 ]; then
  wait $asan_pid
  count_tree build-asan ctest.log "sanitizer build (ASan + UBSan)" $?
fi
if [ $normal_ok = 1 ]; then
  test_tree build ctest-stress.log -L stress
  count_tree build ctest-stress.log "normal build, stress" $?
fi
if [ $asan_ok = 1 ]; then
  (asan_env && test_tree build-asan ctest-stress.log -L stress)
  count_tree build-asan ctest-stress.log "sanitizer build, stress" $?
fi
# 3. A short libFuzzer run of each fuzz target (clang, ASan + UBSan; about a minute in all).
#    The gcc trees above already replayed the committed corpora; this looks for new inputs.
echo "== fuzzing (build-fuzz)"
scripts/fuzz.sh 12 >build-fuzz-ctest.log 2>&1
count_tree . build-fuzz-ctest.log "fuzz targets, 12 s each" $?
echo "$passed passed, $failed failed"
exit $status
