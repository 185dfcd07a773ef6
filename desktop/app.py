"""Builds the application: Qt, the crash handler, the store (with recovery), the main window."""

from __future__ import annotations

import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from desktop import __version__, messages
from desktop.config import Paths, Settings, default_data_dir
from desktop.errors import KnownError, StoreLockedError
from desktop.models import reference
from desktop.store import Store, StoreDamagedError, open_store
from desktop.store.files import folder_read_only, restore_backup
from desktop.store.filesystem import network_warning
from desktop.store.lock import WINDOW
from desktop.views.areas import build_window_parts
from desktop.views.icons import app_icon
from desktop.views.main_window import MainWindow
from desktop.views.theme import apply_theme

_in_crash = False


def install_crash_handler(crash_dir: Path) -> None:
    """Unexpected exceptions anywhere (slots, threads) end in the crash dialog, once."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        global _in_crash  # noqa: PLW0603 - guards against a crash inside the crash dialog
        if isinstance(exc, KeyboardInterrupt):
            QApplication.quit()
            return
        if isinstance(exc, KnownError):
            messages.error(str(exc))
            return
        text = "".join(traceback.format_exception(kind, exc, tb))
        if _in_crash:
            if sys.stderr is not None:  # None in a windowed Windows build
                sys.stderr.write(text)
            return
        _in_crash = True
        try:
            from desktop.views.crash_dialog import show_crash  # noqa: PLC0415 - rarely needed

            show_crash(f"{kind.__name__}: {exc}", text, crash_dir)
        finally:
            _in_crash = False

    sys.excepthook = hook
    threading.excepthook = lambda a: hook(a.exc_type, a.exc_value or a.exc_type(), a.exc_traceback)


def _apply_restore_request(paths: Paths) -> None:
    request = paths.restore_request
    if request.is_file():
        backup = Path(request.read_text(encoding="utf-8").strip())
        request.unlink()
        restore_backup(backup, paths.store)
        messages.notice(f"Restored the drafts from the backup {backup.name}.")


def open_store_interactively(data_dir: Path) -> Store | None:
    """Open the store, offering recovery or the newest backup when it is damaged, and for
    reading only when the data folder cannot be written. None: the user gave up."""
    paths = Paths(data_dir)
    if not folder_read_only(paths.root):
        paths.ensure()
        _apply_restore_request(paths)
    try:
        # The window also reads every stored record's content once: one rotten byte in a
        # unit is offered for recovery here rather than met later as an error.
        store = _open(data_dir, lock=not folder_read_only(paths.root))
    except StoreLockedError as exc:
        QMessageBox.critical(None, "Registry Desk is already open", str(exc))
        return None
    except StoreDamagedError as exc:
        from desktop.views.store_recovery import repair_damaged_store  # noqa: PLC0415 - rare

        try:
            repaired = repair_damaged_store(exc, data_dir)
        except KnownError as err:
            QMessageBox.critical(None, "Draft store damaged", str(err))
            return None
        if repaired is None:
            return None
        store = repaired
    except KnownError as exc:
        QMessageBox.critical(None, "Registry Desk", str(exc))
        return None
    if store.network_fs is not None:
        messages.warning(network_warning(data_dir, store.network_fs))
    if store.migration_backup is not None:
        messages.notice(
            f"The store was upgraded; a backup was made first: {store.migration_backup.name}"
        )
    return store


def _open(data_dir: Path, *, lock: bool) -> Store:
    """A read-only data folder is opened without the lock, for reading (see open_store)."""
    return open_store(data_dir, lock=lock, check_records=True, role=WINDOW)


def create_window(
    store: Store, settings: Settings, *, start_local_sandbox: bool = True
) -> MainWindow:
    parts = build_window_parts(store, settings, start_local_sandbox=start_local_sandbox)
    if store.read_only:
        settings.path = None  # nowhere to keep them: changed settings last this session only
    window = MainWindow(store, settings, parts.areas, parts.status_widgets, parts.hooks)
    if store.read_only:
        from desktop.views.read_only_banner import add_read_only_banner  # noqa: PLC0415 - rare

        add_read_only_banner(window, store.paths.root)
    return window


def style_application(app: QApplication) -> None:
    """Fusion everywhere (same look on every OS, follows the palette for dark mode)."""
    app.setStyle("Fusion")


def run_app(data_dir: Path | None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    style_application(app)
    app.setApplicationName("Registry Desk")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("RegistryDesk")
    app.setDesktopFileName("registry-desk")  # matches installers/linux/registry-desk.desktop
    app.setWindowIcon(app_icon())
    root = data_dir or default_data_dir()
    paths = Paths(root)
    install_crash_handler(paths.crash_reports)
    store = open_store_interactively(root)
    if store is None:
        return 1
    reference.set_user_dir(paths.root)
    settings = Settings.load(paths.settings)
    apply_theme(app, str(settings.get("ui.theme")))
    window = create_window(store, settings)
    # Quitting is one act (see MainWindow.closeEvent): the window ends the application after
    # closing the wizards, not when the last window happens to close; a session logging out
    # closes it the same way.
    app.setQuitOnLastWindowClosed(False)
    window.closed.connect(app.quit)
    app.commitDataRequest.connect(lambda _manager: window.close())
    # The first screen reads its drafts with sqlite3; SQLAlchemy loads once it is on screen.
    window.after_first_paint(store.load)
    window.show()
    try:
        return int(app.exec())
    finally:
        store.close(backup_keep=int(settings.get("backups.keep")))
