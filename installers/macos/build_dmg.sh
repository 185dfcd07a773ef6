#!/usr/bin/env bash
# macOS only: "Registry Desk.app" (PyInstaller) and a drag-to-Applications DMG (hdiutil).
# The steps, prerequisites and signing are in installers/macos/README.md.
#
#   bash installers/macos/build_dmg.sh
#   CODESIGN_IDENTITY="Developer ID Application: NAME (TEAMID)" NOTARY_PROFILE=registry-desk \
#       bash installers/macos/build_dmg.sh        # signed, notarised and stapled
#
# Results: "dist/Registry Desk.app" and dist/RegistryDesk-<version>-<arch>.dmg.
set -euo pipefail
[ "$(uname -s)" = Darwin ] || { echo "build_dmg: this runs on macOS only (installers/macos/README.md)" >&2; exit 1; }
cd "$(dirname "$0")/../.."
PY=${DIST_PYTHON:-.venv/bin/python}
[ -x "$PY" ] || { echo "build_dmg: no Python at $PY (run 'make test' once, or set DIST_PYTHON)" >&2; exit 1; }
"$PY" -c 'import PyInstaller' 2>/dev/null || "$PY" -m pip install -q -e '.[dist]'

version=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' desktop/__init__.py)
arch=$(uname -m)
app="dist/Registry Desk.app"
dmg="dist/RegistryDesk-$version-$arch.dmg"

rm -rf build/pyinstaller dist/registry-desk "$app" "$dmg"
# CODESIGN_IDENTITY, when set, is read by the spec: every binary and the .app get signed.
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller installers/registry-desk.spec

# The same checks as on Linux, on the one-folder build and on the console program in the .app.
bash installers/smoke_test.sh dist/registry-desk/registry-desk "$PY"
bash installers/smoke_test.sh "$app/Contents/MacOS/registry-desk" "$PY"
plutil -lint "$app/Contents/Info.plist"
if [ -n "${CODESIGN_IDENTITY:-}" ]; then
  codesign --verify --deep --strict --verbose=2 "$app"
fi

staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"
hdiutil create -volname "Registry Desk $version" -srcfolder "$staging" -fs HFS+ \
  -format UDZO -imagekey zlib-level=9 -ov "$dmg"
hdiutil verify "$dmg"

if [ -n "${CODESIGN_IDENTITY:-}" ]; then
  codesign --sign "$CODESIGN_IDENTITY" --timestamp "$dmg"
  if [ -n "${NOTARY_PROFILE:-}" ]; then
    xcrun notarytool submit "$dmg" --keychain-profile "$NOTARY_PROFILE" --wait
    xcrun stapler staple "$dmg"
    spctl --assess --type open --context context:primary-signature --verbose=2 "$dmg"
  fi
fi
echo "build_dmg: $dmg ($(du -h "$dmg" | cut -f1)); app $(du -sh "$app" | cut -f1)"
