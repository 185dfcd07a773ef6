"""The areas of the main window, in sidebar order, and how each opens its drafts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from desktop.config import Settings
from desktop.store import DraftRow, Store
from desktop.views.main_window import Area, WindowHooks

if TYPE_CHECKING:
    from desktop.views.drafts_list_view import DraftsListView
    from desktop.views.sync_service import SyncService

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


def open_windows() -> list[QWidget]:
    """The wizards and units grids on screen (quitting closes them first)."""
    return list(_open_windows)


def build_areas(store: Store, settings: Settings) -> list[Area]:
    return build_window_parts(store, settings).areas


StatusWidgets = Callable[[], list[QWidget]]


@dataclass(frozen=True)
class WindowParts:
    areas: list[Area]
    status_widgets: StatusWidgets
    hooks: WindowHooks

    def __iter__(self) -> Iterator[list[Area] | StatusWidgets]:
        """`areas, status_widgets = build_window_parts(...)` as before the hooks existed."""
        return iter((self.areas, self.status_widgets))


def build_window_parts(
    store: Store, settings: Settings, *, start_local_sandbox: bool = False
) -> WindowParts:
    """The areas, a factory for the status bar's permanent widgets (the online indicator)
    and the hooks of the menus and of quitting, which share one sync service. The application
    starts the local practice registry when that is the target; tests do not."""
    services: list[SyncService] = []

    def sync_service() -> SyncService:
        """One sync service for the window, made when first needed (it loads requests)."""
        if not services:
            from desktop.views.sync_service import SyncService  # noqa: PLC0415

            services.append(SyncService(store, settings, start_local=start_local_sandbox))
        return services[0]

    def open_dgg(row: DraftRow) -> None:
        from desktop.wizards.dgg_wizard import DggWizard  # noqa: PLC0415 - loaded on first use

        if _raise_instead(row.id):  # its wizard or units grid is open: that window is shown
            return
        wizard = DggWizard(store, row.id, sync_service=sync_service())
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
        from desktop.views.registry_connection_view import (  # noqa: PLC0415
            RegistryConnectionView,
        )

        connection = RegistryConnectionView(settings)
        service = sync_service()  # the status bar follows Test connection, keys and targets
        connection.tested.connect(service.note_answer)
        connection.key_saved.connect(lambda _target: service.key_changed())
        connection.target_changed.connect(lambda _target: service.target_switched())
        view.add_section("Registry connection", connection)
        view.add_section("Reference lists (verify against MECT)", ReferenceListsView())
        return view

    def outbox_view() -> QWidget:
        from desktop.views.outbox_view import OutboxView  # noqa: PLC0415

        return OutboxView(sync_service())

    def home_view() -> QWidget:
        from desktop.views.home_view import HomeView  # noqa: PLC0415

        return HomeView(store, open_btmg_id, registry_target=str(settings.get("registry.target")))

    def generation_view() -> QWidget:
        from desktop.views.generation_view import GenerationView  # noqa: PLC0415

        return GenerationView(store, settings, sync_service=sync_service())

    def drafts_list(
        kind: str,
        title: str,
        explanation: str,
        opener: Callable[[DraftRow], None],
        extra_actions: list[tuple[str, str, str, Callable[[DraftRow], None]]] | None = None,
    ) -> DraftsListView:
        from desktop.views.drafts_list_view import DraftsListView  # noqa: PLC0415

        return DraftsListView(store, kind, title, explanation, opener, extra_actions=extra_actions)

    def status_widgets() -> list[QWidget]:
        from desktop.views.online_indicator import OnlineIndicator  # noqa: PLC0415
        from desktop.views.registry_fix_link import RegistryFixLink  # noqa: PLC0415

        return [OnlineIndicator(sync_service()), RegistryFixLink(sync_service())]

    areas = [
        Area("home", "Home", home_view),
        Area(
            "dgg",
            "DG Groups",
            lambda: drafts_list(
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
            lambda: drafts_list(
                "btmg",
                "BTMG Enrollments",
                "Behind-the-Meter Generation enrollments for MISO's MECT tool, season by season. "
                "Enroll by March 1 (February 15 to be sure of use in a FRAP).",
                open_btmg,
            ),
        ),
        Area("outbox", "Outbox", outbox_view),
        Area("settings", "Settings", settings_view),
    ]
    hooks = WindowHooks(
        open_windows=open_windows,
        sync=sync_service,
        sync_if_started=lambda: services[0] if services else None,
    )
    return WindowParts(areas, status_widgets, hooks)
