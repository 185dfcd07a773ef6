"""Background work: run a function on the thread pool, get its result back on the main thread.

The main thread only paints (architecture.md rule 4). A job reports progress by setting numbers
on its `Progress` token; a timer on the main thread reads them (Anki's approach), so a job that
processes a million rows does not flood the event loop with signals. Cancel is a flag that the
job checks between batches. Every running job is referenced from `_running`: an unreferenced
QRunnable lost its finished signal in 2 of 5 runs (engineering-notes.md).
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

from desktop.errors import KnownError


class Cancelled(Exception):  # noqa: N818 - reads as what happened, like KeyboardInterrupt
    """Raised inside a job when the user cancelled it."""


@dataclass
class Progress:
    """Shared between a job (writes) and the window (reads); plain attributes, no locking
    needed for ints and strings under the GIL."""

    done: int = 0
    total: int = 0
    text: str = ""
    _cancel: threading.Event = field(default_factory=threading.Event)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Call between batches: raises Cancelled when the user asked to stop."""
        if self._cancel.is_set():
            raise Cancelled()

    def update(self, done: int, total: int | None = None, text: str | None = None) -> None:
        self.done = done
        if total is not None:
            self.total = total
        if text is not None:
            self.text = text


class _Signals(QObject):
    finished = Signal(object)
    failed = Signal(object, str)  # the exception and its formatted traceback
    cancelled = Signal()


class Job(QRunnable):
    def __init__(self, fn: Callable[..., Any], args: tuple[Any, ...], progress: Progress) -> None:
        super().__init__()
        self.setAutoDelete(False)  # we own it through _running
        self.fn = fn
        self.args = args
        self.progress = progress
        self.signals = _Signals()

    @Slot()
    def run(self) -> None:
        args = (*self.args, self.progress) if self._wants_progress() else self.args
        try:
            try:
                result = self.fn(*args)
            except Cancelled:
                self.signals.cancelled.emit()
            except BaseException as exc:  # every failure must reach the main thread
                self.signals.failed.emit(exc, traceback.format_exc())
            else:
                self.signals.finished.emit(result)
        except RuntimeError:
            # The application is shutting down and Qt deleted the signal object: nobody is
            # left to tell. The job's own work (a store transaction) has already finished.
            pass

    def _wants_progress(self) -> bool:
        return bool(getattr(self.fn, "__wants_progress__", False))


def with_progress(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a job function that takes a trailing `progress: Progress` argument."""
    fn.__wants_progress__ = True  # type: ignore[attr-defined]
    return fn


_running: set[Job] = set()


def run(
    fn: Callable[..., Any],
    *args: Any,
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException, str], None] | None = None,
    on_cancel: Callable[[], None] | None = None,
    progress: Progress | None = None,
    pool: QThreadPool | None = None,
) -> Progress:
    """Start `fn(*args)` (plus `progress` when marked with @with_progress) off the main thread.

    Callbacks run on the main thread. Without `on_error`, a KnownError goes to the message
    bridge and anything else to the crash handler.
    """
    token = progress or Progress()
    job = Job(fn, args, token)
    _running.add(job)

    def _done(result: Any) -> None:
        _running.discard(job)
        if on_done:
            on_done(result)

    def _failed(exc: BaseException, tb: str) -> None:
        _running.discard(job)
        if on_error:
            on_error(exc, tb)
        else:
            from desktop import messages  # noqa: PLC0415 - avoids an import cycle

            if isinstance(exc, KnownError):
                messages.error(str(exc))
            else:
                messages.bug(exc, tb)

    def _cancelled() -> None:
        _running.discard(job)
        if on_cancel:
            on_cancel()

    job.signals.finished.connect(_done)
    job.signals.failed.connect(_failed)
    job.signals.cancelled.connect(_cancelled)
    (pool or QThreadPool.globalInstance()).start(job)
    return token


def running_count() -> int:
    return len(_running)


class ProgressPoller(QObject):
    """Reads a Progress token every `interval_ms` and emits what it saw."""

    changed = Signal(int, int, str)

    def __init__(self, progress: Progress, interval_ms: int = 100, parent: QObject | None = None):
        super().__init__(parent)
        self.progress = progress
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._poll)
        self._timer.start()

    def _poll(self) -> None:
        p = self.progress
        self.changed.emit(p.done, p.total, p.text)

    def stop(self) -> None:
        self._timer.stop()
