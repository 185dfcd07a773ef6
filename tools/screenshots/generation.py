"""Generation area screenshots (run with DISPLAY set, e.g. under Xvfb :97):

    python tools/screenshots/generation.py [Dark]   # generation-preview.png, -import.png

A 120 kW commercial rooftop array near Minneapolis: one year of 15-minute readings in Chicago
wall time (made by code, clear-sky bell × daily clouds), previewed on 2026-01-20 with a stored
remainder; a 7.6 kW home array beside it; and a meter file with a few located problems.
"""

from __future__ import annotations

import math
import random
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from _common import app, save, settle, temp_store  # type: ignore[import-not-found]
from PySide6.QtCore import QEventLoop, QTimer

from desktop.app import create_window
from desktop.config import Settings
from desktop.models.generation import RemainderLedger
from desktop.models.generator_draft import KIND, GeneratorDraft, InputSettings
from desktop.models.issues import summary
from desktop.views.generation_view import TAB_METER, TAB_PREVIEW

TODAY = date(2026, 1, 20)
# Expected monthly capacity factors of a fixed-tilt array in Minnesota (percent).
CURVE = (9.0, 12.0, 15.0, 17.0, 19.0, 21.0, 21.0, 19.0, 16.0, 12.0, 8.5, 7.0)


def solar_year(path: Path, kw: float, *, seed: int = 7, zone: str = "America/Chicago") -> Path:
    """15-minute kWh of one array from 2025-01-01 00:00 EST to 2026-01-01 00:00 EST, stamped
    in local wall time (so the spring gap and the repeated autumn hour are in the file)."""
    tz = ZoneInfo(zone)
    rnd = random.Random(seed)
    start = datetime(2025, 1, 1, 5, tzinfo=UTC)  # midnight EST
    stop = datetime(2026, 1, 1, 5, tzinfo=UTC)
    clouds = [0.3 + 0.7 * rnd.random() ** 0.6 for _ in range(370)]
    lines = ["Interval Start,kWh"]
    t = start
    while t < stop:
        local = t - timedelta(hours=6)  # the sun keeps standard time
        day = local.timetuple().tm_yday
        hour = local.hour + local.minute / 60 + 7.5 / 60
        season = math.cos(2 * math.pi * (day - 172) / 365)
        half = 6.0 + 2.3 * season
        x = (hour - 12.4) / half
        kwh = 0.0
        if abs(x) < 1:
            peak = kw * (0.55 + 0.3 * season) * clouds[day]
            kwh = peak * math.cos(x * math.pi / 2) ** 1.6 * (0.93 + 0.14 * rnd.random()) / 4
        lines.append(f"{t.astimezone(tz).strftime('%Y-%m-%d %H:%M')},{kwh:.3f}")
        t += timedelta(minutes=15)
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    return path


def problem_file(path: Path) -> Path:
    """A week of hourly readings with a typo, a negative value, a gap and a conflicting copy."""
    lines = ["Interval Start,kWh"]
    t = datetime(2025, 6, 2)
    for i in range(24 * 7):
        stamp = (t + timedelta(hours=i)).strftime("%Y-%m-%d %H:%M")
        h = (t + timedelta(hours=i)).hour
        kwh = max(0.0, 5.5 * math.sin(math.pi * (h - 5) / 15)) if 5 < h < 20 else 0.0
        lines.append(f"{stamp},{kwh:.3f}")
    lines[30] = lines[30].split(",")[0] + ",4.2O"  # a letter O for a zero
    lines[55] = lines[55].split(",")[0] + ",-0.350"
    del lines[80:83]  # three hours missing
    lines.insert(100, lines[99].split(",")[0] + ",9.999")  # the same hour again, another value
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    return path


def populate(store, folder: Path) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    big = GeneratorDraft()
    big.record.update(
        name="Lakeview Foods rooftop",
        mrets_id="M20417",
        reporting_unit_id="LAKEVIEW-PV1",
        nameplate_mw=0.12,
        capacity_factor=15.5,
        fuels=("Solar",),
        registration_date=date(2024, 11, 4),
    )
    for i, cf in enumerate(CURVE, start=1):
        big.record[f"curve_{i:02d}"] = cf
    big.record["curve_05"] = 11.0  # a cautious May curve: the preview predicts a likely hold
    big.workspace.inputs = InputSettings(
        files=[str(solar_year(folder / "lakeview-2025-15min.csv", 120.0))],
        input_tz="America/Chicago",
    )
    row = store.drafts.create(KIND, "Lakeview Foods rooftop", big.to_payload())
    store.ledgers.save(row.id, RemainderLedger("20417", {"Solar": 412}))

    home = GeneratorDraft()
    home.record.update(
        name="Olson home array",
        mrets_id="M20533",
        reporting_unit_id="OLSON-1",
        nameplate_mw=0.0076,
        capacity_factor=14.0,
        fuels=("Solar",),
        registration_date=date(2025, 1, 10),
    )
    home.workspace.inputs = InputSettings(
        files=[str(problem_file(folder / "olson-june-week.csv"))], input_tz="America/Chicago"
    )
    other = store.drafts.create(KIND, "Olson home array", home.to_payload())
    digester = GeneratorDraft()
    digester.record.update(
        name="Red Wing Farms digester",
        mrets_id="M19877",
        reporting_unit_id="REDWING-AD",
        nameplate_mw=0.4,
        capacity_factor=82.0,
        fuels=("Biogas", "Natural Gas"),
    )
    store.drafts.create(KIND, "Red Wing Farms digester", digester.to_payload())
    return row.id, other.id


def checked(store) -> None:  # type: ignore[no-untyped-def]
    """Draft lists show each draft's issue summary, which saving through the window keeps."""
    for row in store.list_drafts(KIND):
        issues = GeneratorDraft.from_payload(row.payload).issues()
        store.drafts.save(
            row.id, issue_count=sum(i.blocking for i in issues), issue_summary=summary(issues)
        )


def read_now(view) -> None:  # type: ignore[no-untyped-def]
    view.meter.start_read()
    loop = QEventLoop()
    timer = QTimer()
    timer.timeout.connect(lambda: loop.quit() if not view.meter.running else None)
    timer.start(50)
    loop.exec()
    timer.stop()


def main() -> None:
    theme = sys.argv[1] if len(sys.argv) > 1 else "Light"
    application = app(theme)
    store = temp_store()
    folder = store.paths.root / "meter"
    folder.mkdir()
    big_id, home_id = populate(store, folder)
    checked(store)
    settings = Settings.load(store.paths.settings)
    window = create_window(store, settings)
    window.resize(1280, 800)
    window.show()
    view = window.show_area("generation")
    view.today = lambda: TODAY
    view.refresh()
    view.list.select_id(big_id)
    read_now(view)
    view.tabs.setCurrentIndex(TAB_PREVIEW)
    view.preview_panel.splitter.setSizes([330, 300])
    settle(400)
    suffix = "" if theme == "Light" else "-dark"
    save(window, f"generation-preview{suffix}")

    view.list.select_id(home_id)
    view.tabs.setCurrentIndex(TAB_METER)
    read_now(view)
    settle(400)
    save(window, f"generation-import{suffix}")
    window.close()
    store.close()
    application.quit()


if __name__ == "__main__":
    main()
