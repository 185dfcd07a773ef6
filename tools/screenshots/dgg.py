"""Screenshots of every DGG wizard page with a realistic 12-unit solar DGG in Minnesota.

Run under a display (Xvfb works):  Xvfb :93 -screen 0 1280x800x24 &
    DISPLAY=:93 python tools/screenshots/dgg.py
Writes docs/screenshots/dgg-<page>.png and dgg-add-unit.png.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop.models import dgg  # noqa: E402
from desktop.models.dgg_example import EXAMPLE_DOCUMENTS, example_group, example_units  # noqa: E402
from desktop.store import open_store  # noqa: E402
from desktop.views.add_unit_dialog import AddUnitDialog  # noqa: E402
from desktop.wizards.dgg_wizard import DggWizard  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def settle(app: QApplication, ms: int = 150) -> None:
    """Let layouts and paints finish before grabbing (a local loop; app.quit would close)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main() -> None:
    app = QApplication(sys.argv)
    app.setStyle("Fusion")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "data")
        units = example_units()
        row = store.drafts.create("dgg", "North Star", dgg.to_json_doc(example_group()))
        store.units.replace_all(row.id, [dgg.unit_to_json(u) for u in units])
        files = Path(tmp) / "Registration documents"
        files.mkdir()
        # Every document except the Schedule A of the Ortiz residence: the checklist and the
        # review then show what one missing document looks like.
        for n, unit in enumerate(units):
            types = list(EXAMPLE_DOCUMENTS)
            if not unit["owned_by_org"] and n != 8:
                types.append("Schedule A")
            slug = unit["name"].split()[0].lower()
            for doc_type in types:
                path = files / f"{slug}-{doc_type.lower().replace(' ', '-')}.pdf"
                path.write_bytes(f"%PDF-1.4 {unit['name']} {doc_type}\n".encode() * 40)
                store.documents.add(row.id, path, doc_type, unit_uid=unit["uid"])
        analysis = files / "pvwatts-annual-output.pdf"
        analysis.write_bytes(b"%PDF-1.4 PVWatts\n" * 300)
        store.documents.add(row.id, analysis, "Capacity factor documentation")

        wizard = DggWizard(store, row.id)
        wizard.resize(1240, 780)
        wizard.show()
        for key in dgg.PAGES:
            page = wizard.goto_page(key)
            if key == "units":
                page.select_row(2)  # type: ignore[attr-defined]
            if key == "documents":
                page.focus_issue("documents", 8)  # the missing Schedule A, chosen to attach
            settle(app)
            wizard.grab().save(str(OUT / f"dgg-{key}.png"))
            print("wrote", OUT / f"dgg-{key}.png")

        group, all_units = wizard.session.group, wizard.session.units
        dialog = AddUnitDialog(
            all_units[3], group, all_units, 3, title="Edit Unit — Anderson residence"
        )
        dialog.resize(640, 780)
        dialog.show()
        settle(app)
        dialog.grab().save(str(OUT / "dgg-add-unit.png"))
        print("wrote", OUT / "dgg-add-unit.png")
        dialog.close()
        wizard.close()
        store.close()


if __name__ == "__main__":
    main()
