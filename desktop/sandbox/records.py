"""Reading records back as JSON:API resources, and the lookups the routers share."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from desktop.sandbox import rules, store
from desktop.sandbox.jsonapi import ApiError, Page, not_found, resource
from desktop.sandbox.refdata import reference_data
from desktop.sandbox.schemas import DgUnitAttributes, GeneratorAttributes

GENERATOR_ATTRIBUTES = tuple(n for n in GeneratorAttributes.model_fields if n != "status")
UNIT_ATTRIBUTES = tuple(
    n for n in DgUnitAttributes.model_fields if n not in ("status", "nameplate_capacity")
)
LIVE_UNIT_STATUSES = ("waiting_approval", "approved")


def fetch(conn: sqlite3.Connection, table: str, kind: str, ident: str) -> sqlite3.Row:
    row: sqlite3.Row | None = conn.execute(
        f"SELECT * FROM {table} WHERE id = ?", (ident,)
    ).fetchone()
    if row is None:
        raise not_found(kind, ident)
    return row


def count_and_rows(
    conn: sqlite3.Connection,
    table: str,
    where: list[str],
    params: list[Any],
    *,
    order: str,
    page: Page,
) -> tuple[int, list[sqlite3.Row]]:
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    total = conn.execute(f"SELECT COUNT(*) FROM {table}{clause}", params).fetchone()[0]
    rows = conn.execute(
        f"SELECT * FROM {table}{clause} ORDER BY {order} LIMIT ? OFFSET ?",
        [*params, page.size, page.offset],
    ).fetchall()
    return int(total), rows


# --- generators -----------------------------------------------------------------------------


def dg_totals(
    conn: sqlite3.Connection, generator_id: str, exclude_unit: str | None = None
) -> tuple[int, str | None]:
    """Live units' total nameplate (µW) and oldest COD: a DGG's derived values."""
    row = conn.execute(
        "SELECT COALESCE(SUM(nameplate_capacity_uw), 0) AS total, "
        "MIN(json_extract(attributes, '$.commenced_operation_date')) AS cod "
        "FROM dg_units WHERE generator_id = ? AND status IN (?, ?) AND id IS NOT ?",
        (generator_id, *LIVE_UNIT_STATUSES, exclude_unit),
    ).fetchone()
    return int(row["total"]), row["cod"]


def nameplate_uw(conn: sqlite3.Connection, generator: sqlite3.Row) -> int | None:
    if generator["dg_group"]:
        total, _ = dg_totals(conn, generator["id"])
        return total or None
    value = store.loads(generator["attributes"]).get("nameplate_capacity")
    return None if value is None else rules.to_uw(float(value))


def remainders_of(conn: sqlite3.Connection, generator_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT fuel_key, remainder_wh FROM remainders WHERE generator_id = ? ORDER BY fuel_key",
        (generator_id,),
    ).fetchall()
    return [
        {"generator_fuel_id": r["fuel_key"] or None, "remainder": rules.mwh(r["remainder_wh"])}
        for r in rows
    ]


def generator_resource(conn: sqlite3.Connection, row: sqlite3.Row) -> dict[str, Any]:
    stored = store.loads(row["attributes"])
    attrs: dict[str, Any] = {name: stored.get(name) for name in GENERATOR_ATTRIBUTES}
    attrs["dg_group"] = bool(row["dg_group"])
    if row["dg_group"]:
        total, cod = dg_totals(conn, row["id"])
        attrs["nameplate_capacity"] = rules.mwh(total) if total else None
        attrs["commenced_operation_date"] = cod
    attrs.update(
        facility_name=row["facility_name"],
        mrets_id=row["mrets_id"],
        status=row["status"],
        status_reason=row["status_reason"],
        effective_date=row["effective_date"],
        fractional_remainders=remainders_of(conn, row["id"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )
    fuel_ids = [
        r["id"]
        for r in conn.execute(
            "SELECT id FROM generator_fuels WHERE generator_id = ? ORDER BY rowid", (row["id"],)
        )
    ]
    return resource(
        "generators", row["id"], attrs, {"generator_fuels": ("generator_fuels", fuel_ids)}
    )


# --- fuels, units, documents ------------------------------------------------------------------


def fuel_resource(row: sqlite3.Row) -> dict[str, Any]:
    source = reference_data().fuel_sources.get(row["fuel_source_id"], {})
    attrs = {
        "label": row["label"],
        "percentage": row["percentage"],
        "fuel_type": source.get("fuel_type"),
        "fuel_source_description": source.get("description"),
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }
    return resource(
        "generator_fuels",
        row["id"],
        attrs,
        {
            "generator": ("generators", row["generator_id"]),
            "fuel_source": ("fuel_sources", row["fuel_source_id"]),
            "eligibilities": ("eligibilities", store.loads(row["eligibilities"])),
        },
    )


def unit_resource(row: sqlite3.Row) -> dict[str, Any]:
    stored = store.loads(row["attributes"])
    attrs: dict[str, Any] = {name: stored.get(name) for name in UNIT_ATTRIBUTES}
    attrs.update(
        nameplate_capacity=rules.mwh(row["nameplate_capacity_uw"]),
        nameplate_capacity_unit="MW AC",
        status=row["status"],
        status_reason=row["status_reason"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )
    return resource(
        "dg_units", row["id"], attrs, {"generator": ("generators", row["generator_id"])}
    )


def document_resource(row: sqlite3.Row) -> dict[str, Any]:
    attrs = {
        "document_type": row["document_type"],
        "description": row["description"],
        "file_name": row["file_name"],
        "content_type": row["content_type"],
        "byte_size": row["byte_size"],
        "sha256": row["sha256"],
        "created_at": row["created_at"],
    }
    return resource(
        "generator_documents",
        row["id"],
        attrs,
        {
            "generator": ("generators", row["generator_id"]),
            "dg_unit": ("dg_units", row["dg_unit_id"]),
        },
    )


# --- generation -------------------------------------------------------------------------------


def entry_resource(conn: sqlite3.Connection, row: sqlite3.Row) -> dict[str, Any]:
    lines = conn.execute(
        "SELECT COUNT(*) AS n, MIN(started_at) AS s, MIN(ended_at) AS e "
        "FROM generation_entry_lines WHERE generation_entry_id = ?",
        (row["id"],),
    ).fetchone()
    interval = None
    if lines["n"]:
        first = conn.execute(
            "SELECT started_at, ended_at FROM generation_entry_lines "
            "WHERE generation_entry_id = ? ORDER BY started_at LIMIT 1",
            (row["id"],),
        ).fetchone()
        interval = rules.minutes_between(first["started_at"], first["ended_at"])
    unit = row["quantity_unit"]
    quantity = row["quantity_wh"] / (rules.WH_PER_MWH if unit == "mwh" else 1000)
    attrs = {
        "generation_period_start": row["period_start"],
        "generation_period_end": row["period_end"],
        "vintage": row["vintage"],
        "quantity": quantity,
        "quantity_unit": unit,
        "quantity_mwh": rules.mwh(row["quantity_wh"]),
        "status": row["status"],
        "status_control": row["status_control"],
        "pending_reasons": store.loads(row["pending_reasons"]),
        "fuel_allocation": store.loads(row["fuel_allocation"]),
        "fractional_remainders": store.loads(row["fractional_remainders"]),
        "issued_quantity": row["issued_quantity"],
        "notes": row["notes"],
        "action_info": row["action_info"],
        "date_of_action": row["date_of_action"],
        "has_entry_lines_profile": bool(lines["n"]),
        "entry_lines_interval_in_minutes": interval,
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }
    return resource(
        "generation_entries", row["id"], attrs, {"generator": ("generators", row["generator_id"])}
    )


def line_resource(row: sqlite3.Row) -> dict[str, Any]:
    attrs = {
        "started_at": row["started_at"],
        "ended_at": row["ended_at"],
        "amount": row["amount_wh"] / 1000,
        "peak": None if row["peak"] is None else bool(row["peak"]),
        "created_at": row["created_at"],
    }
    return resource(
        "generation_entry_lines",
        row["id"],
        attrs,
        {"generation_entry": ("generation_entries", row["generation_entry_id"])},
    )


def certificate_resource(row: sqlite3.Row) -> dict[str, Any]:
    attrs = {
        "quantity": row["quantity"],
        "vintage": row["vintage"],
        "serial_number_base": row["serial_number_base"],
        "serial_number_start": row["serial_number_start"],
        "serial_number_end": row["serial_number_end"],
        "status": row["status"],
        "created_at": row["created_at"],
    }
    return resource(
        "certificates",
        row["id"],
        attrs,
        {
            "generator": ("generators", row["generator_id"]),
            "generation_entry": ("generation_entries", row["generation_entry_id"]),
            "generator_fuel": ("generator_fuels", row["generator_fuel_id"]),
            "fuel_source": ("fuel_sources", row["fuel_source_id"]),
            "eligibilities": ("eligibilities", store.loads(row["eligibilities"])),
        },
    )


def require_state(row: sqlite3.Row, kind: str, allowed: tuple[str, ...], action: str) -> None:
    if row["status"] not in allowed:
        raise ApiError.one(
            409,
            f"The {kind} is {row['status']}; it can be {action} only when {' or '.join(allowed)}.",
            code="invalid_state",
        )


def iso(day: date) -> str:
    return day.isoformat()
