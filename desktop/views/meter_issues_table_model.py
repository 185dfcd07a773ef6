"""Item model of the problems found while reading meter files: severity, file, line, column."""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from desktop.models.issues import Issue, Severity
from desktop.views.snapshot_table_model import Index, SnapshotTableModel

SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
SEVERITY_COLORS = {
    Severity.ERROR: QColor(200, 40, 40),
    Severity.WARNING: QColor(190, 110, 0),
    Severity.INFO: QColor(60, 110, 170),
}


class Col(IntEnum):
    SEVERITY = 0
    FILE = 1
    LINE = 2
    COLUMN = 3
    MESSAGE = 4


HEADERS = {
    Col.SEVERITY: "Severity",
    Col.FILE: "File",
    Col.LINE: "Line",
    Col.COLUMN: "Column",
    Col.MESSAGE: "Problem",
}
# The readers name the command line's options; the window names its own controls instead.
WINDOW_WORDS = (
    ("--fill-gaps zero fills them", "tick 'Fill gaps inside a month with 0 kWh' to fill them"),
    ("--clip-negative sets such readings to 0", "tick 'Set negative readings to 0' to use 0"),
    ("(--unit kW)", "(Energy unit: kW demand)"),
    ("give it with --interval", "choose it under Interval"),
    ("(--input-tz)", "(Input time zone)"),
)


def for_window(text: str) -> str:
    for cli, window in WINDOW_WORDS:
        text = text.replace(cli, window)
    return text


class MeterIssuesTableModel(SnapshotTableModel[Issue]):
    HEADERS = HEADERS

    def set_issues(self, issues: list[Issue]) -> None:
        """Errors first, then warnings, then notes; by file and line within each."""
        self.replace_rows(
            sorted(
                issues,
                key=lambda i: (
                    SEVERITY_ORDER[i.severity],
                    i.file or "",
                    -1 if i.row is None else i.row,
                ),
            )
        )

    def issue_at(self, row: int) -> Issue:
        return self.row_at(row)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        issue = self.row_for_index(index)
        if issue is None:
            return None
        col = Col(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            if col is Col.SEVERITY:
                return issue.severity.value.capitalize()
            if col is Col.FILE:
                return Path(issue.file).name if issue.file else ""
            if col is Col.LINE:
                # Issue rows are 0-based line indexes; people count lines from 1.
                return "" if issue.row is None else str(issue.row + 1)
            if col is Col.COLUMN:
                return issue.column or ""
            return for_window(issue.message)
        if role == Qt.ItemDataRole.ForegroundRole and col is Col.SEVERITY:
            return SEVERITY_COLORS[issue.severity]
        if role == Qt.ItemDataRole.ToolTipRole:
            return for_window(issue.located())
        if role == Qt.ItemDataRole.TextAlignmentRole and col is Col.LINE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
