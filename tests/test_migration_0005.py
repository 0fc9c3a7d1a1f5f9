"""Migration 0005 on a database with data (SQLite, or PostgreSQL with TEST_DATABASE_URL):
certificate reminders of the old 90/60/30-day schedule that were not sent move to the
re-evaluation window of QĐ 26/2026 (Điều 7.6.a, 12.3) without being duplicated; sent ones stay."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import partial
from importlib import resources

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from bot.scheduler import enqueue_due_reminders
from bot.settings import Settings
from db.models import UTCDateTime
from db.session import Database

NOW = datetime(2026, 11, 29, 1, 0, tzinfo=UTC)
BEFORE = datetime(2026, 9, 2, 1, 0, tzinfo=UTC)

users = sa.table(
    "users",
    *(sa.column(c) for c in ("id", "platform", "external_id", "chat_id", "display_name")),
    *(sa.column(c) for c in ("role", "officer_approved", "locale", "province_code", "active")),
    sa.column("created_at", UTCDateTime()),
    sa.column("last_seen_at", UTCDateTime()),
)
certificates = sa.table(
    "certificates",
    *(sa.column(c) for c in ("id", "user_id", "product", "stars", "level")),
    sa.column("decided_on", sa.Date()),
    sa.column("created_at", UTCDateTime()),
)
outbox = sa.table(
    "outbox",
    *(sa.column(c) for c in ("id", "platform", "chat_id", "user_id", "kind", "dedupe_key")),
    *(sa.column(c) for c in ("status", "attempts", "last_error")),
    sa.column("payload", sa.JSON()),
    sa.column("next_attempt_at", UTCDateTime()),
    sa.column("created_at", UTCDateTime()),
    sa.column("sent_at", UTCDateTime()),
)


def migrate(connection: sa.Connection, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(resources.files("db").joinpath("migrations")))
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def old_data(connection: sa.Connection) -> None:
    """A producer with a certificate issued 1/12/2023 (expires 1/12/2026): the old 90-day
    reminder was sent on 2/9/2026, the 60-day one is still pending; a deadline reminder too."""
    connection.execute(
        users.insert().values(
            id=1,
            platform="telegram",
            external_id="42",
            chat_id="42",
            display_name="Lan",
            role="producer",
            officer_approved=False,
            locale="vi",
            province_code=1,
            active=True,
            created_at=BEFORE,
            last_seen_at=BEFORE,
        )
    )
    connection.execute(
        certificates.insert().values(
            id=7,
            user_id=1,
            product="Mật ong",
            stars=4,
            level="province",
            decided_on=date(2023, 12, 1),
            created_at=datetime(2023, 12, 5, tzinfo=UTC),
        )
    )
    common = {"platform": "telegram", "chat_id": "42", "user_id": 1, "kind": "reminder"}
    common |= {"attempts": 0, "last_error": "", "next_attempt_at": BEFORE, "created_at": BEFORE}
    old_text = [{"text": "📜 … hết hạn ngày 01/12/2026 (còn 90 ngày)."}]
    connection.execute(
        outbox.insert(),
        [
            {**common, "dedupe_key": "certificate:7:90", "status": "sent",
             "payload": old_text, "sent_at": BEFORE},
            {**common, "dedupe_key": "certificate:7:60", "status": "pending",
             "payload": old_text, "sent_at": None},
            {**common, "dedupe_key": "deadline:3:1781000000:1:7d", "status": "pending",
             "payload": [{"text": "⏰"}], "sent_at": None},
        ],
    )  # fmt: skip


def rows(connection: sa.Connection) -> list[tuple[str, str, str]]:
    found = connection.execute(
        sa.select(outbox.c.dedupe_key, outbox.c.status, outbox.c.last_error)
        .order_by(outbox.c.id)
    ).all()  # fmt: skip
    return [tuple(r) for r in found]  # type: ignore[misc]


async def test_old_reminders_move_to_the_window_sent_ones_stay(empty_database_url: str) -> None:
    db = Database(Settings(DATABASE_URL=empty_database_url).DATABASE_URL)
    await db.run(partial(migrate, revision="0003"))
    await db.run(old_data)
    await db.upgrade()
    moved = "moved to the QĐ 26/2026 schedule (Điều 7.6.a)"
    assert await db.run(rows) == [
        ("certificate:7:90", "sent", ""),  # sent: stays
        ("certificate:7:60", "cancelled", moved),  # not sent: moved, never sent as it was
        ("deadline:3:1781000000:1:7d", "pending", ""),  # not a certificate: untouched
    ]
    updated = await db.run(
        lambda c: c.execute(sa.text("SELECT updated_at FROM certificates")).scalar_one()
    )
    assert updated is not None
    # The clock queues the new schedule's reminder once: the window (4/6 – 3/8/2026) passed,
    # so Điều 12.3 (valid until the decision, at most until 30/5/2027).
    assert await enqueue_due_reminders(db, NOW) == 1
    assert await enqueue_due_reminders(db, NOW) == 0
    after = await db.run(rows)
    assert after == [
        ("certificate:7:90", "sent", ""),
        ("certificate:7:60", "cancelled", moved),
        ("deadline:3:1781000000:1:7d", "pending", ""),
        ("certificate:7:2026-12-01:late", "pending", ""),
    ]
    new = outbox.c.dedupe_key == "certificate:7:2026-12-01:late"
    text = await db.run(
        lambda c: c.execute(sa.select(outbox.c.payload).where(new)).scalar_one()[0]["text"]
    )
    assert "Điều 12.3" in text and "đến 30/05/2027" in text and "Mật ong" in text
    await db.dispose()
