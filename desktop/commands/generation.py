"""`registry-desk generation build|preview`: meter files -> M-RETS upload file, or a preview.

Exit status: 0 done (the file was written / the preview printed; months left out are warnings
on stderr), 1 the input has errors (listed on stderr with file, line and column; nothing is
written) or no month can be written, 2 usage error.
The `--json` shapes are documented in docs/cli.md.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from desktop.cli import data_dir_option, print_json
from desktop.config import Paths, Settings, default_data_dir
from desktop.errors import InputError, UsageError
from desktop.exchange.generation_pipeline import (
    HOURLY_NEEDS_READINGS,
    Assembled,
    ReadRequest,
    assemble,
)
from desktop.exchange.meter_columns import ColumnMapping
from desktop.exchange.meter_files import ReadOptions
from desktop.exchange.mrets_upload import generator_id_digits
from desktop.models import calendar as cal
from desktop.models.fields import ParseError, parse_capacity_mw, parse_date
from desktop.models.generation import (
    GenerationRules,
    ledger_with_carry,
    preview,
    vintage_text,
)
from desktop.models.generator import Generator
from desktop.models.intervals import (
    EnergyUnit,
    IntervalOptions,
    StampMark,
)
from desktop.models.issues import Issue, Severity
from desktop.services import generation
from desktop.store import open_store

GB_FLOWS = {"forward": 1, "reverse": 19}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "generation",
        help="build M-RETS generation upload files from meter data; preview issuance",
        description="Generation uploads: meter data in, M-RETS monthly/hourly CSV out.",
        parents=[data_dir_option()],
    )
    group = parser.add_subparsers(dest="generation_command", metavar="SUBCOMMAND")

    build = group.add_parser(
        "build",
        help="write an M-RETS monthly or hourly upload file",
        parents=[data_dir_option(), _input_options()],
    )
    build.add_argument("--generator-id", required=True, help="M-RETS ID, e.g. M805 or 805")
    build.add_argument("--unit-id", required=True, help="the generator's reporting unit ID")
    build.add_argument("--granularity", required=True, choices=("monthly", "hourly"))
    build.add_argument(
        "--hourly-layout",
        type=int,
        choices=(5, 6),
        help="5 columns (default setting) or 6 with the month's MWh",
    )
    build.add_argument(
        "--header", action="store_true", default=None, help="write a header row (default: none)"
    )
    build.add_argument("--nameplate-mw", help="nameplate (MW AC or e.g. '780 kW'): physical check")
    build.add_argument("--out", required=True, type=Path, help="the upload file to write (.csv)")
    build.add_argument("--json", action="store_true", help="print the build report as JSON")
    build.set_defaults(handler=build_command)

    pv = group.add_parser(
        "preview",
        help="predict certificates, carried remainders and statuses per month",
        parents=[data_dir_option(), _input_options()],
    )
    pv.add_argument("--generator-id", default="0", help="M-RETS ID (for the ledger)")
    pv.add_argument("--unit-id", default="", help="reporting unit ID")
    pv.add_argument("--nameplate-mw", required=True, help="nameplate, MW AC (or e.g. '7.6 kW')")
    pv.add_argument("--capacity-factor", type=float, help="registered annual capacity factor, %%")
    pv.add_argument("--max-annual-energy", type=float, help="registered maximum MWh in 365 days")
    pv.add_argument("--carry-in", type=float, default=0.0, help="remainder carried in, MWh")
    pv.add_argument("--registered", help="registration date YYYY-MM-DD")
    pv.add_argument("--today", help="date to predict from, YYYY-MM-DD (default: today)")
    pv.add_argument("--fuel", action="append", default=[], help="fuel type (repeat for multi-fuel)")
    pv.add_argument(
        "--split",
        action="append",
        default=[],
        metavar="MM/YYYY:FUEL=PCT,...",
        help="a month's fuel split in percent, e.g. 01/2026:Biogas=60,Biomass=40",
    )
    pv.add_argument("--json", action="store_true", help="print JSON (shape in docs/cli.md)")
    pv.set_defaults(handler=preview_command)


def _input_options() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument(
        "--input",
        action="append",
        required=True,
        type=Path,
        help="meter file: CSV/TXT, XLSX, Green Button XML, or an M-RETS upload file (repeat)",
    )
    p.add_argument("--input-tz", help="IANA zone of local time stamps, e.g. America/Chicago")
    p.add_argument(
        "--generator-tz",
        metavar="ZONE",
        help="IANA zone whose calendar months a monthly file reports "
        "(default: --input-tz, else the generation.time_zone setting)",
    )
    p.add_argument(
        "--timestamps", choices=("start", "end"), help="stamps open or close their interval"
    )
    p.add_argument(
        "--unit",
        choices=[u.value for u in EnergyUnit],
        help="energy unit of the values (default: from the header, else kWh; kW = demand)",
    )
    p.add_argument("--timestamp-column", help="header of the time stamp column")
    p.add_argument("--energy-column", help="header of the energy column")
    p.add_argument("--meter-column", help="header of the meter ID column")
    p.add_argument("--date-column", help="header of a separate date column (with --time-column)")
    p.add_argument("--time-column", help="header of a separate time-of-day column")
    p.add_argument(
        "--header-row",
        type=int,
        metavar="N",
        help="line number of the header row (default: found below any metadata lines)",
    )
    p.add_argument(
        "--meter-per-file", action="store_true", help="files without a meter column: one meter each"
    )
    p.add_argument("--interval", type=int, choices=(5, 15, 30, 60), help="force the interval")
    p.add_argument(
        "--fill-gaps",
        choices=("none", "zero"),
        default="none",
        help="gaps inside a month: leave the month out (default) or fill with 0 kWh (reported)",
    )
    p.add_argument("--clip-negative", action="store_true", help="set negative readings to 0")
    p.add_argument(
        "--standard-time",
        default="EST",
        help="hour convention of the upload: EST (default), CST, MST, PST, AST",
    )
    p.add_argument(
        "--green-button-flow",
        choices=tuple(GB_FLOWS),
        help="which flow direction of a Green Button file is the generation",
    )
    return p


# --- Shared steps --------------------------------------------------------------------------


def _settings(args: argparse.Namespace) -> Settings:
    root = getattr(args, "data_dir", None) or default_data_dir()
    return Settings.load(Paths(Path(root)).settings)


def _std(args: argparse.Namespace) -> cal.StandardTime:
    try:
        return cal.standard_time(args.standard_time)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _zone(args: argparse.Namespace, settings: Settings) -> str | None:
    """The generator's zone: --generator-tz, else --input-tz, else the setting."""
    zone = args.generator_tz or args.input_tz or settings.get("generation.time_zone") or None
    return str(zone) if zone else None


