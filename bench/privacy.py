"""Personal-data operations on a populated SQLite database.

    python -m bench.privacy [--users 5000] [--updates-per-user 10]

Each user has a conversation, one assessment, a consent record, a queued reminder and
`--updates-per-user` handled updates. Prints the time to export one user, to erase one user,
to back the database up, and to prune half the users as inactive (`ocop-bot db prune`).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from sqlalchemy import Connection, insert

from bot.privacy_cli import backup
from bot.retention import apply_retention
from bot.settings import Settings
from db import privacy, repo
from db.models import ProcessedUpdate
from db.session import Database

NOW = datetime.now(UTC)


def populate(connection: Connection, *, users: int, updates: int) -> None:
    """Users half of whom were last seen two years ago."""
    rows = []
    for n in range(users):
        seen = NOW - timedelta(days=800) if n % 2 else NOW
        user = repo.new_user(
            platform="telegram", external_id=str(n), chat_id=str(n), locale="vi", now=seen
        )
        user.role, user.consent_version, user.consent_given = "producer", "v1", True
        uid = repo.insert_user(connection, user=user)
        repo.save_conversation(
            connection, user_id=uid, read_version=None, flow="", step="", data={}, now=seen
        )
        repo.start_assessment(
            connection,
            assessment_id=f"a{n}",
            user_id=uid,
            sheet_key="k",
            set_code="che",
            product_name="Chè",
            now=seen,
        )
        privacy.record_consent(
            connection, user_id=uid, version="v1", given=True, platform="telegram", at=seen
        )
        repo.enqueue(
            connection,
            platform="telegram",
            chat_id=str(n),
            user_id=uid,
            kind="reminder",
            payload=[{"text": "nhắc"}],
            now=NOW,
        )
        rows += [
            {
                "platform": "telegram",
                "update_id": f"{n}-{u}",
                "chat_id": str(n),
                "replies": [{"text": "menu"}],
                "sent_at": NOW,
                "created_at": NOW,
            }
            for u in range(updates)
        ]
    connection.execute(insert(ProcessedUpdate), rows)


async def run(users: int, updates: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="ocop-privacy-"))
    settings = Settings(DATABASE_URL=f"sqlite:///{folder}/p.db", INACTIVE_USER_DAYS=730)
    db = Database(settings.DATABASE_URL)
    await db.upgrade()
    await db.run(partial(populate, users=users, updates=updates))
    print(f"{users} users, {users * updates} handled updates, {users} outbox rows")

    began = time.perf_counter()
    held = await db.run(partial(privacy.export_user, user_id=1, now=NOW))
    print(f"export one user: {(time.perf_counter() - began) * 1000:.1f} ms, {len(held)} sections")

    began = time.perf_counter()
    await db.run(partial(privacy.erase_user, user_id=2, reason="request", now=NOW))
    print(f"erase one user: {(time.perf_counter() - began) * 1000:.1f} ms")

    began = time.perf_counter()
    backup(settings, folder / "copy.db")
    print(f"backup: {(time.perf_counter() - began) * 1000:.0f} ms")

    began = time.perf_counter()
    counts = await apply_retention(db, settings, NOW, inactive_users=True)
    spent = time.perf_counter() - began
    print(
        f"prune: {counts['users']} inactive users erased in {spent:.2f} s "
        f"({spent / max(counts['users'], 1) * 1000:.1f} ms each)"
    )
    await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=5000)
    parser.add_argument("--updates-per-user", type=int, default=10)
    args = parser.parse_args()
    asyncio.run(run(args.users, args.updates_per_user))


if __name__ == "__main__":
    main()
