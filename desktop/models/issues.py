"""What every rule returns: a located problem with a severity.

A rule never raises for bad user data; it returns issues so that a form, a grid, a file
preview and the command line can all show the same sentence at the same place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """ERROR blocks submission; WARNING is shown but does not; INFO explains a conversion."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Issue:
    """A problem with one field of one record.

    `field` is the declared field key (or "" for the record as a whole); `row` is the 0-based
    index of the record in a list (a unit in a group, a row in a file) or None.
    `file` and `column` locate issues found while reading files.
    """

    field: str
    severity: Severity
    message: str
    row: int | None = None
    file: str | None = None
    column: str | None = None
    page: str | None = None

    @property
    def blocking(self) -> bool:
        return self.severity is Severity.ERROR

    def located(self) -> str:
        """The issue as one line: where it is, then what is wrong."""
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.row is not None:
            parts.append(f"row {self.row + 1}" if self.file is None else f"line {self.row + 1}")
        if self.column:
            parts.append(f"column {self.column}")
        elif self.field:
            parts.append(self.field)
        where = ", ".join(parts)
        return f"{where}: {self.message}" if where else self.message

    def to_json(self) -> dict[str, object]:
        return {
            "field": self.field,
            "severity": self.severity.value,
            "message": self.message,
            "row": self.row,
            "file": self.file,
            "column": self.column,
            "page": self.page,
        }


def error(field: str, message: str, **where: object) -> Issue:
    return Issue(field, Severity.ERROR, message, **where)  # type: ignore[arg-type]


def warning(field: str, message: str, **where: object) -> Issue:
    return Issue(field, Severity.WARNING, message, **where)  # type: ignore[arg-type]


def info(field: str, message: str, **where: object) -> Issue:
    return Issue(field, Severity.INFO, message, **where)  # type: ignore[arg-type]


def blocking(issues: Iterable[Issue]) -> list[Issue]:
    return [i for i in issues if i.blocking]


def summary(issues: Iterable[Issue]) -> str:
    """'No issues', '1 issue', '3 issues (1 warning)': the completeness column of draft lists."""
    items = list(issues)
    errors = sum(1 for i in items if i.severity is Severity.ERROR)
    warnings = sum(1 for i in items if i.severity is Severity.WARNING)
    if not errors and not warnings:
        return "No issues"
    text = f"{errors} issue{'s' if errors != 1 else ''}" if errors else ""
    if warnings:
        w = f"{warnings} warning{'s' if warnings != 1 else ''}"
        text = f"{text} ({w})" if text else w
    return text
