"""Generator lifecycle, fuels, DG unit limits and documents, against the live sandbox."""

from __future__ import annotations

import hashlib

import pytest

from desktop.cli import main
from desktop.sandbox import admin
from tests.sandbox.jsonapi_helpers import Api, doc, pointers, rel

COMPLETE = {
    "name": "Unit 1",
    "country": "United States",
    "state_province": "MN",
    "commenced_operation_date": "2021-05-01",
    "nameplate_capacity": 2.5,
    "capacity_factor": 0.25,
}


def cli(api: Api, *args: str) -> int:
    """Run `registry-desk sandbox ...` on the session sandbox's folder (the app folder's child)."""
    return main(["sandbox", *args, "--data-dir", str(api.data_dir.parent / "app")])


def test_generator_lifecycle_draft_pending_rejected_active(api: Api) -> None:
    gen = api.create_generator(facility_name="Lifecycle farm")
    attrs = gen["attributes"]
    assert attrs["status"] == "draft" and attrs["mrets_id"].startswith("M")
    assert attrs["name"] is None and "nameplate_capacity" in attrs

    early = api.post(f"/generators/{gen['id']}/submit")
    assert early.status_code == 422
    assert {
        "/data/attributes/name",
        "/data/attributes/nameplate_capacity",
        "/data/attributes/capacity_factor",
        "/data/relationships/generator_fuels",
    } <= set(pointers(early))

    r = api.patch(f"/generators/{gen['id']}", doc("generators", COMPLETE) | {})
    assert r.status_code == 422 and pointers(r) == ["/data/id"]
    body = {"data": {"type": "generators", "id": gen["id"], "attributes": COMPLETE}}
    assert api.patch(f"/generators/{gen['id']}", body).status_code == 200
    api.add_fuel(gen["id"])
    r = api.post(f"/generators/{gen['id']}/submit")
    assert r.status_code == 200 and r.json()["data"]["attributes"]["status"] == "pending"

    locked = api.patch(
        f"/generators/{gen['id']}",
        {"data": {"type": "generators", "id": gen["id"], "attributes": {"name": "x"}}},
    )
    assert locked.status_code == 409

    # The administrator rejects through the command line; the client sees the reason.
    admin_dir = api.data_dir
    outcome = admin.reject(admin_dir, "generator", gen["id"], "Interconnection agreement missing")
    assert outcome.status == "rejected"
    shown = api.get(f"/generators/{gen['id']}").json()["data"]["attributes"]
    assert shown["status"] == "rejected"
    assert shown["status_reason"] == "Interconnection agreement missing"

    # Fix and resubmit by setting status to pending via PUT, as the M-RETS scenario does.
    body = {
        "data": {
            "type": "generators",
            "id": gen["id"],
            "attributes": {"eia_number": "12345", "status": "pending"},
        }
    }
    r = api.session.put(api.url(f"/generators/{gen['id']}"), json=body, timeout=5)
    assert r.status_code == 200 and r.json()["data"]["attributes"]["status"] == "pending"
    admin.approve(admin_dir, "generator", attrs["mrets_id"])
    active = api.get(f"/generators/{gen['id']}").json()["data"]["attributes"]
    assert active["status"] == "active" and active["effective_date"]

    # A material change sends an approved generator back for review.
    body = {
        "data": {"type": "generators", "id": gen["id"], "attributes": {"nameplate_capacity": 3}}
    }
    again = api.patch(f"/generators/{gen['id']}", body).json()["data"]["attributes"]
    assert again["status"] == "pending" and again["nameplate_capacity"] == 3


def test_approve_and_reject_commands(api: Api, capsys: pytest.CaptureFixture[str]) -> None:
    folder = api.data_dir.parent / "app" / "sandbox"
    assert main(["sandbox", "create-key", "--data-dir", str(folder.parent)]) == 0
    key = capsys.readouterr().out.splitlines()[0]
    assert key.startswith("sbx_")
    gen_attrs = {"facility_name": "CLI farm", **COMPLETE}
    # A second sandbox, in the folder the command line uses for `--data-dir <app folder>`.
    from desktop.sandbox.launcher import start_sandbox

    with start_sandbox(folder, rate_limit=None) as other:
        client = Api(other.base_url, key, folder)
        gen = client.create_generator(**gen_attrs)
        client.add_fuel(gen["id"])
        assert client.post(f"/generators/{gen['id']}/submit").status_code == 200
        assert cli(api, "status") == 0
        listing = capsys.readouterr().out
        assert gen["id"] in listing and "pending" in listing
        assert cli(api, "reject", "generator", gen["id"], "--reason", "Wrong county") == 0
        assert "rejected" in capsys.readouterr().out
        shown = client.get(f"/generators/{gen['id']}").json()["data"]["attributes"]
        assert shown["status_reason"] == "Wrong county"
        assert cli(api, "approve", "generator", gen["id"]) == 1  # rejected: resubmit first
        assert "only a pending one" in capsys.readouterr().err
        assert client.post(f"/generators/{gen['id']}/submit").status_code == 200
        assert cli(api, "approve", "generator", gen["id"]) == 0
        assert client.get(f"/generators/{gen['id']}").json()["data"]["attributes"]["status"] == (
            "active"
        )
        assert cli(api, "approve", "dg_unit", "nope") == 1
        assert "No dg unit" in capsys.readouterr().err
        assert cli(api, "status", "--json", "--kind", "generator") == 0
        assert '"status": "active"' in capsys.readouterr().out
        client.session.close()


