"""Green Button (NAESB ESPI) interval data in Atom XML -> `MeterSeries`.

An ESPI feed holds entries for UsagePoints, MeterReadings, ReadingTypes and IntervalBlocks,
linked by Atom `self`/`up`/`related` hrefs. Each IntervalReading gives a start (Unix seconds,
UTC), a duration (seconds) and a value in the ReadingType's unit × 10^powerOfTenMultiplier.
Energy must be watt-hours (uom 72) of interval data (accumulationBehaviour 4, not a
cumulative register). Parsing goes through defusedxml's SAX parser: entity tricks are refused,
memory stays flat on big files, and every reading keeps its line for error messages.
"""

from __future__ import annotations

import xml.sax
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import Locator

import defusedxml.sax
from defusedxml import DefusedXmlException

from desktop.models.intervals import LINE_BITS, Counts, EnergyUnit, MeterSeries, SourceFile
from desktop.models.issues import Issue, error, warning

UOM_WH = 72
UOM_NAMES = {72: "Wh", 38: "W", 63: "VAr", 61: "VA", 73: "VArh", 71: "VAh"}
ACCUMULATION_DELTA = 4
ACCUMULATION_NAMES = {1: "bulk (a register reading)", 3: "cumulative", 4: "delta", 6: "indicating"}
FLOW_NAMES = {1: "forward (delivered to the customer)", 19: "reverse (received from the customer)"}


@dataclass
class _Reading:
    start: int
    duration: int
    value: float
    line: int


@dataclass
class _Entry:
    links: list[tuple[str, str]] = field(default_factory=list)
    title: str = ""
    kind: str = ""  # UsagePoint, MeterReading, ReadingType, IntervalBlock
    fields: dict[str, str] = field(default_factory=dict)  # ReadingType values
    readings: list[_Reading] = field(default_factory=list)
    line: int = 0

    def href(self, rel: str) -> str:
        return next((h for r, h in self.links if r == rel), "")

    def related(self) -> list[str]:
        return [h for r, h in self.links if r == "related"]


class _Handler(ContentHandler):
    KINDS = frozenset({"UsagePoint", "MeterReading", "ReadingType", "IntervalBlock"})

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[_Entry] = []
        self.stack: list[str] = []
        self.text: list[str] = []
        self.entry: _Entry | None = None
        self.loose = _Entry()  # ESPI elements outside an Atom entry
        self.reading: dict[str, str] = {}
        self.reading_line = 0
        self.locator: Locator | None = None

    def setDocumentLocator(self, locator: Locator) -> None:
        self.locator = locator

    def line(self) -> int:
        return int(self.locator.getLineNumber() or 0) if self.locator else 0

    @property
    def current(self) -> _Entry:
        return self.entry if self.entry is not None else self.loose

    def startElementNS(
        self, name: tuple[str | None, str], qname: str | None, attrs: object
    ) -> None:
        local = name[1]
        self.stack.append(local)
        self.text = []
        if local == "entry":
            self.entry = _Entry(line=self.line())
        elif local == "link" and self.entry is not None:
            get = attrs.get  # type: ignore[attr-defined]
            self.entry.links.append(
                (str(get((None, "rel"), "") or ""), str(get((None, "href"), "") or ""))
            )
        elif local in self.KINDS:
            self.current.kind = local
        elif local == "IntervalReading":
            self.reading = {}
            self.reading_line = self.line()

    def characters(self, content: str) -> None:
        self.text.append(content)

    def endElementNS(self, name: tuple[str | None, str], qname: str | None) -> None:
        local = name[1]
        text = "".join(self.text).strip()
        self.stack.pop()
        parent = self.stack[-1] if self.stack else ""
        cur = self.current
        if local == "entry" and self.entry is not None:
            self.entries.append(self.entry)
            self.entry = None
        elif local == "title" and parent == "entry" and self.entry is not None:
            self.entry.title = text
        elif cur.kind == "ReadingType" and parent == "ReadingType":
            cur.fields[local] = text
        elif parent == "timePeriod" and local in ("start", "duration"):
            self.reading[local] = text
        elif local == "value" and parent == "IntervalReading":
            self.reading["value"] = text
        elif local == "IntervalReading":
            try:
                cur.readings.append(
                    _Reading(
                        int(self.reading["start"]),
                        int(self.reading["duration"]),
                        float(self.reading["value"]),
                        self.reading_line,
                    )
                )
            except (KeyError, ValueError):
                cur.readings.append(_Reading(0, 0, float("nan"), self.reading_line))
        self.text = []


def _parse(path: Path) -> _Handler:
    handler = _Handler()
    parser = defusedxml.sax.make_parser()
    parser.setFeature(xml.sax.handler.feature_namespaces, True)
    parser.setContentHandler(handler)
    parser.parse(str(path))
    if handler.loose.kind:
        handler.entries.append(handler.loose)
    return handler


def _trim(href: str, suffix: str) -> str:
    href = href.rstrip("/")
    return href[: -len(suffix)] if href.endswith(suffix) else href


