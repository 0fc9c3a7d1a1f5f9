"""consent on users, consent_log, erasures

Revision ID: 0006_privacy
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.models import UTCDateTime

revision = "0006_privacy"
down_revision = "0005_reeval_window"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN: a batch rebuild of `users` would drop the table, and SQLite's DROP
    # cascades to every user's rows when foreign keys are on.
    op.add_column("users", sa.Column("consent_version", sa.String(16), nullable=True))
    op.add_column(
        "users",
        sa.Column("consent_given", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "consent_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("version", sa.String(16), nullable=False),
        sa.Column("given", sa.Boolean(), nullable=False),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_consent_log_user_id", "consent_log", ["user_id"])
    op.create_table(
        "erasures",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("rows", sa.JSON(), nullable=False),
        sa.Column("erased_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_users_last_seen_at", "users", ["last_seen_at"])
    # Finding one user's rows (export, erasure) without scanning whole tables.
    op.create_index("ix_processed_updates_chat", "processed_updates", ["platform", "chat_id"])
    op.create_index("ix_outbox_chat", "outbox", ["platform", "chat_id"])
    op.create_index("ix_outbox_user_id", "outbox", ["user_id"])
    op.create_index("ix_certificates_user_id", "certificates", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_certificates_user_id", "certificates")
    op.drop_index("ix_outbox_user_id", "outbox")
    op.drop_index("ix_outbox_chat", "outbox")
    op.drop_index("ix_processed_updates_chat", "processed_updates")
    op.drop_index("ix_users_last_seen_at", "users")
    op.drop_table("erasures")
    op.drop_index("ix_consent_log_user_id", "consent_log")
    op.drop_table("consent_log")
    op.drop_column("users", "consent_given")
    op.drop_column("users", "consent_version")
