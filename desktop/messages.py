"""One bridge for what the user must be told: errors, warnings, notices and bugs.

Any layer above the domain reports through here; the main window installs a sink when it
exists. Until then messages are kept, so that a problem found during start-up (a damaged
settings file, a backup made before migrating) is shown once the window is up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Level = Literal["error", "warning", "notice", "bug"]


@dataclass(frozen=True, slots=True)
class Message:
    level: Level
    text: str
    details: str = ""
    exception: BaseException | None = None


Sink = Callable[[Message], None]
_sink: Sink | None = None
_pending: list[Message] = []


def install(sink: Sink | None) -> None:
    """Route messages to `sink` and deliver what was kept meanwhile."""
    global _sink  # noqa: PLW0603 - one process-wide bridge
    _sink = sink
    if sink is not None:
        kept = list(_pending)
        _pending.clear()
        for message in kept:
            sink(message)


def post(message: Message) -> None:
    if _sink is None:
        _pending.append(message)
    else:
        _sink(message)


def error(text: str, details: str = "") -> None:
    post(Message("error", text, details))


def warning(text: str, details: str = "") -> None:
    post(Message("warning", text, details))


def notice(text: str) -> None:
    post(Message("notice", text))


def bug(exc: BaseException, traceback_text: str) -> None:
    post(Message("bug", f"{type(exc).__name__}: {exc}", traceback_text, exc))


def pending() -> list[Message]:
    return list(_pending)
