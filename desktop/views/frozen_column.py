"""A frozen first column for a table view: a second view over the table's left edge shows the
column (the units' names) while the rest scrolls sideways under it. Both share the model and
the selection; scrolling, sorting and column width follow the table (Qt's "frozen column"
example)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView


class FrozenColumn(QTableView):
    def __init__(self, table: QTableView, column: int = 0) -> None:
        super().__init__(table)
        self.table = table
        self.column = column
        self.setObjectName(f"{table.objectName()}_frozen")
        self.setAccessibleName(f"{table.accessibleName()}: first column (does not scroll)")
        self.setModel(table.model())
        self.setSelectionModel(table.selectionModel())
        self.setItemDelegate(table.itemDelegate())
        self.setSelectionMode(table.selectionMode())
        self.setSelectionBehavior(table.selectionBehavior())
        self.setEditTriggers(table.editTriggers())
        self.setWordWrap(False)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard stays on the table
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(table.verticalHeader().defaultSectionSize())
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(table.verticalScrollMode())
        self.setStyleSheet("QTableView { border: none; border-right: 2px solid palette(mid); }")
        model = table.model()
        for c in range(model.columnCount()):
            self.setColumnHidden(c, c != column)
        self.setColumnWidth(column, table.columnWidth(column))
        table.viewport().stackUnder(self)
        # Sorting by the frozen header sorts the table (and shows its indicator there).
        self.horizontalHeader().setSortIndicatorShown(True)
        self.horizontalHeader().sectionClicked.connect(self._sort)
        table.horizontalHeader().sortIndicatorChanged.connect(
            lambda section, order: self.horizontalHeader().setSortIndicator(section, order)
        )
        table.horizontalHeader().sectionResized.connect(self._resized)
        table.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        self.verticalScrollBar().valueChanged.connect(table.verticalScrollBar().setValue)
        table.installEventFilter(self)
        self.show()
        self.update_geometry()

    def _sort(self, section: int) -> None:
        header = self.table.horizontalHeader()
        same = header.sortIndicatorSection() == section
        ascending = header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
        order = Qt.SortOrder.DescendingOrder if same and ascending else Qt.SortOrder.AscendingOrder
        self.table.sortByColumn(section, order)

    def _resized(self, index: int, _old: int, new: int) -> None:
        if index == self.column:
            self.setColumnWidth(index, new)
            self.update_geometry()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.update_geometry()
        return False

    def update_geometry(self) -> None:
        t = self.table
        self.setGeometry(
            t.verticalHeader().width() + t.frameWidth(),
            t.frameWidth(),
            t.columnWidth(self.column),
            t.viewport().height() + t.horizontalHeader().height(),
        )

    def hides(self, index: QModelIndex) -> bool:
        """Whether a table cell lies under the frozen column (then it is shown scrolled)."""
        return index.column() != self.column and (
            self.table.visualRect(index).left() < self.table.columnWidth(self.column)
        )


def keep_clear_of(table: QAbstractItemView, frozen: FrozenColumn, index: QModelIndex) -> None:
    """Scroll the table sideways so that `index` is not hidden under the frozen column."""
    if index.isValid() and frozen.hides(index):
        bar = table.horizontalScrollBar()
        bar.setValue(bar.value() + table.visualRect(index).left() - frozen.width())