def _stamp_range(settings: Settings) -> dict[str, Any]:
    earliest = settings.get("generation.earliest_stamp")
    days = settings.get("generation.days_ahead")
    out: dict[str, Any] = {}
    with contextlib.suppress(ValueError):  # a damaged setting falls back to the default
        out["earliest"] = date.fromisoformat(str(earliest))
    if isinstance(days, int) and days > 0:
        out["latest"] = date.today() + timedelta(days=days)
    return out


def _request(
    args: argparse.Namespace,
    std: cal.StandardTime,
    nameplate_mw: float | None,
    settings: Settings,
    carry: dict[int, float] | None = None,
) -> ReadRequest:
    mapping = None
    named = (args.timestamp_column, args.energy_column, args.meter_column)
    if any(named) or args.date_column or args.time_column:
        mapping = ColumnMapping(
            timestamp=args.timestamp_column,
            energy=args.energy_column,
            meter=args.meter_column,
            date=args.date_column,
            time=args.time_column,
        )
    if args.header_row is not None and args.header_row < 1:
        raise UsageError("--header-row is a line number, 1 or more")
    options = ReadOptions(
        input_tz=args.input_tz,
        mark=StampMark(args.timestamps) if args.timestamps else None,
        unit=EnergyUnit(args.unit) if args.unit else None,
        mapping=mapping,
        meter_per_file=args.meter_per_file,
        header_row=args.header_row - 1 if args.header_row else None,
    )
    return ReadRequest(
        tuple(args.input),
        options,
        std=std,
        interval=IntervalOptions(
            interval=args.interval,
            fill_gaps=args.fill_gaps == "zero",
            clip_negative=args.clip_negative,
            **_stamp_range(settings),
        ),
        nameplate_mw=nameplate_mw,
        green_button_flow=GB_FLOWS.get(args.green_button_flow) if args.green_button_flow else None,
        generator_tz=_zone(args, settings),
        carry=carry or {},
    )


