"""Main window screenshots: the DG Groups list, dark mode, and HiDPI (run with DISPLAY set).

    QT_SCALE_FACTOR=2 python tools/screenshots/shell.py hidpi
"""

from __future__ import annotations

import sys

from _common import app, save, temp_store  # type: ignore[import-not-found]

from desktop.config import Settings
from desktop.models.units import new_unit


def populate(store) -> None:  # type: ignore[no-untyped-def]
    groups = [
        ("Lakeview Community Solar", 24, "Ready to submit", 0, "No issues"),
        ("Anoka County Rooftops", 118, "Draft", 3, "3 issues (1 warning)"),
        ("Red Wing Farms Digesters", 6, "Draft", 1, "1 issue"),
        ("St. Cloud Schools PV", 12, "Submitted", 0, "No issues"),
    ]
    for name, n, status, count, summary in groups:
        d = store.drafts.create("dgg", name, {"group_type": "Residential"})
        store.units.replace_all(d.id, [new_unit(name=f"Unit {i}") for i in range(n)])
        store.drafts.save(d.id, status=status, issue_count=count, issue_summary=summary)


def main() -> None:
    mode = sys.argv[1] if len(sys.argv) > 1 else "light"
    application = app("Dark" if mode == "dark" else "Light")
    store = temp_store()
    populate(store)
    from desktop.app import create_window

    window = create_window(store, Settings.load(store.paths.settings))
    window.resize(1100, 640)
    window.show()
    window.show_area("dgg")  # Home is the first area; these shots show the drafts list
    name = {"light": "main-window", "dark": "main-window-dark", "hidpi": "main-window-hidpi"}[mode]
    save(window, name)
    window.close()
    store.close()
    application.quit()


if __name__ == "__main__":
    main()
