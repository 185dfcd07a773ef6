"""Fuzzing the file readers: whatever the bytes, a result or a located KnownError, nothing else.

Readers covered: the units CSV and XLSX readers (through `read_units_file`, then the DGG rules
and the preview summary), the meter CSV/XLSX readers and the Green Button reader (through
`read_inputs`, then `hourly_energy`). A result counts only when every issue it carries is
located (a file, a row or a column); an error counts only when it is a `KnownError` whose
`where` is set. Example counts are bounded so the file runs in seconds; set
HARDENING_FUZZ_SCALE=10 for a deeper local run.
"""

from __future__ import annotations

import io
import os
import random
import zipfile
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from desktop.errors import KnownError
from desktop.exchange.generation_inputs import hourly_energy, read_inputs
from desktop.exchange.meter_files import sniff
from desktop.exchange.units_columns import HEADERS
from desktop.exchange.units_file import UnitsImport, read_units_file
from desktop.models.issues import Issue

SCALE = int(os.environ.get("HARDENING_FUZZ_SCALE", "1"))
FIXTURES = Path(__file__).resolve().parents[1] / "generation" / "fixtures"
GROUP = {
    "state_province": "Minnesota",
    "group_type": "Mixed",
    "fuels": [{"fuel_type": "Solar", "fuel_source": "Solar PV"}],
}
TODAY = date(2026, 6, 1)
SEEDS = st.integers(min_value=0, max_value=2**32)  # mutators use random.Random(seed): fast


def fuzz(examples: int) -> Callable[[Any], Any]:
    """Bounded examples, no per-example deadline (the first example pays for imports), and a
    fresh file per example in the function-scoped tmp_path (overwritten each time)."""
    return settings(
        max_examples=examples * SCALE,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        derandomize=SCALE == 1,  # the same examples on every CI run; random when digging
    )


# --- The property ------------------------------------------------------------------------------


def known_and_located(exc: KnownError) -> None:
    assert exc.where, f"{type(exc).__name__} without a location: {exc.message}"
    assert exc.message.strip()


def units_property(path: Path) -> None:
    try:
        result = read_units_file(path)
        result.evaluate(GROUP, today=TODAY)
        summary = result.summary()
    except KnownError as exc:
        known_and_located(exc)
        return
    assert isinstance(result, UnitsImport)
    assert len(result.units) == len(result.numbers)
    for issue in result.read_issues:
        assert issue.row is not None and issue.column, issue  # a cell: row and column
    for shown in summary["issues"]:
        assert shown["message"]
    try:
        result.units_to_commit(GROUP, only_valid=True, today=TODAY)
    except KnownError as exc:
        known_and_located(exc)


def meter_property(path: Path, **kw: Any) -> None:
    if path.suffix != ".xml":
        try:  # the window's column-mapping dialog starts with this look at the file
            sniff(path)
        except KnownError as exc:
            known_and_located(exc)
    try:
        inputs = read_inputs([path], **kw)
        hourly = hourly_energy(inputs)
    except KnownError as exc:
        known_and_located(exc)
        return
    issues: list[Issue] = [*inputs.readings.issues, *hourly.issues]
    for issue in issues:
        # Issues found while reading name their file; checks of the summed hours may name a
        # month or hour instead, but never say nothing about where.
        assert issue.file or issue.row is not None or issue.column or issue.field, issue
        assert issue.message.strip()


# --- Units CSV (the existing tests cover raw bytes and CSV punctuation; these add typed
# --- columns with wrong values, and unusual widths) -------------------------------------------

CELL_TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-0",
            "1e308",
            "1e-320",
            "nan",
            "inf",
            "-inf",
            "7.6 kW",
            "7,6 kW",
            "1.2 MW",
            "999999999999999999999 kW",
            "0x10",
            "2024-02-30",
            "02/30/2024",
            "13/13/2024",
            "0000-00-00",
            "9999-12-31",
            "45000",
            "-45000",
            "1e10",
            "Yes",
            "no",
            "TRUE",
            '=HYPERLINK("x")',
            "'=1+1",
            "+1",
            "@SUM(A1)",
            "\u202e\u0000",
            "\ufeff",
            "x" * 5000,
            "Minnesota",
            "MN",
            "Solar",
            "Wind",
        ]
    ),
)


