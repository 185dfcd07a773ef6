"""LiveIssues (the window's count) always equals draft_issues (the count `dgg check` and the
drafts list use), whatever the edits, and the command line and the store agree."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.models import dgg
from desktop.models.dgg_example import example_group
from desktop.services.dgg import LiveIssues, count, draft_issues
from desktop.services.units import save_units
from desktop.store import open_store
from tests.dgg.document_folders import group_units, make_group

TODAY = date(2026, 6, 1)


def test_live_issues_equal_draft_issues_through_random_edits() -> None:
    rng = random.Random(5)
    group = example_group()
    units = group_units(60)
    docs: list[dict[str, str]] = []
    live = LiveIssues(TODAY)
    for step in range(150):
        action = rng.randrange(7)
        row = rng.randrange(len(units)) if units else 0
        if action == 0 and units:  # an edit replaces the unit
            units[row] = {**units[row], "capacity_mw": rng.choice([0.0001, 1.4, "x", None])}
        elif action == 1 and units:  # a unit changed in place must be announced
            units[row]["meter_id"] = rng.choice(["XE-4400001", "XE-9", None])
            live.forget()
        elif action == 2 and units:
            del units[row]
        elif action == 3:
            units.insert(row, group_units(1)[0] | {"uid": f"new-{step}"})
        elif action == 4:
            group = {**group, "state_province": rng.choice(["Minnesota", "Iowa"])}
        elif action == 5 and units:
            units[row] = {**units[row], "owned_by_org": rng.choice([True, False])}
            units[row - 1] = {**units[row - 1], "customer_type": rng.choice(["Commercial", " "])}
        elif units:
            uid = str(units[row]["uid"])
            doc_type = rng.choice(["Schedule A", "Interconnection Agreement"])
            docs = [*docs, {"unit_uid": uid, "doc_type": doc_type}]  # a new list, as stored
        expected = draft_issues(group, units, docs, today=TODAY)
        assert live.issues(group, units, docs) == expected, f"step {step}, action {action}"


def test_dgg_check_dgg_list_and_the_stored_summary_agree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    with open_store(data) as store:
        draft_id, units = make_group(store, "Maple", 30)
        units[3] = {**units[3], "capacity_mw": 1.2}  # over 1 MW: an error in every view
        units[4] = {**units[4], "meter_id": units[5]["meter_id"]}
        save_units(store, draft_id, units)  # what the units grid's autosave writes
    main(["dgg", "check", "Maple", "--json", "--data-dir", str(data)])
    checked = json.loads(capsys.readouterr().out)
    main(["dgg", "list", "--json", "--data-dir", str(data)])
    listed = json.loads(capsys.readouterr().out)[0]
    assert listed["issue_summary"] == checked["summary"]
    errors = [i for i in checked["issues"] if i["severity"] == "error"]
    assert listed["issue_count"] == len(errors)
    with open_store(data) as store:
        group = dgg.from_json_doc(store.drafts.by_name("dgg", "Maple").payload)
        units_now = [dgg.unit_from_json(u) for u in store.units.list(draft_id)]
    assert count(draft_issues(group, units_now, [])).summary == checked["summary"]
    size = [i for i in checked["issues"] if i["field"] == "capacity_mw"]
    assert [i["severity"] for i in size] == ["error", "error"]  # the unit, and the group total
