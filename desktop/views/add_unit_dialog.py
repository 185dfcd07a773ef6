"""Add Unit / Edit Unit: every field of one DGG unit, with its issues shown as you type.

The dialog edits a copy; `unit()` returns it when the user saves. Saving is allowed with
issues left (drafts may be incomplete); the wizard's review lists what still blocks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.models.dgg_rules import check_units, group_fuels, sources_for
from desktop.models.fields import FieldSpec
from desktop.models.issues import Issue
from desktop.models.units import UNIT_FIELDS, new_unit
from desktop.wizards.form_builder import FieldForm

_BY_KEY: dict[str, FieldSpec] = {s.key: s for s in UNIT_FIELDS}
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Unit", ("name", "meter_id", "customer_type", "unit_status", "expansion", "owned_by_org")),
    (
        "Location",
        ("street", "city", "state_province", "postal_code", "county", "latitude", "longitude"),
    ),
    ("Capacity and operation", ("capacity_mw", "cod", "utility")),
    ("Fuel", ("fuel_type", "fuel_source")),
    ("Documents", ("documents",)),
)
assert {k for _, keys in SECTIONS for k in keys} == set(_BY_KEY), "every unit field is shown"


def unit_for_group(group: Mapping[str, Any]) -> dict[str, Any]:
    """A new unit pre-filled with what every unit of this group shares."""
    fuels = group_fuels(group)
    fuel_type, fuel_source = fuels[0] if fuels else (None, None)
    group_type = group.get("group_type")
    return new_unit(
        state_province=group.get("state_province"),
        utility=group.get("interconnected_utility"),
        fuel_type=fuel_type or None,
        fuel_source=fuel_source or None,
        customer_type=group_type if group_type in ("Residential", "Commercial") else None,
    )


class AddUnitDialog(QDialog):
    def __init__(
        self,
        unit: Mapping[str, Any],
        group: Mapping[str, Any],
        units: Sequence[Mapping[str, Any]],
        index: int | None = None,
        *,
        title: str = "Add Unit",
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("add_unit_dialog")
        self._unit = dict(unit)
        self._group = group
        # The group's units with this one at `index` (None: a new unit, after the others), so
        # that duplicate meter IDs name the other rows by their real numbers.
        self._units = list(units)
        self._index = len(self._units) if index is None else index
        if index is None:
            self._units.append(self._unit)
        self._today = today
        self._touched: set[str] = set()
        sections = [(t, tuple(_BY_KEY[k] for k in keys)) for t, keys in SECTIONS]
        self.form = FieldForm(sections, self)
        documents = self.form.editor("documents").input
        assert isinstance(documents, QLineEdit)
        documents.setReadOnly(True)
        documents.setPlaceholderText("attach files on the Documents page")
        self.form.set_record(self._unit)
        self._follow_fuel_type()
        self.form.edited.connect(self._edited)

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.setObjectName("add_unit_buttons")
        save = buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setDefault(True)  # Enter in any field saves the unit
        save.setObjectName("save_unit")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(buttons)
        self.resize(620, 720)
        self.show_issues()
        self.form.focus_field("name")

    def _edited(self, key: str) -> None:
        self._touched.add(key)
        if key == "fuel_type":
            self._follow_fuel_type()
        self.show_issues()

    def _follow_fuel_type(self) -> None:
        fuel_type = self.form.editor("fuel_type").text()
        self.form.editor("fuel_source").set_choices(sources_for(fuel_type) if fuel_type else ())

    def unit(self) -> dict[str, Any]:
        """The unit as edited (same uid)."""
        out = dict(self._unit)
        out.update(self.form.record())
        out["documents"] = self._unit.get("documents")  # filled from attachments, not typed
        return out

    def issues(self) -> list[Issue]:
        """This unit's issues, checked together with the other units (duplicate meters)."""
        units = list(self._units)
        units[self._index] = self.unit()
        found = check_units(self._group, units, today=self._today)
        return [i for i in found if i.row == self._index]

    def show_issues(self) -> None:
        shown = [
            Issue(i.field, i.severity, i.message)
            for i in self.issues()
            if i.field in self._touched or not i.message.endswith(" is required")
        ]
        self.form.show_issues(shown)
