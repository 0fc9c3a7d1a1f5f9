"""Broadcast delivery against a fake Bot API that enforces Telegram's limits with real 429s.

    python -m bench.broadcast [--recipients 10000] [--rate 30]

Prints the time to freeze and queue the audience, the achieved send rate against the
configured one, the 429s received, and how many recipients got nothing (must be 0).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime
from functools import partial

from bot import telegram as tg
from bot.delivery import Delivery
from bot.messages import Reply, reply_to_dict
from bot.settings import Settings
from db import repo
from db.session import Database
from tests.fakes.telegram_api import FakeTelegram, free_port, serve_in_thread


async def run(recipients: int, rate: float) -> None:
    fake = FakeTelegram(limit_per_second=rate)
    with serve_in_thread(fake.app(), free_port()) as url:
        fake.url = url
        folder = tempfile.mkdtemp(prefix="ocop-broadcast-")
        settings = Settings(
            DATABASE_URL=f"sqlite:///{folder}/b.db",
            TELEGRAM_TOKEN=fake.token,
            TELEGRAM_API_URL=fake.api_url,
            TELEGRAM_WEBHOOK_SECRET="x",
        )
        db = Database(settings.DATABASE_URL)
        await db.upgrade()
        now = datetime.now(UTC)

        def users(connection) -> None:  # type: ignore[no-untyped-def]
            for n in range(recipients):
                user = repo.new_user(
                    platform="telegram",
                    external_id=str(10_000 + n),
                    chat_id=str(10_000 + n),
                    locale="vi",
                    now=now,
                )
                user.role = "producer"
                user.consent_given = True  # announcements go only to people who agreed
                repo.insert_user(connection, user=user)

        await db.run(users)
        payload = [reply_to_dict(Reply(text="Hội chợ OCOP"))]
        began = time.perf_counter()
        people = await db.run(partial(repo.audience, roles=["producer"], provinces=[]))

        await db.run(
            partial(
                repo.enqueue_many,
                kind="broadcast",
                payload=payload,
                now=now,
                recipients=people,
                broadcast_id=1,
            )
        )
        frozen = time.perf_counter() - began
        bot = tg.make_bot(settings)
        async with bot:
            delivery = Delivery(db, {"telegram": tg.TelegramSender(bot)}, per_second=rate)
            began = time.perf_counter()
            while (await db.run(partial(repo.outbox_counts, broadcast_id=1))).get("pending", 0):
                await delivery.run_once()
                await asyncio.sleep(0.05)
            elapsed = time.perf_counter() - began
        counts = await db.run(partial(repo.outbox_counts, broadcast_id=1))
        sent = counts.get("sent", 0)
        print(f"recipients {recipients}, configured rate {rate:g} msg/s")
        print(f"freeze + enqueue: {frozen * 1000:.0f} ms")
        print(
            f"delivered {sent} in {elapsed:.1f} s: {sent / elapsed:.2f} msg/s, "
            f"{sent / elapsed / rate:.3f} of the configured rate"
        )
        print(f"429 answers received: {fake.too_many}")
        print(f"lost (no message): {recipients - sent}; outcomes {counts}")
        await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=30.0)
    args = parser.parse_args()
    asyncio.run(run(args.recipients, args.rate))


if __name__ == "__main__":
    main()
