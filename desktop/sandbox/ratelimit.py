"""Per-key rate limit: N requests in any window of S seconds (M-RETS: 10 per 5 s)."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RateLimit:
    requests: int
    seconds: float

    def __str__(self) -> str:
        return f"{self.requests}/{self.seconds:g}"


DEFAULT_RATE_LIMIT = RateLimit(10, 5.0)


def parse_rate_limit(text: str) -> RateLimit | None:
    """`10/5` -> 10 requests per 5 seconds; `off` -> no limit."""
    if text.strip().lower() in ("off", "none", "0"):
        return None
    try:
        count_text, seconds_text = text.split("/", 1)
        limit = RateLimit(int(count_text), float(seconds_text))
    except ValueError as exc:
        raise ValueError(f"rate limit {text!r} is not N/SECONDS (for example 10/5) or off") from exc
    if limit.requests < 1 or not 0 < limit.seconds <= 3600:
        raise ValueError(f"rate limit {text!r} needs N >= 1 and 0 < SECONDS <= 3600")
    return limit


class RateLimiter:
    """A sliding window per key; refused requests do not count against the key."""

    def __init__(self, limit: RateLimit, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, key: str) -> int | None:
        """Record a request; return None when allowed, else the seconds to wait (>= 1)."""
        now = self._clock()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.limit.seconds:
                hits.popleft()
            if len(hits) >= self.limit.requests:
                return max(1, math.ceil(hits[0] + self.limit.seconds - now))
            hits.append(now)
            return None

    def remaining(self, key: str) -> int:
        with self._lock:
            return max(0, self.limit.requests - len(self._hits.get(key, ())))
