"""The icon set: every size, the Windows .ico and macOS .icns containers, and PNGs that match
the SVG drawings (re-render with `python tools/render_icons.py` after editing a drawing)."""

from __future__ import annotations

import struct
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

ROOT = Path(__file__).resolve().parents[2]
ICONS = ROOT / "resources" / "icons"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
sys.path.insert(0, str(ROOT / "tools"))

import render_icons  # noqa: E402


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE, "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("size", render_icons.PNG_SIZES)
def test_every_png_size_exists_with_its_size(size: int) -> None:
    data = (ICONS / f"registry-desk-{size}.png").read_bytes()
    assert png_size(data) == (size, size)


def test_the_set_covers_desktop_sizes() -> None:
    assert {16, 24, 32, 48, 64, 128, 256, 512} <= set(render_icons.PNG_SIZES)


@pytest.mark.parametrize("name", ["registry-desk.svg", "registry-desk-small.svg"])
def test_drawings_are_svg_with_a_square_view_box(name: str) -> None:
    root = ElementTree.parse(ICONS / name).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    _, _, width, height = (float(v) for v in root.attrib["viewBox"].split())
    assert width == height


def test_ico_holds_every_size_up_to_256_as_png() -> None:
    data = (ICONS / "registry-desk.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = []
    for i in range(count):
        w, h, _, _, planes, bits, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * i : 22 + 16 * i]
        )
        side = w or 256
        assert (w, planes, bits) == (h, 1, 32)
        assert png_size(data[offset : offset + length]) == (side, side)
        sizes.append(side)
    assert sizes == sorted(render_icons.ICO_SIZES)


def test_icns_holds_every_type_with_its_size() -> None:
    data = (ICONS / "registry-desk.icns").read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack(">I", data[4:8])[0] == len(data)
    found = {}
    pos = 8
    while pos < len(data):
        kind, length = data[pos : pos + 4], struct.unpack(">I", data[pos + 4 : pos + 8])[0]
        found[kind] = png_size(data[pos + 8 : pos + length])[0]
        pos += length
    assert pos == len(data)
    assert found == {kind: size for kind, size in render_icons.ICNS_TYPES}


@pytest.mark.parametrize("size", [16, 48, 256])
def test_committed_pngs_match_the_drawings(qapp: object, size: int) -> None:
    from PySide6.QtGui import QImage

    committed = QImage(str(ICONS / f"registry-desk-{size}.png"))
    fresh = QImage.fromData(render_icons.render(size))
    fmt = QImage.Format.Format_RGBA8888
    a = committed.convertToFormat(fmt).constBits().tobytes()
    b = fresh.convertToFormat(fmt).constBits().tobytes()
    assert len(a) == len(b)
    mean_difference = sum(abs(x - y) for x, y in zip(a, b, strict=True)) / len(a)
    assert mean_difference < 2.0, (
        f"registry-desk-{size}.png differs from its SVG (mean {mean_difference:.1f}/255): "
        "run python tools/render_icons.py"
    )
