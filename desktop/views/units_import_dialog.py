"""Import a units file: read it (progress, cancel), map unknown headers, preview, commit.

Nothing reaches the grid until the user commits, and then all of it does as one undoable step:
every row, or only the rows without errors. The preview lists each issue with its spreadsheet
row, column and what was expected.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import InputError
from desktop.exchange.units_columns import SPEC_BY_KEY, column_letter
from desktop.exchange.units_csv import ImportCancelledError, ReadControl
from desktop.exchange.units_file import UnitsImport, read_units_file
from desktop.models.issues import Issue, Severity
from desktop.models.units import UNIT_FIELDS
from desktop.views.units_jobs import Job, JobRunner
from desktop.views.units_table_model import ERROR_BRUSH, WARNING_BRUSH, display_text

Index = QModelIndex | QPersistentModelIndex


class PreviewModel(QAbstractTableModel):
    """The file's rows as they will be imported: row number, status, then the unit fields."""

    def __init__(self, result: UnitsImport, parent: Any = None) -> None:
        super().__init__(parent)
        self.result = result
        self.keys = [s.key for s in UNIT_FIELDS if s.key in result.match.columns.values()]
        self.cells: dict[tuple[int, str], list[Issue]] = {}
        self.rows_with_issues: set[int] = set()
        for issue in result.issues:
            if issue.row is not None and issue.severity is not Severity.INFO:
                self.cells.setdefault((issue.row, issue.field), []).append(issue)
                self.rows_with_issues.add(issue.row)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.result.units)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.keys) + 2

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == 0:
            return "Row"
        if section == 1:
            return "Status"
        if 0 <= section - 2 < len(self.keys):
            return SPEC_BY_KEY[self.keys[section - 2]].label
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if column == 0:
            return str(self.result.numbers[row]) if role == Qt.ItemDataRole.DisplayRole else None
        if column == 1:
            blocked = row in self.result.blocking_rows
            if role == Qt.ItemDataRole.DisplayRole:
                if blocked:
                    return "Error"
                return "Missing values" if row in self.rows_with_issues else "OK"
            if role == Qt.ItemDataRole.BackgroundRole and blocked:
                return ERROR_BRUSH
            return None
        key = self.keys[column - 2]
        issues = self.cells.get((row, key))
        if role == Qt.ItemDataRole.DisplayRole:
            return display_text(SPEC_BY_KEY[key], self.result.units[row].get(key))
        if role == Qt.ItemDataRole.ToolTipRole and issues:
            return "\n".join(i.message for i in issues)
        if role == Qt.ItemDataRole.BackgroundRole and issues:
            return ERROR_BRUSH if any(self.result.blocks(i) for i in issues) else WARNING_BRUSH
        return None


class IssuesModel(QAbstractTableModel):
    """Row | Column | Problem, one line per issue (the list a user fixes the file from)."""

    HEADERS = ("Row", "Column", "Blocks import", "Problem")

    def __init__(self, result: UnitsImport, parent: Any = None) -> None:
        super().__init__(parent)
        self.result = result
        self.issues = [i for i in result.issues if i.severity is not Severity.INFO]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.issues)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section] if 0 <= section < len(self.HEADERS) else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        issue = self.issues[index.row()]
        column = index.column()
        if column == 0:
            number = self.result.row_number(issue)
            return "" if number is None else str(number)
        if column == 1:
            return self.result.column_name(issue)
        if column == 2:
            return "Yes" if self.result.blocks(issue) else "No (may be filled in later)"
        return issue.message


