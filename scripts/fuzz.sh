#!/bin/sh
# fuzz.sh [SECONDS]: build the libFuzzer targets with clang, ASan and UBSan in build-fuzz/
# and fuzz each for SECONDS (default 12: about a minute in all, as scripts/test.sh runs
# them). A long run: scripts/fuzz.sh 600. Ends with ctest's "N tests passed" line.
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-12}
dir=build-fuzz
if ! command -v clang >/dev/null 2>&1; then
  echo "fuzz.sh: clang is needed (scripts/install-deps.sh installs it)" >&2
  exit 1
fi
if [ ! -f "$dir/CMakeCache.txt" ] || ! grep -q "SYNWIZ_FUZZ_SECONDS:STRING=$seconds\$" "$dir/CMakeCache.txt"; then
  CC=clang cmake -S . -B "$dir" -DSYNWIZ_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug \
    -DSYNWIZ_FUZZ_SECONDS:STRING="$seconds" >/dev/null
fi
# Only the fuzz targets and the layers they link: the program itself is not needed here.
cmake --build "$dir" -j"$(nproc)" --target fuzz_safetext fuzz_form fuzz_answers \
  fuzz_az_parsers fuzz_az_responses fuzz_csv >"$dir.log" 2>&1 || { cat "$dir.log"; exit 1; }
cd "$dir"
exec ctest --output-on-failure -L fuzz
