"""the flood budget kept with each handled update: when the chat's budget is full again, and
the chat index ordered by it, so every process reads the latest from the index alone

Revision ID: 0011_flood_window
Revises: 0010_handover
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.models import UTCDateTime

revision = "0011_flood_window"
down_revision = "0010_handover"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("processed_updates", sa.Column("flood_full_at", UTCDateTime(), nullable=True))
    op.drop_index("ix_processed_updates_chat", "processed_updates")
    op.create_index(
        "ix_processed_updates_chat", "processed_updates", ["platform", "chat_id", "flood_full_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_processed_updates_chat", "processed_updates")
    op.create_index("ix_processed_updates_chat", "processed_updates", ["platform", "chat_id"])
    with op.batch_alter_table("processed_updates") as table:
        table.drop_column("flood_full_at")
