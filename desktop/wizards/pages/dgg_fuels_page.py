"""Fuels: the group's fuel rows (type, source, label, program eligibilities).

A DGG normally has one row: its units share one fuel. The fuel source list follows the fuel
type; only the fuel types offered by the registration UI are listed (reference.md §1.5).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.models import dgg, reference
from desktop.models.dgg_rules import sources_for
from desktop.models.issues import Issue
from desktop.wizards.dgg_session import DggSession
from desktop.wizards.form_builder import SEVERITY_COLORS, FieldForm
from desktop.wizards.pages.dgg_page import DggPage


def ui_fuel_types() -> tuple[str, ...]:
    return tuple(str(e["value"]) for e in reference.entries("fuel_types") if e.get("ui"))


class FuelRowBox(QGroupBox):
    """One fuel row: its fields and a Remove button."""

    edited = Signal(str)
    remove_requested = Signal()

    def __init__(self, index: int, parent: QWidget | None = None) -> None:
        super().__init__(f"Fuel {index + 1}", parent)
        self.setObjectName(f"fuel_row_{index}")
        layout = QVBoxLayout(self)
        self.form = FieldForm(dgg.FUEL_FIELDS, self)
        self.form.editor("fuel_type").set_choices(ui_fuel_types())
        self.form.edited.connect(self._edited)
        layout.addWidget(self.form)
        self.remove_button = QPushButton(f"Remove fuel {index + 1}", self)
        self.remove_button.setObjectName(f"remove_fuel_{index}")
        self.remove_button.clicked.connect(self.remove_requested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)
        layout.addLayout(buttons)

    def set_record(self, fuel: dict[str, Any]) -> None:
        self.form.set_record(fuel)
        self._follow_type()

    def _edited(self, key: str) -> None:
        if key == "fuel_type":
            self._follow_type()
        self.edited.emit(key)

    def _follow_type(self) -> None:
        fuel_type = self.form.editor("fuel_type").text()
        sources = sources_for(fuel_type) if fuel_type else ()
        self.form.editor("fuel_source").set_choices(sources)


class DggFuelsPage(DggPage):
    key = dgg.FUELS

    def __init__(self, session: DggSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.setSubTitle(
            "The units of a DGG share one fuel type and source. Eligibilities are attached to "
            "every certificate issued for the group."
        )
        self.rows: list[FuelRowBox] = []
        self.touched: set[tuple[int, str]] = set()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.rows_layout = QVBoxLayout()
        layout.addLayout(self.rows_layout)
        self.page_issue = QLabel(self)
        self.page_issue.setObjectName("fuels__issue")
        self.page_issue.setWordWrap(True)
        self.page_issue.setVisible(False)
        layout.addWidget(self.page_issue)
        self.add_button = QPushButton("&Add a fuel", self)
        self.add_button.setObjectName("add_fuel")
        self.add_button.clicked.connect(self.add_fuel)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def load(self) -> None:
        fuels = self.session.group.setdefault("fuels", [])
        if not fuels:
            # A group always has its fuel: start with the one empty row to fill in.
            fuels.append(dgg.new_fuel())
        self._rebuild()

    def _rebuild(self) -> None:
        for box in self.rows:
            self.rows_layout.removeWidget(box)
            box.deleteLater()
        self.rows = []
        fuels = self.session.group["fuels"]
        for index, fuel in enumerate(fuels):
            box = FuelRowBox(index, self)
            box.set_record(fuel)
            box.remove_button.setVisible(len(fuels) > 1)
            box.edited.connect(lambda key, i=index: self._edited(i, key))
            box.remove_requested.connect(lambda i=index: self.remove_fuel(i))
            self.rows_layout.addWidget(box)
            self.rows.append(box)
        self.show_issues()

    def add_fuel(self) -> None:
        self.save()
        self.session.group["fuels"].append(dgg.new_fuel())
        self._rebuild()
        self.session.touch(immediate=True)
        self.rows[-1].form.focus_field("fuel_type")

    def remove_fuel(self, index: int) -> None:
        self.save()
        del self.session.group["fuels"][index]
        self._rebuild()
        self.session.touch(immediate=True)

    def _edited(self, index: int, key: str) -> None:
        self.touched.add((index, key))
        self.session.group["fuels"][index] = self.rows[index].form.record()
        self.show_issues()
        self.session.touch(immediate=key not in {"label", "abp_app_id"})

    def save(self) -> None:
        self.session.group["fuels"] = [box.form.record() for box in self.rows]

    def show_issues(self) -> None:
        issues = self.issues()
        for index, box in enumerate(self.rows):
            mine = [
                Issue(i.field, i.severity, i.message, page=i.page)
                for i in issues
                if i.row == index
                and (
                    self.reveal_all
                    or (index, i.field) in self.touched
                    or not i.message.endswith(" is required")
                )
            ]
            box.form.show_issues(mine)
        loose = [i for i in issues if i.row is None or i.row >= len(self.rows)]
        if loose:
            worst = loose[0]
            self.page_issue.setText("\n".join(i.message for i in loose))
            self.page_issue.setStyleSheet(f"color: {SEVERITY_COLORS[worst.severity]};")
        self.page_issue.setVisible(bool(loose))

    def focus_issue(self, field: str, row: int | None) -> None:
        self.reveal_all = True
        self.show_issues()
        index = min(row or 0, len(self.rows) - 1)
        if index >= 0:
            self.rows[index].form.focus_field(field)
