"""Accessibility sweep: every visible input, table and button on the main screens has a name.

Screens: the DGG wizard (every page), the BTMG wizard (every page and season tab), the units
grid, the Generation area (with a generator open, every tab), Settings (with the registry
connection and reference lists) and the Outbox. On each, every visible QLineEdit, QComboBox,
QCheckBox, QSpinBox, QDateEdit, QPlainTextEdit, QTableView and QPushButton must be announced
by name: the name Qt's accessibility layer gives a screen reader must not be empty.

Inputs and tables must carry the name themselves (`setAccessibleName`, the house rule; Qt
would otherwise fall back on a buddy label, when there is one). A button or check box is
announced by its own visible text unless it has an accessible name, so for those the text
counts: an icon-only button without an accessible name is what this catches.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop.config import Settings
from desktop.models import dgg
from desktop.models.dgg_example import example_group, example_units
from desktop.store import Store
from tests.conftest import activate

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]
KINDS = (
    QLineEdit,
    QComboBox,
    QCheckBox,
    QSpinBox,
    QDateEdit,
    QPlainTextEdit,
    QTableView,
    QPushButton,
)


def describe(widget: QWidget) -> str:
    path = []
    w: QWidget | None = widget
    while w is not None and len(path) < 4:
        path.append(w.objectName() or type(w).__name__)
        w = w.parentWidget()
    text = widget.text() if isinstance(widget, (QPushButton, QCheckBox, QLineEdit)) else ""
    return f"{type(widget).__name__} {'/'.join(reversed(path))} {text!r}"


def owned_by_a_named_widget(widget: QWidget) -> bool:
    """A combo box's line edit and a spin box's line edit are parts of a named whole."""
    parent = widget.parentWidget()
    return isinstance(widget, QLineEdit) and isinstance(parent, (QComboBox, QAbstractSpinBox))


OWN_TEXT = (QPushButton, QCheckBox)  # announced by their visible text


def announced_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface is not None else ""


SEEN: set[str] = set()  # object names of the widgets checked: proves the sweep got there


@pytest.fixture(autouse=True)
def _forget_seen() -> Iterator[None]:
    SEEN.clear()
    yield
    SEEN.clear()


def unnamed(root: QWidget) -> set[str]:
    found = set()
    for w in root.findChildren(QWidget):
        if not isinstance(w, KINDS) or not w.isVisible() or owned_by_a_named_widget(w):
            continue
        SEEN.add(w.objectName())
        own = w.accessibleName().strip()
        if not announced_name(w) or (not own and not isinstance(w, OWN_TEXT)):
            found.add(describe(w))
    return found


def mnemonic(text: str) -> str | None:
    found = re.search(r"&([^&\s])", text.replace("&&", ""))
    return found.group(1).lower() if found else None


def mnemonic_clashes(root: QWidget) -> set[str]:
    """Alt+letter keys that two visible controls of one window claim: pressing one moves the
    focus between them instead of acting (Qt's rule for an ambiguous shortcut)."""
    claims: dict[str, list[str]] = defaultdict(list)
    window = root.window()
    for w in [window, *window.findChildren(QWidget)]:
        if not w.isVisible():
            continue
        texts = []
        if (isinstance(w, QLabel) and w.buddy() is not None) or isinstance(w, QAbstractButton):
            texts.append(w.text())
        elif isinstance(w, QGroupBox):
            texts.append(w.title())
        elif isinstance(w, QTabWidget):
            texts.extend(w.tabText(i) for i in range(w.count()))
        for text in texts:
            letter = mnemonic(text)
            if letter:
                claims[letter].append(text.replace("&", ""))
    return {f"Alt+{k.upper()}: {' / '.join(v)}" for k, v in claims.items() if len(v) > 1}


def sweep(
    root: QWidget,
    each_state: Callable[[], Iterator[object]] | None = None,
    *,
    clashes: set[str] | None = None,
) -> set[str]:
    """Unnamed widgets in every state `each_state` steps through, and in every tab shown;
    mnemonic clashes found on the way go into `clashes`."""
    found: set[str] = set()

    def look() -> None:
        found.update(unnamed(root))
        if clashes is not None:
            clashes.update(mnemonic_clashes(root))

    for _ in each_state() if each_state else iter([None]):
        look()
        for tabs in root.findChildren(QTabWidget):
            if not tabs.isVisible():
                continue
            before = tabs.currentIndex()
            for index in range(tabs.count()):
                tabs.setCurrentIndex(index)
                look()
            tabs.setCurrentIndex(before)
    return found


def assert_all_named(found: set[str]) -> None:
    assert not found, "without an accessible name:\n" + "\n".join(sorted(found))


def assert_no_clashes(clashes: set[str]) -> None:
    assert not clashes, "one Alt+letter for two controls:\n" + "\n".join(sorted(clashes))


def show(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    activate(qtbot, widget)


def example_dgg(store: Store) -> int:
    row = store.drafts.create("dgg", "North Star", dgg.to_json_doc(example_group()))
    store.units.replace_all(row.id, [dgg.unit_to_json(u) for u in example_units()])
    return row.id


def test_dgg_wizard_every_page(qtbot: QtBot, store: Store) -> None:
    from desktop.wizards.dgg_wizard import DggWizard

    wizard = DggWizard(store, example_dgg(store))
    show(qtbot, wizard)

    def pages() -> Iterator[object]:
        for key in dgg.PAGES:
            yield wizard.goto_page(key)

    clashes: set[str] = set()
    assert_all_named(sweep(wizard, pages, clashes=clashes))
    assert_no_clashes(clashes)
    assert {"group_name", "owner_email", "capacity_factor", "fuel_type"} <= SEEN
    assert {"units_table", "document_checklist", "attach_document"} <= SEEN


def test_add_unit_dialog(qtbot: QtBot) -> None:
    from desktop.views.add_unit_dialog import AddUnitDialog, unit_for_group

    group = example_group()
    dialog = AddUnitDialog(unit_for_group(group), group, example_units())
    show(qtbot, dialog)
    clashes: set[str] = set()
    assert_all_named(sweep(dialog, clashes=clashes))
    assert_no_clashes(clashes)


def test_btmg_wizard_every_page_and_season(qtbot: QtBot, store: Store, tmp_path: Path) -> None:
    from desktop.commands import btmg as svc
    from desktop.models.btmg_fields import PAGES, Page
    from desktop.wizards.btmg_wizard import BtmgWizard
    from tests.btmg.conftest import TODAY, add_dgg, add_generator

    add_generator(store, "Mill CHP", 2.5)
    add_dgg(store, "Lakeside DGG", (0.4, 0.35))
    row = svc.create(store, "New BTMG", TODAY)
    wizard = BtmgWizard(store, row.id, clock=lambda: TODAY, sheets_dir=tmp_path / "sheets")
    show(qtbot, wizard)

    def pages() -> Iterator[object]:
        for key in PAGES:
            wizard.show_page(Page(key))
            yield key

    clashes: set[str] = set()
    assert_all_named(sweep(wizard, pages, clashes=clashes))
    assert_no_clashes(clashes)
    assert {"name", "lba", "demand_reduction_mw", "measurement_protocol"} <= SEEN
    assert {"status_option", "max_interruptions", "notification", "copy_season"} <= SEEN


def test_units_grid(qtbot: QtBot, store: Store) -> None:
    from desktop.views.units_grid_view import UnitsGridView

    grid = UnitsGridView(store, example_dgg(store))
    show(qtbot, grid)
    clashes: set[str] = set()
    assert_all_named(sweep(grid, clashes=clashes))
    assert_no_clashes(clashes)
    assert {"units_table", "units_filter", "only_issues"} <= SEEN


def test_generation_area_with_a_generator_open(qtbot: QtBot, store: Store, data_dir: Path) -> None:
    from desktop.views.generation_view import GenerationView

    view = GenerationView(
        store, Settings.load(data_dir / "settings.json"), today=lambda: date(2025, 9, 10)
    )
    show(qtbot, view)
    view.new_generator()
    try:
        clashes: set[str] = set()
        assert_all_named(sweep(view, clashes=clashes))
        assert_no_clashes(clashes)
        assert {"generators_table", "mrets_id", "read_files", "preview_table", "curve_12"} <= SEEN
    finally:
        view.flush()


def settings_area(store: Store, data_dir: Path) -> QWidget:
    """The Settings area as the main window builds it (its sections included)."""
    from desktop.views.areas import build_areas

    areas = build_areas(store, Settings.load(data_dir / "settings.json"))
    return next(a for a in areas if a.key == "settings").build()


def test_settings_area(qtbot: QtBot, store: Store, data_dir: Path) -> None:
    view = settings_area(store, data_dir)
    show(qtbot, view)
    assert_all_named(sweep(view))
    assert {"backup_now", "ui.theme", "api_key", "save_api_key", "reference_values"} <= SEEN


def test_settings_area_mnemonics(qtbot: QtBot, store: Store, data_dir: Path) -> None:
    view = settings_area(store, data_dir)
    show(qtbot, view)
    clashes: set[str] = set()
    sweep(view, clashes=clashes)
    assert_no_clashes(clashes)


def test_settings_sections_outside_the_registry_connection_mnemonics(
    qtbot: QtBot, store: Store, data_dir: Path
) -> None:
    from desktop.views.reference_lists_view import ReferenceListsView
    from desktop.views.settings_view import SettingsView

    view = SettingsView(store, Settings.load(data_dir / "settings.json"))
    view.add_section("Reference lists (verify against MECT)", ReferenceListsView())
    show(qtbot, view)
    clashes: set[str] = set()
    sweep(view, clashes=clashes)
    assert_no_clashes(clashes)


def test_outbox(qtbot: QtBot, store: Store, data_dir: Path) -> None:
    from desktop.sync import outbox
    from desktop.views.outbox_view import OutboxView
    from desktop.views.sync_service import SyncService

    draft_id = example_dgg(store)
    outbox.queue_dgg(store, draft_id)
    service = SyncService(store, Settings.load(data_dir / "settings.json"), auto=False)
    view = OutboxView(service)
    show(qtbot, view)
    clashes: set[str] = set()
    assert_all_named(sweep(view, clashes=clashes))
    assert_no_clashes(clashes)
    assert {"outbox_table", "send_now", "retry_item", "cancel_item"} <= SEEN


def test_the_sweep_finds_unnamed_widgets(qtbot: QtBot) -> None:
    """The check itself: an input without its own name (even beside a label), an icon-only
    button and an empty check box are reported; named, texted and hidden ones are not."""
    root = QWidget()
    root.setObjectName("root")
    layout = QFormLayout(root)
    named = QLineEdit()
    named.setAccessibleName("Meter ID")
    layout.addRow("Meter ID", named)
    label = QLabel("&City")
    bare = QLineEdit()
    bare.setObjectName("city")
    label.setBuddy(bare)
    layout.addRow(label, bare)
    icon_only = QPushButton()
    icon_only.setObjectName("icon_only")
    layout.addRow(icon_only)
    empty = QCheckBox()
    empty.setObjectName("empty")
    layout.addRow(empty)
    layout.addRow(QPushButton("&Save"))
    layout.addRow(QCheckBox("Only &issues"))
    hidden = QComboBox()
    layout.addRow(hidden)
    hidden.hide()
    show(qtbot, root)
    assert sweep(root) == {
        "QLineEdit root/city ''",
        "QPushButton root/icon_only ''",
        "QCheckBox root/empty ''",
    }
