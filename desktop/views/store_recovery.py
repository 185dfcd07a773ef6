"""When the draft store is damaged at start-up: one dialog to recover what can be read (the
default), restore the newest backup (when one exists) or quit, and doing what was chosen.

Runs before the main window exists; what it has to say afterwards goes through
desktop.messages and is shown once the window is up.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop import messages
from desktop.store import Store, StoreDamagedError, open_store, recover_store
from desktop.store.files import restore_backup
from desktop.store.lock import WINDOW


def repair_damaged_store(exc: StoreDamagedError, data_dir: Path) -> Store | None:
    """Ask whether to recover what can be read or restore the newest backup, and do it."""
    choice = ask_damaged_store(exc)
    if choice == "recover":
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            report = recover_store(data_dir, role=WINDOW)
        finally:
            QApplication.restoreOverrideCursor()
        store = open_store(data_dir, role=WINDOW)
        messages.notice(report.summary())
        if report.lost_anything:
            messages.warning(
                f"{report.losses()} The damaged file is kept as {report.kept}; "
                "a backup from before the damage may still hold them (Settings › Backups).",
                details=report.summary(),
            )
        return store
    if choice == "restore":
        restore_backup(exc.backups[0], exc.path)
        store = open_store(data_dir, role=WINDOW)
        messages.notice(f"Restored the drafts from the backup {exc.backups[0].name}.")
        return store
    return None


def ask_damaged_store(exc: StoreDamagedError) -> str:
    """One dialog with the choices: "recover" (the default), "restore" (when a backup exists)
    or "quit"."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Draft store damaged", "", parent=None)
    box.setObjectName("store_damaged_dialog")
    box.setText(f"Part of the draft store is damaged, so it cannot be opened as it is.\n{exc.path}")
    lines = [
        "Recover what can be read: copies every draft, unit and document that can still be "
        "read into a new store, and says what could not be. The damaged file is kept beside "
        f"it as {exc.path.name}.damaged-…, never deleted.",
    ]
    recover = box.addButton("&Recover what can be read", QMessageBox.ButtonRole.AcceptRole)
    recover.setObjectName("recover")
    restore = None
    if exc.backups:
        newest = exc.backups[0]
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(newest.stat().st_mtime))
        lines.append(
            f"Restore the newest backup ({newest.name}, {when}): puts that backup in place of "
            "the store. Edits made since the backup are lost; the damaged file is kept beside "
            "it too."
        )
        restore = box.addButton(
            f"Restore the newest &backup ({when})",  # the file's name is in the text above
            QMessageBox.ButtonRole.ActionRole,
        )
        restore.setObjectName("restore")
    else:
        lines.append("There is no backup to restore yet.")
    lines.append("Quit: changes nothing; Registry Desk closes.")
    quit_button = box.addButton("&Quit", QMessageBox.ButtonRole.RejectRole)
    quit_button.setObjectName("quit")
    box.setInformativeText("\n\n".join(lines))
    # The pages may be sound and a record's content not (desktop/store/records.py).
    source = "Found" if exc.records else "SQLite reports"
    box.setDetailedText(f"{source}: {exc.reason or exc.message}\nFile: {exc.path}")
    box.setDefaultButton(recover)
    box.setEscapeButton(quit_button)
    box.exec()
    clicked = box.clickedButton()
    if clicked is recover:
        return "recover"
    if restore is not None and clicked is restore:
        return "restore"
    return "quit"
