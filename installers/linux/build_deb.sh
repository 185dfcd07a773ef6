#!/usr/bin/env bash
# A .deb from the one-folder bundle, with dpkg-deb alone (no debhelper).
#
#   bash installers/linux/build_deb.sh [BUNDLE_DIR] [OUT_DIR]     (defaults: dist/registry-desk, dist)
#
# Installs the bundle to /opt/registry-desk, links /usr/bin/registry-desk to it, and adds the
# .desktop entry and the hicolor icons (dpkg's triggers refresh the menu and icon caches).
# Depends: the system libraries the bundle loads but does not carry (glibc, GL/EGL...), found by
# reading the bundle's ELF files and asking dpkg which package holds each library here.
# The package is then unpacked into a temporary root and its executable run (--version).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUNDLE=$(cd "${1:-$ROOT/dist/registry-desk}" && pwd)
OUT=${2:-$ROOT/dist}
NAME=registry-desk
[ -x "$BUNDLE/$NAME" ] || { echo "build_deb: no bundle at $BUNDLE (run installers/build.sh)" >&2; exit 1; }

version=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$ROOT/desktop/__init__.py")
arch=$(dpkg --print-architecture)
stage="$ROOT/build/deb/${NAME}_${version}_${arch}"
deb="$OUT/${NAME}_${version}_${arch}.deb"
rm -rf "$stage"
mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" \
  "$stage/usr/share/doc/$NAME" "$OUT"

cp -a "$BUNDLE" "$stage/opt/$NAME"
ln -s "/opt/$NAME/$NAME" "$stage/usr/bin/$NAME"
install -m 644 "$ROOT/installers/linux/$NAME.desktop" "$stage/usr/share/applications/$NAME.desktop"
for size in 16 24 32 48 64 128 256 512; do
  install -D -m 644 "$ROOT/resources/icons/$NAME-$size.png" \
    "$stage/usr/share/icons/hicolor/${size}x${size}/apps/$NAME.png"
done
install -D -m 644 "$ROOT/resources/icons/$NAME.svg" "$stage/usr/share/icons/hicolor/scalable/apps/$NAME.svg"
cat > "$stage/usr/share/doc/$NAME/copyright" <<COPYRIGHT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: Registry Desk
License: MIT
Comment: /opt/$NAME/_internal holds the Python runtime and the libraries Registry Desk uses
 (Qt for Python under LGPLv3, SQLAlchemy, Alembic, openpyxl and others under their own licences).
COPYRIGHT

# --- Depends: libraries that the bundle's ELF files need and that are not inside it ----------
declare -A bundled=()
while IFS= read -r f; do bundled[$(basename "$f")]=1; done < <(find "$BUNDLE" \( -type f -o -type l \) -name '*.so*')
declare -A packages=() seen=()
cache=$(ldconfig -p)
glibc="2.17"
missing=""
while IFS= read -r elf; do
  while IFS= read -r lib; do
    [ -n "${bundled[$lib]:-}${seen[$lib]:-}" ] && continue
    seen[$lib]=1
    path=$(awk -v l="$lib" '$1 == l && /x86-64|AArch64|64bit/ {print $NF; exit}' <<<"$cache")
    [ -z "$path" ] && path=$(awk -v l="$lib" '$1 == l {print $NF; exit}' <<<"$cache")
    if [ -z "$path" ]; then missing="$missing $lib"; continue; fi
    pkg=$(dpkg -S "$path" 2>/dev/null || dpkg -S "$(readlink -f "$path")" 2>/dev/null \
          || dpkg -S "/usr$path" 2>/dev/null || true)
    pkg=${pkg%%:*}
    if [ -n "$pkg" ]; then packages[$pkg]=1; else missing="$missing $lib"; fi
  done < <(readelf -d "$elf" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
  need=$( (readelf -V -W "$elf" 2>/dev/null || true) | (grep -o 'GLIBC_[0-9][0-9.]*' || true) | sed 's/GLIBC_//' | sort -V | tail -1)
  [ -n "$need" ] && glibc=$(printf '%s\n%s\n' "$glibc" "$need" | sort -V | tail -1)
done < <(find "$BUNDLE" -type f \( -name '*.so*' -o -perm -u+x \) -exec sh -c 'head -c4 "$1" | grep -q ELF' _ {} \; -print)
# Libraries not installed on this machine are named by Debian's rule for library packages
# (libwayland-cursor.so.0 -> libwayland-cursor0; libfoo-1.2.so.3 -> libfoo-1.2-3).
for lib in $missing; do
  stem=${lib%%.so*}; soversion=${lib#*.so.}; soversion=${soversion%%.*}
  case "$stem" in *[0-9]) p="$stem-$soversion" ;; *) p="$stem$soversion" ;; esac
  p=$(tr '[:upper:]_' '[:lower:]-' <<<"$p")
  echo "build_deb: $lib is not installed here; depending on $p by Debian's naming rule"
  packages[$p]=1
done

unset 'packages[libc6]'
depends="libc6 (>= $glibc)"
for p in $(printf '%s\n' "${!packages[@]}" | sort); do depends="$depends, $p"; done

cat > "$stage/DEBIAN/control" <<CONTROL
Package: $NAME
Version: $version
Architecture: $arch
Maintainer: Registry Desk maintainers <maintainers@registry-desk.invalid>
Installed-Size: $(du -sk --exclude=DEBIAN "$stage" | cut -f1)
Depends: $depends
Section: utils
Priority: optional
Homepage: https://registry-desk.invalid/
Description: offline-first desktop client for M-RETS and MISO BTMG paperwork
 Registry Desk drafts M-RETS Distributed Generation Group registrations (units
 edited in bulk, pasted from spreadsheets), builds M-RETS generation upload files
 from meter data, and prepares MISO Behind-the-Meter Generation enrollments.
 Drafts are kept in a local SQLite store that saves every edit.
CONTROL

find "$stage" -type d -exec chmod 755 {} +
# xz gives the smallest package (43 MB against 56 MB for zstd) at ~1 min on 2 cores;
# DEB_COMPRESSION=zstd builds in a second for trying things out.
compression=${DEB_COMPRESSION:-xz}
threads=()
dpkg-deb --help | grep -q -- --threads-max && threads=(--threads-max=2)
dpkg-deb --root-owner-group "-Z$compression" "${threads[@]}" --build "$stage" "$deb" >/dev/null
echo "build_deb: $deb ($(du -h "$deb" | cut -f1); installed $(( $(du -sk --exclude=DEBIAN "$stage" | cut -f1) / 1024 )) MB)"
echo "build_deb: Depends: $depends"

# --- check: unpack into a temporary root and run the executable from there ------------------
check=$(mktemp -d)
trap 'rm -rf "$check"' EXIT
dpkg-deb -x "$deb" "$check"
[ "$(readlink "$check/usr/bin/$NAME")" = "/opt/$NAME/$NAME" ] || { echo "build_deb: bad /usr/bin link" >&2; exit 1; }
[ -f "$check/usr/share/icons/hicolor/256x256/apps/$NAME.png" ] || { echo "build_deb: icons missing" >&2; exit 1; }
out=$("$check/opt/$NAME/$NAME" --version)
[ "$out" = "$NAME $version" ] || { echo "build_deb: unpacked app printed '$out'" >&2; exit 1; }
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$check/usr/share/applications/$NAME.desktop"
fi
echo "build_deb: unpacked package runs ($out)"
