"""On-peak and off-peak MWh per month as stacked bars, with the expected output as a line.

Drawn with QPainter: QtCharts is deprecated and QtGraphs needs PySide6-Addons (59 MB), and a
dozen bars do not need either. `layout_chart` computes every rectangle and point from the
numbers (a test checks them); `GenerationChart` only paints that layout with the palette's
colours, so it follows dark mode, and shows a tooltip for the month under the mouse.
Months read from monthly totals have no on/off-peak split: they are drawn as one total bar.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFontMetricsF,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class ChartBar:
    year: int
    month: int
    total_mwh: float
    on_peak_mwh: float | None = None  # None: the month came from a monthly total
    off_peak_mwh: float | None = None
    expected_mwh: float | None = None
    status: str = ""

    @property
    def label(self) -> str:
        return f"{MONTH_ABBR[self.month - 1]} {self.year % 100:02d}"

    @property
    def split(self) -> bool:
        return self.on_peak_mwh is not None and self.off_peak_mwh is not None


@dataclass(frozen=True, slots=True)
class BarGeometry:
    bar: ChartBar
    slot: QRectF  # the column the bar stands in (hover area)
    on_rect: QRectF | None  # bottom of the stack
    off_rect: QRectF | None  # on top of the on-peak part
    total_rect: QRectF  # the whole bar
    expected: QPointF | None


@dataclass(frozen=True, slots=True)
class ChartLayout:
    plot: QRectF
    top: float  # MWh at the top of the axis
    ticks: tuple[tuple[float, float], ...]  # (MWh, y)
    bars: tuple[BarGeometry, ...]

    def y_of(self, mwh: float) -> float:
        return self.plot.bottom() - self.plot.height() * (mwh / self.top if self.top else 0.0)

    def index_at(self, x: float, y: float) -> int | None:
        for i, g in enumerate(self.bars):
            if g.slot.contains(QPointF(x, y)):
                return i
        return None


def nice_axis(value: float, ticks: int = 5) -> tuple[float, float]:
    """(top, step): a round top at or above `value` cut into about `ticks` round steps."""
    if value <= 0 or not math.isfinite(value):
        return 1.0, 0.2
    raw = value / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return step * math.ceil(value / step - 1e-9), step


def layout_chart(
    bars: Sequence[ChartBar],
    area: QRectF,
    *,
    left: float = 56.0,
    right: float = 12.0,
    top: float = 34.0,
    bottom: float = 40.0,
) -> ChartLayout:
    """Where everything goes in `area`; the margins hold the axis labels and the legend."""
    plot = QRectF(
        area.left() + left,
        area.top() + top,
        max(area.width() - left - right, 1.0),
        max(area.height() - top - bottom, 1.0),
    )
    highest = max(
        [b.total_mwh for b in bars] + [b.expected_mwh or 0.0 for b in bars] + [0.0],
    )
    axis_top, step = nice_axis(highest)
    ticks = []
    n = round(axis_top / step)
    for i in range(n + 1):
        v = step * i
        ticks.append((v, plot.bottom() - plot.height() * v / axis_top))
    out: list[BarGeometry] = []
    count = max(len(bars), 1)
    slot_w = plot.width() / count
    bar_w = max(min(slot_w * 0.62, 48.0), 2.0)

    def y(v: float) -> float:
        return plot.bottom() - plot.height() * (max(v, 0.0) / axis_top)

    for i, b in enumerate(bars):
        slot = QRectF(plot.left() + i * slot_w, plot.top(), slot_w, plot.height())
        x = slot.center().x() - bar_w / 2
        total_rect = QRectF(x, y(b.total_mwh), bar_w, plot.bottom() - y(b.total_mwh))
        on_rect = off_rect = None
        if b.split:
            on = b.on_peak_mwh or 0.0
            off = b.off_peak_mwh or 0.0
            on_rect = QRectF(x, y(on), bar_w, plot.bottom() - y(on))
            off_rect = QRectF(x, y(on + off), bar_w, y(on) - y(on + off))
        expected = (
            QPointF(slot.center().x(), y(b.expected_mwh)) if b.expected_mwh is not None else None
        )
        out.append(BarGeometry(b, slot, on_rect, off_rect, total_rect, expected))
    return ChartLayout(plot, axis_top, tuple(ticks), tuple(out))


def _dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5


def series_colors(palette: QPalette) -> dict[str, QColor]:
    """Bar and line colours that read on the palette's background (light or dark)."""
    if _dark(palette):
        return {
            "on": QColor("#f0a04b"),
            "off": QColor("#6a9fdc"),
            "total": QColor("#9aa5b1"),
            "expected": QColor("#7bd389"),
        }
    return {
        "on": QColor("#d9822b"),
        "off": QColor("#3b6ea8"),
        "total": QColor("#7b8794"),
        "expected": QColor("#1e7a3c"),
    }


def fmt_mwh(v: float) -> str:
    return f"{v:,.3f} MWh"


