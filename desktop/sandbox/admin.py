"""What the registry's administrator does: approve and reject records, look at them all.

These work on the sandbox's SQLite file directly (WAL lets them run while the server is up),
so a user can practise the whole cycle: submit from Registry Desk, approve here, see it active.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from desktop.sandbox import issuance, store

KINDS = ("generator", "dg_unit", "generation_entry")
TABLES = {
    "generator": "generators",
    "dg_unit": "dg_units",
    "generation_entry": "generation_entries",
}


class AdminError(Exception):
    """The record does not exist or is not in a state the action applies to."""


@dataclass(frozen=True)
class Outcome:
    kind: str
    id: str
    status: str
    detail: str = ""


def _find(conn: Any, kind: str, ident: str) -> Any:
    if kind not in TABLES:
        raise AdminError(f"KIND must be one of {', '.join(KINDS)}, not {kind!r}.")
    table = TABLES[kind]
    row = conn.execute(f"SELECT * FROM {table} WHERE id = ?", (ident,)).fetchone()
    if row is None and kind == "generator":
        row = conn.execute("SELECT * FROM generators WHERE mrets_id = ?", (ident,)).fetchone()
    if row is None:
        raise AdminError(f"No {kind.replace('_', ' ')} with id {ident!r} in this sandbox.")
    return row


def _expect(row: Any, kind: str, wanted: tuple[str, ...], action: str) -> None:
    if row["status"] not in wanted:
        raise AdminError(
            f"The {kind.replace('_', ' ')} is {row['status']}; only a "
            f"{' or '.join(wanted)} one can be {action}."
        )


def approve(data_dir: Path, kind: str, ident: str, *, today: date | None = None) -> Outcome:
    """Approve a pending generator (its waiting DG units too), a unit, or a pending entry."""
    today = today or date.today()
    store.initialise(data_dir)
    conn = store.connect(data_dir)
    try:
        with store.write(conn):
            row = _find(conn, kind, ident)
            now = store.now_iso()
            if kind == "generator":
                _expect(row, kind, ("pending",), "approved")
                conn.execute(
                    "UPDATE generators SET status = 'active', status_reason = NULL, "
                    "effective_date = ?, updated_at = ? WHERE id = ?",
                    (today.isoformat(), now, row["id"]),
                )
                units = conn.execute(
                    "UPDATE dg_units SET status = 'approved', updated_at = ? "
                    "WHERE generator_id = ? AND status = 'waiting_approval'",
                    (now, row["id"]),
                ).rowcount
                detail = f"{row['mrets_id']} is active" + (
                    f"; {units} waiting DG unit(s) approved" if units else ""
                )
                return Outcome(kind, row["id"], "active", detail)
            if kind == "dg_unit":
                _expect(row, kind, ("waiting_approval",), "approved")
                conn.execute(
                    "UPDATE dg_units SET status = 'approved', status_reason = NULL, "
                    "updated_at = ? WHERE id = ?",
                    (now, row["id"]),
                )
                return Outcome(kind, row["id"], "approved")
            _expect(row, kind, ("pending",), "approved")
            conn.execute(
                "UPDATE generation_entries SET feasibility_approved = 1 WHERE id = ?",
                (row["id"],),
            )
            issuance.process(conn, row["id"], today)
            done = conn.execute(
                "SELECT status, status_control, issued_quantity FROM generation_entries "
                "WHERE id = ?",
                (row["id"],),
            ).fetchone()
            detail = (
                f"held: {done['status_control']}"
                if done["status"] == "pending"
                else f"{done['issued_quantity']} certificate(s) issued"
            )
            return Outcome(kind, row["id"], done["status"], detail)
    finally:
        conn.close()


def reject(data_dir: Path, kind: str, ident: str, reason: str = "") -> Outcome:
    """Reject a pending generator, a waiting DG unit, or a draft/pending generation entry."""
    reason = reason.strip() or "Rejected by the sandbox administrator."
    store.initialise(data_dir)
    conn = store.connect(data_dir)
    try:
        with store.write(conn):
            row = _find(conn, kind, ident)
            now = store.now_iso()
            if kind == "generator":
                _expect(row, kind, ("pending",), "rejected")
                conn.execute(
                    "UPDATE generators SET status = 'rejected', status_reason = ?, "
                    "updated_at = ? WHERE id = ?",
                    (reason, now, row["id"]),
                )
            elif kind == "dg_unit":
                _expect(row, kind, ("waiting_approval",), "rejected")
                conn.execute(
                    "UPDATE dg_units SET status = 'rejected', status_reason = ?, updated_at = ? "
                    "WHERE id = ?",
                    (reason, now, row["id"]),
                )
            else:
                _expect(row, kind, ("draft", "pending"), "rejected")
                conn.execute(
                    "UPDATE generation_entries SET status = 'rejected', action_info = ?, "
                    "updated_at = ? WHERE id = ?",
                    (reason, now, row["id"]),
                )
            return Outcome(kind, row["id"], "rejected", reason)
    finally:
        conn.close()


def records_overview(data_dir: Path, kind: str | None = None) -> list[dict[str, Any]]:
    """Every generator, DG unit and generation entry with its status, oldest first."""
    store.initialise(data_dir)
    conn = store.connect(data_dir)
    out: list[dict[str, Any]] = []
    try:
        if kind in (None, "generator"):
            for r in conn.execute("SELECT * FROM generators ORDER BY rowid"):
                out.append(
                    {
                        "kind": "generator",
                        "id": r["id"],
                        "name": f"{r['mrets_id']} {r['facility_name']}"
                        + (" (DG group)" if r["dg_group"] else ""),
                        "status": r["status"],
                        "note": r["status_reason"] or "",
                    }
                )
        if kind in (None, "dg_unit"):
            for r in conn.execute("SELECT * FROM dg_units ORDER BY rowid"):
                name = store.loads(r["attributes"]).get("name") or ""
                out.append(
                    {
                        "kind": "dg_unit",
                        "id": r["id"],
                        "name": f"{name} ({r['nameplate_capacity_uw'] / 1000:g} kW)",
                        "status": r["status"],
                        "note": r["status_reason"] or "",
                    }
                )
        if kind in (None, "generation_entry"):
            for r in conn.execute("SELECT * FROM generation_entries ORDER BY rowid"):
                out.append(
                    {
                        "kind": "generation_entry",
                        "id": r["id"],
                        "name": f"{r['period_start']}..{r['period_end']} "
                        f"{r['quantity_wh'] / 1_000_000:g} MWh",
                        "status": r["status"],
                        "note": r["status_control"] or r["action_info"] or "",
                    }
                )
    finally:
        conn.close()
    return out