def read_green_button(
    path: Path,
    file_index: int,
    issues: list[Issue],
    counts: Counts,
    files: list[SourceFile],
    *,
    flow: int | None = None,
) -> list[MeterSeries]:
    """One series per MeterReading; `flow` (1 or 19) picks a direction when there are several."""
    name = str(path)
    try:
        handler = _parse(path)
    except DefusedXmlException as exc:
        issues.append(error("", f"refused unsafe XML ({exc})", file=name))
        return []
    except xml.sax.SAXParseException as exc:
        issues.append(
            error(
                "",
                f"not well-formed XML: {exc.getMessage()}",
                file=name,
                row=int(exc.getLineNumber() or 1) - 1,
            )
        )
        return []
    except OSError as exc:
        issues.append(error("", f"cannot open the file ({exc.strerror})", file=name))
        return []
    except LookupError as exc:  # expat asks Python for the codec the XML declaration names
        issues.append(error("", f"the XML declaration names an {exc}", file=name, row=0))
        return []
    files.append(
        SourceFile(
            name, {"timestamp": "IntervalReading timePeriod", "energy": "IntervalReading value"}
        )
    )
    by_kind: dict[str, list[_Entry]] = {}
    for e in handler.entries:
        by_kind.setdefault(e.kind, []).append(e)
    points = {e.href("self").rstrip("/"): e for e in by_kind.get("UsagePoint", [])}
    types = {e.href("self").rstrip("/"): e for e in by_kind.get("ReadingType", [])}
    readings = by_kind.get("MeterReading", []) or [_Entry(kind="MeterReading")]
    blocks = by_kind.get("IntervalBlock", [])
    if not blocks:
        issues.append(error("", "no IntervalBlock with interval readings in this file", file=name))
        return []
    unreadable = [p for rt in types.values() for p in _reading_type_problems(rt, name)]
    if unreadable:
        issues.extend(unreadable)  # the readings' unit or direction is unknown: use none
        return []

    def reading_type(mr: _Entry) -> _Entry | None:
        for href in mr.related():
            if href.rstrip("/") in types:
                return types[href.rstrip("/")]
        return next(iter(types.values())) if len(types) == 1 else None

    chosen: list[tuple[_Entry, _Entry | None]] = []
    for mr in readings:
        rt = reading_type(mr)
        direction = int(rt.fields.get("flowDirection", "1") or 1) if rt else 1
        if flow is not None and direction != flow:
            continue
        chosen.append((mr, rt))
    if len(chosen) > 1 and flow is None:
        dirs = {int(rt.fields.get("flowDirection", "1") or 1) for _, rt in chosen if rt}
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
    out: list[MeterSeries] = []
    base = file_index << LINE_BITS
    for mr, rt in chosen:
        mine = _blocks_of(mr, blocks, len(readings) == 1)
        if rt is None:
            issues.append(
                warning(
                    "",
                    "no ReadingType found; values taken as watt-hours",
                    file=name,
                    row=mr.line - 1,
                )
            )
            uom, power, accumulation = UOM_WH, 0, ACCUMULATION_DELTA
        else:
            uom = int(rt.fields.get("uom", UOM_WH) or UOM_WH)
            power = int(rt.fields.get("powerOfTenMultiplier", "0") or 0)
            accumulation = int(rt.fields.get("accumulationBehaviour", "4") or 4)
        if uom != UOM_WH:
            issues.append(
                error(
                    "energy",
                    f"readings are in {UOM_NAMES.get(uom, f'unit {uom}')}, "
                    "not watt-hours of energy",
                    file=name,
                    row=rt.line - 1 if rt else None,
                )
            )
            continue
        if accumulation != ACCUMULATION_DELTA:
            issues.append(
                error(
                    "energy",
                    f"readings are {ACCUMULATION_NAMES.get(accumulation, str(accumulation))} "
                    "values, not interval (delta) energy",
                    file=name,
                    row=rt.line - 1 if rt else None,
                )
            )
            continue
        up = _trim(mr.href("up"), "/MeterReading")
        point = points.get(up) or (next(iter(points.values())) if len(points) == 1 else None)
        meter_id = (point.title if point and point.title else up.rsplit("/", 1)[-1]) or ""
        if len(chosen) > 1:
            meter_id = f"{meter_id} {_trim(mr.href('self'), '').rsplit('/', 1)[-1]}".strip()
        series = MeterSeries(meter_id, unit=EnergyUnit.KWH)
        factor = 10.0**power / 1000.0  # Wh -> kWh
        durations: set[int] = set()
        for block in mine:
            for r in block.readings:
                counts.rows_read += 1
                if r.duration <= 0 or r.value != r.value:
                    counts.rows_refused += 1
                    issues.append(
                        error(
                            "timestamp",
                            "IntervalReading without a start, duration or value",
                            file=name,
                            row=r.line - 1,
                            column="IntervalReading",
                        )
                    )
                    continue
                if r.start % 60:
                    counts.rows_refused += 1
                    issues.append(
                        error(
                            "timestamp",
                            f"interval start {r.start} is not on a whole minute",
                            file=name,
                            row=r.line - 1,
                            column="timePeriod start",
                        )
                    )
                    continue
                durations.add(r.duration)
                series.stamps.append(r.start // 60)
                series.values.append(r.value * factor)
                series.where.append(base + r.line)
        if len(durations) > 1:
            shown = ", ".join(f"{d // 60} min" for d in sorted(durations))
            issues.append(
                error("timestamp", f"interval lengths differ within one meter ({shown})", file=name)
            )
            continue
        if durations:
            series.interval = durations.pop() // 60
            out.append(series)
    return out


# The ESPI ReadingType numbers this reader uses (absent or empty: their defaults below)
READING_TYPE_NUMBERS = ("flowDirection", "uom", "powerOfTenMultiplier", "accumulationBehaviour")
MAX_POWER_OF_TEN = 9  # ESPI's multipliers run from -9 (nano) to 9 (giga)


def _reading_type_problems(rt: _Entry, file: str) -> list[Issue]:
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


def _blocks_of(mr: _Entry, blocks: list[_Entry], only_one: bool) -> list[_Entry]:
    if only_one:
        return blocks
    own = mr.href("self").rstrip("/")
    return [
        b
        for b in blocks
        if _trim(b.href("up"), "/IntervalBlock") == own
        or b.href("self").startswith(own + "/IntervalBlock")
    ]
