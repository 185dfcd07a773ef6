"""What an outbox item's state means to a user: one function every view and command uses.

`item_state` turns an item (and, for a DGG, the draft's stored registry status) into the words
the drafts list, the wizard, Home, the Outbox and `sync status` show: Queued, Sending n/N,
Paused, Sent, Pending review, Failed (why), Rejected, Cancelled. `partial_state` says what a
stopped submission left in the registry, and `time_left` estimates the rest from the rate limit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from desktop.store import Store
from desktop.store.outbox import (
    ACCEPTED,
    FAILED,
    INTERRUPTED,
    PAUSED,
    QUEUED,
    REJECTED,
    SENDING,
    ItemRow,
    Outbox,
)
from desktop.sync.ratelimit import DEFAULT_LIMIT, Limit

# What a draft's stored status says once the registry has it; before that the outbox decides.
REGISTRY_DRAFT_STATUSES = ("Submitted", "Pending review", "Approved", "Rejected")


@dataclass(frozen=True, slots=True)
class ItemState:
    label: str  # short: a table cell, the status bar ("Sending 44/150")
    detail: str  # a sentence for a tooltip or the details pane ("" when the label says it all)
    active: bool  # still going or waiting to go (queued, sending, paused)
    needs_attention: bool  # stopped and will not go on without the user


def _why(message: str) -> str:
    first = message.strip().split(". ")[0].rstrip(".")
    return first[:80] + ("…" if len(first) > 80 else "")


def item_state(item: ItemRow, *, draft_status: str | None = None) -> ItemState:
    """The one derivation of an item's status text (see the module docstring)."""
    n, total = item.done, item.total
    if item.status == QUEUED:
        more = f" ({n} of {total} already sent)" if n else ""
        return ItemState("Queued", f"Waiting to be sent{more}.", True, False)
    if item.status == SENDING:
        return ItemState(f"Sending {n}/{total}", "", True, False)
    if item.status == PAUSED:
        return ItemState(
            "Paused", f"{n} of {total} records sent; Resume sends the rest.", True, False
        )
    if item.status == ACCEPTED:
        if draft_status in REGISTRY_DRAFT_STATUSES and draft_status != "Submitted":
            return ItemState(draft_status, item.message, False, False)
        if "pending the registry's review" in item.message:
            return ItemState("Pending review", item.message, False, False)
        return ItemState("Sent", item.message, False, False)
    if item.status == REJECTED:
        return ItemState("Rejected", item.message, False, True)
    if item.status == FAILED:
        return ItemState(f"Failed ({_why(item.message)})", item.message, False, True)
    if item.status == INTERRUPTED and item.in_flight is None:
        return ItemState("Cancelled", item.message, False, True)
    if item.status == INTERRUPTED:
        return ItemState("Interrupted", item.message, False, True)
    return ItemState(item.status.capitalize(), item.message, False, False)


def draft_status(stored: str, item: ItemRow | None) -> str:
    """The status a draft shows: its outbox item's state while the outbox has it, else the
    status stored with the draft (which the registry's answers and `sync pull` keep current)."""
    if item is None:
        return stored
    if item.status == ACCEPTED:
        return stored if stored in REGISTRY_DRAFT_STATUSES else item_state(item).label
    return item_state(item, draft_status=stored).label


def draft_statuses(store: Store, stored: Mapping[int, str]) -> dict[int, str]:
    """The status each draft shows (draft id → text), from its latest outbox item."""
    found = getattr(store, "outbox", None)
    repo = found if isinstance(found, Outbox) else Outbox(store.engine)
    latest: dict[int, ItemRow] = {}
    for item in repo.list():  # oldest first: the last one per draft wins
        if item.draft_id is not None and item.kind == "dgg" and item.draft_id in stored:
            latest[item.draft_id] = item
    return {d: draft_status(stored[d], latest.get(d)) for d in stored}


def steps_left(items: Sequence[ItemRow]) -> int:
    """Records still to send of the items that are going (queued, sending or paused)."""
    return sum(i.total - i.done for i in items if i.status in (QUEUED, SENDING, PAUSED))


def time_left(steps_left: int, limit: Limit = DEFAULT_LIMIT) -> float:
    """Seconds the remaining records take at the registry's rate limit (one request each)."""
    return max(0, steps_left) * limit.seconds / limit.requests


def format_duration(seconds: float) -> str:
    """'about 8 min', 'about 40 s', 'under a second'."""
    if seconds < 1:
        return "under a second"
    if seconds < 90:
        return f"about {round(seconds)} s"
    minutes = round(seconds / 60)
    if minutes < 90:
        return f"about {minutes} min"
    return f"about {minutes // 60} h {minutes % 60:02d} min"


def _kind(step: Mapping[str, Any]) -> str:
    key = str(step["key"])
    return key.split(":", 1)[0]


_NOUNS = {
    "generator": ("the group", "the group"),
    "fuel": ("fuel", "fuels"),
    "unit": ("unit", "units"),
    "document": ("document", "documents"),
    "submit": ("the submission for review", "the submission for review"),
    "entry": ("generation entry", "generation entries"),
    "lines": ("batch of interval lines", "batches of interval lines"),
    "enqueue": ("entry to process", "entries to process"),
}


def _counted(counts: Mapping[str, int]) -> str:
    parts = []
    for kind, n in counts.items():
        one, many = _NOUNS.get(kind, (kind, kind + "s"))
        parts.append(one if one.startswith("the ") else f"{n} {one if n == 1 else many}")
    return ", ".join(parts)


def partial_state(
    plan: Sequence[Mapping[str, Any]], acked: Mapping[str, str], *, kind: str = "dgg"
) -> str:
    """What the registry holds of a stopped item and how to finish or remove it."""
    made: dict[str, int] = {}
    missing: dict[str, int] = {}
    for step in plan:
        if step["op"] == "existing":
            continue  # an update of a group the registry already had
        bucket = made if step["key"] in acked else missing
        bucket[_kind(step)] = bucket.get(_kind(step), 0) + 1
    if not made:
        return "Nothing was created in the registry. Retry sends it all; Delete is safe."
    generator = acked.get("generator")
    text = f"The registry holds {_counted(made)}"
    if kind == "dgg" and generator and "submit" not in made:
        text += f" (group {generator}, a draft the registry does not review yet)"
    text += "."
    if missing:
        text += f" Not sent: {_counted(missing)}."
        text += " Retry sends only what is missing"
        if kind == "dgg" and generator:
            text += f"; to remove it instead, delete draft generator {generator} in the registry"
        text += "."
    return text
