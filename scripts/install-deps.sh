#!/bin/sh
# Installs what synwiz needs to build, test and run its sandbox, and nothing else:
# Debian packages (the one list below) and the sandbox's npm packages, exactly as pinned
# in the committed lockfiles. Safe to run again: it only installs what is missing.
set -eu
cd "$(dirname "$0")/.."

# zsh: tests/integration/completion.sh loads the zsh completion in it.
APT_PACKAGES="
  build-essential cmake pkg-config
  libcurl4-openssl-dev libjansson-dev libssl-dev libncurses-dev libcmocka-dev libcsv-dev
  openssl curl ca-certificates tmux clang-format time strace
  clang libclang-rt-14-dev zsh
"
# Node.js 20 runs the sandbox (Azurite needs it anyway); any node >= 20 already on the
# machine is used as it is.
need_node=0
if command -v node >/dev/null 2>&1; then
  major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  [ "$major" -ge 20 ] || need_node=1
else
  need_node=1
fi
[ $need_node = 1 ] && APT_PACKAGES="$APT_PACKAGES nodejs npm"

missing=""
for p in $APT_PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  echo "install-deps: installing:$missing"
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
if [ $need_node = 1 ]; then
  major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [ "$major" -lt 20 ]; then
    echo "install-deps: Node.js >= 20 is needed for the sandbox; this system's package gives $(node --version)." >&2
    echo "install-deps: install Node.js 20 (e.g. from NodeSource) and run this again." >&2
    exit 1
  fi
fi

# npm packages, pinned by the committed lockfiles; reinstalled only when the lockfile changed.
for dir in sandbox tests/contract; do
  [ -f "$dir/package-lock.json" ] || continue
  stamp="$dir/node_modules/.synwiz-lock-stamp"
  if [ -f "$stamp" ] && cmp -s "$dir/package-lock.json" "$stamp"; then
    continue
  fi
  echo "install-deps: npm ci in $dir"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$dir/package-lock.json" "$stamp"
done
echo "install-deps: ok"
