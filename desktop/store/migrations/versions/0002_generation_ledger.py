"""The fractional-remainder ledger of generator drafts: remainders per fuel and their history.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "generation_ledger",
        sa.Column("id", sa.Integer),
        sa.Column("draft_id", sa.Integer, nullable=False),
        sa.Column("fuel", sa.Text, nullable=False),
        sa.Column("remainder_kwh", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_generation_ledger"),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["drafts.id"],
            name="fk_generation_ledger_draft_id_drafts",
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        "uq_generation_ledger_draft_fuel", "generation_ledger", ["draft_id", "fuel"], unique=True
    )
    op.create_table(
        "generation_ledger_entries",
        sa.Column("id", sa.Integer),
        sa.Column("draft_id", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("vintage", sa.String(7), nullable=False),
        sa.Column("fuel", sa.Text, nullable=False),
        sa.Column("carry_in_kwh", sa.Integer, nullable=False),
        sa.Column("added_kwh", sa.Integer, nullable=False),
        sa.Column("certificates", sa.Integer, nullable=False),
        sa.Column("carry_out_kwh", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_generation_ledger_entries"),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["drafts.id"],
            name="fk_generation_ledger_entries_draft_id_drafts",
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        "ix_generation_ledger_entries_draft",
        "generation_ledger_entries",
        ["draft_id", "position"],
    )


def downgrade() -> None:
    op.drop_table("generation_ledger_entries")
    op.drop_table("generation_ledger")
