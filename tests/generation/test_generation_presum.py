"""Meters checked and summed into hours by the worker processes of a big file give exactly what
one process gives: the same hours to the last bit, months, counts, issues and notes."""

from __future__ import annotations

import itertools
from array import array
from datetime import datetime
from pathlib import Path

import pytest
from generation_helpers import local_rows

from desktop.exchange import meter_files as mf
from desktop.exchange.generation_inputs import read_inputs
from desktop.exchange.generation_pipeline import Assembled, ReadRequest, assemble
from desktop.models.intervals import HourParts, hour_parts, join_parts

ZONE = "America/Chicago"


def _run(path: Path, workers: int) -> Assembled:
    options = mf.ReadOptions(input_tz=ZONE, workers=workers)
    return assemble(ReadRequest((path,), options, nameplate_mw=0.01))


def _same(one: Assembled, two: Assembled) -> None:
    assert one.hourly is not None and two.hourly is not None
    assert one.hourly.first_hour == two.hourly.first_hour
    assert one.hourly.kwh == two.hourly.kwh  # bit for bit
    assert one.months == two.months
    assert one.partial_months == two.partial_months
    assert one.issues == two.issues
    assert one.counts == two.counts
    assert one.notes == two.notes


def _write(path: Path, meters: dict[str, list[tuple[str, float]]]) -> None:
    lines = ["meter,interval start,kwh"]
    for meter, rows in meters.items():
        lines += [f"{meter},{t},{v:.3f}" for t, v in rows]
    path.write_text("\n".join(lines) + "\n")


