"""JSON:API documents and error objects, as the M-RETS API speaks them.

Errors carry `source.pointer` (`/data/attributes/<field>`) for body problems and
`source.parameter` for query problems, so a client can show each message next to its field.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

MEDIA_TYPE = "application/vnd.api+json"
BASE = "/v1/public/rec"
DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 1000

TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Payload Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
}


@dataclass
class ErrorItem:
    detail: str
    pointer: str | None = None
    parameter: str | None = None
    code: str | None = None

    def to_json(self, status: int) -> dict[str, Any]:
        out: dict[str, Any] = {
            "status": str(status),
            "title": TITLES.get(status, "Error"),
            "detail": self.detail,
        }
        if self.code:
            out["code"] = self.code
        if self.pointer is not None:
            out["source"] = {"pointer": self.pointer}
        elif self.parameter is not None:
            out["source"] = {"parameter": self.parameter}
        return out


@dataclass
class ApiError(Exception):
    """A refusal the client can act on; becomes a JSON:API error document."""

    status: int
    items: list[ErrorItem]
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def one(
        cls,
        status: int,
        detail: str,
        *,
        pointer: str | None = None,
        parameter: str | None = None,
        code: str | None = None,
    ) -> ApiError:
        return cls(status, [ErrorItem(detail, pointer, parameter, code)])

    def document(self) -> dict[str, Any]:
        return {"errors": [item.to_json(self.status) for item in self.items]}


def attr_pointer(name: str) -> str:
    return f"/data/attributes/{name}"


def rel_pointer(name: str) -> str:
    return f"/data/relationships/{name}"


def single(data: Any) -> dict[str, Any]:
    """A document holding one resource object (or a list of identifiers)."""
    return {"data": data}


def not_found(kind: str, ident: str) -> ApiError:
    return ApiError.one(404, f"No {kind} with id {ident!r} exists.")


def resource(
    kind: str,
    ident: str,
    attributes: dict[str, Any],
    relationships: dict[str, tuple[str, str | list[str] | None]] | None = None,
    *,
    base: str = BASE,
) -> dict[str, Any]:
    """A resource object. `relationships` maps name -> (type, id | [ids] | None)."""
    out: dict[str, Any] = {
        "type": kind,
        "id": ident,
        "attributes": attributes,
        "links": {"self": f"{base}/{kind}/{ident}"},
    }
    if relationships:
        rels: dict[str, Any] = {}
        for name, (rtype, rid) in relationships.items():
            if isinstance(rid, list):
                rels[name] = {"data": [{"type": rtype, "id": i} for i in rid]}
            else:
                rels[name] = {"data": None if rid is None else {"type": rtype, "id": rid}}
        out["relationships"] = rels
    return out


@dataclass(frozen=True)
class Page:
    number: int
    size: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size


def parse_page(number: int | None, size: int | None) -> Page:
    if number is not None and number < 1:
        raise ApiError.one(400, "page[number] starts at 1.", parameter="page[number]")
    if size is not None and not 1 <= size <= MAX_PAGE_SIZE:
        raise ApiError.one(
            400,
            f"page[size] must be between 1 and {MAX_PAGE_SIZE}.",
            parameter="page[size]",
        )
    return Page(number or 1, size or DEFAULT_PAGE_SIZE)


def list_document(
    rows: list[dict[str, Any]],
    total: int,
    page: Page,
    path: str,
    query: list[tuple[str, str]],
) -> dict[str, Any]:
    """A collection document with `meta` counts and `links` to first/prev/next/last pages."""
    last = max(1, math.ceil(total / page.size))
    kept = [(k, v) for k, v in query if k not in ("page[number]", "page[size]")]

    def link(number: int) -> str:
        params = [*kept, ("page[number]", str(number)), ("page[size]", str(page.size))]
        return f"{path}?{urlencode(params, safe='[]')}"

    links: dict[str, str | None] = {
        "self": link(page.number),
        "first": link(1),
        "prev": link(page.number - 1) if page.number > 1 else None,
        "next": link(page.number + 1) if page.number < last else None,
        "last": link(last),
    }
    return {
        "data": rows,
        "meta": {
            "total": total,
            "page": {"number": page.number, "size": page.size, "total_pages": last},
        },
        "links": links,
    }
