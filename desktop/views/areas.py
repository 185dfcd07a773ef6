"""The areas of the main window, in sidebar order, and how each opens its drafts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from desktop.config import Settings
from desktop.store import DraftRow, Store
from desktop.views.drafts_list_view import DraftsListView
from desktop.views.main_window import Area, explanation_page

_open_windows: list[QWidget] = []  # keep wizards alive while they are open


def _keep(window: QWidget) -> None:
    # Deleted when closed, so the list holds only what is on screen.
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _open_windows.append(window)
    window.destroyed.connect(lambda *_: _open_windows.remove(window))


def _already_open(draft_id: int) -> QWidget | None:
    """A wizard or grid window already editing this draft (one writer per draft)."""
    for window in _open_windows:
        if getattr(window, "draft_id", None) == draft_id:
            return window
    return None


def _raise_instead(draft_id: int) -> bool:
    window = _already_open(draft_id)
    if window is None:
        return False
    window.show()
    window.raise_()
    window.activateWindow()
    return True


def build_areas(store: Store, settings: Settings) -> list[Area]:
    def open_dgg(row: DraftRow) -> None:
        from desktop.wizards.dgg_wizard import DggWizard  # noqa: PLC0415 - loaded on first use

        if _raise_instead(row.id):  # its wizard or units grid is open: that window is shown
            return
        wizard = DggWizard(store, row.id)
        _keep(wizard)
        wizard.show()

    def open_units_grid(row: DraftRow) -> None:
        from desktop.views.units_grid_view import UnitsGridView  # noqa: PLC0415

        if _raise_instead(row.id):  # the wizard has the grid on its Units page
            return
        grid = UnitsGridView(store, row.id)
        grid.setWindowTitle(f"Units of {row.name} — Registry Desk")
        grid.resize(1200, 700)
        _keep(grid)
        grid.show()

    def open_btmg(row: DraftRow) -> None:
        open_btmg_id(row.id)

    def open_btmg_id(draft_id: int) -> None:
        from desktop.wizards.btmg_wizard import BtmgWizard  # noqa: PLC0415

        if _raise_instead(draft_id):
            return
        wizard = BtmgWizard(store, draft_id)
        _keep(wizard)
        wizard.show()

    # Area modules are imported when their area is first shown (see MainWindow._view).
    def settings_view() -> QWidget:
        from desktop.views.reference_lists_view import ReferenceListsView  # noqa: PLC0415
        from desktop.views.settings_view import SettingsView  # noqa: PLC0415

        view = SettingsView(store, settings)
        view.add_section("Reference lists (verify against MECT)", ReferenceListsView())
        return view

    def home_view() -> QWidget:
        from desktop.views.home_view import HomeView  # noqa: PLC0415

        return HomeView(store, open_btmg_id)

    def generation_view() -> QWidget:
        from desktop.views.generation_view import GenerationView  # noqa: PLC0415

        return GenerationView(store, settings)

    return [
        Area("home", "Home", home_view),
        Area(
            "dgg",
            "DG Groups",
            lambda: DraftsListView(
                store,
                "dgg",
                "Distributed Generation Groups",
                "Up to 1 MW AC of small customer-sited units in one state, registered together "
                "with M-RETS. Open a draft to edit its tabs, units and documents.",
                open_dgg,
                extra_actions=[
                    (
                        "&Units grid",
                        "units_grid",
                        "Edit the group's units in a spreadsheet-like grid (paste from Excel)",
                        open_units_grid,
                    )
                ],
            ),
        ),
        Area(
            "generation",
            "Generators & Generation",
            generation_view,
        ),
        Area(
            "btmg",
            "BTMG Enrollments",
            lambda: DraftsListView(
                store,
                "btmg",
                "BTMG Enrollments",
                "Behind-the-Meter Generation enrollments for MISO's MECT tool, season by season. "
                "Enroll by March 1 (February 15 to be sure of use in a FRAP).",
                open_btmg,
            ),
        ),
        Area(
            "outbox",
            "Outbox",
            lambda: explanation_page(
                "Outbox",
                "Submissions to the registry wait here until the registry acknowledges them.",
            ),
        ),
        Area("settings", "Settings", settings_view),
    ]
