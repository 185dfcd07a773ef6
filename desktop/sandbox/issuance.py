"""Processing an enqueued generation entry: feasibility, fuel split, whole-MWh issuance.

Called inside a write transaction by the enqueue endpoint and by the admin's approve command,
so the entry, the remainder ledger and the certificates change together or not at all.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from desktop.sandbox import records, rules, store


def _fuels(conn: sqlite3.Connection, generator_id: str) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT * FROM generator_fuels WHERE generator_id = ? ORDER BY rowid", (generator_id,)
    ).fetchall()


def is_multi_fuel(generator: sqlite3.Row, fuels: list[sqlite3.Row]) -> bool:
    return store.loads(generator["attributes"]).get("is_multi_fuel") == "Yes" or len(fuels) > 1


def shares_for(
    entry: sqlite3.Row, generator: sqlite3.Row, fuels: list[sqlite3.Row]
) -> list[tuple[str, float]] | None:
    """Fractions per generator fuel, or None when a multi-fuel split is missing."""
    if not is_multi_fuel(generator, fuels):
        return [(fuels[0]["id"] if fuels else "", 1.0)]
    allocation = store.loads(entry["fuel_allocation"]) or []
    for block in allocation:
        if block.get("mrets_id") in (None, generator["mrets_id"]):
            pairs = [(a["generator_fuel_id"], float(a["allocation"])) for a in block["allocations"]]
            if rules.split_total_ok([f for _, f in pairs]):
                return [(k, f) for k, f in pairs if f > 0]
    percentages = [f["percentage"] for f in fuels]
    if fuels and all(p is not None for p in percentages):
        fractions = [p / 100 for p in percentages]
        if rules.split_total_ok(fractions):
            return [(f["id"], p) for f, p in zip(fuels, fractions, strict=True) if p > 0]
    return None


def pending_reasons(
    conn: sqlite3.Connection, entry: sqlite3.Row, generator: sqlite3.Row, today: date
) -> list[str]:
    reasons: list[str] = []
    start = date.fromisoformat(entry["period_start"])
    end = date.fromisoformat(entry["period_end"])
    if not entry["feasibility_approved"]:
        capacity = records.nameplate_uw(conn, generator)
        if not rules.date_feasible(end, today, capacity):
            reasons.append(rules.PENDING_DATE)
        if not rules.capacity_feasible(entry["quantity_wh"], capacity, start, end):
            reasons.append(rules.PENDING_CAPACITY)
    if shares_for(entry, generator, _fuels(conn, generator["id"])) is None:
        reasons.append(rules.PENDING_FUEL_SPLIT)
    return reasons


def process(conn: sqlite3.Connection, entry_id: str, today: date) -> None:
    """Hold the entry as pending with its reasons, or issue whole MWh and carry the rest."""
    entry = records.fetch(conn, "generation_entries", "generation entry", entry_id)
    generator = records.fetch(conn, "generators", "generator", entry["generator_id"])
    now = store.now_iso()
    reasons = pending_reasons(conn, entry, generator, today)
    if reasons:
        conn.execute(
            "UPDATE generation_entries SET status = 'pending', status_control = ?, "
            "pending_reasons = ?, date_of_action = ?, updated_at = ? WHERE id = ?",
            (reasons[0], store.dumps(reasons), today.isoformat(), now, entry_id),
        )
        return
    fuels = {f["id"]: f for f in _fuels(conn, generator["id"])}
    shares = shares_for(entry, generator, list(fuels.values()))
    assert shares is not None  # pending_reasons just said the split is complete
    issued = 0
    remainders: list[dict[str, Any]] = []
    state = store.loads(generator["attributes"]).get("state_province")
    for fuel_key, share_wh in rules.split_quantity(entry["quantity_wh"], shares):
        carried = conn.execute(
            "SELECT remainder_wh FROM remainders WHERE generator_id = ? AND fuel_key = ?",
            (generator["id"], fuel_key),
        ).fetchone()
        result = rules.issue(fuel_key, share_wh, carried["remainder_wh"] if carried else 0)
        conn.execute(
            "INSERT INTO remainders(generator_id, fuel_key, remainder_wh) VALUES (?, ?, ?) "
            "ON CONFLICT(generator_id, fuel_key) "
            "DO UPDATE SET remainder_wh = excluded.remainder_wh",
            (generator["id"], fuel_key, result.remainder_wh),
        )
        remainders.append(
            {"generator_fuel_id": fuel_key or None, "remainder": rules.mwh(result.remainder_wh)}
        )
        if result.certificates:
            issued += result.certificates
            fuel = fuels.get(fuel_key)
            base = rules.serial_base(generator["mrets_id"], state, entry["vintage"])
            conn.execute(
                "INSERT INTO certificates(id, generator_id, generation_entry_id, "
                "generator_fuel_id, fuel_source_id, eligibilities, vintage, quantity, "
                "serial_number_base, serial_number_start, serial_number_end, status, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?)",
                (
                    store.new_id(),
                    generator["id"],
                    entry_id,
                    fuel_key or None,
                    fuel["fuel_source_id"] if fuel else None,
                    fuel["eligibilities"] if fuel else "[]",
                    entry["vintage"],
                    result.certificates,
                    base,
                    f"{base}-1",
                    f"{base}-{result.certificates}",
                    now,
                ),
            )
    conn.execute(
        "UPDATE generation_entries SET status = ?, status_control = NULL, pending_reasons = '[]', "
        "issued_quantity = ?, fractional_remainders = ?, date_of_action = ?, updated_at = ? "
        "WHERE id = ?",
        (
            "issued" if issued else "accepted",
            issued,
            store.dumps(remainders),
            today.isoformat(),
            now,
            entry_id,
        ),
    )
