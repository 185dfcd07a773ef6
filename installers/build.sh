#!/usr/bin/env bash
# `make dist`: the one-folder bundle (PyInstaller), its smoke test, the .deb, and a check of the
# Windows installer script.
#
#   bash installers/build.sh            # uses .venv/bin/python (what `make dist` prepared)
#   DIST_PYTHON=/path/to/python bash installers/build.sh
#
# Results: dist/registry-desk/ (the bundle) and dist/registry-desk_<version>_<arch>.deb.
# Windows and macOS installers are built on those systems: installers/windows/README.md and
# installers/macos/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${DIST_PYTHON:-.venv/bin/python}
[ -x "$PY" ] || { echo "build: no Python at $PY (run 'make dist', or set DIST_PYTHON)" >&2; exit 1; }

if ! "$PY" -c 'import PyInstaller' 2>/dev/null; then
  echo "build: installing the 'dist' extra (PyInstaller) into $("$PY" -c 'import sys; print(sys.prefix)')"
  "$PY" -m pip install -q -e '.[dist]'
fi

version=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' desktop/__init__.py)
echo "build: Registry Desk $version with $("$PY" -m PyInstaller --version | sed 's/^/PyInstaller /')"

rm -rf build/pyinstaller dist/registry-desk
start=$(date +%s)
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller installers/registry-desk.spec
echo "build: bundle built in $(( $(date +%s) - start )) s: dist/registry-desk ($(du -sh dist/registry-desk | cut -f1))"

bash installers/smoke_test.sh dist/registry-desk/registry-desk "$PY"

if command -v dpkg-deb >/dev/null; then
  bash installers/linux/build_deb.sh dist/registry-desk
else
  echo "build: no dpkg-deb on this system: .deb skipped"
fi

bash installers/windows/check_nsis.sh
echo "build: done"