class UnitsImportDialog(QDialog):
    """Read `path`, let the user map unknown headers, preview, then commit.

    After `accept()`, `units` is the group's complete new list of units (the imported rows,
    after the existing ones when the user chose to add to them).
    """

    def __init__(
        self,
        path: Path,
        existing: Sequence[dict[str, Any]],
        group: Mapping[str, Any],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import units from {Path(path).name}")
        self.setObjectName("units_import_dialog")
        self.resize(1100, 680)
        self.path = Path(path)
        self.existing = list(existing)
        self.group = dict(group)
        self.overrides: dict[str, str] = {}
        self.result_: UnitsImport | None = None
        self.units: list[dict[str, Any]] = []
        self.runner = JobRunner(1, self)
        self.job: Job | None = None

        self.stack = QStackedWidget(self)
        self.stack.addWidget(self._reading_page())
        self.stack.addWidget(self._mapping_page())
        self.stack.addWidget(self._preview_page())
        self.stack.addWidget(self._failed_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)
        self.read()

    # --- Pages --------------------------------------------------------------------------------

    def _reading_page(self) -> QWidget:
        page = QWidget()
        self.reading_label = QLabel(f"Reading {self.path.name}…")
        self.progress = QProgressBar()
        self.progress.setObjectName("import_progress")
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName("Reading progress")
        self.cancel_read = QPushButton("&Cancel")
        self.cancel_read.setObjectName("cancel_read")
        self.cancel_read.clicked.connect(self.cancel)
        layout = QVBoxLayout(page)
        layout.addStretch()
        layout.addWidget(self.reading_label)
        layout.addWidget(self.progress)
        row = QHBoxLayout()
        row.addStretch()
        row.addWidget(self.cancel_read)
        layout.addLayout(row)
        layout.addStretch()
        return page

    def _mapping_page(self) -> QWidget:
        page = QWidget()
        intro = QLabel(
            "These columns have headers that are not unit fields. Choose what each one holds, "
            "or leave it on Ignore."
        )
        intro.setWordWrap(True)
        self.mapping_table = QTableWidget(0, 3)
        self.mapping_table.setObjectName("mapping_table")
        self.mapping_table.setHorizontalHeaderLabels(["Column", "First values", "Read as"])
        self.mapping_table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.Stretch
        )
        self.mapping_table.verticalHeader().setVisible(False)
        buttons = QDialogButtonBox()
        self.map_continue = buttons.addButton("C&ontinue", QDialogButtonBox.ButtonRole.AcceptRole)
        self.map_continue.setObjectName("map_continue")
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.apply_mapping)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addWidget(self.mapping_table)
        layout.addWidget(buttons)
        return page

    def _preview_page(self) -> QWidget:
        page = QWidget()
        self.summary = QLabel()
        self.summary.setObjectName("import_summary")
        self.summary.setWordWrap(True)
        self.preview = QTableView()
        self.preview.setObjectName("import_preview")
        self.preview.verticalHeader().setVisible(False)
        self.preview.verticalHeader().setDefaultSectionSize(22)
        self.issues_view = QTableView()
        self.issues_view.setObjectName("import_issues")
        self.issues_view.verticalHeader().setVisible(False)
        self.issues_view.horizontalHeader().setStretchLastSection(True)
        self.issues_view.verticalHeader().setDefaultSectionSize(22)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.preview)
        split.addWidget(self.issues_view)
        split.setSizes([380, 200])
        self.replace_choice = QRadioButton("&Replace the group's units")
        self.replace_choice.setObjectName("import_replace")
        self.append_choice = QRadioButton("&Add to the group's units")
        self.append_choice.setObjectName("import_append")
        self.replace_choice.setChecked(True)
        self.append_choice.toggled.connect(self._reevaluate)
        choice = QHBoxLayout()
        choice.addWidget(self.replace_choice)
        choice.addWidget(self.append_choice)
        choice.addStretch()
        self.commit_message = QLabel()
        self.commit_message.setObjectName("commit_message")
        self.commit_message.setWordWrap(True)
        self.commit_message.setStyleSheet("color: #a4000f")
        buttons = QDialogButtonBox()
        self.import_all = buttons.addButton(
            "Import &all rows", QDialogButtonBox.ButtonRole.ApplyRole
        )
        self.import_all.setObjectName("import_all")
        self.import_valid = buttons.addButton(
            "Import only the &valid rows", QDialogButtonBox.ButtonRole.ApplyRole
        )
        self.import_valid.setObjectName("import_valid")
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        self.import_all.clicked.connect(lambda: self.commit(only_valid=False))
        self.import_valid.clicked.connect(lambda: self.commit(only_valid=True))
        layout = QVBoxLayout(page)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        layout.addLayout(choice)
        layout.addWidget(self.commit_message)
        layout.addWidget(buttons)
        return page

    def _failed_page(self) -> QWidget:
        page = QWidget()
        self.failure = QLabel()
        self.failure.setObjectName("import_failure")
        self.failure.setWordWrap(True)
        self.failure.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(page)
        layout.addWidget(self.failure, 1)
        layout.addWidget(buttons)
        return page

    # --- Reading ------------------------------------------------------------------------------

    @property
    def base(self) -> list[dict[str, Any]]:
        return self.existing if self.append_choice.isChecked() else []

    def read(self) -> None:
        self.stack.setCurrentIndex(0)
        self.progress.setValue(0)
        job = Job(self._read_file)
        job.signals.progress.connect(lambda f: self.progress.setValue(int(f * 1000)))
        self.job = job
        self.runner.start(job, self._read_done, self._read_failed)

    def _read_file(self) -> UnitsImport:
        job = self.job
        assert job is not None
        control = ReadControl(progress=job.signals.progress.emit, cancelled=job.cancelled)
        result = read_units_file(
            self.path,
            overrides=self.overrides,
            existing=self.existing,
            control=control,
            allow_unmatched=True,
        )
        result.evaluate(self.group, self.base)
        return result

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
        self.cancel_read.setEnabled(False)
        self.reading_label.setText("Cancelling…")

    def _read_failed(self, message: str) -> None:
        cancelled = self.job is not None and self.job.cancelled()
        self.job = None
        if cancelled and message == str(ImportCancelledError()):
            self.reject()
            return
        self.failure.setText(f"The file cannot be imported.\n\n{message}\n\nNothing was changed.")
        self.stack.setCurrentIndex(3)

    def _read_done(self, result: UnitsImport) -> None:
        self.job = None
        self.result_ = result
        if not result.match.columns and not result.match.unknown:
            self._read_failed("None of the columns is a unit field, so there is nothing to import.")
        elif (result.match.unknown and not self.overrides) or not result.match.columns:
            self._show_mapping(result)
        else:
            self._show_preview(result)

    # --- Mapping ------------------------------------------------------------------------------

    def _show_mapping(self, result: UnitsImport) -> None:
        unknown = result.match.unknown
        self.mapping_table.setRowCount(len(unknown))
        self.mapping_boxes: dict[str, QComboBox] = {}
        taken = set(result.match.columns.values())
        for r, index in enumerate(unknown):
            header = result.headers[index]
            self.mapping_table.setCellWidget(r, 0, QLabel(f"{column_letter(index)}: {header}"))
            sample = ", ".join(result.samples.get(index, []))
            self.mapping_table.setCellWidget(r, 1, QLabel(sample[:120]))
            box = QComboBox()
            box.setObjectName(f"map_{index}")
            box.setAccessibleName(f"Read column {header} as")
            box.addItem("Ignore", "")
            for spec in UNIT_FIELDS:
                if spec.key not in taken:
                    box.addItem(spec.label, spec.key)
            self.mapping_table.setCellWidget(r, 2, box)
            self.mapping_boxes[header] = box
        self.mapping_table.resizeColumnToContents(0)
        self.mapping_table.setColumnWidth(2, 260)
        self.stack.setCurrentIndex(1)

    def apply_mapping(self) -> None:
        self.overrides = {h: str(box.currentData()) for h, box in self.mapping_boxes.items()}
        chosen = [k for k in self.overrides.values() if k]
        if len(chosen) != len(set(chosen)):
            self.map_continue.setToolTip("Two columns are mapped to the same field.")
        self.read()

    # --- Preview and commit -------------------------------------------------------------------

    def _show_preview(self, result: UnitsImport) -> None:
        preview = PreviewModel(result, self)
        self.preview.setModel(preview)
        metrics = self.preview.horizontalHeader().fontMetrics()
        self.preview.setColumnWidth(0, 50)
        self.preview.setColumnWidth(1, 110)
        for column in range(2, preview.columnCount()):
            title = str(preview.headerData(column, Qt.Orientation.Horizontal, 0))
            self.preview.setColumnWidth(column, min(metrics.horizontalAdvance(title) + 20, 220))
        self.issues_view.setModel(IssuesModel(result, self))
        self.issues_view.setColumnWidth(0, 50)
        self.issues_view.setColumnWidth(1, 220)
        self.issues_view.setColumnWidth(2, 190)
        n, valid = len(result.units), len(result.valid_rows)
        lines = [
            f"<b>{self.path.name}</b> — {result.source}: {n} unit row{'s' if n != 1 else ''}, "
            f"<b>{valid}</b> without errors, <b>{n - valid}</b> with errors.",
        ]
        lines += [f"• {e}" for e in (result.located(i) for i in result.file_errors)]
        lines += [f"• {note}" for note in result.notes]
        self.summary.setText("<br>".join(lines))
        self.import_all.setEnabled(n > 0 and not result.blocking_rows and not result.file_errors)
        self.import_valid.setEnabled(valid > 0 and not result.structure)
        self.import_valid.setText(f"Import only the &{valid} valid rows")
        self.commit_message.clear()
        self.stack.setCurrentIndex(2)

    def _reevaluate(self) -> None:
        if self.result_ is not None:
            self.result_.evaluate(self.group, self.base)
            self._show_preview(self.result_)

    def commit(self, *, only_valid: bool) -> None:
        assert self.result_ is not None
        try:
            chosen = self.result_.units_to_commit(self.group, only_valid=only_valid, base=self.base)
        except InputError as exc:
            self.commit_message.setText(exc.message)
            return
        self.units = [*self.base, *chosen]
        self.imported = len(chosen)
        self.accept()

    def reject(self) -> None:
        if self.job is not None:
            self.job.cancel()
        self.runner.wait()
        super().reject()
