#!/usr/bin/env bash
# Every screenshot in docs/screenshots, taken from real windows. Without a display, on a private
# Xvfb screen (installed by `tools/system-deps.sh --screenshots`).
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PY:-.venv/bin/python}
export PYTHONPATH=.
if [ -z "${DISPLAY:-}" ]; then
    Xvfb :97 -screen 0 1280x800x24 >/dev/null 2>&1 &
    XVFB=$!
    trap 'kill $XVFB' EXIT
    export DISPLAY=:97
    sleep 1
fi
"$PY" tools/screenshots/shell.py light
"$PY" tools/screenshots/shell.py dark
QT_SCALE_FACTOR=2 "$PY" tools/screenshots/shell.py hidpi
# Every area, dialog and wizard page at 1280×800 in both themes, and HiDPI (docs/screenshots/tour).
"$PY" tools/screenshots/tour.py light
"$PY" tools/screenshots/tour.py dark
QT_SCALE_FACTOR=2 "$PY" tools/screenshots/tour.py hidpi  # three of them are kept in git
for script in dgg units btmg sync store_recovery; do
    "$PY" "tools/screenshots/$script.py"
done
"$PY" tools/screenshots/generation.py
"$PY" tools/screenshots/generation.py Dark
