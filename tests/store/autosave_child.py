"""Child process for the kill test: autosaves edits as fast as it can and acknowledges each.

It prints the sequence number of an edit only after the store committed it, so whatever the
parent reads from stdout is an edit the store promised to keep.
"""

from __future__ import annotations

import sys
from pathlib import Path

from desktop.store import open_store


def main() -> None:
    data_dir, start = Path(sys.argv[1]), int(sys.argv[2])
    store = open_store(data_dir)
    draft = store.drafts.by_name("dgg", "Kill test")
    seq = start
    while True:
        seq += 1
        units = [{"uid": f"u{i}", "name": f"unit {i}", "seq": seq} for i in range(50)]
        with store.transaction() as conn:  # one user action: payload and units together
            store.drafts.save(draft.id, payload={"seq": seq}, conn=conn)
            store.units.replace_all(draft.id, units, conn=conn)
        sys.stdout.write(f"{seq}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