def test_fuels_percentages_and_eligibilities(api: Api) -> None:
    gen = api.create_generator(facility_name="Two fuels", is_multi_fuel="Yes")
    wood = api.add_fuel(gen["id"], "13", ("minnesota",), percentage=60, label="wood")
    r = api.post(
        "/generator_fuels",
        doc(
            "generator_fuels",
            {"percentage": 50},
            generator=rel("generators", gen["id"]),
            fuel_source=rel("fuel_sources", "1"),
        ),
    )
    assert r.status_code == 422 and pointers(r) == ["/data/attributes/percentage"]
    api.add_fuel(gen["id"], "1", (), percentage=40)
    r = api.post(
        f"/generator_fuels/{wood['id']}/relationships/eligibilities",
        {"data": [{"type": "eligibilities", "id": "iowa"}]},
    )
    assert [e["id"] for e in r.json()["data"]] == ["minnesota", "iowa"]
    listed = api.get("/generator_fuels", params={"filter[generator_id]": gen["id"]}).json()
    assert [f["attributes"]["percentage"] for f in listed["data"]] == [60, 40]
    assert listed["data"][0]["attributes"]["fuel_type"] == "BIM"
    shown = api.get(f"/generators/{gen['id']}").json()["data"]
    assert len(shown["relationships"]["generator_fuels"]["data"]) == 2
    assert api.delete(f"/generator_fuels/{wood['id']}").status_code == 204
    assert api.get(f"/generator_fuels/{wood['id']}").status_code == 404


def unit(api: Api, group_id: str, mw: float, **attrs: object) -> object:
    return api.post(
        "/dg_units",
        doc(
            "dg_units",
            {"name": f"Roof {mw}", "nameplate_capacity": mw, **attrs},
            generator=rel("generators", group_id),
        ),
    )


def test_dg_unit_and_group_limits(api: Api) -> None:
    group = api.create_generator(
        facility_name="Rooftops DGG", dg_group=True, state_province="MN", dg_group_type="Mixed"
    )
    big = unit(api, group["id"], 1.2)
    assert big.status_code == 422 and pointers(big) == ["/data/attributes/nameplate_capacity"]
    assert big.json()["errors"][0]["code"] == "unit_over_1_mw"

    first = unit(api, group["id"], 0.6, commenced_operation_date="2022-03-01")
    assert first.status_code == 201
    data = first.json()["data"]
    assert data["attributes"]["status"] == "waiting_approval"
    assert data["attributes"]["nameplate_capacity_unit"] == "MW AC"
    assert data["relationships"]["generator"]["data"]["id"] == group["id"]
    assert unit(api, group["id"], 0.3, commenced_operation_date="2019-07-01").status_code == 201

    over = unit(api, group["id"], 0.2)
    assert over.status_code == 422 and over.json()["errors"][0]["code"] == "group_over_1_mw"
    assert pointers(over) == ["/data/attributes/nameplate_capacity"]
    assert unit(api, group["id"], 0.1).status_code == 201  # exactly 1 MW in total is allowed

    derived = api.get(f"/generators/{group['id']}").json()["data"]["attributes"]
    assert derived["nameplate_capacity"] == pytest.approx(1.0)
    assert derived["commenced_operation_date"] == "2019-07-01"

    wrong_state = unit(api, group["id"], 0.0001, state_province="WI")
    assert pointers(wrong_state) == ["/data/attributes/state_province"]

    # Deactivating a unit frees its capacity; growing another past the cap is refused.
    unit_id = first.json()["data"]["id"]
    body = {"data": {"type": "dg_units", "id": unit_id, "attributes": {"status": "deactivated"}}}
    assert api.patch(f"/dg_units/{unit_id}", body).json()["data"]["attributes"]["status"] == (
        "deactivated"
    )
    assert unit(api, group["id"], 0.5).status_code == 201
    units = api.get("/dg_units", params={"filter[generator_id]": group["id"]}).json()
    assert units["meta"]["total"] == 4
    waiting = api.get(
        "/dg_units", params={"filter[generator_id]": group["id"], "filter[status]": "deactivated"}
    ).json()
    assert [u["id"] for u in waiting["data"]] == [unit_id]


