"""The Outbox: every submission, its progress, the registry's answer; Pause, Resume, Cancel
and Retry per item, Pause all and Resume all for the whole outbox.

Reads go to the store's outbox repository (items without their plans: cheap); sending and
pulling go through the SyncService on the thread pool. While work runs, a timer refreshes the
list, the progress bar and the time left (from the rate limit). Pause and Cancel are written to
the item in the store; the sender reads it before each record, so an item being sent stops
after the record in flight, whether the window or `registry-desk sync` asked.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.store import Store
from desktop.store.outbox import (
    ACCEPTED,
    FAILED,
    INTERRUPTED,
    PAUSED,
    QUEUED,
    REJECTED,
    SENDING,
    ItemRow,
)
from desktop.sync import outbox, pull
from desktop.sync.connection import RATE_LIMIT, parse_limit
from desktop.sync.item_state import format_duration, item_state, steps_left, time_left
from desktop.views.outbox_table_model import Col, OutboxTableModel
from desktop.views.sync_service import SyncService

SUMMARY_WORDS = {
    QUEUED: "queued",
    SENDING: "sending",
    PAUSED: "paused",
    ACCEPTED: "sent",
    REJECTED: "rejected",
    FAILED: "failed",
    INTERRUPTED: "cancelled or interrupted",
}


class OutboxView(QWidget):
    item_selected = Signal(int)

    def __init__(self, service: SyncService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outbox_view")
        self.service = service
        self.store = service.store
        title = QLabel("<h2>Outbox</h2>")
        self.summary = QLabel()
        self.summary.setObjectName("outbox_summary")
        self.summary.setWordWrap(True)

        self.send_button = self._button("&Send now", "send_now", "Send every queued item now.")
        self.pull_button = self._button(
            "&Pull statuses", "pull_statuses", "Ask the registry for the latest statuses."
        )
        self.retry_button = self._button(
            "&Retry",
            "retry_item",
            "Send the selected item again (what the registry already "
            "acknowledged is not sent twice).",
        )
        self.cancel_button = self._button(
            "&Cancel",
            "cancel_item",
            "Stop the selected item: a queued one is not sent, a sending one stops after the "
            "record in flight; the details then say what the registry holds of it.",
        )
        self.pause_button = self._button(
            "P&ause",
            "pause_item",
            "Hold the selected item; one being sent stops after the record in flight.",
        )
        self.resume_button = self._button(
            "Res&ume", "resume_item", "Let the selected paused item go on where it stopped."
        )
        self.pause_all_button = self._button(
            "Pause a&ll", "pause_all", "Hold every item that is queued or being sent."
        )
        self.resume_all_button = self._button(
            "Resume all", "resume_all", "Let every paused item go on."
        )
        self.send_button.clicked.connect(self.service.flush)
        self.pull_button.clicked.connect(self.service.pull_now)
        self.retry_button.clicked.connect(self.retry_selected)
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.pause_button.clicked.connect(self.pause_selected)
        self.resume_button.clicked.connect(self.resume_selected)
        self.pause_all_button.clicked.connect(self.pause_all)
        self.resume_all_button.clicked.connect(self.resume_all)

        self.model = OutboxTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("outbox_table")
        self.table.setAccessibleName("Outbox items")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(Col.ANSWER, QHeaderView.ResizeMode.Stretch)
        for col, width in ((Col.ITEM, 260), (Col.STATUS, 120), (Col.PROGRESS, 100)):
            self.table.setColumnWidth(col, width)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.details = QPlainTextEdit()
        self.details.setObjectName("outbox_details")
        self.details.setAccessibleName("Registry's answer in full")
        self.details.setReadOnly(True)
        self.details.setPlaceholderText("Select an item to see the registry's answer in full.")

        self.progress = QProgressBar()
        self.progress.setObjectName("outbox_progress")
        self.progress.setAccessibleName("Sending progress")
        self.progress.setVisible(False)
        self.progress_text = QLabel()
        self.progress_text.setObjectName("outbox_progress_text")

        buttons = QHBoxLayout()
        for b in (
            self.send_button,
            self.pull_button,
            self.pause_button,
            self.resume_button,
            self.cancel_button,
            self.retry_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.pause_all_button)
        buttons.addWidget(self.resume_all_button)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.details)
        split.setSizes([320, 140])
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.progress_text)
        layout.addWidget(split, 1)

        QShortcut(QKeySequence("F5"), self, self.refresh)
        self._timer = QTimer(self)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._tick)
        service.changed.connect(self.refresh)
        service.busy_changed.connect(self._busy_changed)
        service.online_changed.connect(self._online_changed)
        service.state_changed.connect(self._update_summary)
        self.refresh()
        self._busy_changed(service.busy)

    def _online_changed(self, _online: bool) -> None:
        self._update_summary()

    def _button(self, text: str, name: str, tip: str) -> QPushButton:
        b = QPushButton(text)
        b.setObjectName(name)
        b.setAccessibleName(text.replace("&", ""))
        b.setToolTip(tip)
        return b

    # --- data --------------------------------------------------------------------------------

    def refresh(self) -> None:
        selected = self.selected_item()
        self.model.set_rows(outbox.repository(self.store).list())
        if selected is not None and (row := self.model.row_of(selected.id)) >= 0:
            self.table.selectRow(row)
        self._update_summary()
        self._update_buttons()
        self._show_details()

    def _update_summary(self) -> None:
        counts = outbox.repository(self.store).counts()
        parts = [f"{n} {SUMMARY_WORDS.get(s, s)}" for s, n in counts.items() if n]
        state = self.service.state()  # the status bar's state, so the two always agree
        online = {
            "online": "online",
            "offline": "offline",
            "checking": "checking…",
            "key": "API key needed",
        }[state.level]
        diffs = len(pull.differences(self.store))
        text = f"Registry: {state.target} ({online}). " + (
            ", ".join(parts) + "." if parts else "Nothing submitted yet."
        )
        left = self.time_left_text()
        if left:
            text += f" {left}"
        if diffs:
            text += f" {diffs} record(s) were changed in the registry: select the item to see."
        self.summary.setText(text)

    def selected_item(self) -> ItemRow | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.row_at(rows[0].row()) if rows else None

    def select_item(self, item_id: int) -> None:
        row = self.model.row_of(item_id)
        if row >= 0:
            self.table.selectRow(row)

    def _selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self._update_buttons()
        self._show_details()
        item = self.selected_item()
        if item is not None:
            self.item_selected.emit(item.id)

    def time_left_text(self) -> str:
        """'127 records to send: about 1 min at 10/5.' ('' when nothing is going)."""
        left = steps_left(self.model.rows())
        if not left:
            return ""
        limit = parse_limit(self.service.settings.get(RATE_LIMIT))
        return f"{left} records to send: {format_duration(time_left(left, limit))} at {limit}."

    def _update_buttons(self) -> None:
        item = self.selected_item()
        busy = self.service.busy
        status = item.status if item is not None else None
        self.send_button.setEnabled(not busy)
        self.pull_button.setEnabled(not busy)
        self.retry_button.setEnabled(status in (FAILED, REJECTED, INTERRUPTED))
        self.cancel_button.setEnabled(status in (QUEUED, SENDING, PAUSED))
        self.pause_button.setEnabled(status in (QUEUED, SENDING))
        self.resume_button.setEnabled(status == PAUSED)
        statuses = {r.status for r in self.model.rows()}
        self.pause_all_button.setEnabled(bool(statuses & {QUEUED, SENDING}))
        self.resume_all_button.setEnabled(PAUSED in statuses)

    def _show_details(self) -> None:
        item = self.selected_item()
        if item is None:
            self.details.clear()
            return
        status = item_state(item).label
        lines = [f"{item.title} — {status}, {item.done} of {item.total} records sent."]
        if item.registry_id:
            lines.append(f"Registry id: {item.registry_id}")
        if item.message:
            lines.append(item.message)
        if item.status in (QUEUED, SENDING, PAUSED):
            limit = parse_limit(self.service.settings.get(RATE_LIMIT))
            rest = time_left(item.total - item.done, limit)
            lines.append(f"The rest takes {format_duration(rest)} at the rate limit ({limit}).")
        for e in item.errors:
            where = e.get("label") or ""
            field = e.get("field_label") or e.get("field")
            lines.append(f"  • {where}: {field}: {e.get('message')}")
        changed = outbox.repository(self.store).records(item.id, changed_only=True)
        for record in changed:
            lines.append(f"Changed in the registry since the last pull ({record.resource}):")
            for d in record.difference or []:
                lines.append(f"  • {d.get('field')}: {d.get('before')!r} → {d.get('after')!r}")
        if item.status == ACCEPTED and not changed:
            lines.append("Everything was acknowledged by the registry.")
        self.details.setPlainText("\n".join(lines))

    # --- actions -------------------------------------------------------------------------------

    def retry_selected(self) -> None:
        item = self.selected_item()
        if item is None:
            return
        outbox.retry(self.store, item.id)
        self.refresh()
        self.service.flush()

    def cancel_selected(self) -> None:
        self._act(outbox.cancel)

    def pause_selected(self) -> None:
        self._act(outbox.pause)

    def resume_selected(self) -> None:
        self._act(outbox.resume)
        self.service.flush()

    def _act(self, action: Callable[[Store, int], ItemRow]) -> None:
        """Pause, resume or cancel the selected item in the store: a sender working on it
        reads that before its next record (the list may be 250 ms old; the store is not)."""
        selected = self.selected_item()
        if selected is None:
            return
        action(self.store, selected.id)
        self.refresh()

    def pause_all(self) -> None:
        for item in outbox.repository(self.store).list((QUEUED, SENDING)):
            outbox.pause(self.store, item.id)
        self.refresh()

    def resume_all(self) -> None:
        for item in outbox.repository(self.store).list((PAUSED,)):
            outbox.resume(self.store, item.id)
        self.refresh()
        self.service.flush()

    def _busy_changed(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.progress_text.setVisible(busy)
        if busy:
            self.progress.setRange(0, 0)
            self._timer.start()
        else:
            self._timer.stop()
            self.progress_text.clear()
        self._update_buttons()

    def _tick(self) -> None:
        p = self.service.progress
        if p is None:
            return
        if p.total:
            self.progress.setRange(0, p.total)
            self.progress.setValue(p.done)
        self.model.set_rows(outbox.repository(self.store).list())
        left = self.time_left_text()
        self.progress_text.setText(f"{p.text} · {left}" if left and p.text else p.text or left)
        self._update_buttons()
        self._update_summary()
