"""Request plumbing shared by the routers: configuration, database, API key, today's date."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Header, Query, Request, Security
from fastapi.security import APIKeyHeader

from desktop.sandbox import store
from desktop.sandbox.jsonapi import ApiError, Page, parse_page
from desktop.sandbox.ratelimit import DEFAULT_RATE_LIMIT, RateLimit, RateLimiter

TODAY_HEADER = "X-Sandbox-Today"
MAX_DOCUMENT_BYTES = 25 * 1024 * 1024
MAX_JSON_BYTES = 8 * 1024 * 1024  # a 1,000-line generation chunk is ~150 KB


@dataclass(frozen=True)
class SandboxConfig:
    """How one sandbox instance behaves; the CLI and the launcher build it."""

    data_dir: Path
    rate_limit: RateLimit | None = DEFAULT_RATE_LIMIT
    today: date | None = None  # pins "today" for date checks (tests, demos)
    max_document_bytes: int = MAX_DOCUMENT_BYTES
    max_json_bytes: int = MAX_JSON_BYTES
    extra: dict[str, Any] = field(default_factory=dict)


def config_of(request: Request) -> SandboxConfig:
    config: SandboxConfig = request.app.state.config
    return config


def get_conn(request: Request) -> Iterator[sqlite3.Connection]:
    conn = store.connect(config_of(request).data_dir)
    try:
        yield conn
    finally:
        conn.close()


Conn = Annotated[sqlite3.Connection, Depends(get_conn)]

api_key_header = APIKeyHeader(
    name="X-Api-Key",
    auto_error=False,
    description="An API key made with `registry-desk sandbox create-key`.",
)


def require_key(
    request: Request,
    conn: Conn,
    api_key: Annotated[str | None, Security(api_key_header)] = None,
) -> str:
    if not api_key:
        raise ApiError.one(401, "Send your API key in the X-Api-Key header.")
    if not store.key_is_known(conn, api_key):
        raise ApiError.one(401, "The API key is not known to this registry.")
    limiter: RateLimiter | None = request.app.state.limiter
    if limiter is not None:
        wait = limiter.check(store.hash_key(api_key))
        if wait is not None:
            refusal = ApiError.one(
                429,
                f"More than {limiter.limit.requests} requests in "
                f"{limiter.limit.seconds:g} seconds; retry after {wait} s.",
            )
            refusal.headers["Retry-After"] = str(wait)
            raise refusal
    return api_key


def today(
    request: Request,
    x_sandbox_today: Annotated[
        str | None,
        Header(
            alias=TODAY_HEADER,
            description="Sandbox only: pretend today is this date (YYYY-MM-DD).",
        ),
    ] = None,
) -> date:
    if x_sandbox_today:
        try:
            return date.fromisoformat(x_sandbox_today.strip())
        except ValueError as exc:
            raise ApiError.one(
                400, f"{TODAY_HEADER} must be a date YYYY-MM-DD.", parameter=TODAY_HEADER
            ) from exc
    return config_of(request).today or date.today()


Today = Annotated[date, Depends(today)]


def page_params(
    number: Annotated[int | None, Query(alias="page[number]", ge=-(2**31), le=2**31)] = None,
    size: Annotated[int | None, Query(alias="page[size]", ge=-(2**31), le=2**31)] = None,
) -> Page:
    return parse_page(number, size)


Paging = Annotated[Page, Depends(page_params)]


def parse_sort(text: str | None, allowed: dict[str, str], default: str) -> str:
    """`sort=a,-b` -> an ORDER BY clause over whitelisted columns."""
    if not text:
        return default
    parts = []
    for raw in text.split(","):
        name = raw.strip()
        descending = name.startswith("-")
        name = name.lstrip("-")
        if name not in allowed:
            raise ApiError.one(
                400,
                f"Cannot sort by {name!r}; use one of: {', '.join(sorted(allowed))}.",
                parameter="sort",
            )
        parts.append(f"{allowed[name]} {'DESC' if descending else 'ASC'}")
    return ", ".join([*parts, "rowid ASC"])
