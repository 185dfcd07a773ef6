"""Which column holds what, for a meter file whose headers were not recognised.

Shows the file's first rows and asks for the time stamp column (or a date and a time column),
the energy column, optionally a meter ID column, the energy unit and whether stamps open or
close their interval. The answer is a `ColumnMapping` by header name, which the reader uses
for that file only (`ReadOptions.file_mappings`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.exchange.meter_columns import ColumnMapping
from desktop.models.intervals import EnergyUnit, StampMark

if TYPE_CHECKING:
    from desktop.exchange.meter_files import FileSniff

NONE = "— none —"
UNIT_CHOICES = (
    ("From the header, else kWh", None),
    ("kWh", EnergyUnit.KWH),
    ("Wh", EnergyUnit.WH),
    ("MWh", EnergyUnit.MWH),
    ("kW demand (× interval length)", EnergyUnit.KW),
)
MARK_CHOICES = (
    ("From the header, else start", None),
    ("Start of the interval", StampMark.START),
    ("End of the interval", StampMark.END),
)
ROLE_LABELS = {
    "timestamp": ("&Time stamp", "The column with date and time together (e.g. 2025-06-01 13:15)"),
    "date": ("&Date", "A date column, when date and time are in separate columns"),
    "time": ("T&ime", "The time column that goes with the date column"),
    "energy": ("&Energy", "The column with the energy of each interval"),
    "meter": ("&Meter ID", "Optional: the column naming the meter (a DGG's meters are summed)"),
}


def mapping_to_json(m: ColumnMapping) -> dict[str, Any]:
    return {
        "timestamp": m.timestamp,
        "energy": m.energy,
        "meter": m.meter,
        "date": m.date,
        "time": m.time,
        "unit": m.unit.value if m.unit else None,
        "mark": m.mark.value if m.mark else None,
    }


def mapping_from_json(raw: Mapping[str, Any]) -> ColumnMapping | None:
    """A stored mapping, or None when it is not one (a damaged draft)."""

    def ref(key: str) -> str | int | None:
        v = raw.get(key)
        return v if isinstance(v, str | int) and not isinstance(v, bool) else None

    try:
        unit = EnergyUnit(raw["unit"]) if raw.get("unit") else None
        mark = StampMark(raw["mark"]) if raw.get("mark") else None
    except ValueError:
        return None
    m = ColumnMapping(
        timestamp=ref("timestamp"),
        energy=ref("energy"),
        meter=ref("meter"),
        date=ref("date"),
        time=ref("time"),
        unit=unit,
        mark=mark,
    )
    has_time = m.timestamp is not None or (m.date is not None and m.time is not None)
    return m if has_time and m.energy is not None else None


class MeterMappingDialog(QDialog):
    def __init__(
        self, sniff: FileSniff, current: ColumnMapping | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("meter_mapping_dialog")
        self.setWindowTitle(f"Columns of {sniff.path.name}")
        self.sniff = sniff
        header = list(sniff.header)
        start = current or sniff.guess.mapping
        intro = QLabel(
            f"Registry Desk could not tell which column of <b>{sniff.path.name}</b> holds what"
            + (f" (missing: {', '.join(sniff.guess.missing)})" if sniff.guess.missing else "")
            + ". Choose the columns below; the first rows of the file are shown to help."
        )
        intro.setWordWrap(True)
        sample = QStandardItemModel(len(sniff.sample), len(header), self)
        sample.setHorizontalHeaderLabels(header)
        for r, row in enumerate(sniff.sample):
            for c, cell in enumerate(row[: len(header)]):
                sample.setItem(r, c, QStandardItem(cell))
        self.sample_view = QTableView()
        self.sample_view.setObjectName("mapping_sample")
        self.sample_view.setAccessibleName("First rows of the file")
        self.sample_view.setModel(sample)
        self.sample_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.sample_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.sample_view.setMaximumHeight(200)

        form = QFormLayout()
        self.combos: dict[str, QComboBox] = {}
        for role, (label, tip) in ROLE_LABELS.items():
            combo = QComboBox()
            combo.setObjectName(f"map_{role}")
            combo.addItem(NONE, None)
            for h in header:
                combo.addItem(h, h)
            current_ref = getattr(start, role)
            if isinstance(current_ref, int) and 0 <= current_ref < len(header):
                current_ref = header[current_ref]
            if current_ref in header:
                combo.setCurrentIndex(header.index(current_ref) + 1)
            combo.setToolTip(tip)
            combo.setAccessibleName(label.replace("&", ""))
            combo.currentIndexChanged.connect(self._check)
            text = label + (" *" if role == "energy" else "")
            lab = QLabel(text)
            lab.setBuddy(combo)
            form.addRow(lab, combo)
            self.combos[role] = combo
        self.unit = QComboBox()
        self.unit.setObjectName("map_unit")
        self.unit.setAccessibleName("Energy unit")
        self.unit.setToolTip("Unit of the energy column; kW is average demand over the interval")
        for text, unit in UNIT_CHOICES:
            self.unit.addItem(text, unit)
        self.unit.setCurrentIndex(
            next(i for i, (_t, u) in enumerate(UNIT_CHOICES) if u == start.unit)
        )
        self.mark = QComboBox()
        self.mark.setObjectName("map_mark")
        self.mark.setAccessibleName("Time stamps mark")
        self.mark.setToolTip("Whether a time stamp opens or closes its interval")
        for text, mark in MARK_CHOICES:
            self.mark.addItem(text, mark)
        self.mark.setCurrentIndex(
            next(i for i, (_t, m) in enumerate(MARK_CHOICES) if m == start.mark)
        )
        unit_label = QLabel("&Unit")
        unit_label.setBuddy(self.unit)
        mark_label = QLabel("Time stamps &mark")
        mark_label.setBuddy(self.mark)
        form.addRow(unit_label, self.unit)
        form.addRow(mark_label, self.mark)

        self.problem = QLabel()
        self.problem.setObjectName("mapping__issue")
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.sample_view)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(640, 560)
        self._check()

    def _ref(self, role: str) -> str | None:
        value = self.combos[role].currentData()
        return value if isinstance(value, str) else None

    def problems(self) -> list[str]:
        out = []
        ts, d, t = self._ref("timestamp"), self._ref("date"), self._ref("time")
        if ts is None and (d is None or t is None):
            out.append("Choose the time stamp column, or both a date and a time column.")
        if self._ref("energy") is None:
            out.append("Choose the energy column.")
        chosen = [r for r in (ts, d, t, self._ref("energy"), self._ref("meter")) if r]
        if len(chosen) != len(set(chosen)):
            out.append("Each column can have one role only.")
        return out

    def _check(self, *_: object) -> None:
        problems = self.problems()
        self.problem.setText(" ".join(problems))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not problems)

    def mapping(self) -> ColumnMapping:
        ts = self._ref("timestamp")
        return ColumnMapping(
            timestamp=ts,
            energy=self._ref("energy"),
            meter=self._ref("meter"),
            date=None if ts else self._ref("date"),
            time=None if ts else self._ref("time"),
            unit=self.unit.currentData(),
            mark=self.mark.currentData(),
        )


def set_combo_text(combo: QComboBox, text: str) -> None:
    """Select the item showing `text` (tests and keyboard helpers)."""
    index = combo.findText(text, Qt.MatchFlag.MatchExactly)
    if index >= 0:
        combo.setCurrentIndex(index)