def _cut_line(path: Path) -> int:
    """The first line of the second part (the reader cuts after the middle byte's line)."""
    data = path.read_bytes()
    start = data.index(b"\n") + 1
    return data[: data.index(b"\n", start + (len(data) - start) // 2) + 1].count(b"\n") + 1


@pytest.fixture(autouse=True)
def _parts_for_small_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mf, "PARALLEL_MIN_BYTES", 0)


def test_meters_cut_between_workers_are_summed_there(tmp_path: Path) -> None:
    rows = local_rows(ZONE, datetime(2025, 10, 30), datetime(2025, 11, 5), 15)
    path = tmp_path / "three.csv"
    _write(path, {"A": rows, "B": rows, "C": rows})
    assert 1 + len(rows) + 1 < _cut_line(path) < 1 + 2 * len(rows)  # the cut is inside B
    one, two = _run(path, 1), _run(path, 2)
    assert one.inputs.readings.presummed is None
    presummed = two.inputs.readings.presummed
    assert presummed is not None and sorted(presummed.meters) == ["A", "B", "C"]
    assert one.counts.repeated_hour_readings == 3 * 8
    _same(one, two)


def test_a_piece_of_one_reading_takes_its_interval_from_the_rest(tmp_path: Path) -> None:
    # Two meters of equal line lengths: the middle byte is B's first line, so the first part
    # ends with that one reading of B.
    rows = local_rows(ZONE, datetime(2025, 11, 1), datetime(2025, 11, 4), 15)
    path = tmp_path / "one-reading.csv"
    _write(path, {"A": rows, "B": rows})
    assert _cut_line(path) == 2 + len(rows) + 1
    one, two = _run(path, 1), _run(path, 2)
    presummed = two.inputs.readings.presummed
    assert presummed is not None and sorted(presummed.meters) == ["A", "B"]
    _same(one, two)


def test_a_gap_at_the_cut_is_found_as_in_one_process(tmp_path: Path) -> None:
    rows = local_rows(ZONE, datetime(2025, 11, 1), datetime(2025, 11, 4), 15)
    moved = list(rows)
    moved[0] = ("2025-10-31 23:00", rows[0][1])  # B's reading before the cut: 45 minutes early
    path = tmp_path / "gap.csv"
    _write(path, {"A": rows, "B": moved})
    assert _cut_line(path) == 2 + len(rows) + 1
    one, two = _run(path, 1), _run(path, 2)
    presummed = two.inputs.readings.presummed
    assert presummed is not None and sorted(presummed.meters) == ["A"]
    assert two.hourly is not None
    gaps = [(g.meter, g.where) for g in two.hourly.coverage.gaps]
    assert gaps == [("B", f"between line {len(rows) + 2} and line {len(rows) + 3} of gap.csv")]
    _same(one, two)


def test_a_cut_inside_the_repeated_hour_is_decided_over_the_whole_file(tmp_path: Path) -> None:
    rows = local_rows(ZONE, datetime(2025, 11, 1, 13), datetime(2025, 11, 2, 14), 5)
    path = tmp_path / "fold.csv"
    _write(path, {"A": rows})
    repeated = [n + 2 for n, (t, _) in enumerate(rows) if t.startswith("2025-11-02 01:")]
    assert repeated[0] < _cut_line(path) <= repeated[-1]
    one, two = _run(path, 1), _run(path, 2)
    presummed = two.inputs.readings.presummed
    assert presummed is not None and presummed.meters == {}  # the part decided it alone
    assert one.counts.repeated_hour_readings == 24 and not one.has_errors
    _same(one, two)


def test_problems_in_a_worker_part_are_checked_as_in_one_process(tmp_path: Path) -> None:
    rows = local_rows(ZONE, datetime(2025, 11, 1), datetime(2025, 11, 4), 15)
    bad = list(rows)
    bad[20] = (bad[20][0], -1.0)
    del bad[40]
    path = tmp_path / "bad.csv"
    _write(path, {"A": rows, "B": rows, "C": bad})
    one, two = _run(path, 1), _run(path, 2)
    presummed = two.inputs.readings.presummed
    assert presummed is not None and sorted(presummed.meters) == ["A", "B"]
    assert {(i.row, i.column) for i in two.issues if i.severity.value == "error"} == {
        (2 * len(rows) + 21, "kwh"),
    }
    assert two.hourly is not None
    assert [g.where.split(" and ")[1] for g in two.hourly.coverage.gaps] == [
        f"line {2 * len(rows) + 42} of bad.csv"
    ]
    _same(one, two)


@pytest.mark.parametrize(("step", "start"), [(5, 0), (15, 0), (15, 45), (30, 30), (60, 0)])
def test_runs_cut_anywhere_join_to_the_sums_of_the_whole(step: int, start: int) -> None:
    kwh = array("d", (round(0.1 * (i % 7) + 0.013 * i, 3) for i in range(40)))
    off = -300
    first = 483_360 * 60 + start - off  # a UTC minute that is `start` past an EST hour
    whole = hour_parts(first, step, kwh, off)
    assert whole is not None
    n = len(kwh)
    for cuts in itertools.chain(
        ((k,) for k in range(1, n)), itertools.combinations(range(1, n, 3), 2)
    ):
        bounds = (0, *cuts, n)
        pieces = [
            hour_parts(first + a * step, step, kwh[a:b], off) for a, b in itertools.pairwise(bounds)
        ]
        assert all(isinstance(p, HourParts) for p in pieces)
        joined = join_parts([p for p in pieces if p is not None], off)
        assert joined == whole, cuts


def test_runs_that_do_not_follow_each_other_are_not_joined() -> None:
    kwh = array("d", [1.0] * 8)
    a = hour_parts(6000, 15, kwh, 0)
    later = hour_parts(6000 + 15 * 9, 15, kwh, 0)
    other_step = hour_parts(6000 + 15 * 8, 30, kwh, 0)
    assert a is not None and later is not None and other_step is not None
    assert join_parts([a, later], 0) is None
    assert join_parts([a, other_step], 0) is None


def test_stamps_of_meters_that_differ_are_read_as_in_time_order(tmp_path: Path) -> None:
    # Meter by meter, each meter's stamps are compared with the meter before; a file in time
    # order is looked up stamp by stamp. Both must give the same series and the same problems.
    rows = local_rows(ZONE, datetime(2025, 11, 1), datetime(2025, 11, 3), 15)
    later = rows[7:]
    odd = list(rows)
    odd[30] = ("2025-11-01 7:30", odd[30][1])  # the same instant written another way
    odd[50] = ("not a time", odd[50][1])
    meters = {"A": rows, "B": later, "C": odd, "D": rows, "A2": rows}
    by_meter = tmp_path / "by-meter.csv"
    _write(by_meter, meters)
    in_time = tmp_path / "in-time.csv"
    turns = itertools.zip_longest(*([(m, t, v) for t, v in rs] for m, rs in meters.items()))
    in_time.write_text(  # round robin: each meter's readings stay in their order
        "meter,interval start,kwh\n"
        + "".join(f"{m},{t},{v:.3f}\n" for turn in turns for m, t, v in filter(None, turn))
    )
    options = mf.ReadOptions(input_tz=ZONE, workers=1)
    a = read_inputs([by_meter], options).readings
    b = read_inputs([in_time], options).readings
    for meter in meters:
        sa, sb = a.series[meter], b.series[meter]
        assert (sa.stamps, sa.values) == (sb.stamps, sb.values), meter
    assert [i.message for i in a.issues] == [i.message for i in b.issues]
    assert [i.row for i in a.issues] == [1 + 2 * len(rows) - 7 + 50]  # C's row 50
