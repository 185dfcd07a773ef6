"""A list of drafts of one kind: New, Open, Duplicate, Delete (to the trash) and Restore."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import KnownError
from desktop.store import DraftRow, Store
from desktop.views.drafts_table_base import DraftsTableBase, action_button
from desktop.views.drafts_table_model import Col
from desktop.views.registry_badge import RegistryBadgeDelegate

Opener = Callable[[DraftRow], None]


class DraftsListView(DraftsTableBase):
    """`opener(row)` opens a draft (its wizard); `new_payload()` makes a new draft's payload."""

    draft_opened = Signal(int)

    def __init__(
        self,
        store: Store,
        kind: str,
        title: str,
        explanation: str,
        opener: Opener,
        new_payload: Callable[[], dict[str, object]] | None = None,
        extra_actions: list[tuple[str, str, str, Opener]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """`extra_actions`: (button text, object name, tooltip, callback(row)) per action on
        the selected draft, e.g. opening a DGG's units grid."""
        super().__init__(store, kind, parent)
        self._outbox_timer = QTimer(self)  # while a submission is going, its status moves
        self._outbox_timer.setInterval(2000)
        self._outbox_timer.timeout.connect(self._refresh_if_shown)
        self.opener = opener
        self.new_payload = new_payload or dict
        self.setObjectName(f"{kind}_drafts")

        heading = QLabel(f"<h2>{title}</h2>")
        intro = QLabel(explanation)
        intro.setWordWrap(True)
        intro.setObjectName("intro")

        self.table.setObjectName(f"{kind}_drafts_table")
        self.table.setAccessibleName(f"{title} drafts")
        # The registry's answer as a coloured pill beside the status (the text stays in the
        # model for screen readers and column sizing).
        self.table.setItemDelegateForColumn(Col.STATUS, RegistryBadgeDelegate(self.table))
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Col.EDITED, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(Col.NAME, QHeaderView.ResizeMode.Stretch)
        for col in (Col.STATUS, Col.COMPLETENESS, Col.EDITED):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(self._open_index)
        self.table.activated.connect(self._open_index)

        self.filter = QLineEdit()
        self.filter.setObjectName("filter")
        self.filter.setPlaceholderText("Filter by name")
        self.filter.setAccessibleName("Filter drafts by name")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(lambda _t: self.refresh())

        self.new_button = action_button("&New…", "new", self.new_draft, "Start a new draft")
        self.open_button = action_button(
            "&Open", "open", self.open_selected, "Open the selected draft"
        )
        self.dup_button = action_button(
            "D&uplicate", "duplicate", self.duplicate_selected, "Copy the draft with its units"
        )
        self.delete_button = action_button(
            "&Delete",
            "delete",
            self.delete_selected,
            "Move the draft to the trash (it can be restored)",
        )
        self.restore_button = action_button(
            "&Restore", "restore", self.restore_selected, "Bring the draft back from the trash"
        )
        self.trash_button = action_button(
            "Show &trash", "trash", self.toggle_trash, "Show drafts you deleted"
        )
        self.trash_button.setCheckable(True)

        self.extra_buttons = [
            action_button(text, name, partial(self._with_selected, cb), tip)
            for text, name, tip, cb in (extra_actions or [])
        ]
        buttons = QHBoxLayout()
        for b in (
            self.new_button,
            self.open_button,
            *self.extra_buttons,
            self.dup_button,
            self.delete_button,
            self.restore_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.filter)
        buttons.addWidget(self.trash_button)

        self.empty = QLabel()
        self.empty.setObjectName("empty_hint")
        self.empty.setStyleSheet("color: palette(mid); font-size: 11pt; padding: 24px;")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)

        QShortcut(QKeySequence.StandardKey.Delete, self.table, self.delete_selected)
        QShortcut(QKeySequence.StandardKey.New, self, self.new_draft)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.refresh()

    # --- data ------------------------------------------------------------------------------

    def _refresh_if_shown(self) -> None:
        if self.isVisible():
            self.refresh()

    def _with_outbox_status(self, rows: list[DraftRow]) -> list[DraftRow]:
        """A DGG's status follows its submission in the outbox (Queued, Sending n/N, Paused,
        Failed ...; desktop.sync.item_state), and stays current while one is going."""
        from desktop.sync.item_state import draft_statuses  # noqa: PLC0415 - DGG lists only

        shown = draft_statuses(self.store, {r.id: r.status for r in rows})
        going = any(s.startswith(("Queued", "Sending", "Paused")) for s in shown.values())
        if going and not self._outbox_timer.isActive():
            self._outbox_timer.start()
        elif not going:
            self._outbox_timer.stop()
        return [replace(r, status=shown[r.id]) if shown[r.id] != r.status else r for r in rows]

    def refresh(self) -> None:
        selected = self.selected()
        rows = self.store.list_drafts(self.kind, trashed=self.showing_trash)
        if self.kind == "dgg" and rows:
            rows = self._with_outbox_status(rows)
        wanted = self.filter.text().strip().casefold()
        if wanted:
            rows = [r for r in rows if wanted in r.name.casefold()]
        self.model.set_rows(rows)
        header = self.table.horizontalHeader()
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        if selected is not None:
            self.select_id(selected.id)
        elif rows:
            self.table.selectRow(0)
        self.table.setVisible(bool(rows))
        if rows:
            self.empty.hide()
        else:
            self.empty.setText(
                "The trash is empty."
                if self.showing_trash
                else (
                    "No drafts match the filter."
                    if wanted
                    else "No drafts yet. Press New… (Ctrl+N) to start one."
                )
            )
            self.empty.show()
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = self.selected() is not None
        live = not self.showing_trash
        self.new_button.setEnabled(live)
        self.open_button.setEnabled(has and live)
        for b in self.extra_buttons:
            b.setEnabled(has and live)
        self.dup_button.setEnabled(has and live)
        self.delete_button.setEnabled(has and live)
        self.restore_button.setVisible(not live)
        self.restore_button.setEnabled(has and not live)
        self.trash_button.setText("Back to &drafts" if not live else "Show &trash")

    # --- actions -----------------------------------------------------------------------------

    def new_draft(self) -> None:
        if self.showing_trash:
            return
        suggested = self.store.drafts.unique_name(self.kind, "Untitled")
        name, ok = QInputDialog.getText(self, "New draft", "Name of the new draft:", text=suggested)
        if not ok or not name.strip():
            return
        try:
            row = self.store.drafts.create(self.kind, name, self.new_payload())
        except KnownError as exc:
            QMessageBox.warning(self, "New draft", str(exc))
            return
        self.refresh()
        self.select_id(row.id)
        self.changed.emit()
        self.opener(row)

    def _with_selected(self, callback: Opener) -> None:
        row = self.selected()
        if row is not None and not self.showing_trash:
            callback(row)

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid() and not self.showing_trash:
            self.opener(self.model.row_at(index.row()))

    def open_selected(self) -> None:
        row = self.selected()
        if row is not None and not self.showing_trash:
            self.draft_opened.emit(row.id)
            self.opener(row)
