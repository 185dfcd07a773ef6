"""Match a folder of documents to a DGG's units and document types by their file names.

A developer's documents arrive as a folder of PDFs named by meter number or address
(`XE-4400035 interconnection.pdf`, `4995 Maple Ave - completion cert.pdf`), sometimes in one
sub-folder per unit. A file is matched to a unit when the unit's revenue meter ID, name or
street address appears in its name (or, failing that, in the name of a folder it is in), and to
a document type by words in its name (docs/units.md lists them).

Names are compared as words: both sides are split at anything that is not a letter or digit,
casefolded, and common street words are shortened ("Avenue" = "Ave"). A key matches a run of
whole words, with or without the separators between them ("XE4400035" = "XE-4400035"), so
meter XE-44 never matches inside XE-4400035. Every key is indexed once in a dict, so a
file costs a few dozen look-ups whatever the number of units (4,000 files against 1,000 units
in well under a second, bench/documents_bulk.py).

Pure: it reads only directory listings, never a file's contents.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

INTERCONNECTION = "Interconnection Agreement"
ENGINEERING = "Engineering Documents"
COMPLETION = "Certificate of Completion"
OWNERSHIP = "Ownership documents"
SCHEDULE_A = "Schedule A"

# Words (as word runs) that name a document type, in the order they win when a name has
# several: "interconnection completion certificate" is a certificate of completion, and
# "interconnection one-line" an engineering drawing. Two types that are not interconnection
# leave the file ambiguous.
TYPE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (SCHEDULE_A, ("schedule a", "schedulea", "sched a")),
    (COMPLETION, ("completion", "coc")),
    (ENGINEERING, ("engineering", "one line", "single line", "sld", "as built", "line diagram")),
    (OWNERSHIP, ("ownership", "deed", "title", "bill of sale", "lease")),
    (INTERCONNECTION, ("interconnection", "interconnect")),
)

_STREET_WORDS = {
    "avenue": "ave",
    "street": "st",
    "road": "rd",
    "drive": "dr",
    "boulevard": "blvd",
    "lane": "ln",
    "court": "ct",
    "place": "pl",
    "parkway": "pkwy",
    "highway": "hwy",
    "circle": "cir",
    "terrace": "ter",
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
}
_WORD = re.compile(r"[^\W_]+")
_MAX_KEY_WORDS = 10  # longer names are still matched on their first ten words
_MIN_KEY_CHARS = 3  # a unit named "A" would match every "Schedule A"
KEY_KINDS = ("meter ID", "unit name", "street address")  # strongest first
DOCUMENT_SUFFIXES = frozenset(
    {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".doc", ".docx", ".xlsx", ".csv", ".txt"}
)


class MatchStatus(StrEnum):
    MATCHED = "matched"
    AMBIGUOUS = "ambiguous"
    UNMATCHED = "unmatched"


def words(text: str) -> list[str]:
    """'4995 Maple Avenue - completion' -> ['4995', 'maple', 'ave', 'completion']."""
    return [_STREET_WORDS.get(w, w) for w in _WORD.findall(text.casefold())]


@dataclass(frozen=True, slots=True)
class UnitKey:
    """Something a file name may contain that names one unit."""

    uid: str
    kind: str  # one of KEY_KINDS
    text: str  # as the unit has it, for the reason shown to the user


@dataclass(frozen=True, slots=True)
class FoundFile:
    """A file to attach: its path and the folders it sits in below (and including) the
    dropped folder, nearest last."""

    path: Path
    folders: tuple[str, ...] = ()

    @property
    def shown(self) -> str:
        """The path below the dropped folder (a dropped file: its name)."""
        return "/".join((*self.folders[1:], self.path.name))


@dataclass(frozen=True, slots=True)
class FileMatch:
    """What one file will be attached as; the preview lets the user change unit and type."""

    file: FoundFile
    unit_uids: tuple[str, ...]  # the units it is attached to (one, or several when chosen so)
    doc_type: str | None
    unit_candidates: tuple[str, ...] = ()  # more than one: the name fits several units
    type_candidates: tuple[str, ...] = ()  # more than one: the name names several types
    reason: str = ""

    @property
    def status(self) -> MatchStatus:
        if len(self.unit_candidates) > 1 or len(self.type_candidates) > 1:
            return MatchStatus.AMBIGUOUS
        if self.unit_uids and self.doc_type:
            return MatchStatus.MATCHED
        return MatchStatus.UNMATCHED

    def corrected(self, unit_uids: Sequence[str], doc_type: str | None) -> FileMatch:
        """The user's choice settles it: no candidates left, the reason says so."""
        return replace(
            self,
            unit_uids=tuple(dict.fromkeys(unit_uids)),
            doc_type=doc_type,
            unit_candidates=(),
            type_candidates=(),
            reason="chosen in the preview",
        )

    def to_json(self, unit_names: Mapping[str, str]) -> dict[str, Any]:
        return {
            "file": str(self.file.path),
            "shown": self.file.shown,
            "status": self.status.value,
            "units": [unit_names.get(u, u) for u in self.unit_uids],
            "unit_uids": list(self.unit_uids),
            "doc_type": self.doc_type,
            "unit_candidates": [unit_names.get(u, u) for u in self.unit_candidates],
            "type_candidates": list(self.type_candidates),
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class MatchPlan:
    """Every file found, matched or not, in the order found."""

    matches: tuple[FileMatch, ...]

    def with_status(self, status: MatchStatus) -> list[FileMatch]:
        return [m for m in self.matches if m.status is status]

    @property
    def complete(self) -> bool:
        return all(m.status is MatchStatus.MATCHED for m in self.matches)

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in MatchStatus}
        for m in self.matches:
            out[m.status.value] += 1
        return out

    def attachments(self) -> int:
        """How many documents storing the matched files makes (a file per unit it goes to)."""
        return sum(len(m.unit_uids) for m in self.matches if m.status is MatchStatus.MATCHED)