def _mw(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        mw = parse_capacity_mw(text)
    except ParseError as exc:
        raise UsageError(f"--nameplate-mw: {exc}") from None
    if mw <= 0:
        raise UsageError("--nameplate-mw must be more than 0")
    return mw


def _date_arg(text: str | None, name: str) -> date | None:
    if not text:
        return None
    try:
        return parse_date(text)
    except ParseError as exc:
        raise UsageError(f"{name}: {exc}") from None


def _report_issues(issues: list[Issue]) -> bool:
    """Print errors and warnings on stderr; True when there are errors."""
    for i in issues:
        if i.severity is not Severity.INFO:
            print(f"{i.severity.value}: {i.located()}", file=sys.stderr)
    return any(i.severity is Severity.ERROR for i in issues)


def _common_report(done: Assembled, granularity: str = "monthly") -> dict[str, Any]:
    r = done.inputs.readings
    filled = done.hourly.filled_minutes if done.hourly else {}
    return {
        "partial_months": [
            {"vintage": f"{p.month:02d}/{p.year}", "reason": p.reason}
            for p in done.partial_for(granularity)
        ],
        "filled_hours": {
            vintage_text(y, m): round(minutes / 60, 2) for (y, m), minutes in sorted(filled.items())
        },
        "counts": r.counts.to_json(),
        "notes": list(r.notes),
        "issues": [i.to_json() for i in r.issues],
    }


# --- build ---------------------------------------------------------------------------------


def build_command(args: argparse.Namespace) -> int:
    settings = _settings(args)
    std = _std(args)
    gid = generator_id_digits(args.generator_id)
    unit_id = args.unit_id.strip()
    if not unit_id:
        raise UsageError("--unit-id must not be empty")
    nameplate = _mw(args.nameplate_mw)
    layout = args.hourly_layout or int(settings.get("generation.hourly_layout") or 5)
    header = bool(settings.get("generation.header_row")) if args.header is None else args.header
    if args.out.suffix.lower() != ".csv":
        raise UsageError(f"--out must name a .csv file, not '{args.out.name}'")
    # The store keeps the boundary hours of earlier builds: the hour an hourly file's month
    # needs from the month before, when this input does not hold it.
    with open_store(getattr(args, "data_dir", None)) as store:
        request = _request(args, std, nameplate, settings, generation.boundary_carry(store, gid))
        done = assemble(request)
        if _report_issues(done.issues):
            print("registry-desk: the input has errors; no file was written", file=sys.stderr)
            return 1
        if args.granularity == "hourly" and done.hourly is None:
            raise UsageError(HOURLY_NEEDS_READINGS)
        months = done.months_for(args.granularity)
        report = _common_report(done, args.granularity)
        for p in report["partial_months"]:
            print(f"warning: left out: {p['reason']}", file=sys.stderr)
        if not months:
            print("registry-desk: no whole month to write; no file was written", file=sys.stderr)
            return 1
        generator = Generator(
            gid, unit_id, nameplate or 0.0, standard_time=std, time_zone=request.generator_tz
        )
        written = generation.write_file(
            generator,
            months,
            done.hourly,
            args.out,
            granularity=args.granularity,
            layout=layout,
            header=header,
            store=store,
        )
    months_of = std.label if args.granularity == "hourly" else (request.generator_tz or std.label)
    report.update(
        out=str(args.out),
        granularity=args.granularity,
        layout=layout if args.granularity == "hourly" else 6,
        header=header,
        rows=written.rows,
        bytes=written.bytes,
        months=[{"vintage": m.vintage, "mwh": round(m.kwh / 1000.0, 3)} for m in months],
        standard_time=std.label,
        months_of=months_of,
        boundary_hours_kept=written.kept_hours,
    )
    if args.json:
        print_json(report)
    else:
        print(
            f"Wrote {args.out} ({written.rows} rows, {written.kind.value}, hour-ending "
            f"{std.label}; months of {months_of})"
        )
        for m in report["months"]:
            print(f"  {m['vintage']}  {m['mwh']:.3f} MWh")
        for note in report["notes"]:
            print(f"note: {note}")
        c = done.counts
        print(
            f"rows read {c.rows_read}, used {c.rows_used}, refused {c.rows_refused}, "
            f"duplicates repaired {c.duplicates_repaired}, negatives repaired "
            f"{c.negatives_repaired}, intervals filled {c.intervals_filled}"
        )
    return 0


# --- preview -------------------------------------------------------------------------------


def _splits(texts: list[str]) -> dict[tuple[int, int], dict[str, float]]:
    out: dict[tuple[int, int], dict[str, float]] = {}
    for text in texts:
        try:
            vintage, parts = text.split(":", 1)
            mm, yyyy = vintage.strip().split("/")
            split = {}
            for part in parts.split(","):
                fuel, pct = part.split("=")
                split[fuel.strip()] = float(pct)
            out[(int(yyyy), int(mm))] = split
        except ValueError:
            raise UsageError(
                f"--split '{text}' is not MM/YYYY:FUEL=PCT,... (e.g. 01/2026:Biogas=60,Biomass=40)"
            ) from None
    return out


def preview_command(args: argparse.Namespace) -> int:
    settings = _settings(args)
    std = _std(args)
    gid = generator_id_digits(args.generator_id)
    nameplate = _mw(args.nameplate_mw)
    assert nameplate is not None
    if args.capacity_factor is not None and not 0 <= args.capacity_factor <= 100:
        raise UsageError("--capacity-factor is a percentage from 0 to 100")
    today = _date_arg(args.today, "--today") or date.today()
    registered = _date_arg(args.registered, "--registered")
    done = assemble(_request(args, std, nameplate, settings))
    months = done.months
    if _report_issues(done.issues):
        print("registry-desk: the input has errors; no preview", file=sys.stderr)
        return 1
    generator = Generator(
        gid,
        args.unit_id or gid,
        nameplate,
        capacity_factor=args.capacity_factor,
        max_annual_energy_mwh=args.max_annual_energy,
        fuels=tuple(args.fuel),
        registration_date=registered,
        standard_time=std,
        time_zone=_zone(args, settings),
    )
    rules = GenerationRules(
        capacity_warning_factor=float(settings.get("generation.capacity_warning_factor") or 1.25)
    )
    result = preview(
        months,
        generator,
        today=today,
        ledger=ledger_with_carry(generator, args.carry_in),
        fuel_splits=_splits(args.split),
        rules=rules,
    )
    report = result.to_json()
    report.update(_common_report(done))
    report["today"] = today.isoformat()
    if args.json:
        print_json(report)
        return 0
    print(result.note)
    print(
        f"{'Vintage':<9}{'MWh':>11}{'On-peak':>10}{'Off-peak':>10}{'Carry in':>10}"
        f"{'Certs':>7}{'Carry out':>10}  Status"
    )
    for m in report["months"]:
        on = "" if m["on_peak_mwh"] is None else f"{m['on_peak_mwh']:.3f}"
        off = "" if m["off_peak_mwh"] is None else f"{m['off_peak_mwh']:.3f}"
        print(
            f"{m['vintage']:<9}{m['mwh']:>11.3f}{on:>10}{off:>10}{m['carry_in_mwh']:>10.3f}"
            f"{m['certificates']:>7}{m['carry_out_mwh']:>10.3f}  {m['status']} "
            f"({m['days_left']} days left)"
        )
        for reason in m["reasons"]:
            print(f"{'':9}{reason}")
    for p in report["partial_months"]:
        print(f"left out: {p['reason']}")
    return 0


__all__ = ["InputError", "build_command", "preview_command", "register"]
