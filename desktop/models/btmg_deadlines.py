"""Which BTMG drafts need attention first: each draft's Planning Year deadlines, most urgent
first. Shared by the Home screen, the reminders and `registry-desk btmg list`.

It takes the drafts list's rows as they are (anything with the fields of `DraftLike`), so the
Home screen can show it from the sqlite3 list read without loading the BTMG commands.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from desktop.errors import InputError
from desktop.models.btmg import Enrollment, enrollment_of
from desktop.models.planning import NOTIFY_WITHIN_DAYS, Countdown, DeadlineStatus, deadline_status

# A draft in one of these states is in MECT already: no reminders, listed last.
DONE_STATUSES = frozenset({"Submitted", "Pending review", "Approved", "Rejected"})


class DraftLike(Protocol):
    """The fields of a stored draft this module reads (desktop.store's DraftRow has them)."""

    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def issue_count(self) -> int: ...
    @property
    def issue_summary(self) -> str: ...
    @property
    def checked(self) -> bool: ...
    @property
    def payload(self) -> Mapping[str, Any]: ...


@dataclass(frozen=True, slots=True)
class DraftDeadline:
    row: DraftLike
    enrollment: Enrollment
    deadlines: DeadlineStatus

    @property
    def done(self) -> bool:
        return self.row.status in DONE_STATUSES

    @property
    def complete(self) -> bool:
        return self.row.checked and self.row.issue_count == 0

    @property
    def reminder(self) -> Countdown | None:
        """An open deadline within 14 days of an incomplete, unsubmitted draft."""
        if self.done or self.complete:
            return None
        return self.deadlines.within(NOTIFY_WITHIN_DAYS)


def by_urgency(rows: Iterable[DraftLike], on: date) -> list[DraftDeadline]:
    """The BTMG drafts most urgent first: late, then nearest deadline; submitted ones last."""
    out = []
    for row in rows:
        try:
            enrollment = enrollment_of(row.payload, on, name=row.name)
        except InputError:
            continue  # a damaged payload is reported when the draft is opened, not here
        out.append(DraftDeadline(row, enrollment, deadline_status(enrollment.year, on)))
    out.sort(key=lambda d: (d.done, d.deadlines.urgency_days, d.row.name.casefold()))
    return out
