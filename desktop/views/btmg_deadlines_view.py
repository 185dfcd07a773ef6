"""Home-screen widget: BTMG drafts by urgency, each with its Planning Year and the countdowns to
February 15 (FRAP) and March 1 (required); late drafts offer to move to the next Planning Year.

`notify_due_drafts` raises a system-tray notification for every incomplete draft within 14 days
of a deadline; the main window calls it at start-up and once a day.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSystemTrayIcon,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.models.btmg import KIND
from desktop.models.btmg_deadlines import DraftDeadline, by_urgency
from desktop.models.planning import NOTIFY_WITHIN_DAYS, Countdown, CountdownState
from desktop.views.snapshot_table_model import Index, SnapshotTableModel

if TYPE_CHECKING:  # the type only: views reach the store through desktop.commands
    from desktop.store import DraftRow, Store


class Column(IntEnum):
    NAME = 0
    YEAR = 1
    STATUS = 2
    ISSUES = 3
    FRAP = 4
    REQUIRED = 5


HEADERS = {
    Column.NAME: "Draft",
    Column.YEAR: "Planning year",
    Column.STATUS: "Status",
    Column.ISSUES: "Completeness",
    Column.FRAP: "Feb 15 (FRAP)",
    Column.REQUIRED: "Mar 1 (required)",
}


def _countdown_text(c: Countdown) -> str:
    if c.state is CountdownState.PASSED:
        return f"passed ({c.deadline.day:%b %d, %Y})"
    if c.state is CountdownState.TODAY:
        return f"today ({c.deadline.day:%b %d, %Y})"
    weekend = f", a {c.deadline.day:%A}" if c.on_weekend else ""
    return (
        f"{c.days_left} day{'s' if c.days_left != 1 else ''} ({c.deadline.day:%b %d, %Y}{weekend})"
    )


_DISPLAY = Qt.ItemDataRole.DisplayRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_BACKGROUND = Qt.ItemDataRole.BackgroundRole
_ID = Qt.ItemDataRole.UserRole


def _cells(d: DraftDeadline) -> tuple[str, ...]:
    s = d.deadlines
    by_column = {
        Column.NAME: d.row.name,
        Column.YEAR: f"{s.year.name} (late)" if s.late and not d.done else s.year.name,
        Column.STATUS: d.row.status,
        Column.ISSUES: d.row.issue_summary or "not checked",
        Column.FRAP: "—" if d.done else _countdown_text(s.frap),
        Column.REQUIRED: "entered in MECT" if d.done else _countdown_text(s.required),
    }
    return tuple(by_column[c] for c in Column)


def _background(d: DraftDeadline) -> QBrush | None:
    if d.done:
        return None
    if d.deadlines.late:
        return QBrush(QColor("#fde7e9"))
    if d.reminder is not None:
        return QBrush(QColor("#fff4ce"))
    return None


class BtmgDeadlinesTableModel(SnapshotTableModel[DraftDeadline]):
    """A snapshot of the drafts' deadlines; each cell's text is worked out once per refresh
    (the view asks for every cell many times while it sizes the columns)."""

    HEADERS = HEADERS

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._cells: list[tuple[str, ...]] = []
        self._tips: list[str] = []
        self._backgrounds: list[QBrush | None] = []

    @property
    def rows(self) -> list[DraftDeadline]:
        return self._rows

    def set_rows(self, rows: list[DraftDeadline]) -> None:
        self._cells = [_cells(d) for d in rows]
        self._tips = ["Submitted" if d.done else d.deadlines.text for d in rows]
        self._backgrounds = [_background(d) for d in rows]
        self.replace_rows(rows)

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        row = index.row()
        if self.row_for_index(index) is None:
            return None
        if role == _DISPLAY:
            return self._cells[row][index.column()]
        if role == _TOOLTIP:
            return self._tips[row]
        if role == _BACKGROUND:
            return self._backgrounds[row]
        if role == _ID:
            return self.rows[row].row.id
        return None


class BtmgDeadlinesView(QWidget):
    open_requested = Signal(int)
    moved = Signal(int)

    def __init__(
        self,
        store: Store,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], date] = date.today,
        rows: list[DraftRow] | None = None,
    ) -> None:
        """`rows`: the BTMG drafts when the caller has just listed them (else read here)."""
        super().__init__(parent)
        self.store = store
        self.clock = clock
        self.setObjectName("btmg_deadlines_view")
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setObjectName("btmg_deadlines_heading")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.model = BtmgDeadlinesTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("btmg_deadlines_table")
        self.table.setAccessibleName("BTMG drafts by urgency")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(self._activated)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.open_button = QPushButton("&Open")
        self.open_button.setObjectName("open_btmg")
        self.open_button.clicked.connect(self._open_selected)
        self.move_button = QPushButton("&Move to next planning year")
        self.move_button.setObjectName("move_to_next_year")
        self.move_button.setToolTip("For a draft that missed March 1: enroll it for the next year.")
        self.move_button.clicked.connect(self._move_selected)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.move_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.refresh(rows)

    def refresh(self, drafts: list[DraftRow] | None = None) -> None:
        today = self.clock()
        rows = by_urgency(self.store.list_drafts(KIND) if drafts is None else drafts, today)
        self.model.set_rows(rows)
        due = sum(1 for d in rows if d.reminder is not None)
        late = sum(1 for d in rows if d.deadlines.late and not d.done)
        parts = [f"<b>BTMG enrollments</b> · today {today:%a %b %d, %Y}"]
        if late:
            parts.append(f"{late} late for their Planning Year")
        if due:
            parts.append(f"{due} incomplete within {NOTIFY_WITHIN_DAYS} days of a deadline")
        self.heading.setText(" · ".join(parts))
        if rows:
            self.table.selectRow(0)
        self._update_buttons()

    def selected(self) -> DraftDeadline | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() else None

    def _update_buttons(self) -> None:
        d = self.selected()
        self.open_button.setEnabled(d is not None)
        self.move_button.setEnabled(d is not None and d.deadlines.late and not d.done)

    def _activated(self, index: QModelIndex) -> None:
        self.open_requested.emit(self.model.rows[index.row()].row.id)

    def _open_selected(self) -> None:
        d = self.selected()
        if d is not None:
            self.open_requested.emit(d.row.id)

    def _move_selected(self) -> None:
        d = self.selected()
        if d is None or not d.deadlines.late:
            return
        from desktop.commands import btmg  # noqa: PLC0415 - the Home screen loads without it

        btmg.move_to_next_year(self.store, d.row.id, self.clock())
        self.moved.emit(d.row.id)
        self.refresh()


def reminder_messages(store: Store, on: date) -> list[tuple[int, str]]:
    """(draft id, sentence) for each incomplete draft within 14 days of a deadline."""
    out = []
    for d in by_urgency(store.list_drafts(KIND), on):
        c = d.reminder
        if c is None:
            continue
        when = (
            "today"
            if c.days_left == 0
            else f"in {c.days_left} day{'s' if c.days_left != 1 else ''}"
        )
        what = "FRAP date" if c.deadline.kind.value == "frap" else "enrollment deadline"
        out.append(
            (
                d.row.id,
                f"'{d.row.name}' ({d.deadlines.year.name}) is incomplete "
                f"({d.row.issue_summary or 'not checked yet'}); "
                f"the {what} {c.deadline.day:%b %d} is {when}.",
            )
        )
    return out


def notify_due_drafts(
    store: Store,
    tray: QSystemTrayIcon | None,
    *,
    clock: Callable[[], date] = date.today,
    already: set[tuple[int, date]] | None = None,
) -> list[str]:
    """Show one tray notification per due draft (once per draft per day); return the texts.

    `already` is the caller's memory of what it has shown; without a tray (or when the platform
    has none) the texts are returned for the caller to show another way.
    """
    today = clock()
    shown = already if already is not None else set()
    texts = []
    for draft_id, text in reminder_messages(store, today):
        if (draft_id, today) in shown:
            continue
        shown.add((draft_id, today))
        texts.append(text)
        if tray is not None and QSystemTrayIcon.isSystemTrayAvailable():
            tray.showMessage("BTMG deadline", text, QSystemTrayIcon.MessageIcon.Warning, 15_000)
    return texts
