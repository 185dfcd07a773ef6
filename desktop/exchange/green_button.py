"""Green Button (NAESB ESPI) interval data in Atom XML -> one `MeterSeries` per MeterReading.

Each MeterReading is its own meter, named from its UsagePoint and (when a file holds several)
its own title or href; a feed without MeterReading entries is split by the MeterReading href
its IntervalBlocks point up to. Each IntervalReading gives a start (Unix seconds, UTC), a
duration (seconds) and a value in the ReadingType's unit × 10^powerOfTenMultiplier. Energy
must be watt-hours (uom 72) of interval data (accumulationBehaviour 4, not a register); gas
(a gas UsagePoint or therms) is refused as not electricity. Identical repeated readings are
read once. Readings of an hour or less become interval series; daily (or longer) readings are
kept apart as `LongReadings`, which give monthly totals (`daily_months`) but no hours.
`LocalTimeParameters` name the customer's zone, for daily readings and as a default.
"""

from __future__ import annotations

import xml.sax
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import DefusedXmlException

from desktop.exchange.green_button_xml import Entry, Reading, last_segment, parse, trim, unique
from desktop.models.intervals import LINE_BITS, Counts, EnergyUnit, MeterSeries, SourceFile
from desktop.models.issues import Issue, error, warning

UOM_WH = 72
UOM_THERM = 169
UOM_NAMES = {72: "Wh", 38: "W", 63: "VAr", 61: "VA", 73: "VArh", 71: "VAh", 169: "therms"}
SERVICE_GAS = "1"
ACCUMULATION_DELTA = 4
ACCUMULATION_NAMES = {1: "bulk (a register reading)", 3: "cumulative", 4: "delta", 6: "indicating"}
FLOW_NAMES = {1: "forward (delivered to the customer)", 19: "reverse (received from the customer)"}
LONGEST_INTERVAL = 3600  # seconds: longer readings give months, not hours
# ESPI's tzOffset (seconds east of UTC) with daylight saving -> the North American zone
_DST_ZONES = {
    -18000: "America/New_York",
    -21600: "America/Chicago",
    -25200: "America/Denver",
    -28800: "America/Los_Angeles",
    -32400: "America/Anchorage",
    -14400: "America/Halifax",
}
_FIXED_ZONES = {
    -25200: "America/Phoenix",
    -36000: "Pacific/Honolulu",
    -14400: "America/Puerto_Rico",
}


@dataclass(slots=True)
class LongReadings:
    """Readings longer than an hour (daily, billing periods) of one meter, in kWh."""

    meter_id: str
    file: str
    readings: list[tuple[int, int, float, int]] = field(
        default_factory=list
    )  # start s, s, kWh, line


@dataclass
class GreenButtonFile:
    series: list[MeterSeries] = field(default_factory=list)
    long: list[LongReadings] = field(default_factory=list)
    zone: str | None = None  # the IANA zone LocalTimeParameters describe
    notes: list[str] = field(default_factory=list)


@dataclass
class _Channel:
    reading: Entry  # the MeterReading (or one made from the blocks' `up` href)
    reading_type: Entry | None
    blocks: list[Entry]
    name: str = ""


def read_green_button(
    path: Path,
    file_index: int,
    issues: list[Issue],
    counts: Counts,
    files: list[SourceFile],
    *,
    flow: int | None = None,
) -> GreenButtonFile:
    """The file's meters; `flow` (1 or 19) picks a direction when there are several."""
    name = str(path)
    out = GreenButtonFile()
    entries = _entries(path, issues)
    if entries is None:
        return out
    files.append(
        SourceFile(
            name, {"timestamp": "IntervalReading timePeriod", "energy": "IntervalReading value"}
        )
    )
    by_kind, dropped = unique(entries)
    if dropped:
        out.notes.append(f"{path.name}: {dropped} repeated entries (same href) were read once")
    out.zone = local_zone(by_kind.get("LocalTimeParameters", []))
    if not by_kind.get("IntervalBlock"):
        issues.append(error("", "no IntervalBlock with interval readings in this file", file=name))
        return out
    types = {e.href("self"): e for e in by_kind.get("ReadingType", [])}
    unreadable = [p for rt in types.values() for p in _reading_type_problems(rt, name)]
    if unreadable:
        issues.extend(unreadable)  # the readings' unit or direction is unknown: use none
        return out
    channels = _select_flow(_channels(by_kind, types), flow, name, issues)
    _name(channels, {e.href("self"): e for e in by_kind.get("UsagePoint", [])})
    base = file_index << LINE_BITS
    for ch in channels:
        if _usable(ch, by_kind.get("UsagePoint", []), name, issues):
            _collect(ch, base, name, out, issues, counts)
    return out


