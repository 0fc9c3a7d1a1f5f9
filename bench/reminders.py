"""The reminder clock's tick with many producers and certificates (SQLite).

    python -m bench.reminders [--certificates 10000]

Each producer has one certificate, issued on a day spread over 2023–2026, so on 29/11/2026
their windows are in every phase. Prints the first tick (queues every due reminder), a tick
with nothing new (what the clock costs every 30 seconds), and the reminders per stage.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Connection, select

from bot.scheduler import enqueue_due_reminders
from db import repo
from db.models import Outbox
from db.session import Database

NOW = datetime(2026, 11, 29, 1, 0, tzinfo=UTC)


async def run(certificates: int) -> None:
    folder = tempfile.mkdtemp(prefix="ocop-reminders-")
    db = Database(f"sqlite:///{folder}/r.db")
    await db.upgrade()
    recorded = datetime(2023, 1, 1, tzinfo=UTC)

    def fill(connection: Connection) -> None:
        for n in range(certificates):
            user = repo.new_user(
                platform="telegram", external_id=str(n), chat_id=str(n), locale="vi", now=recorded
            )
            user.role, user.province_code = "producer", 1 + n % 34
            uid = repo.insert_user(connection, user=user)
            repo.add_certificate(
                connection,
                user_id=uid,
                product=f"Sản phẩm {n}",
                stars=3 + n % 3,
                decided_on=date(2023, 1, 1) + timedelta(days=n % 1400),
                level="central" if n % 3 == 2 else "province",
                now=recorded,
            )

    await db.run(fill)
    began = time.perf_counter()
    queued = await enqueue_due_reminders(db, NOW)
    first = time.perf_counter() - began
    began = time.perf_counter()
    again = await enqueue_due_reminders(db, NOW + timedelta(seconds=30))
    idle = time.perf_counter() - began

    def stages(connection: Connection) -> Counter[str]:
        keys = connection.execute(select(Outbox.__table__.c.dedupe_key)).scalars()
        return Counter(key.rsplit(":", 1)[-1] for key in keys if key.startswith("certificate:"))

    print(f"certificates: {certificates}")
    print(f"first tick: {queued} reminders queued in {first:.2f} s")
    print(f"next tick: {again} queued in {idle:.2f} s")
    print("by stage:", dict(sorted((await db.run(stages)).items())))
    await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--certificates", type=int, default=10_000)
    asyncio.run(run(parser.parse_args().certificates))


if __name__ == "__main__":
    main()
