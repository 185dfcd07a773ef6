"""Step 15: Measurement Protocol."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFormLayout, QLabel

from desktop.models import reference
from desktop.models.btmg_fields import REG, Page
from desktop.wizards.btmg_form import add_row, make_editor
from desktop.wizards.pages.btmg_base_page import BtmgPage

if TYPE_CHECKING:
    from desktop.wizards.btmg_wizard import BtmgWizard


class BtmgMeasurementPage(BtmgPage):
    key = Page.MEASUREMENT

    def __init__(self, wizard: BtmgWizard) -> None:
        super().__init__(wizard)
        form = QFormLayout()
        self.body.addLayout(form)
        editor = make_editor(REG["measurement_protocol"])
        self.connect_editor(editor)
        self.rows["measurement_protocol"] = add_row(form, editor)
        note = QLabel(str(reference.load("mect_measurement_protocols").get("note", "")))
        note.setObjectName("reference_note")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.body.addWidget(note)
        self.body.addStretch(1)
