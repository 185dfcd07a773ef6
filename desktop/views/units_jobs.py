"""Background work for the units grid: reading files, exporting, and the one-writer autosave.

`desktop/tasks.py` (the application's runner) was not on this branch when the grid was written,
so the grid runs its few jobs on a QThreadPool of its own. Results come back as queued signals
on the GUI thread. A reference to every running job is kept: an unreferenced job lost its
`finished` signal in 2 of 5 runs (engineering-notes.md).
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from desktop.errors import KnownError
from desktop.services.units import save_units


class JobSignals(QObject):
    done = Signal(object)
    failed = Signal(str)  # a user sentence for known errors; a traceback for bugs
    progress = Signal(float)


class Job(QRunnable):
    """fn(*args) on a pool thread; `cancel()` is seen by fn through `job.cancelled`."""

    def __init__(self, fn: Callable[..., Any], *args: Any) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn, self.args = fn, args
        self.signals = JobSignals()
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        try:
            result = self.fn(*self.args)
        except KnownError as exc:
            self.signals.failed.emit(str(exc))
        except Exception:  # a bug: hand the traceback to the GUI thread to show
            self.signals.failed.emit("Unexpected error:\n" + traceback.format_exc())
        else:
            self.signals.done.emit(result)


class JobRunner(QObject):
    """Runs jobs on a private pool and keeps them referenced until they have reported."""

    def __init__(self, threads: int = 1, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self._running: set[Job] = set()

    def start(
        self,
        job: Job,
        on_done: Callable[[Any], None] | None = None,
        on_failed: Callable[[str], None] | None = None,
    ) -> Job:
        self._running.add(job)
        if on_done is not None:
            job.signals.done.connect(on_done)
        if on_failed is not None:
            job.signals.failed.connect(on_failed)
        job.signals.done.connect(lambda _r: self._running.discard(job))
        job.signals.failed.connect(lambda _m: self._running.discard(job))
        self.pool.start(job)
        return job

    def wait(self) -> None:
        self.pool.waitForDone()


class UnitsSaver(QObject):
    """Autosave: one writer at a time; while a save runs, only the newest snapshot waits.

    Small groups are saved on the spot; from `threshold` units on, the write runs on a thread
    so the grid never stalls.
    """

    saved = Signal(int)
    failed = Signal(str)

    def __init__(self, store: Any, draft_id: int, threshold: int = 500, parent: Any = None):
        super().__init__(parent)
        self.store, self.draft_id, self.threshold = store, draft_id, threshold
        self.runner = JobRunner(1, self)
        self._busy = False
        self._pending: list[dict[str, Any]] | None = None

    def schedule(self, units: Sequence[dict[str, Any]]) -> None:
        snapshot = list(units)
        if self._busy:
            self._pending = snapshot
            return
        if len(snapshot) < self.threshold:
            try:
                self._write(snapshot)
            except KnownError as exc:
                self.failed.emit(str(exc))
            else:
                self.saved.emit(len(snapshot))
            return
        self._busy = True
        self.runner.start(Job(self._write, snapshot), self._finished, self._failed)

    def _write(self, units: Sequence[dict[str, Any]]) -> int:
        """One transaction: the units and the draft's issue summary move together."""
        return save_units(self.store, self.draft_id, units)

    def _finished(self, count: int) -> None:
        self._busy = False
        self.saved.emit(count)
        self._next()

    def _failed(self, message: str) -> None:
        self._busy = False
        self.failed.emit(message)
        self._next()

    def _next(self) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            self.schedule(pending)

    @property
    def busy(self) -> bool:
        return self._busy or self._pending is not None

    def flush(self) -> None:
        """Block until everything scheduled is written (closing the view, tests)."""
        self.runner.wait()
        if self._busy:  # the finished signal is queued; write what is pending ourselves
            self._busy = False
        if self._pending is not None:
            pending, self._pending = self._pending, None
            self._write(pending)
            self.saved.emit(len(pending))
