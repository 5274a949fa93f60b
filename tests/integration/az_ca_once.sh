#!/bin/sh
# The CA bundle is read once per process, whatever the number of connections (issue 14).
# `connection new --dry-run` runs the whole cascade (lists, then the prerequisites check,
# which opens several connections at once) under `strace -f -e trace=openat,connect`; the
# system CA bundle (libcurl's default, from curl-config) and the sandbox's CA file must each
# be opened exactly once, while the process makes several TLS connections; and a host name
# the certificate does not carry is still refused. Skipped (77) where strace is missing or
# may not trace (a container without ptrace).
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init az_ca_once
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
command -v strace >/dev/null 2>&1 || { echo "strace is missing: skipped (scripts/install-deps.sh installs it)"; exit 77; }
strace -f -qq -e trace=none -o /dev/null true 2>/dev/null || { echo "strace may not trace here (ptrace refused): skipped"; exit 77; }
sandbox_load
sandbox_reset
T=$OUT/captures
mkdir -p "$T"
export SYNWIZ_CLOUD=sandbox

# Where libcurl reads the system's CAs by default (Debian: --with-ca-bundle=...).
BUNDLE=$(curl-config --configure 2>/dev/null | tr ' ' '\n' | sed -n "s/^'*--with-ca-bundle=\([^']*\)'*$/\1/p")
[ -n "$BUNDLE" ] || BUNDLE=$(curl-config --ca 2>/dev/null)
[ -n "$BUNDLE" ] || BUNDLE=/etc/ssl/certs/ca-certificates.crt
[ -r "$BUNDLE" ] || { echo "no system CA bundle at $BUNDLE: skipped"; exit 77; }

sandbox_login
cat >"$T/answers.json" <<EOF
{ "display_name": "ca_once", "audience": "admins", "subscription": "Contoso Analytics",
  "workspace": "contoso-synapse", "storage_account": "contosolake",
  "container": {"new": "ca-once"}, "private_link": false, "agree": true }
EOF
# LeakSanitizer cannot run under ptrace (the sanitizer tree's binary would fail at exit);
# the other tests look for leaks.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
  strace -f -qq -e trace=openat,connect -o "$T/strace.txt" \
  "$BIN" connection new --answers "$T/answers.json" --non-interactive --dry-run >"$T/dry.out" 2>"$T/dry.err"
expect_eq "the dry run exits 0 under strace" 0 $?

opens() { grep -F "\"$1\"" "$T/strace.txt" | grep -c 'openat(' ; }
PORT=$(jget "$SYNWIZ_SANDBOX_DIR/runtime.json" j.ports.sandbox)
CONNECTS=$(grep -c "connect(.*sin6\{0,1\}_port=htons($PORT)" "$T/strace.txt")
check "the cascade made several connections to the sandbox (made $CONNECTS)" test "$CONNECTS" -ge 3
expect_eq "the system CA bundle ($BUNDLE) was opened once" 1 "$(opens "$BUNDLE")"
expect_eq "the sandbox's CA file was opened once" 1 "$(opens "$SYNWIZ_SANDBOX_CA")"

# The shared store changes what is read, not what is checked: a name the certificate does
# not carry is still refused (the untrusted CA case is in az_rest.sh).
"$BIN" rest --scope https://management.azure.com/.default \
  --url "https://not-in-the-certificate.localhost:$PORT/_sandbox/ready" >/dev/null 2>"$T/host.err"
expect_eq "a host name outside the certificate: exit 4" 4 $?
check "... refused by the TLS check" grep -q "no alternative certificate subject name matches" "$T/host.err"
test_done
