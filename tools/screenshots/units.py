"""Screenshots of the units grid (1,000 units, a few issues) and the import preview.

Run: DISPLAY=:94 python tools/screenshots/units.py   (Xvfb :94 -screen 0 1280x800x24 &)
Writes docs/screenshots/units-grid.png, units-grid-issues.png and units-import-preview.png.
"""

from __future__ import annotations

import random
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop.exchange import units_rules
from desktop.exchange.units_file import export_units
from desktop.models.units import new_unit
from desktop.store import open_store
from desktop.views.units_grid_view import UnitsGridView
from desktop.views.units_import_dialog import UnitsImportDialog

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
GROUP = {
    "state_province": "Minnesota",
    "group_type": "Residential",
    "fuels": [{"fuel_type": "Solar", "fuel_source": "Solar PV"}],
}
STREETS = ["Maple Ave", "Lake St", "Summit Ave", "Grand Ave", "Cedar Ln", "Oak St", "Hillcrest Dr"]
CITIES = [
    ("Saint Paul", "Ramsey", "551"),
    ("Minneapolis", "Hennepin", "554"),
    ("Duluth", "St. Louis", "558"),
    ("Rochester", "Olmsted", "559"),
]
NAMES = ["Olson", "Nguyen", "Johnson", "Larson", "Hernandez", "Peterson", "Anderson", "Khan"]


def units(n: int) -> list[dict[str, object]]:
    rng = random.Random(5)
    out = []
    for i in range(n):
        city, county, zip3 = rng.choice(CITIES)
        out.append(
            new_unit(
                name=f"{rng.choice(NAMES)} roof {i + 1}",
                meter_id=f"XE-{4400000 + i * 7}",
                street=f"{rng.randint(100, 9999)} {rng.choice(STREETS)}",
                city=city,
                state_province="Minnesota",
                postal_code=f"{zip3}{rng.randint(10, 99)}",
                county=county,
                latitude=round(44.9 + rng.random(), 4),
                longitude=round(-93.5 + rng.random(), 4),
                capacity_mw=round(rng.uniform(0.3, 1.2) / 1000, 6),
                cod=date(2016, 1, 1) + timedelta(days=rng.randint(0, 3000)),
                utility="Xcel Energy",
                customer_type="Residential",
                expansion=False,
                owned_by_org=rng.random() > 0.1,
                fuel_type="Solar",
                fuel_source="Solar PV",
            )
        )
    out[2]["cod"] = None
    out[4]["state_province"] = "Wisconsin"
    out[7]["meter_id"] = out[5]["meter_id"]
    out[9]["customer_type"] = "Commercial"
    out[11]["capacity_mw"] = 1.2
    return out


def main() -> None:
    app = QApplication.instance() or QApplication([])
    tmp = Path(tempfile.mkdtemp(prefix="shots-units-"))
    store = open_store(tmp / "data")
    draft = store.drafts.create("dgg", "Lakeside residential solar", dict(GROUP))
    store.units.replace_all(draft.id, units_rules.units_to_json(units(1000)))
    view = UnitsGridView(store, draft.id)
    view.setWindowTitle("Registry Desk — units of Lakeside residential solar")
    view.resize(1280, 760)
    view.show()

    def shoot_grid() -> None:
        view.table.setCurrentIndex(view.model.index(0, 0))
        view.jump()
        view.table.scrollToTop()
        view.table.horizontalScrollBar().setValue(0)
        view.grab().save(str(OUT / "units-grid.png"))
        view.only_issues.setChecked(True)
        view.table.setCurrentIndex(view.model.index(1, 4))
        view.jump()
        view.table.horizontalScrollBar().setValue(0)
        view.layout().activate()  # the footer's labels changed width since the last layout pass
        view.grab().save(str(OUT / "units-grid-issues.png"))
        view.only_issues.setChecked(False)
        sample = units(40)
        sample[3]["cod"] = date(2031, 5, 1)
        sample[8]["capacity_mw"] = None
        export_units(tmp / "units-from-excel.csv", sample)
        text = (tmp / "units-from-excel.csv").read_text(encoding="utf-8-sig")
        text = text.replace("Interconnected utility", "Utility").replace("XE-4400014", "XE-4400007")
        (tmp / "units-from-excel.csv").write_text(text.replace(",", ";"), encoding="cp1252")
        dialog = UnitsImportDialog(tmp / "units-from-excel.csv", view.model.units, GROUP, view)
        dialog.show()

        def shoot_dialog() -> None:
            if dialog.stack.currentIndex() != 2:
                QTimer.singleShot(100, shoot_dialog)
                return
            dialog.preview.scrollTo(dialog.preview.model().index(3, 0))
            dialog.grab().save(str(OUT / "units-import-preview.png"))
            dialog.reject()
            view.flush()
            store.close()
            app.quit()

        QTimer.singleShot(200, shoot_dialog)

    QTimer.singleShot(500, shoot_grid)
    app.exec()


if __name__ == "__main__":
    main()
