"""The main window's menu bar: File, Edit, View, Registry, Help.

Shortcuts are Qt's standard keys (QKeySequence.StandardKey), so each platform gets its own.
Quit and the user guide work from every window (a wizard included): their shortcuts are
application-wide. Edit's actions go to the widget that has the focus, as a menu's Edit does.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction, QActionGroup, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QMenu, QWidget

from desktop.views.theme import MODES, apply_theme

if TYPE_CHECKING:
    from desktop.views.main_window import MainWindow

StandardKey = QKeySequence.StandardKey
EDIT_ACTIONS = (
    ("&Undo", StandardKey.Undo, "undo"),
    ("&Redo", StandardKey.Redo, "redo"),
    ("Cu&t", StandardKey.Cut, "cut"),
    ("&Copy", StandardKey.Copy, "copy"),
    ("&Paste", StandardKey.Paste, "paste"),
)

FALLBACK_KEYS = {
    StandardKey.Quit: "Ctrl+Q",
    StandardKey.HelpContents: "F1",
    StandardKey.WhatsThis: "Shift+F1",
    StandardKey.Save: "Ctrl+S",
    StandardKey.Find: "Ctrl+F",
    StandardKey.Undo: "Ctrl+Z",
    StandardKey.Redo: "Ctrl+Shift+Z",
    StandardKey.Cut: "Ctrl+X",
    StandardKey.Copy: "Ctrl+C",
    StandardKey.Paste: "Ctrl+V",
}


def _action(
    menu: QMenu,
    text: str,
    slot: Callable[[], object],
    shortcut: QKeySequence.StandardKey | str | None = None,
    *,
    name: str = "",
    everywhere: bool = False,
) -> QAction:
    action = QAction(text, menu)
    if isinstance(shortcut, QKeySequence.StandardKey):
        # A platform may bind none (Quit on Windows, whose system key is Alt+F4; the
        # offscreen platform): then the usual key.
        keys = QKeySequence.keyBindings(shortcut) or [QKeySequence(FALLBACK_KEYS[shortcut])]
        action.setShortcuts(keys)
    elif shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if everywhere:
        action.setShortcutContext(action.shortcutContext().ApplicationShortcut)
    if name:
        action.setObjectName(name)
    action.triggered.connect(lambda _checked=False: slot())
    menu.addAction(action)
    return action


def build_menus(window: MainWindow) -> None:
    bar = window.menuBar()
    bar.setObjectName("menu_bar")
    _file_menu(window, bar.addMenu("&File"))
    _edit_menu(window, bar.addMenu("&Edit"))
    _view_menu(window, bar.addMenu("&View"))
    _registry_menu(window, bar.addMenu("&Registry"))
    _help_menu(window, bar.addMenu("&Help"))
    # Shortcuts also through the window itself: a native (macOS) or hidden menu bar does not
    # make its actions' shortcuts active.
    for menu in bar.findChildren(QMenu):
        window.addActions([a for a in menu.actions() if not a.shortcut().isEmpty()])


# --- File --------------------------------------------------------------------------------------


def _new_in(window: MainWindow, area: str, method: str) -> None:
    window.start_new(area, method)


def _file_menu(window: MainWindow, menu: QMenu) -> None:
    menu.setObjectName("menu_file")
    _action(menu, "New &DGG group…", lambda: _new_in(window, "dgg", "new_draft"), name="new_dgg")
    _action(
        menu, "New &BTMG enrollment…", lambda: _new_in(window, "btmg", "new_draft"), name="new_btmg"
    )
    _action(
        menu,
        "New &generator…",
        lambda: _new_in(window, "generation", "new_generator"),
        name="new_generator",
    )
    menu.addSeparator()
    _action(menu, "&Save", window.save_now, StandardKey.Save, name="save")
    _action(
        menu,
        "Open data &folder",
        lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(window.store.paths.root))),
        name="open_data_folder",
    )
    menu.addSeparator()
    _action(menu, "&Quit", window.quit_app, StandardKey.Quit, name="quit", everywhere=True)


# --- Edit --------------------------------------------------------------------------------------


def _to_focus(method: str) -> None:
    """Call `method` on the focused widget or the nearest parent that has it."""
    widget: QWidget | None = QApplication.focusWidget()
    while widget is not None:
        call = getattr(widget, method, None)
        if callable(call):
            call()
            return
        widget = widget.parentWidget()


def _find(window: MainWindow) -> None:
    view = window.show_area(window.current_area())
    box = view.findChild(QLineEdit, "filter")
    if box is None:
        window.statusBar().showMessage("This area has no list to search.", 5000)
        return
    box.setFocus()
    box.selectAll()


def _edit_menu(window: MainWindow, menu: QMenu) -> None:
    menu.setObjectName("menu_edit")
    for text, key, method in EDIT_ACTIONS:
        _action(menu, text, partial(_to_focus, method), key, name=f"edit_{method}")
        if method == "redo":
            menu.addSeparator()
    menu.addSeparator()
    _action(menu, "&Find…", lambda: _find(window), StandardKey.Find, name="find")


# --- View --------------------------------------------------------------------------------------


def set_theme(window: MainWindow, mode: str) -> None:
    window.settings.set("ui.theme", mode)
    app = QApplication.instance()
    if isinstance(app, QApplication):
        apply_theme(app, mode)
    settings_view = window.views.get("settings")
    combo = settings_view.findChild(QWidget, "ui.theme") if settings_view is not None else None
    if combo is not None and hasattr(combo, "setCurrentText"):
        combo.blockSignals(True)
        combo.setCurrentText(mode)
        combo.blockSignals(False)


def _view_menu(window: MainWindow, menu: QMenu) -> None:
    menu.setObjectName("menu_view")
    areas = QActionGroup(menu)
    by_key: dict[str, QAction] = {}
    for i, area in enumerate(window.areas[:9]):
        action = _action(
            menu,
            area.title.replace("&", "&&"),
            partial(window.show_area, area.key),
            f"Ctrl+{i + 1}",
            name=f"view_{area.key}",
        )
        action.setCheckable(True)
        areas.addAction(action)
        by_key[area.key] = action
    if window.areas:
        by_key[window.current_area()].setChecked(True)
    window.area_changed.connect(lambda key: by_key[key].setChecked(True) if key in by_key else None)
    menu.addSeparator()
    themes = menu.addMenu("&Theme")
    themes.setObjectName("menu_theme")
    group = QActionGroup(themes)
    current = str(window.settings.get("ui.theme"))
    for mode in MODES:
        action = _action(
            themes,
            {"System": "Follow the &system", "Light": "&Light", "Dark": "&Dark"}[mode],
            partial(set_theme, window, mode),
            name=f"theme_{mode.lower()}",
        )
        action.setCheckable(True)
        action.setChecked(mode == current)
        group.addAction(action)


# --- Registry ----------------------------------------------------------------------------------


def _send(window: MainWindow, pull: bool) -> None:
    if window.hooks is None:
        return
    sync = window.hooks.sync()
    started = sync.pull_now() if pull else sync.flush()
    if started is None:
        window.statusBar().showMessage("The outbox is already busy; try again when it is done.")
    else:
        window.statusBar().showMessage(
            "Pulling statuses from the registry…" if pull else "Sending the outbox…", 5000
        )


def _registry_menu(window: MainWindow, menu: QMenu) -> None:
    menu.setObjectName("menu_registry")
    send = _action(menu, "&Send queued items", lambda: _send(window, False), name="send")
    pull = _action(menu, "&Pull statuses", lambda: _send(window, True), name="pull")
    for action in (send, pull):
        action.setEnabled(window.hooks is not None)
    menu.addSeparator()
    _action(menu, "&Outbox", lambda: window.show_area("outbox"), name="outbox")
    _action(menu, "&Connection and API key…", window.show_connection, name="connection")


# --- Help --------------------------------------------------------------------------------------


def _help_menu(window: MainWindow, menu: QMenu) -> None:
    from desktop.views import help_dialogs  # noqa: PLC0415 - the guide loads on first use

    menu.setObjectName("menu_help")
    _action(
        menu,
        "&User guide",
        lambda: help_dialogs.open_guide(window, help_dialogs.section_for(window)),
        StandardKey.HelpContents,
        name="user_guide",
        everywhere=True,
    )
    _action(
        menu,
        "&Keyboard shortcuts",
        lambda: help_dialogs.show_shortcuts(window),
        "Ctrl+/",
        name="shortcuts",
    )
    _action(
        menu,
        "What's &this page?",
        lambda: help_dialogs.whats_this_page(window),
        StandardKey.WhatsThis,
        name="whats_this",
        everywhere=True,
    )
    menu.addSeparator()
    _action(
        menu,
        "&Report a problem…",
        lambda: help_dialogs.report_problem(window),
        name="report_problem",
    )
    _action(menu, "&About Registry Desk", lambda: help_dialogs.show_about(window), name="about")
