"""`registry-desk calendar ...`: MISO calendar facts.

This module owns the `calendar` group: `peak-hours` here, `btmg-deadlines` from the BTMG
commands (its handler lives beside the other BTMG commands).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from desktop.cli import data_dir_option, print_json
from desktop.commands.btmg import register_btmg_deadlines
from desktop.models import calendar as cal


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "calendar",
        help="MISO calendar: on-peak hours, planning years and BTMG deadlines",
        description="MISO time (EST): on-peak and off-peak hours, planning years, deadlines.",
        parents=[data_dir_option()],
    )
    group = parser.add_subparsers(dest="calendar_command", metavar="SUBCOMMAND")
    p = group.add_parser(
        "peak-hours",
        help="on-peak and off-peak hours of each month of a year",
        description=(
            "MISO on-peak hours (HE07–HE22 EST, Monday–Friday, except NERC holidays) and "
            "off-peak hours of each month."
        ),
        parents=[data_dir_option()],
    )
    p.add_argument("year", type=int, help="calendar year, e.g. 2026")
    p.add_argument("--json", action="store_true", help="print JSON (shape in docs/cli.md)")
    p.set_defaults(handler=peak_hours_command)
    register_btmg_deadlines(group)


def peak_hours_document(year: int) -> dict[str, Any]:
    months = cal.year_peak_hours(year)
    return {
        "year": year,
        "time": "EST (UTC-5), hour ending",
        "months": [
            {
                "month": m.month,
                "on_peak_hours": m.on_peak,
                "off_peak_hours": m.off_peak,
                "hours": m.hours,
            }
            for m in months
        ],
        "total": {
            "on_peak_hours": sum(m.on_peak for m in months),
            "off_peak_hours": sum(m.off_peak for m in months),
            "hours": sum(m.hours for m in months),
        },
        "holidays": [
            {"date": d.isoformat(), "name": name} for d, name in cal.nerc_holidays(year).items()
        ],
    }


def peak_hours_command(args: argparse.Namespace) -> int:
    if not 1900 <= args.year <= 2200:
        print("registry-desk: the year must be between 1900 and 2200", file=sys.stderr)
        return 2
    doc = peak_hours_document(args.year)
    if args.json:
        print_json(doc)
        return 0
    print(f"MISO on-peak / off-peak hours, {args.year} (HE07–HE22 EST, Mon–Fri, NERC holidays off)")
    print(f"{'Month':<6}{'On-peak':>9}{'Off-peak':>10}{'Hours':>7}")
    for m in doc["months"]:
        print(f"{m['month']:<6}{m['on_peak_hours']:>9}{m['off_peak_hours']:>10}{m['hours']:>7}")
    t = doc["total"]
    print(f"{'Year':<6}{t['on_peak_hours']:>9}{t['off_peak_hours']:>10}{t['hours']:>7}")
    print("NERC holidays: " + ", ".join(f"{h['name']} {h['date']}" for h in doc["holidays"]))
    return 0
