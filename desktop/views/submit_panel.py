"""Submit to the registry: a button and the submission's state, for the DGG Review page and
the generation view.

    panel = SubmitPanel(service)              # in the generation view
    panel.set_draft(draft_id)                 # DGG Review page: submits the draft
    panel.set_generation(entries, title, draft_id=None)   # generation view: submits entries

Submit queues the work (the plan is built off the main thread for big groups) and asks the
service to send it; the state line follows the outbox item.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from desktop import tasks
from desktop.store import Store
from desktop.store.outbox import ItemRow
from desktop.sync import outbox
from desktop.sync.item_state import item_state
from desktop.sync.payloads import EntryInput
from desktop.views.outbox_table_model import STATUS_COLOR
from desktop.views.sync_service import SyncService


def _queue_dgg(store: Store, draft_id: int) -> ItemRow:
    return outbox.queue_dgg(store, draft_id)


def _queue_generation(
    store: Store, entries: Sequence[EntryInput], title: str, draft_id: int | None
) -> ItemRow:
    return outbox.queue_generation(store, entries, title=title, draft_id=draft_id)


class SubmitPanel(QWidget):
    queued = Signal(int)  # the outbox item id
    failed = Signal(str)

    def __init__(self, service: SyncService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("submit_panel")
        self.service = service
        self.draft_id: int | None = None
        self.entries: Sequence[EntryInput] = ()
        self.title = ""
        self.item_id: int | None = None
        self.button = QPushButton("Su&bmit to registry")
        self.button.setObjectName("submit_to_registry")
        self.button.setAccessibleName("Submit to registry")
        self.button.setToolTip(
            "Queue this submission in the outbox; it is sent now if the registry is reachable, "
            "or as soon as it is."
        )
        self.button.clicked.connect(self.submit)
        self.state = QLabel()
        self.state.setObjectName("submit_state")
        self.state.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.button)
        layout.addWidget(self.state, 1)
        service.changed.connect(self.refresh)
        service.busy_changed.connect(self._busy_changed)
        self.refresh()

    def _busy_changed(self, _busy: bool) -> None:
        self.refresh()

    def set_draft(self, draft_id: int | None) -> None:
        self.draft_id = draft_id
        self.entries = ()
        latest = outbox.repository(self.service.store).list(draft_id=draft_id) if draft_id else []
        self.item_id = latest[-1].id if latest else None
        self.refresh()

    def set_generation(
        self, entries: Sequence[EntryInput], title: str, *, draft_id: int | None = None
    ) -> None:
        self.entries = list(entries)
        self.title = title
        self.draft_id = draft_id
        self.item_id = None
        self.refresh()

    def set_enabled_reason(self, reason: str) -> None:
        """Disable Submit with a reason (e.g. the draft still has errors); '' enables it."""
        self.button.setEnabled(not reason)
        if reason:
            self.state.setText(reason)
        else:
            self.refresh()

    def submit(self) -> None:
        self.button.setEnabled(False)
        self.state.setText("Queuing…")
        if self.entries:
            tasks.run(
                _queue_generation,
                self.service.store,
                self.entries,
                self.title,
                self.draft_id,
                on_done=self._queued,
                on_error=self._failed,
            )
        elif self.draft_id is not None:
            tasks.run(
                _queue_dgg,
                self.service.store,
                self.draft_id,
                on_done=self._queued,
                on_error=self._failed,
            )

    def _queued(self, item: ItemRow) -> None:
        self.item_id = item.id
        self.queued.emit(item.id)
        self.refresh()
        if self.service.online is not False:
            self.service.flush()

    def _failed(self, exc: BaseException, _tb: str) -> None:
        self.button.setEnabled(True)
        self.state.setText(str(exc))
        self.failed.emit(str(exc))

    def refresh(self) -> None:
        has_work = bool(self.entries) or self.draft_id is not None
        item = None
        if self.item_id is not None:
            item = outbox.repository(self.service.store).get(self.item_id)
        if item is None:
            self.button.setEnabled(has_work)
            self.state.setText("" if has_work else "Nothing to submit yet.")
            self.state.setStyleSheet("")
            return
        text = item_state(item).label
        detail = text if item.status == "sending" else f"{text} — {item.done} of {item.total}"
        detail += " records"
        if item.errors:
            detail += f"; {len(item.errors)} problem(s), shown on the pages"
        elif item.message:
            detail += f". {item.message}"
        if self.service.online is False and item.status == "queued":
            detail += " (offline: sent when the registry is reachable)"
        self.state.setText(detail)
        color = STATUS_COLOR.get(item.status)
        self.state.setStyleSheet(f"color: {color.name()};" if color else "")
        self.button.setEnabled(item.status in ("rejected", "failed", "interrupted"))
        going = item.status in ("queued", "sending", "paused")
        self.button.setText("Su&bmit to registry" if going else "Su&bmit again")
