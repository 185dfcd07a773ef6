"""Generation entries, their interval lines, enqueueing, and the certificates issued from them.

An entry is created as `draft`; `POST …/{id}/enqueue` processes it (see issuance.py) into
`issued`, `accepted` (under 1 MWh, carried) or `pending` (with `status_control` giving why).
Overlapping periods of one generator are refused at create, as M-RETS does.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from desktop.sandbox import issuance, records, rules, store
from desktop.sandbox.deps import Conn, Paging, Today, parse_sort
from desktop.sandbox.jsonapi import (
    BASE,
    ApiError,
    ErrorItem,
    attr_pointer,
    list_document,
    rel_pointer,
    single,
)
from desktop.sandbox.schemas import EntryAttributes, EntryCreate, EntryUpdate, LineCreate

router = APIRouter()
OVERLAP = "There's an existing generation that overlaps these dates"
ENTRY_SORTS = {
    "created_at": "rowid",
    "generation_period_start": "period_start",
    "generation_period_end": "period_end",
    "status": "status",
}


def _entry(conn: sqlite3.Connection, ident: str) -> sqlite3.Row:
    return records.fetch(conn, "generation_entries", "generation entry", ident)


def _day(value: str | None, name: str) -> date:
    if value is None:
        raise ApiError.one(422, f"{name} is required.", pointer=attr_pointer(name))
    try:
        return rules.parse_day(value)
    except rules.RuleError as exc:
        raise ApiError.one(422, str(exc), pointer=attr_pointer(name)) from exc


def _check_period(
    conn: sqlite3.Connection,
    generator_id: str,
    *,
    start: date,
    end: date,
    today: date,
    exclude: str | None,
) -> None:
    if end < start:
        raise ApiError.one(
            422,
            "generation_period_end is before generation_period_start.",
            pointer=attr_pointer("generation_period_end"),
        )
    if end >= today + timedelta(days=1):
        raise ApiError.one(
            422,
            "Generation cannot be reported for days that have not ended.",
            pointer=attr_pointer("generation_period_end"),
        )
    clash = conn.execute(
        "SELECT id FROM generation_entries WHERE generator_id = ? AND status != 'rejected' "
        "AND period_start <= ? AND period_end >= ? AND id IS NOT ? LIMIT 1",
        (generator_id, end.isoformat(), start.isoformat(), exclude),
    ).fetchone()
    if clash is not None:
        raise ApiError.one(
            422, OVERLAP, pointer=attr_pointer("generation_period_start"), code="overlap"
        )


def _vintage(given: str | None, end: date) -> str:
    expected = rules.vintage_of(end)
    if given is None:
        return expected
    try:
        vintage = rules.parse_vintage(given)
    except rules.RuleError as exc:
        raise ApiError.one(422, str(exc), pointer=attr_pointer("vintage")) from exc
    if vintage != expected:
        raise ApiError.one(
            422,
            f"The vintage is the month of the period's last day ({expected}), not {vintage}.",
            pointer=attr_pointer("vintage"),
        )
    return vintage


def _allocation(
    conn: sqlite3.Connection, generator: sqlite3.Row, attrs: EntryAttributes
) -> list[dict[str, Any]] | None:
    if attrs.fuel_allocation is None:
        return None
    fuels = {
        r["id"]
        for r in conn.execute(
            "SELECT id FROM generator_fuels WHERE generator_id = ?", (generator["id"],)
        )
    }
    problems = []
    for b, block in enumerate(attrs.fuel_allocation):
        pointer = f"{attr_pointer('fuel_allocation')}/{b}"
        if block.mrets_id not in (None, generator["mrets_id"]):
            problems.append(
                ErrorItem(f"mrets_id must be {generator['mrets_id']}.", f"{pointer}/mrets_id")
            )
        for a, item in enumerate(block.allocations):
            if item.generator_fuel_id not in fuels:
                problems.append(
                    ErrorItem(
                        f"{item.generator_fuel_id!r} is not a fuel of this generator.",
                        f"{pointer}/allocations/{a}/generator_fuel_id",
                    )
                )
        if not rules.split_total_ok([item.allocation for item in block.allocations]):
            problems.append(
                ErrorItem("The allocations must sum to 1.0 (100 %).", f"{pointer}/allocations")
            )
    if problems:
        raise ApiError(422, problems)
    return [block.model_dump() for block in attrs.fuel_allocation]


@router.get("/generation_entries", tags=["generation_entries"], summary="List generation entries")
def list_entries(
    *,
    request: Request,
    conn: Conn,
    page: Paging,
    generator_id: Annotated[str | None, Query(alias="filter[generator_id]")] = None,
    status: Annotated[str | None, Query(alias="filter[status]")] = None,
    vintage: Annotated[str | None, Query(alias="filter[vintage]")] = None,
    period_start: Annotated[str | None, Query(alias="filter[generation_period_start]")] = None,
    period_end: Annotated[str | None, Query(alias="filter[generation_period_end]")] = None,
    sort: Annotated[str | None, Query()] = None,
) -> dict[str, Any]:
    where: list[str] = []
    params: list[Any] = []
    for column, value in (
        ("generator_id", generator_id),
        ("status", status),
        ("vintage", vintage),
    ):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    # Period filters select entries that overlap the given day range: the client's lookup
    # after a lost answer ("is there already an entry for this generator and month?").
    for name, value, clause in (
        ("filter[generation_period_start]", period_start, "period_end >= ?"),
        ("filter[generation_period_end]", period_end, "period_start <= ?"),
    ):
        if value is not None:
            try:
                where.append(clause)
                params.append(rules.parse_day(value).isoformat())
            except rules.RuleError as exc:
                raise ApiError.one(400, str(exc), parameter=name) from exc
    order = parse_sort(sort, ENTRY_SORTS, "rowid ASC")
    total, rows = records.count_and_rows(
        conn, "generation_entries", where, params, order=order, page=page
    )
    data = [records.entry_resource(conn, r) for r in rows]
    return list_document(data, total, page, request.url.path, list(request.query_params.items()))


@router.post(
    "/generation_entries",
    status_code=201,
    tags=["generation_entries"],
    summary="Report generation for a period (created as draft; enqueue to process)",
)
def create_entry(response: Response, body: EntryCreate, conn: Conn, today: Today) -> dict[str, Any]:
    rel = body.data.relationships.generator
    if rel is None or rel.data is None:
        raise ApiError.one(
            422, "The generator relationship is required.", pointer=rel_pointer("generator")
        )
    if rel.data.type != "generators":
        raise ApiError.one(
            422,
            "generator must have type 'generators'.",
            pointer=f"{rel_pointer('generator')}/data/type",
        )
    attrs = body.data.attributes
    start = _day(attrs.generation_period_start, "generation_period_start")
    end = _day(attrs.generation_period_end, "generation_period_end")
    if attrs.quantity is None:
        raise ApiError.one(422, "quantity is required.", pointer=attr_pointer("quantity"))
    unit = attrs.quantity_unit or "mwh"
    quantity_wh = rules.to_wh(attrs.quantity, unit)
    if quantity_wh > rules.MAX_MWH * rules.WH_PER_MWH:
        raise ApiError.one(422, "quantity is implausibly large.", pointer=attr_pointer("quantity"))
    vintage = _vintage(attrs.vintage, end)
    ident = store.new_id()
    now = store.now_iso()
    with store.write(conn):
        generator = conn.execute("SELECT * FROM generators WHERE id = ?", (rel.data.id,)).fetchone()
        if generator is None:
            raise ApiError.one(
                422,
                f"No generator with id {rel.data.id!r} exists.",
                pointer=f"{rel_pointer('generator')}/data/id",
            )
        if generator["status"] != "active":
            raise ApiError.one(
                422,
                f"Generation can only be reported for an active generator; this one is "
                f"{generator['status']}.",
                pointer=f"{rel_pointer('generator')}/data/id",
            )
        _check_period(conn, generator["id"], start=start, end=end, today=today, exclude=None)
        allocation = _allocation(conn, generator, attrs)
        conn.execute(
            "INSERT INTO generation_entries(id, generator_id, period_start, period_end, vintage, "
            "quantity_wh, quantity_unit, status, fuel_allocation, notes, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?)",
            (
                ident,
                generator["id"],
                start.isoformat(),
                end.isoformat(),
                vintage,
                quantity_wh,
                unit,
                None if allocation is None else store.dumps(allocation),
                attrs.notes,
                now,
                now,
            ),
        )
    response.headers["Location"] = f"{BASE}/generation_entries/{ident}"
    return single(records.entry_resource(conn, _entry(conn, ident)))


@router.get("/generation_entries/{entry_id}", tags=["generation_entries"], summary="Show an entry")
def show_entry(entry_id: str, conn: Conn) -> dict[str, Any]:
    return single(records.entry_resource(conn, _entry(conn, entry_id)))


@router.patch(
    "/generation_entries/{entry_id}",
    tags=["generation_entries"],
    summary="Change a draft entry, or give a pending entry its fuel split",
)
@router.put(
    "/generation_entries/{entry_id}",
    tags=["generation_entries"],
    summary="Change a draft entry, or give a pending entry its fuel split",
)
def update_entry(entry_id: str, body: EntryUpdate, conn: Conn, today: Today) -> dict[str, Any]:
    if body.data.id != entry_id:
        raise ApiError.one(409, "data.id does not match the generation entry in the URL.")
    attrs = body.data.attributes
    given = attrs.model_dump(exclude_unset=True)
    with store.write(conn):
        row = _entry(conn, entry_id)
        records.require_state(row, "generation entry", ("draft", "pending"), "changed")
        if row["status"] == "pending":
            fixed = sorted(set(given) - {"fuel_allocation", "notes"})
            if fixed:
                raise ApiError(
                    422,
                    [
                        ErrorItem(
                            "Only fuel_allocation and notes can change while pending.",
                            attr_pointer(name),
                        )
                        for name in fixed
                    ],
                )
        generator = records.fetch(conn, "generators", "generator", row["generator_id"])
        start = (
            _day(attrs.generation_period_start, "generation_period_start")
            if "generation_period_start" in given
            else date.fromisoformat(row["period_start"])
        )
        end = (
            _day(attrs.generation_period_end, "generation_period_end")
            if "generation_period_end" in given
            else date.fromisoformat(row["period_end"])
        )
        if "generation_period_start" in given or "generation_period_end" in given:
            _check_period(
                conn, generator["id"], start=start, end=end, today=today, exclude=entry_id
            )
        vintage = (
            _vintage(attrs.vintage, end)
            if "vintage" in given or "generation_period_end" in given
            else row["vintage"]
        )
        quantity_wh, unit = row["quantity_wh"], row["quantity_unit"]
        if "quantity" in given or "quantity_unit" in given:
            if attrs.quantity is None and "quantity" in given:
                raise ApiError.one(
                    422, "quantity cannot be empty.", pointer=attr_pointer("quantity")
                )
            unit = attrs.quantity_unit or unit
            amount = (
                attrs.quantity
                if attrs.quantity is not None
                else quantity_wh / (rules.WH_PER_MWH if row["quantity_unit"] == "mwh" else 1000)
            )
            quantity_wh = rules.to_wh(amount, unit)
        allocation = row["fuel_allocation"]
        if "fuel_allocation" in given:
            chosen = _allocation(conn, generator, attrs)
            allocation = None if chosen is None else store.dumps(chosen)
        conn.execute(
            "UPDATE generation_entries SET period_start = ?, period_end = ?, vintage = ?, "
            "quantity_wh = ?, quantity_unit = ?, fuel_allocation = ?, notes = ?, updated_at = ? "
            "WHERE id = ?",
            (
                start.isoformat(),
                end.isoformat(),
                vintage,
                quantity_wh,
                unit,
                allocation,
                given.get("notes", row["notes"]),
                store.now_iso(),
                entry_id,
            ),
        )
    return single(records.entry_resource(conn, _entry(conn, entry_id)))


@router.post(
    "/generation_entries/{entry_id}/enqueue",
    tags=["generation_entries"],
    summary="Process an entry: issue, accept (carry) or hold as pending",
)
@router.put(
    "/generation_entries/{entry_id}/enqueue",
    tags=["generation_entries"],
    summary="Process an entry (PUT, as M-RETS documents it)",
)
def enqueue_entry(entry_id: str, conn: Conn, today: Today) -> dict[str, Any]:
    with store.write(conn):
        row = _entry(conn, entry_id)
        records.require_state(row, "generation entry", ("draft", "pending"), "enqueued")
        generator = records.fetch(conn, "generators", "generator", row["generator_id"])
        if generator["status"] != "active":
            raise ApiError.one(
                422,
                f"The generator is {generator['status']}; only active generators get certificates.",
                pointer=f"{rel_pointer('generator')}/data/id",
            )
        lines = conn.execute(
            "SELECT COUNT(*) AS n, COALESCE(SUM(amount_wh), 0) AS total "
            "FROM generation_entry_lines WHERE generation_entry_id = ?",
            (entry_id,),
        ).fetchone()
        if lines["n"] and abs(lines["total"] - row["quantity_wh"]) > lines["n"]:
            raise ApiError.one(
                422,
                f"The entry's lines total {lines['total'] / 1000:g} kWh but its quantity is "
                f"{row['quantity_wh'] / 1000:g} kWh.",
                pointer=attr_pointer("quantity"),
            )
        issuance.process(conn, entry_id, today)
    return single(records.entry_resource(conn, _entry(conn, entry_id)))


# --- lines -------------------------------------------------------------------------------------


@router.get(
    "/generation_entry_lines", tags=["generation_entry_lines"], summary="List interval lines"
)
def list_lines(
    request: Request,
    conn: Conn,
    page: Paging,
    entry_id: Annotated[str | None, Query(alias="filter[generation_entry_id]")] = None,
) -> dict[str, Any]:
    where, params = (["generation_entry_id = ?"], [entry_id]) if entry_id is not None else ([], [])
    total, rows = records.count_and_rows(
        conn, "generation_entry_lines", where, params, order="started_at, rowid", page=page
    )
    data = [records.line_resource(r) for r in rows]
    return list_document(data, total, page, request.url.path, list(request.query_params.items()))


@router.post(
    "/generation_entry_lines",
    status_code=201,
    tags=["generation_entry_lines"],
    summary="Add interval lines (kWh) to a draft entry; `data` may be one line or a list",
)
def create_lines(response: Response, body: LineCreate, conn: Conn) -> dict[str, Any]:
    items = body.data if isinstance(body.data, list) else [body.data]
    many = isinstance(body.data, list)
    if not items:
        raise ApiError.one(422, "data holds no lines.", pointer="/data")
    created: list[str] = []
    now = store.now_iso()
    with store.write(conn):
        for index, item in enumerate(items):
            prefix = f"/data/{index}" if many else "/data"
            rel = item.relationships.generation_entry
            if rel is None or rel.data is None or rel.data.type != "generation_entries":
                raise ApiError.one(
                    422,
                    "The generation_entry relationship (type generation_entries) is required.",
                    pointer=f"{prefix}/relationships/generation_entry",
                )
            entry = conn.execute(
                "SELECT * FROM generation_entries WHERE id = ?", (rel.data.id,)
            ).fetchone()
            if entry is None:
                raise ApiError.one(
                    422,
                    f"No generation entry with id {rel.data.id!r} exists.",
                    pointer=f"{prefix}/relationships/generation_entry/data/id",
                )
            records.require_state(entry, "generation entry", ("draft",), "given lines")
            created.append(_insert_line(conn, entry, item.attributes, prefix, now))
    if not many:
        response.headers["Location"] = f"{BASE}/generation_entry_lines/{created[0]}"
    rows = [records.fetch(conn, "generation_entry_lines", "line", i) for i in created]
    resources = [records.line_resource(r) for r in rows]
    return single(resources if many else resources[0])


def _insert_line(
    conn: sqlite3.Connection, entry: sqlite3.Row, attrs: Any, prefix: str, now: str
) -> str:
    def pointer(name: str) -> str:
        return f"{prefix}/attributes/{name}"

    problems = [
        ErrorItem(f"{name} is required.", pointer(name))
        for name in ("started_at", "ended_at", "amount")
        if getattr(attrs, name) is None
    ]
    if problems:
        raise ApiError(422, problems)
    try:
        started = rules.parse_instant(attrs.started_at)
    except rules.RuleError as exc:
        raise ApiError.one(422, str(exc), pointer=pointer("started_at")) from exc
    try:
        ended = rules.parse_instant(attrs.ended_at)
    except rules.RuleError as exc:
        raise ApiError.one(422, str(exc), pointer=pointer("ended_at")) from exc
    if ended <= started:
        raise ApiError.one(422, "ended_at must be after started_at.", pointer=pointer("ended_at"))
    first = date.fromisoformat(entry["period_start"])
    last = date.fromisoformat(entry["period_end"]) + timedelta(days=1)
    # A day of slack either side: lines may be stamped in UTC while periods are local days.
    if started.date() < first - timedelta(days=1) or ended.date() > last + timedelta(days=1):
        raise ApiError.one(
            422,
            "The line lies outside the entry's generation period.",
            pointer=pointer("started_at"),
        )
    ident = store.new_id()
    conn.execute(
        "INSERT INTO generation_entry_lines(id, generation_entry_id, started_at, ended_at, "
        "amount_wh, peak, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            ident,
            entry["id"],
            started.isoformat().replace("+00:00", "Z"),
            ended.isoformat().replace("+00:00", "Z"),
            round(attrs.amount * 1000),
            None if attrs.peak is None else int(attrs.peak),
            now,
        ),
    )
    return ident


@router.get(
    "/generation_entry_lines/{line_id}", tags=["generation_entry_lines"], summary="Show a line"
)
def show_line(line_id: str, conn: Conn) -> dict[str, Any]:
    return single(
        records.line_resource(records.fetch(conn, "generation_entry_lines", "line", line_id))
    )


# --- certificates ------------------------------------------------------------------------------


@router.get("/certificates", tags=["certificates"], summary="List issued certificate batches")
def list_certificates(
    *,
    request: Request,
    conn: Conn,
    page: Paging,
    generator_id: Annotated[str | None, Query(alias="filter[generator_id]")] = None,
    entry_id: Annotated[str | None, Query(alias="filter[generation_entry_id]")] = None,
    vintage: Annotated[str | None, Query(alias="filter[vintage]")] = None,
) -> dict[str, Any]:
    where: list[str] = []
    params: list[Any] = []
    for column, value in (
        ("generator_id", generator_id),
        ("generation_entry_id", entry_id),
        ("vintage", vintage),
    ):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    total, rows = records.count_and_rows(
        conn, "certificates", where, params, order="rowid", page=page
    )
    data = [records.certificate_resource(r) for r in rows]
    return list_document(data, total, page, request.url.path, list(request.query_params.items()))


@router.get("/certificates/{certificate_id}", tags=["certificates"], summary="Show a batch")
def show_certificate(certificate_id: str, conn: Conn) -> dict[str, Any]:
    row = records.fetch(conn, "certificates", "certificate", certificate_id)
    return single(records.certificate_resource(row))