# --- Finding the files ----------------------------------------------------------------------


def find_files(paths: Iterable[Path]) -> list[FoundFile]:
    """The documents in dropped files and folders (recursively, sorted, hidden ones skipped).

    A dropped file is taken whatever its suffix (the user chose it); inside folders only the
    document suffixes the Documents page accepts are taken.
    """
    found: list[FoundFile] = []
    for path in paths:
        if path.is_dir():
            _walk(path, (path.name,), found)
        elif path.is_file():
            found.append(FoundFile(path))
    return found


def _walk(folder: Path, folders: tuple[str, ...], out: list[FoundFile]) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name.casefold())
    except OSError:
        return  # an unreadable sub-folder is skipped; its files are simply not offered
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            _walk(Path(entry.path), (*folders, entry.name), out)
        elif entry.is_file() and Path(entry.name).suffix.casefold() in DOCUMENT_SUFFIXES:
            out.append(FoundFile(Path(entry.path), folders))


# --- Matching ------------------------------------------------------------------------------


class UnitIndex:
    """Every unit's keys, indexed by their words joined without separators."""

    def __init__(self, units: Sequence[Mapping[str, Any]]) -> None:
        self.keys: dict[str, list[UnitKey]] = {}
        self.max_words = 1
        for unit in units:
            uid = str(unit.get("uid") or "")
            if not uid:
                continue
            for kind, field in zip(KEY_KINDS, ("meter_id", "name", "street"), strict=True):
                value = unit.get(field)
                if value is None or isinstance(value, bool):
                    continue
                text = str(value).strip()
                key_words = words(text)[:_MAX_KEY_WORDS]
                compact = "".join(key_words)
                if len(compact) < _MIN_KEY_CHARS:
                    continue
                self.max_words = max(self.max_words, len(key_words))
                found = self.keys.setdefault(compact, [])
                if not any(k.uid == uid and k.kind == kind for k in found):
                    found.append(UnitKey(uid, kind, text))

    def find(self, text: str) -> list[UnitKey]:
        """The keys that appear in `text` as whole word runs, longest runs first."""
        ws = words(text)
        hits: list[tuple[int, UnitKey]] = []
        for start in range(len(ws)):
            joined = ""
            for end in range(start, min(len(ws), start + self.max_words * 2)):
                # A key of N words may be written as fewer (XE4400035) or more (XE 44 00035)
                joined += ws[end]
                for key in self.keys.get(joined, ()):
                    hits.append((len(joined), key))
        hits.sort(key=lambda h: -h[0])
        return [key for _length, key in hits]


