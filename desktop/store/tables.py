"""The store's tables (SQLAlchemy Core). The schema changes only through a migration."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    text,
)

# Named constraints: Alembic's batch mode on SQLite needs names to alter them later.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# One row per draft of any kind ("dgg", "btmg", "generator"). The record's own fields are a JSON
# document written by the domain's to_json; list columns (status, issues) are denormalised so that
# draft lists never parse payloads.
drafts = Table(
    "drafts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("name", Text, nullable=False),
    Column("status", String(40), nullable=False, server_default="Draft"),
    Column("payload", Text, nullable=False, server_default="{}"),
    Column("page", String(40), nullable=False, server_default=""),
    Column("issue_count", Integer, nullable=False, server_default="0"),
    Column("issue_summary", Text, nullable=False, server_default=""),
    Column("registry_id", Text),
    Column("registry_status", String(40)),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Column("deleted_at", Float),
)
Index(
    "uq_drafts_live_name",
    drafts.c.kind,
    drafts.c.name,
    unique=True,
    sqlite_where=text("deleted_at IS NULL"),
)

# DGG units: a table of their own because groups hold thousands and the grid saves them in bulk.
units = Table(
    "units",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("draft_id", Integer, ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False),
    Column("uid", String(40), nullable=False),
    Column("position", Integer, nullable=False),
    Column("data", Text, nullable=False),
)
Index("ix_units_draft_position", units.c.draft_id, units.c.position)
Index("uq_units_draft_uid", units.c.draft_id, units.c.uid, unique=True)

# Attached files are copied into the store so that a draft is complete on its own; the SHA-256
# lets the app tell when the original on disk has changed since it was attached.
documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("draft_id", Integer, ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False),
    Column("unit_uid", String(40)),
    Column("doc_type", String(60), nullable=False),
    Column("filename", Text, nullable=False),
    Column("original_path", Text, nullable=False, server_default=""),
    Column("sha256", String(64), nullable=False),
    Column("size", Integer, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("added_at", Float, nullable=False),
)
Index("ix_documents_draft", documents.c.draft_id)

# The fractional-remainder ledger of generator drafts (decisions.md, "Fractional remainder"):
# the kWh carried per fuel, and the months that moved it. Whole kWh, so nothing is rounded away.
generation_ledger = Table(
    "generation_ledger",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("draft_id", Integer, ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False),
    Column("fuel", Text, nullable=False),
    Column("remainder_kwh", Integer, nullable=False),
)
Index(
    "uq_generation_ledger_draft_fuel",
    generation_ledger.c.draft_id,
    generation_ledger.c.fuel,
    unique=True,
)

generation_ledger_entries = Table(
    "generation_ledger_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("draft_id", Integer, ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("vintage", String(7), nullable=False),
    Column("fuel", Text, nullable=False),
    Column("carry_in_kwh", Integer, nullable=False),
    Column("added_kwh", Integer, nullable=False),
    Column("certificates", Integer, nullable=False),
    Column("carry_out_kwh", Integer, nullable=False),
)
Index(
    "ix_generation_ledger_entries_draft",
    generation_ledger_entries.c.draft_id,
    generation_ledger_entries.c.position,
)

# The boundary-hour carry (docs/generation.md, "Hourly files across month edges"): the hours
# at each end of a generator's earlier builds, by M-RETS ID (the command line builds without a
# draft), UTC minute of the hour's start, and kWh. A later build takes a month's missing
# boundary hour from here when its own input does not hold it.
generation_boundary_hours = Table(
    "generation_boundary_hours",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("generator_id", Text, nullable=False),
    Column("hour_start", Integer, nullable=False),
    Column("kwh", Float, nullable=False),
    Column("kept_at", Float, nullable=False),
)
Index(
    "uq_generation_boundary_hours_generator_hour",
    generation_boundary_hours.c.generator_id,
    generation_boundary_hours.c.hour_start,
    unique=True,
)

# The sync outbox (desktop/sync/outbox.py): one item per submission the user queued (a DGG
# registration, a batch of generation entries). `plan` is the list of registry requests the
# payload builders made at queue time; each request the registry acknowledged becomes an
# `outbox_records` row with the registry's id, so a resumed or retried item never sends a
# record twice. Only acknowledged records are ever marked sent.
outbox_items = Table(
    "outbox_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("draft_id", Integer, ForeignKey("drafts.id", ondelete="SET NULL")),
    Column("title", Text, nullable=False),
    Column("target", String(60)),
    Column("status", String(20), nullable=False, server_default="queued"),
    Column("plan", Text, nullable=False, server_default="[]"),
    Column("done", Integer, nullable=False, server_default="0"),
    Column("total", Integer, nullable=False, server_default="0"),
    Column("in_flight", Text),
    Column("message", Text, nullable=False, server_default=""),
    Column("errors", Text, nullable=False, server_default="[]"),
    Column("registry_id", Text),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Column("finished_at", Float),
)
Index("ix_outbox_items_status", outbox_items.c.status)
Index("ix_outbox_items_draft", outbox_items.c.draft_id)

outbox_records = Table(
    "outbox_records",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("item_id", Integer, ForeignKey("outbox_items.id", ondelete="CASCADE"), nullable=False),
    Column("key", Text, nullable=False),
    Column("resource", String(40), nullable=False),
    Column("registry_id", Text, nullable=False),
    Column("registry_status", String(40)),
    Column("snapshot", Text, nullable=False, server_default="{}"),
    Column("registry_updated_at", String(40)),
    Column("difference", Text),
    Column("acked_at", Float, nullable=False),
    Column("pulled_at", Float),
)
Index("uq_outbox_records_item_key", outbox_records.c.item_id, outbox_records.c.key, unique=True)
Index("ix_outbox_records_registry_id", outbox_records.c.registry_id)
