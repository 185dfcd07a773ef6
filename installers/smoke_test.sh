#!/usr/bin/env bash
# Smoke test of a Registry Desk executable, run offscreen (no display needed).
#
#   bash installers/smoke_test.sh dist/registry-desk/registry-desk [SOURCE_PYTHON]
#
# Checks, each in a fresh temporary data folder:
#   1. `--version` prints the version of desktop/__init__.py;
#   2. `--help` lists every command group of the source tree (they are discovered at run time, so
#      a missing hidden import shows here), compared with SOURCE_PYTHON's `-m desktop --help`;
#   3. `dgg list --json` creates a store (Alembic migrations from the bundled scripts) and prints
#      an empty JSON list (run when the bundle has the `dgg` command);
#   4. `generation build` turns a generated month of 15-minute meter data into an M-RETS monthly
#      upload file with the expected row, then a 53 MB file of 640 meters, which two worker
#      processes read (run when the bundle has the `generation` command);
#   5. the window starts: the app opens its store (migrations) and stays up with the main window
#      for 3 s without a traceback; it is then stopped;
#   6. the practice registry runs as a helper process, started the way the app starts it
#      (`registry-desk -m desktop.sandbox ...`), and answers /healthz on 127.0.0.1 (when the
#      bundle has the `sandbox` command);
#   7. in a PyInstaller bundle: resources (reference lists, icons) and migration scripts
#      are inside it, and the Qt platform plugins that the app needs are there.
# Exit status 0 when all of them pass.
set -euo pipefail
APP=${1:?usage: smoke_test.sh PATH/TO/registry-desk [SOURCE_PYTHON]}
SOURCE_PY=${2:-}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export QT_QPA_PLATFORM=offscreen
tmp=$(mktemp -d)
gui_pid=""
sandbox_pid=""
cleanup() {
  if [ -n "$gui_pid" ]; then kill "$gui_pid" 2>/dev/null || true; fi
  if [ -n "$sandbox_pid" ]; then kill "$sandbox_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
# Never touch the user's own data folder, whatever a command defaults to.
export REGISTRY_DESK_DATA_DIR="$tmp/default-data"

pass() { echo "smoke: ok   $*"; }
fail() { echo "smoke: FAIL $*" >&2; exit 1; }

# 1. version
want=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$ROOT/desktop/__init__.py")
# (tr -d '\r': on Windows, under Git Bash, the program ends its lines with CR LF)
got=$("$APP" --version | tr -d '\r') || fail "--version exited $?"
[ "$got" = "registry-desk $want" ] || fail "--version printed '$got', expected 'registry-desk $want'"
pass "--version: $got"

# 2. command groups
commands() { sed -n '/^positional arguments:/,/^options:/p' | sed -n 's/^    \([a-z][a-z0-9-]*\) .*/\1/p; s/^    \([a-z][a-z0-9-]*\)$/\1/p' | sort; }
have=$("$APP" --help | tr -d '\r' | commands) || fail "--help exited $?"
listed=$(tr '\n' ' ' <<<"$have")
listed=${listed% }
[ -n "$have" ] || fail "--help lists no command"
if [ -n "$SOURCE_PY" ]; then
  expected=$(cd "$ROOT" && "$SOURCE_PY" -m desktop --help | tr -d '\r' | commands)
  [ "$have" = "$expected" ] || fail "commands differ: bundle [$listed] source [$(tr '\n' ' ' <<<"$expected")]"
fi
pass "commands: $listed"
has() { grep -qx "$1" <<<"$have"; }

# 3. a store through the command line
if has dgg; then
  out=$("$APP" --data-dir "$tmp/cli" dgg list --json) || fail "dgg list --json exited $?"
  [ "$(tr -d ' \r\n' <<<"$out")" = "[]" ] || fail "dgg list --json on a new store printed: $out"
  [ -s "$tmp/cli/drafts.sqlite3" ] || fail "dgg list created no store in $tmp/cli"
  pass "dgg list --json: new store created and migrated, empty list"
else
  echo "smoke: skip dgg list (no 'dgg' command in this build)"
fi

# 4. a generation upload file
if has generation; then
  awk 'BEGIN {
    print "Interval Start,kWh";
    for (d = 1; d <= 31; d++) for (h = 0; h < 24; h++) for (m = 0; m < 60; m += 15) {
      kwh = (h >= 7 && h < 19) ? 0.5 + (h % 5) * 0.25 : 0;
      printf "2025-01-%02d %02d:%02d,%.3f\n", d, h, m, kwh
    } }' > "$tmp/meter.csv"
  "$APP" --data-dir "$tmp/gen" generation build --input "$tmp/meter.csv" \
    --input-tz America/New_York --timestamps start --generator-id M805 --unit-id SMOKE-1 \
    --granularity monthly --out "$tmp/upload.csv" > "$tmp/gen.log" 2>&1 \
    || { cat "$tmp/gen.log" >&2; fail "generation build exited non-zero"; }
  # 4 intervals x sum over h = 7..18 of (0.5 + (h mod 5) x 0.25) = 49 kWh a day: 1.519 MWh in January
  tr -d '\r' < "$tmp/upload.csv" | grep -qx '805,SMOKE-1,01/2025,01/01/2025,01/31/2025,1.519' \
    || { cat "$tmp/gen.log" "$tmp/upload.csv" >&2; fail "generation build wrote an unexpected file"; }
  pass "generation build: 2,976 intervals -> $(tr -d "\r" < "$tmp/upload.csv")"
  # 4b. a file big enough to be read by two worker processes, which the frozen app starts as
  # `registry-desk -m desktop.exchange.parallel_csv` (a worker that fails fails the build)
  awk 'BEGIN {
    print "Meter ID,Interval Start,kWh";
    for (n = 1; n <= 640; n++) for (d = 1; d <= 31; d++) for (h = 0; h < 24; h++) for (m = 0; m < 60; m += 15) {
      kwh = (h >= 7 && h < 19) ? 0.5 + (h % 5) * 0.25 : 0;
      printf "M%03d,2025-01-%02d %02d:%02d,%.3f\n", n, d, h, m, kwh
    } }' > "$tmp/big.csv"
  "$APP" --data-dir "$tmp/gen" generation build --input "$tmp/big.csv" \
    --input-tz America/New_York --timestamps start --generator-id M805 --unit-id SMOKE-2 \
    --granularity monthly --out "$tmp/big-upload.csv" > "$tmp/big.log" 2>&1 \
    || { cat "$tmp/big.log" >&2; fail "generation build of a 53 MB file exited non-zero"; }
  # 640 meters of the month above, summed: 640 x 1.519 MWh
  tr -d '\r' < "$tmp/big-upload.csv" | grep -qx '805,SMOKE-2,01/2025,01/01/2025,01/31/2025,972.160' \
    || { cat "$tmp/big.log" "$tmp/big-upload.csv" >&2; fail "the two-worker read wrote an unexpected file"; }
  pass "generation build: 1,904,640 intervals of 640 meters read by two workers -> 972.160 MWh"
