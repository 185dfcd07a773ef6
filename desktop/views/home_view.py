"""Home: what needs attention first. BTMG drafts by deadline urgency, and counts per area."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.store import DraftRow, Store
from desktop.views.btmg_deadlines_view import BtmgDeadlinesView

AREAS = (
    ("dgg", "DG Groups", "Distributed Generation Group drafts"),
    ("generator", "Generators", "generators with meter data and uploads"),
    ("btmg", "BTMG Enrollments", "MISO BTMG enrollment drafts"),
)


class HomeView(QWidget):
    area_requested = Signal(str)

    def __init__(
        self, store: Store, open_btmg: Callable[[int], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("home_view")
        self.store = store
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Home</h2>"))
        grid = QGridLayout()
        self.counts: dict[str, QPushButton] = {}
        for col, (kind, title, tip) in enumerate(AREAS):
            button = QPushButton()
            button.setObjectName(f"home_{kind}")
            button.setAccessibleName(title)
            button.setToolTip(f"Go to {title}: {tip}")
            button.setMinimumHeight(56)
            area = "generation" if kind == "generator" else kind
            button.clicked.connect(lambda _c=False, a=area: self.area_requested.emit(a))
            self.counts[kind] = button
            grid.addWidget(button, 0, col)
        layout.addLayout(grid)
        heading = QLabel("<h3>BTMG deadlines</h3>")
        heading.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(heading)
        drafts = self._read()  # each kind once, for the counts and the deadlines alike
        self.deadlines = BtmgDeadlinesView(store, rows=drafts["btmg"])
        self.deadlines.open_requested.connect(open_btmg)
        self.deadlines.moved.connect(lambda _id: self._count(self._read()))
        layout.addWidget(self.deadlines, 1)
        self._count(drafts)

    def refresh(self) -> None:
        drafts = self._read()
        self._count(drafts)
        self.deadlines.refresh(drafts["btmg"])

    def _read(self) -> dict[str, list[DraftRow]]:
        return {kind: self.store.list_drafts(kind) for kind, _title, _tip in AREAS}

    def _count(self, drafts: dict[str, list[DraftRow]]) -> None:
        for kind, title, _tip in AREAS:
            rows = drafts[kind]
            blocked = sum(1 for r in rows if r.issue_count)
            unchecked = sum(1 for r in rows if not r.checked)
            parts = [f"{blocked} with issues"] if blocked else []
            parts += [f"{unchecked} not checked"] if unchecked else []
            detail = " · ".join(parts) or ("all complete" if rows else "none yet")
            self.counts[kind].setText(
                f"{title}\n{len(rows)} draft{'s' * (len(rows) != 1)} · {detail}"
            )
