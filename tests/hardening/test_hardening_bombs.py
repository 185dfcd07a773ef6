"""Entity bombs and ZIP bombs are refused quickly, with a clear error and bounded memory.

Each hostile file is read in its own process (bomb_child.py), which reports the time the read
took and how far it raised the process's peak resident memory (resource.getrusage). The
limits come from the hardening brief: refused in under 2 s, under 200 MB more memory. The
readers refuse these files in milliseconds, so the time limit leaves a wide margin on a busy
machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.hardening import bombs

CHILD = Path(__file__).with_name("bomb_child.py")
ROOT = Path(__file__).resolve().parents[2]
SECONDS = 2.0
RSS_MB = 200.0
ROWS: list[list[object]] = [
    ["Timestamp", "kWh", "Unit name", "Revenue meter ID"],
    ["2025-04-01 00:00", 1.5, "Olson roof", "M1"],
]

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is KiB on Linux")


def read_in_child(reader: str, path: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, str(CHILD), reader, str(path)],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def assert_refused(report: dict[str, Any], phrase: str) -> None:
    assert report["error"] is not None, f"the hostile file was accepted: {report}"
    assert phrase in report["message"], report
    assert report["seconds"] < SECONDS, report
    assert report["rss_growth_mb"] < RSS_MB, report


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("bombs")
    return {
        "gb_laughs": bombs.green_button_bomb(d / "usage.xml"),
        "sheet_laughs": bombs.entity_bomb_xlsx(d / "sheet-laughs.xlsx", bombs.SHEET, ROWS),
        "shared_laughs": bombs.entity_bomb_xlsx(d / "shared-laughs.xlsx", bombs.SHARED, ROWS),
        # 3.5 GiB of zeros behind honest headers: a 3.6 MB file
        "zip_honest": bombs.zip_bomb_xlsx(d / "zeros.xlsx", 3500, lie=False, rows=ROWS),
        # the same stream behind headers that claim 1 MiB
        "zip_liar": bombs.zip_bomb_xlsx(d / "liar.xlsx", 3500, lie=True, rows=ROWS),
        # well-formed XML (spaces) behind lying headers: only the inflated size gives it away
        "zip_liar_xml": bombs.zip_bomb_xlsx(
            d / "liar-spaces.xlsx", 3500, lie=True, rows=ROWS, filler=b" "
        ),
        # under the total-size limit but 1,000 times smaller than it inflates
        "zip_ratio": bombs.zip_bomb_xlsx(d / "ratio.xlsx", 200, lie=False, rows=ROWS),
    }


def test_the_bombs_are_what_they_claim(hostile: dict[str, Path]) -> None:
    """Guard the fixtures: small files, real DEFLATE streams of the stated size."""
    with zipfile.ZipFile(hostile["zip_honest"]) as z:
        info = z.getinfo(bombs.SHEET)
        assert info.file_size > 3 * 2**30
        with z.open(info) as part:
            start = part.read(8 * bombs.MIB)
        assert start.startswith(bombs.SHEET_HEAD) and set(start[len(bombs.SHEET_HEAD) :]) == {0}
    assert hostile["zip_honest"].stat().st_size < 5 * bombs.MIB
    with zipfile.ZipFile(hostile["zip_liar"]) as z:
        assert z.getinfo(bombs.SHEET).file_size < 2 * bombs.MIB
    text = hostile["gb_laughs"].read_text()
    assert text.count("<!ENTITY") == 10 and "&lol9;" in text


def test_green_button_billion_laughs(hostile: dict[str, Path]) -> None:
    assert_refused(read_in_child("meter", hostile["gb_laughs"]), "refused unsafe XML")


@pytest.mark.parametrize("reader", ["units", "meter"])
@pytest.mark.parametrize("part", ["sheet_laughs", "shared_laughs"])
def test_xlsx_entity_bombs(hostile: dict[str, Path], reader: str, part: str) -> None:
    assert_refused(read_in_child(reader, hostile[part]), "declares XML entities")


@pytest.mark.parametrize("reader", ["units", "meter"])
@pytest.mark.parametrize(
    ("bomb", "phrase"),
    [
        ("zip_honest", "refused as unsafe (a ZIP bomb?)"),
        ("zip_ratio", "refused as unsafe (a ZIP bomb?)"),
        ("zip_liar", "the file is damaged"),
        ("zip_liar_xml", "larger than its declared uncompressed size"),
    ],
)
def test_zip_bombs(hostile: dict[str, Path], reader: str, bomb: str, phrase: str) -> None:
    assert_refused(read_in_child(reader, hostile[bomb]), phrase)


def test_meter_spreadsheets_go_through_the_zip_guard(hostile: dict[str, Path]) -> None:
    """Regression: the meter reader handed workbooks to calamine unchecked, and a 3.5 GB
    sheet took 5.4 s and 3.5 GB of memory before failing. Now the guard refuses it first,
    in this process too (the window's column-mapping dialog reads through `sniff`)."""
    from desktop.errors import InputError
    from desktop.exchange.meter_files import sniff

    with pytest.raises(InputError, match="ZIP bomb") as caught:
        sniff(hostile["zip_honest"])
    assert caught.value.where == str(hostile["zip_honest"])
