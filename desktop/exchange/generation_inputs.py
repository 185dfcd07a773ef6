"""Everything a generation upload can be built from, read in one call.

`read_inputs` takes any mix of interval CSV/TXT, XLSX, Green Button XML and existing M-RETS
monthly/hourly upload files, and returns the meter series plus any monthly totals.
`hourly_energy` then checks and sums the series into the generator's standard hours and adds
the daylight-saving note. Both take a progress callback `(done, total)` in bytes and a
`cancelled()` check for the window's background task; the CLI passes neither.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from desktop.errors import InputError
from desktop.exchange import meter_files as mf
from desktop.exchange.daily_months import daily_months
from desktop.exchange.generation_columns import UploadKind
from desktop.exchange.green_button import LongReadings, read_green_button
from desktop.exchange.mrets_upload import (
    looks_like_upload,
    months_from_monthly,
    read_upload,
    series_from_hourly,
)
from desktop.exchange.timestamps import StampResolver, dst_change_days, zone
from desktop.models import calendar as cal
from desktop.models.generation import MonthEnergy
from desktop.models.intervals import HourlyEnergy, IntervalOptions, SourceFile, assemble
from desktop.models.issues import error
from desktop.models.month_grid import MonthGrid

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


@dataclass
class Inputs:
    readings: mf.MeterReadings
    monthly: list[MonthEnergy] = field(default_factory=list)  # from M-RETS monthly files
    input_tz: str | None = None
    resolver: StampResolver | None = None
    daily: list[LongReadings] = field(default_factory=list)  # Green Button daily readings
    file_zones: list[str] = field(default_factory=list)  # zones the files name (Green Button)

    @property
    def has_intervals(self) -> bool:
        return any(len(s) for s in self.readings.series.values())


def read_inputs(
    paths: Sequence[Path],
    options: mf.ReadOptions | None = None,
    *,
    std: cal.StandardTime = cal.EST,
    green_button_flow: int | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> Inputs:
    """Read every file; problems are collected as issues, never raised (except unreadable files)."""
    opt = options or mf.ReadOptions()
    tz = zone(opt.input_tz) if opt.input_tz else None
    resolver = StampResolver(tz)
    readings = mf.MeterReadings()
    inputs = Inputs(readings, input_tz=opt.input_tz, resolver=resolver)
    sizes = [mf.file_size(p) for p in paths]
    total = sum(sizes) or 1
    done = 0
    for index, path in enumerate(paths):
        if not path.is_file():
            raise InputError("no such file", where=str(path))
        if cancelled is not None and cancelled():
            raise mf.ReadCancelledError
        base = done

        def step(pos: int, base: int = base) -> None:
            if progress is not None:
                progress(min(base + pos, total), total)

        file_index = len(readings.files)
        suffix = path.suffix.lower()
        if suffix == ".xml":
            _read_green_button(path, file_index, inputs, green_button_flow)
        elif suffix in mf.SPREADSHEET_SUFFIXES:
            mf.read_spreadsheet(path, file_index, opt, resolver, readings, cancelled=cancelled)
        elif looks_like_upload(path):
            _read_upload(path, file_index, inputs, std)
        else:
            mf.read_csv(
                path, file_index, opt, resolver, readings, progress=step, cancelled=cancelled
            )
        done += sizes[index]
        if progress is not None:
            progress(min(done, total), total)
    if inputs.daily:
        _daily_months(inputs)
    readings.counts.stamps_rounded = len(resolver.rounded)
    if resolver.rounded:
        example = next(iter(resolver.rounded))
        readings.notes.append(
            f"{len(resolver.rounded)} distinct time stamps had seconds (e.g. '{example}') and "
            "were rounded to the nearest minute"
        )
    return inputs


def _read_green_button(path: Path, file_index: int, inputs: Inputs, flow: int | None) -> None:
    readings = inputs.readings
    found = read_green_button(
        path, file_index, readings.issues, readings.counts, readings.files, flow=flow
    )
    for s in found.series:
        known = readings.series.get(s.meter_id)
        if known is None:
            readings.series[s.meter_id] = s
        else:  # the same meter in another file (next month's download)
            known.stamps.extend(s.stamps)
            known.values.extend(s.values)
            known.where.extend(s.where)
    inputs.daily.extend(found.long)
    readings.notes.extend(found.notes)
    kinds = "interval" if found.series or not found.long else "daily"
    readings.notes.append(f"{path.name}: Green Button {kinds} readings (UTC) in Wh")
    if found.zone:
        inputs.file_zones.append(found.zone)
        readings.notes.append(f"{path.name}: its LocalTimeParameters describe {found.zone}")


def _daily_months(inputs: Inputs) -> None:
    """Daily readings give whole local months (no hours): a monthly upload can be built."""
    readings = inputs.readings
    name = inputs.input_tz or next(iter(inputs.file_zones), None)
    if name is None:
        readings.issues.append(
            error(
                "",
                "daily readings are grouped into the customer's local months; say which time "
                "zone the meter is in (--input-tz)",
                file=inputs.daily[0].file,
            )
        )
        return
    months = daily_months(inputs.daily, zone(name), readings.issues)
    inputs.monthly.extend(months)
    count = sum(len(d.readings) for d in inputs.daily)
    readings.counts.rows_used += count
    readings.notes.append(
        f"{count} daily readings were added up into whole months of {name}; an hourly upload "
        "needs hourly or finer readings"
    )


def _read_upload(path: Path, file_index: int, inputs: Inputs, std: cal.StandardTime) -> None:
    readings = inputs.readings
    upload = read_upload(path)
    readings.issues.extend(upload.issues)
    readings.files.append(SourceFile(str(path), {"timestamp": "Date/Hour", "energy": "kWh"}))
    readings.counts.rows_read += len(upload.rows)
    if upload.kind is UploadKind.MONTHLY:
        inputs.monthly.extend(months_from_monthly(upload))
        readings.notes.append(f"{path.name}: an M-RETS monthly upload file (MWh)")
    elif upload.kind in (UploadKind.HOURLY, UploadKind.HOURLY6):
        s = series_from_hourly(upload, file_index, std)
        known = readings.series.get("")
        if known is None:
            readings.series[""] = s
        else:
            known.stamps.extend(s.stamps)
            known.values.extend(s.values)
            known.where.extend(s.where)
        readings.notes.append(
            f"{path.name}: an M-RETS hourly upload file, read as hour-ending {std.label}"
        )
    elif upload.kind is UploadKind.ADJUSTMENT:
        readings.issues.append(
            error(
                "", "an adjustment file cannot be an input to a generation upload", file=str(path)
            )
        )


def hourly_energy(
    inputs: Inputs,
    *,
    std: cal.StandardTime = cal.EST,
    options: IntervalOptions | None = None,
    nameplate_kw: float | None = None,
    grid: MonthGrid | None = None,
    carry: Mapping[int, float] | None = None,
) -> HourlyEnergy:
    """Check and sum the series into hours of `std` and find the months of `grid` (the
    generator's local months) and of `std`; notes say how daylight saving was handled."""
    r = inputs.readings
    hourly = assemble(
        r.series.values(),
        r.files,
        std,
        options=options,
        nameplate_kw=nameplate_kw,
        counts=r.counts,
        issues=r.issues,
        notes=r.notes,
        presummed=r.presummed,
        grid=grid,
        carry=carry,
    )
    if inputs.input_tz and inputs.resolver and inputs.resolver.local_zone and len(hourly.kwh):
        tz = inputs.resolver.local_zone
        first = hourly.first_hour * 60 - std.offset_minutes
        last = first + len(hourly.kwh) * 60
        days = dst_change_days(tz, first, last)
        if days:
            shown = ", ".join(f"{d.isoformat()} ({h} local hours)" for d, h in days)
            repeated = r.counts.repeated_hour_readings
            hourly.notes.append(
                f"Daylight saving in {tz.key}: {shown}. Readings were placed by their instant "
                f"into 24-hour {std.code} days, so no energy was lost or counted twice"
                + (
                    f"; the {repeated} readings stamped in the repeated hour were taken in file "
                    "order, first daylight time, then standard time."
                    if repeated
                    else "."
                )
            )
        else:
            hourly.notes.append(f"No daylight-saving change in {tz.key} during the data.")
    return hourly
