"""The client's rate limiter against a fake clock: never more than the limit in any window."""

from __future__ import annotations

import random
import threading

import pytest

from desktop.sync.ratelimit import Limit, RateLimiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def max_in_window(arrivals: list[float], seconds: float) -> int:
    """The most requests a sliding-window server would count in any window."""
    best = 0
    for i, start in enumerate(arrivals):
        n = sum(1 for t in arrivals[i:] if t - start < seconds)
        best = max(best, n)
    return best


@pytest.mark.parametrize("seed", range(5))
def test_never_more_than_the_limit_in_any_window_whatever_the_latency(seed: int) -> None:
    rng = random.Random(seed)
    clock = FakeClock()
    limiter = RateLimiter(Limit(10, 5.0), clock=clock, sleep=clock.sleep)
    arrivals: list[float] = []
    for _ in range(200):
        token = limiter.acquire()
        clock.now += rng.uniform(0, 0.05)  # request travels to the server
        arrivals.append(clock.now)  # the server counts it here
        clock.now += rng.uniform(0, 0.4)  # the answer comes back
        token.done()
    assert max_in_window(arrivals, 5.0) <= 10
    # and it is not timid: 200 requests at 10 per 5 s need a little under 100 s
    assert arrivals[-1] < 100 + 200 * 0.45 / 10 + 1


def test_steady_state_rate_is_the_published_rate() -> None:
    clock = FakeClock()
    limiter = RateLimiter(Limit(10, 5.0), clock=clock, sleep=clock.sleep)
    for _ in range(100):
        with limiter.acquire():
            clock.now += 0.003
    # 100 requests: 10 windows of 5 s minus the last one, plus the round trips
    assert 45.0 <= clock.now <= 45.5


def test_a_classic_token_bucket_would_break_the_window() -> None:
    """Why tokens return one window after use: a bucket refilling at 2/s lets 11 through."""
    arrivals = [0.0] * 10 + [0.5]  # full bucket at t=0, one token refilled by t=0.5
    assert max_in_window(arrivals, 5.0) == 11


def test_429_blocks_every_user_of_the_key_for_retry_after() -> None:
    clock = FakeClock()
    limiter = RateLimiter(Limit(10, 5.0), clock=clock, sleep=clock.sleep)
    limiter.block(3.0)
    assert limiter.delay() == pytest.approx(3.0)
    limiter.acquire().done()
    assert clock.now == pytest.approx(3.0)


def test_waiting_can_be_cancelled() -> None:
    clock = FakeClock()
    limiter = RateLimiter(Limit(1, 60.0), clock=clock, sleep=clock.sleep)
    limiter.acquire().done()
    calls = 0

    class StopError(Exception):
        pass

    def check() -> None:
        nonlocal calls
        calls += 1
        if calls > 3:
            raise StopError()

    with pytest.raises(StopError):
        limiter.acquire(check)
    assert clock.now < 60


def test_in_flight_tokens_count_until_their_answer_is_back() -> None:
    clock = FakeClock()
    limiter = RateLimiter(Limit(2, 1.0), clock=clock, sleep=clock.sleep)
    a = limiter.acquire()
    b = limiter.acquire()
    assert limiter.delay() > 0  # both tokens are out on requests
    clock.now += 10  # long requests: still no token until they finish
    assert limiter.delay() > 0
    a.done()
    b.done()
    assert limiter.delay() == pytest.approx(1.0)


def test_threads_share_one_limit() -> None:
    limiter = RateLimiter(Limit(5, 0.5))
    stamps: list[float] = []
    lock = threading.Lock()
    import time

    def work() -> None:
        for _ in range(4):
            with limiter.acquire(), lock:
                stamps.append(time.monotonic())

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stamps.sort()
    assert len(stamps) == 16
    assert max_in_window(stamps, 0.5) <= 5


def test_bad_limits_are_refused() -> None:
    with pytest.raises(ValueError):
        RateLimiter(Limit(0, 5))
