"""The boundary-hour carry: hours at the ends of earlier generation builds, per generator.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "generation_boundary_hours",
        sa.Column("id", sa.Integer),
        sa.Column("generator_id", sa.Text, nullable=False),
        sa.Column("hour_start", sa.Integer, nullable=False),
        sa.Column("kwh", sa.Float, nullable=False),
        sa.Column("kept_at", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_generation_boundary_hours"),
    )
    op.create_index(
        "uq_generation_boundary_hours_generator_hour",
        "generation_boundary_hours",
        ["generator_id", "hour_start"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_table("generation_boundary_hours")
