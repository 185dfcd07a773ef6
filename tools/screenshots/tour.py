"""Every area, dialog and wizard page at 1280×800, in one theme (run with DISPLAY set):

    python tools/screenshots/tour.py light|dark|hidpi     (hidpi: with QT_SCALE_FACTOR=2)

Writes docs/screenshots/tour/<theme>-<screen>.png, to look at as a user would.
"""

from __future__ import annotations

import sys
from datetime import date

from _common import OUT, app, save, settle, temp_store  # type: ignore[import-not-found]

from desktop.config import Settings
from desktop.models import dgg
from desktop.models.dgg_example import example_group, example_units

SIZE = (1280, 800)


def main() -> None:
    theme = sys.argv[1] if len(sys.argv) > 1 else "light"
    application = app("Dark" if theme == "dark" else "Light")
    store = temp_store()
    row = store.drafts.create("dgg", "North Star Solar", dgg.to_json_doc(example_group()))
    store.units.replace_all(row.id, [dgg.unit_to_json(u) for u in example_units()])
    from desktop.commands import btmg as svc
    from desktop.views import help_dialogs
    from desktop.views.areas import build_window_parts
    from desktop.views.main_window import MainWindow
    from desktop.wizards.btmg_wizard import BtmgWizard
    from desktop.wizards.dgg_wizard import DggWizard

    today = date(2026, 1, 10)
    btmg_id = svc.create(store, "Mill Street BTMG", today).id
    settings = Settings.load(store.paths.settings)
    parts = build_window_parts(store, settings)
    window = MainWindow(store, settings, parts.areas, hooks=parts.hooks)
    window.resize(*SIZE)
    window.show()
    import _common  # type: ignore[import-not-found]

    _common.OUT = OUT / "tour"
    for area in parts.areas:
        window.show_area(area.key)
        save(window, f"{theme}-area-{area.key}")
    for name, show in (
        ("about", help_dialogs.show_about),
        ("shortcuts", help_dialogs.show_shortcuts),
        ("whats-this", help_dialogs.whats_this_page),
    ):
        box = show(window)
        settle()
        save(box, f"{theme}-dialog-{name}")
        box.close()
    guide = help_dialogs.open_guide(window, "Drafting a BTMG enrollment")
    save(guide, f"{theme}-dialog-user-guide")
    guide.close()

    wizard = BtmgWizard(store, btmg_id, clock=lambda: today)
    wizard.resize(*SIZE)
    wizard.show()
    for page_id in wizard.pageIds():
        wizard.show_page(wizard.current_page_key().__class__(list(wizard.pages)[page_id]))
        save(wizard, f"{theme}-btmg-{page_id + 1}-{wizard.current_page_key().value}")
    wizard.close()
    dwiz = DggWizard(store, row.id)
    dwiz.resize(*SIZE)
    dwiz.show()
    for n, key in enumerate(dgg.PAGES):
        dwiz.goto_page(key)
        save(dwiz, f"{theme}-dgg-{n + 1}-{key}")
    dwiz.close()
    window.close()
    store.close()
    application.quit()


if __name__ == "__main__":
    main()
