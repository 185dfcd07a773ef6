"""A big CSV read in two worker processes gives exactly what one process gives."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from generation_helpers import local_rows

from desktop.exchange import meter_files as mf
from desktop.exchange.generation_inputs import read_inputs


def test_two_workers_match_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Centred on the repeated hour of 2 November, so that the cut falls inside or near it.
    rows = local_rows("America/Chicago", datetime(2025, 11, 1, 13), datetime(2025, 11, 2, 14), 5)
    lines = ["meter,interval start,kwh"] + [f"A,{t},{v:.3f}" for t, v in rows]
    lines[40] = lines[40].rsplit(",", 1)[0] + ",oops"
    lines[-40] = lines[-40].rsplit(",", 1)[0] + ",-1"
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n")
    # Where the reader cuts the file in two (the first line break after the middle byte):
    data = path.read_bytes()
    start = data.index(b"\n") + 1
    cut_line = data[: data.index(b"\n", start + (len(data) - start) // 2) + 1].count(b"\n") + 1
    repeated = [n + 1 for n, ln in enumerate(lines) if ",2025-11-02 01:" in ln]
    assert repeated[0] < cut_line <= repeated[-1]  # the cut falls inside the repeated hours
    monkeypatch.setattr(mf, "PARALLEL_MIN_BYTES", 0)
    opts = {"input_tz": "America/Chicago"}
    one = read_inputs([path], mf.ReadOptions(**opts, workers=1)).readings  # type: ignore[arg-type]
    progress: list[tuple[int, int]] = []
    two = read_inputs(
        [path],
        mf.ReadOptions(**opts, workers=2),  # type: ignore[arg-type]
        progress=lambda d, t: progress.append((d, t)),
    ).readings
    assert sorted(one.series) == sorted(two.series) == ["A"]
    for meter in one.series:
        a, b = one.series[meter], two.series[meter]
        assert (a.stamps, a.values, a.where) == (b.stamps, b.values, b.where)
    assert one.issues == two.issues and len(one.issues) == 1  # 'oops'; -1 is checked later
    assert one.counts == two.counts and one.counts.repeated_hour_readings == 24
    assert progress[-1][0] == progress[-1][1] == path.stat().st_size
