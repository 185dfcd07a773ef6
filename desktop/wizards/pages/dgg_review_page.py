"""Review: the group at a glance, and every issue with a link to where it is fixed."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.models import dgg
from desktop.models.fields import format_mw
from desktop.models.issues import Issue, Severity, blocking, summary
from desktop.sync.outbox import registry_issues
from desktop.views.submit_panel import SubmitPanel
from desktop.wizards.dgg_session import DggSession
from desktop.wizards.form_builder import SEVERITY_COLORS
from desktop.wizards.pages.dgg_page import DggPage

ISSUE_ROLE = Qt.ItemDataRole.UserRole + 1


class DggReviewPage(DggPage):
    key = dgg.REVIEW
    jump_requested = Signal(str, str, object)  # page, field, row (int | None)

    def __init__(self, session: DggSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.setSubTitle(
            "Everything that blocks submission is listed here. Press Enter or double-click an "
            "item to go to it. Finish marks the draft Ready to submit."
        )
        self.facts = QFormLayout()
        self.fact_labels: dict[str, QLabel] = {}
        for key, label in (
            ("name", "Group"),
            ("type", "DG Group Type"),
            ("where", "State/Province"),
            ("fuel", "Fuel"),
            ("units", "Units"),
            ("nameplate", "Nameplate (derived)"),
            ("cod", "Commenced operation (derived)"),
            ("documents", "Documents"),
        ):
            value = QLabel(self)
            value.setObjectName(f"review_{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.facts.addRow(f"{label}:", value)
            self.fact_labels[key] = value
        self.verdict = QLabel(self)
        self.verdict.setObjectName("review_verdict")
        self.verdict.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setObjectName("review_issues")
        self.list.setAccessibleName("Issues to fix before submitting")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setStyleSheet("QListWidget::item { padding: 3px 2px; }")
        self.list.itemActivated.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.facts)
        layout.addSpacing(6)
        layout.addWidget(self.verdict)
        layout.addWidget(self.list, 1)
        self.submit_panel: SubmitPanel | None = None

    def attach_submit_panel(self, panel: SubmitPanel) -> None:
        """Submit to the registry from here (the window passes its sync service's panel)."""
        self.submit_panel = panel
        panel.set_draft(self.session.draft_id)
        layout = self.layout()
        assert layout is not None
        layout.addWidget(panel)
        self.refresh()

    def load(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        s = self.session
        group, units = s.group, s.units
        fuels = ", ".join(
            f"{f.get('fuel_type') or '?'} – {f.get('fuel_source') or '?'}"
            for f in group.get("fuels") or ()
        )
        active = sum(1 for u in units if u.get("unit_status") in (None, "Active"))
        cod = dgg.derived_cod(units)
        values = {
            "name": str(group.get("group_name") or "—"),
            "type": str(group.get("group_type") or "—"),
            "where": str(group.get("state_province") or "—"),
            "fuel": fuels or "—",
            "units": f"{len(units)} ({active} active)",
            "nameplate": f"{format_mw(dgg.derived_nameplate_mw(units))} AC",
            "cod": cod.isoformat() if cod else "—",
            "documents": f"{len(s.documents)} attached",
        }
        for key, text in values.items():
            self.fact_labels[key].setText(text)
        issues = [i for i in s.issues() if i.severity is not Severity.INFO]
        # What the registry answered last time, mapped to this draft's fields: listed, but
        # not in the count, which is the draft's own (the same as `dgg check` and the list).
        self.show_list(issues, registry_issues(s.store, s.draft_id))

    def show_list(self, issues: list[Issue], registry: Sequence[Issue] = ()) -> None:
        self.list.clear()
        errors = blocking([*issues, *registry])
        if self.submit_panel is not None:
            self.submit_panel.set_enabled_reason(
                "Resolve the issues above before submitting." if errors else ""
            )
        if errors:
            self.verdict.setText(
                f"<b>{summary(issues)}</b> to resolve before this group can be submitted."
            )
            self.verdict.setStyleSheet(f"color: {SEVERITY_COLORS[Severity.ERROR]};")
        else:
            self.verdict.setText(
                "<b>Nothing blocks submission.</b> Press Finish to mark it Ready to submit."
                + (f" ({summary(issues)})" if issues else "")
            )
            self.verdict.setStyleSheet("color: #1e7b34;")
        if registry and not blocking(issues):
            self.verdict.setText(
                "<b>The registry refused the last submission</b>: fix what it said below."
            )
        for issue in [*issues, *registry]:
            page = dgg.PAGE_TITLES.get(issue.page or "", "")
            where = page
            if issue.row is not None and issue.page == dgg.UNITS:
                where += f", unit {issue.row + 1}"
            elif issue.row is not None and issue.page == dgg.FUELS:
                where += f", fuel {issue.row + 1}"
            mark = "Error" if issue.severity is Severity.ERROR else "Warning"
            item = QListWidgetItem(f"{mark} — {where}: {issue.message}", self.list)
            item.setData(ISSUE_ROLE, issue)
            item.setForeground(QColor(SEVERITY_COLORS[issue.severity]))
            item.setToolTip(f"Go to {page}")
        if self.list.count():
            self.list.setCurrentRow(0)

    def _activated(self, item: QListWidgetItem) -> None:
        issue: Issue = item.data(ISSUE_ROLE)
        self.jump_requested.emit(issue.page or dgg.GENERAL, issue.field, issue.row)