@fuzz(60)
@given(
    width=st.integers(min_value=1, max_value=len(HEADERS) + 3),
    rows=st.lists(st.lists(CELL_TEXT, max_size=len(HEADERS) + 4), max_size=12),
)
def test_units_csv_typed_columns_with_wrong_values(
    tmp_path: Path, width: int, rows: list[list[str]]
) -> None:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(list(HEADERS[:width]))
    for cells in rows:
        writer.writerow(cells)
    path = tmp_path / "units.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    units_property(path)


# --- Units XLSX ------------------------------------------------------------------------------

PARTS = [
    "[Content_Types].xml",
    "_rels/.rels",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/worksheets/sheet1.xml",
    "xl/sharedStrings.xml",
    "xl/styles.xml",
    "docProps/app.xml",
]
XMLISH = st.text(
    alphabet=st.sampled_from(list('<>/="? abcdefghijklmnopqrstuvwxyz:0123456789&;#!-\n')),
    max_size=300,
)


def _template_parts() -> dict[str, bytes]:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Units"
    sheet.append(list(HEADERS[:6]))
    sheet.append(["Olson roof", "M1", "1 Main St", "Saint Paul", "Minnesota", "55101"])
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as z:
        return {name: z.read(name) for name in z.namelist()}


TEMPLATE = _template_parts()


@fuzz(40)
@given(data=st.binary(max_size=4096))
def test_units_xlsx_random_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "units.xlsx"
    path.write_bytes(b"PK\x03\x04" + data)  # the content, not the name, makes it a workbook
    units_property(path)


@fuzz(60)
@given(
    replaced=st.dictionaries(
        st.sampled_from(PARTS), st.one_of(st.binary(max_size=300), XMLISH.map(str.encode))
    ),
    dropped=st.sets(st.sampled_from(PARTS)),
    compress=st.booleans(),
)
def test_units_xlsx_valid_zip_with_garbage_parts(
    tmp_path: Path, replaced: dict[str, bytes], dropped: set[str], compress: bool
) -> None:
    parts = {**TEMPLATE, **replaced}
    for name in dropped:
        parts.pop(name, None)
    path = tmp_path / "units.xlsx"
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(path, "w", method) as z:
        for name, content in parts.items():
            z.writestr(name, content)
    units_property(path)


@fuzz(40)
@given(data=st.data())
def test_units_xlsx_mutated_real_workbook(tmp_path: Path, data: st.DataObject) -> None:
    """Each part of a real workbook with a few bytes flipped, cut or repeated."""
    parts = dict(TEMPLATE)
    name = data.draw(st.sampled_from(sorted(parts)))
    parts[name] = mutate(parts[name], random.Random(data.draw(SEEDS)))
    path = tmp_path / "units.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for part, content in parts.items():
            z.writestr(part, content)
    units_property(path)


CELL_VALUE = st.one_of(
    st.none(),
    CELL_TEXT.filter(lambda s: not s.startswith("=")),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 12, 31)),
    st.times(),
)


def _illegal_for_openpyxl(value: Any) -> bool:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return isinstance(value, str) and bool(ILLEGAL_CHARACTERS_RE.search(value))


@fuzz(40)
@given(
    headers=st.lists(st.one_of(st.sampled_from(HEADERS), CELL_VALUE), min_size=1, max_size=8),
    rows=st.lists(st.lists(CELL_VALUE, max_size=10), max_size=8),
    sheet_name=st.sampled_from(["Units", "Sheet1", "Données"]),
)
def test_units_xlsx_openpyxl_workbooks_with_random_cells(
    tmp_path: Path, headers: list[Any], rows: list[list[Any]], sheet_name: str
) -> None:
    assume(not any(_illegal_for_openpyxl(v) for v in [*headers, *(v for r in rows for v in r)]))
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = sheet_name
    sheet.append(headers)
    for cells in rows:
        sheet.append(cells)
    path = tmp_path / "units.xlsx"
    book.save(path)
    units_property(path)


# --- Meter files -----------------------------------------------------------------------------

