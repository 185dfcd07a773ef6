"""The sandbox registry as a FastAPI application: routers, JSON:API errors, reference lists."""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from desktop.sandbox import generation, generators, store, units
from desktop.sandbox.deps import Paging, SandboxConfig, require_key
from desktop.sandbox.jsonapi import BASE, MEDIA_TYPE, ApiError, ErrorItem, list_document, resource
from desktop.sandbox.limits import JsonBodyLimit, known_query_parameters
from desktop.sandbox.ratelimit import RateLimiter
from desktop.sandbox.refdata import reference_data
from desktop.sandbox.schemas import UNION_TAGS

log = logging.getLogger("desktop.sandbox")

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "status": {"type": "string"},
                    "title": {"type": "string"},
                    "detail": {"type": "string"},
                    "code": {"type": "string"},
                    "source": {
                        "type": "object",
                        "properties": {
                            "pointer": {"type": "string"},
                            "parameter": {"type": "string"},
                        },
                    },
                },
                "required": ["status", "title", "detail"],
            },
        }
    },
    "required": ["errors"],
}
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"description": text, "content": {MEDIA_TYPE: {"schema": ERROR_SCHEMA}}}
    for code, text in (
        (400, "Bad query parameter or malformed JSON"),
        (401, "Missing or unknown API key"),
        (404, "No such record"),
        (409, "The record's status does not allow this"),
        (413, "Upload too large"),
        (422, "Validation failed; each error points at its field"),
        (429, "Rate limit exceeded; see Retry-After"),
    )
}


class JsonApiResponse(JSONResponse):
    media_type = MEDIA_TYPE


def _error_response(error: ApiError) -> JSONResponse:
    return JsonApiResponse(error.document(), status_code=error.status, headers=error.headers)


def _pointer(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for i, p in enumerate(loc) if not (i == 1 and p in UNION_TAGS)]
    if len(parts) == 1 and parts[0] != "data":
        # multipart form fields are the attributes of the document being uploaded
        return f"/data/attributes/{parts[0]}"
    return "/" + "/".join(parts) if parts else "/data"


