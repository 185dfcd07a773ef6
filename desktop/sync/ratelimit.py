"""Stay under the registry's rate limit (10 requests per 5 s per key) instead of hitting 429.

A token bucket whose tokens come back one window after they were *used*: the bucket holds
`requests` tokens; a request takes one before it is sent and, when its answer has arrived,
the token is dated with that moment and returns `seconds` later. The registry counts a request
when it arrives, which is always before the answer is back, so the requests it sees in any
window of `seconds` never exceed `requests` — whatever the latency, the retries or the number of
threads sharing the key. (A classic bucket that refills at requests/seconds lets through
`requests` + 1 in the first window, which a sliding-window server refuses.)

Steady state loses only one round trip per window: at a 5 s window and ~3 ms per request that is
above 99.9 % of the published rate.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limit:
    requests: int
    seconds: float

    def __str__(self) -> str:
        return f"{self.requests}/{self.seconds:g}"


DEFAULT_LIMIT = Limit(10, 5.0)  # reference.md §4.1


class RateLimiter:
    def __init__(
        self,
        limit: Limit = DEFAULT_LIMIT,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        if limit.requests < 1 or limit.seconds <= 0:
            raise ValueError("a rate limit needs requests >= 1 and seconds > 0")
        self.limit = limit
        self._clock = clock
        self._cond = threading.Condition()
        self._sleep = sleep
        self._returned_at: list[float] = []  # when each spent token comes back
        self._in_flight = 0
        self._blocked_until = 0.0

    def _free_tokens(self, now: float) -> int:
        self._returned_at = [t for t in self._returned_at if t > now]
        return self.limit.requests - len(self._returned_at) - self._in_flight

    def delay(self) -> float:
        """Seconds until a token is free (0: now). For tests and progress texts."""
        with self._cond:
            return self._delay_locked(self._clock())

    def _delay_locked(self, now: float) -> float:
        wait = max(0.0, self._blocked_until - now)
        if self._free_tokens(now) > 0:
            return wait
        if not self._returned_at:  # every token is on a request still in flight
            return max(wait, 0.01)
        return max(wait, min(self._returned_at) - now)

    def acquire(self, check: Callable[[], None] | None = None) -> Token:
        """Wait for a token. `check` is called while waiting; it raises to cancel."""
        with self._cond:
            while True:
                if check is not None:
                    check()
                now = self._clock()
                wait = self._delay_locked(now)
                if wait <= 0:
                    self._in_flight += 1
                    return Token(self)
                step = min(wait, 0.25) if check is not None else wait
                if self._sleep is not None:  # a fake clock in tests
                    self._cond.release()
                    try:
                        self._sleep(step)
                    finally:
                        self._cond.acquire()
                else:
                    self._cond.wait(step)

    def _release(self) -> None:
        with self._cond:
            self._in_flight -= 1
            self._returned_at.append(self._clock() + self.limit.seconds)
            self._cond.notify_all()

    def block(self, seconds: float) -> None:
        """The registry said 429 with Retry-After: nobody on this key sends before then."""
        with self._cond:
            self._blocked_until = max(self._blocked_until, self._clock() + seconds)


class Token:
    """One request's permission; `done()` (or leaving the `with`) when its answer is in."""

    def __init__(self, limiter: RateLimiter) -> None:
        self._limiter = limiter
        self._done = False

    def done(self) -> None:
        if not self._done:
            self._done = True
            self._limiter._release()

    def __enter__(self) -> Token:
        return self

    def __exit__(self, *exc: object) -> None:
        self.done()


_shared: dict[tuple[str, str], RateLimiter] = {}
_shared_lock = threading.Lock()


def limiter_for(base_url: str, key_fingerprint: str, limit: Limit = DEFAULT_LIMIT) -> RateLimiter:
    """One limiter per registry and key in this process: every thread and client shares it."""
    with _shared_lock:
        found = _shared.get((base_url, key_fingerprint))
        if found is None or found.limit != limit:
            found = RateLimiter(limit)
            _shared[(base_url, key_fingerprint)] = found
        return found
