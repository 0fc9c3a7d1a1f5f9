"""officer_changes: grants and withdrawals of officer rights

Revision ID: 0009_officers
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.models import UTCDateTime

revision = "0009_officers"
down_revision = "0008_trust"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "officer_changes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("approved", sa.Boolean(), nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_officer_changes_user_id", "officer_changes", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_officer_changes_user_id", "officer_changes")
    op.drop_table("officer_changes")
