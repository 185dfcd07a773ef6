"""Generator fuels (fuel source, eligibilities, multi-fuel split) and DG units (≤ 1 MW each,
≤ 1 MW per group), the parts that hang off a generator."""

from __future__ import annotations

import sqlite3
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from desktop.sandbox import records, rules, store
from desktop.sandbox.deps import Conn, Paging, parse_sort
from desktop.sandbox.jsonapi import (
    BASE,
    ApiError,
    ErrorItem,
    attr_pointer,
    list_document,
    rel_pointer,
    single,
)
from desktop.sandbox.refdata import reference_data
from desktop.sandbox.schemas import (
    DgUnitCreate,
    DgUnitUpdate,
    FuelCreate,
    FuelUpdate,
    ToMany,
    ToOne,
)

router = APIRouter()
EDITABLE_GENERATOR = ("draft", "rejected", "active")
UNIT_SORTS = {"created_at": "rowid", "name": "json_extract(attributes, '$.name')"}


def _related_id(rel: ToOne | None, name: str, kind: str) -> str:
    if rel is None or rel.data is None:
        raise ApiError.one(422, f"The {name} relationship is required.", pointer=rel_pointer(name))
    if rel.data.type != kind:
        raise ApiError.one(
            422, f"{name} must have type {kind!r}.", pointer=f"{rel_pointer(name)}/data/type"
        )
    return rel.data.id


def _generator_for(conn: sqlite3.Connection, ident: str, name: str = "generator") -> sqlite3.Row:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM generators WHERE id = ?", (ident,)
    ).fetchone()
    if row is None:
        raise ApiError.one(
            422, f"No generator with id {ident!r} exists.", pointer=f"{rel_pointer(name)}/data/id"
        )
    return row


def _back_to_review(conn: sqlite3.Connection, generator: sqlite3.Row) -> None:
    """A change to an approved generator's fuels or units sends it back for review."""
    if generator["status"] == "active":
        conn.execute(
            "UPDATE generators SET status = 'pending', updated_at = ? WHERE id = ?",
            (store.now_iso(), generator["id"]),
        )


# --- generator fuels ------------------------------------------------------------------------


def _eligibility_ids(rel: ToMany | None) -> list[str]:
    if rel is None:
        return []
    known = reference_data().eligibilities
    problems = []
    for i, item in enumerate(rel.data):
        pointer = f"{rel_pointer('eligibilities')}/data/{i}"
        if item.type != "eligibilities":
            problems.append(ErrorItem("type must be 'eligibilities'.", f"{pointer}/type"))
        elif item.id not in known:
            problems.append(ErrorItem(f"No eligibility {item.id!r} exists.", f"{pointer}/id"))
    if problems:
        raise ApiError(422, problems)
    return list(dict.fromkeys(item.id for item in rel.data))


def _check_fuel_source(ident: str) -> str:
    if ident not in reference_data().fuel_sources:
        raise ApiError.one(
            422,
            f"No fuel source {ident!r} exists (see /v1/public/rec/fuel_sources).",
            pointer=f"{rel_pointer('fuel_source')}/data/id",
        )
    return ident


def _check_percentages(
    conn: sqlite3.Connection, generator_id: str, percentage: float | None, exclude: str | None
) -> None:
    if percentage is None:
        return
    others = conn.execute(
        "SELECT COALESCE(SUM(percentage), 0) FROM generator_fuels "
        "WHERE generator_id = ? AND id IS NOT ?",
        (generator_id, exclude),
    ).fetchone()[0]
    if others + percentage > 100 + rules.SPLIT_TOLERANCE * 100:
        raise ApiError.one(
            422,
            f"The generator's fuel percentages would total {others + percentage:g} %; "
            "they must not exceed 100.",
            pointer=attr_pointer("percentage"),
        )