else
  echo "smoke: skip generation build (no 'generation' command in this build)"
fi

# 5. the window
"$APP" --data-dir "$tmp/gui" > "$tmp/gui.log" 2>&1 &
gui_pid=$!
for _ in $(seq 1 240); do
  [ -s "$tmp/gui/drafts.sqlite3" ] && break
  kill -0 "$gui_pid" 2>/dev/null || break
  sleep 0.25
done
[ -s "$tmp/gui/drafts.sqlite3" ] || { cat "$tmp/gui.log" >&2; fail "the window did not open a store in 60 s"; }
sleep 3
kill -0 "$gui_pid" 2>/dev/null || { cat "$tmp/gui.log" >&2; fail "the app exited within 3 s of opening its store"; }
! grep -q Traceback "$tmp/gui.log" || { cat "$tmp/gui.log" >&2; fail "the window printed a traceback"; }
kill "$gui_pid"
wait "$gui_pid" 2>/dev/null || true
gui_pid=""
pass "window: store opened and migrated, main window up for 3 s"

# 6. the sandbox registry as a helper process
if has sandbox; then
  "$APP" -m desktop.sandbox --data-dir "$tmp/sandbox" --port 0 --port-file "$tmp/sandbox.port" \
    > "$tmp/sandbox.log" 2>&1 &
  sandbox_pid=$!
  for _ in $(seq 1 240); do
    [ -s "$tmp/sandbox.port" ] && break
    kill -0 "$sandbox_pid" 2>/dev/null || break
    sleep 0.25
  done
  [ -s "$tmp/sandbox.port" ] || { cat "$tmp/sandbox.log" >&2; fail "the sandbox did not start in 60 s"; }
  port=$(tr -dc '0-9' < "$tmp/sandbox.port")
  health=""
  for _ in $(seq 1 40); do
    if command -v curl >/dev/null; then
      health=$(curl -fsS "http://127.0.0.1:$port/healthz" 2>/dev/null) && break
    else
      health=$(exec 3<>"/dev/tcp/127.0.0.1/$port" && printf 'GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3 && cat <&3) && break
    fi
    sleep 0.25
  done
  grep -q '"ok"' <<<"$health" || { cat "$tmp/sandbox.log" >&2; fail "the sandbox's /healthz answered: $health"; }
  kill "$sandbox_pid"
  wait "$sandbox_pid" 2>/dev/null || true
  sandbox_pid=""
  pass "sandbox: started as 'registry-desk -m desktop.sandbox', /healthz on 127.0.0.1:$port answered"
else
  echo "smoke: skip sandbox (no 'sandbox' command in this build)"
fi

# 7. bundle contents
internal="$(dirname "$APP")/_internal"
if [ -d "$internal" ]; then
  for f in resources/icons/registry-desk-256.png \
           desktop/store/migrations/env.py desktop/store/migrations/script.py.mako; do
    [ -f "$internal/$f" ] || fail "the bundle lacks $f"
  done
  for f in "$ROOT"/desktop/store/migrations/versions/*.py; do
    [ -f "$internal/desktop/store/migrations/versions/$(basename "$f")" ] || fail "the bundle lacks migration $(basename "$f")"
  done
  for f in "$ROOT"/resources/reference/*.json; do
    [ -e "$f" ] || continue
    [ -f "$internal/resources/reference/$(basename "$f")" ] || fail "the bundle lacks reference list $(basename "$f")"
  done
  case "$(uname -s)" in
    Linux) plugins="libqxcb libqwayland libqoffscreen" ;;
    Darwin) plugins="libqcocoa libqoffscreen" ;;
    *) plugins="qwindows qoffscreen" ;;
  esac
  for p in $plugins; do
    ls "$internal"/PySide6/Qt/plugins/platforms/"$p".* >/dev/null 2>&1 \
      || ls "$internal"/PySide6/plugins/platforms/"$p".* >/dev/null 2>&1 \
      || fail "the bundle lacks the Qt platform plugin $p"
  done
  for m in numpy pandas tkinter; do
    [ ! -e "$internal/$m" ] || fail "the bundle contains $m, which is excluded"
  done
  pass "bundle: resources, migrations and Qt platform plugins ($plugins) present; no numpy/pandas/tkinter"
fi
echo "smoke: all checks passed"
