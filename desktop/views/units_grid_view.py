"""The units grid of a DGG draft: a spreadsheet-like table built to beat Excel at this job.

Keys: F8 / Shift+F8 next / previous issue, Ctrl+C / Ctrl+V copy and paste tab-separated text
(Excel, LibreOffice), Ctrl+D fill down, Delete clears, Ctrl+I inserts units, Ctrl+- deletes
them, Ctrl+Z / Ctrl+Y undo and redo, Ctrl+F filter. Every change is saved at once, in one
transaction per action, on a background thread for large groups.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import KnownError
from desktop.exchange import units_rules
from desktop.exchange.units_file import export_units, write_template
from desktop.models.dgg_rules import GROUP_MAX_MW
from desktop.models.fields import FieldKind, format_mw
from desktop.views import units_commands as commands
from desktop.views.frozen_column import FrozenColumn, keep_clear_of
from desktop.views.units_clipboard import parse_tsv, to_tsv
from desktop.views.units_delegates import UnitsDelegate
from desktop.views.units_jobs import Job, JobRunner, UnitsSaver
from desktop.views.units_table_model import FIELDS, UnitsTableModel, display_text

WIDTHS = {
    FieldKind.TEXT: 150,
    FieldKind.CHOICE: 120,
    FieldKind.BOOL: 80,
    FieldKind.DATE: 100,
    FieldKind.CAPACITY: 100,
    FieldKind.DECIMAL: 85,
    FieldKind.POSTAL: 85,
}
BAR = "QProgressBar { border: 1px solid #8a8a8a; border-radius: 3px; text-align: center; }"
BAR_OK = BAR + " QProgressBar::chunk { background: #81c784; }"
BAR_OVER = BAR + " QProgressBar::chunk { background: #e57373; } QProgressBar { font-weight: bold; }"


class UnitsTable(QTableView):
    """The table; keys that Qt would otherwise eat are routed to the view's actions. The
    name column is frozen (FrozenColumn): cells are kept clear of it, and the name is edited
    in the frozen view, where it can be seen."""

    frozen: FrozenColumn | None = None

    def scrollTo(
        self,
        index: QModelIndex | QPersistentModelIndex,
        hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible,
    ) -> None:
        if self.frozen is not None and index.column() == self.frozen.column:
            # Only vertically: the frozen column is always in view.
            sideways = self.horizontalScrollBar().value()
            super().scrollTo(index, hint)
            self.horizontalScrollBar().setValue(sideways)
            return
        super().scrollTo(index, hint)
        if self.frozen is not None and isinstance(index, QModelIndex):
            keep_clear_of(self, self.frozen, index)

    def edit(self, index: QModelIndex, trigger: Any = None, event: Any = None) -> bool:  # type: ignore[override]
        if trigger is None:  # the public edit(index) slot
            super().edit(index)
            return True
        if self.frozen is not None and index.column() == self.frozen.column:
            return bool(self.frozen.edit(index, trigger, event))
        return bool(super().edit(index, trigger, event))

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self.frozen is not None:
            self.frozen.update_geometry()

    def keyPressEvent(self, event: Any) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and (
            self.state() != QAbstractItemView.State.EditingState
        ):
            parent = self.parent()
            while parent is not None and not isinstance(parent, UnitsGridView):
                parent = parent.parent()
            if parent is not None:
                parent.clear_cells()
                return
        super().keyPressEvent(event)


class UnitsGridView(QWidget):
    """`UnitsGridView(store, draft_id)`: the units of one DGG draft, saved as they change."""

    units_saved = Signal(int)
    save_failed = Signal(str)

    def __init__(self, store: Any, draft_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("units_grid_view")
        self.store, self.draft_id = store, draft_id
        draft = store.drafts.get(draft_id)
        units = units_rules.units_from_json(store.units.list(draft_id))
        # Checked right after the first paint, so opening 10,000 units stays under half a
        # second; the timer covers a view that is never painted.
        self.model = UnitsTableModel(units, draft.payload, self, validate=False)
        self._checked = False
        QTimer.singleShot(300, self, self._first_check)
        self.undo_stack = self.model.undo_stack
        self.saver = UnitsSaver(store, draft_id, parent=self)
        self.saver.saved.connect(self.units_saved)
        self.saver.failed.connect(self._save_failed)
        self.jobs = JobRunner(1, self)
        self._export_job: Job | None = None

        self.table = UnitsTable(self)
        self.table.setObjectName("units_table")
        self.table.setAccessibleName("Units")
        self.table.setModel(self.model)
        self.table.setItemDelegate(UnitsDelegate(self.table))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        # No indicator first: enabling sorting would otherwise sort by column 0 at once.
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.table.setWordWrap(False)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header_metrics = self.table.horizontalHeader().fontMetrics()
        for column, spec in enumerate(FIELDS):
            # Wide enough for the header (with the sort arrow), not measured from the data:
            # resizeColumnsToContents on 10,000 rows costs 0.4 s (engineering-notes.md).
            title = header_metrics.horizontalAdvance(spec.display_label) + 28
            self.table.setColumnWidth(column, min(max(WIDTHS.get(spec.kind, 120), title), 280))

        self.table.frozen = FrozenColumn(self.table, [spec.key for spec in FIELDS].index("name"))

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("units_filter")
        self.filter_edit.setAccessibleName("Filter units")
        self.filter_edit.setPlaceholderText("Filter units (Ctrl+F): words in any column")
        self.filter_edit.setToolTip("Shows the units whose cells contain every word typed here.")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setMinimumWidth(300)
        self.filter_edit.textChanged.connect(self._filter_changed)
        self.only_issues = QCheckBox("Only units with &issues", self)
        self.only_issues.setObjectName("only_issues")
        self.only_issues.setToolTip("Hide the units that have no marked cell.")
        self.only_issues.toggled.connect(self._only_issues_toggled)

        self.toolbar = QToolBar("Units", self)
        self.toolbar.setObjectName("units_toolbar")
        self._make_actions()

        self.count_label = QLabel(self)
        self.count_label.setObjectName("unit_count")
        self.total_bar = QProgressBar(self)
        self.total_bar.setObjectName("total_mw")
        self.total_bar.setAccessibleName("Total MW AC against the 1 MW group limit")
        self.total_bar.setRange(0, 1000)
        self.total_bar.setFixedWidth(260)
        self.issues_label = QLabel(self)
        self.issues_label.setObjectName("issue_count")
        self.message = QLabel(self)
        self.message.setObjectName("units_message")
        self.message.setWordWrap(True)
        self.message.hide()

        # The toolbar has a row of its own: beside the filter it overflowed at 1280 px and
        # hid Template behind "»".
        top = QVBoxLayout()
        top.addWidget(self.toolbar)
        filter_row = QHBoxLayout()
        filter_row.addWidget(self.filter_edit, 1)
        filter_row.addWidget(self.only_issues)
        top.addLayout(filter_row)
        footer = QHBoxLayout()
        footer.addWidget(self.count_label)
        footer.addSpacing(16)
        footer.addWidget(QLabel("Total:", self))
        footer.addWidget(self.total_bar)
        footer.addSpacing(16)
        footer.addWidget(self.issues_label)
        footer.addStretch()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(footer)

        self.table.viewport().installEventFilter(self)
        self.model.units_changed.connect(self._units_changed)
        self.model.issues_changed.connect(self._update_footer)
        self.model.edit_refused.connect(self.show_message)
        self.undo_stack.indexChanged.connect(lambda _i: self.message.hide())
        self._update_footer()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._checked:
            self.table.viewport().removeEventFilter(self)
            QTimer.singleShot(0, self, self._first_check)
        return False

    def _first_check(self) -> None:
        if not self._checked:
            self._checked = True
            self.model.revalidate()

    # --- Actions -------------------------------------------------------------------------------

    def _action(
        self,
        text: str,
        name: str,
        slot: Any,
        keys: Any = None,
        *,
        tip: str = "",
        bar: bool = True,
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if keys is not None:
            shortcuts = keys if isinstance(keys, list) else [keys]
            action.setShortcuts([QKeySequence(k) for k in shortcuts])
            shown = QKeySequence(shortcuts[0]).toString(QKeySequence.SequenceFormat.NativeText)
            tip = f"{tip} ({shown})" if tip else shown
        action.setToolTip(tip or text.replace("&", ""))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        # triggered(bool) would pass `checked` into slots that take an optional argument
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        if bar:
            self.toolbar.addAction(action)
        return action

    def _make_actions(self) -> None:
        k = QKeySequence.StandardKey
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence(k.Undo))
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence(k.Redo), QKeySequence("Ctrl+Y")])
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        self.insert_action = self._action(
            "&Add units", "insert_units", self.insert_rows, "Ctrl+I", tip="Insert empty units"
        )
        self.remove_action = self._action(
            "&Delete units", "delete_units", self.remove_rows, "Ctrl+-", tip="Delete selected units"
        )
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.undo_action)
        self.toolbar.addAction(self.redo_action)
        self.toolbar.addSeparator()
        self._action("&Copy", "copy", self.copy, k.Copy, bar=False)
        self._action("&Paste", "paste", self.paste, k.Paste, bar=False)
        self._action("Fill &down", "fill_down", self.fill_down, "Ctrl+D", tip="Fill down")
        self._action("Clear", "clear_cells", self.clear_cells, bar=False)
        self._action(
            "Previous issue",
            "previous_issue",
            lambda: self.jump(backwards=True),
            "Shift+F8",
            bar=False,
        )
        self._action("Next &issue", "next_issue", self.jump, "F8", tip="Go to the next issue")
        self._action("Filter", "focus_filter", self.filter_edit_focus, k.Find, bar=False)
        self.toolbar.addSeparator()
        self._action("&Import…", "import_units", self.import_file, tip="Import a CSV or XLSX")
        self._action("&Export…", "export_units", self.export_file, tip="Export to CSV or XLSX")
        self._action(
            "&Template…", "units_template", self.save_template, tip="New units template (XLSX)"
        )

    def _filter_changed(self, text: str) -> None:
        self.model.set_filter(text)
        self._update_footer()

    def _only_issues_toggled(self, on: bool) -> None:
        self.model.set_filter(only_issues=on)
        self._update_footer()

    def filter_edit_focus(self) -> None:
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()

    # --- Selection helpers ---------------------------------------------------------------------

    def selected_cells(self) -> list[tuple[int, int]]:
        return sorted(
            {(i.row(), i.column()) for i in self.table.selectionModel().selectedIndexes()}
        )

    def current_cell(self) -> tuple[int, int]:
        index = self.table.currentIndex()
        if index.isValid():
            return index.row(), index.column()
        cells = self.selected_cells()
        return cells[0] if cells else (0, 0)

    def select_block(self, top: int, left: int, bottom: int, right: int) -> None:
        selection = QItemSelection(self.model.index(top, left), self.model.index(bottom, right))
        self.table.selectionModel().select(
            selection, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.table.selectionModel().setCurrentIndex(
            self.model.index(top, left), QItemSelectionModel.SelectionFlag.NoUpdate
        )

    # --- Editing commands ---------------------------------------------------------------------

    def copy(self) -> None:
        cells = self.selected_cells()
        if not cells:
            return
        rows = [r for r, _ in cells]
        cols = [c for _, c in cells]
        chosen = set(cells)
        block = []
        for r in range(min(rows), max(rows) + 1):
            unit = self.model.unit_at(r)
            block.append(
                [
                    display_text(FIELDS[c], unit.get(FIELDS[c].key)) if (r, c) in chosen else ""
                    for c in range(min(cols), max(cols) + 1)
                ]
            )
        QGuiApplication.clipboard().setText(to_tsv(block))

    def paste(self, text: str | None = None) -> commands.PasteOutcome:
        block = parse_tsv(QGuiApplication.clipboard().text() if text is None else text)
        cells = self.selected_cells()
        top, left = (min(r for r, _ in cells), min(c for _, c in cells)) if cells else (0, 0)
        if not cells and self.model.rowCount():
            top, left = self.current_cell()
        outcome = commands.paste(self.model, top, left, block, cells)
        if outcome.command is not None:
            self.undo_stack.push(outcome.command)
            height = max(len(block), 1)
            width = min(max(len(line) for line in block), len(FIELDS) - left)
            if not (len(block) == 1 and len(block[0]) == 1 and len(cells) > 1):
                self.select_block(top, left, top + height - 1, left + width - 1)
        text_out = outcome.describe()
        if text_out:
            self.show_message(text_out)
        return outcome

    def fill_down(self) -> None:
        command = commands.fill_down(self.model, self.selected_cells())
        if command is not None:
            self.undo_stack.push(command)

    def clear_cells(self) -> None:
        command = commands.clear(self.model, self.selected_cells())
        if command is not None:
            self.undo_stack.push(command)

    def insert_rows(self) -> None:
        rows = sorted({r for r, _ in self.selected_cells()})
        row = rows[0] if rows else self.model.rowCount()
        self.undo_stack.push(commands.insert_units(self.model, row, len(rows) or 1))
        self.table.setCurrentIndex(self.model.index(row, 0))

    def remove_rows(self) -> None:
        rows = sorted({r for r, _ in self.selected_cells()})
        command = commands.remove_units(self.model, rows)
        if command is not None:
            self.undo_stack.push(command)

    def jump(self, *, backwards: bool = False) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            row, column = index.row(), index.column()
        elif backwards:
            row, column = self.model.rowCount() - 1, len(FIELDS)
        else:
            row, column = 0, -1
        r, c = self.model.next_issue(row, column, backwards=backwards)
        if r < 0:
            self.show_message("No cell has an issue.")
            return
        target = self.model.index(r, c)
        self.table.setCurrentIndex(target)
        self.table.scrollTo(target, QAbstractItemView.ScrollHint.PositionAtCenter)
        tip = self.model.data(target, Qt.ItemDataRole.ToolTipRole)
        self.show_message(f"Row {self.model.row_label(r)}, {FIELDS[c].label}: {tip}")

    # --- Files --------------------------------------------------------------------------------

    def import_file(self, path: str | Path | None = None) -> bool:
        from desktop.views.units_import_dialog import UnitsImportDialog  # noqa: PLC0415

        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(
                self, "Import units", "", "Units files (*.csv *.xlsx *.txt);;All files (*)"
            )
            if not chosen:
                return False
            path = chosen
        dialog = UnitsImportDialog(Path(path), self.model.units, self.model.group, self)
        self._import_dialog = dialog  # tests drive it; keeps it referenced while open
        if dialog.exec() != UnitsImportDialog.DialogCode.Accepted:
            return False
        self.apply_import(dialog.units, Path(path).name)
        return True

    def apply_import(self, units: list[dict[str, Any]], name: str = "file") -> None:
        self.undo_stack.push(commands.ReplaceUnitsCommand(self.model, units, f"Import {name}"))
        self.show_message(
            f"Imported from {name}: the group has {len(units)} units. Ctrl+Z undoes it."
        )

    def export_file(self, path: str | Path | None = None) -> None:
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, "Export units", "units.xlsx", "Excel workbook (*.xlsx);;CSV (*.csv)"
            )
            if not chosen:
                return
            path = chosen
        target = Path(path)
        self.show_message(f"Exporting {len(self.model.units)} units to {target.name}…")
        job = Job(export_units, target, self.model.units)
        self._export_job = job
        self.jobs.start(
            job,
            lambda _r: self.show_message(f"Exported {len(self.model.units)} units to {target}."),
            self.show_message,
        )

    def save_template(self, path: str | Path | None = None) -> None:
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, "New units template", "units-template.xlsx", "Excel workbook (*.xlsx)"
            )
            if not chosen:
                return
            path = chosen
        try:
            write_template(Path(path))
        except KnownError as exc:
            self.show_message(str(exc))
            return
        self.show_message(f"Wrote the units template {path}.")

    # --- Saving and the footer ----------------------------------------------------------------

    def _units_changed(self) -> None:
        self.saver.schedule(self.model.units)
        self._update_footer()

    def _save_failed(self, message: str) -> None:
        self.show_message(f"Not saved: {message}")
        self.save_failed.emit(message)

    def flush(self) -> None:
        """Write anything still pending (before closing)."""
        self.saver.flush()
        self.jobs.wait()

    def closeEvent(self, event: Any) -> None:
        self.flush()
        super().closeEvent(event)

    def show_message(self, text: str) -> None:
        first = text.splitlines()[0] if text else ""
        more = len(text.splitlines()) > 1
        self.message.setText(first + (" (more in the tooltip)" if more else ""))
        self.message.setToolTip(text)
        self.message.setVisible(bool(text))

    def _update_footer(self) -> None:
        units = self.model.units
        n, shown = len(units), self.model.rowCount()
        count = f"{n:,} unit{'s' if n != 1 else ''}"
        if shown != n:
            count += f" ({shown:,} shown)"
        self.count_label.setText(count)
        total = units_rules.active_total(units)
        over = total > GROUP_MAX_MW + 5e-7
        self.total_bar.setValue(min(1000, round(total * 1000)))
        self.total_bar.setFormat(f"{format_mw(total)} of 1 MW AC")
        self.total_bar.setStyleSheet(BAR_OVER if over else BAR_OK)
        group_msgs = [i.message for i in self.model.group_issues]
        self.total_bar.setToolTip(
            "\n".join(group_msgs) or "Active units' AC nameplate against the 1 MW group limit."
        )
        issues = self.model.issue_count
        self.issues_label.setText(
            f"{issues:,} issue{'s' if issues != 1 else ''}"
            + (" — F8 to go to the next" if issues else "")
        )

    @property
    def total_over_limit(self) -> bool:
        return units_rules.active_total(self.model.units) > GROUP_MAX_MW + 5e-7
