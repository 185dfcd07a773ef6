"""Settings page: edit, import and export the MECT reference lists (dropdown values MISO does
not publish). Every list says 'verify against MECT'; a saved list replaces the shipped one for
this user (desktop.models.reference), and 'Reset' brings the shipped one back.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import InputError
from desktop.models import reference

PREFIX = "mect_"


def mect_list_names() -> list[str]:
    folder = reference.resources_dir() / "reference"
    return sorted(p.stem for p in folder.glob(f"{PREFIX}*.json"))


def columns_of(doc: dict[str, Any]) -> list[str]:
    cols = ["value"]
    for item in doc.get("values", []):
        if isinstance(item, dict):
            cols += [k for k in item if k not in cols]
    return cols


def _typed(text: str) -> Any:
    return int(text) if text.strip().isdigit() else text.strip()


def validate_doc(doc: Any, name: str, *, where: str) -> dict[str, Any]:
    """A list document as the reference module reads it; problems name the value's position."""
    if not isinstance(doc, dict) or not isinstance(doc.get("values"), list):
        raise InputError('This is not a reference list (no "values" list).', where=where)
    if doc.get("name") not in (None, name):
        raise InputError(
            f"This file holds the list '{doc.get('name')}', not '{name}'.", where=where
        )
    seen: set[str] = set()
    for n, item in enumerate(doc["values"], start=1):
        value = item.get("value") if isinstance(item, dict) else item
        if not isinstance(value, str | int) or not str(value).strip():
            raise InputError(f"Value {n} is empty.", where=where)
        key = str(value).strip().casefold()
        if key in seen:
            raise InputError(f"Value {n} ('{value}') is listed twice.", where=where)
        seen.add(key)
    return {**reference.load(name), **doc, "name": name}


# A user's copy made by an earlier version may still cite the project's internal documents.
_INTERNAL_REFERENCE = re.compile(r"\s*\([^()]*(?:reference\.md|decisions\.md)[^()]*\)")


def plain_note(note: str) -> str:
    """The list's note without citations of documents the user does not have."""
    return _INTERNAL_REFERENCE.sub("", note)