STAMP_TEXT = st.one_of(
    st.text(max_size=25),
    st.sampled_from(
        [
            "2025-04-01 00:00",
            "2025-04-01T00:15:00-05:00",
            "2025-03-09 02:30",
            "2025-11-02 01:30",
            "4/1/2025 24:00",
            "2025-04-01 00:00:59",
            "2025-02-29 00:00",
            "0001-01-01 00:00",
            "9999-12-31 23:59",
            "2025-04-01T00:00:00+14:00",
            "2025-04-01T00:00:00Z",
            "45000.5",
            "",
        ]
    ),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2040, 1, 1)).map(
        lambda d: d.strftime("%Y-%m-%d %H:%M")
    ),
)
VALUE_TEXT = st.one_of(
    st.sampled_from(["1.0", "0", "-5", "nan", "inf", "1e308", "", "x", "1,5", " 2 "]),
    st.floats().map(repr),
    st.text(max_size=8),
)
METER_HEADERS = st.sampled_from(
    [
        "Timestamp,kWh",
        "Interval Start,kWh",
        "Meter,Interval End (EST),Energy (Wh)",
        "Date,Time,MWh",
        "Timestamp,kW",
        "Interval Start;kWh",
        "when,how much",
        "",
    ]
)


@fuzz(40)
@given(data=st.binary(max_size=3000))
def test_meter_csv_random_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "meter.csv"
    path.write_bytes(data)
    meter_property(path)


@fuzz(80)
@given(
    header=METER_HEADERS,
    rows=st.lists(st.tuples(STAMP_TEXT, VALUE_TEXT, st.text(max_size=6)), max_size=30),
    tz=st.sampled_from([None, "America/Chicago", "America/New_York", "UTC"]),
    quote=st.booleans(),
)
def test_meter_csv_structured_but_wrong(
    tmp_path: Path,
    header: str,
    rows: list[tuple[str, str, str]],
    tz: str | None,
    quote: bool,
) -> None:
    from desktop.exchange.meter_files import ReadOptions

    delimiter = ";" if ";" in header else ","
    lines = [header]
    for stamp, value, meter in rows:
        cells = [meter, stamp, value] if header.startswith("Meter") else [stamp, value]
        if header.startswith("Date"):
            day, _, clock = stamp.partition(" ")
            cells = [day, clock, value]
        if quote:
            cells = ['"' + c.replace('"', '""') + '"' for c in cells]
        lines.append(delimiter.join(cells))
    path = tmp_path / "meter.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    meter_property(path, options=ReadOptions(input_tz=tz, workers=1))


@fuzz(30)
@given(
    header=st.lists(
        st.one_of(st.sampled_from(["Timestamp", "kWh", "Meter"]), CELL_VALUE), max_size=4
    ),
    rows=st.lists(st.lists(CELL_VALUE, max_size=4), max_size=10),
)
def test_meter_xlsx_random_cells(tmp_path: Path, header: list[Any], rows: list[list[Any]]) -> None:
    assume(not any(_illegal_for_openpyxl(v) for v in [*header, *(v for r in rows for v in r)]))
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for cells in rows:
        sheet.append(cells)
    path = tmp_path / "meter.xlsx"
    book.save(path)
    meter_property(path)


@fuzz(30)
@given(data=st.binary(max_size=2000), zip_prefix=st.booleans())
def test_meter_xlsx_random_bytes(tmp_path: Path, data: bytes, zip_prefix: bool) -> None:
    path = tmp_path / "meter.xlsx"
    path.write_bytes((b"PK\x03\x04" if zip_prefix else b"") + data)
    meter_property(path)


@fuzz(30)
@given(data=st.data())
def test_meter_xlsx_mutated_workbook(tmp_path: Path, data: st.DataObject) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Timestamp", "kWh"])
    start = datetime(2025, 4, 1)
    for i in range(48):
        sheet.append([start + timedelta(hours=i), 1.5])
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    name = data.draw(st.sampled_from(sorted(parts)))
    parts[name] = mutate(parts[name], random.Random(data.draw(SEEDS)))
    path = tmp_path / "meter.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for part, content in parts.items():
            z.writestr(part, content)
    meter_property(path)


# --- Green Button ----------------------------------------------------------------------------

ESPI_TAGS = [
    "feed",
    "entry",
    "link",
    "title",
    "content",
    "UsagePoint",
    "MeterReading",
    "ReadingType",
    "IntervalBlock",
    "IntervalReading",
    "timePeriod",
    "start",
    "duration",
    "value",
    "uom",
    "powerOfTenMultiplier",
    "accumulationBehaviour",
    "flowDirection",
]
ESPI = 'xmlns="http://naesb.org/espi"'


