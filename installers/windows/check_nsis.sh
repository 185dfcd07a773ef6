#!/usr/bin/env bash
# Compiles installers/windows/registry-desk.nsi with makensis on Linux against a dummy bundle
# (the real one is built on Windows): catches syntax errors, missing includes and bad paths.
# Installs Debian's nsis package when it is missing and this runs as root; otherwise skips.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
if ! command -v makensis >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "check_nsis: installing Debian's nsis"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nsis >/dev/null \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nsis >/dev/null; }
  else
    echo "check_nsis: skipped (no makensis; install NSIS to check the Windows installer script)"
    exit 0
  fi
fi
version=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$ROOT/desktop/__init__.py")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The layout PyInstaller gives on Windows: the two executables and the runtime folder.
mkdir -p "$tmp/bundle/_internal/resources"
printf 'MZ dummy\n' > "$tmp/bundle/RegistryDesk.exe"
printf 'MZ dummy\n' > "$tmp/bundle/registry-desk.exe"
cp -r "$ROOT/resources/icons" "$tmp/bundle/_internal/resources/"
makensis -V2 -WX "-DVERSION=$version" "-DBUNDLE=$tmp/bundle" "-DOUTFILE=$tmp/RegistryDesk-$version-setup.exe" \
  "$HERE/registry-desk.nsi"
[ -s "$tmp/RegistryDesk-$version-setup.exe" ] || { echo "check_nsis: makensis wrote no installer" >&2; exit 1; }
echo "check_nsis: registry-desk.nsi compiles (makensis $(makensis -VERSION)); dummy installer $(du -h "$tmp/RegistryDesk-$version-setup.exe" | cut -f1)"
