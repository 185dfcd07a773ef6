"""Registry status badges for the drafts lists: a coloured pill beside the draft's status.

    view.setItemDelegateForColumn(Col.STATUS, RegistryBadgeDelegate(view))

The delegate reads the row's DraftRow (drafts_table_model.ROW_ROLE) and paints its status
with a pill for `registry_status` (pending, active, rejected ...); rows without a registry
status paint as usual.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop.views.drafts_table_model import ROW_ROLE

BADGES: dict[str, tuple[str, str]] = {
    # registry status: (label, colour)
    "draft": ("registry draft", "#616161"),
    "pending": ("pending review", "#1565c0"),
    "waiting_approval": ("waiting approval", "#1565c0"),
    "active": ("approved", "#2e7d32"),
    "approved": ("approved", "#2e7d32"),
    "rejected": ("rejected", "#c62828"),
    "issued": ("issued", "#2e7d32"),
    "accepted": ("accepted", "#2e7d32"),
}


def badge(registry_status: str | None) -> tuple[str, QColor] | None:
    if not registry_status:
        return None
    label, color = BADGES.get(registry_status, (registry_status, "#616161"))
    return label, QColor(color)


class RegistryBadgeDelegate(QStyledItemDelegate):
    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        row: Any = index.data(ROW_ROLE)
        found = badge(getattr(row, "registry_status", None))
        if found is None:
            super().paint(painter, option, index)
            return
        label, color = found
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        painter.save()
        rect = option.rect.adjusted(6, 0, -4, 0)
        status = str(getattr(row, "status", ""))
        metrics = option.fontMetrics
        painter.setPen(
            option.palette.color(
                option.palette.ColorRole.HighlightedText
                if option.state & QStyle.StateFlag.State_Selected
                else option.palette.ColorRole.Text
            )
        )
        painter.drawText(
            rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), status
        )
        x = rect.left() + metrics.horizontalAdvance(status) + 8
        width = metrics.horizontalAdvance(label) + 12
        height = metrics.height() + 2
        pill = QRect(x, rect.center().y() - height // 2, width, height)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(pill, height / 2, height / 2)
        painter.setPen(QColor("white"))
        painter.drawText(pill, int(Qt.AlignmentFlag.AlignCenter), label)
        painter.restore()
