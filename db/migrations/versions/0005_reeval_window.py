"""certificate reminders move to the re-evaluation window of QĐ 26/2026 (Điều 7.6.a)

Certificate reminders used to go out 90, 60 and 30 days before expiry (keys
`certificate:<id>:<days>`), after the window in which a re-evaluation dossier may now be filed
(180 to 120 days before expiry). Reminders of the old schedule not sent yet are moved: they are
cancelled here, marked as moved, and the clock queues the reminder the new schedule gives for
the same certificate once (keys `certificate:<id>:<expiry>:<stage>`), so nobody gets both.
Sent reminders stay as they are. Certificates get `updated_at` (reminders due before a record
was made or corrected are not sent).

Revision ID: 0005_reeval_window
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.models import UTCDateTime

revision = "0005_reeval_window"
down_revision = "0003"
branch_labels = None
depends_on = None

MOVED = "moved to the QĐ 26/2026 schedule (Điều 7.6.a)"
_outbox = sa.table(
    "outbox",
    sa.column("id", sa.Integer()),
    sa.column("dedupe_key", sa.String()),
    sa.column("status", sa.String()),
    sa.column("last_error", sa.String()),
)
_certificates = sa.table(
    "certificates",
    sa.column("created_at", UTCDateTime()),
    sa.column("updated_at", UTCDateTime()),
)


def _old_schedule_keys(connection: sa.Connection) -> list[int]:
    """Outbox rows of the 90/60/30-day schedule not sent yet: `certificate:<id>:<days>`."""
    rows = connection.execute(
        sa.select(_outbox.c.id, _outbox.c.dedupe_key).where(
            _outbox.c.dedupe_key.like("certificate:%"),
            _outbox.c.status.in_(("pending", "sending")),
        )
    ).all()
    return [
        row_id
        for row_id, key in rows
        if len(parts := key.split(":")) == 3 and parts[1].isdigit() and parts[2].isdigit()
    ]


def upgrade() -> None:
    with op.batch_alter_table("certificates") as batch:
        batch.add_column(sa.Column("updated_at", UTCDateTime(), nullable=True))
    op.execute(_certificates.update().values(updated_at=_certificates.c.created_at))
    with op.batch_alter_table("certificates") as batch:
        batch.alter_column("updated_at", existing_type=UTCDateTime(), nullable=False)
    moved = _old_schedule_keys(op.get_bind())
    if moved:
        op.execute(
            _outbox.update()
            .where(_outbox.c.id.in_(moved))
            .values(status="cancelled", last_error=MOVED)
        )


def downgrade() -> None:
    """Drops `updated_at`; moved reminders stay cancelled (the old schedule is obsolete)."""
    with op.batch_alter_table("certificates") as batch:
        batch.drop_column("updated_at")
