"""The sync outbox: queued submissions and the registry records they produced.

Revision ID: 0003
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox_items",
        sa.Column("id", sa.Integer),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("draft_id", sa.Integer),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("target", sa.String(60)),
        sa.Column("status", sa.String(20), nullable=False, server_default="queued"),
        sa.Column("plan", sa.Text, nullable=False, server_default="[]"),
        sa.Column("done", sa.Integer, nullable=False, server_default="0"),
        sa.Column("total", sa.Integer, nullable=False, server_default="0"),
        sa.Column("in_flight", sa.Text),
        sa.Column("message", sa.Text, nullable=False, server_default=""),
        sa.Column("errors", sa.Text, nullable=False, server_default="[]"),
        sa.Column("registry_id", sa.Text),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("updated_at", sa.Float, nullable=False),
        sa.Column("finished_at", sa.Float),
        sa.PrimaryKeyConstraint("id", name="pk_outbox_items"),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["drafts.id"],
            name="fk_outbox_items_draft_id_drafts",
            ondelete="SET NULL",
        ),
    )
    op.create_index("ix_outbox_items_status", "outbox_items", ["status"])
    op.create_index("ix_outbox_items_draft", "outbox_items", ["draft_id"])
    op.create_table(
        "outbox_records",
        sa.Column("id", sa.Integer),
        sa.Column("item_id", sa.Integer, nullable=False),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("resource", sa.String(40), nullable=False),
        sa.Column("registry_id", sa.Text, nullable=False),
        sa.Column("registry_status", sa.String(40)),
        sa.Column("snapshot", sa.Text, nullable=False, server_default="{}"),
        sa.Column("registry_updated_at", sa.String(40)),
        sa.Column("difference", sa.Text),
        sa.Column("acked_at", sa.Float, nullable=False),
        sa.Column("pulled_at", sa.Float),
        sa.PrimaryKeyConstraint("id", name="pk_outbox_records"),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["outbox_items.id"],
            name="fk_outbox_records_item_id_outbox_items",
            ondelete="CASCADE",
        ),
    )
    op.create_index("uq_outbox_records_item_key", "outbox_records", ["item_id", "key"], unique=True)
    op.create_index("ix_outbox_records_registry_id", "outbox_records", ["registry_id"])


def downgrade() -> None:
    op.drop_table("outbox_records")
    op.drop_table("outbox_items")
