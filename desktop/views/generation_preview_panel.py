"""The issuance preview of one generator: a banner saying it is a prediction, the months with
their certificates, carried remainders, predicted status and days left, the chart, and the
controls to build the upload file and record months as uploaded."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.config import Settings
from desktop.errors import KnownError
from desktop.models.generation import MonthEnergy, MonthPreview, Preview, RemainderLedger
from desktop.models.generator import Generator
from desktop.views.generation_chart import ChartBar, GenerationChart
from desktop.views.meter_issues_table_model import for_window
from desktop.views.preview_table_model import PreviewTableModel

if TYPE_CHECKING:
    from desktop.models.intervals import HourlyEnergy

BANNER = (
    "<b>Prediction — the registry decides.</b> Statuses, certificates and carried remainders "
    "follow the registry's published rules; M-RETS makes the final call when you upload."
)


def chart_bars(months: Sequence[MonthPreview]) -> list[ChartBar]:
    return [
        ChartBar(
            m.year,
            m.month,
            m.mwh,
            m.on_peak_mwh,
            m.off_peak_mwh,
            m.expected_mwh,
            m.status_text,
        )
        for m in months
    ]


class PreviewPanel(QWidget):
    build_requested = Signal()
    record_requested = Signal()
    remainder_requested = Signal()

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("generation_preview")
        self.preview: Preview | None = None

        self.banner = QLabel(BANNER)
        self.banner.setObjectName("prediction_banner")
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName("Prediction — the registry decides")
        self.banner.setStyleSheet(
            "QLabel#prediction_banner { background: rgba(230, 150, 20, 0.18); "
            "border: 1px solid rgba(230, 150, 20, 0.6); border-radius: 4px; padding: 6px; }"
        )
        self.source = QLabel()
        self.source.setObjectName("preview_source")
        self.source.setWordWrap(True)
        self.blocked = QLabel()
        self.blocked.setObjectName("preview_blocked")
        self.blocked.setWordWrap(True)
        self.blocked.setStyleSheet("color: #b3261e;")
        self.blocked.hide()

        self.model = PreviewTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("preview_table")
        self.table.setAccessibleName("Issuance preview per month")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.chart = GenerationChart()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.chart)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter

        self.totals = QLabel()
        self.totals.setObjectName("preview_totals")
        self.totals.setWordWrap(True)
        self.ledger = QLabel()
        self.ledger.setObjectName("ledger_summary")
        self.ledger.setWordWrap(True)

        self.granularity = QComboBox()
        self.granularity.setObjectName("granularity")
        self.granularity.setAccessibleName("Upload granularity")
        self.granularity.addItem("Monthly file (MWh)", "monthly")
        self.granularity.addItem("Hourly file (kWh)", "hourly")
        self.granularity.setToolTip("Monthly totals, or every hour 1–24 of every day")
        self.layout_choice = QComboBox()
        self.layout_choice.setObjectName("hourly_layout")
        self.layout_choice.setAccessibleName("Hourly layout")
        self.layout_choice.addItem("5 columns", 5)
        self.layout_choice.addItem("6 columns (with the month's MWh)", 6)
        self.layout_choice.setToolTip("Setting generation.hourly_layout; 5 columns by default")
        layout_value = int(settings.get("generation.hourly_layout") or 5)
        self.layout_choice.setCurrentIndex(0 if layout_value == 5 else 1)
        self.header = QCheckBox("&Header row")
        self.header.setObjectName("header_row")
        self.header.setAccessibleName("Header row")
        self.header.setToolTip("Setting generation.header_row; M-RETS files have none by default")
        self.header.setChecked(bool(settings.get("generation.header_row")))
        self.granularity.currentIndexChanged.connect(self._granularity_changed)
        self.build_button = QPushButton("&Build upload file…")
        self.build_button.setObjectName("build_upload")
        self.build_button.setAccessibleName("Build upload file")
        self.build_button.setToolTip("Write the M-RETS upload file for these months (Ctrl+B)")
        self.build_button.clicked.connect(lambda _c=False: self.build_requested.emit())
        self.record_button = QPushButton("Record as u&ploaded…")
        self.record_button.setObjectName("record_uploaded")
        self.record_button.setAccessibleName("Record as uploaded")
        self.record_button.setToolTip(
            "After uploading: keep the carried remainders in the ledger and leave these months "
            "out of the next preview"
        )
        self.record_button.clicked.connect(lambda _c=False: self.record_requested.emit())
        self.remainder_button = QPushButton("Set &remainder…")
        self.remainder_button.setObjectName("set_remainder")
        self.remainder_button.setAccessibleName("Set remainder")
        self.remainder_button.setToolTip(
            "The fraction of a MWh the registry already holds for this generator (per fuel)"
        )
        self.remainder_button.clicked.connect(lambda _c=False: self.remainder_requested.emit())
        QShortcut(QKeySequence("Ctrl+B"), self, self.build_requested.emit)
        build_row = QHBoxLayout()
        build_row.addWidget(self.granularity)
        build_row.addWidget(self.layout_choice)
        build_row.addWidget(self.header)
        build_row.addWidget(self.build_button)
        build_row.addStretch(1)
        ledger_row = QHBoxLayout()
        ledger_row.addWidget(self.ledger, 1)
        ledger_row.addWidget(self.record_button)
        ledger_row.addWidget(self.remainder_button)
        self.build_status = QLabel()
        self.build_status.setObjectName("build_status")
        self.build_status.setWordWrap(True)
        self.build_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.source)
        layout.addWidget(self.blocked)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.totals)
        layout.addLayout(ledger_row)
        layout.addLayout(build_row)
        layout.addWidget(self.build_status)
        self._granularity_changed()

    def add_footer(self, widget: QWidget) -> None:
        """A widget under the build row (the window's Submit panel)."""
        layout = self.layout()
        assert layout is not None
        layout.addWidget(widget)

    def _granularity_changed(self, *_: object) -> None:
        self.layout_choice.setEnabled(self.granularity.currentData() == "hourly")

    def show_preview(self, preview: Preview | None, blocked: str = "") -> None:
        self.preview = preview
        months = list(preview.months) if preview else []
        self.model.set_months(months)
        self.chart.set_bars(chart_bars(months))
        self.blocked.setText(blocked)
        self.blocked.setVisible(bool(blocked))
        if preview and months:
            mwh = sum(m.mwh for m in months)
            pending = sum(1 for m in months if m.reasons)
            certs = preview.certificates
            self.totals.setText(
                f"{len(months)} months, {mwh:,.3f} MWh: <b>{certs:,} "
                f"certificate{'' if certs == 1 else 's'}</b> predicted, "
                f"{months[-1].carry_out_mwh:,.3f} MWh carried out"
                + (
                    f"; {pending} month(s) predicted Pending (see the status tooltips)."
                    if pending
                    else "."
                )
            )
        else:
            self.totals.setText("")
        self.build_button.setEnabled(bool(months))
        self.record_button.setEnabled(bool(months))

    def show_ledger(self, ledger: RemainderLedger, uploaded: int) -> None:
        parts = [
            f"{fuel or 'remainder'} {kwh / 1000:,.3f} MWh"
            for fuel, kwh in sorted(ledger.remainders_kwh.items())
        ]
        last = ledger.history[-1].vintage if ledger.history else None
        self.ledger.setText(
            "Remainder ledger (kept in the store): "
            + ("; ".join(parts) if parts else "nothing carried yet")
            + (f". Last recorded month {last}" if last else "")
            + (f"; {uploaded} month(s) recorded as uploaded." if uploaded else ".")
        )

    def build_upload(
        self, gen: Generator, months: list[MonthEnergy], hourly: HourlyEnergy | None
    ) -> Path | None:
        """Ask where to save, then write the upload file chosen below the preview through the
        same writer as the command line; the status line says what was written, or why not.
        `hourly`: the hours of meter files read in this session (None: none were)."""
        granularity = self.granularity.currentData()
        layout = int(self.layout_choice.currentData())
        if granularity == "hourly":
            if hourly is None:
                self._build_status(
                    "An hourly file needs the meter files read in this session (hours are not "
                    "kept between sessions): press Read files on tab 2, then build again.",
                    error=True,
                )
                return None
            # The hourly file holds the previewed months' standard-time twins that are whole.
            wanted = {(m.year, m.month) for m in months}
            whole = [m for m in hourly.hourly_months if (m.year, m.month) in wanted]
            missing = [p for p in hourly.hourly_partial if (p.year, p.month) in wanted]
            if not whole:
                self._build_status(
                    "Nothing was written: no month is whole in hour-ending "
                    f"{gen.standard_time.code}. "
                    + " ".join(for_window(p.reason) + "." for p in missing[:2]),
                    error=True,
                )
                return None
            hourly = dataclasses.replace(hourly, hourly_months=whole)
        suggested = f"M{gen.mrets_id}-{granularity}-{months[0].vintage.replace('/', '-')}.csv"
        name, _filter = QFileDialog.getSaveFileName(
            self, "Save the upload file", suggested, "CSV upload file (*.csv)"
        )
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() != ".csv":
            path = path.with_suffix(".csv")
        from desktop.exchange.generation_pipeline import upload_rows  # noqa: PLC0415 - on use
        from desktop.exchange.mrets_upload import write_upload  # noqa: PLC0415

        try:
            kind, rows = upload_rows(gen, months, hourly, granularity=granularity, layout=layout)
            size = write_upload(path, kind, rows, header=self.header.isChecked())
        except KnownError as exc:
            self._build_status(f"Nothing was written: {exc}", error=True)
            return None
        except OSError as exc:
            self._build_status(f"Nothing was written: {exc.strerror} ({path}).", error=True)
            return None
        left = ""
        if granularity == "hourly" and hourly is not None:
            wanted = {(m.year, m.month) for m in months}
            missing = [p for p in hourly.hourly_partial if (p.year, p.month) in wanted]
            left = " ".join(" Left out: " + for_window(p.reason) + "." for p in missing[:2])
        self._build_status(
            f"Wrote {path} ({len(rows):,} rows, {size:,} bytes, {kind.value}, hour-ending "
            f"{gen.standard_time.label}). After uploading it, press Record as uploaded.{left}",
            error=bool(left),
        )
        return path

    def _build_status(self, text: str, *, error: bool = False) -> None:
        self.build_status.setText(text)
        self.build_status.setStyleSheet("color: #b3261e;" if error else "")
