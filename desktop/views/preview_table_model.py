"""Item model of the issuance preview: one row per month, as `models.generation.preview` predicts.

Status cells are coloured (Issued, Accepted, Pending) and their tooltip gives every reason;
the days left in the upload window turn amber within 30 days and red once the window closed.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from desktop.models.generation import PREDICTION_NOTE, MonthPreview, Status
from desktop.views.snapshot_table_model import Index, SnapshotTableModel

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
CLOSING_SOON_DAYS = 30


class Col(IntEnum):
    MONTH = 0
    MWH = 1
    CARRY_IN = 2
    CERTIFICATES = 3
    CARRY_OUT = 4
    STATUS = 5
    DAYS_LEFT = 6
    ON_PEAK = 7
    OFF_PEAK = 8


HEADERS = {
    Col.MONTH: "Month",
    Col.MWH: "MWh",
    Col.CARRY_IN: "Carry in",
    Col.CERTIFICATES: "Certificates",
    Col.CARRY_OUT: "Carry out",
    Col.STATUS: "Predicted status",
    Col.DAYS_LEFT: "Days left",
    Col.ON_PEAK: "On-peak",
    Col.OFF_PEAK: "Off-peak",
}
HEADER_TIPS = {
    Col.MWH: "The month's generation, MWh to 3 decimals as the upload carries it; the "
    "tooltip of each month gives its expected output (the chart's line)",
    Col.CARRY_IN: "MWh: the fraction of a MWh carried in from earlier months (remainder ledger)",
    Col.CERTIFICATES: "Whole MWh that become certificates if the month is issued",
    Col.CARRY_OUT: "MWh: the fraction left to carry into the next month",
    Col.STATUS: PREDICTION_NOTE,
    Col.DAYS_LEFT: "Days until the month's upload window closes (62 days above 150 kW, "
    "365 days for 1–150 kW)",
    Col.ON_PEAK: "MWh in HE07–HE22 EST, Monday–Friday except NERC holidays (MISO definition)",
    Col.OFF_PEAK: "MWh in all other hours",
}
STATUS_COLORS = {
    Status.ISSUED: QColor(46, 160, 67, 70),
    Status.ACCEPTED: QColor(56, 132, 220, 60),
    Status.PENDING: QColor(230, 150, 20, 90),
}
_NUMERIC = (
    Col.MWH,
    Col.CARRY_IN,
    Col.CERTIFICATES,
    Col.CARRY_OUT,
    Col.DAYS_LEFT,
    Col.ON_PEAK,
    Col.OFF_PEAK,
)


def _mwh(v: float | None) -> str:
    return "" if v is None else f"{v:,.3f}"


def days_text(days: int) -> str:
    if days < 0:
        return f"closed {-days} days ago"
    return "closes today" if days == 0 else f"{days}"


class PreviewTableModel(SnapshotTableModel[MonthPreview]):
    HEADERS = HEADERS
    HEADER_TIPS = HEADER_TIPS

    def set_months(self, months: list[MonthPreview]) -> None:
        self.replace_rows(months)

    def month_at(self, row: int) -> MonthPreview:
        return self.row_at(row)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        m = self.row_for_index(index)
        if m is None:
            return None
        col = Col(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(m, col)
        if role == SORT_ROLE:
            return self._value(m, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and col is Col.STATUS:
            return STATUS_COLORS[m.status]
        if role == Qt.ItemDataRole.ForegroundRole and col is Col.DAYS_LEFT:
            if m.days_left < 0:
                return QColor(200, 40, 40)
            if m.days_left <= CLOSING_SOON_DAYS:
                return QColor(190, 110, 0)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(m, col)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{HEADERS[col]}: {self._text(m, col)}"
        return None

    def _text(self, m: MonthPreview, col: Col) -> str:
        return {
            Col.MONTH: m.vintage,
            Col.MWH: _mwh(m.mwh),
            Col.CARRY_IN: _mwh(m.carry_in_mwh),
            Col.CERTIFICATES: str(m.certificates),
            Col.CARRY_OUT: _mwh(m.carry_out_mwh),
            Col.STATUS: m.status_text,
            Col.DAYS_LEFT: days_text(m.days_left),
            Col.ON_PEAK: _mwh(m.on_peak_mwh),
            Col.OFF_PEAK: _mwh(m.off_peak_mwh),
        }[col]

    def _value(self, m: MonthPreview, col: Col) -> Any:
        return {
            Col.MONTH: (m.year, m.month),
            Col.MWH: m.mwh,
            Col.CARRY_IN: m.carry_in_mwh,
            Col.CERTIFICATES: m.certificates,
            Col.CARRY_OUT: m.carry_out_mwh,
            Col.STATUS: m.status_text,
            Col.DAYS_LEFT: m.days_left,
            Col.ON_PEAK: m.on_peak_mwh,
            Col.OFF_PEAK: m.off_peak_mwh,
        }[col]

    def _tooltip(self, m: MonthPreview, col: Col) -> str | None:
        if col is Col.STATUS:
            lines = [r.text() for r in m.reasons]
            if m.status is Status.ISSUED:
                lines.append(f"{m.certificates} certificates from whole MWh")
            elif m.status is Status.ACCEPTED:
                lines.append("Under 1 MWh with the carried remainder: carried forward")
            if m.certificates_by_fuel and len(m.certificates_by_fuel) > 1:
                lines += [f"{fuel}: {n}" for fuel, n in sorted(m.certificates_by_fuel.items())]
            return "\n".join([*lines, PREDICTION_NOTE])
        if col is Col.MWH and m.expected_mwh is not None:
            return (
                f"Expected {m.expected_mwh:,.3f} MWh (nameplate × hours × the month's capacity "
                "factor)"
            )
        if col is Col.DAYS_LEFT:
            return f"Upload by {m.deadline.isoformat()} to avoid a date-feasibility hold"
        if col in (Col.ON_PEAK, Col.OFF_PEAK) and m.on_peak_mwh is None:
            return "Monthly totals carry no hours, so no on/off-peak split"
        return None