def test_units_belong_to_dg_groups_and_are_reviewed(api: Api) -> None:
    plain = api.create_generator(facility_name="Not a group")
    r = unit(api, plain["id"], 0.01)
    assert r.status_code == 422 and pointers(r) == ["/data/relationships/generator/data/id"]
    group = api.create_generator(facility_name="Reviewed DGG", dg_group=True)
    a = unit(api, group["id"], 0.01).json()["data"]["id"]
    b = unit(api, group["id"], 0.02).json()["data"]["id"]
    assert admin.approve(api.data_dir, "dg_unit", a).status == "approved"
    assert admin.reject(api.data_dir, "dg_unit", b, "No interconnection agreement").status == (
        "rejected"
    )
    shown = api.get(f"/dg_units/{b}").json()["data"]["attributes"]
    assert (
        shown["status"] == "rejected" and shown["status_reason"] == "No interconnection agreement"
    )
    with pytest.raises(admin.AdminError, match="waiting_approval"):
        admin.approve(api.data_dir, "dg_unit", b)
    r = api.patch(
        f"/generators/{group['id']}",
        {
            "data": {
                "type": "generators",
                "id": group["id"],
                "attributes": {"nameplate_capacity": 1},
            }
        },
    )
    assert r.status_code == 422 and pointers(r) == ["/data/attributes/nameplate_capacity"]


def test_document_upload_keeps_the_sha256(api: Api) -> None:
    group = api.create_generator(facility_name="Docs DGG", dg_group=True)
    unit_id = unit(api, group["id"], 0.05).json()["data"]["id"]
    content = b"%PDF-1.4 interconnection agreement\n" * 1000
    r = api.session.post(
        api.url(f"/generators/{group['id']}/documents"),
        data={
            "document_type": "interconnection_agreement",
            "description": "Certificate of Completion",
            "dg_unit_id": unit_id,
        },
        files={"file": ("IA – roof 1.pdf", content, "application/pdf")},
        timeout=10,
    )
    assert r.status_code == 201, r.text
    data = r.json()["data"]
    assert data["attributes"]["sha256"] == hashlib.sha256(content).hexdigest()
    assert data["attributes"]["byte_size"] == len(content)
    assert data["attributes"]["file_name"] == "IA – roof 1.pdf"
    assert data["relationships"]["dg_unit"]["data"]["id"] == unit_id
    download = api.get(f"/generator_documents/{data['id']}/content")
    assert download.content == content
    assert download.headers["Content-Type"] == "application/pdf"
    listed = api.get(f"/generators/{group['id']}/documents").json()
    assert [d["id"] for d in listed["data"]] == [data["id"]]

    bad = api.session.post(
        api.url(f"/generators/{group['id']}/documents"),
        data={"document_type": "selfie"},
        files={"file": ("a.txt", b"x")},
        timeout=10,
    )
    assert bad.status_code == 422 and pointers(bad) == ["/data/attributes/document_type"]
    missing = api.session.post(
        api.url(f"/generators/{group['id']}/documents"),
        data={"document_type": "other"},
        timeout=10,
    )
    assert missing.status_code == 422 and pointers(missing) == ["/data/attributes/file"]


def test_a_dg_group_is_submitted_and_approved_with_its_units(api: Api) -> None:
    group = api.create_generator(
        facility_name="Approved DGG",
        name="Community roofs",
        country="United States",
        state_province="MN",
        dg_group=True,
    )
    early = api.post(f"/generators/{group['id']}/submit")
    assert {
        "/data/attributes/dg_group_type",
        "/data/relationships/generator_fuels",
        "/data/relationships/dg_units",
    } <= set(pointers(early))
    api.add_fuel(group["id"])
    ids = [unit(api, group["id"], 0.0076).json()["data"]["id"] for _ in range(3)]
    body = {
        "data": {
            "type": "generators",
            "id": group["id"],
            "attributes": {"dg_group_type": "Residential", "status": "pending"},
        }
    }
    assert api.patch(f"/generators/{group['id']}", body).json()["data"]["attributes"]["status"] == (
        "pending"
    )
    assert unit(api, group["id"], 0.01).status_code == 409  # under review: no new units
    outcome = admin.approve(api.data_dir, "generator", group["id"])
    assert "3 waiting DG unit(s) approved" in outcome.detail
    statuses = {api.get(f"/dg_units/{i}").json()["data"]["attributes"]["status"] for i in ids}
    assert statuses == {"approved"}
    shown = api.get(f"/generators/{group['id']}").json()["data"]["attributes"]
    assert shown["status"] == "active" and shown["nameplate_capacity"] == pytest.approx(0.0228)