def _entries(path: Path, issues: list[Issue]) -> list[Entry] | None:
    name = str(path)
    try:
        return parse(path)
    except DefusedXmlException as exc:
        issues.append(error("", f"refused unsafe XML ({exc})", file=name))
    except xml.sax.SAXParseException as exc:
        line = int(exc.getLineNumber() or 1) - 1
        issues.append(error("", f"not well-formed XML: {exc.getMessage()}", file=name, row=line))
    except OSError as exc:
        issues.append(error("", f"cannot open the file ({exc.strerror})", file=name))
    except LookupError as exc:  # expat asks Python for the codec the XML declaration names
        issues.append(error("", f"the XML declaration names an {exc}", file=name, row=0))
    return None


def _channels(by_kind: dict[str, list[Entry]], types: dict[str, Entry]) -> list[_Channel]:
    """One channel per MeterReading with the blocks that belong to it."""
    blocks = by_kind["IntervalBlock"]
    readings = by_kind.get("MeterReading", [])
    if not readings:
        # no MeterReading entries: the blocks' `up` hrefs say which reading each belongs to
        hrefs = dict.fromkeys(trim(b.href("up"), "/IntervalBlock") for b in blocks)
        readings = [Entry(links=[("self", h)], kind="MeterReading") for h in hrefs]
    out = []
    for mr in readings:
        mine = blocks if len(readings) == 1 else _blocks_of(mr, blocks)
        rt = next((types[h] for h in mr.related() if h in types), None)
        if rt is None and len(types) == 1:
            rt = next(iter(types.values()))
        out.append(_Channel(mr, rt, mine))
    return out


def _blocks_of(mr: Entry, blocks: list[Entry]) -> list[Entry]:
    own = mr.href("self")
    return [
        b
        for b in blocks
        if trim(b.href("up"), "/IntervalBlock") == own
        or b.href("self").startswith(own + "/IntervalBlock")
    ]


def _direction(ch: _Channel) -> int:
    return int(ch.reading_type.fields.get("flowDirection", "1") or 1) if ch.reading_type else 1


def _select_flow(
    channels: list[_Channel], flow: int | None, name: str, issues: list[Issue]
) -> list[_Channel]:
    if flow is not None:
        return [ch for ch in channels if _direction(ch) == flow]
    dirs = {_direction(ch) for ch in channels if ch.reading_type}
    if len(dirs) > 1:
        shown = "; ".join(FLOW_NAMES.get(d, str(d)) for d in sorted(dirs))
        issues.append(
            error(
                "",
                f"the file has readings in several flow directions ({shown}); "
                "say which one is the generation",
                file=name,
            )
        )
        return []
    return channels


def _name(channels: list[_Channel], points: dict[str, Entry]) -> None:
    """A meter per MeterReading: its UsagePoint's title (or ID), and when the file holds
    several readings, the reading's own title (or ID) too."""
    for ch in channels:
        up = trim(ch.reading.href("up") or _parent(ch.reading.href("self")), "/MeterReading")
        point = points.get(up) or (next(iter(points.values())) if len(points) == 1 else None)
        base = point.title if point and point.title else last_segment(up) if up else ""
        own = ch.reading.title or last_segment(ch.reading.href("self"))
        ch.name = " ".join(p for p in (base, own if len(channels) > 1 or not base else "") if p)
    names = [ch.name for ch in channels]
    for ch in channels:
        if names.count(ch.name) > 1:  # two readings titled alike: their hrefs tell them apart
            ch.name = f"{ch.name} ({last_segment(ch.reading.href('self'))})"


def _parent(href: str) -> str:
    return href.rsplit("/", 1)[0] if "/" in href else ""


def _usable(ch: _Channel, points: list[Entry], name: str, issues: list[Issue]) -> bool:
    """Whether the channel is electric energy of intervals; if not, say why (located)."""
    rt = ch.reading_type
    row = rt.line - 1 if rt else None
    uom = int(rt.fields.get("uom", UOM_WH) or UOM_WH) if rt else UOM_WH
    accumulation = int(rt.fields.get("accumulationBehaviour", "4") or 4) if rt else 4
    gas_point = any(p.service_kind == SERVICE_GAS for p in points)
    if uom == UOM_THERM or (gas_point and uom != UOM_WH):
        message = (
            f"'{ch.name}' is a gas meter ({UOM_NAMES.get(uom, f'unit {uom}')}), not "
            "electricity; generation uploads are built from electric meters"
        )
    elif uom != UOM_WH:
        message = f"readings are in {UOM_NAMES.get(uom, f'unit {uom}')}, not watt-hours of energy"
    elif accumulation != ACCUMULATION_DELTA:
        shown = ACCUMULATION_NAMES.get(accumulation, str(accumulation))
        message = f"readings are {shown} values, not interval (delta) energy"
    else:
        if rt is None:
            issues.append(
                warning(
                    "",
                    "no ReadingType found; values taken as watt-hours",
                    file=name,
                    row=ch.reading.line - 1 if ch.reading.line else None,
                )
            )
        return True
    issues.append(error("energy", message, file=name, row=row))
    return False


