"""One out-of-range time stamp in a meter file (issue 12 item 6): a located error of its own,
quoting the value, found in about the time a clean file takes; nothing else is disturbed."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.exchange.generation_pipeline import ReadRequest, assemble
from desktop.models.intervals import IntervalOptions

ROWS = 3000


def _file(tmp_path: Path, name: str, bad: str | None) -> Path:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    lines = ["Timestamp,kWh"]
    for i in range(ROWS):
        lines.append(f"{(start + timedelta(hours=i)).strftime('%Y-%m-%dT%H:%M:00+00:00')},1.000")
    if bad is not None:
        lines[1500] = f"{bad},1.000"
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    return path


def _timed(path: Path) -> tuple[float, object]:
    options = IntervalOptions(latest=date(2027, 1, 1))
    began = time.perf_counter()
    done = assemble(ReadRequest((path,), interval=options))
    return time.perf_counter() - began, done


@pytest.mark.parametrize(
    ("stamp", "shown"),
    [
        ("9999-12-31T23:00:00-05:00", "10000-01-01 04:00 UTC"),
        ("0001-01-01T00:00:00+00:00", "0001-01-01 00:00 UTC"),
        ("2031-06-01T00:00:00+00:00", "2031-06-01 00:00 UTC"),
    ],
)
def test_one_implausible_stamp_is_one_located_error(tmp_path: Path, stamp: str, shown: str) -> None:
    clean_s, _clean = _timed(_file(tmp_path, "clean.csv", None))
    bad_s, done = _timed(_file(tmp_path, "bad.csv", stamp))
    errors = [i for i in done.issues if i.blocking]  # type: ignore[attr-defined]
    assert len(errors) == 1
    (e,) = errors
    assert (e.row, e.column) == (1500, "Timestamp") and e.file.endswith("bad.csv")
    assert f"({shown})" in e.message and "2027-01-01" in e.message
    assert done.counts.rows_refused == 1  # type: ignore[attr-defined]
    # The other readings are summed as usual: the refused hour is a gap in March.
    hourly = done.hourly  # type: ignore[attr-defined]
    assert [m.vintage for m in hourly.months] == ["01/2026", "02/2026", "04/2026"]
    assert bad_s < 3 * clean_s + 0.5, (bad_s, clean_s)


def test_the_command_line_stops_with_the_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _file(tmp_path, "far.csv", "9999-12-31T23:00:00-05:00")
    code = main(
        [
            "generation",
            "build",
            "--input",
            str(path),
            "--generator-id",
            "5",
            "--unit-id",
            "5",
            "--granularity",
            "monthly",
            "--out",
            str(tmp_path / "out.csv"),
            "--data-dir",
            str(tmp_path / "data"),
        ]
    )
    assert code == 1 and not (tmp_path / "out.csv").exists()
    (line,) = [x for x in capsys.readouterr().err.splitlines() if x.startswith("error")]
    assert line.startswith(f"error: {path}, line 1501, column Timestamp: the time stamp")
    assert "10000-01-01 04:00 UTC" in line and "plausible range 1990-01-01" in line
