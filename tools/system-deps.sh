#!/usr/bin/env bash
# Installs the system libraries Qt needs to run (offscreen in tests, on Xvfb for screenshots).
# Only Debian/Ubuntu are automated; elsewhere this prints what is missing and stops.
set -euo pipefail
want="libegl1 libgl1 libopengl0 libfontconfig1 libxkbcommon0 libxkbcommon-x11-0 libdbus-1-3 fonts-dejavu-core
libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-xinerama0
libxcb-shape0 libxcb-randr0 libxcb-xfixes0 libxcb-sync1 libxcb-xkb1 libglib2.0-0"
[ "${1:-}" = "--screenshots" ] && want="$want xvfb x11-apps imagemagick xdotool poppler-utils"
command -v dpkg-query >/dev/null || { echo "system-deps: not Debian; install Qt's xcb/EGL/fontconfig libraries yourself"; exit 0; }
missing=""
for p in $want; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "system-deps: missing Debian packages:$missing"
  echo "system-deps: run: sudo apt-get install -y$missing"
  exit 1
fi
echo "system-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
