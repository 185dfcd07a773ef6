"""Join the two branches of the schema (generation ledger, outbox) into one line again.

Revision ID: 0004
Revises: 0002, 0003
"""

from __future__ import annotations

revision = "0004"
down_revision = ("0002", "0003")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: both branches' tables exist by now."""


def downgrade() -> None:
    """Nothing to change."""
