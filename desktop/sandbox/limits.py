"""What the sandbox refuses before it does any work, as the registry would.

* JSON:API: "If a server encounters a query parameter that does not follow the naming
  conventions above, or the server does not know how to process it as a query parameter from
  this specification, it MUST return 400 Bad Request." Each route's known parameters are the
  ones its endpoint and dependencies declare; anything else (`page_size`, `filters[x]`) is a 400
  that names the parameter, where it used to be silently ignored.
* A JSON body is read at most `limit` bytes far: a longer one is answered 413 without being
  parsed (a 60 MB body used to be read and parsed whole). Multipart uploads have their own
  limit (deps.MAX_DOCUMENT_BYTES), checked while the file is copied.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from desktop.sandbox.deps import MAX_JSON_BYTES
from desktop.sandbox.jsonapi import MEDIA_TYPE, ApiError, ErrorItem

_known: dict[int, frozenset[str]] = {}


def _query_names(dependant: Dependant) -> set[str]:
    names = {str(p.alias) for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def known_query_parameters(request: Request) -> None:
    """A router dependency: 400 for any query parameter the matched route does not declare."""
    route: Any = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    known = _known.get(id(route))
    if known is None:
        known = _known[id(route)] = frozenset(_query_names(dependant))
    unknown = sorted({name for name in request.query_params if name not in known})
    if unknown:
        supported = ", ".join(sorted(known)) or "none"
        raise ApiError(
            400,
            [
                ErrorItem(
                    f"The query parameter '{name}' is not supported here (supported: {supported}).",
                    parameter=name,
                )
                for name in unknown
            ],
        )


class JsonBodyLimit:
    """ASGI middleware: a JSON request body over `limit` bytes gets 413, unparsed."""

    def __init__(self, app: ASGIApp, limit: int = MAX_JSON_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _is_json(scope):
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared.isdigit() and int(declared) > self.limit:
            await self._refuse(scope, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([message]), send)  # the client went away
                return
            body = message.get("body", b"")
            size += len(body)
            if size > self.limit:
                await self._refuse(scope, send)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        whole: Message = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        await self.app(scope, _replay([whole], then=receive), send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        error = ApiError.one(
            413,
            f"The JSON body is larger than {self.limit / (1024 * 1024):g} MB; "
            "send fewer records per request.",
        )
        response = JSONResponse(error.document(), status_code=413, media_type=MEDIA_TYPE)
        response.headers["Connection"] = "close"  # the rest of the body is not read

        async def nothing() -> Message:
            return {"type": "http.disconnect"}

        await response(scope, nothing, send)


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1").strip()
    return ""


def _is_json(scope: Scope) -> bool:
    kind = _header(scope, b"content-type").split(";")[0].strip().lower()
    return kind in ("application/json", MEDIA_TYPE) or kind.endswith("+json")


def _replay(messages: list[Message], then: Receive | None = None) -> Receive:
    pending = list(messages)

    async def receive() -> Message:
        if pending:
            return pending.pop(0)
        if then is not None:
            return await then()
        return {"type": "http.disconnect"}

    return receive
