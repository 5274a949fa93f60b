#!/bin/sh
# Block blobs against the sandbox's Azurite (issue 3): a 1 GiB file uploaded (parallel Put
# Block + Put Block List) and downloaded (parallel ranged GETs) back identical, each with a
# peak RSS under 32 MiB; Shared Key from the connection string and Entra tokens both work,
# a token only with a Storage Blob Data role (issue 11).
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init az_blob
for t in node sha256sum; do command -v $t >/dev/null 2>&1 || { echo "$t is missing"; exit 77; }; done
sandbox_load
sandbox_reset
T=$OUT/captures
mkdir -p "$T"
LOG=$OUT/state/synwiz/synwiz.log
export SYNWIZ_CLOUD=sandbox
BLOB=$(echo "$AZURE_STORAGE_CONNECTION_STRING" | sed -n 's/.*BlobEndpoint=\([^;]*\).*/\1/p')
BLOB=${BLOB%/}
SIZE_MB=${SYNWIZ_TEST_BLOB_MB:-1024}
LIMIT_KB=$((32 * 1024))

# peak RSS (kB) of a command: GNU time when present, else the kernel's account via python.
peak_rss() { # peak_rss OUTFILE CMD...: runs CMD, writes its peak RSS in kB to OUTFILE
  out=$1
  shift
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%M' -o "$out" "$@"
  else
    /usr/bin/python3 -c 'import resource,subprocess,sys
rc = subprocess.call(sys.argv[2:])
open(sys.argv[1], "w").write("%d\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(rc)' "$out" "$@"
  fi
}

# The data file lives outside the test's output tree so that no later grep reads 1 GiB.
DATA=$(mktemp -d "${TMPDIR:-/tmp}/synwiz-az-blob.XXXXXX")
trap 'rm -rf "$DATA"' EXIT
head -c $((SIZE_MB * 1024 * 1024)) /dev/urandom >"$DATA/big.bin"
SUM=$(sha256sum <"$DATA/big.bin" | cut -d' ' -f1)

echo "== ${SIZE_MB} MiB up and down with Shared Key"
start=$(date +%s.%N)
peak_rss "$T/up.rss" "$BIN" rest --shared-key --url "$BLOB/raw/synwiz-test/big.bin" --upload "$DATA/big.bin" >"$T/up.out" 2>"$T/up.err"
up_rc=$?
mid=$(date +%s.%N)
peak_rss "$T/down.rss" "$BIN" rest --shared-key --url "$BLOB/raw/synwiz-test/big.bin" --download "$DATA/back.bin" >"$T/down.out" 2>"$T/down.err"
down_rc=$?
end=$(date +%s.%N)
expect_eq "upload exits 0" 0 "$up_rc"
expect_eq "download exits 0" 0 "$down_rc"
expect_eq "the file came back identical (sha256)" "$SUM" "$(sha256sum <"$DATA/back.bin" | cut -d' ' -f1)"
up_kb=$(cat "$T/up.rss")
down_kb=$(cat "$T/down.rss")
echo "       upload: peak RSS ${up_kb} kB, $(awk "BEGIN{printf \"%.1f\", $mid - $start}") s; download: peak RSS ${down_kb} kB, $(awk "BEGIN{printf \"%.1f\", $end - $mid}") s"
if grep -q '^SYNWIZ_SANITIZE:BOOL=ON' "$BLD/CMakeCache.txt" 2>/dev/null; then
  # AddressSanitizer's shadow memory and quarantine make RSS meaningless here.
  echo "       (sanitizer build: the 32 MiB limit is checked in the normal build only)"
else
  expect_eq "upload peak RSS under 32 MiB" yes "$([ "$up_kb" -lt $LIMIT_KB ] && echo yes)"
  expect_eq "download peak RSS under 32 MiB" yes "$([ "$down_kb" -lt $LIMIT_KB ] && echo yes)"
fi
blocks=$(grep -c 'INFO  201 PUT .*big.bin?comp=block&blockid=' "$LOG")
expect_eq "it went up in 8 MiB blocks" $(((SIZE_MB + 7) / 8)) "$blocks"
expect_eq "... committed once" 1 "$(grep -c 'INFO  201 PUT .*big.bin?comp=blocklist' "$LOG")"
rm -f "$DATA/back.bin"

echo "== Entra token (the demo user) instead of the key"
head -c 3000000 /dev/urandom >"$DATA/small.bin"
"$BIN" login >"$T/login.out" 2>"$T/login.err" &
pid=$!
for _ in $(seq 100); do
  code=$(sed -n 's/.*enter the code \([A-Z0-9]*\).*/\1/p' "$T/login.err" | head -n 1)
  [ -n "$code" ] && break
  sleep 0.1
done
sandbox_control POST devicecode/approve "{\"user_code\":\"$code\"}" >/dev/null
wait $pid
# The blob data plane is authorized by role, as Azure's: Dana has none on contosolake (on
# purpose, for the prerequisites check), so first she is refused, then, as Owner of the
# resource group, grants herself Storage Blob Data Contributor on the raw container only.
"$BIN" rest --url "$BLOB/raw/synwiz-test/small.bin" --upload "$DATA/small.bin" >"$T/denied.out" 2>"$T/denied.err"
expect_eq "without a Storage Blob Data role: refused (exit 3), AuthorizationPermissionMismatch" "3 yes" \
  "$? $(grep -q AuthorizationPermissionMismatch "$T/denied.err" && echo yes)"
RAW="/subscriptions/$SYNWIZ_SANDBOX_SUBSCRIPTION/resourceGroups/rg-analytics/providers/Microsoft.Storage/storageAccounts/contosolake/blobServices/default/containers/raw"
check "Dana grants herself Storage Blob Data Contributor on the raw container" "$BIN" rest --method put \
  --url "$SYNWIZ_SANDBOX_ARM$RAW/providers/Microsoft.Authorization/roleAssignments/$(cat /proc/sys/kernel/random/uuid)?api-version=2022-04-01" \
  --body "{\"properties\":{\"roleDefinitionId\":\"/subscriptions/$SYNWIZ_SANDBOX_SUBSCRIPTION/providers/Microsoft.Authorization/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe\",\"principalId\":\"$SYNWIZ_SANDBOX_USER_OBJECT_ID\",\"principalType\":\"User\"}}"
check "upload with a bearer token" "$BIN" rest --url "$BLOB/raw/synwiz-test/small.bin" --upload "$DATA/small.bin"
check "download with a bearer token" "$BIN" rest --url "$BLOB/raw/synwiz-test/small.bin" --download "$DATA/small.back"
expect_eq "... identical" yes "$(cmp -s "$DATA/small.bin" "$DATA/small.back" && echo yes)"
expect_eq "the storage calls carried a token (storage scope)" yes "$(grep -q 'got a token for https://storage.azure.com/.default' "$LOG" && echo yes)"
"$BIN" rest --url "$BLOB/raw/synwiz-test/nope.bin" --download "$DATA/nope" >"$T/nope.out" 2>"$T/nope.err"
expect_eq "a missing blob: exit 3, BlobNotFound" "3 yes" "$? $(grep -q BlobNotFound "$T/nope.err" && echo yes)"

assert_no_secrets "$LOG" "$OUT/config" "$T" "$OUT/last.out"
test_done
