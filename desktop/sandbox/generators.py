"""Generators (stand-alone and DG groups) and their documents.

Lifecycle: created as `draft` (only `facility_name` needed) → submit → `pending` → the admin
approves (`active`) or rejects (`rejected`, with a reason). A pending generator cannot be
changed; changing a material field of an active one sends it back to `pending`.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import tempfile
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile

from desktop.sandbox import records, store
from desktop.sandbox.deps import Conn, Paging, config_of, parse_sort
from desktop.sandbox.jsonapi import BASE, ApiError, ErrorItem, attr_pointer, list_document, single
from desktop.sandbox.refdata import reference_data
from desktop.sandbox.schemas import GeneratorCreate, GeneratorUpdate

router = APIRouter(tags=["generators"])

MATERIAL = {
    "nameplate_capacity",
    "commenced_operation_date",
    "generation_technology",
    "is_multi_fuel",
    "state_province",
    "country",
    "capacity_factor",
    "max_annual_energy",
}
DERIVED_FOR_DGG = ("nameplate_capacity", "commenced_operation_date")
_CONTENT_TYPE = re.compile(r"^[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+$")
SORTS = {
    "created_at": "rowid",
    "updated_at": "updated_at",
    "facility_name": "facility_name",
    "mrets_id": "CAST(SUBSTR(mrets_id, 2) AS INTEGER)",
    "status": "status",
}


def _created(response: Response, kind: str, ident: str) -> None:
    response.status_code = 201
    response.headers["Location"] = f"{BASE}/{kind}/{ident}"


@router.get("/generators", summary="List generators")
def list_generators(
    *,
    request: Request,
    conn: Conn,
    page: Paging,
    facility_name: Annotated[str | None, Query(alias="filter[facility_name]")] = None,
    status: Annotated[str | None, Query(alias="filter[status]")] = None,
    mrets_id: Annotated[str | None, Query(alias="filter[mrets_id]")] = None,
    state_province: Annotated[str | None, Query(alias="filter[state_province]")] = None,
    sort: Annotated[str | None, Query()] = None,
) -> dict[str, Any]:
    where: list[str] = []
    params: list[Any] = []
    for column, value in (
        ("facility_name", facility_name),
        ("status", status),
        ("mrets_id", mrets_id),
        ("json_extract(attributes, '$.state_province')", state_province),
    ):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    order = parse_sort(sort, SORTS, "rowid ASC")
    total, rows = records.count_and_rows(conn, "generators", where, params, order=order, page=page)
    data = [records.generator_resource(conn, r) for r in rows]
    return list_document(data, total, page, request.url.path, list(request.query_params.items()))


@router.post("/generators", status_code=201, summary="Create a draft generator")
def create_generator(
    request: Request, response: Response, body: GeneratorCreate, conn: Conn
) -> dict[str, Any]:
    given = body.data.attributes.model_dump(exclude_unset=True, mode="json")
    if not given.get("facility_name"):
        raise ApiError.one(422, "facility_name is required.", pointer=attr_pointer("facility_name"))
    if "status" in given:
        raise ApiError.one(
            422,
            "A generator is created as a draft; submit it afterwards.",
            pointer=attr_pointer("status"),
        )
    dg_group = bool(given.pop("dg_group", False))
    if dg_group:
        _refuse_derived(given)
    ident = store.new_id()
    now = store.now_iso()
    with store.write(conn):
        number = store.next_counter(conn, "mrets_id", 1001)
        facility = given.pop("facility_name")
        conn.execute(
            "INSERT INTO generators(id, mrets_id, facility_name, status, dg_group, attributes, "
            "created_at, updated_at) VALUES (?, ?, ?, 'draft', ?, ?, ?, ?)",
            (ident, f"M{number}", facility, int(dg_group), store.dumps(given), now, now),
        )
    _created(response, "generators", ident)
    return single(records.generator_resource(conn, _generator(conn, ident)))


@router.get("/generators/{generator_id}", summary="Show a generator")
def show_generator(generator_id: str, conn: Conn) -> dict[str, Any]:
    return single(records.generator_resource(conn, _generator(conn, generator_id)))


@router.patch("/generators/{generator_id}", summary="Change a generator")
@router.put("/generators/{generator_id}", summary="Change a generator (PUT, as M-RETS)")
def update_generator(generator_id: str, body: GeneratorUpdate, conn: Conn) -> dict[str, Any]:
    if body.data.id != generator_id:
        raise ApiError.one(409, "data.id does not match the generator in the URL.")
    given = body.data.attributes.model_dump(exclude_unset=True, mode="json")
    submit = given.pop("status", None) == "pending"
    with store.write(conn):
        row = _generator(conn, generator_id)
        records.require_state(row, "generator", ("draft", "rejected", "active"), "changed")
        if "facility_name" in given and not given["facility_name"]:
            raise ApiError.one(
                422, "facility_name cannot be empty.", pointer=attr_pointer("facility_name")
            )
        dg_group = bool(row["dg_group"])
        if "dg_group" in given:
            wanted = bool(given.pop("dg_group"))
            if wanted != dg_group:
                _change_dg_flag(conn, row, wanted)
                dg_group = wanted
        if dg_group:
            _refuse_derived(given)
        attrs = store.loads(row["attributes"])
        before = dict(attrs)
        facility = given.pop("facility_name", row["facility_name"])
        attrs.update(given)
        status = row["status"]
        if status == "active" and any(attrs.get(k) != before.get(k) for k in MATERIAL):
            status = "pending"
        conn.execute(
            "UPDATE generators SET facility_name = ?, dg_group = ?, attributes = ?, status = ?, "
            "updated_at = ? WHERE id = ?",
            (facility, int(dg_group), store.dumps(attrs), status, store.now_iso(), generator_id),
        )
        if submit:
            _submit(conn, generator_id)
    return single(records.generator_resource(conn, _generator(conn, generator_id)))


@router.post("/generators/{generator_id}/submit", summary="Submit a draft for review")
def submit_generator(generator_id: str, conn: Conn) -> dict[str, Any]:
    with store.write(conn):
        _submit(conn, generator_id)
    return single(records.generator_resource(conn, _generator(conn, generator_id)))


def _generator(conn: sqlite3.Connection, ident: str) -> sqlite3.Row:
    return records.fetch(conn, "generators", "generator", ident)


def _refuse_derived(given: dict[str, Any]) -> None:
    bad = [name for name in DERIVED_FOR_DGG if given.get(name) is not None]
    if bad:
        raise ApiError(
            422,
            [
                ErrorItem(
                    f"{name} of a DG group is derived from its units and cannot be set.",
                    attr_pointer(name),
                )
                for name in bad
            ],
        )
    for name in DERIVED_FOR_DGG:
        given.pop(name, None)


def _change_dg_flag(conn: sqlite3.Connection, row: sqlite3.Row, wanted: bool) -> None:
    if row["status"] != "draft":
        raise ApiError.one(
            422, "dg_group can only be changed on a draft.", pointer=attr_pointer("dg_group")
        )
    units = conn.execute(
        "SELECT COUNT(*) FROM dg_units WHERE generator_id = ?", (row["id"],)
    ).fetchone()[0]
    if not wanted and units:
        raise ApiError.one(
            422,
            "This generator has DG units; it stays a DG group.",
            pointer=attr_pointer("dg_group"),
        )


def submission_problems(conn: sqlite3.Connection, row: sqlite3.Row) -> list[ErrorItem]:
    """What the registry needs before it reviews a generator (General/Location/Engineering)."""
    attrs = store.loads(row["attributes"])
    required = ["name", "country", "state_province"]
    if row["dg_group"]:
        required.append("dg_group_type")
    else:
        required += ["commenced_operation_date", "nameplate_capacity"]
    problems = [
        ErrorItem(f"{name} is required before submitting.", attr_pointer(name))
        for name in required
        if attrs.get(name) in (None, "", [])
    ]
    if (
        not row["dg_group"]
        and attrs.get("capacity_factor") is None
        and (attrs.get("max_annual_energy") is None)
    ):
        problems.append(
            ErrorItem(
                "capacity_factor or max_annual_energy is required before submitting.",
                attr_pointer("capacity_factor"),
            )
        )
    fuels = conn.execute(
        "SELECT COUNT(*) FROM generator_fuels WHERE generator_id = ?", (row["id"],)
    ).fetchone()[0]
    if not fuels:
        problems.append(
            ErrorItem(
                "Add at least one generator fuel before submitting.",
                "/data/relationships/generator_fuels",
            )
        )
    if row["dg_group"]:
        total, _ = records.dg_totals(conn, row["id"])
        if not total:
            problems.append(
                ErrorItem(
                    "Add at least one DG unit before submitting.", "/data/relationships/dg_units"
                )
            )
    return problems


def _submit(conn: sqlite3.Connection, generator_id: str) -> None:
    row = _generator(conn, generator_id)
    records.require_state(row, "generator", ("draft", "rejected"), "submitted")
    problems = submission_problems(conn, row)
    if problems:
        raise ApiError(422, problems)
    conn.execute(
        "UPDATE generators SET status = 'pending', status_reason = NULL, updated_at = ? "
        "WHERE id = ?",
        (store.now_iso(), generator_id),
    )


# --- documents --------------------------------------------------------------------------------


@router.get("/generators/{generator_id}/documents", summary="List a generator's documents")
def list_documents(request: Request, generator_id: str, conn: Conn, page: Paging) -> dict[str, Any]:
    _generator(conn, generator_id)
    total, rows = records.count_and_rows(
        conn, "documents", ["generator_id = ?"], [generator_id], order="rowid", page=page
    )
    data = [records.document_resource(r) for r in rows]
    return list_document(data, total, page, request.url.path, list(request.query_params.items()))


@router.post(
    "/generators/{generator_id}/documents",
    status_code=201,
    summary="Upload a document (multipart: file, document_type, description, dg_unit_id)",
)
def uploadsingle(
    *,
    request: Request,
    response: Response,
    generator_id: str,
    conn: Conn,
    file: Annotated[UploadFile, File(description="the document")],
    document_type: Annotated[str, Form(max_length=100)],
    description: Annotated[str | None, Form(max_length=1000)] = None,
    dg_unit_id: Annotated[str | None, Form(max_length=100)] = None,
) -> dict[str, Any]:
    config = config_of(request)
    _generator(conn, generator_id)
    allowed = reference_data().document_types
    if document_type not in allowed:
        raise ApiError.one(
            422,
            f"document_type must be one of: {', '.join(allowed)}.",
            pointer=attr_pointer("document_type"),
        )
    if dg_unit_id:
        unit = conn.execute(
            "SELECT generator_id FROM dg_units WHERE id = ?", (dg_unit_id,)
        ).fetchone()
        if unit is None or unit["generator_id"] != generator_id:
            raise ApiError.one(
                422,
                "dg_unit_id is not a unit of this generator.",
                pointer=attr_pointer("dg_unit_id"),
            )
    digest, size, temp = _receive(file, config.data_dir, config.max_document_bytes)
    target = Path(config.data_dir) / "documents" / digest
    if target.exists():
        temp.unlink()
    else:
        os.replace(temp, target)
    ident = store.new_id()
    name = (file.filename or "document").replace("\\", "/").rsplit("/", 1)[-1][:255] or "document"
    with store.write(conn):
        conn.execute(
            "INSERT INTO documents(id, generator_id, dg_unit_id, document_type, description, "
            "file_name, content_type, byte_size, sha256, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                ident,
                generator_id,
                dg_unit_id or None,
                document_type,
                description,
                name,
                _content_type(file.content_type),
                size,
                digest,
                store.now_iso(),
            ),
        )
    _created(response, "generator_documents", ident)
    row = records.fetch(conn, "documents", "document", ident)
    return single(records.document_resource(row))


def _receive(file: UploadFile, data_dir: Path, limit: int) -> tuple[str, int, Path]:
    """Copy the upload to a temp file in the document folder, hashing as it goes."""
    folder = Path(data_dir) / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    handle, temp_name = tempfile.mkstemp(dir=folder, prefix=".upload-")
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            while chunk := file.file.read(1 << 20):
                size += len(chunk)
                if size > limit:
                    raise ApiError.one(
                        413,
                        f"The file is larger than {limit // (1024 * 1024)} MB.",
                        pointer=attr_pointer("file"),
                    )
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return digest.hexdigest(), size, temp


@router.get("/generator_documents/{document_id}", summary="Show a document's details")
def showsingle(document_id: str, conn: Conn) -> dict[str, Any]:
    return single(
        records.document_resource(records.fetch(conn, "documents", "document", document_id))
    )


@router.get(
    "/generator_documents/{document_id}/content",
    summary="Download a document's file",
    response_class=Response,
)
def document_content(request: Request, document_id: str, conn: Conn) -> Response:
    row = records.fetch(conn, "documents", "document", document_id)
    path = Path(config_of(request).data_dir) / "documents" / row["sha256"]
    name = row["file_name"]
    plain = "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else "_" for c in name)
    return Response(
        content=path.read_bytes(),
        media_type=row["content_type"],
        headers={
            "Content-Disposition": f'attachment; filename="{plain}"; '
            f"filename*=UTF-8''{quote(name, safe='')}"
        },
    )


def _content_type(given: str | None) -> str:
    """Keep a well-formed media type; anything else could not be sent back as a header."""
    value = (given or "").split(";", 1)[0].strip()
    return value if len(value) <= 100 and _CONTENT_TYPE.match(value) else "application/octet-stream"