def doc_types_in(text: str) -> list[str]:
    """The document types whose words `text` holds, in TYPE_WORDS order."""
    padded = f" {' '.join(words(text))} "
    return [t for t, phrases in TYPE_WORDS if any(f" {p} " in padded for p in phrases)]


def _settle_types(found: list[str]) -> tuple[str | None, tuple[str, ...]]:
    """(the type, the candidates when several compete)."""
    if len(found) > 1 and INTERCONNECTION in found:
        found = [t for t in found if t != INTERCONNECTION]  # it qualifies the other word
    if len(found) == 1:
        return found[0], ()
    if not found:
        return None, ()
    return None, tuple(found)


def _best_units(keys: list[UnitKey]) -> list[UnitKey]:
    """The keys of the strongest kind found (a meter ID beats a name, a name an address)."""
    for kind in KEY_KINDS:
        of_kind = [k for k in keys if k.kind == kind]
        if of_kind:
            return of_kind
    return []


def match_file(file: FoundFile, index: UnitIndex) -> FileMatch:
    stem = file.path.stem
    keys = _best_units(index.find(stem))
    where = "the file name"
    if not keys:
        for folder in reversed(file.folders):  # the nearest folder that names a unit
            keys = _best_units(index.find(folder))
            if keys:
                where = f"the folder '{folder}'"
                break
    uids = tuple(dict.fromkeys(k.uid for k in keys))
    found_types = doc_types_in(stem)
    if not found_types:
        for folder in reversed(file.folders):
            found_types = doc_types_in(folder)
            if found_types:
                break
    doc_type, type_candidates = _settle_types(found_types)

    reasons: list[str] = []
    if len(uids) == 1:
        reasons.append(f"{keys[0].kind} {keys[0].text} in {where}")
    elif uids:
        reasons.append(f"{len(uids)} units' {keys[0].kind}s in {where}: choose one")
    else:
        reasons.append("no meter ID, unit name or address found")
    if type_candidates:
        reasons.append(f"names {' and '.join(type_candidates)}: choose one")
    elif doc_type is None:
        reasons.append("no document type word found")
    return FileMatch(
        file=file,
        unit_uids=uids if len(uids) == 1 else (),
        doc_type=doc_type,
        unit_candidates=uids if len(uids) > 1 else (),
        type_candidates=type_candidates,
        reason="; ".join(reasons),
    )


def match_files(
    files: Sequence[FoundFile],
    units: Sequence[Mapping[str, Any]],
    *,
    progress: Any = None,
) -> MatchPlan:
    """Match every file. `progress` (desktop.tasks.Progress or None) is updated and checked
    for a cancel every 500 files."""
    index = UnitIndex(units)
    out: list[FileMatch] = []
    for n, file in enumerate(files):
        if progress is not None and n % 500 == 0:
            progress.check()
            progress.update(n, len(files), f"Matching {n:,} of {len(files):,} files")
        out.append(match_file(file, index))
    return MatchPlan(tuple(out))


def match_paths(
    paths: Iterable[Path], units: Sequence[Mapping[str, Any]], *, progress: Any = None
) -> MatchPlan:
    """Find the documents in dropped files and folders and match them."""
    return match_files(find_files(paths), units, progress=progress)


def unit_labels(units: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """uid -> 'Unit 12: Maple Solar (XE-4400035)': how reports and pickers name a unit."""
    out: dict[str, str] = {}
    for n, unit in enumerate(units):
        meter = unit.get("meter_id")
        tail = f" ({meter})" if meter not in (None, "") else ""
        out[str(unit.get("uid"))] = f"Unit {n + 1}: {unit.get('name') or 'unnamed'}{tail}"
    return out
