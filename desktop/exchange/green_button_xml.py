"""The Atom/ESPI structure of a Green Button file: its entries, each with its links and fields.

An ESPI feed holds entries for UsagePoints, MeterReadings, ReadingTypes, LocalTimeParameters
and IntervalBlocks, linked by Atom `self`/`up`/`related` hrefs. Parsing goes through
defusedxml's SAX parser: entity tricks are refused, memory stays flat on big files, and every
reading keeps its line for error messages. Real feeds repeat entries (a bulk feed sends its
MeterReading and ReadingType twice): `unique` keeps the first entry of each `self` href.
"""

from __future__ import annotations

import math
import xml.sax
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import Locator

import defusedxml.sax

KINDS = frozenset(
    {"UsagePoint", "MeterReading", "ReadingType", "IntervalBlock", "LocalTimeParameters"}
)
_FIELD_KINDS = frozenset({"ReadingType", "LocalTimeParameters"})


@dataclass(slots=True)
class Reading:
    start: int  # Unix seconds
    duration: int  # seconds; 0 when absent or unreadable
    value: float  # nan when absent or unreadable
    line: int


@dataclass
class Entry:
    links: list[tuple[str, str]] = field(default_factory=list)
    title: str = ""
    kind: str = ""  # one of KINDS, or "" for entries this reader does not use
    fields: dict[str, str] = field(default_factory=dict)  # ReadingType / LocalTimeParameters
    readings: list[Reading] = field(default_factory=list)
    service_kind: str = ""  # UsagePoint ServiceCategory kind: 0 electricity, 1 gas, ...
    line: int = 0

    def href(self, rel: str) -> str:
        return next((h for r, h in self.links if r == rel), "").rstrip("/")

    def related(self) -> list[str]:
        return [h.rstrip("/") for r, h in self.links if r == "related"]


class _Handler(ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.entries: list[Entry] = []
        self.stack: list[str] = []
        self.text: list[str] = []
        self.entry: Entry | None = None
        self.loose = Entry()  # ESPI elements outside an Atom entry
        self.reading: dict[str, str] = {}
        self.reading_line = 0
        self.locator: Locator | None = None

    def setDocumentLocator(self, locator: Locator) -> None:
        self.locator = locator

    def line(self) -> int:
        return int(self.locator.getLineNumber() or 0) if self.locator else 0

    @property
    def current(self) -> Entry:
        return self.entry if self.entry is not None else self.loose

    def startElementNS(
        self, name: tuple[str | None, str], qname: str | None, attrs: object
    ) -> None:
        local = name[1]
        self.stack.append(local)
        self.text = []
        if local == "entry":
            self.entry = Entry(line=self.line())
        elif local == "link" and self.entry is not None:
            get = attrs.get  # type: ignore[attr-defined]
            self.entry.links.append(
                (str(get((None, "rel"), "") or ""), str(get((None, "href"), "") or ""))
            )
        elif local in KINDS:
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
        elif cur.kind in _FIELD_KINDS and parent == cur.kind:
            cur.fields[local] = text
        elif local == "kind" and parent == "ServiceCategory":
            cur.service_kind = text
        elif parent == "timePeriod" and local in ("start", "duration"):
            self.reading[local] = text
        elif local == "value" and parent == "IntervalReading":
            self.reading["value"] = text
        elif local == "IntervalReading":
            cur.readings.append(self._reading())
        self.text = []

    def _reading(self) -> Reading:
        """A reading; a start written with a fraction (`1357016400.0`) is a start all the same."""
        try:
            start = float(self.reading["start"])
            duration = float(self.reading["duration"])
            value = float(self.reading["value"])
        except (KeyError, ValueError):
            return Reading(0, 0, math.nan, self.reading_line)
        if not (math.isfinite(start) and math.isfinite(duration)) or abs(start) > 1e12:
            return Reading(0, 0, math.nan, self.reading_line)
        return Reading(round(start), round(duration), value, self.reading_line)


def parse(path: Path) -> list[Entry]:
    """The file's entries (raises defusedxml's and SAX's errors, OSError, LookupError)."""
    handler = _Handler()
    parser = defusedxml.sax.make_parser()
    parser.setFeature(xml.sax.handler.feature_namespaces, True)
    parser.setContentHandler(handler)
    parser.parse(str(path))
    if handler.loose.kind:
        handler.entries.append(handler.loose)
    return handler.entries


def unique(entries: list[Entry]) -> tuple[dict[str, list[Entry]], int]:
    """Entries by kind, each `self` href once (the first copy); and how many copies were
    dropped. IntervalBlocks are all kept: feeds reuse one block href for different blocks."""
    by_kind: dict[str, list[Entry]] = {}
    seen: set[tuple[str, str]] = set()
    dropped = 0
    for e in entries:
        key = (e.kind, e.href("self"))
        if e.kind != "IntervalBlock" and key[1]:
            if key in seen:
                dropped += 1
                continue
            seen.add(key)
        by_kind.setdefault(e.kind, []).append(e)
    return by_kind, dropped


def trim(href: str, suffix: str) -> str:
    href = href.rstrip("/")
    return href[: -len(suffix)] if href.endswith(suffix) else href


def last_segment(href: str) -> str:
    return href.rstrip("/").rsplit("/", 1)[-1]