class ReferenceListsView(QWidget):
    list_saved = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reference_lists_view")
        outer = QHBoxLayout(self)
        self.names = QListWidget()
        self.names.setObjectName("reference_lists")
        self.names.setAccessibleName("MECT reference lists")
        self.names.setMaximumWidth(260)
        self.list_names = mect_list_names()
        for name in self.list_names:
            self.names.addItem(QListWidgetItem(str(reference.load(name).get("title") or name)))
        self.names.currentRowChanged.connect(lambda _row: self._show_current())
        outer.addWidget(self.names)

        right = QVBoxLayout()
        self.note = QLabel()
        self.note.setObjectName("reference_note")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("background: #fff4ce; padding: 6px;")
        right.addWidget(self.note)
        self.model = QStandardItemModel(self)
        self.model.itemChanged.connect(lambda _i: self._mark_dirty())
        self.table = QTableView()
        self.table.setObjectName("reference_values")
        self.table.setAccessibleName("Values of the list")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        right.addWidget(self.table, 1)
        self.status = QLabel()
        self.status.setObjectName("reference_status")
        self.status.setWordWrap(True)
        right.addWidget(self.status)
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in (
            ("add", "&Add value", self.add_row),
            ("remove", "&Remove", self.remove_row),
            ("save", "&Save", self.save),
            ("reset", "Reset to s&hipped", self.reset),
            ("import", "&Import…", self.choose_import),
            ("export", "E&xport…", self.choose_export),
        ):
            button = QPushButton(text)
            button.setObjectName(f"reference_{key}")
            button.clicked.connect(slot)
            buttons.addWidget(button)
            self.buttons[key] = button
        buttons.insertStretch(4, 1)
        right.addLayout(buttons)
        outer.addLayout(right, 1)
        self.current: str | None = None
        self._filling = False
        self.columns: list[str] = ["value"]
        self.dirty = False
        self.dialog: QFileDialog | None = None
        if self.names.count():
            self.names.setCurrentRow(0)

    # --- showing and editing -------------------------------------------------------------------

    def select(self, name: str) -> None:
        if name in self.list_names:
            self.names.setCurrentRow(self.list_names.index(name))

    def _show_current(self) -> None:
        row = self.names.currentRow()
        if not 0 <= row < len(self.list_names):
            return
        self.current = self.list_names[row]
        self._fill(reference.load(self.current))
        user = reference.user_file(self.current)
        edited = user is not None and user.is_file()
        self.status.setText("Your edited copy is in force." if edited else "Shipped list.")

    def _fill(self, doc: dict[str, Any]) -> None:
        self._filling = True
        self.model.clear()
        cols = columns_of(doc)
        self.model.setHorizontalHeaderLabels([c.replace("_", " ").capitalize() for c in cols])
        for item in doc.get("values", []):
            entry = item if isinstance(item, dict) else {"value": item}
            self.model.appendRow([QStandardItem(str(entry.get(c, ""))) for c in cols])
        self._filling = False
        self.columns = cols
        self.note.setText(plain_note(str(doc.get("note", ""))))
        self.dirty = False

    def _mark_dirty(self) -> None:
        if self._filling:
            return
        self.dirty = True
        self.status.setText("Unsaved changes.")

    def add_row(self) -> None:
        self.model.appendRow([QStandardItem("") for _ in self.columns])
        index = self.model.index(self.model.rowCount() - 1, 0)
        self.table.setCurrentIndex(index)
        self.table.edit(index)
        self._mark_dirty()

    def remove_row(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.model.removeRow(index.row())
            self._mark_dirty()

    def edited_doc(self) -> dict[str, Any]:
        """The list as shown in the table (blank rows dropped)."""
        assert self.current is not None
        values: list[Any] = []
        for r in range(self.model.rowCount()):
            cells = {
                c: str(self.model.data(self.model.index(r, n)) or "")
                for n, c in enumerate(self.columns)
            }
            if not cells["value"].strip():
                continue
            if len(self.columns) == 1:
                values.append(cells["value"].strip())
            else:
                values.append({c: _typed(v) for c, v in cells.items() if v.strip()})
        return {**reference.load(self.current), "values": values}

    # --- saving, import, export ----------------------------------------------------------------

    def save(self) -> bool:
        if self.current is None:
            return False
        if reference.user_file(self.current) is None:
            self.status.setText("No data folder is set, so the list cannot be saved.")
            return False
        try:
            doc = validate_doc(self.edited_doc(), self.current, where=self.current)
        except InputError as exc:
            self.status.setText(str(exc))
            return False
        reference.save_user_copy(self.current, doc)
        self._show_current()
        self.status.setText("Saved: your list is in force (verify it against MECT).")
        self.list_saved.emit(self.current)
        return True

    def reset(self) -> None:
        if self.current is None:
            return
        reference.reset_user_copy(self.current)
        self._show_current()
        self.list_saved.emit(self.current)

    def import_file(self, path: Path) -> bool:
        if self.current is None:
            return False
        try:
            raw = json.loads(Path(path).read_text(encoding="utf-8"))
            doc = validate_doc(raw, self.current, where=str(path))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            self.status.setText(f"{path}: the file cannot be read as JSON ({exc}).")
            return False
        except InputError as exc:
            self.status.setText(str(exc))
            return False
        self._fill(doc)
        return self.save()

    def export_file(self, path: Path) -> Path:
        target = Path(path)
        doc = self.edited_doc()
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, indent=2, ensure_ascii=False)
            fh.write("\n")
        os.replace(tmp, target)
        self.status.setText(f"Exported to {target}.")
        return target

    def _file_dialog(self, title: str, save: bool) -> QFileDialog:
        dialog = QFileDialog(self, title)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setNameFilter("Reference list (*.json)")
        dialog.setDefaultSuffix("json")
        if save:
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
            dialog.selectFile(f"{self.current}.json")
        else:
            dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        self.dialog = dialog
        return dialog

    def choose_import(self) -> None:
        dialog = self._file_dialog("Import reference list", save=False)
        dialog.fileSelected.connect(lambda f: self.import_file(Path(f)))
        dialog.open()

    def choose_export(self) -> None:
        dialog = self._file_dialog("Export reference list", save=True)
        dialog.fileSelected.connect(lambda f: self.export_file(Path(f)))
        dialog.open()
