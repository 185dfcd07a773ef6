"""The M-RETS generation upload layouts, declared once (reference.md §2.3, §2.4, §2.10).

Columns are positional in every source; the names below are written only when the header
setting is on (decisions.md), and are recognised when a file with that header is read back.
"""

from __future__ import annotations

from enum import StrEnum


class UploadKind(StrEnum):
    MONTHLY = "monthly"
    HOURLY = "hourly"  # 5 columns (Help)
    HOURLY6 = "hourly6"  # 6 columns (Operating Procedures 4.4.1)
    ADJUSTMENT = "adjustment"


COLUMNS: dict[UploadKind, tuple[str, ...]] = {
    UploadKind.MONTHLY: (
        "Generator ID",
        "Reporting Unit ID",
        "Vintage",
        "Start Date",
        "End Date",
        "Total MWh",
    ),
    UploadKind.HOURLY: (
        "Generator ID",
        "Reporting Unit ID",
        "Date of Generation",
        "Hour of Generation",
        "Total kWh",
    ),
    UploadKind.HOURLY6: (
        "Generator ID",
        "Reporting Unit ID",
        "Date of Generation",
        "Total MWh for the Reporting Month",
        "Hour of Generation",
        "Total kWh",
    ),
    UploadKind.ADJUSTMENT: (
        "Generator ID",
        "Generator ID",
        "Vintage Start Date",
        "Start Date",
        "End Date",
        "Total MWh",
        "Adjustment",
    ),
}

ADJUSTMENT_WORD = "Adjustment"
