"""Issue 12: a damaged or foreign store ends in a clear message and a usable store, never a
traceback. Each case is met as a user meets it: the command line, or the window's start-up."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QPushButton

from desktop import messages
from desktop.app import open_store_interactively
from tests.conftest import when_modal
from tests.damage import leaf_pages, scribble
from tests.hardening.stores import checkpoint, cli, flip_byte, garble, integrity, make_store


@pytest.fixture
def seen() -> Iterator[list[messages.Message]]:
    kept: list[messages.Message] = []
    messages.install(kept.append)
    try:
        yield kept
    finally:
        messages.install(None)


def rotten_unit(data_dir: Path) -> Path:
    """The store of make_store with one byte of unit "Roof 2-3"'s JSON flipped (a quote)."""
    path = make_store(data_dir)
    flip_byte(path, b'"Roof 2-3"')
    assert integrity(path) == "ok"  # SQLite sees nothing wrong
    return path


def _click(name: str):  # type: ignore[no-untyped-def]
    def act(dialog: QMessageBox) -> None:
        dialog.findChild(QPushButton, name).click()

    return act


# --- 1. One rotten byte inside a stored record -------------------------------------------------


def test_a_rotten_byte_in_a_unit_is_named_and_every_draft_is_still_listed(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    rotten_unit(data_dir)

    code, out, err = cli(capsys, data_dir, "dgg", "list")
    assert code == 1
    assert [line.split()[:2] for line in out.splitlines()] == [
        ["Group", "2"],
        ["Group", "1"],
        ["Group", "0"],
    ]
    assert "DAMAGED" in out.splitlines()[0] and "DAMAGED" not in out.splitlines()[1]
    assert "'Group 2' cannot be read: unit #" in err and "units.data" in err
    assert "registry-desk store recover" in err

    code, out, _ = cli(capsys, data_dir, "dgg", "list", "--json")
    listed = {d["name"]: d for d in json.loads(out)}
    assert code == 1 and listed["Group 2"]["units"] == 6
    assert listed["Group 2"]["damaged"].startswith("unit #")
    assert "damaged" not in listed["Group 1"] and listed["Group 1"]["units"] == 6

    export = ("units", "export", "Group 2", data_dir / "out.csv")
    for words in (export, ("sync", "queue", "Group 2")):
        code, _, err = cli(capsys, data_dir, *words)
        assert code == 1, words
        assert err.startswith("registry-desk: The draft store holds a damaged record: unit #")
        assert "of draft 'Group 2' (id 3)" in err and "not valid JSON" in err
    assert not (data_dir / "out.csv").exists()
    # The other drafts are untouched by the damage.
    assert cli(capsys, data_dir, "units", "export", "Group 1", data_dir / "g1.csv")[0] == 0


def test_store_recover_checks_records_and_sets_the_unreadable_one_aside(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    rotten_unit(data_dir)

    code, out, _ = cli(capsys, data_dir, "store", "recover", "--json")
    report = json.loads(out)
    assert code == 0 and report["damaged"] is True
    assert report["reason"].startswith("a stored record cannot be read: unit #")
    units = {"recovered": 17, "lost": 1, "exact": True, "readable": True}
    assert report["tables"]["units"] == units
    assert [(r["table"], r["draft_name"]) for r in report["set_aside"]] == [("units", "Group 2")]
    aside = json.loads(Path(report["set_aside_file"]).read_text(encoding="utf-8"))
    assert aside[0]["stored"]["uid"] == "u2-3"  # what was lost, to retype or repair
    assert "Roof 2-3" in aside[0]["stored"]["data"]["text"]
    assert Path(report["kept"]).is_file()

    code, out, _ = cli(capsys, data_dir, "dgg", "list", "--json")
    assert code == 0
    assert {d["name"]: d["units"] for d in json.loads(out)} == {
        "Group 0": 6,
        "Group 1": 6,
        "Group 2": 5,
    }
    assert cli(capsys, data_dir, "units", "export", "Group 2", data_dir / "g2.csv")[0] == 0
    code, out, _ = cli(capsys, data_dir, "store", "recover")
    assert code == 0 and "not damaged" in out


def test_store_recover_says_what_was_set_aside(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    rotten_unit(data_dir)
    code, out, err = cli(capsys, data_dir, "store", "recover")
    assert code == 0
    assert "Recovered 3 of 3 drafts and 17 of 18 units." in out
    assert "Set aside as unreadable" in err and "of draft 'Group 2' (id 3)" in err
    assert ".set-aside.json" in err


def test_after_page_damage_recovery_leaves_no_record_that_cannot_be_read(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    """Garbage inside a record that is still read (several bytes), plus a whole damaged page:
    recovery used to copy the garbage, and the recovered store failed like the first test."""
    path = make_store(data_dir, groups=12, units=40)
    garble(path, b'"Roof 5-7"', 12)
    pages = sorted(leaf_pages(path, "units").items(), key=lambda kv: kv[1][0])
    scribble(path, [pages[-2][0]])  # far from the garbled record, which stays readable
    assert integrity(path) != "ok"

    code, out, _ = cli(capsys, data_dir, "store", "recover", "--json")
    report = json.loads(out)
    assert code == 0 and [r["draft_name"] for r in report["set_aside"]] == ["Group 5"]
    code, out, err = cli(capsys, data_dir, "dgg", "list")
    assert code == 0, err
    assert len(out.splitlines()) == 12
    assert cli(capsys, data_dir, "units", "export", "Group 5", data_dir / "g5.csv")[0] == 0


def test_a_rotten_draft_record_is_listed_and_recovery_keeps_its_units(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    path = make_store(data_dir)
    flip_byte(path, b'{"group_type"', value=ord("!"))  # the newest draft's own fields
    assert integrity(path) == "ok"
    code, out, err = cli(capsys, data_dir, "dgg", "list")
    assert code == 1 and len(out.splitlines()) == 3
    assert "the stored fields of draft 'Group" in err
    code, _, err = cli(capsys, data_dir, "dgg", "check", out.split("  ")[0].strip())
    assert code == 1 and "The draft store holds a damaged record" in err

    code, out, _ = cli(capsys, data_dir, "store", "recover", "--json")
    report = json.loads(out)
    assert code == 0 and report["tables"]["units"]["lost"] == 0
    assert len(report["placeholder_drafts"]) == 1  # its units are kept in a new draft


def test_the_window_offers_recovery_for_a_rotten_record(
    qtbot, data_dir: Path, seen: list[messages.Message]
) -> None:  # type: ignore[no-untyped-def]
    rotten_unit(data_dir)
    shown: dict[str, str] = {}

    def recover(dialog: QMessageBox) -> None:
        shown["details"] = dialog.detailedText()
        dialog.findChild(QPushButton, "recover").click()

    when_modal(qtbot, recover)
    store = open_store_interactively(data_dir)
    assert store is not None
    try:
        assert "unit #" in shown["details"] and "'Group 2'" in shown["details"]
        counts = {d.name: len(store.units.list(d.id)) for d in store.list_drafts("dgg")}
        assert counts == {"Group 0": 6, "Group 1": 6, "Group 2": 5}
    finally:
        store.close()
    warnings = [m.text for m in seen if m.level == "warning"]
    assert len(warnings) == 1 and "Set aside as unreadable" in warnings[0]


# --- 5. A zero-length store file ---------------------------------------------------------------


def test_an_empty_store_file_is_damage_not_a_new_store(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    path = data_dir / "drafts.sqlite3"
    path.write_bytes(b"")
    code, out, err = cli(capsys, data_dir, "dgg", "list")
    assert code == 1 and out == ""
    assert "The draft store is damaged (the file is empty: 0 bytes)" in err
    assert path.stat().st_size == 0  # not silently made a new store

    code, out, err = cli(capsys, data_dir, "store", "recover")
    assert code == 0 and "Nothing could be read" in out
    (kept,) = data_dir.glob("drafts.sqlite3.damaged-*[0-9]")
    assert kept.stat().st_size == 0
    assert cli(capsys, data_dir, "dgg", "list")[:2] == (0, "No DGG drafts yet.\n")


def test_the_window_treats_an_empty_store_file_as_damaged(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    (data_dir / "drafts.sqlite3").write_bytes(b"")
    shown: dict[str, str] = {}

    def look_and_quit(dialog: QMessageBox) -> None:
        shown["details"] = dialog.detailedText()
        dialog.findChild(QPushButton, "quit").click()

    when_modal(qtbot, look_and_quit)
    assert open_store_interactively(data_dir) is None
    assert "the file is empty" in shown["details"]
    assert (data_dir / "drafts.sqlite3").stat().st_size == 0


# --- 2. A store written by a newer version -----------------------------------------------------


def newer_store(data_dir: Path) -> str:
    """A store whose schema revision this version does not know; returns its file's digest."""
    path = make_store(data_dir, groups=1)

    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '0099'")
    conn.commit()
    conn.close()
    checkpoint(path)
    return hashlib.sha256(path.read_bytes()).hexdigest()


NEWER = (
    "This store was written by a newer Registry Desk (revision 0099); install that version or "
    "open another data folder"
)


def test_a_store_from_a_newer_version_is_left_alone_by_the_command_line(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    digest = newer_store(data_dir)
    units = tmp_path / "units.csv"
    units.write_text("Unit name,AC capacity (MW)\nRoof,0.005\n", encoding="utf-8")
    for words in (("dgg", "list"), ("units", "import", "Group 0", units), ("sync", "status")):
        for _attempt in range(2):
            code, _, err = cli(capsys, data_dir, *words)
            assert code == 1, words
            assert NEWER in err and "Traceback" not in err
    assert not list((data_dir / "backups").glob("*"))  # no pre-migrate backup, however often
    assert hashlib.sha256((data_dir / "drafts.sqlite3").read_bytes()).hexdigest() == digest


def test_the_window_says_the_store_is_from_a_newer_version(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    digest = newer_store(data_dir)
    shown: dict[str, str] = {}

    def read(dialog: QMessageBox) -> None:
        shown["text"] = dialog.text()
        dialog.accept()

    when_modal(qtbot, read)
    assert open_store_interactively(data_dir) is None
    assert NEWER in shown["text"]
    assert not list((data_dir / "backups").glob("*"))
    assert hashlib.sha256((data_dir / "drafts.sqlite3").read_bytes()).hexdigest() == digest
