"""The main window and its drafts lists, driven as a user would."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QPushButton

from desktop import messages, tasks
from desktop.config import Paths, Settings
from desktop.store import Store
from desktop.views.crash_dialog import CrashDialog, build_report
from desktop.views.drafts_list_view import DraftsListView
from desktop.views.main_window import MainWindow
from desktop.views.settings_view import SettingsView
from tests.conftest import activate

pytestmark = pytest.mark.gui


def make_list(qtbot, store: Store, opened: list[str]) -> DraftsListView:  # type: ignore[no-untyped-def]
    view = DraftsListView(store, "dgg", "Groups", "Explanation", lambda r: opened.append(r.name))
    qtbot.addWidget(view)
    activate(qtbot, view)
    return view


def test_new_draft_asks_a_name_creates_and_opens(qtbot, store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    opened: list[str] = []
    view = make_list(qtbot, store, opened)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Olson Solar", True))
    qtbot.mouseClick(view.new_button, Qt.MouseButton.LeftButton)
    assert opened == ["Olson Solar"]
    assert view.model.rowCount() == 1
    assert view.selected() is not None and view.selected().name == "Olson Solar"


def test_duplicate_delete_and_restore(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    store.drafts.create("dgg", "A")
    view = make_list(qtbot, store, [])
    view.table.selectRow(0)
    qtbot.mouseClick(view.dup_button, Qt.MouseButton.LeftButton)
    assert sorted(r.name for r in store.list_drafts("dgg")) == ["A", "A (copy)"]
    view.select_id(store.drafts.by_name("dgg", "A").id)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert [r.name for r in store.list_drafts("dgg")] == ["A (copy)"]
    qtbot.mouseClick(view.trash_button, Qt.MouseButton.LeftButton)
    assert view.restore_button.isVisible() and view.model.rowCount() == 1
    view.table.selectRow(0)
    qtbot.mouseClick(view.restore_button, Qt.MouseButton.LeftButton)
    assert sorted(r.name for r in store.list_drafts("dgg")) == ["A", "A (copy)"]
    assert not view.showing_trash


def test_enter_opens_and_filter_narrows(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    for name in ("North roofs", "South roofs", "Barn"):
        store.drafts.create("dgg", name)
    opened: list[str] = []
    view = make_list(qtbot, store, opened)
    qtbot.keyClicks(view.filter, "roofs")
    assert view.model.rowCount() == 2
    qtbot.keyClicks(view.filter, "zzz")
    assert view.model.rowCount() == 0 and not view.empty.isHidden()
    view.filter.clear()
    view.select_id(store.drafts.by_name("dgg", "Barn").id)
    view.open_selected()
    assert opened == ["Barn"]


def test_buttons_reflect_selection(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    view = make_list(qtbot, store, [])
    assert not view.open_button.isEnabled() and not view.delete_button.isEnabled()
    store.drafts.create("dgg", "A")
    view.refresh()
    assert view.open_button.isEnabled() and view.delete_button.isEnabled()


def test_main_window_areas_and_shortcuts(qtbot, store, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop.views.areas import build_areas

    settings = Settings.load(data_dir / "settings.json")
    window = MainWindow(store, settings, build_areas(store, settings))
    qtbot.addWidget(window)
    activate(qtbot, window)
    titles = [window.sidebar.item(i).text() for i in range(window.sidebar.count())]
    assert titles == [
        "Home",
        "DG Groups",
        "Generators & Generation",
        "BTMG Enrollments",
        "Outbox",
        "Settings",
    ]
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.current_area() == "btmg"
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert window.statusBar().currentMessage() == "Saved"
    window.close()
    assert Settings.load(data_dir / "settings.json").get("ui.last_area") == "btmg"


def test_messages_kept_until_the_window_exists(qtbot, store, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    messages.notice("Restored from backup X")
    settings = Settings.load(data_dir / "settings.json")
    window = MainWindow(store, settings, [])
    qtbot.addWidget(window)
    assert window.statusBar().currentMessage() == "Restored from backup X"
    window.close()


def test_settings_backup_now_and_restore_request(qtbot, store, data_dir: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMainWindow, QMessageBox

    settings = Settings.load(data_dir / "settings.json")
    host = QMainWindow()
    view = SettingsView(store, settings)
    host.setCentralWidget(view)
    qtbot.addWidget(host)
    assert view.backups.count() == 0 and not view.restore.isEnabled()
    qtbot.mouseClick(view.findChild(QPushButton, "backup_now"), Qt.MouseButton.LeftButton)
    assert view.backups.count() == 1
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    view.request_restore()
    assert Paths(data_dir).restore_request.read_text().endswith(".sqlite3")


def test_crash_report_is_copyable_and_redacts_secrets(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("REGISTRY_DESK_API_KEY", "sk-live-123456")
    report = build_report("ValueError: boom", "Traceback ... key=sk-live-123456")
    assert "sk-live-123456" not in report and "[redacted]" in report
    dialog = CrashDialog(report, None)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.findChild(QPushButton, "copy_report"), Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == report


def test_task_runs_off_the_main_thread_with_progress_and_cancel(qtbot) -> None:  # type: ignore[no-untyped-def]
    import threading

    main = threading.get_ident()

    @tasks.with_progress
    def work(n: int, progress: tasks.Progress) -> int:
        assert threading.get_ident() != main
        total = 0
        for i in range(n):
            progress.check()
            progress.update(i + 1, n)
            total += i
        return total

    results: list[int] = []
    token = tasks.run(work, 1000, on_done=results.append)
    poller = tasks.ProgressPoller(token, interval_ms=10)
    seen: list[tuple[int, int]] = []
    poller.changed.connect(lambda done, total, _text: seen.append((done, total)))
    qtbot.waitUntil(lambda: results == [499500], timeout=5000)
    qtbot.waitUntil(lambda: (1000, 1000) in seen, timeout=2000)
    poller.stop()
    assert token.done == 1000 and tasks.running_count() == 0

    cancelled: list[bool] = []

    @tasks.with_progress
    def endless(progress: tasks.Progress) -> None:
        while True:
            progress.check()

    token = tasks.run(endless, on_cancel=lambda: cancelled.append(True))
    QTimer.singleShot(50, token.cancel)
    qtbot.waitUntil(lambda: cancelled == [True], timeout=5000)


def test_task_errors_reach_the_callback_with_a_traceback(qtbot) -> None:  # type: ignore[no-untyped-def]
    seen: list[tuple[str, str]] = []

    def boom() -> None:
        raise ValueError("bad row")

    tasks.run(boom, on_error=lambda e, tb: seen.append((str(e), tb)))
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen[0][0] == "bad row" and "Traceback" in seen[0][1]


def test_theme_setting_switches_the_palette(qtbot, store, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QPalette

    settings = Settings.load(data_dir / "settings.json")
    view = SettingsView(store, settings)
    qtbot.addWidget(view)
    view.theme.setCurrentText("Dark")
    window_color = QApplication.palette().color(QPalette.ColorRole.Window)
    assert window_color.lightness() < 80
    assert Settings.load(data_dir / "settings.json").get("ui.theme") == "Dark"
    view.theme.setCurrentText("Light")
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() > 180


def test_units_grid_opens_from_the_dgg_list(qtbot, store, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop.models.units import new_unit
    from desktop.views import areas
    from desktop.views.units_grid_view import UnitsGridView

    d = store.drafts.create("dgg", "Roofs", {})
    store.units.replace_all(d.id, [new_unit(name=f"Roof {i}") for i in range(3)])
    settings = Settings.load(data_dir / "settings.json")
    window = MainWindow(store, settings, areas.build_areas(store, settings))
    qtbot.addWidget(window)
    view = window.show_area("dgg")
    assert isinstance(view, DraftsListView)
    (button,) = view.extra_buttons
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    grids = [w for w in areas._open_windows if isinstance(w, UnitsGridView)]
    assert len(grids) == 1 and grids[0].model.rowCount() == 3
    grids[0].close()
    qtbot.waitUntil(lambda: not any(isinstance(w, UnitsGridView) for w in areas._open_windows))
    window.close()


def test_home_counts_and_jumps_to_an_area(qtbot, store, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop.views.areas import build_areas
    from desktop.views.home_view import HomeView

    store.drafts.create("dgg", "A")
    d = store.drafts.create("dgg", "B")
    store.drafts.save(d.id, issue_count=2, issue_summary="2 issues")
    settings = Settings.load(data_dir / "settings.json")
    window = MainWindow(store, settings, build_areas(store, settings))
    qtbot.addWidget(window)
    home = window.show_area("home")
    assert isinstance(home, HomeView)
    assert home.counts["dgg"].text() == "DG Groups\n2 drafts · 1 with issues · 1 not checked"
    store.drafts.save(store.drafts.by_name("dgg", "A").id, issue_summary="No issues")
    home.refresh()
    assert home.counts["dgg"].text() == "DG Groups\n2 drafts · 1 with issues"
    assert home.counts["btmg"].text() == "BTMG Enrollments\n0 drafts · none yet"
    qtbot.mouseClick(home.counts["btmg"], Qt.MouseButton.LeftButton)
    assert window.current_area() == "btmg"
    window.close()


def test_reminders_without_a_tray_go_to_the_status_bar(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from desktop.commands import btmg as svc
    from desktop.views.icons import app_icon
    from desktop.views.reminders import Reminders

    # An empty enrollment for the planning year starting June 2027, 10 days before Feb 15.
    on = date(2027, 2, 5)
    svc.create(store, "Mill Street", on)
    seen: list[str] = []
    messages.install(lambda m: seen.append(m.text))
    try:
        reminders = Reminders(store, app_icon(), clock=lambda: on)
        texts = reminders.check()
        again = reminders.check()  # once per draft per day
    finally:
        messages.install(None)
    assert reminders.tray is None  # the offscreen platform has no system tray
    assert len(texts) == 1 and "Mill Street" in texts[0] and "in 10 days" in texts[0]
    assert seen == texts and again == []


def test_one_window_per_draft(qtbot, store, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """Opening a DGG whose units grid is open shows the grid instead of a second writer."""
    from desktop.views import areas
    from desktop.views.units_grid_view import UnitsGridView

    store.drafts.create("dgg", "Roofs", {})
    settings = Settings.load(data_dir / "settings.json")
    window = MainWindow(store, settings, areas.build_areas(store, settings))
    qtbot.addWidget(window)
    view = window.show_area("dgg")
    assert isinstance(view, DraftsListView)
    qtbot.mouseClick(view.extra_buttons[0], Qt.MouseButton.LeftButton)
    view.open_selected()  # the wizard would be a second writer of the same units
    open_now = list(areas._open_windows)
    assert len(open_now) == 1 and isinstance(open_now[0], UnitsGridView)
    open_now[0].close()
    qtbot.waitUntil(lambda: not areas._open_windows)
    window.close()


def test_registry_status_is_shown_as_a_badge(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    from desktop.views.drafts_table_model import Col
    from desktop.views.registry_badge import RegistryBadgeDelegate

    d = store.drafts.create("dgg", "Sent")
    store.drafts.save(d.id, status="Submitted", registry_status="pending", registry_id="7")
    view = make_list(qtbot, store, [])
    assert isinstance(view.table.itemDelegateForColumn(Col.STATUS), RegistryBadgeDelegate)
    assert view.model.index(0, Col.STATUS).data() == "Submitted · registry: pending"
    assert not view.table.grab().toImage().isNull()  # paints the pill without error
