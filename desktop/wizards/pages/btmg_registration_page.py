"""Steps 4–9: Name, Asset Owner, LBA (with its Local Resource Zone), Description, Load Zone
CPNode (offered for the chosen LBA) and Override CPNode."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFormLayout, QLabel

from desktop.models.btmg import Enrollment
from desktop.models.btmg_fields import REG, Page
from desktop.models.btmg_rules import cpnode_lbas, lba_zones
from desktop.wizards.btmg_form import ChoiceEditor, add_row, make_editor
from desktop.wizards.pages.btmg_base_page import BtmgPage

if TYPE_CHECKING:
    from desktop.wizards.btmg_wizard import BtmgWizard


class BtmgRegistrationPage(BtmgPage):
    key = Page.REGISTRATION

    def __init__(self, wizard: BtmgWizard) -> None:
        super().__init__(wizard)
        form = QFormLayout()
        self.body.addLayout(form)
        self.body.addStretch(1)
        for key in ("name", "asset_owner", "lba", "description", "cpnode", "cpnode_override"):
            editor = make_editor(REG[key])
            self.connect_editor(editor)
            self.rows[key] = add_row(form, editor)
            if key == "lba":
                self.zone_label = QLabel()
                self.zone_label.setObjectName("zone_label")
                form.addRow("", self.zone_label)
                self.form = form
        lba, cpnode = self.editors["lba"], self.editors["cpnode"]
        assert isinstance(lba, ChoiceEditor) and isinstance(cpnode, ChoiceEditor)
        self.lba: ChoiceEditor = lba
        self.cpnode: ChoiceEditor = cpnode
        zones = lba_zones()
        self.lba.set_options([(lba, f"{lba} (Zone {z})" if z else lba) for lba, z in zones.items()])
        self.lba.edited.connect(lambda _t: self._lba_changed())
        self.editors["cpnode_override"].edited.connect(lambda _t: self._lba_changed())

    def _lba_changed(self) -> None:
        lba = self.lba.value()
        zone = lba_zones().get(lba) if lba else None
        self.zone_label.setText(f"Local Resource Zone {zone}" if zone else "")
        self.form.setRowVisible(self.zone_label, bool(zone))
        override = bool(self.editors["cpnode_override"].value())
        nodes = [n for n, owner in cpnode_lbas().items() if override or not lba or owner == lba]
        self.cpnode.set_options([(n, n) for n in nodes])

    def load(self, enrollment: Enrollment) -> None:
        super().load(enrollment)
        self._lba_changed()
        self.cpnode.set_value(enrollment.values.get("cpnode"))
