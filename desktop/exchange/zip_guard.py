"""Refuse ZIP and XML bombs before a spreadsheet parser (calamine, openpyxl) expands them.

Checked without inflating more than each part's XML prolog: the declared uncompressed sizes
and compression ratios (zip bombs), the real decompressed sizes against the declared ones (a
lying header), and the prolog of every XML part for a DTD (entity bombs, refused through
defusedxml). Used by the units workbook reader and the meter spreadsheet reader.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree.ElementTree import ParseError as XmlParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from desktop.errors import InputError

MAX_UNCOMPRESSED = 256 * 1024 * 1024  # far above a 50,000-unit sheet (~40 MB of XML)
MAX_RATIO = 200  # real sheets compress 5-50x; bombs 1,000x and more
RATIO_FLOOR = 1024 * 1024  # small parts may compress well without meaning harm
PROLOG_BYTES = 64 * 1024


def check_archive(
    path: Path, *, required: str | None = None, limit: int = MAX_UNCOMPRESSED
) -> None:
    """Raise InputError for a damaged ZIP, a bomb, or one without the `required` part."""
    where = str(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise InputError(
            "This file is not a readable .xlsx workbook (the ZIP container is damaged).",
            where=where,
        ) from None
    with archive:
        infos = archive.infolist()
        if required is not None and required not in {i.filename for i in infos}:
            raise InputError("This ZIP file is not an Excel workbook.", where=where)
        declared = sum(i.file_size for i in infos)
        if declared > MAX_UNCOMPRESSED:
            raise InputError(
                f"The workbook would expand to {declared / 2**20:,.0f} MB; refused as unsafe "
                "(a ZIP bomb?). Save the data in a new workbook or as CSV.",
                where=where,
            )
        for info in infos:
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
                raise InputError(
                    f"Part {info.filename} expands {ratio:,.0f} times; refused as unsafe "
                    "(a ZIP bomb?).",
                    where=where,
                )
            if info.filename.endswith((".xml", ".rels")):
                _check_part(archive, info, where)


def _check_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: str) -> None:
    parser = DefusedXMLParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    seen = 0
    try:
        with archive.open(info) as part:
            while chunk := part.read(1024 * 1024):
                if seen < PROLOG_BYTES:
                    # A DTD, and so any entity declaration, must come before the root element.
                    parser.feed(chunk[: PROLOG_BYTES - seen])
                seen += len(chunk)
                if seen > info.file_size:
                    raise InputError(
                        f"Part {info.filename} is larger than its header says; refused as unsafe.",
                        where=where,
                    )
    except DefusedXmlException:
        raise InputError(
            f"Part {info.filename} declares XML entities (an entity bomb?); refused as unsafe.",
            where=where,
        ) from None
    except XmlParseError:
        raise InputError(
            f"Part {info.filename} of the workbook is not valid XML; the file is damaged.",
            where=where,
        ) from None
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise InputError(
            f"Part {info.filename} of the workbook cannot be unpacked ({exc}).", where=where
        ) from None
