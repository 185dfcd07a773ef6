"""Home: a welcome that names the three jobs (a button each) and where submissions go, then
what needs attention first: counts per area and BTMG drafts by deadline urgency."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.store import DraftRow, Store
from desktop.views.btmg_deadlines_view import BtmgDeadlinesView

# The three jobs: (button's object name, text, what it does, area, method that starts one).
JOBS = (
    (
        "start_dgg",
        "Register a &DG group…",
        "Register up to 1 MW of small units together with M-RETS",
        "dgg",
        "new_draft",
    ),
    (
        "start_generator",
        "Build a &generation upload…",
        "Turn meter data into the monthly or hourly file M-RETS issues certificates from",
        "generation",
        "new_generator",
    ),
    (
        "start_btmg",
        "Enroll &BTMG with MISO…",
        "Draft a MECT enrollment season by season and print its entry sheet",
        "btmg",
        "new_draft",
    ),
)
PRACTICE = (
    "Submissions go to a <b>practice registry</b> that runs on this computer, with an API key "
    "made for it: try everything without sending anything real. When you are ready, choose "
    "the M-RETS registry under <a href='connection'>Settings › Registry connection</a>."
)
ELSEWHERE = (
    "Submissions go to the <b>{target}</b>. A practice registry can run on this computer "
    "instead: choose the local sandbox under <a href='connection'>Settings › Registry "
    "connection</a>."
)

AREAS = (
    ("dgg", "DG Groups", "Distributed Generation Group drafts"),
    ("generator", "Generators", "generators with meter data and uploads"),
    ("btmg", "BTMG Enrollments", "MISO BTMG enrollment drafts"),
)


class HomeView(QWidget):
    area_requested = Signal(str)
    new_requested = Signal(str, str)  # area, the area view's method that starts a new one
    connection_requested = Signal()

    def __init__(
        self,
        store: Store,
        open_btmg: Callable[[int], None],
        parent: QWidget | None = None,
        *,
        registry_target: str = "local sandbox",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("home_view")
        self.store = store
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Welcome to Registry Desk</h2>"))
        layout.addLayout(self._jobs())
        self.practice = QLabel(
            PRACTICE
            if registry_target == "local sandbox"
            else ELSEWHERE.format(target=registry_target)
        )
        self.practice.setObjectName("practice_registry")
        self.practice.setWordWrap(True)
        self.practice.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.practice.linkActivated.connect(lambda _link: self.connection_requested.emit())
        layout.addWidget(self.practice)
        layout.addWidget(QLabel("<h3>Your drafts</h3>"))
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

    def _jobs(self) -> QGridLayout:
        grid = QGridLayout()
        self.job_buttons: dict[str, QPushButton] = {}
        for col, (name, text, explain, area, method) in enumerate(JOBS):
            button = QPushButton(text)
            button.setObjectName(name)
            button.setAccessibleName(text.replace("&", "").rstrip("…"))
            button.setToolTip(explain)
            button.setMinimumHeight(36)
            button.clicked.connect(lambda _c=False, a=area, m=method: self.new_requested.emit(a, m))
            label = QLabel(explain)
            label.setWordWrap(True)
            label.setBuddy(button)
            grid.addWidget(button, 0, col)
            grid.addWidget(label, 1, col, Qt.AlignmentFlag.AlignTop)
            self.job_buttons[area] = button
        return grid

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