def validation_error(exc: RequestValidationError) -> ApiError:
    items: list[ErrorItem] = []
    status = 422
    for error in exc.errors():
        loc = tuple(error.get("loc", ()))
        message = str(error.get("msg", "invalid value"))
        where, rest = (loc[0], loc[1:]) if loc else ("body", ())
        if error.get("type") == "json_invalid":
            status = 400
            items.append(ErrorItem("The request body is not valid JSON.", pointer=""))
        elif where == "body":
            pointer = _pointer(rest)
            field = pointer.rsplit("/", 1)[-1] or "data"
            items.append(ErrorItem(f"{field}: {message}", pointer=pointer))
        else:
            status = 400
            name = str(rest[0]) if rest else str(where)
            items.append(ErrorItem(f"{name}: {message}", parameter=name))
    return ApiError(status, items or [ErrorItem("The request is not valid.")])


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return _error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return _error_response(validation_error(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else "The request failed."
        if exc.status_code in (404, 405):
            detail = f"{detail}: {request.method} {request.url.path}"
        error = ApiError.one(exc.status_code, detail)
        error.headers.update(exc.headers or {})
        return _error_response(error)

    @app.exception_handler(Exception)
    async def _bug(_: Request, exc: Exception) -> JSONResponse:
        log.exception("sandbox bug", exc_info=exc)
        return _error_response(ApiError.one(500, f"The sandbox failed: {type(exc).__name__}."))


# --- reference lists ----------------------------------------------------------------------------

reference = APIRouter(tags=["reference"])


def _paged(request: Request, items: list[dict[str, Any]], page: Any) -> dict[str, Any]:
    window = items[page.offset : page.offset + page.size]
    return list_document(
        window, len(items), page, request.url.path, list(request.query_params.items())
    )


def _fuel_type(t: dict[str, Any]) -> dict[str, Any]:
    attrs = {
        "code": t["code"],
        "name": t["name"],
        "is_rec_fuel": True,
        "renewable": t["renewable"],
        "biomass": t["biomass"],
    }
    return resource("fuel_types", t["code"], attrs)


def _fuel_source(s: dict[str, Any]) -> dict[str, Any]:
    attrs = {
        "description": s["description"],
        "is_default_for_type": s["is_default_for_type"],
        "fuel_type_code": s["fuel_type"],
        "resource_types": ["rec"],
    }
    return resource("fuel_sources", s["id"], attrs, {"fuel_type": ("fuel_types", s["fuel_type"])})


def _eligibility(e: dict[str, Any]) -> dict[str, Any]:
    attrs = {"key": e["id"], "name": e["name"], "key_published": e["key_published"]}
    return resource("eligibilities", e["id"], attrs)


def _one(item: dict[str, Any] | None, kind: str, ident: str) -> dict[str, Any]:
    if item is None:
        raise ApiError.one(404, f"No {kind} with id {ident!r} exists.")
    return {"data": item}


@reference.get("/fuel_types", summary="List fuel types")
def list_fuel_types(request: Request, page: Paging) -> dict[str, Any]:
    return _paged(request, [_fuel_type(t) for t in reference_data().fuel_types.values()], page)


@reference.get("/fuel_types/{code}", summary="Show a fuel type")
def show_fuel_type(code: str) -> dict[str, Any]:
    found = reference_data().fuel_types.get(code)
    return _one(found and _fuel_type(found), "fuel type", code)


@reference.get("/fuel_sources", summary="List fuel sources")
def list_fuel_sources(
    request: Request,
    page: Paging,
    fuel_type: Annotated[str | None, Query(alias="filter[fuel_type]")] = None,
) -> dict[str, Any]:
    sources = [
        _fuel_source(s)
        for s in reference_data().fuel_sources.values()
        if fuel_type is None or s["fuel_type"] == fuel_type
    ]
    return _paged(request, sources, page)


@reference.get("/fuel_sources/{source_id}", summary="Show a fuel source")
def show_fuel_source(source_id: str) -> dict[str, Any]:
    found = reference_data().fuel_sources.get(source_id)
    return _one(found and _fuel_source(found), "fuel source", source_id)


@reference.get("/eligibilities", summary="List program eligibilities")
def list_eligibilities(request: Request, page: Paging) -> dict[str, Any]:
    items = [_eligibility(e) for e in reference_data().eligibilities.values()]
    return _paged(request, items, page)


@reference.get("/eligibilities/{key}", summary="Show an eligibility")
def show_eligibility(key: str) -> dict[str, Any]:
    found = reference_data().eligibilities.get(key)
    return _one(found and _eligibility(found), "eligibility", key)


# --- the application --------------------------------------------------------------------------


def create_app(config: SandboxConfig) -> FastAPI:
    """Build the sandbox application over the database in `config.data_dir`."""
    store.initialise(config.data_dir)
    sandbox_id = store.folder_id(config.data_dir)
    app = FastAPI(
        title="Registry Desk sandbox registry",
        version="1.0.0",
        description=(
            "A local stand-in for the M-RETS REST API (JSON:API, X-Api-Key, /v1/public/rec). "
            "For practice and tests; it is not M-RETS."
        ),
        default_response_class=JsonApiResponse,
    )
    app.state.config = config
    app.state.limiter = RateLimiter(config.rate_limit) if config.rate_limit else None
    _install_handlers(app)

    @app.get("/healthz", tags=["health"], summary="Liveness check (no key needed)")
    def healthz() -> dict[str, Any]:
        return {
            "status": "ok",
            "rate_limit": str(config.rate_limit or "off"),
            "sandbox_id": sandbox_id,
        }

    app.add_middleware(JsonBodyLimit, limit=config.max_json_bytes)
    secured = [Depends(require_key), Depends(known_query_parameters)]
    for router in (reference, generators.router, units.router, generation.router):
        app.include_router(router, prefix=BASE, dependencies=secured, responses=ERROR_RESPONSES)
    return app