class GenerationChart(QWidget):
    """Stacked on-peak/off-peak bars per month and the expected output line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("generation_chart")
        self.setAccessibleName("Generation chart")
        self.setMouseTracking(True)
        self.setMinimumSize(360, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.bars: tuple[ChartBar, ...] = ()
        self._hover: int | None = None

    def sizeHint(self) -> QSize:
        return QSize(640, 280)

    def set_bars(self, bars: Sequence[ChartBar]) -> None:
        self.bars = tuple(bars)
        self._hover = None
        total = sum(b.total_mwh for b in self.bars)
        self.setAccessibleDescription(
            f"{len(self.bars)} months, {total:,.3f} MWh in all"
            if self.bars
            else "No months to show"
        )
        self.update()

    def layout_now(self) -> ChartLayout:
        return layout_chart(self.bars, QRectF(self.rect()))

    # --- painting ------------------------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.WindowText)
        p.fillRect(self.rect(), pal.color(QPalette.ColorRole.Base))
        colors = series_colors(pal)
        fm = QFontMetricsF(self.font())
        if not self.bars:
            p.setPen(pal.color(QPalette.ColorRole.PlaceholderText))
            p.drawText(
                QRectF(self.rect()),
                Qt.AlignmentFlag.AlignCenter,
                "Read meter data or enter monthly totals to see the chart.",
            )
            p.end()
            return
        lay = self.layout_now()
        grid = QColor(pal.color(QPalette.ColorRole.Mid))
        grid.setAlphaF(0.35)
        # y axis: grid lines and MWh labels
        for value, y in lay.ticks:
            p.setPen(QPen(grid, 1))
            p.drawLine(QPointF(lay.plot.left(), y), QPointF(lay.plot.right(), y))
            p.setPen(text)
            label = f"{value:,.3g}" if value < 10 else f"{value:,.0f}"
            p.drawText(
                QRectF(0, y - fm.height() / 2, lay.plot.left() - 6, fm.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
        p.save()
        p.translate(12, lay.plot.center().y())
        p.rotate(-90)
        p.drawText(
            QRectF(-60, -fm.height() / 2, 120, fm.height()), Qt.AlignmentFlag.AlignCenter, "MWh"
        )
        p.restore()
        # bars
        every = max(
            1, math.ceil(len(lay.bars) * fm.horizontalAdvance("Mmm 00 ") / lay.plot.width())
        )
        for i, g in enumerate(lay.bars):
            hovered = i == self._hover
            if g.on_rect is not None and g.off_rect is not None:
                p.fillRect(g.on_rect, colors["on"].lighter(115) if hovered else colors["on"])
                p.fillRect(g.off_rect, colors["off"].lighter(115) if hovered else colors["off"])
            else:
                p.fillRect(g.total_rect, colors["total"])
            if i % every == 0:
                p.setPen(text)
                p.drawText(
                    QRectF(
                        g.slot.left() - 10, lay.plot.bottom() + 4, g.slot.width() + 20, fm.height()
                    ),
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                    g.bar.label,
                )
        p.setPen(QPen(pal.color(QPalette.ColorRole.Mid), 1))
        p.drawLine(lay.plot.bottomLeft(), lay.plot.bottomRight())
        # expected output line
        points = [g.expected for g in lay.bars if g.expected is not None]
        if points:
            path = QPainterPath(points[0])
            for pt in points[1:]:
                path.lineTo(pt)
            p.setPen(QPen(colors["expected"], 2.2))
            p.drawPath(path)
            p.setBrush(colors["expected"])
            for pt in points:
                p.drawEllipse(pt, 3.2, 3.2)
            p.setBrush(Qt.BrushStyle.NoBrush)
        self._legend(p, fm, colors, text, lay, bool(points))
        p.end()

    def _legend(
        self,
        p: QPainter,
        fm: QFontMetricsF,
        colors: dict[str, QColor],
        text: QColor,
        lay: ChartLayout,
        has_line: bool,
    ) -> None:
        items: list[tuple[str, QColor, bool]] = []
        if any(g.bar.split for g in lay.bars):
            items += [("On-peak (MISO)", colors["on"], False), ("Off-peak", colors["off"], False)]
        if any(not g.bar.split for g in lay.bars):
            items.append(("Monthly total", colors["total"], False))
        if has_line:
            items.append(("Expected output", colors["expected"], True))
        x = lay.plot.left()
        y = 8.0
        for label, color, is_line in items:
            if is_line:
                p.setPen(QPen(color, 2.2))
                p.drawLine(QPointF(x, y + 7), QPointF(x + 18, y + 7))
            else:
                p.fillRect(QRectF(x + 2, y + 1, 12, 12), color)
            p.setPen(text)
            p.drawText(QPointF(x + 24, y + 7 + fm.ascent() / 2 - 1), label)
            x += 24 + fm.horizontalAdvance(label) + 18

    # --- hover ------------------------------------------------------------------------------

    def tooltip_for(self, bar: ChartBar) -> str:
        lines = [
            f"<b>{MONTH_ABBR[bar.month - 1]} {bar.year}</b>",
            f"Total {fmt_mwh(bar.total_mwh)}",
        ]
        if bar.split:
            lines += [
                f"On-peak {fmt_mwh(bar.on_peak_mwh or 0.0)}",
                f"Off-peak {fmt_mwh(bar.off_peak_mwh or 0.0)}",
            ]
        if bar.expected_mwh is not None:
            lines.append(f"Expected {fmt_mwh(bar.expected_mwh)}")
        if bar.status:
            lines.append(f"Predicted: {bar.status}")
        return "<br>".join(lines)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        index = self.layout_now().index_at(pos.x(), pos.y()) if self.bars else None
        if index != self._hover:
            self._hover = index
            self.update()
        if index is not None:
            bar = self.bars[index]
            QToolTip.showText(event.globalPosition().toPoint(), self.tooltip_for(bar), self)
        else:
            QToolTip.hideText()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self._hover = None
        self.update()
        super().leaveEvent(event)
