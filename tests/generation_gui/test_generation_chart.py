"""The chart: the numbers it draws (layout), and that it paints in light and dark palettes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QToolTip

from desktop.views.generation_chart import (
    ChartBar,
    GenerationChart,
    layout_chart,
    nice_axis,
    series_colors,
)
from desktop.views.theme import dark_palette
from tests.conftest import activate

BARS = [
    ChartBar(2025, 5, 1.5, 1.0, 0.5, 1.2, "Issued"),
    ChartBar(2025, 6, 3.0, 2.25, 0.75, 1.4, "Pending: Capacity Feasibility"),
    ChartBar(2025, 7, 0.8, None, None, None, "Accepted"),  # a monthly total: no split
]


@pytest.mark.parametrize(
    ("value", "top", "step"),
    [(3.0, 3.0, 1.0), (0.72, 0.8, 0.2), (1234.0, 1250.0, 250.0), (0.0, 1.0, 0.2), (9.9, 10.0, 2.0)],
)
def test_nice_axis(value: float, top: float, step: float) -> None:
    assert nice_axis(value) == pytest.approx((top, step))


def test_layout_stacks_on_and_off_peak_in_proportion() -> None:
    area = QRectF(0, 0, 656, 374)
    lay = layout_chart(BARS, area, left=56, right=0, top=34, bottom=40)
    assert lay.plot == QRectF(56, 34, 600, 300)
    assert lay.top == pytest.approx(3.0)
    assert [v for v, _y in lay.ticks] == pytest.approx([0, 1, 2, 3])
    assert lay.ticks[0][1] == pytest.approx(334) and lay.ticks[-1][1] == pytest.approx(34)
    may, june, july = lay.bars
    # 1 MWh on-peak of a 3 MWh axis is 100 px; 0.5 off-peak sits on top of it (50 px)
    assert may.on_rect is not None and may.off_rect is not None
    assert may.on_rect.height() == pytest.approx(100)
    assert may.on_rect.bottom() == pytest.approx(334)
    assert may.off_rect.height() == pytest.approx(50)
    assert may.off_rect.bottom() == pytest.approx(may.on_rect.top())
    assert june.total_rect.top() == pytest.approx(34)  # the tallest bar reaches the top
    assert may.expected is not None
    assert (may.expected.x(), may.expected.y()) == pytest.approx((156, 334 - 120))
    assert july.on_rect is None and july.off_rect is None and july.expected is None
    assert july.total_rect.height() == pytest.approx(80)
    # each bar stands centred in its third of the plot
    assert [g.slot.center().x() for g in lay.bars] == pytest.approx([156, 356, 556])
    assert lay.index_at(356, 200) == 1 and lay.index_at(10, 200) is None


@pytest.mark.gui
def test_chart_paints_bars_line_and_legend(qtbot) -> None:  # type: ignore[no-untyped-def]
    chart = GenerationChart()
    qtbot.addWidget(chart)
    chart.resize(640, 300)
    chart.set_bars(BARS)
    image = chart.grab().toImage()
    assert not image.isNull() and image.width() == 640
    colors = series_colors(chart.palette())
    geometry = chart.layout_now().bars[0]
    assert geometry.on_rect is not None and geometry.off_rect is not None
    on = image.pixelColor(geometry.on_rect.center().toPoint())
    # away from the expected line, which crosses the middle of May's off-peak part
    off = image.pixelColor(geometry.off_rect.topLeft().toPoint() + QPoint(3, 3))
    assert (on.name(), off.name()) == (colors["on"].name(), colors["off"].name())
    seen = {image.pixelColor(x, y).name() for x in range(0, 640, 3) for y in range(0, 300, 3)}
    assert colors["expected"].name() in seen or any(
        QColor(c).greenF() > QColor(c).redF() + 0.2 for c in seen
    )
    assert "3 months" in chart.accessibleDescription()


@pytest.mark.gui
@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen: the tooltip window
def test_chart_follows_a_dark_palette_and_shows_a_tooltip(qtbot) -> None:  # type: ignore[no-untyped-def]
    chart = GenerationChart()
    qtbot.addWidget(chart)
    chart.setPalette(dark_palette())
    chart.resize(640, 300)
    chart.set_bars(BARS)
    image = chart.grab().toImage()
    assert image.pixelColor(2, 2).lightnessF() < 0.3  # the background is the dark base
    assert series_colors(chart.palette())["on"] == QColor("#f0a04b")
    activate(qtbot, chart)  # Qt shows tooltips only in the active window
    center = chart.layout_now().bars[1].total_rect.center().toPoint()
    qtbot.mouseMove(chart, center)
    qtbot.waitUntil(QToolTip.isVisible)
    assert "Jun 2025" in QToolTip.text() and "Capacity Feasibility" in QToolTip.text()
    qtbot.mouseMove(chart, QPoint(2, 2))


@pytest.mark.gui
def test_empty_chart_says_what_to_do(qtbot) -> None:  # type: ignore[no-untyped-def]
    chart = GenerationChart()
    qtbot.addWidget(chart)
    chart.resize(400, 200)
    chart.set_bars([])
    assert not chart.grab().toImage().isNull()
    assert chart.accessibleDescription() == "No months to show"
    assert Qt.FocusPolicy.NoFocus == chart.focusPolicy()