@router.get("/generator_fuels", tags=["generator_fuels"], summary="List generator fuels")
def list_fuels(
    request: Request,
    conn: Conn,
    page: Paging,
    generator_id: Annotated[str | None, Query(alias="filter[generator_id]")] = None,
) -> dict[str, Any]:
    where, params = (["generator_id = ?"], [generator_id]) if generator_id is not None else ([], [])
    total, rows = records.count_and_rows(
        conn, "generator_fuels", where, params, order="rowid", page=page
    )
    data = [records.fuel_resource(r) for r in rows]
    return list_document(data, total, page, request.url.path, list(request.query_params.items()))


@router.post("/generator_fuels", status_code=201, tags=["generator_fuels"], summary="Add a fuel")
def create_fuel(response: Response, body: FuelCreate, conn: Conn) -> dict[str, Any]:
    rels = body.data.relationships
    generator_id = _related_id(rels.generator, "generator", "generators")
    source_id = _check_fuel_source(_related_id(rels.fuel_source, "fuel_source", "fuel_sources"))
    eligibilities = _eligibility_ids(rels.eligibilities)
    attrs = body.data.attributes
    ident = store.new_id()
    now = store.now_iso()
    with store.write(conn):
        generator = _generator_for(conn, generator_id)
        records.require_state(generator, "generator", EDITABLE_GENERATOR, "changed")
        _check_percentages(conn, generator_id, attrs.percentage, None)
        conn.execute(
            "INSERT INTO generator_fuels(id, generator_id, fuel_source_id, label, percentage, "
            "eligibilities, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                ident,
                generator_id,
                source_id,
                attrs.label,
                attrs.percentage,
                store.dumps(eligibilities),
                now,
                now,
            ),
        )
        _back_to_review(conn, generator)
    response.headers["Location"] = f"{BASE}/generator_fuels/{ident}"
    return single(records.fuel_resource(_fuel(conn, ident)))


def _fuel(conn: sqlite3.Connection, ident: str) -> sqlite3.Row:
    return records.fetch(conn, "generator_fuels", "generator fuel", ident)


@router.get("/generator_fuels/{fuel_id}", tags=["generator_fuels"], summary="Show a fuel")
def show_fuel(fuel_id: str, conn: Conn) -> dict[str, Any]:
    return single(records.fuel_resource(_fuel(conn, fuel_id)))


@router.patch("/generator_fuels/{fuel_id}", tags=["generator_fuels"], summary="Change a fuel")
@router.put("/generator_fuels/{fuel_id}", tags=["generator_fuels"], summary="Change a fuel")
def update_fuel(fuel_id: str, body: FuelUpdate, conn: Conn) -> dict[str, Any]:
    if body.data.id != fuel_id:
        raise ApiError.one(409, "data.id does not match the generator fuel in the URL.")
    given = body.data.attributes.model_dump(exclude_unset=True)
    rels = body.data.relationships
    with store.write(conn):
        row = _fuel(conn, fuel_id)
        generator = _generator_for(conn, row["generator_id"])
        records.require_state(generator, "generator", EDITABLE_GENERATOR, "changed")
        label = given.get("label", row["label"])
        percentage = given.get("percentage", row["percentage"])
        _check_percentages(conn, row["generator_id"], percentage, fuel_id)
        source_id = row["fuel_source_id"]
        eligibilities = store.loads(row["eligibilities"])
        if rels is not None and rels.generator is not None:
            raise ApiError.one(
                422, "A fuel cannot move to another generator.", pointer=rel_pointer("generator")
            )
        if rels is not None and rels.fuel_source is not None:
            source_id = _check_fuel_source(
                _related_id(rels.fuel_source, "fuel_source", "fuel_sources")
            )
        if rels is not None and rels.eligibilities is not None:
            eligibilities = _eligibility_ids(rels.eligibilities)
        conn.execute(
            "UPDATE generator_fuels SET label = ?, percentage = ?, fuel_source_id = ?, "
            "eligibilities = ?, updated_at = ? WHERE id = ?",
            (label, percentage, source_id, store.dumps(eligibilities), store.now_iso(), fuel_id),
        )
        _back_to_review(conn, generator)
    return single(records.fuel_resource(_fuel(conn, fuel_id)))


