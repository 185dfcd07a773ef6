"""Every registry path Registry Desk uses, in one table (decisions.md "Registry sync").

Paths are relative to the target's base URL. M-RETS namespaces REC resources under
`/v1/public/rec/`; the DG unit path is not published, and `/dg_units` is what the local sandbox
serves. When M-RETS publishes its own, this table is the one place to change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote

Method = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
PREFIX = "/v1/public/rec"
PAGE_SIZE_MAX = 1000  # reference.md §4.1: page[size] at most 1000


@dataclass(frozen=True, slots=True)
class Endpoint:
    name: str
    method: Method
    path: str  # with {placeholders}
    resource: str  # the JSON:API type it returns
    idempotent: bool

    def url_path(self, **params: str) -> str:
        return self.path.format(**{k: quote(str(v), safe="") for k, v in params.items()})


def _e(name: str, method: Method, path: str, resource: str) -> Endpoint:
    return Endpoint(name, method, path, resource, method in ("GET", "PUT", "PATCH", "DELETE"))


ENDPOINTS: dict[str, Endpoint] = {
    e.name: e
    for e in (
        _e("health", "GET", "/healthz", ""),
        _e("generators.list", "GET", PREFIX + "/generators", "generators"),
        _e("generators.show", "GET", PREFIX + "/generators/{id}", "generators"),
        _e("generators.create", "POST", PREFIX + "/generators", "generators"),
        _e("generators.update", "PUT", PREFIX + "/generators/{id}", "generators"),
        _e("generators.submit", "PUT", PREFIX + "/generators/{id}", "generators"),
        _e("documents.list", "GET", PREFIX + "/generators/{id}/documents", "generator_documents"),
        _e(
            "documents.upload", "POST", PREFIX + "/generators/{id}/documents", "generator_documents"
        ),
        _e("fuels.list", "GET", PREFIX + "/generator_fuels", "generator_fuels"),
        _e("fuels.create", "POST", PREFIX + "/generator_fuels", "generator_fuels"),
        _e("fuel_sources.list", "GET", PREFIX + "/fuel_sources", "fuel_sources"),
        _e("eligibilities.list", "GET", PREFIX + "/eligibilities", "eligibilities"),
        _e("dg_units.list", "GET", PREFIX + "/dg_units", "dg_units"),
        _e("dg_units.show", "GET", PREFIX + "/dg_units/{id}", "dg_units"),
        _e("dg_units.create", "POST", PREFIX + "/dg_units", "dg_units"),
        _e("entries.list", "GET", PREFIX + "/generation_entries", "generation_entries"),
        _e("entries.show", "GET", PREFIX + "/generation_entries/{id}", "generation_entries"),
        _e("entries.create", "POST", PREFIX + "/generation_entries", "generation_entries"),
        _e(
            "entries.enqueue",
            "PUT",
            PREFIX + "/generation_entries/{id}/enqueue",
            "generation_entries",
        ),
        _e("lines.list", "GET", PREFIX + "/generation_entry_lines", "generation_entry_lines"),
        _e("lines.create", "POST", PREFIX + "/generation_entry_lines", "generation_entry_lines"),
    )
}


def endpoint(name: str) -> Endpoint:
    try:
        return ENDPOINTS[name]
    except KeyError:
        raise ValueError(f"no registry endpoint named {name!r}") from None
