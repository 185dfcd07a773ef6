"""The menu bar, the bundled user guide and the Help menu, driven with real widgets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QTextDocument
from PySide6.QtWidgets import QApplication

from desktop import __version__
from desktop.config import Settings
from desktop.store import Store
from desktop.views import help_dialogs
from desktop.views.areas import build_window_parts
from desktop.views.main_window import MainWindow
from desktop.views.reference_lists_view import plain_note
from tests.conftest import activate

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parents[2]
MENUS = {
    "&File": ["new_dgg", "new_btmg", "new_generator", "save", "open_data_folder", "quit"],
    "&Edit": ["edit_undo", "edit_redo", "edit_cut", "edit_copy", "edit_paste", "find"],
    "&View": ["view_home", "view_dgg", "view_generation", "view_btmg", "view_outbox",
              "view_settings"],
    "&Registry": ["send", "pull", "outbox", "connection"],
    "&Help": ["user_guide", "shortcuts", "whats_this", "report_problem", "about"],
}  # fmt: skip


@pytest.fixture
def window(qtbot, store: Store):  # type: ignore[no-untyped-def]
    settings = Settings.load(store.paths.settings)
    parts = build_window_parts(store, settings)
    win = MainWindow(store, settings, parts.areas, hooks=parts.hooks)
    qtbot.addWidget(win)
    activate(qtbot, win)
    yield win
    help_dialogs.close_guide()
    win.close()


def action(window: MainWindow, name: str) -> QAction:
    found = window.findChild(QAction, name)
    assert found is not None, name
    return found


def test_the_usual_menus_with_their_actions(window: MainWindow) -> None:
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == list(MENUS)
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        names = [a.objectName() for a in menu.actions() if a.objectName()]  # type: ignore[union-attr]
        assert names == MENUS[menu_action.text()]
    for name in ("quit", "save", "user_guide", "whats_this", "edit_copy", "find"):
        assert not action(window, name).shortcut().isEmpty(), name


def test_view_menu_switches_areas_and_theme(qtbot, window: MainWindow, store: Store) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.current_area() == "outbox" and action(window, "view_outbox").isChecked()
    action(window, "theme_dark").trigger()
    app = QApplication.instance()
    assert app.property("dark_theme") is True  # type: ignore[union-attr]
    window.settings.save()
    assert json.loads(store.paths.settings.read_text())["ui.theme"] == "Dark"
    action(window, "theme_light").trigger()
    assert app.property("dark_theme") is False  # type: ignore[union-attr]


def test_f1_opens_the_bundled_guide_at_the_areas_section(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.show_area("btmg")
    qtbot.keyClick(window, Qt.Key.Key_F1)
    guide = window.findChild(help_dialogs.GuideWindow)
    assert guide is not None and guide.isVisible()
    browser = guide.browser
    assert browser.source().fileName() == "user-guide.md"
    assert browser.textCursor().selectedText() == "Drafting a BTMG enrollment"

    def heading_on_top() -> bool:
        top = browser.cursorForPosition(browser.viewport().rect().topLeft())
        return top.block().text() == "Drafting a BTMG enrollment"

    qtbot.waitUntil(heading_on_top, timeout=3000)  # scrolled to the section
    picture = browser.loadResource(
        QTextDocument.ResourceType.ImageResource.value, QUrl("screenshots/main-window.png")
    )
    assert picture is not None and not picture.isNull()  # the screenshots are shown
    assert guide.find_text("Backups and recovery")


def test_the_guide_is_found_beside_the_package() -> None:
    assert help_dialogs.guide_dir() == ROOT / "docs"
    for heading in set(help_dialogs.SECTIONS.values()):
        assert help_dialogs.section_text(heading), heading


def test_whats_this_page_about_and_shortcuts(qtbot, window: MainWindow, store: Store) -> None:  # type: ignore[no-untyped-def]
    window.show_area("settings")
    box = help_dialogs.whats_this_page(window)
    assert box.windowTitle() == "Settings" and "registry connection" in box.text()
    box.close()
    about = help_dialogs.show_about(window)
    assert __version__ in about.text() and str(store.paths.root) in about.text()
    assert "Qt " in about.text() and "Python " in about.text()
    about.close()
    shortcuts = help_dialogs.show_shortcuts(window)
    assert "File › Quit" in shortcuts.text() and "Help › User guide" in shortcuts.text()
    shortcuts.close()


def test_report_a_problem_opens_the_crash_report_folder(
    window: MainWindow, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    action(window, "report_problem").trigger()
    assert [u.toLocalFile() for u in opened] == [str(store.paths.crash_reports)]
    assert store.paths.crash_reports.is_dir()
    assert str(store.paths.crash_reports) in window.statusBar().currentMessage()


def test_file_new_and_registry_connection(window: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QInputDialog

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("", False))
    action(window, "new_btmg").trigger()
    assert window.current_area() == "btmg"
    action(window, "connection").trigger()
    assert window.current_area() == "settings"


def test_no_internal_document_is_cited_in_the_interface() -> None:
    for path in (ROOT / "resources" / "reference").glob("*.json"):
        note = json.loads(path.read_text(encoding="utf-8")).get("note", "")
        for internal in ("reference.md", "decisions.md", "§"):
            assert internal not in note, path.name
    old = "Verify against MECT: not published (reference.md §3.5/§6). Edit them."
    assert plain_note(old) == "Verify against MECT: not published. Edit them."


def test_home_welcome_names_the_three_jobs_and_the_practice_registry(
    qtbot, window: MainWindow, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QInputDialog

    home = window.show_area("home")
    texts = [b.text() for b in home.job_buttons.values()]  # type: ignore[attr-defined]
    assert texts == [
        "Register a &DG group…",
        "Build a &generation upload…",
        "Enroll &BTMG with MISO…",
    ]
    assert "practice registry" in home.practice.text()  # type: ignore[attr-defined]
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("", False))
    qtbot.mouseClick(home.job_buttons["btmg"], Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert window.current_area() == "btmg"
    window.show_area("home")
    home.practice.linkActivated.emit("connection")  # type: ignore[attr-defined]
    assert window.current_area() == "settings"


def test_the_status_bar_links_a_missing_key_to_its_fix(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    from desktop.sync.connection import Reachability
    from desktop.views.registry_fix_link import RegistryFixLink
    from desktop.views.sync_service import SyncService

    service = SyncService(window.store, window.settings, auto=False)
    link = RegistryFixLink(service)
    window._add_status_widgets(lambda: [link])
    assert not link.isVisible()
    service.key_needed.emit("The registry needs an API key.")
    assert link.isVisible() and "Add your API key" in link.text()
    link.linkActivated.emit("fix")
    assert window.current_area() == "settings"
    service._reachability(Reachability(True, True, "ok"))
    assert not link.isVisible()