@router.delete(
    "/generator_fuels/{fuel_id}",
    status_code=204,
    tags=["generator_fuels"],
    summary="Remove a fuel",
    response_class=Response,
)
def delete_fuel(fuel_id: str, conn: Conn) -> Response:
    with store.write(conn):
        row = _fuel(conn, fuel_id)
        generator = _generator_for(conn, row["generator_id"])
        records.require_state(generator, "generator", EDITABLE_GENERATOR, "changed")
        conn.execute("DELETE FROM generator_fuels WHERE id = ?", (fuel_id,))
        _back_to_review(conn, generator)
    return Response(status_code=204)


@router.post(
    "/generator_fuels/{fuel_id}/relationships/eligibilities",
    tags=["generator_fuels"],
    summary="Add eligibilities to a fuel",
)
def add_eligibilities(fuel_id: str, body: ToMany, conn: Conn) -> dict[str, Any]:
    added = _eligibility_ids(body)
    with store.write(conn):
        row = _fuel(conn, fuel_id)
        generator = _generator_for(conn, row["generator_id"])
        records.require_state(generator, "generator", EDITABLE_GENERATOR, "changed")
        merged = list(dict.fromkeys([*store.loads(row["eligibilities"]), *added]))
        conn.execute(
            "UPDATE generator_fuels SET eligibilities = ?, updated_at = ? WHERE id = ?",
            (store.dumps(merged), store.now_iso(), fuel_id),
        )
    return {"data": [{"type": "eligibilities", "id": i} for i in merged]}


# --- DG units -----------------------------------------------------------------------------------


def _check_capacity(
    conn: sqlite3.Connection, generator_id: str, capacity_uw: int, exclude: str | None
) -> None:
    if capacity_uw > rules.DG_UNIT_MAX_UW:
        raise ApiError.one(
            422,
            f"A DG unit is at most 1 MW AC; this one is {rules.mwh(capacity_uw):g} MW.",
            pointer=attr_pointer("nameplate_capacity"),
            code="unit_over_1_mw",
        )
    others, _ = records.dg_totals(conn, generator_id, exclude)
    if others + capacity_uw > rules.DG_GROUP_MAX_UW:
        raise ApiError.one(
            422,
            f"The group's units would total {rules.mwh(others + capacity_uw):g} MW AC; "
            f"a DG group is at most 1 MW (the other units hold {rules.mwh(others):g} MW).",
            pointer=attr_pointer("nameplate_capacity"),
            code="group_over_1_mw",
        )


def _check_unit_state(generator: sqlite3.Row, unit_state: str | None) -> None:
    group_state = store.loads(generator["attributes"]).get("state_province")
    if unit_state and group_state and unit_state.strip().upper() != group_state.strip().upper():
        raise ApiError.one(
            422,
            f"Every unit must be in the group's state/province ({group_state}).",
            pointer=attr_pointer("state_province"),
        )


@router.get("/dg_units", tags=["dg_units"], summary="List DG units")
def list_units(
    *,
    request: Request,
    conn: Conn,
    page: Paging,
    generator_id: Annotated[str | None, Query(alias="filter[generator_id]")] = None,
    status: Annotated[str | None, Query(alias="filter[status]")] = None,
    sort: Annotated[str | None, Query()] = None,
) -> dict[str, Any]:
    where: list[str] = []
    params: list[Any] = []
    if generator_id is not None:
        where.append("generator_id = ?")
        params.append(generator_id)
    if status is not None:
        where.append("status = ?")
        params.append(status)
    order = parse_sort(sort, UNIT_SORTS, "rowid ASC")
    total, rows = records.count_and_rows(conn, "dg_units", where, params, order=order, page=page)
    data = [records.unit_resource(r) for r in rows]
    return list_document(data, total, page, request.url.path, list(request.query_params.items()))


