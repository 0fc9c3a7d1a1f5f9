"""Crash safety with real processes: `ocop-bot worker` killed with SIGKILL mid-broadcast and
restarted delivers to everyone, duplicates bounded by the messages in flight; reminders go out
once across restarts; two delivery loops never send the same row."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest

from bot import telegram as tg
from bot.delivery import Delivery
from bot.settings import Settings
from db import repo
from db.session import Database
from tests import processes
from tests.fakes.telegram_api import FakeTelegram
from tests.processes import BotProcess

CONCURRENCY = 16  # Delivery's default number of sends in flight


async def seed(settings: Settings, recipients: int, *, with_deadline: bool = False) -> Database:
    db = Database(settings.DATABASE_URL)
    await db.upgrade()
    now = datetime.now(UTC)

    def add(connection) -> None:  # type: ignore[no-untyped-def]
        for n in range(recipients):
            user = repo.new_user(
                platform="telegram",
                external_id=str(20_000 + n),
                chat_id=str(20_000 + n),
                locale="vi",
                now=now,
            )
            user.role, user.province_code = "producer", 1
            user_id = repo.insert_user(connection, user=user)
            repo.enqueue(
                connection,
                platform="telegram",
                chat_id=user.chat_id,
                user_id=user_id,
                kind="broadcast",
                payload=[{"text": "Thông báo hội chợ"}],
                now=now,
                broadcast_id=9,
                dedupe_key=f"broadcast:9:{user_id}",
            )
        if with_deadline:
            repo.add_deadline(
                connection,
                title="Hạn nộp hồ sơ",
                due_at=now + timedelta(days=20),
                provinces=[1],
                link="",
                created_by=None,
                now=now,
            )

    await db.run(add)
    return db


def worker(settings: Settings, rate: int) -> BotProcess:
    env = {
        **os.environ,
        "DATABASE_URL": settings.DATABASE_URL,
        "TELEGRAM_TOKEN": settings.TELEGRAM_TOKEN,
        "TELEGRAM_API_URL": settings.TELEGRAM_API_URL,
        "SEND_RATE": str(rate),
        "LOG_LEVEL": "WARNING",
    }
    return processes.start(["worker"], env)


def wait_for(condition, timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


def texts_by_chat(fake: FakeTelegram, prefix: str) -> Counter[str]:
    return Counter(
        c.params["chat_id"] for c in fake.of("sendMessage") if c.params["text"].startswith(prefix)
    )


@pytest.mark.waits
async def test_kill_9_mid_broadcast_loses_nothing(
    settings: Settings, telegram_api: FakeTelegram
) -> None:
    recipients = 80
    db = await seed(settings, recipients, with_deadline=True)
    first = worker(settings, rate=40)
    wait_for(lambda: len(texts_by_chat(telegram_api, "Thông báo")) >= 30)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    before_restart = sum(texts_by_chat(telegram_api, "Thông báo").values())
    assert before_restart < recipients, "the kill must land mid-broadcast"
    second = worker(settings, rate=200)  # slow only where the kill must land
    try:
        wait_for(lambda: len(texts_by_chat(telegram_api, "Thông báo")) == recipients)
        wait_for(lambda: len(texts_by_chat(telegram_api, "⏰")) == recipients)
    finally:
        second.send_signal(signal.SIGKILL)
        second.wait(timeout=10)
    sent = texts_by_chat(telegram_api, "Thông báo")
    duplicates = sum(count - 1 for count in sent.values())
    assert duplicates <= CONCURRENCY
    # The 30-day reminder went to everyone once, though two workers started ticking.
    assert set(texts_by_chat(telegram_api, "⏰").values()) == {1}
    counts = await db.run(partial(repo.outbox_counts, broadcast_id=9))
    assert counts == {"sent": recipients}
    await db.dispose()


async def test_two_delivery_loops_never_send_a_row_twice(
    settings: Settings, telegram_api: FakeTelegram
) -> None:
    recipients = 120
    db = await seed(settings, recipients)
    second_db = Database(settings.DATABASE_URL)
    bot = tg.make_bot(settings)
    async with bot:
        sender = tg.TelegramSender(bot)
        loops = [
            Delivery(db, {"telegram": sender}, per_second=500, batch=7),
            Delivery(second_db, {"telegram": sender}, per_second=500, batch=7),
        ]

        async def drain(delivery: Delivery) -> None:
            while await delivery.run_once():
                await asyncio.sleep(0)

        await asyncio.gather(*(drain(d) for d in loops))
    sent = texts_by_chat(telegram_api, "Thông báo")
    assert len(sent) == recipients and set(sent.values()) == {1}
    await second_db.dispose()
    await db.dispose()


async def test_a_second_worker_stays_passive(settings: Settings) -> None:
    """One worker at a time: PostgreSQL's advisory lock, SQLite's lock file beside the
    database (`serve --workers N`); the standby takes over once the first one lets go."""
    from bot.worker import Worker

    first_db, second_db = Database(settings.DATABASE_URL), Database(settings.DATABASE_URL)
    await first_db.upgrade()
    first, second = Worker(first_db, {}, settings), Worker(second_db, {}, settings)
    assert await first._acquire() is True
    assert await second._acquire() is False
    await first._release()  # the first one stops
    assert await second._acquire() is True
    await second._release()
    await first_db.dispose()
    await second_db.dispose()
