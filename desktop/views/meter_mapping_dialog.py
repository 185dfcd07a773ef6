"""Which column holds what: the shape Registry Desk detected in a meter file, to check before
reading, or the columns to choose when it could not tell (or the file has several energy
columns).

Shows where the header was found (below how many metadata lines), the columns, unit, zone and
stamp convention detected, and the first rows under the header; asks for the time stamp column
(or a date and a time column), the energy column, optionally a meter ID column, the energy unit
and whether stamps open or close their interval. The answer is a `ColumnMapping` by header
name, which the reader uses for that file only (`ReadOptions.file_mappings`), and, when asked,
a named import profile that maps the next export with the same header without asking.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.exchange.import_profiles import ImportProfile
from desktop.exchange.meter_columns import ColumnMapping, merged, unit_from_header
from desktop.models.intervals import EnergyUnit, StampMark

if TYPE_CHECKING:
    from desktop.exchange.meter_files import FileSniff

NONE = "— none —"
UNIT_CHOICES = (
    ("Detected (header or UOM line), else kWh", None),
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


def intro_text(sniff: FileSniff) -> str:
    name = _esc(sniff.path.name)
    guess = sniff.guess
    if guess.missing:
        return (
            f"Registry Desk could not tell which column of <b>{name}</b> holds what (missing: "
            f"{', '.join(guess.missing)}). Choose the columns below; the first rows under the "
            "header are shown to help."
        )
    if guess.energy_choices:
        return (
            f"<b>{name}</b> has several energy columns ({_esc(', '.join(guess.energy_choices))})"
            ". Choose the one that is the generator's output; the rest was detected as shown."
        )
    return f"This is how Registry Desk will read <b>{name}</b>. Check it and choose OK."


def shape_lines(sniff: FileSniff, mapping: ColumnMapping, zone: str | None) -> list[str]:
    """The detected shape in words: header row, metadata, columns, unit, zone, stamps."""
    layout = sniff.layout
    lines = []
    if layout is not None and layout.header_row:
        keys = ", ".join(k for k, _ in layout.metadata[:4])
        more = "…" if len(layout.metadata) > 4 else ""
        lines.append(
            f"Header on line {layout.header_row + 1}, below {len(layout.metadata)} metadata "
            f"line(s) ({keys}{more})"
        )
    else:
        lines.append("Header on line 1")
    if mapping.timestamp is not None:
        lines.append(f"Time stamps: '{mapping.timestamp}'")
    elif mapping.date is not None and mapping.time is not None:
        lines.append(f"Time stamps: date '{mapping.date}' + time '{mapping.time}'")
    if mapping.energy is not None:
        unit = (
            mapping.unit
            or unit_from_header(str(mapping.energy))
            or (layout.unit if layout is not None else None)
            or EnergyUnit.KWH
        )
        lines.append(f"Energy: '{mapping.energy}' in {unit.value}")
    if mapping.meter is not None:
        lines.append(f"Meters: '{mapping.meter}'")
    lines.append(f"Zone: {zone}" if zone else "Zone: stamps must carry their UTC offset")
    mark = mapping.mark or StampMark.START
    lines.append(f"Each stamp is the {mark.value} of its interval")
    total = layout.total if layout is not None else None
    if total is not None:
        lines.append(f"The file states {total[0]} {total[1]:g}: checked after reading")
    return lines


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class MeterMappingDialog(QDialog):
    def __init__(
        self,
        sniff: FileSniff,
        current: ColumnMapping | None = None,
        parent: QWidget | None = None,
        *,
        zone: str | None = None,
        profile_name: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("meter_mapping_dialog")
        self.setWindowTitle(f"Columns of {sniff.path.name}")
        self.sniff = sniff
        self.zone = zone
        header = list(sniff.header)
        start = merged(current, sniff.guess.mapping)
        intro = QLabel(intro_text(sniff))
        intro.setObjectName("mapping_intro")
        intro.setWordWrap(True)
        self.shape = QLabel()
        self.shape.setObjectName("mapping_shape")
        self.shape.setWordWrap(True)
        self.shape.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        shape_box = QGroupBox("Detected shape")
        shape_layout = QVBoxLayout(shape_box)
        shape_layout.addWidget(self.shape)
        sample = QStandardItemModel(len(sniff.sample), len(header), self)
        sample.setHorizontalHeaderLabels(header)
        first = sniff.layout.header_row + 2 if sniff.layout is not None else 2
        sample.setVerticalHeaderLabels([str(first + r) for r in range(len(sniff.sample))])
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

        self.remember = QCheckBox("&Remember as an import profile for this generator:")
        self.remember.setObjectName("remember_profile")
        self.remember.setAccessibleName("Remember as an import profile")
        self.remember.setToolTip(
            "Next month's export with the same header is then read with these columns"
        )
        self.profile_name = QLineEdit(profile_name or default_profile_name(sniff))
        self.profile_name.setObjectName("profile_name")
        self.profile_name.setAccessibleName("Import profile name")
        self.remember.setChecked(True)
        self.remember.toggled.connect(self.profile_name.setEnabled)
        self.profile_name.textChanged.connect(self._check)
        self.remember.toggled.connect(self._check)
        form.addRow(self.remember, self.profile_name)

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
        layout.addWidget(shape_box)
        layout.addWidget(self.sample_view)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(720, 680)
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
        if self.remember.isChecked() and not self.profile_name.text().strip():
            out.append("Name the import profile, or do not remember one.")
        return out

    def _check(self, *_: object) -> None:
        problems = self.problems()
        self.problem.setText(" ".join(problems))
        self.shape.setText("\n".join(shape_lines(self.sniff, self.mapping(), self.zone)))
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
            # Qt hands enum item data back as plain strings
            unit=EnergyUnit(unit) if (unit := self.unit.currentData()) else None,
            mark=StampMark(mark) if (mark := self.mark.currentData()) else None,
        )

    def profile(self) -> ImportProfile | None:
        """The import profile to remember, or None."""
        if not self.remember.isChecked():
            return None
        return ImportProfile.made(self.profile_name.text(), self.sniff.header, self.mapping())


def default_profile_name(sniff: FileSniff) -> str:
    """The account name a portal writes above its header, else the file's name."""
    layout = sniff.layout
    name = layout.meta("name", "account name", "customer name") if layout is not None else None
    return name or sniff.path.stem


def set_combo_text(combo: QComboBox, text: str) -> None:
    """Select the item showing `text` (tests and keyboard helpers)."""
    index = combo.findText(text, Qt.MatchFlag.MatchExactly)
    if index >= 0:
        combo.setCurrentIndex(index)
