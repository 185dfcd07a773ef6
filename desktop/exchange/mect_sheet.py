"""The MECT entry sheet as XLSX (openpyxl) and PDF (fpdf2), written whole or not at all.

MISO publishes no API for MECT: the sheet lists every value in MECT step order, season by season,
with a "keyed in" column to tick while typing the values into MECT's Add BTMG screen.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from desktop.errors import InputError
from desktop.models.btmg_sheet import SheetSection

DEJAVU_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/Library/Fonts"),
    Path("C:/Windows/Fonts"),
)


@dataclass(frozen=True, slots=True)
class SheetHeader:
    draft_name: str
    planning_year: str
    deadlines: str
    made_on: date
    status: str


def _atomic(target: Path, write: Callable[[Path], None]) -> Path:
    """Write through a temporary file beside `target`, then rename it into place."""
    target = Path(target)
    if not target.parent.is_dir():
        raise InputError("The folder does not exist.", where=str(target.parent))
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(
            f"The sheet cannot be written: {exc.strerror}.", where=str(target)
        ) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def write_sheet(path: Path, header: SheetHeader, sections: Sequence[SheetSection]) -> Path:
    """XLSX or PDF, chosen by the file's extension."""
    suffix = Path(path).suffix.lower()
    if suffix == ".xlsx":
        return write_xlsx(path, header, sections)
    if suffix == ".pdf":
        return write_pdf(path, header, sections)
    raise InputError("The entry sheet is written as .xlsx or .pdf.", where=str(path))


# --- XLSX --------------------------------------------------------------------------------------


def write_xlsx(path: Path, header: SheetHeader, sections: Sequence[SheetSection]) -> Path:
    # openpyxl and fpdf2 take 0.4 s to import; the BTMG views import this module's types at
    # start-up, so the writers load them only when a sheet is written.
    from openpyxl import Workbook  # noqa: PLC0415
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side  # noqa: PLC0415

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "MECT entry sheet"
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    thin = Side(style="thin", color="BBBBBB")
    box = Border(top=thin, bottom=thin, left=thin, right=thin)
    band = PatternFill("solid", fgColor="DCE6F1")

    ws.append([f"MECT entry sheet — {header.draft_name}"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([f"{header.planning_year} · {header.deadlines}"])
    ws.append(
        [
            f"Made {header.made_on.isoformat()} by Registry Desk · draft status {header.status} · "
            "MECT: Planning Resources › Registrations › Add BTMG"
        ]
    )
    ws.append([])
    ws.append(["Step", "MECT field", "Value to key in", "Keyed in"])
    for cell in ws[ws.max_row]:
        cell.font = bold
        cell.border = box
    header_row = ws.max_row
    for section in sections:
        ws.append([section.title])
        r = ws.max_row
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
        ws.cell(r, 1).font = bold
        ws.cell(r, 1).fill = band
        for row in section.rows:
            # Text cells only: Excel must not reformat a value (a CPNode, a phone number).
            ws.append([row.step, row.label, row.value, "☐"])
            r = ws.max_row
            ws.cell(r, 3).data_type = "s"
            for col in range(1, 5):
                ws.cell(r, col).alignment = wrap
                ws.cell(r, col).border = box
            ws.cell(r, 3).number_format = "@"
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 42
    ws.column_dimensions["C"].width = 70
    ws.column_dimensions["D"].width = 9
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return _atomic(Path(path), wb.save)


# --- PDF ---------------------------------------------------------------------------------------


def _font_files() -> tuple[Path, Path] | None:
    for d in DEJAVU_DIRS:
        regular, bold = d / "DejaVuSans.ttf", d / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


_ASCII = str.maketrans({"–": "-", "—": "-", "·": "|", "›": ">", "☐": "[ ]", "’": "'", "…": "..."})


def write_pdf(path: Path, header: SheetHeader, sections: Sequence[SheetSection]) -> Path:
    from fpdf import FPDF  # noqa: PLC0415 - see write_xlsx
    from fpdf.fonts import FontFace  # noqa: PLC0415

    pdf = FPDF(orientation="landscape", unit="mm", format="Letter")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.set_margins(12, 12, 12)
    fonts = _font_files()
    if fonts is not None:
        pdf.add_font("DejaVu", "", str(fonts[0]))
        pdf.add_font("DejaVu", "B", str(fonts[1]))
        family = "DejaVu"

        def text(s: str) -> str:
            return s
    else:  # the core font has no typographic dashes or ballot boxes
        family = "Helvetica"

        def text(s: str) -> str:
            return s.translate(_ASCII).encode("latin-1", "replace").decode("latin-1")

    pdf.set_title(f"MECT entry sheet - {header.draft_name}")
    pdf.set_creator("Registry Desk")
    pdf.alias_nb_pages()

    def footer() -> None:
        pdf.set_y(-10)
        pdf.set_font(family, "", 8)
        pdf.cell(0, 5, text(f"{header.draft_name} · {header.planning_year}"), align="L")
        pdf.set_x(pdf.l_margin)
        pdf.cell(0, 5, f"Page {pdf.page_no()} of {{nb}}", align="R")

    pdf.footer = footer  # type: ignore[method-assign]
    pdf.add_page()
    pdf.set_font(family, "B", 15)
    pdf.cell(0, 8, text(f"MECT entry sheet — {header.draft_name}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 10)
    pdf.multi_cell(
        0, 5, text(f"{header.planning_year} · {header.deadlines}"), new_x="LMARGIN", new_y="NEXT"
    )
    pdf.multi_cell(
        0,
        5,
        text(
            f"Made {header.made_on.isoformat()} by Registry Desk · draft status {header.status}. "
            "In MECT: Planning Resources › Registrations › Add BTMG, then key in each value in "
            "this order and tick it."
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    pdf.set_font(family, "", 9)
    heading = FontFace(emphasis="BOLD", fill_color=(220, 230, 241))
    with pdf.table(
        col_widths=(12, 74, 150, 19),
        text_align=("CENTER", "LEFT", "LEFT", "CENTER"),
        headings_style=FontFace(emphasis="BOLD", fill_color=(200, 200, 200)),
        line_height=5,
        repeat_headings=1,
    ) as table:
        head = table.row()
        for title in ("Step", "MECT field", "Value to key in", "Keyed in"):
            head.cell(text(title))
        for section in sections:
            band = table.row(style=heading)
            band.cell(text(section.title), colspan=4, align="LEFT")
            for row in section.rows:
                line = table.row()
                line.cell(str(row.step))
                line.cell(text(row.label))
                line.cell(text(row.value) or " ")
                line.cell(text("☐"))
    try:
        return _atomic(Path(path), lambda tmp: pdf.output(str(tmp)))
    finally:
        # fpdf2 opens TrueType files lazily through fontTools and leaves them open.
        for font in pdf.fonts.values():
            ttfont = getattr(font, "ttfont", None)
            if ttfont is not None:
                ttfont.close()
