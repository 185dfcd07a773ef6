"""The registry indicator's one state: is there a key, what did the registry last answer, what
is in the outbox. The status bar, the Outbox's summary and tooltips all derive from it, so they
cannot disagree (a successful Test connection or a record sent clears "API key needed"; a change
of target forgets what the previous registry said).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Answer:
    """What the registry last said: online (it answered), key_ok (None: not asked)."""

    online: bool
    key_ok: bool | None
    message: str = ""
    at: float = field(default_factory=time.time)


@dataclass(frozen=True, slots=True)
class RegistryState:
    target: str
    key_present: bool
    answer: Answer | None  # None: nothing asked yet since the start or the last target change
    queued: int = 0
    sending: str = ""  # "" or the progress, e.g. "44/150"
    paused: int = 0
    attention: int = 0  # failed, refused or cancelled items

    @property
    def level(self) -> str:
        """'key', 'checking', 'offline' or 'online' (the dot's colour)."""
        if self.sending and self.answer is not None and self.answer.online:
            return "online"  # records are being acknowledged: whatever was said before
        if not self.key_present or (self.answer is not None and self.answer.key_ok is False):
            return "key"
        if self.answer is None:
            return "checking"
        return "online" if self.answer.online else "offline"

    @property
    def text(self) -> str:
        words = {
            "key": "API key needed",
            "checking": "checking…",
            "offline": "offline",
            "online": "online",
        }
        parts = [f"Registry: {words[self.level]}"]
        if self.sending:
            parts.append(f"sending {self.sending}")
        if self.queued:
            parts.append(f"{self.queued} queued")
        if self.paused:
            parts.append(f"{self.paused} paused")
        if self.attention:
            parts.append(f"{self.attention} need{'s' * (self.attention == 1)} attention")
        return " · ".join(parts)

    @property
    def tip(self) -> str:
        level = self.level
        if level == "key":
            reason = self.answer.message if self.answer and self.answer.key_ok is False else ""
            return reason or (
                f"No API key for the {self.target}: enter it in Settings → Registry connection."
            )
        if level == "checking":
            return f"Checking whether the {self.target} answers…"
        if level == "offline":
            return (
                (self.answer.message if self.answer else "")
                + " Queued work is sent automatically when the registry is reachable."
            ).strip()
        return f"Connected to the {self.target}."
