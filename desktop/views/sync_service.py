"""One object that runs sync work for the window: flush, pull, reachability, on the pool.

The outbox view, the online indicator and the submit panels share it (the main window makes
one). Work goes through desktop.tasks, so the main thread only paints; progress is a
`tasks.Progress` that the views poll. While the registry is reachable the service checks
every `check_ms`, flushes queued work when it comes back online, and pulls statuses every
`pull_ms`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from desktop import tasks
from desktop.config import Settings
from desktop.errors import AuthError, OfflineError
from desktop.store import Store
from desktop.store.outbox import ATTENTION_STATUSES, PAUSED, QUEUED
from desktop.sync import credentials, outbox, pull
from desktop.sync.connection import (
    LOCAL,
    Reachability,
    check_reachable,
    client_for,
    target_named,
)
from desktop.sync.local_sandbox import LocalSandbox, ensure_running
from desktop.sync.registry_state import Answer, RegistryState


@tasks.with_progress
def _flush(store: Store, settings: Settings, progress: tasks.Progress) -> list[outbox.SendResult]:
    client = client_for(settings)
    try:
        return outbox.Sender(store, client).flush(progress)
    finally:
        client.close()


@tasks.with_progress
def _pull(store: Store, settings: Settings, progress: tasks.Progress) -> pull.PullResult:
    client = client_for(settings)
    try:
        return pull.pull(store, client, progress)
    finally:
        client.close()


class SyncService(QObject):
    changed = Signal()  # the outbox or a draft's registry status changed
    online_changed = Signal(bool)
    busy_changed = Signal(bool)
    key_needed = Signal(str)  # the registry refused the key, or there is none: the reason
    message = Signal(str)  # a sentence for the status bar
    target_changed = Signal()  # another registry, address or key: what was known is stale
    state_changed = Signal()  # the registry state (key, last answer, outbox) changed

    def __init__(
        self,
        store: Store,
        settings: Settings,
        parent: QObject | None = None,
        *,
        check_ms: int = 30_000,
        pull_ms: int = 300_000,
        auto: bool = True,
        start_local: bool = False,
    ) -> None:
        """`start_local`: start the practice registry when the target is the local sandbox
        (the window does; tests and tools bring their own sandbox)."""
        super().__init__(parent)
        self.store = store
        self.settings = settings
        self.online: bool | None = None
        self.progress: tasks.Progress | None = None  # the running flush or pull
        self.last_reachability: Reachability | None = None
        self.answer: Answer | None = None  # what the current target last said
        self._key_present = self._has_key()
        self._sent_seen = 0
        self._flushing = False
        self._checking = False
        self._busy_timer = QTimer(self)  # while sending: each acknowledged record is an answer
        self._busy_timer.setInterval(1000)
        self._busy_timer.timeout.connect(self._progress_tick)
        self._quitting = False
        self._check_timer = QTimer(self)
        self._check_timer.setInterval(check_ms)
        self._check_timer.timeout.connect(self.check_online)
        self._pull_timer = QTimer(self)
        self._pull_timer.setInterval(pull_ms)
        self._pull_timer.timeout.connect(self._periodic_pull)
        outbox.recover(store)  # items a crash left `sending` (no network needed)
        self.local: LocalSandbox | None = None
        self._start_local = start_local
        if auto:
            self._check_timer.start()
            self._pull_timer.start()
        if auto and not start_local:
            QTimer.singleShot(0, self.check_online)
        elif auto:
            self.ensure_local()

    def _local_started(self, local: LocalSandbox | None) -> None:
        if local is not None and local.process is None and self.local is not None:
            local.process, self.local.process = self.local.process, None  # still ours to stop
        self.local = local
        if self._quitting and local is not None:  # it came up while the window was closing
            local.stop()
            return
        if local is not None and local.process is not None:
            self.message.emit(f"Started the local practice registry at {local.url}.")
            app = QCoreApplication.instance()
            if app is not None:
                app.aboutToQuit.connect(local.stop)
        if local is not None:
            from desktop import messages  # noqa: PLC0415 - the window's message bridge

            for notice in local.notices:
                messages.notice(notice)
                self.message.emit(notice)
        self._key_present = self._has_key()
        self.target_changed.emit()
        self.check_online()

    def ensure_local(self) -> None:
        """Start this data folder's practice registry (or make its key again) off the main
        thread; the window does this at start and when the local sandbox refuses the key."""
        tasks.run(
            ensure_running,
            self.store.paths.root,
            self.settings,
            on_done=self._local_started,
            on_error=self._local_failed,
        )

    def _local_failed(self, exc: BaseException, _tb: str) -> None:
        self.message.emit(f"The local practice registry could not start: {exc}")
        self.check_online()

    @property
    def busy(self) -> bool:
        return self.progress is not None

    # --- the one registry state -----------------------------------------------------------------

    def _has_key(self) -> bool:
        try:
            return credentials.get_key(target_named(self.settings).name) is not None
        except Exception:
            return False  # an unusable target: the indicator asks for the settings

    def state(self) -> RegistryState:
        counts = outbox.repository(self.store).counts()
        p = self.progress
        if p is not None and p.done > self._sent_seen:  # a record acknowledged is an answer
            self._sent_seen = p.done
            self.answer = Answer(True, True, "Records are being acknowledged.")
        sending = ""
        if p is not None and self._flushing and p.total:
            sending = f"{p.done}/{p.total}"
        elif p is not None and self._flushing:
            sending = "…"
        return RegistryState(
            target=self.target_name(),
            key_present=self._key_present,
            answer=self.answer,
            queued=counts[QUEUED],
            sending=sending,
            paused=counts[PAUSED],
            attention=sum(counts[s] for s in ATTENTION_STATUSES),
        )

    def _answered(self, answer: Answer) -> None:
        self.answer = answer
        self.state_changed.emit()

    def note_answer(self, result: Reachability) -> None:
        """A Test connection's result is an answer like any other."""
        self._key_present = self._has_key()
        self._reachability(result)

    def key_changed(self) -> None:
        self._key_present = self._has_key()
        self.answer = None
        self.state_changed.emit()
        self.check_online()

    def target_switched(self) -> None:
        """Another target or address: what the previous one said no longer holds."""
        self._key_present = self._has_key()
        self.answer = None
        self.state_changed.emit()
        if self._start_local and self.target_name() == LOCAL:
            self.ensure_local()
        else:
            self.check_online()

    def _progress_tick(self) -> None:
        self.state_changed.emit()  # the views read state(), which takes in the progress

    def target_name(self) -> str:
        try:
            return target_named(self.settings).name
        except Exception:
            return str(self.settings.get("registry.target"))

    def queued_count(self) -> int:
        return outbox.repository(self.store).counts()[QUEUED]

    # --- reachability ------------------------------------------------------------------------

    def check_online(self) -> None:
        if self._checking:
            return
        self._checking = True
        tasks.run(
            check_reachable,
            self.settings,
            on_done=self._reachability,
            on_error=lambda exc, tb: self._reachability(Reachability(False, None, str(exc))),
        )

    def _reachability(self, result: Reachability) -> None:
        self._checking = False
        self.last_reachability = result
        self._answered(Answer(result.online, result.key_ok, result.message))
        was = self.online
        self.online = result.online
        if was is not result.online:
            self.online_changed.emit(result.online)
        if result.key_ok is False:
            self.key_needed.emit(result.message)
        if result.online and result.key_ok and not self.busy and self.queued_count():
            self.flush()  # back online: queued work goes out

    # --- work ----------------------------------------------------------------------------------

    def _start(self, fn: Any, on_done: Any) -> tasks.Progress | None:
        if self.busy:
            return None
        self.progress = tasks.Progress()
        self._flushing = fn is _flush
        self._sent_seen = 0
        self._busy_timer.start()
        self.busy_changed.emit(True)
        tasks.run(
            fn,
            self.store,
            self.settings,
            progress=self.progress,
            on_done=on_done,
            on_error=self._failed,
            on_cancel=self._cancelled,
        )
        return self.progress

    def flush(self) -> tasks.Progress | None:
        """Send everything queued; None when a flush or pull is already running."""
        return self._start(_flush, self._flushed)

    def pull_now(self) -> tasks.Progress | None:
        return self._start(_pull, self._pulled)

    def cancel(self) -> None:
        if self.progress is not None:
            self.progress.cancel()

    def pause_for_quit(self) -> bool:
        """The application is quitting: no new work; a running flush stops after the record
        being sent (the rest stays queued). True when work was in flight."""
        self._quitting = True
        self._check_timer.stop()
        self._pull_timer.stop()
        self.cancel()
        return self.busy

    def _finish(self) -> None:
        self.progress = None
        self._busy_timer.stop()
        self.busy_changed.emit(False)
        self.changed.emit()
        self.state_changed.emit()

    def _flushed(self, results: list[outbox.SendResult]) -> None:
        self._finish()
        if results:
            sent = sum(1 for r in results if r.status == "accepted")
            self.message.emit(f"Outbox: {sent} of {len(results)} items accepted by the registry.")
        self._answered(Answer(True, True))
        self._set_online(True)

    def _pulled(self, result: pull.PullResult) -> None:
        self._finish()
        notes = [f"{len(result.changes)} status changes"] if result.changes else []
        if result.differences:
            notes.append(f"{len(result.differences)} records changed in the registry")
        self.message.emit("Registry statuses: " + (", ".join(notes) or "no change") + ".")
        self._answered(Answer(True, True))
        self._set_online(True)

    def _cancelled(self) -> None:
        self._finish()

    def _failed(self, exc: BaseException, tb: str) -> None:
        self._finish()
        if isinstance(exc, OfflineError):
            self._answered(Answer(False, None, str(exc)))
            self._set_online(False)
            self.message.emit(str(exc))
        elif isinstance(exc, AuthError):
            if self._start_local and self.target_name() == LOCAL:
                self.ensure_local()  # the practice registry's key is ours to make again
                return
            self._key_present = self._has_key()
            self._answered(Answer(True, False, str(exc)))
            self.key_needed.emit(str(exc))
            self.message.emit(str(exc))
        else:
            from desktop import messages  # noqa: PLC0415 - the window's message bridge

            if hasattr(exc, "message"):
                messages.error(str(exc))
            else:
                messages.bug(exc, tb)

    def _set_online(self, online: bool) -> None:
        if self.online is not online:
            self.online = online
            self.online_changed.emit(online)

    def _periodic_pull(self) -> None:
        if self.online and not self.busy:
            self.pull_now()
