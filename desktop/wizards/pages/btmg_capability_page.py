"""Steps 11–14: Demand Reduction Capability Forecast and the operator contact."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFormLayout, QLabel

from desktop.models.btmg import Enrollment
from desktop.models.btmg_fields import REG, Page
from desktop.models.fields import format_mw
from desktop.models.planning import SEASONS
from desktop.wizards.btmg_form import add_row, make_editor
from desktop.wizards.pages.btmg_base_page import BtmgPage

if TYPE_CHECKING:
    from desktop.wizards.btmg_wizard import BtmgWizard


class BtmgCapabilityPage(BtmgPage):
    key = Page.CAPABILITY

    def __init__(self, wizard: BtmgWizard) -> None:
        super().__init__(wizard)
        form = QFormLayout()
        self.body.addLayout(form)
        self.body.addStretch(1)
        keys = ("demand_reduction_mw", "operator_name", "operator_phone", "operator_email")
        for key in keys:
            editor = make_editor(REG[key])
            self.connect_editor(editor)
            self.rows[key] = add_row(form, editor)
            if key == "demand_reduction_mw":
                self.capacity_hint = QLabel()
                self.capacity_hint.setObjectName("capacity_hint")
                self.capacity_hint.setWordWrap(True)
                form.addRow("", self.capacity_hint)

    def load(self, enrollment: Enrollment) -> None:
        super().load(enrollment)
        self.refresh_hint(enrollment)

    def refresh_hint(self, enrollment: Enrollment) -> None:
        """Capacity of the generators picked per season: the ceiling of the forecast."""
        options = self.wiz.generator_options
        parts = []
        for season in SEASONS:
            values = enrollment.seasons[season]
            if values.get("excluded"):
                parts.append(f"{season.label}: excluded")
                continue
            caps = [options[r].capacity_mw for r in values.get("generators") or () if r in options]
            known = [c for c in caps if c is not None]
            parts.append(
                f"{season.label}: {format_mw(sum(known))}" if known else f"{season.label}: none"
            )
        self.capacity_hint.setText("Generators picked per season: " + " · ".join(parts))
