#!/bin/sh
# The Debian package (CPack's DEB generator, issue 15): built from this tree, it holds the
# binary, forms, sandbox, man page and completions under /usr, depends on the package of
# every library the binary links, and runs from a root it was unpacked into (`dpkg -x`,
# no install on this machine): `synwiz --version` and `synwiz forms check` use its own
# share/synwiz.
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init deb
for tool in cpack dpkg dpkg-deb; do
  command -v $tool >/dev/null 2>&1 || { echo "$tool is missing"; exit 77; }
done
mkdir -p "$OUT/pkg"
check "cpack builds a Debian package" cpack -G DEB --config "$BLD/CPackConfig.cmake" -B "$OUT/pkg"
deb=$(ls "$OUT"/pkg/*.deb 2>/dev/null | head -n 1)
check "... named synwiz_VERSION_ARCH.deb" test -f "$deb"
expect_eq "its package name" synwiz "$(dpkg-deb -f "$deb" Package)"
dpkg-deb -c "$deb" >"$OUT/contents.txt"
for f in ./usr/bin/synwiz ./usr/share/synwiz/forms/connection.json \
  ./usr/share/synwiz/sandbox/bin/sandbox.mjs ./usr/share/man/man1/synwiz.1 \
  ./usr/share/bash-completion/completions/synwiz ./usr/share/zsh/site-functions/_synwiz; do
  check "it holds $f" grep -q " $f\$" "$OUT/contents.txt"
done

# On a clean machine apt installs what Depends names: every shared library the binary needs
# must come from a package listed there.
depends=$(dpkg-deb -f "$deb" Depends)
for lib in $(objdump -p "$BIN" 2>/dev/null | sed -n 's/^ *NEEDED *//p'); do
  path=$(ldconfig -p | sed -n "s/^[[:space:]]*$lib (.*x86-64.*) => //p" | head -n 1)
  [ -n "$path" ] || path=$(ldconfig -p | sed -n "s/^[[:space:]]*$lib .* => //p" | head -n 1)
  pkg=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -n 1 | cut -d: -f1)
  [ -n "$pkg" ] || pkg=$(dpkg -S "$path" 2>/dev/null | head -n 1 | cut -d: -f1)
  case ", $depends" in
  *", $pkg "* | *", $pkg,"* | *", $pkg") expect_eq "$lib comes from $pkg, a dependency" yes yes ;;
  *) expect_eq "$lib comes from a dependency (Depends: $depends)" "$pkg" "(missing)" ;;
  esac
done

ROOT="$OUT/root"
check "dpkg -x unpacks it" dpkg -x "$deb" "$ROOT"
S="$ROOT/usr/bin/synwiz"
"$S" --version >"$OUT/version.out" 2>&1
expect_eq "synwiz --version runs from the unpacked root" \
  "synwiz $(sed -n 's/^project(synwiz VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")" \
  "$(cat "$OUT/version.out")"
"$S" forms check >"$OUT/forms.out" 2>&1
expect_eq "synwiz forms check passes there" 0 $?
# Every form of the source tree, installed.
expect_eq "... on the package's own forms" "$(ls "$SRC"/forms/*.json | wc -l)" \
  "$(grep -c "^ok   $ROOT/usr/share/synwiz/forms/" "$OUT/forms.out")"
rm -rf "$ROOT" "$OUT/pkg"
test_done
