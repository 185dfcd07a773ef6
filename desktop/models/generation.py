"""Generation months and the issuance preview: certificates, carried remainders, predicted status.

The registry issues one certificate per whole MWh; the fraction rolls forward to later months
(reference.md §2.1). A month is predicted `Issued` when the carried remainder plus its MWh reach
a whole MWh, `Accepted` below that, or `Pending` with a reason: a multi-fuel month without a
100 % split, a capacity-feasibility hold, or a date-feasibility hold (decisions.md, "Generation
uploads"). This is a *prediction*: the registry decides, and the preview says so.

Energies are kept as whole kWh (MWh to 3 decimals, as the upload file carries them), so the
remainder ledger is exact and never rounds anything away.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from desktop.models import calendar as cal
from desktop.models.issues import Issue, error

if TYPE_CHECKING:
    from desktop.models.generator import Generator

PREDICTION_NOTE = (
    "This is a prediction from the registry's published rules; the registry decides the status."
)
SPLIT_TOLERANCE = 0.005  # percentages must total 100 to 0.01
LEDGER_VERSION = 1


@dataclass(frozen=True, slots=True)
class MonthEnergy:
    """A whole month of generation: a calendar month of the generator's own zone (monthly
    files, the preview) or of its standard time (hourly files)."""

    year: int
    month: int
    mwh: float
    on_peak_mwh: float | None = None
    off_peak_mwh: float | None = None

    @property
    def vintage(self) -> str:
        return vintage_text(self.year, self.month)

    @property
    def start(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def end(self) -> date:
        return date(self.year, self.month, cal.days_in_month(self.year, self.month))

    @property
    def kwh(self) -> int:
        """Whole kWh, as the monthly file carries the MWh to 3 decimals."""
        return round(self.mwh * 1000)


def vintage_text(year: int, month: int) -> str:
    return f"{month:02d}/{year:04d}"


def vintage_ranges(months: Sequence[MonthEnergy]) -> str:
    """'03/2026, 10/2026–11/2026': runs of consecutive months, never a range over months
    that are not there."""
    keys = sorted({(m.year, m.month) for m in months})
    runs: list[list[tuple[int, int]]] = []
    for y, m in keys:
        if runs and (runs[-1][-1][0] * 12 + runs[-1][-1][1]) + 1 == y * 12 + m:
            runs[-1].append((y, m))
        else:
            runs.append([(y, m)])
    return ", ".join(
        vintage_text(*r[0]) + (f"–{vintage_text(*r[-1])}" if len(r) > 1 else "") for r in runs
    )


@dataclass(frozen=True, slots=True)
class GenerationRules:
    """The defaults of decisions.md; each is a setting the user can change."""

    capacity_warning_factor: float = 1.25
    small_window_days: int = 365
    large_window_days: int = 62
    adjustment_window_days: int = 730
    new_generator_lookback_months: int = 3
    closing_soon_days: int = 30

    def window_days(self, generator: Generator) -> int:
        return self.small_window_days if generator.is_small else self.large_window_days


# --- Multi-fuel splits ---------------------------------------------------------------------


def check_fuel_split(
    split: Mapping[str, float], fuels: Sequence[str], *, vintage: str = ""
) -> list[Issue]:
    """Percentages per declared fuel, each 0–100, totalling 100 (to 0.01)."""
    where = f"{vintage}: " if vintage else ""
    issues: list[Issue] = []
    for fuel, pct in split.items():
        if fuel not in fuels:
            issues.append(
                error("fuel_split", f"{where}'{fuel}' is not one of this generator's fuels")
            )
        if not 0 <= pct <= 100:
            issues.append(error("fuel_split", f"{where}{fuel} {pct:g} % is not between 0 and 100"))
    total = sum(split.values())
    if abs(total - 100.0) > SPLIT_TOLERANCE + 1e-9:
        issues.append(
            error("fuel_split", f"{where}the fuel split totals {total:.2f} %; it must total 100 %")
        )
    return issues


def split_fractions(split: Mapping[str, float]) -> dict[str, float]:
    """Percentages -> fractions summing to exactly 1.0, as the registry API wants them."""
    total = sum(split.values())
    fractions = {fuel: pct / total for fuel, pct in split.items()}
    if fractions:
        biggest = max(fractions, key=fractions.__getitem__)
        fractions[biggest] += 1.0 - math.fsum(fractions.values())
    return fractions


def split_kwh(kwh: int, split: Mapping[str, float]) -> dict[str, int]:
    """Whole kWh per fuel that add up to `kwh` exactly (largest remainders get the rest)."""
    total = sum(split.values())
    raw = {fuel: kwh * pct / total for fuel, pct in split.items()}
    shares = {fuel: math.floor(v) for fuel, v in raw.items()}
    left = kwh - sum(shares.values())
    for fuel in sorted(raw, key=lambda f: raw[f] - shares[f], reverse=True)[:left]:
        shares[fuel] += 1
    return shares


# --- The remainder ledger --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    vintage: str
    fuel: str
    carry_in_kwh: int
    added_kwh: int
    certificates: int
    carry_out_kwh: int


@dataclass
class RemainderLedger:
    """Fractional remainders per fuel of one generator, in whole kWh (may be negative).

    A negative remainder comes from an adjustment that reported less than before; it is
    deducted from later generation (reference.md §2.10). The store persists `to_json()`.
    """

    generator_id: str
    remainders_kwh: dict[str, int] = field(default_factory=dict)
    history: list[LedgerEntry] = field(default_factory=list)

    def remainder(self, fuel: str) -> int:
        return self.remainders_kwh.get(fuel, 0)

    def apply(self, vintage: str, fuel: str, added_kwh: int) -> LedgerEntry:
        """Add a month's kWh for a fuel; whole MWh become certificates, the rest is carried."""
        carry_in = self.remainder(fuel)
        available = carry_in + added_kwh
        certificates = available // 1000 if available >= 1000 else 0
        entry = LedgerEntry(
            vintage, fuel, carry_in, added_kwh, certificates, available - certificates * 1000
        )
        self.remainders_kwh[fuel] = entry.carry_out_kwh
        self.history.append(entry)
        return entry

    def copy(self) -> RemainderLedger:
        return RemainderLedger(self.generator_id, dict(self.remainders_kwh), list(self.history))

    def to_json(self) -> dict[str, Any]:
        return {
            "version": LEDGER_VERSION,
            "generator_id": self.generator_id,
            "remainders_kwh": dict(sorted(self.remainders_kwh.items())),
            "history": [
                {
                    "vintage": e.vintage,
                    "fuel": e.fuel,
                    "carry_in_kwh": e.carry_in_kwh,
                    "added_kwh": e.added_kwh,
                    "certificates": e.certificates,
                    "carry_out_kwh": e.carry_out_kwh,
                }
                for e in self.history
            ],
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> RemainderLedger:
        if raw.get("version", LEDGER_VERSION) != LEDGER_VERSION:
            raise ValueError(f"remainder ledger version {raw.get('version')} is not supported")
        return cls(
            str(raw["generator_id"]),
            {str(k): int(v) for k, v in dict(raw.get("remainders_kwh") or {}).items()},
            [
                LedgerEntry(
                    str(e["vintage"]),
                    str(e["fuel"]),
                    int(e["carry_in_kwh"]),
                    int(e["added_kwh"]),
                    int(e["certificates"]),
                    int(e["carry_out_kwh"]),
                )
                for e in raw.get("history") or []
            ],
        )


# --- Upload windows --------------------------------------------------------------------------


def upload_deadline(generator: Generator, year: int, month: int, rules: GenerationRules) -> date:
    """The last day the month can be uploaded without a date-feasibility hold."""
    end = date(year, month, cal.days_in_month(year, month))
    return end + timedelta(days=rules.window_days(generator))


def first_eligible_day(generator: Generator, rules: GenerationRules) -> date | None:
    """Registration date minus the look-back months (newer help: 3 months)."""
    reg = generator.registration_date
    if reg is None:
        return None
    m = reg.month - rules.new_generator_lookback_months
    y = reg.year + (m - 1) // 12
    m = (m - 1) % 12 + 1
    return date(y, m, min(reg.day, cal.days_in_month(y, m)))


@dataclass(frozen=True, slots=True)
class ClosingMonth:
    generator_id: str
    generator_name: str
    vintage: str
    deadline: date
    days_left: int


def months_closing_soon(
    generators: Iterable[tuple[Generator, Collection[tuple[int, int]]]],
    today: date,
    *,
    rules: GenerationRules | None = None,
    within_days: int | None = None,
) -> list[ClosingMonth]:
    """Months not yet uploaded whose upload window closes within `within_days` (default 30).

    `generators` pairs each generator with the (year, month) vintages already uploaded.
    """
    rules = rules or GenerationRules()
    within = rules.closing_soon_days if within_days is None else within_days
    out: list[ClosingMonth] = []
    for gen, uploaded in generators:
        window = rules.window_days(gen)
        eligible = first_eligible_day(gen, rules)
        # A month closes `window` days after its end: look at month ends in [today-window, +within].
        lo = today - timedelta(days=window)
        hi = lo + timedelta(days=within)
        y, m = lo.year, lo.month
        while date(y, m, 1) <= hi:
            end = date(y, m, cal.days_in_month(y, m))
            deadline = end + timedelta(days=window)
            if (
                today <= deadline <= today + timedelta(days=within)
                and (y, m) not in uploaded
                and end < today
                and (eligible is None or end >= eligible)
            ):
                out.append(
                    ClosingMonth(
                        gen.mrets_id,
                        gen.name,
                        vintage_text(y, m),
                        deadline,
                        (deadline - today).days,
                    )
                )
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return sorted(out, key=lambda c: (c.deadline, c.generator_id))


# --- The preview -----------------------------------------------------------------------------


class Status(StrEnum):
    ISSUED = "Issued"
    ACCEPTED = "Accepted"
    PENDING = "Pending"


class Hold(StrEnum):
    FUEL_SPLIT = "Fuel Split"
    CAPACITY = "Capacity Feasibility"
    DATE = "Date Feasibility"


@dataclass(frozen=True, slots=True)
class Reason:
    hold: Hold
    message: str
    certain: bool = True  # False: likely, not certain (expected-output tolerance)

    def text(self) -> str:
        return f"{self.hold.value}{'' if self.certain else ' (likely)'}: {self.message}"


@dataclass(frozen=True, slots=True)
class MonthPreview:
    year: int
    month: int
    mwh: float
    on_peak_mwh: float | None
    off_peak_mwh: float | None
    expected_mwh: float | None
    carry_in_mwh: float
    certificates: int
    carry_out_mwh: float
    status: Status
    reasons: tuple[Reason, ...]
    deadline: date
    days_left: int
    certificates_by_fuel: dict[str, int]

    @property
    def vintage(self) -> str:
        return vintage_text(self.year, self.month)

    @property
    def status_text(self) -> str:
        return f"Pending: {self.reasons[0].hold.value}" if self.reasons else self.status.value

    def to_json(self) -> dict[str, Any]:
        return {
            "vintage": self.vintage,
            "mwh": round(self.mwh, 3),
            "on_peak_mwh": None if self.on_peak_mwh is None else round(self.on_peak_mwh, 3),
            "off_peak_mwh": None if self.off_peak_mwh is None else round(self.off_peak_mwh, 3),
            "expected_mwh": None if self.expected_mwh is None else round(self.expected_mwh, 3),
            "carry_in_mwh": round(self.carry_in_mwh, 3),
            "certificates": self.certificates,
            "carry_out_mwh": round(self.carry_out_mwh, 3),
            "status": self.status_text,
            "reasons": [r.text() for r in self.reasons],
            "upload_deadline": self.deadline.isoformat(),
            "days_left": self.days_left,
            "certificates_by_fuel": dict(self.certificates_by_fuel),
        }


@dataclass(frozen=True, slots=True)
class Preview:
    generator_id: str
    months: tuple[MonthPreview, ...]
    ledger: RemainderLedger  # the ledger after the predicted issuance
    note: str = PREDICTION_NOTE

    @property
    def certificates(self) -> int:
        return sum(m.certificates for m in self.months)

    def to_json(self) -> dict[str, Any]:
        return {
            "generator_id": self.generator_id,
            "note": self.note,
            "certificates": self.certificates,
            "months": [m.to_json() for m in self.months],
            "ledger": self.ledger.to_json(),
        }


def preview(
    months: Sequence[MonthEnergy],
    generator: Generator,
    *,
    today: date,
    ledger: RemainderLedger | None = None,
    fuel_splits: Mapping[tuple[int, int], Mapping[str, float]] | None = None,
    rules: GenerationRules | None = None,
) -> Preview:
    """Predict each month's issuance in order, carrying remainders through a copy of `ledger`."""
    rules = rules or GenerationRules()
    book = ledger.copy() if ledger else RemainderLedger(generator.mrets_id)
    fuels = generator.fuels or ("",)
    splits = fuel_splits or {}
    eligible = first_eligible_day(generator, rules)
    out: list[MonthPreview] = []
    for me in sorted(months, key=lambda x: (x.year, x.month)):
        reasons: list[Reason] = []
        split: Mapping[str, float] = {fuels[0]: 100.0}
        if len(fuels) > 1:
            given = splits.get((me.year, me.month))
            if not given:
                reasons.append(
                    Reason(Hold.FUEL_SPLIT, "a multi-fuel generator needs this month's fuel split")
                )
            elif check_fuel_split(given, fuels):
                total = sum(given.values())
                reasons.append(
                    Reason(Hold.FUEL_SPLIT, f"the split totals {total:.2f} %, not 100 %")
                )
            else:
                split = given
        hours = cal.month_hours(me.year, me.month)
        ceiling = generator.physical_max_mwh(hours)
        expected = generator.expected_mwh(me.year, me.month)
        if me.mwh > ceiling + 1e-9:
            reasons.append(
                Reason(
                    Hold.CAPACITY,
                    f"{me.mwh:.3f} MWh is more than the nameplate can produce in {hours} hours "
                    f"({ceiling:.3f} MWh)",
                )
            )
        elif expected is not None and me.mwh > expected * rules.capacity_warning_factor:
            reasons.append(
                Reason(
                    Hold.CAPACITY,
                    f"{me.mwh:.3f} MWh is above {rules.capacity_warning_factor:.0%} of the "
                    f"expected {expected:.3f} MWh",
                    certain=False,
                )
            )
        deadline = upload_deadline(generator, me.year, me.month, rules)
        if today > deadline:
            reasons.append(Reason(Hold.DATE, f"the upload window closed on {deadline.isoformat()}"))
        if eligible is not None and me.start < eligible:
            reasons.append(
                Reason(
                    Hold.DATE,
                    f"generation before {eligible.isoformat()} (3 months before registration) "
                    "needs a variance request",
                )
            )
        carry_in = sum(book.remainder(f) for f in fuels)
        by_fuel: dict[str, int] = {}
        if reasons:
            status = Status.PENDING
        else:
            for fuel, kwh in split_kwh(me.kwh, split).items():
                by_fuel[fuel] = book.apply(me.vintage, fuel, kwh).certificates
            status = Status.ISSUED if sum(by_fuel.values()) else Status.ACCEPTED
        carry_out = sum(book.remainder(f) for f in fuels)
        out.append(
            MonthPreview(
                me.year,
                me.month,
                me.kwh / 1000.0,
                me.on_peak_mwh,
                me.off_peak_mwh,
                expected,
                carry_in / 1000.0,
                sum(by_fuel.values()),
                carry_out / 1000.0,
                status,
                tuple(reasons),
                deadline,
                (deadline - today).days,
                by_fuel,
            )
        )
    return Preview(generator.mrets_id, tuple(out), book)


def ledger_with_carry(generator: Generator, carry_in_mwh: float) -> RemainderLedger:
    """A ledger holding a known remainder (single-fuel generators, or the first fuel)."""
    fuel = (generator.fuels or ("",))[0]
    return RemainderLedger(generator.mrets_id, {fuel: round(carry_in_mwh * 1000)})
