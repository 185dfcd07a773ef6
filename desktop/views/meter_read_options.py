"""The "How to read them" box of the meter data tab: time zone, stamp convention, energy unit,
interval, Green Button flow, and whether to fill gaps or clip negative readings. The same
choices as the command line's options, kept per generator in its InputSettings."""

from __future__ import annotations

import zoneinfo
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QGroupBox, QLabel, QWidget

from desktop.models.generator_draft import InputSettings
from desktop.models.intervals import EnergyUnit

COMMON_ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Detroit",
    "America/Indiana/Indianapolis",
    "America/Kentucky/Louisville",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Toronto",
    "America/Winnipeg",
    "America/Regina",
    "America/Edmonton",
    "America/Vancouver",
    "America/Halifax",
    "America/St_Johns",
)
OFFSET_STAMPS = "Stamps carry their UTC offset"


def _combo(name: str, label: str, tip: str, items: Sequence[tuple[str, object]]) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setAccessibleName(label)
    combo.setToolTip(tip)
    for text, data in items:
        combo.addItem(text, data)
    return combo


def _select_data(combo: QComboBox, data: object) -> None:
    index = combo.findData(data)
    combo.setCurrentIndex(index if index >= 0 else 0)


class ReadOptionsBox(QGroupBox):
    changed = Signal()  # the user changed an option (not set_inputs)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("How to read them", parent)
        self._loading = False
        zones = [(OFFSET_STAMPS, None)] + [(z, z) for z in COMMON_ZONES]
        self.tz = _combo(
            "input_tz",
            "Input time zone",
            "The zone the meter's local time stamps are in (daylight saving is handled); "
            "not needed when stamps carry their offset, e.g. 2025-06-01T13:00-05:00",
            zones,
        )
        self.tz.insertSeparator(self.tz.count())
        common = set(COMMON_ZONES)
        for z in sorted(zoneinfo.available_timezones()):
            if z not in common and "/" in z and not z.startswith(("Etc/", "SystemV/")):
                self.tz.addItem(z, z)
        self.tz.setMaxVisibleItems(20)
        self.mark = _combo(
            "timestamps",
            "Time stamps",
            "Whether a stamp opens or closes its interval (HE convention: it closes)",
            [("From the header, else start", None), ("Start", "start"), ("End", "end")],
        )
        self.unit = _combo(
            "energy_unit",
            "Energy unit",
            "Unit of the values; kW is demand, multiplied by the interval length",
            [("From the header, else kWh", None)]
            + [(u.value if u is not EnergyUnit.KW else "kW demand", u.value) for u in EnergyUnit],
        )
        self.interval = _combo(
            "interval",
            "Interval",
            "The interval length; detected from the stamps unless forced",
            [("Detect", None)] + [(f"{m} minutes", m) for m in (5, 15, 30, 60)],
        )
        self.flow = _combo(
            "green_button_flow",
            "Green Button flow",
            "Which flow of a Green Button file is the generation (when it has both)",
            [("The only one in the file", None), ("Forward", "forward"), ("Reverse", "reverse")],
        )
        self.fill_gaps = QCheckBox(
            "Fill &gaps inside a month with 0 kWh (reported) instead of leaving the month out"
        )
        self.fill_gaps.setObjectName("fill_gaps")
        self.clip = QCheckBox("Set negati&ve readings to 0 (reported) instead of refusing them")
        self.clip.setObjectName("clip_negative")
        for box in (self.fill_gaps, self.clip):
            box.setAccessibleName(box.text().replace("&", ""))
        # Two columns of options, so that the files list gets the whole width above them.
        form = QGridLayout()
        form.setColumnStretch(1, 1)
        form.setColumnStretch(3, 1)
        cells = (
            ("Input &time zone", self.tz, 0, 0),
            ("Time &stamps", self.mark, 1, 0),
            ("En&ergy unit", self.unit, 2, 0),
            ("&Interval", self.interval, 0, 2),
            ("Green Button f&low", self.flow, 1, 2),
        )
        for label, widget, row, col in cells:
            lab = QLabel(label)
            lab.setBuddy(widget)
            form.addWidget(lab, row, col, Qt.AlignmentFlag.AlignRight)
            form.addWidget(widget, row, col + 1)
        form.addWidget(self.fill_gaps, 3, 0, 1, 4)
        form.addWidget(self.clip, 4, 0, 1, 4)
        for combo in (self.tz, self.mark, self.unit, self.interval, self.flow):
            combo.currentIndexChanged.connect(self._emit_changed)
        for box in (self.fill_gaps, self.clip):
            box.toggled.connect(self._emit_changed)

        self.setLayout(form)

    def _emit_changed(self, *_: object) -> None:
        if not self._loading:
            self.changed.emit()

    def set_inputs(self, inputs: InputSettings) -> None:
        self._loading = True
        try:
            _select_data(self.tz, inputs.input_tz)
            if inputs.input_tz and self.tz.findData(inputs.input_tz) < 0:
                self.tz.addItem(inputs.input_tz, inputs.input_tz)  # a zone no longer listed
                _select_data(self.tz, inputs.input_tz)
            _select_data(self.mark, inputs.mark)
            _select_data(self.unit, inputs.unit)
            _select_data(self.interval, inputs.interval)
            _select_data(self.flow, inputs.green_button_flow)
            self.fill_gaps.setChecked(inputs.fill_gaps)
            self.clip.setChecked(inputs.clip_negative)
        finally:
            self._loading = False

    def settings(self, files: list[str], mappings: dict[str, dict[str, Any]]) -> InputSettings:
        """These options with the files and their column mappings."""
        return InputSettings(
            files=files,
            input_tz=self.tz.currentData(),
            mark=self.mark.currentData(),
            unit=self.unit.currentData(),
            interval=self.interval.currentData(),
            fill_gaps=self.fill_gaps.isChecked(),
            clip_negative=self.clip.isChecked(),
            green_button_flow=self.flow.currentData(),
            mappings=mappings,
        )
