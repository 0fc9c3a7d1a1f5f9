"""hand-overs to officers, unanswered questions, officer FAQ entries, dashboard logins

Revision ID: 0010_handover
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.models import UTCDateTime

revision = "0010_handover"
down_revision = "0009_officers"
branch_labels = None
depends_on = None


def _user(name: str, ondelete: str, nullable: bool) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        name, sa.Integer(), sa.ForeignKey("users.id", ondelete=ondelete), nullable=nullable
    )


def upgrade() -> None:
    op.create_table(
        "handovers",
        sa.Column("id", sa.Integer(), primary_key=True),
        _user("user_id", "CASCADE", False),
        sa.Column("province_code", sa.Integer(), nullable=True),
        sa.Column("question", sa.String(2000), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        _user("officer_id", "SET NULL", True),
        sa.Column("opened_at", UTCDateTime(), nullable=False),
        sa.Column("claimed_at", UTCDateTime(), nullable=True),
        sa.Column("reminded_at", UTCDateTime(), nullable=True),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column("closed_by", sa.String(16), nullable=False),
    )
    op.create_index("ix_handovers_user_status", "handovers", ["user_id", "status"])
    op.create_index("ix_handovers_status_opened", "handovers", ["status", "opened_at"])
    op.create_table(
        "handover_messages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "handover_id",
            sa.Integer(),
            sa.ForeignKey("handovers.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("sender", sa.String(16), nullable=False),
        sa.Column("text", sa.String(4000), nullable=False),
        sa.Column("delivered", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_handover_messages_handover", "handover_messages", ["handover_id"])
    op.create_table(
        "unanswered",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("text", sa.String(500), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        _user("user_id", "SET NULL", True),
        sa.Column("province_code", sa.Integer(), nullable=True),
        sa.Column("locale", sa.String(8), nullable=False),
        sa.Column("resolved_by", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_unanswered_created", "unanswered", ["created_at"])
    op.create_table(
        "officer_faq",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("answer_vi", sa.String(4000), nullable=False),
        sa.Column("answer_en", sa.String(4000), nullable=False),
        sa.Column("legal_basis", sa.String(500), nullable=False),
        sa.Column("province_code", sa.Integer(), nullable=True),
        _user("created_by", "SET NULL", True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "dashboard_logins",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        _user("user_id", "CASCADE", False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("dashboard_logins")
    op.drop_table("officer_faq")
    op.drop_table("unanswered")
    op.drop_index("ix_handover_messages_handover", table_name="handover_messages")
    op.drop_table("handover_messages")
    op.drop_index("ix_handovers_status_opened", table_name="handovers")
    op.drop_index("ix_handovers_user_status", table_name="handovers")
    op.drop_table("handovers")
