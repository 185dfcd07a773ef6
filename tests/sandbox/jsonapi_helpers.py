"""Small helpers that speak the sandbox's JSON:API for the tests (no fixtures here)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import requests

from desktop.sandbox import admin

TODAY = date(2025, 6, 15)  # the session server's "today": fixed so date rules are testable
REC = "/v1/public/rec"


class Api:
    """A thin requests wrapper: base URL, key, JSON:API bodies."""

    def __init__(self, base_url: str, key: str, data_dir: Path) -> None:
        self.base_url = base_url
        self.key = key
        self.data_dir = data_dir
        self.session = requests.Session()
        self.session.headers["X-Api-Key"] = key

    def url(self, path: str) -> str:
        return self.base_url + (
            path if path.startswith("/v1") or path == "/healthz" else REC + path
        )

    def get(self, path: str, **kw: Any) -> requests.Response:
        return self.session.get(self.url(path), timeout=10, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> requests.Response:
        return self.session.post(self.url(path), json=body, timeout=10, **kw)

    def patch(self, path: str, body: Any, **kw: Any) -> requests.Response:
        return self.session.patch(self.url(path), json=body, timeout=10, **kw)

    def delete(self, path: str, **kw: Any) -> requests.Response:
        return self.session.delete(self.url(path), timeout=10, **kw)

    # --- builders ---------------------------------------------------------------------------

    def create_generator(self, **attributes: Any) -> dict[str, Any]:
        attributes.setdefault("facility_name", "Test facility")
        r = self.post("/generators", doc("generators", attributes))
        assert r.status_code == 201, r.text
        return r.json()["data"]

    def add_fuel(
        self,
        generator_id: str,
        source: str = "49",
        eligibilities: tuple[str, ...] = ("minnesota",),
        **attributes: Any,
    ) -> dict[str, Any]:
        body = doc(
            "generator_fuels",
            attributes,
            generator=rel("generators", generator_id),
            fuel_source=rel("fuel_sources", source),
            eligibilities={"data": [{"type": "eligibilities", "id": e} for e in eligibilities]},
        )
        r = self.post("/generator_fuels", body)
        assert r.status_code == 201, r.text
        return r.json()["data"]

    def active_generator(
        self, nameplate: float = 0.1, fuels: int = 1, **attributes: Any
    ) -> dict[str, Any]:
        """A stand-alone generator taken through submit and the admin's approval."""
        base = {
            "facility_name": "Solar farm",
            "name": "Unit 1",
            "country": "United States",
            "state_province": "MN",
            "commenced_operation_date": "2020-01-01",
            "nameplate_capacity": nameplate,
            "capacity_factor": 0.2,
            "is_multi_fuel": "Yes" if fuels > 1 else "No",
        }
        gen = self.create_generator(**{**base, **attributes})
        sources = ["49", "54", "1"]
        for i in range(fuels):
            self.add_fuel(gen["id"], sources[i])
        r = self.post(f"/generators/{gen['id']}/submit")
        assert r.status_code == 200, r.text
        admin.approve(self.data_dir, "generator", gen["id"])
        return self.get(f"/generators/{gen['id']}").json()["data"]

    def entry(
        self, generator_id: str, start: str, end: str, mwh: float, **attributes: Any
    ) -> requests.Response:
        attrs = {
            "generation_period_start": start,
            "generation_period_end": end,
            "quantity": mwh,
            **attributes,
        }
        return self.post(
            "/generation_entries",
            doc("generation_entries", attrs, generator=rel("generators", generator_id)),
        )


def doc(kind: str, attributes: dict[str, Any], **relationships: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"type": kind, "attributes": attributes}
    if relationships:
        data["relationships"] = relationships
    return {"data": data}


def rel(kind: str, ident: str) -> dict[str, Any]:
    return {"data": {"type": kind, "id": ident}}


def pointers(response: requests.Response) -> list[str]:
    return [e.get("source", {}).get("pointer") for e in response.json()["errors"]]