@st.composite
def espi_documents(draw: st.DrawFn) -> str:
    """Well-formed-ish ESPI: real element names, nesting and values chosen at random."""

    def element(depth: int) -> str:
        tag = draw(st.sampled_from(ESPI_TAGS))
        attrs = ""
        if tag == "link":
            rel = draw(st.sampled_from(["self", "up", "related", "x", ""]))
            href = draw(st.sampled_from(["/a", "/a/MeterReading", "/a/IntervalBlock/1", "", "/"]))
            attrs = f' rel="{rel}" href="{href}"'
        if depth > 3 or draw(st.booleans()):
            text = draw(
                st.one_of(
                    st.integers(min_value=-(2**70), max_value=2**70).map(str),
                    st.sampled_from(["", "72", "4", "19", "3600", "900", "-1", "1e3", "x"]),
                    st.text(alphabet="0123456789-. abc", max_size=12),
                )
            )
            return f"<{tag}{attrs}>{text}</{tag}>"
        children = "".join(element(depth + 1) for _ in range(draw(st.integers(0, 4))))
        return f"<{tag}{attrs}>{children}</{tag}>"

    body = "".join(element(0) for _ in range(draw(st.integers(1, 5))))
    return f'<?xml version="1.0"?>\n<feed {ESPI}>{body}</feed>\n'


@fuzz(40)
@given(text=XMLISH)
def test_green_button_random_xmlish_text(tmp_path: Path, text: str) -> None:
    path = tmp_path / "usage.xml"
    path.write_text(text, encoding="utf-8")
    meter_property(path)


@fuzz(80)
@given(doc=espi_documents(), flow=st.sampled_from([None, 1, 19]))
def test_green_button_random_espi_structure(tmp_path: Path, doc: str, flow: int | None) -> None:
    path = tmp_path / "usage.xml"
    path.write_text(doc, encoding="utf-8")
    meter_property(path, green_button_flow=flow)


GB_FIXTURES = {
    p.name: p.read_bytes()
    for p in sorted(FIXTURES.glob("green_button_*.xml"))
    if "bomb" not in p.name
}


@fuzz(60)
@given(
    name=st.sampled_from(sorted(GB_FIXTURES)),
    seed=SEEDS,
    flow=st.sampled_from([None, 1, 19]),
)
def test_green_button_mutated_fixtures(
    tmp_path: Path, name: str, seed: int, flow: int | None
) -> None:
    rng = random.Random(seed)
    path = tmp_path / "usage.xml"
    path.write_bytes(mutate_numbers(mutate(GB_FIXTURES[name], rng), rng))
    meter_property(path, green_button_flow=flow)


# --- Mutators ---------------------------------------------------------------------------------


def mutate(data: bytes, rng: random.Random) -> bytes:
    """A few byte-level edits: flip, delete a slice, repeat a slice, insert junk, truncate."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        if not out:
            out += bytes(rng.randbytes(8))
            continue
        i = rng.randrange(len(out))
        j = min(len(out), i + rng.randint(1, 64))
        op = rng.randrange(5)
        if op == 0:
            out[i] ^= 1 << rng.randrange(8)
        elif op == 1:
            del out[i:j]
        elif op == 2:
            out[i:i] = out[i:j] * rng.randint(1, 3)
        elif op == 3:
            out[i:i] = rng.choice([b"<", b">", b"&", b"\x00", b"\xff", b"]]>", b"<!--", b"'"])
        else:
            del out[i:]
    return bytes(out)


def mutate_numbers(data: bytes, rng: random.Random) -> bytes:
    """Replace some element texts that are numbers with other numbers or words."""
    import re

    choices = [b"0", b"-1", b"1e400", b"9" * 30, b"", b"NaN", b"4", b"72", b"19", b"-3600"]

    def swap(match: re.Match[bytes]) -> bytes:
        if rng.random() < 0.15:
            return b">" + rng.choice(choices) + b"<"
        return match.group(0)

    return re.sub(rb">-?\d+<", swap, data)


@pytest.mark.parametrize("value", [time(0), date(2025, 1, 1), 1.5, True])
def test_typed_cells_alone_in_a_units_workbook(tmp_path: Path, value: Any) -> None:
    """A header row of non-text cells: the headers are read as text and matched (or not)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([value, "Unit name"])
    sheet.append([value, "Roof"])
    path = tmp_path / "u.xlsx"
    book.save(path)
    units_property(path)
