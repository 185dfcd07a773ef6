"""Undoable changes to the units grid: one QUndoCommand per user action.

A 10,000-cell paste, a fill down or an import is one command, so one Ctrl+Z takes it back.
Commands refer to units by uid, never by row: rows move when the user sorts or filters
between an edit and its undo.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtGui import QUndoCommand

from desktop.models.fields import ParseError
from desktop.models.units import new_unit
from desktop.views.units_table_model import FIELDS, UnitsTableModel

CellChange = tuple[str, str, Any, Any]  # (uid, key, old, new)


class EditCommand(QUndoCommand):
    """Set cells, optionally adding new units first (a paste past the last row)."""

    def __init__(
        self,
        model: UnitsTableModel,
        changes: Sequence[CellChange],
        *,
        added: Sequence[dict[str, Any]] = (),
        text: str = "Edit",
    ) -> None:
        super().__init__(text)
        self.model = model
        self.changes = list(changes)
        self.added = list(added)
        self.at_source = len(model.units)
        self.at_row = model.rowCount()

    def redo(self) -> None:
        with self.model.batch():
            if self.added:
                self.model.apply_insert(self.added, self.at_source, self.at_row)
            self.model.apply_values([(u, k, new) for u, k, _, new in self.changes])

    def undo(self) -> None:
        with self.model.batch():
            self.model.apply_values([(u, k, old) for u, k, old, _ in self.changes])
            if self.added:
                self.model.apply_remove(u["uid"] for u in self.added)


class InsertUnitsCommand(QUndoCommand):
    def __init__(
        self, model: UnitsTableModel, units: Sequence[dict[str, Any]], source: int, row: int
    ) -> None:
        n = len(units)
        super().__init__(f"Insert {n} unit{'s' if n != 1 else ''}")
        self.model, self.units, self.source, self.row = model, list(units), source, row

    def redo(self) -> None:
        self.model.apply_insert(self.units, self.source, self.row)

    def undo(self) -> None:
        self.model.apply_remove(u["uid"] for u in self.units)


class RemoveUnitsCommand(QUndoCommand):
    def __init__(self, model: UnitsTableModel, uids: Sequence[str]) -> None:
        n = len(uids)
        super().__init__(f"Delete {n} unit{'s' if n != 1 else ''}")
        self.model, self.uids = model, list(uids)
        self.removed: list[tuple[int, int, dict[str, Any]]] = []

    def redo(self) -> None:
        self.removed = self.model.apply_remove(self.uids)

    def undo(self) -> None:
        self.model.apply_restore(self.removed)


class ReplaceUnitsCommand(QUndoCommand):
    """An import: the whole set before and after."""

    def __init__(
        self, model: UnitsTableModel, units: Sequence[dict[str, Any]], text: str = "Import"
    ) -> None:
        super().__init__(text)
        self.model = model
        self.before = model.units
        self.after = list(units)

    def redo(self) -> None:
        self.model.apply_reset(self.after)

    def undo(self) -> None:
        self.model.apply_reset(self.before)


# --- Building commands from user actions --------------------------------------------------


@dataclass(slots=True)
class PasteOutcome:
    command: EditCommand | None
    refused: list[str] = field(default_factory=list)  # "row 5, COD: '13/45' is not a date"
    clipped_columns: int = 0
    cells: int = 0

    def describe(self, limit: int = 12) -> str:
        lines = []
        if self.refused:
            n = len(self.refused)
            lines.append(
                f"{n} cell{'s were' if n != 1 else ' was'} not pasted because the value "
                "cannot be read:"
            )
            lines += [f"  {r}" for r in self.refused[:limit]]
            if n > limit:
                lines.append(f"  … and {n - limit} more")
        if self.clipped_columns:
            lines.append(
                f"{self.clipped_columns} column{'s' if self.clipped_columns != 1 else ''} "
                "beyond the last column of the grid were left out."
            )
        return "\n".join(lines)


def paste(
    model: UnitsTableModel,
    top: int,
    left: int,
    block: Sequence[Sequence[str]],
    selection: Sequence[tuple[int, int]] = (),
) -> PasteOutcome:
    """Paste a block at (top, left); rows past the end become new units.

    A single copied value pasted over a selection of several cells fills them all, as in Excel.
    """
    if not block:
        return PasteOutcome(None)
    if len(block) == 1 and len(block[0]) == 1 and len(selection) > 1:
        targets = [(r, c, block[0][0]) for r, c in selection]
    else:
        targets = [
            (top + i, left + j, text)
            for i, line in enumerate(block)
            for j, text in enumerate(line)
            if left + j < len(FIELDS)
        ]
    width = max(len(line) for line in block)
    outcome = PasteOutcome(None, clipped_columns=max(0, left + width - len(FIELDS)))
    outcome.cells = len(targets)
    rows = model.rowCount()
    added: dict[int, dict[str, Any]] = {}
    changes: list[CellChange] = []
    for row, column, text in targets:
        spec = FIELDS[column]
        try:
            value = model.read_value(spec, text)
        except ParseError as exc:
            outcome.refused.append(f"row {model.row_label(row)}, {spec.label}: {exc}")
            continue
        if row >= rows:
            unit = added.get(row)
            if unit is None:
                unit = added[row] = new_unit()
            unit[spec.key] = value
            continue
        unit = model.unit_at(row)
        old = unit.get(spec.key)
        if old != value or type(old) is not type(value):
            changes.append((unit["uid"], spec.key, old, value))
    # Rows that only had unreadable cells still become units, so the block keeps its shape.
    for row in range(rows, max(added, default=rows - 1) + 1):
        added.setdefault(row, new_unit())
    new_units = [added[r] for r in sorted(added)]
    if changes or new_units:
        n = outcome.cells
        outcome.command = EditCommand(
            model, changes, added=new_units, text=f"Paste {n} cell{'s' if n != 1 else ''}"
        )
    return outcome


def clear(model: UnitsTableModel, cells: Sequence[tuple[int, int]]) -> EditCommand | None:
    changes: list[CellChange] = []
    for row, column in cells:
        unit = model.unit_at(row)
        key = FIELDS[column].key
        if unit.get(key) is not None:
            changes.append((unit["uid"], key, unit.get(key), None))
    if not changes:
        return None
    n = len(changes)
    return EditCommand(model, changes, text=f"Clear {n} cell{'s' if n != 1 else ''}")


def fill_down(model: UnitsTableModel, cells: Sequence[tuple[int, int]]) -> EditCommand | None:
    """Ctrl+D: in each selected column, the top cell's value goes to the cells below it.

    With one row selected, the value comes from the row above (as in Excel).
    """
    by_column: dict[int, list[int]] = defaultdict(list)
    for row, column in cells:
        by_column[column].append(row)
    changes: list[CellChange] = []
    for column, rows in by_column.items():
        rows.sort()
        key = FIELDS[column].key
        if len(rows) == 1:
            if rows[0] == 0:
                continue
            source, targets = rows[0] - 1, rows
        else:
            source, targets = rows[0], rows[1:]
        value = model.unit_at(source).get(key)
        for row in targets:
            unit = model.unit_at(row)
            old = unit.get(key)
            if old != value or type(old) is not type(value):
                changes.append((unit["uid"], key, old, value))
    if not changes:
        return None
    n = len(changes)
    return EditCommand(model, changes, text=f"Fill down {n} cell{'s' if n != 1 else ''}")


def insert_units(model: UnitsTableModel, row: int, count: int) -> InsertUnitsCommand:
    """New empty units above view `row` (at the end when row is past the last)."""
    row = min(max(row, 0), model.rowCount())
    source = model.source_index(row) if row < model.rowCount() else len(model.units)
    return InsertUnitsCommand(model, [new_unit() for _ in range(max(count, 1))], source, row)


def remove_units(model: UnitsTableModel, rows: Sequence[int]) -> RemoveUnitsCommand | None:
    uids = [model.unit_at(r)["uid"] for r in sorted(set(rows))]
    return RemoveUnitsCommand(model, uids) if uids else None
