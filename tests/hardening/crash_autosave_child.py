"""Child process for the crash test's autosave phase: a DGG draft saved the way the wizard's
session saves it (payload, issue summary and units in one transaction), as fast as it can.

Each edit stamps its sequence number into the group (reporting unit ID) and into every unit's
name; the number is printed only after the store committed it, so whatever the parent reads
is an edit the store promised to keep.
"""

from __future__ import annotations

import sys
from pathlib import Path

from desktop.models import dgg
from desktop.models.issues import summary
from desktop.store import open_store

NAME = "Crash autosave"


def main() -> None:
    data_dir, seq = Path(sys.argv[1]), int(sys.argv[2])
    store = open_store(data_dir)
    draft = store.drafts.by_name(dgg.KIND, NAME)
    group = dgg.from_json_doc(draft.payload)
    units = [dgg.unit_from_json(u) for u in store.units.list(draft.id)]
    while True:
        seq += 1
        group["reporting_unit_id"] = f"seq-{seq}"
        for i, unit in enumerate(units):
            unit["name"] = f"Unit {i} edit {seq}"
        issues = dgg.check_draft(group, units, [])
        with store.transaction() as conn:
            store.units.replace_all(draft.id, [dgg.unit_to_json(u) for u in units], conn=conn)
            store.drafts.save(
                draft.id,
                payload=dgg.to_json_doc(group),
                page="units",
                issue_count=sum(1 for i in issues if i.blocking),
                issue_summary=summary(issues),
                conn=conn,
            )
        sys.stdout.write(f"{seq}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
