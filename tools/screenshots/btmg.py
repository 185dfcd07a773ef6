"""Screenshots of the BTMG wizard pages, the deadlines home widget and the reference lists page.

Run from the repository root with a display (e.g. `Xvfb :95 &` then `DISPLAY=:95 python
tools/screenshots/btmg.py`); images go to docs/screenshots/btmg-*.png.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from desktop.commands import btmg as svc  # noqa: E402
from desktop.models import reference  # noqa: E402
from desktop.models.btmg_fields import PAGES, Page  # noqa: E402
from desktop.models.btmg_rules import statements  # noqa: E402
from desktop.models.planning import SEASONS, Season  # noqa: E402
from desktop.models.units import new_unit  # noqa: E402
from desktop.store import Store, open_store  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
TODAY = date(2026, 2, 3)


def seed(store: Store, folder: Path) -> tuple[int, int]:
    dgg = store.drafts.create("dgg", "Lakeside Solar DGG", {"name": "Lakeside Solar DGG"})
    store.units.replace_all(
        dgg.id,
        [new_unit(name=f"Roof {n}", capacity_mw=c) for n, c in enumerate((0.4, 0.35, 0.2), 1)],
    )
    gen = store.drafts.create("generator", "Mill CHP unit 1", {"nameplate_mw": 2.5})
    row = svc.create(store, "Mill Street BTMG", TODAY)
    _, e = svc.load(store, row.id, TODAY)
    e.values.update(
        asset_owner="Northern Mills Energy LLC",
        lba="NSP",
        description="Two gas gensets behind the mill's load meter; run on MISO instruction.",
        cpnode="NSP.NSP",
        demand_reduction_mw=2.0,
        operator_name="Dana Olson",
        operator_phone="651-555-0100",
        operator_email="dana.olson@example.com",
        measurement_protocol="Metered Generator Output",
    )
    for season in SEASONS:
        e.seasons[season].update(
            status_option="New",
            generators=(f"generator:{gen.id}",),
            xeford_override=4.5,
            max_interruptions=5 if season in (Season.SUMMER, Season.WINTER) else 3,
            max_duration_hours="4",
            monthly_availability="Available all months of the season",
            notification="2 hours",
        )
    e.seasons[Season.SPRING]["max_interruptions"] = 2
    e.statements_accepted = list(statements())[:3]
    doc = folder / "mill-one-line.pdf"
    doc.write_bytes(b"%PDF-1.4\n" + b"0" * 180_000)
    store.documents.add(row.id, doc, "One-line diagram")
    svc.save(store, row.id, e, on=TODAY)

    late = svc.create(store, "Depot backup gen", date(2025, 1, 5))
    svc.save(store, late.id, svc.load(store, late.id)[1], on=TODAY)
    svc.create(store, "Clinic CHP", TODAY)
    done = svc.create(store, "Elevator plant BTMG", TODAY)
    _, e2 = svc.load(store, done.id, TODAY)
    e2.values.update({k: v for k, v in e.values.items() if k != "name"})
    e2.seasons = {s: {**e.seasons[s], "max_interruptions": 5} for s in SEASONS}
    e2.statements_accepted = list(statements())
    svc.save(store, done.id, e2, on=TODAY)
    store.documents.add(done.id, doc, "One-line diagram")
    sheets = [folder / "elevator.xlsx", folder / "elevator.pdf"]
    svc.submit(store, done.id, sheets, TODAY)
    render_pdf(sheets[1])
    svc.mark_entered(store, done.id, "BTMG-2026-0147", TODAY, TODAY)
    return row.id, late.id


def render_pdf(pdf: Path) -> None:
    """Page 1 of the MECT entry sheet as the user will print it (poppler's pdftoppm)."""
    if shutil.which("pdftoppm") is None:
        print("pdftoppm not installed: no PDF screenshot")
        return
    stem = OUT / "btmg-sheet-pdf"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
        check=True,
    )
    print(f"{stem}.png")


def shoot(widget: QWidget, name: str) -> None:
    widget.show()
    widget.raise_()
    widget.activateWindow()
    for _ in range(5):
        QApplication.processEvents()
    path = OUT / f"btmg-{name}.png"
    widget.grab().save(str(path))
    print(path)


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    from desktop.views.btmg_deadlines_view import BtmgDeadlinesView
    from desktop.views.reference_lists_view import ReferenceListsView
    from desktop.wizards.btmg_wizard import BtmgWizard

    with tempfile.TemporaryDirectory() as tmp:
        reference.set_user_dir(Path(tmp) / "user")
        store = open_store(Path(tmp) / "data")
        try:
            draft_id, late_id = seed(store, Path(tmp))
            wizard = BtmgWizard(store, draft_id, clock=lambda: TODAY, sheets_dir=Path(tmp))
            wizard.resize(960, 760)
            wizard.show()  # a QWizard starts on show; next() does nothing before that
            for page in PAGES:
                while wizard.currentId() < PAGES.index(page):
                    wizard.next()
                while wizard.currentId() > PAGES.index(page):
                    wizard.back()
                if page is Page.SEASONS:
                    seasons = wizard.pages[Page.SEASONS]
                    seasons.tabs.setCurrentIndex(3)  # type: ignore[attr-defined]
                    wizard.pages[Page.SEASONS].focus_field("spring.max_interruptions")
                elif page is Page.CAPABILITY:
                    wizard.pages[page].focus_field("demand_reduction_mw")
                shoot(wizard, f"{PAGES.index(page) + 1}-{page.value}")
            wizard.done(0)
            late = BtmgWizard(store, late_id, clock=lambda: TODAY, sheets_dir=Path(tmp))
            late.resize(960, 520)
            shoot(late, "late-draft")
            late.done(0)
            view = BtmgDeadlinesView(store, clock=lambda: TODAY)
            view.resize(1000, 300)
            shoot(view, "home-deadlines")
            ref = ReferenceListsView()
            ref.resize(1000, 560)
            ref.select("mect_lbas")
            shoot(ref, "reference-lists")
        finally:
            store.close()
            reference.set_user_dir(None)
    app.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