@router.post("/dg_units", status_code=201, tags=["dg_units"], summary="Add a unit to a DG group")
def create_unit(response: Response, body: DgUnitCreate, conn: Conn) -> dict[str, Any]:
    generator_id = _related_id(body.data.relationships.generator, "generator", "generators")
    given = body.data.attributes.model_dump(exclude_unset=True, mode="json")
    problems = [
        ErrorItem(f"{name} is required.", attr_pointer(name))
        for name in ("name", "nameplate_capacity")
        if given.get(name) is None
    ]
    if given.get("status") is not None:
        problems.append(
            ErrorItem("A unit is created waiting for approval.", attr_pointer("status"))
        )
    if problems:
        raise ApiError(422, problems)
    capacity_uw = rules.to_uw(given.pop("nameplate_capacity"))
    given.pop("status", None)
    ident = store.new_id()
    now = store.now_iso()
    with store.write(conn):
        generator = _generator_for(conn, generator_id)
        if not generator["dg_group"]:
            raise ApiError.one(
                422,
                "Units can only be added to a DG group (a generator with dg_group true).",
                pointer=f"{rel_pointer('generator')}/data/id",
            )
        records.require_state(generator, "generator", EDITABLE_GENERATOR, "changed")
        _check_unit_state(generator, given.get("state_province"))
        _check_capacity(conn, generator_id, capacity_uw, None)
        conn.execute(
            "INSERT INTO dg_units(id, generator_id, status, nameplate_capacity_uw, attributes, "
            "created_at, updated_at) VALUES (?, ?, 'waiting_approval', ?, ?, ?, ?)",
            (ident, generator_id, capacity_uw, store.dumps(given), now, now),
        )
    response.headers["Location"] = f"{BASE}/dg_units/{ident}"
    return single(records.unit_resource(_unit(conn, ident)))


def _unit(conn: sqlite3.Connection, ident: str) -> sqlite3.Row:
    return records.fetch(conn, "dg_units", "DG unit", ident)


@router.get("/dg_units/{unit_id}", tags=["dg_units"], summary="Show a DG unit")
def show_unit(unit_id: str, conn: Conn) -> dict[str, Any]:
    return single(records.unit_resource(_unit(conn, unit_id)))


@router.patch("/dg_units/{unit_id}", tags=["dg_units"], summary="Change or deactivate a DG unit")
@router.put("/dg_units/{unit_id}", tags=["dg_units"], summary="Change or deactivate a DG unit")
def update_unit(unit_id: str, body: DgUnitUpdate, conn: Conn) -> dict[str, Any]:
    if body.data.id != unit_id:
        raise ApiError.one(409, "data.id does not match the DG unit in the URL.")
    given = body.data.attributes.model_dump(exclude_unset=True, mode="json")
    deactivate = given.pop("status", None) == "deactivated"
    with store.write(conn):
        row = _unit(conn, unit_id)
        records.require_state(
            row, "DG unit", ("waiting_approval", "approved", "rejected"), "changed"
        )
        generator = _generator_for(conn, row["generator_id"])
        if "name" in given and not given["name"]:
            raise ApiError.one(422, "name cannot be empty.", pointer=attr_pointer("name"))
        if "nameplate_capacity" in given and given["nameplate_capacity"] is None:
            raise ApiError.one(
                422,
                "nameplate_capacity cannot be empty.",
                pointer=attr_pointer("nameplate_capacity"),
            )
        capacity_uw = row["nameplate_capacity_uw"]
        if "nameplate_capacity" in given:
            capacity_uw = rules.to_uw(given.pop("nameplate_capacity"))
        attrs = store.loads(row["attributes"])
        before = (dict(attrs), row["nameplate_capacity_uw"])
        attrs.update(given)
        _check_unit_state(generator, attrs.get("state_province"))
        status = row["status"]
        if deactivate:
            status = "deactivated"
        else:
            if (attrs, capacity_uw) != before:
                status = "waiting_approval"  # changed units are reviewed again
            if status in records.LIVE_UNIT_STATUSES:
                _check_capacity(conn, row["generator_id"], capacity_uw, unit_id)
        conn.execute(
            "UPDATE dg_units SET status = ?, nameplate_capacity_uw = ?, attributes = ?, "
            "updated_at = ? WHERE id = ?",
            (status, capacity_uw, store.dumps(attrs), store.now_iso(), unit_id),
        )
    return single(records.unit_resource(_unit(conn, unit_id)))
