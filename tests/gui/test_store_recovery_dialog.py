"""The start-up dialog for a damaged store, driven for real: it is answered like a user would
(a click, or Enter for the default), before any window exists, as at start-up."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox, QPushButton

from desktop import messages
from desktop.app import open_store_interactively
from desktop.store import open_store
from desktop.store.files import list_backups, quick_check
from tests.conftest import when_modal
from tests.damage import leaf_pages, scribble

pytestmark = pytest.mark.gui


@pytest.fixture
def seen() -> Iterator[list[messages.Message]]:
    kept: list[messages.Message] = []
    messages.install(kept.append)
    try:
        yield kept
    finally:
        messages.install(None)


def damaged_store(data_dir: Path, *, backup: bool) -> list[int]:
    """12 drafts of 40 units, one of them backed up; then a units page in the middle of the
    file overwritten with garbage. Returns the unit ids that were on it."""
    with open_store(data_dir) as s:
        for i in range(12):
            d = s.drafts.create("dgg", f"Group {i}", {"i": i})
            s.units.replace_all(d.id, [{"uid": f"u{j}", "name": f"Roof {j}"} for j in range(40)])
            if i == 0 and backup:
                s.backup("exit")
    path = data_dir / "drafts.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    pages = sorted(leaf_pages(path, "units").items(), key=lambda kv: kv[1][0])
    page, rows = pages[len(pages) // 2]
    scribble(path, [page])
    assert quick_check(path) != "ok"
    return rows


def _click(name: str):  # type: ignore[no-untyped-def]
    def act(dialog: QMessageBox) -> None:
        dialog.findChild(QPushButton, name).click()

    return act


def test_recover_is_the_default_and_keeps_the_damaged_file(qtbot, data_dir: Path, seen) -> None:  # type: ignore[no-untyped-def]
    lost = damaged_store(data_dir, backup=True)
    shown: dict[str, object] = {}

    def press_enter(dialog: QMessageBox) -> None:
        shown["text"] = dialog.informativeText()
        shown["buttons"] = [b.objectName() for b in dialog.buttons() if b.objectName()]
        shown["default"] = dialog.defaultButton().objectName()
        QTest.keyClick(dialog, Qt.Key.Key_Return)

    when_modal(qtbot, press_enter, activate_dialog=True)
    store = open_store_interactively(data_dir)

    assert store is not None
    try:
        assert shown["default"] == "recover"
        assert set(shown["buttons"]) == {"recover", "restore", "quit"}  # type: ignore[arg-type]
        assert "never deleted" in str(shown["text"]) and "Edits made since" in str(shown["text"])
        assert len(store.list_drafts("dgg")) == 12
        assert sum(len(store.units.list(d.id)) for d in store.list_drafts("dgg")) == 12 * 40 - len(
            lost
        )
    finally:
        store.close()
    (kept,) = data_dir.glob("drafts.sqlite3.damaged-*[0-9]")
    notices = [m.text for m in seen if m.level == "notice"]
    warnings = [m.text for m in seen if m.level == "warning"]
    assert notices == [f"Recovered 12 of 12 drafts and {480 - len(lost)} of 480 units."]
    assert len(warnings) == 1 and f"{len(lost)} units could not be recovered" in warnings[0]
    assert str(kept) in warnings[0]


def test_restore_the_newest_backup(qtbot, data_dir: Path, seen) -> None:  # type: ignore[no-untyped-def]
    damaged_store(data_dir, backup=True)
    (backup,) = list_backups(data_dir / "backups")
    when_modal(qtbot, _click("restore"))
    store = open_store_interactively(data_dir)
    assert store is not None
    try:
        assert [d.name for d in store.list_drafts("dgg")] == ["Group 0"]
    finally:
        store.close()
    assert list(data_dir.glob("drafts.sqlite3.damaged-*[0-9]"))
    assert [m.text for m in seen] == [f"Restored the drafts from the backup {backup.name}."]


def test_quit_changes_nothing_and_without_a_backup_there_is_no_restore(
    qtbot, data_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    damaged_store(data_dir, backup=False)
    before = (data_dir / "drafts.sqlite3").read_bytes()
    buttons: list[str] = []

    def escape(dialog: QMessageBox) -> None:
        buttons.extend(b.objectName() for b in dialog.buttons() if b.objectName())
        dialog.findChild(QPushButton, "quit").click()

    when_modal(qtbot, escape)
    assert open_store_interactively(data_dir) is None
    assert buttons == ["recover", "quit"]
    assert (data_dir / "drafts.sqlite3").read_bytes() == before
    assert not list(data_dir.glob("drafts.sqlite3.damaged-*[0-9]"))
