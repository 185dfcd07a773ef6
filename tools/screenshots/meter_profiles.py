"""Meter import screenshots (run with DISPLAY set, e.g. under Xvfb :105):

    python tools/screenshots/meter_profiles.py   # generation-mapping-detected.png,
                                                 # generation-import-profile.png

A utility portal's "CSV Export" (ten metadata lines above the header, a Date and a 12-hour
Start Time column, Consumption/Generation/Net): the mapping dialog shows the shape it detected
and asks which energy column is the generator's; the choice is kept as an import profile, and
next month's export from the same portal is mapped by it and read with one click.
"""

from __future__ import annotations

from datetime import date

from _common import app, save, settle, temp_store  # type: ignore[import-not-found]
from generation import read_now  # type: ignore[import-not-found]

from desktop.app import create_window
from desktop.config import Settings
from desktop.models.generator_draft import KIND, GeneratorDraft, InputSettings
from desktop.views.generation_view import TAB_METER
from desktop.views.meter_mapping_dialog import set_combo_text
from tests.generation.export_shapes import portal_csv  # the shapes the tests read


def main() -> None:
    application = app()
    store = temp_store()
    folder = store.paths.root / "downloads"
    (folder / "march").mkdir(parents=True)
    (folder / "april").mkdir()
    draft = GeneratorDraft()
    draft.record.update(
        name="Lakeview Foods rooftop",
        mrets_id="M20417",
        reporting_unit_id="LAKEVIEW-PV1",
        nameplate_mw=0.12,
        capacity_factor=15.5,
        fuels=("Solar",),
        registration_date=date(2024, 11, 4),
    )
    draft.workspace.inputs = InputSettings(input_tz="America/Chicago")
    row = store.drafts.create(KIND, "Lakeview Foods rooftop", draft.to_payload())
    window = create_window(store, Settings.load(store.paths.settings))
    window.resize(1280, 800)
    window.show()
    view = window.show_area("generation")
    view.list.select_id(row.id)
    view.tabs.setCurrentIndex(TAB_METER)
    settle(300)

    march = folder / "march" / "CSV Export.csv"
    portal_csv(march)
    view.meter.add_files([march])
    dialog = view.meter.mapping_dialog
    assert dialog is not None
    set_combo_text(dialog.combos["energy"], "Generation")
    dialog.profile_name.setText("Lakeview portal (Xcel CSV export)")
    settle(300)
    save(dialog, "generation-mapping-detected")
    dialog.accept()
    settle(200)

    view.meter.files.item(0).setSelected(True)
    view.meter.remove_selected()
    april = folder / "april" / "CSV Export.csv"
    portal_csv(april)
    view.meter.add_files([april])
    read_now(view)
    settle(400)
    save(window, "generation-import-profile")
    window.close()
    store.close()
    application.quit()


if __name__ == "__main__":
    main()