def _collect(
    ch: _Channel, base: int, name: str, out: GreenButtonFile, issues: list[Issue], counts: Counts
) -> None:
    """The channel's readings, each once, as an interval series or as long readings."""
    rt = ch.reading_type
    power = int(rt.fields.get("powerOfTenMultiplier", "0") or 0) if rt else 0
    factor = 10.0**power / 1000.0  # Wh -> kWh
    seen: dict[int, tuple[int, float]] = {}
    kept: list[Reading] = []
    repeated = 0
    for block in ch.blocks:
        for r in block.readings:
            counts.rows_read += 1
            problem = _reading_problem(r)
            if problem:
                counts.rows_refused += 1
                issues.append(
                    error("timestamp", problem, file=name, row=r.line - 1, column="IntervalReading")
                )
                continue
            if seen.get(r.start) == (r.duration, r.value):
                repeated += 1  # the same reading sent again: read once
                continue
            seen.setdefault(r.start, (r.duration, r.value))
            kept.append(r)
    if repeated:
        counts.rows_read -= repeated
        out.notes.append(
            f"{Path(name).name}: {repeated} repeated identical readings of '{ch.name}' "
            "(same start, length and value) were read once"
        )
    if not kept:
        return
    if max(r.duration for r in kept) > LONGEST_INTERVAL:
        long = LongReadings(ch.name, name)
        long.readings.extend((r.start, r.duration, r.value * factor, base + r.line) for r in kept)
        out.long.append(long)
        return
    durations = {r.duration for r in kept}
    if len(durations) > 1:
        shown = ", ".join(f"{d // 60} min" for d in sorted(durations))
        issues.append(
            error("timestamp", f"interval lengths differ within '{ch.name}' ({shown})", file=name)
        )
        return
    series = MeterSeries(ch.name, unit=EnergyUnit.KWH, interval=durations.pop() // 60)
    kept.sort(key=lambda r: r.start)  # feeds may list readings newest first
    for r in kept:
        series.stamps.append(r.start // 60)
        series.values.append(r.value * factor)
        series.where.append(base + r.line)
    out.series.append(series)


def _reading_problem(r: Reading) -> str:
    if r.duration <= 0 or r.value != r.value:
        return "IntervalReading without a start, duration or value"
    if r.start % 60 or r.duration % 60:
        return f"interval start {r.start} or length {r.duration} s is not on a whole minute"
    return ""


def local_zone(params: list[Entry]) -> str | None:
    """The IANA zone LocalTimeParameters describe (their UTC offset, with or without daylight
    saving), or None."""
    if not params:
        return None
    fields = params[0].fields
    try:
        offset = int(fields.get("tzOffset", "") or "x")
        dst = int(fields.get("dstOffset", "0") or 0)
    except ValueError:
        return None
    if dst:
        return _DST_ZONES.get(offset)
    if offset % 3600 == 0 and abs(offset) <= 14 * 3600:
        return _FIXED_ZONES.get(offset) or (f"Etc/GMT{-offset // 3600:+d}" if offset else "UTC")
    return None


# The ESPI ReadingType numbers this reader uses (absent or empty: their defaults below)
READING_TYPE_NUMBERS = ("flowDirection", "uom", "powerOfTenMultiplier", "accumulationBehaviour")
MAX_POWER_OF_TEN = 9  # ESPI's multipliers run from -9 (nano) to 9 (giga)


def _reading_type_problems(rt: Entry, file: str) -> list[Issue]:
    out: list[Issue] = []
    for key in READING_TYPE_NUMBERS:
        text = rt.fields.get(key, "")
        try:
            number = int(text or 0)
        except ValueError:
            message = f"ReadingType {key} '{text[:40]}' is not a whole number"
        else:
            if key != "powerOfTenMultiplier" or abs(number) <= MAX_POWER_OF_TEN:
                continue
            message = f"ReadingType powerOfTenMultiplier {number} is outside ESPI's -9 to 9"
        out.append(error("energy", message, file=file, row=rt.line - 1, column=key))
    return out
