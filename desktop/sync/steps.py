"""Running one plan step against the registry, and finding its record again.

A step's placeholders (`$ref`, `$fuel_source`, `$eligibility`, see payloads.py) are resolved
here, the request is sent through the client, and `look_up` answers "did this step's record
land already?" — after a lost answer, after a crash, or when a submit/enqueue says 409 because
it was in fact already done. A lookup never returns a record another step of the same item
already claimed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from desktop.sync.client import Problem, RegistryClient, RegistryRefusedError
from desktop.sync.payloads import Step, reference_marker


class StepRunner:
    def __init__(
        self,
        client: RegistryClient,
        check: Callable[[], None],
        load_document: Callable[[int], bytes],
    ) -> None:
        self.client = client
        self.check = check
        self.load_document = load_document
        self._fuel_sources: dict[str, str] | None = None
        self._eligibilities: dict[str, str] | None = None

    def run(self, step: Step, acked: Mapping[str, str]) -> dict[str, Any]:
        op = step["op"]
        check = self.check
        path = self.resolve(step.get("path") or {}, acked)
        if op == "existing":
            answer = self.client.call(
                "generators.update", path=path, json=self.resolve(step["body"], acked), check=check
            )
            updated: dict[str, Any] = answer["data"]
            return updated
        if op in ("create", "lines"):
            body = self.resolve(step["body"], acked)
            record = self.client.create(
                step["endpoint"],
                json=body,
                path=path,
                lookup=lambda: self.look_up(step, acked),
                check=check,
            )
            if isinstance(record, list):  # a list of lines in one request
                return {"id": record[0]["id"], "type": "generation_entry_lines", "attributes": {}}
            return record
        if op == "upload":
            unit = self.resolve(step.get("unit"), acked)
            form = dict(step["form"])
            if unit:
                form["dg_unit_id"] = unit
            content = self.load_document(int(step["document_id"]))
            return self.client.create(
                step["endpoint"],
                path=path,
                data=form,
                files={"file": (step["filename"], content, "application/octet-stream")},
                lookup=lambda: self.look_up(step, acked),
                check=check,
            )
        if op in ("submit", "enqueue"):
            try:
                body = self.resolve(step.get("body"), acked)
                answer = self.client.call(step["endpoint"], path=path, json=body, check=check)
                data: dict[str, Any] = answer["data"]
                return data
            except RegistryRefusedError as exc:
                if exc.status != 409:
                    raise
                found = self.look_up(step, acked)  # already submitted/processed?
                if found is None:
                    raise
                return found
        raise ValueError(f"unknown plan step {op!r}")

    def resolve(self, value: Any, acked: Mapping[str, str]) -> Any:
        if isinstance(value, dict):
            if len(value) == 1:
                (name, arg), *_ = value.items()
                if name == "$ref":
                    if arg not in acked:
                        raise ValueError(f"plan step refers to {arg!r} before it was sent")
                    return acked[arg]
                if name == "$fuel_source":
                    return self._fuel_source_id(str(arg))
                if name == "$eligibility":
                    return self._eligibility_id(str(arg))
            return {k: self.resolve(v, acked) for k, v in value.items()}
        if isinstance(value, list):
            return [self.resolve(v, acked) for v in value]
        return value

    def _fuel_source_id(self, description: str) -> str:
        if self._fuel_sources is None:
            self._fuel_sources = {}
            for r in self.client.list_all("fuel_sources.list", check=self.check):
                desc = str((r.get("attributes") or {}).get("description") or "").casefold()
                self._fuel_sources.setdefault(desc, str(r["id"]))
                self._fuel_sources.setdefault(str(r["id"]).casefold(), str(r["id"]))
        found = self._fuel_sources.get(description.casefold())
        if found is None:
            raise RegistryRefusedError(
                422,
                [_problem(f"The registry has no fuel source '{description}'.", "fuel_source")],
            )
        return found

    def _eligibility_id(self, name: str) -> str:
        if self._eligibilities is None:
            self._eligibilities = {}
            for r in self.client.list_all("eligibilities.list", check=self.check):
                attrs = r.get("attributes") or {}
                for label in (attrs.get("name"), attrs.get("key"), r["id"]):
                    if label:
                        self._eligibilities.setdefault(str(label).casefold(), str(r["id"]))
        found = self._eligibilities.get(name.casefold())
        if found is None:
            raise RegistryRefusedError(
                422, [_problem(f"The registry has no eligibility '{name}'.", "eligibilities")]
            )
        return found

    # -- lookups after a lost answer --

    def look_up(self, step: Step, acked: Mapping[str, str]) -> dict[str, Any] | None:
        """The record this step would create, if the registry already has it."""
        spec = step.get("lookup")
        check = self.check
        claimed = set(acked.values())
        if step["op"] == "submit":
            generator = self.client.get("generators.show", acked["generator"], check=check)
            done = (generator.get("attributes") or {}).get("status") in ("pending", "active")
            return generator if done else None
        if step["op"] == "enqueue":
            entry = self.client.get(
                "entries.show", str(self.resolve(step["entry"], acked)), check=check
            )
            return entry if (entry.get("attributes") or {}).get("status") != "draft" else None
        if not spec:
            return None
        by = spec["by"]
        if by == "generator":
            marker = reference_marker(spec["ref"])
            for r in self.client.iter_list(
                "generators.list", {"facility_name": spec["facility_name"]}, check=check
            ):
                if marker in str((r.get("attributes") or {}).get("notes") or ""):
                    return r
            return None
        generator = spec.get("generator")
        if isinstance(generator, dict) and generator.get("$ref") not in acked:
            return None  # its generator was never created: neither was this
        resolved = self.resolve(spec, acked)
        candidates: list[dict[str, Any]]
        if by == "fuel":
            candidates = [
                r
                for r in self.client.iter_list(
                    "fuels.list", {"generator_id": resolved["generator"]}, check=check
                )
                if _rel_id(r, "fuel_source") == resolved["fuel_source"]
                and (r.get("attributes") or {}).get("label") == resolved["label"]
            ]
        elif by == "dg_unit":
            candidates = [
                r
                for r in self.client.iter_list(
                    "dg_units.list", {"generator_id": resolved["generator"]}, check=check
                )
                if (r.get("attributes") or {}).get("name") == resolved["name"]
                and (r.get("attributes") or {}).get("revenue_meter_id")
                == resolved["revenue_meter_id"]
            ]
        elif by == "document":
            candidates = [
                r
                for r in self.client.iter_list(
                    "documents.list", path={"id": resolved["generator"]}, check=check
                )
                if (r.get("attributes") or {}).get("sha256") == resolved["sha256"]
                and (r.get("attributes") or {}).get("document_type") == resolved["document_type"]
                and (r.get("attributes") or {}).get("description") == resolved["description"]
                and _rel_id(r, "dg_unit") == resolved.get("unit")
            ]
        elif by == "entry":
            candidates = [
                r
                for r in self.client.iter_list(
                    "entries.list",
                    {
                        "generator_id": resolved["generator"],
                        "generation_period_start": resolved["start"],
                        "generation_period_end": resolved["end"],
                    },
                    check=check,
                )
                if (r.get("attributes") or {}).get("generation_period_start", "")[:10]
                == resolved["start"]
                and (r.get("attributes") or {}).get("generation_period_end", "")[:10]
                == resolved["end"]
                and (r.get("attributes") or {}).get("status") != "rejected"
            ]
        elif by == "lines":
            if spec["entry"].get("$ref") not in acked:
                return None
            wanted = {_norm_time(w) for w in resolved["started"]}
            candidates = [
                r
                for r in self.client.iter_list(
                    "lines.list", {"generation_entry_id": resolved["entry"]}, check=check
                )
                if _norm_time(str((r.get("attributes") or {}).get("started_at"))) in wanted
            ]
            if len(candidates) < len(wanted):
                return None  # the chunk did not land (a chunk is all-or-nothing)
            return {"id": candidates[0]["id"], "type": "generation_entry_lines", "attributes": {}}
        else:
            raise ValueError(f"unknown lookup {by!r}")
        fresh = [r for r in candidates if str(r["id"]) not in claimed]
        return fresh[0] if fresh else None


def _rel_id(resource: Mapping[str, Any], name: str) -> str | None:
    rel = (resource.get("relationships") or {}).get(name) or {}
    data = rel.get("data") if isinstance(rel, dict) else None
    return str(data["id"]) if isinstance(data, dict) and data.get("id") is not None else None


def _norm_time(text: str) -> str:
    return text.replace("+00:00", "Z").removesuffix("Z")[:19]


def _problem(detail: str, attribute: str) -> Problem:
    return Problem(detail=detail, status="422", pointer=f"/data/attributes/{attribute}")
