"""Hostile files for the bomb tests: billion-laughs XML and XLSX workbooks that inflate to GBs.

A ZIP bomb of several GB cannot be made by streaming zeros through `zipfile` in a test:
zlib needs about 2.3 s per GB of zeros here. DEFLATE after a full flush starts afresh, so
the compressed form of one MiB of zeros, repeated N times and closed with an empty final
block, is a valid stream of N MiB of zeros (zlib inflates it back; the
test `test_the_bomb_really_inflates` checks a prefix). The ZIP records are written here by hand
so that the declared sizes can be honest or lie.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import openpyxl

MIB = 1 << 20
SHEET = "xl/worksheets/sheet1.xml"
SHARED = "xl/sharedStrings.xml"
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<sheetData>"
)

# "Billion laughs": ten levels of ten references, 10**9 copies of "lol" (3 GB) when expanded.
LAUGHS = (
    '<!DOCTYPE {root} [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">\n'
        for n in range(1, 10)
    )
    + "]>\n"
)


def billion_laughs(root: str) -> str:
    """The DTD that declares the bomb; `&lol9;` in the document sets it off."""
    return LAUGHS.format(root=root)


def green_button_bomb(path: Path) -> Path:
    path.write_text(
        '<?xml version="1.0"?>\n'
        + billion_laughs("feed")
        + '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>&lol9;</title>'
        "<content/></entry></feed>\n",
        encoding="utf-8",
    )
    return path


def workbook_parts(rows: list[list[object]]) -> dict[str, bytes]:
    """A real workbook's parts (openpyxl), to swap one of them for a bomb."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Units"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as z:
        return {name: z.read(name) for name in z.namelist()}


def entity_bomb_xlsx(path: Path, part: str, rows: list[list[object]]) -> Path:
    """A workbook whose `part` (the sheet or the shared strings) is a billion-laughs document."""
    parts = workbook_parts(rows)
    if part == SHARED:
        body = (
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
            'uniqueCount="1"><si><t>&lol9;</t></si></sst>'
        )
        parts[SHARED] = ('<?xml version="1.0"?>\n' + billion_laughs("sst") + body).encode()
        sheet = (
            SHEET_HEAD.decode()
            + '<row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
        )
        parts[SHEET] = sheet.encode()
        _register_shared_strings(parts)
    else:
        body = (
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
            "</sheetData></worksheet>"
        )
        parts[SHEET] = ('<?xml version="1.0"?>\n' + billion_laughs("worksheet") + body).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def _register_shared_strings(parts: dict[str, bytes]) -> None:
    """openpyxl leaves out sharedStrings.xml when no cell holds text: declare it."""
    types = parts["[Content_Types].xml"].decode()
    if SHARED not in types:
        types = types.replace(
            "</Types>",
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
        parts["[Content_Types].xml"] = types.encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    if "sharedStrings" not in rels:
        rels = rels.replace(
            "</Relationships>",
            '<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>",
        )
        parts["xl/_rels/workbook.xml.rels"] = rels.encode()


# --- ZIP bombs -------------------------------------------------------------------------------


def _mib_block(filler: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(filler * MIB) + c.flush(zlib.Z_FULL_FLUSH)


def zip_bomb_xlsx(
    path: Path, mib: int, *, lie: bool, rows: list[list[object]], filler: bytes = b"\0"
) -> Path:
    """A workbook whose sheet is SHEET_HEAD followed by `mib` MiB of `filler` bytes (zeros;
    spaces keep the XML well-formed so that only the size can give the bomb away).

    `lie=False`: the headers declare the real size. `lie=True`: they declare the size of the
    first MiB only (a bomb made to pass a check of the declared sizes); the CRC is then the
    CRC of that first MiB, so a reader that stops where the header says finds it consistent.
    """
    if mib * MIB >= 0xFFFFFFFF:
        raise ValueError("keep below 4 GiB: these records are written without ZIP64")
    head = zlib.compressobj(9, zlib.DEFLATED, -15)
    head_bytes = head.compress(SHEET_HEAD) + head.flush(zlib.Z_FULL_FLUSH)
    block = _mib_block(filler)
    final = b"\x03\x00"  # an empty final fixed-Huffman block
    compressed_size = len(head_bytes) + len(block) * mib + len(final)
    real_size = len(SHEET_HEAD) + mib * MIB
    declared = len(SHEET_HEAD) + MIB if lie else real_size
    crc = _crc_of_head_and_filler(1 if lie else mib, filler)
    parts = workbook_parts(rows)
    parts.pop(SHEET)
    writer = _RawZip(path)
    for name, data in parts.items():
        writer.add(name, data)
    writer.add_stream(
        SHEET,
        chunks=_repeat(head_bytes, block, mib, final),
        crc=crc,
        compressed_size=compressed_size,
        size=declared,
    )
    writer.close()
    return path


def _crc_of_head_and_filler(mib: int, filler: bytes) -> int:
    crc = zlib.crc32(SHEET_HEAD)
    chunk = filler * (64 * MIB)
    left = mib * MIB
    while left:
        n = min(left, len(chunk))
        crc = zlib.crc32(memoryview(chunk)[:n], crc)
        left -= n
    return crc


def _repeat(head: bytes, block: bytes, count: int, final: bytes) -> list[bytes]:
    return [head, *([block] * count), final]


class _RawZip:
    """Just enough of the ZIP format (no ZIP64) to write entries with chosen header values."""

    def __init__(self, path: Path) -> None:
        self.fh = path.open("wb")
        self.central: list[bytes] = []

    def add(self, name: str, data: bytes) -> None:
        c = zlib.compressobj(6, zlib.DEFLATED, -15)
        packed = c.compress(data) + c.flush()
        self.add_stream(
            name, chunks=[packed], crc=zlib.crc32(data), compressed_size=len(packed), size=len(data)
        )

    def add_stream(
        self, name: str, *, chunks: list[bytes], crc: int, compressed_size: int, size: int
    ) -> None:
        encoded = name.encode()
        offset = self.fh.tell()
        fields = (20, 0, 8, 0, 0x21, crc, compressed_size, size, len(encoded), 0)
        self.fh.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields) + encoded)
        for chunk in chunks:
            self.fh.write(chunk)
        self.central.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0x21,
                crc,
                compressed_size,
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )

    def close(self) -> None:
        start = self.fh.tell()
        for record in self.central:
            self.fh.write(record)
        size = self.fh.tell() - start
        n = len(self.central)
        self.fh.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, size, start, 0))
        self.fh.close()
