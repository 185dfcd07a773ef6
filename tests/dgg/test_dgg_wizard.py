"""The DGG wizard driven with the keyboard: fill every page, leave, reopen, finish."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QLineEdit,
    QListWidget,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot

from desktop.models import dgg
from desktop.models.dgg_example import example_group, example_units
from desktop.store import Store
from desktop.wizards.dgg_wizard import DggWizard
from tests.conftest import when_modal

# The offscreen platform cannot raise windows or grab the keyboard; nothing here needs it.
pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support"),
    pytest.mark.usefixtures("quick_keyboard_search"),
]
ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier

# (field key, keys to type; "" = leave as it is, "[x]" = find an item in a list and tick it).
# Lists are searched by typing a prefix without spaces: Space opens a combo box popup.
GENERAL = [
    ("group_name", "North Star Community Solar DGG"),
    ("group_type", "Mixed"),
    ("reporting_entity", "Self Reporting"),
    ("reporting_unit_id", "NSCS-DGG-01"),
    ("issuance_account", "North Star Solar Issuance"),
    ("country", "United"),
    ("state_province", "Minn"),
    ("eia_number", ""),
    ("qualifying_facility", "No"),
    ("wi_rrc_unit_id", ""),
    ("wi_rrc_program_registration_date", ""),
]
OWNER = [
    ("owner_company", "North Star Solar Cooperative"),
    ("owner_street", "275 Market St"),
    ("owner_street_2", "Suite 540"),
    ("owner_city", "Minneapolis"),
    ("owner_state_province", "Minn"),
    ("owner_postal_code", "55405"),
    ("owner_country", "United"),
    ("owner_phone", "612-555-0142"),
    ("owner_email", "registry@northstarsolar.coop"),
    ("owner_website", ""),
    ("single_owner", "Yes"),
    ("additional_owners", ""),
    ("ownership_types", "[Priv]"),
    ("org_owns", "No"),
    ("has_ppa", "No"),
    ("registration_rights_assign", "No"),
    ("registration_rights_assign_date", ""),
    ("court_regulator_rights_assign", "No"),
    ("court_regulator_rights_assign_date", ""),
    ("is_wi_retail_elec_provider", "No"),
    ("retail_elec_providers", ""),
    ("publish_contact", "Yes"),
    ("mailing_same", "Yes"),
    ("operator_name", "Dana Lindqvist"),
    ("operator_job_title", "Asset Manager"),
    ("operator_street", "275 Market St"),
    ("operator_street_2", ""),
    ("operator_city", "Minneapolis"),
    ("operator_state_province", "Minn"),
    ("operator_postal_code", "55405"),
    ("operator_country", "United"),
    ("operator_phone", "612-555-0157"),
    ("operator_email", "dana@northstarsolar.coop"),
]
ENGINEERING = [
    ("generator_classification", "Cust"),
    ("interconnected_utility", "Xcel Energy"),
    ("utility_ownership_type", "Investor"),
    ("balancing_authority", "MISO"),
    ("control_area_operator", "MISO"),
    ("generation_technology", "Solar"),
    ("is_multi_fuel", "No"),
    ("aggregate_meter", "No"),
    ("aggregating_unit_count", ""),
    ("primary_generator", "Yes"),
    ("meter_type", "Revenue"),
    ("meter_manufacturer", "Itron"),
    ("last_meter_certification", "2024-01-15"),
    ("group_cod", ""),
    ("group_nameplate_mw", ""),
    ("capacity_factor", "14.5"),
    ("max_annual_energy", ""),
    ("biomass_net_generation", ""),
    ("repower_dates", ""),
    ("uses_hydro_3_year_avg", ""),
    ("hydro_3_year_avg", ""),
    ("wi_displacement_facility", ""),
]
FUELS = [
    ("fuel_type", "Solar"),
    ("fuel_source", "Solar"),
    ("label", "Rooftop PV"),
    ("eligibilities", "[Minnesota]"),
    ("abp_app_id", ""),
]
UNITS = [
    [
        ("name", "Olson residence"),
        ("meter_id", "XCEL-48213570"),
        ("customer_type", "Res"),
        ("unit_status", "Active"),
        ("expansion", "No"),
        ("owned_by_org", "Yes"),
        ("street", "1843 Highland Pkwy"),
        ("city", "Saint Paul"),
        ("state_province", "Minn"),
        ("postal_code", "55116"),
        ("county", "Ramsey"),
        ("latitude", "44.9171"),
        ("longitude", "-93.1762"),
        ("capacity_mw", "7.6 kW"),
        ("cod", "2019-06-14"),
        ("utility", "Xcel Energy"),
        ("fuel_type", ""),  # pre-filled with the group's fuel
        ("fuel_source", ""),
    ],
    [
        ("name", "Lakeside Dental"),
        ("meter_id", "XCEL-48213644"),
        ("customer_type", "Com"),
        ("unit_status", "Active"),
        ("expansion", "No"),
        ("owned_by_org", "No"),
        ("street", "3020 Hennepin Ave"),
        ("city", "Minneapolis"),
        ("state_province", "Minn"),
        ("postal_code", "55408"),
        ("county", "Hennepin"),
        ("latitude", "44.9486"),
        ("longitude", "-93.2985"),
        ("capacity_mw", "38.5 kW"),
        ("cod", "10/30/2018"),
        ("utility", "Xcel Energy"),
        ("fuel_type", ""),  # pre-filled with the group's fuel
        ("fuel_source", ""),
    ],
]
UNIT_DOCS = ("Interconnection", "Engineering", "Certificate", "Ownership")


def activate(qtbot: QtBot, window: QWidget) -> None:
    window.windowHandle().requestActivate()
    qtbot.waitUntil(window.isActiveWindow)


def fill(qtbot: QtBot, window: QWidget, fields: list[tuple[str, str]]) -> None:
    """Type each field in turn, moving on with Tab: the tab order is the declared order."""
    for n, (key, keys) in enumerate(fields):
        widget = window.focusWidget()
        assert widget is not None and widget.objectName() == key, (n, key, widget)
        if keys.startswith("["):
            assert isinstance(widget, QListWidget)
            qtbot.keyClicks(widget, keys[1:-1])
            qtbot.keyClick(widget, Qt.Key.Key_Space)
        elif keys:
            if isinstance(widget, QLineEdit):
                qtbot.keyClick(widget, Qt.Key.Key_A, CTRL)  # replace what is there
            qtbot.keyClicks(widget, keys)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)


def first_field(wizard: DggWizard, key: str) -> QWidget:
    widget = wizard.current().findChild(QWidget, key)
    assert widget is not None
    widget.setFocus()
    return widget


def press(qtbot: QtBot, wizard: QWidget, key: Qt.Key, modifier: Any = ALT) -> None:
    """A key as the user presses it; Alt+letter mnemonics click after a short animation.

    Offscreen, a window is not given back the activation when a dialog closes (a window
    manager does that), and shortcuts need it: ask for it first.
    """
    if not wizard.isActiveWindow():
        activate(qtbot, wizard)
    qtbot.keyClick(wizard.focusWidget() or wizard, key, modifier)


def next_page(qtbot: QtBot, wizard: DggWizard) -> None:
    before = wizard.currentId()
    press(qtbot, wizard, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: wizard.currentId() == before + 1)


def type_unit(qtbot: QtBot, fields: list[tuple[str, str]]) -> Callable[[QWidget], None]:
    def act(dialog: QWidget) -> None:
        # Keys go to the dialog's focus widget; no activation needed (offscreen has none).
        assert dialog.focusWidget().objectName() == "name"
        fill(qtbot, dialog, fields)
        qtbot.keyClick(dialog.findChild(QLineEdit, "name"), Qt.Key.Key_Return)

    return act


def open_wizard(qtbot: QtBot, store: Store, draft_id: int) -> DggWizard:
    wizard = DggWizard(store, draft_id)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    activate(qtbot, wizard)
    return wizard


def test_fill_every_page_with_the_keyboard_leave_reopen_and_finish(
    qtbot: QtBot, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft = store.drafts.create("dgg", "New DGG", {})
    wizard = open_wizard(qtbot, store, draft.id)

    first_field(wizard, "group_name")
    fill(qtbot, wizard, GENERAL)
    next_page(qtbot, wizard)
    first_field(wizard, "owner_company")
    fill(qtbot, wizard, OWNER)
    assert not wizard.current().findChild(QWidget, "mailing_street").isVisible()
    next_page(qtbot, wizard)
    first_field(wizard, "generator_classification")
    fill(qtbot, wizard, ENGINEERING)
    next_page(qtbot, wizard)
    first_field(wizard, "fuel_type")
    fill(qtbot, wizard, FUELS)
    next_page(qtbot, wizard)

    for n, fields in enumerate(UNITS):
        when_modal(qtbot, type_unit(qtbot, fields))
        press(qtbot, wizard, Qt.Key.Key_A)  # a mnemonic clicks after a short animation
        qtbot.waitUntil(lambda n=n: len(wizard.session.units) == n + 1)
    assert "214.8" not in wizard.current().findChild(QWidget, "units_summary").text()
    assert "46.1 kW of 1 MW AC" in wizard.current().findChild(QWidget, "units_summary").text()
    next_page(qtbot, wizard)

    # Documents: each unit's four documents, and Lakeside's Schedule A, by keyboard.
    files = tmp_path / "files"
    files.mkdir()
    page = wizard.current()
    target = page.findChild(QComboBox, "document_target")
    doc_type = page.findChild(QComboBox, "document_type")
    wanted = [(u, t) for u in (1, 2) for t in UNIT_DOCS] + [(2, "Schedule")]
    for unit, type_prefix in wanted:
        target.setFocus()
        qtbot.keyClick(target, Qt.Key.Key_Home)  # "The whole group", then one row per unit
        for _ in range(unit):
            qtbot.keyClick(target, Qt.Key.Key_Down)
        doc_type.setFocus()
        qtbot.wait(80)  # a new search, not the continuation of the last one
        qtbot.keyClicks(doc_type, type_prefix)
        path = files / f"unit{unit}-{type_prefix.lower()}.pdf"
        path.write_bytes(f"%PDF-1.4 {unit} {type_prefix}".encode())
        count = len(wizard.session.documents)
        # Qt's own file dialog is replaced (as pytest-qt advises): offscreen it loads folders
        # in a thread and navigates while a path is typed, which makes it flaky to drive.
        monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, p=path, **k: ([str(p)], ""))
        press(qtbot, wizard, Qt.Key.Key_A)
        qtbot.waitUntil(lambda c=count: len(wizard.session.documents) == c + 1)
    assert "Every unit has its documents." in page.findChild(QWidget, "documents__issue").text()

    expected_group = dict(wizard.session.group)
    expected_units = [dict(u) for u in wizard.session.units]
    press(qtbot, wizard, Qt.Key.Key_C)  # Close: everything was autosaved
    qtbot.waitUntil(lambda: not wizard.isVisible())

    row = store.drafts.get(draft.id)
    assert row.page == "documents"
    assert row.name == "North Star Community Solar DGG"
    assert row.issue_count == 0

    again = open_wizard(qtbot, store, draft.id)
    assert again.currentId() == dgg.PAGES.index("documents")
    assert again.session.group == expected_group
    assert again.session.units == expected_units
    group = again.session.group
    assert group["state_province"] == "Minnesota" and group["group_type"] == "Mixed"
    assert group["ownership_types"] == ("Privately Owned Distributed Generation",)
    assert group["last_meter_certification"] == date(2024, 1, 15)
    assert group["capacity_factor"] == 14.5
    assert group["fuels"][0]["eligibilities"] == ("Minnesota Eligibility",)
    assert [u["capacity_mw"] for u in again.session.units] == [0.0076, 0.0385]
    assert again.session.units[1]["cod"] == date(2018, 10, 30)
    assert again.session.units[1]["owned_by_org"] is False
    assert "unit2-schedule.pdf" in again.session.units[1]["documents"]
    # the widgets show it as left, too
    owner = again.pages[dgg.PAGES.index("owner")]
    assert owner.findChild(QLineEdit, "owner_city").text() == "Minneapolis"
    engineering = again.pages[dgg.PAGES.index("engineering")]
    assert engineering.findChild(QLineEdit, "group_cod").text() == "2018-10-30"
    assert engineering.findChild(QLineEdit, "capacity_factor").text() == "14.5"
    assert engineering.findChild(QLineEdit, "last_meter_certification").text() == "2024-01-15"

    next_page(qtbot, again)
    assert again.current().findChild(QListWidget, "review_issues").count() == 0
    press(qtbot, again, Qt.Key.Key_F)
    qtbot.waitUntil(lambda: not again.isVisible())
    assert again.result() == QWizard.DialogCode.Accepted
    assert store.drafts.get(draft.id).status == "Ready to submit"


def make_example(store: Store, **group: Any) -> int:
    row = store.drafts.create("dgg", "North Star", dgg.to_json_doc(example_group(**group)))
    store.units.replace_all(row.id, [dgg.unit_to_json(u) for u in example_units()])
    return row.id


def test_finish_with_problems_goes_to_the_first_and_focuses_it(qtbot: QtBot, store: Store) -> None:
    draft_id = make_example(store, owner_city=None)
    store.drafts.save(draft_id, page="review")
    wizard = open_wizard(qtbot, store, draft_id)
    assert wizard.currentId() == dgg.PAGES.index("review")
    press(qtbot, wizard, Qt.Key.Key_F)
    qtbot.waitUntil(lambda: wizard.currentId() == dgg.PAGES.index("owner"))
    assert wizard.isVisible()
    assert wizard.focusWidget().objectName() == "owner_city"
    issue = wizard.current().findChild(QWidget, "owner_city__issue")
    assert issue.isVisible() and issue.text() == "City is required"
    assert store.drafts.get(draft_id).status == "Draft"
    assert "block submission" in wizard.status.text()


def test_review_links_jump_to_the_unit_row(qtbot: QtBot, store: Store) -> None:
    draft_id = make_example(store)
    store.drafts.save(draft_id, page="review")
    wizard = open_wizard(qtbot, store, draft_id)
    issues = wizard.current().findChild(QListWidget, "review_issues")
    wizard.session.units[4]["capacity_mw"] = 1.5
    wizard.session.set_units(wizard.session.units)
    wizard.current().refresh()
    rows = [issues.item(i).text() for i in range(issues.count())]
    at = next(i for i, text in enumerate(rows) if "Units, unit 5" in text)
    issues.setFocus()
    issues.setCurrentRow(at)
    qtbot.keyClick(issues, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: wizard.currentId() == dgg.PAGES.index("units"))
    table = wizard.current().findChild(QWidget, "units_table")
    assert table.currentIndex().row() == 4
    assert wizard.focusWidget() is table
    assert (
        "above the 1 MW AC limit" in wizard.current().findChild(QWidget, "unit_row_issues").text()
    )


def test_typing_is_saved_after_a_pause_and_ctrl_s_saves_now(qtbot: QtBot, store: Store) -> None:
    draft_id = make_example(store)
    wizard = open_wizard(qtbot, store, draft_id)
    name = first_field(wizard, "reporting_unit_id")
    qtbot.keyClick(name, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(name, "NSCS-02")
    assert store.drafts.get(draft_id).payload["reporting_unit_id"] == "NSCS-DGG-01"
    qtbot.waitUntil(
        lambda: store.drafts.get(draft_id).payload["reporting_unit_id"] == "NSCS-02", timeout=2000
    )
    qtbot.keyClicks(name, "b")
    qtbot.keyClick(name, Qt.Key.Key_S, CTRL)
    assert store.drafts.get(draft_id).payload["reporting_unit_id"] == "NSCS-02b"
    assert wizard.status.text().startswith("Saved")


def test_inline_issues_as_you_type(qtbot: QtBot, store: Store) -> None:
    draft_id = make_example(store)
    wizard = open_wizard(qtbot, store, draft_id)
    wizard.goto_page("owner")
    email = first_field(wizard, "owner_email")
    label = wizard.current().findChild(QWidget, "owner_email__issue")
    qtbot.keyClick(email, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(email, "registry@north")
    assert label.isVisible() and "not an email address" in label.text()
    assert label.shown_text().startswith("✖ ")  # a symbol too: colour is not the only signal
    qtbot.keyClicks(email, ".coop")
    assert not label.isVisible()
    assert "not an email address" not in email.accessibleDescription()


def test_units_add_duplicate_edit_remove(qtbot: QtBot, store: Store) -> None:
    draft_id = make_example(store)
    store.drafts.save(draft_id, page="units")
    wizard = open_wizard(qtbot, store, draft_id)
    page = wizard.current()
    table = page.findChild(QWidget, "units_table")
    page.select_row(0)
    table.setFocus()
    press(qtbot, wizard, Qt.Key.Key_U)  # Duplicate
    qtbot.waitUntil(lambda: len(wizard.session.units) == 13)
    copy = wizard.session.units[1]
    assert copy["name"] == "Olson residence (copy)" and copy["meter_id"] is None
    assert copy["uid"] != wizard.session.units[0]["uid"]
    when_modal(qtbot, type_unit(qtbot, [("name", "Olson garage"), ("meter_id", "XCEL-1")]))
    press(qtbot, wizard, Qt.Key.Key_E)
    qtbot.waitUntil(lambda: wizard.session.units[1]["name"] == "Olson garage")
    assert len(store.units.list(draft_id)) == 13
    assert store.units.list(draft_id)[1]["meter_id"] == "XCEL-1"
    press(qtbot, wizard, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: len(wizard.session.units) == 12)
    assert [u["name"] for u in store.units.list(draft_id)][:2] == [
        "Olson residence",
        "Nguyen residence",
    ]


def test_add_unit_dialog_shows_every_unit_field_and_duplicate_meters(
    qtbot: QtBot, store: Store
) -> None:
    from desktop.models.units import UNIT_FIELDS
    from desktop.views.add_unit_dialog import AddUnitDialog, unit_for_group

    group = example_group()
    units = example_units()
    dialog = AddUnitDialog(unit_for_group(group), group, units)
    qtbot.addWidget(dialog)
    for spec in UNIT_FIELDS:
        widget = dialog.findChild(QWidget, spec.key)
        assert widget is not None and widget.accessibleName() == spec.label
        assert widget.toolTip() == spec.help
    assert dialog.form.labels["name"].text() == "Unit name *"
    assert dialog.form.editor("fuel_source").text() == "Solar PV"
    meter = dialog.findChild(QLineEdit, "meter_id")
    qtbot.keyClicks(meter, units[2]["meter_id"])
    label = dialog.findChild(QWidget, "meter_id__issue")
    assert "also used by row 3 (Lakeside Dental)" in label.text()
    capacity = dialog.findChild(QLineEdit, "capacity_mw")
    qtbot.keyClicks(capacity, "7.6 kW")
    unit_label = dialog.findChild(QWidget, "capacity_mw__unit")
    assert "7.6 kW" in unit_label.text() and "0.0076 MW AC" in unit_label.text()


def test_every_input_has_its_key_as_object_name_and_an_accessible_name(
    qtbot: QtBot, store: Store
) -> None:
    wizard = open_wizard(qtbot, store, make_example(store))
    for spec in dgg.GROUP_FIELDS + dgg.FUEL_FIELDS + dgg.DERIVED_FIELDS:
        widget = wizard.findChild(QWidget, spec.key)
        assert widget is not None, spec.key
        assert widget.accessibleName() == spec.label
        assert widget.toolTip() == spec.help
    label = wizard.findChild(QWidget, "group_name__label")
    assert label.text() == "Group name *"


def test_document_changed_since_attaching_is_flagged(
    qtbot: QtBot, store: Store, tmp_path: Path
) -> None:
    draft_id = make_example(store)
    original = tmp_path / "ia.pdf"
    original.write_bytes(b"%PDF-1.4 first")
    store.documents.add(draft_id, original, "Interconnection Agreement", unit_uid="example-unit-01")
    original.write_bytes(b"%PDF-1.4 second")
    store.drafts.save(draft_id, page="documents")
    wizard = open_wizard(qtbot, store, draft_id)
    page = wizard.current()
    model = page.attached_model
    assert model.data(model.index(0, 4)) == "changed since attached"
    assert "changed since attaching" in page.findChild(QWidget, "documents__issue").text()
    checklist = page.checklist_model
    assert checklist.cell(0, 1) == "✓" and checklist.cell(0, 2) == "missing"
    assert checklist.cell(0, 5) == "—" and checklist.cell(3, 5) == "missing"


def test_units_grid_from_the_units_page_is_the_only_writer_while_open(
    qtbot: QtBot, store: Store
) -> None:
    from desktop.views.units_grid_view import UnitsGridView
    from desktop.wizards.pages.dgg_units_page import DggUnitsPage

    draft_id = make_example(store)
    wizard = open_wizard(qtbot, store, draft_id)
    page = next(p for p in wizard.findChildren(DggUnitsPage))
    first_name = page.session.units[0]["name"]

    def rename_first_unit(dialog: QWidget) -> None:
        grid = dialog.findChild(UnitsGridView)
        assert grid is not None
        name_column = next(
            c
            for c in range(grid.model.columnCount())
            if grid.model.headerData(c, Qt.Orientation.Horizontal).startswith("Unit name")
        )
        assert grid.model.setData(grid.model.index(0, name_column), "Renamed in the grid")
        dialog.close()

    when_modal(qtbot, rename_first_unit)
    page.open_grid()
    assert page.session.units[0]["name"] == "Renamed in the grid" != first_name
    assert store.units.list(draft_id)[0]["name"] == "Renamed in the grid"
    assert page.model.rowCount() == len(page.session.units)


def test_the_drafts_name_seeds_the_group_name(qtbot: QtBot, store: Store) -> None:
    row = store.drafts.create("dgg", "Olson Solar Group", {})
    wizard = open_wizard(qtbot, store, row.id)
    wizard.goto_page("general")
    field = wizard.current().findChild(QLineEdit, "group_name")
    assert field is not None and field.text() == "Olson Solar Group"
    wizard.close()
    assert store.drafts.get(row.id).payload["group_name"] == "Olson Solar Group"
