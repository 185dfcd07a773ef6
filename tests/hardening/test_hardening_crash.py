"""The app killed (SIGKILL) 50 times during autosave, a units import and a sync push.

After every kill the store passes `PRAGMA quick_check`, opens (the dead process's lock is gone
with it), and holds a consistent state:

* autosave (20 kills): every acknowledged edit is there, and the draft's payload and its
  units come from the same edit;
* units import (15 kills, `registry-desk units import` of 5,000 rows): the draft holds all of
  the previous file's rows or all of the new file's, never part of one, never a mix;
* sync (15 kills, `registry-desk sync push` of DGGs of 50 units against a real sandbox): the
  outbox never holds a refused or failed item; after a last, uninterrupted push the sandbox
  holds each group and each unit exactly once and the outbox shows every item accepted.

Kill moments are random (seeded), spread over the time an uninterrupted run takes.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from desktop.config import Settings
from desktop.errors import NotFoundError
from desktop.models import dgg
from desktop.models.dgg_example import example_group, example_units
from desktop.sandbox.launcher import create_key, start_sandbox
from desktop.store import open_store
from desktop.store.files import quick_check
from desktop.store.outbox import ACCEPTED, FAILED, REJECTED
from desktop.sync import outbox
from desktop.sync.connection import LOCAL_URL_SETTING, RATE_LIMIT
from tests.sync.conftest import fast_client
from tests.sync.helpers import TODAY, make_dgg
from tests.sync.registry_counts import generators_named, group_contents

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
AUTOSAVE_KILLS = 20
IMPORT_KILLS = 15
SYNC_KILLS = 15  # 50 in all
IMPORT_ROWS = 5_000
SYNC_UNITS = 50

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX"),
]


def child_env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), **extra}


def desktop_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "desktop", *args]


def kill_after(child: subprocess.Popen[Any], seconds: float) -> bool:
    """SIGKILL the child after `seconds` unless it finished first; True when it was killed."""
    try:
        child.wait(timeout=seconds)
        return False
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        return True


def kill_while_writing(
    child: subprocess.Popen[Any], data: Path, delay: float, timeout: float
) -> bool:
    """SIGKILL the child `delay` seconds after its write transaction got under way.

    The last connection to close deletes the WAL, so between runs there is none; opening the
    store creates an empty one, and only writing the rows makes it grow past a few pages.
    """
    wal = data / "drafts.sqlite3-wal"

    def size() -> int:
        try:
            return wal.stat().st_size
        except FileNotFoundError:
            return 0

    deadline = time.monotonic() + timeout
    while child.poll() is None and time.monotonic() < deadline and size() < 64 * 1024:
        time.sleep(0.001)
    return kill_after(child, delay)


def store_is_clean(data: Path) -> None:
    assert quick_check(data / "drafts.sqlite3") == "ok"


def timed_run(args: list[str], env: dict[str, str]) -> float:
    started = time.monotonic()
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return time.monotonic() - started


# --- Autosave --------------------------------------------------------------------------------


def test_killed_during_autosave(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with open_store(data) as store:
        group = example_group(reporting_unit_id="seq-0")
        draft = store.drafts.create(dgg.KIND, "Crash autosave", dgg.to_json_doc(group))
        store.units.replace_all(draft.id, [dgg.unit_to_json(u) for u in example_units()])
    rng = random.Random(20261124)
    acknowledged = 0
    for _ in range(AUTOSAVE_KILLS):
        child = subprocess.Popen(
            [sys.executable, str(HERE / "crash_autosave_child.py"), str(data), str(acknowledged)],
            stdout=subprocess.PIPE,
            text=True,
            env=child_env(),
        )
        assert child.stdout is not None
        first = child.stdout.readline()  # it is saving now
        assert first.strip(), "the child saved nothing"
        assert kill_after(child, rng.uniform(0.0, 0.08))
        rest, _ = child.communicate()
        acknowledged = max(int(x) for x in [first, *rest.splitlines()] if x.strip())

        store_is_clean(data)
        with open_store(data) as store:
            row = store.drafts.by_name(dgg.KIND, "Crash autosave")
            units = store.units.list(row.id)
        stored = int(row.payload["reporting_unit_id"].removeprefix("seq-"))
        # Every acknowledged edit is kept; one committed just before the kill may be there too.
        assert stored in (acknowledged, acknowledged + 1)
        assert len(units) == len(example_units())
        assert {u["name"].rsplit(" ", 1)[1] for u in units} == {str(stored)}
        assert row.page == "units" and row.issue_summary is not None
        acknowledged = stored


# --- Units import ----------------------------------------------------------------------------


def _units_file(path: Path, prefix: str) -> set[str]:
    from desktop.exchange.units_csv import write_csv
    from tests.units.units_factories import make_units

    units = make_units(IMPORT_ROWS, seed=len(prefix))
    for unit in units:
        unit["meter_id"] = f"{prefix}-{unit['meter_id']}"
        unit["name"] = f"{prefix} {unit['name']}"
    write_csv(path, units)
    return {u["meter_id"] for u in units}


def _imported(data: Path) -> frozenset[str] | None:
    store_is_clean(data)
    with open_store(data) as store:
        try:
            draft = store.drafts.by_name(dgg.KIND, "Imported")
        except NotFoundError:  # no import has committed yet
            return None
        return frozenset(u["meter_id"] for u in store.units.list(draft.id))


def test_killed_during_units_import(tmp_path: Path) -> None:
    files = {
        "A": (tmp_path / "a.csv", _units_file(tmp_path / "a.csv", "A")),
        "B": (tmp_path / "b.csv", _units_file(tmp_path / "b.csv", "B")),
    }
    env = child_env()
    calibration = tmp_path / "calibration"
    full = timed_run(
        desktop_command("units", "import", "X", str(files["A"][0]), "--data-dir", str(calibration)),
        env,
    )
    data = tmp_path / "data"
    rng = random.Random(7)
    state: frozenset[str] | None = None
    kills = completed = 0
    for attempt in range(IMPORT_KILLS * 3):
        name = "AB"[attempt % 2]
        path, meters = files[name]
        child = subprocess.Popen(
            desktop_command("units", "import", "Imported", str(path), "--data-dir", str(data)),
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # Half the kills land while the rows are being written; the rest anywhere in the run.
        if attempt % 2:
            killed = kill_while_writing(child, data, rng.uniform(0.0, 0.1), full * 2)
        else:
            killed = kill_after(child, full * rng.uniform(0.05, 1.05))
        after = _imported(data)
        if killed:
            kills += 1
            assert after in (state, frozenset(meters)), "a killed import left part of a file"
        else:
            completed += 1
            assert child.returncode == 0
            assert after == frozenset(meters)
        assert after is None or len(after) == IMPORT_ROWS
        state = after
        if kills == IMPORT_KILLS:
            break
    assert kills == IMPORT_KILLS, f"only {kills} kills in {attempt + 1} runs"


# --- Sync push -------------------------------------------------------------------------------


def test_killed_during_sync_push(tmp_path: Path) -> None:
    sandbox_dir = tmp_path / "sandbox"
    data = tmp_path / "data"
    with start_sandbox(sandbox_dir, port=0, rate_limit=None, today=TODAY) as sandbox:
        key = create_key(sandbox_dir, label="crash test")
        settings = Settings.load(data / "settings.json")
        settings.set(LOCAL_URL_SETTING, sandbox.base_url)
        settings.set(RATE_LIMIT, "1000/1")  # the sandbox runs without a limit: go fast
        env = child_env(REGISTRY_DESK_API_KEY=key)
        push = desktop_command("sync", "push", "--data-dir", str(data))
        names: list[str] = []

        def queue_new_group() -> None:
            name = f"Crash push {len(names) + 1}"
            with open_store(data) as store:
                draft_id = make_dgg(store, tmp_path, units=SYNC_UNITS, name=name)
                outbox.queue_dgg(store, draft_id)
            names.append(name)

        queue_new_group()
        full = timed_run(push, env)  # an uninterrupted push, to spread the kills over
        rng = random.Random(11)
        kills = pushes = 0
        while kills < SYNC_KILLS:
            pushes += 1
            assert pushes <= SYNC_KILLS * 4, f"only {kills} kills in {pushes - 1} pushes"
            with open_store(data) as store:
                unfinished = [i for i in outbox.repository(store).list() if i.status != ACCEPTED]
            if not unfinished:
                queue_new_group()
            child = subprocess.Popen(
                push, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            kills += kill_after(child, full * rng.uniform(0.15, 1.0))
            store_is_clean(data)
            with open_store(data) as store:
                statuses = Counter(i.status for i in outbox.repository(store).list())
            assert not statuses.keys() & {REJECTED, FAILED}, statuses

        done = subprocess.run(push, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        with open_store(data) as store:
            items = outbox.repository(store).list()
            drafts = {n: store.drafts.by_name(dgg.KIND, n) for n in names}
        assert len(items) == len(names)
        assert all(i.status == ACCEPTED and i.done == i.total for i in items), items

        client = fast_client(sandbox.base_url, key)
        try:
            for name in names:
                [generator] = generators_named(client, name)  # exactly once
                assert drafts[name].registry_id == generator["id"]
                held = group_contents(client, generator["id"])
                assert len(held["units"]) == SYNC_UNITS
                assert set(held["unit_names"].values()) == {1}  # no unit twice
                assert len(held["fuels"]) == 1 and len(held["documents"]) == 1
        finally:
            client.close()
