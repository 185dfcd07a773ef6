"""Drafts, DGG units and attached documents.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("status", sa.String(40), nullable=False, server_default="Draft"),
        sa.Column("payload", sa.Text, nullable=False, server_default="{}"),
        sa.Column("page", sa.String(40), nullable=False, server_default=""),
        sa.Column("issue_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("issue_summary", sa.Text, nullable=False, server_default=""),
        sa.Column("registry_id", sa.Text),
        sa.Column("registry_status", sa.String(40)),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("updated_at", sa.Float, nullable=False),
        sa.Column("deleted_at", sa.Float),
        sa.PrimaryKeyConstraint("id", name="pk_drafts"),
    )
    op.create_index(
        "uq_drafts_live_name",
        "drafts",
        ["kind", "name"],
        unique=True,
        sqlite_where=sa.text("deleted_at IS NULL"),
    )
    op.create_table(
        "units",
        sa.Column("id", sa.Integer),
        sa.Column("draft_id", sa.Integer, nullable=False),
        sa.Column("uid", sa.String(40), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_units"),
        sa.ForeignKeyConstraint(
            ["draft_id"], ["drafts.id"], name="fk_units_draft_id_drafts", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_units_draft_position", "units", ["draft_id", "position"])
    op.create_index("uq_units_draft_uid", "units", ["draft_id", "uid"], unique=True)
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer),
        sa.Column("draft_id", sa.Integer, nullable=False),
        sa.Column("unit_uid", sa.String(40)),
        sa.Column("doc_type", sa.String(60), nullable=False),
        sa.Column("filename", sa.Text, nullable=False),
        sa.Column("original_path", sa.Text, nullable=False, server_default=""),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("added_at", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
        sa.ForeignKeyConstraint(
            ["draft_id"], ["drafts.id"], name="fk_documents_draft_id_drafts", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_documents_draft", "documents", ["draft_id"])


def downgrade() -> None:
    op.drop_table("documents")
    op.drop_table("units")
    op.drop_table("drafts")
