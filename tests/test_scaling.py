"""Past one process (README "Scaling"): webhook instances that share only the database and
the metrics directory, one worker sending at a time, with real processes on real sockets."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sqlite3
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Connection, select, text
from sqlalchemy.engine import make_url

from bot import telegram as tg
from bot.delivery import Delivery
from bot.messages import Reply, merge_replies, reply_from_dict
from bot.settings import Settings
from bot.worker import Worker
from db import repo
from db.models import Outbox, ProcessedUpdate
from db.repo.outbox import REPLY
from db.session import Database
from knowledge.places import places, short_key
from tests import processes
from tests.conftest import SECRET, post_update
from tests.factories import tg_callback, tg_message
from tests.fakes.telegram_api import Call, FakeTelegram, forward_webhook_answer, free_port
from tests.test_crash import seed, texts_by_chat, wait_for

SEND = ("sendMessage", "sendVenue", "sendLocation", "sendPhoto", "sendDocument")


def bot_env(settings: Settings, **extra: str) -> dict[str, str]:
    """The environment of a bot process on the test database and the fake Bot API."""
    return {
        **os.environ,
        "DATABASE_URL": settings.DATABASE_URL,
        "TELEGRAM_TOKEN": settings.TELEGRAM_TOKEN,
        "TELEGRAM_API_URL": settings.TELEGRAM_API_URL,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "LOG_LEVEL": "WARNING",
        **extra,
    }


@contextmanager
def running(*commands: tuple[list[str], str], env: dict[str, str], logs: Path) -> Iterator[None]:
    """`python -m bot.cli ARGS` for each (ARGS, ready URL), started together; the block runs
    once every ready URL answers 200, and the processes get SIGTERM when it ends."""
    procs = [
        processes.start(args, env, output=logs / f"{args[0]}{n}.log")
        for n, (args, _) in enumerate(commands)
    ]
    try:
        deadline = time.monotonic() + 60
        for n, (proc, (args, ready)) in enumerate(zip(procs, commands, strict=True)):
            while not answers(ready):
                log = (logs / f"{args[0]}{n}.log").read_text()
                assert proc.poll() is None and time.monotonic() < deadline, log
                time.sleep(0.1)
        yield
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:  # connections a failed test left open
                proc.kill()
                proc.wait()


def answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def serve(*args: str) -> tuple[list[str], str]:
    """`serve` on a free port, ready once /healthz answers."""
    port = free_port()
    return ["serve", "--port", str(port), *args], f"http://127.0.0.1:{port}/healthz"


def worker() -> tuple[list[str], str]:
    """`worker` with its metrics on a free port, ready once they answer."""
    port = free_port()
    return ["worker", "--metrics-port", str(port)], f"http://127.0.0.1:{port}/metrics"


def base(command: tuple[list[str], str]) -> str:
    return command[1].rsplit("/", 1)[0]


def scraped(url: str, name: str, **labels: str) -> float:
    """The sum of a counter's samples (matching `labels`) on one /metrics page."""
    page = httpx.get(f"{url}/metrics", timeout=10).text
    return sum(
        sample.value
        for family in text_string_to_metric_families(page)
        for sample in family.samples
        if sample.name == name and labels.items() <= sample.labels.items()
    )


def post(url: str, update: dict[str, Any]) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    response = httpx.post(f"{url}/telegram/webhook", json=update, headers=headers, timeout=30)
    assert response.status_code == 200


@pytest.mark.waits
def test_counters_of_two_server_processes_add_up(settings: Settings, tmp_path: Path) -> None:
    """Two `serve` processes sharing PROMETHEUS_MULTIPROC_DIR: either one's /metrics counts
    the updates of both (per process, they would say 3 and 4)."""
    shared = tmp_path / "metrics"
    shared.mkdir()
    env = bot_env(settings, PROMETHEUS_MULTIPROC_DIR=str(shared))
    a, b = serve(), serve()
    with running(a, b, env=env, logs=tmp_path):
        for n in range(3):
            post(base(a), tg_message("/help", user_id=700 + n))
        for n in range(4):
            post(base(b), tg_message("/help", user_id=800 + n))
        for url in (base(a), base(b)):
            assert scraped(url, "ocop_updates_total", type="message") == 7
            assert scraped(url, "ocop_handler_seconds_count") == 7


@pytest.mark.waits
def test_serve_with_two_workers_reports_the_updates_of_both_and_each_logs_redacted(
    settings: Settings, tmp_path: Path
) -> None:
    """`serve --workers 2` makes the shared directory itself: every scrape, whichever worker
    answers it, counts every update (each request on a new connection, so both get some).
    Each worker logs through the same set-up as the parent: a revoked token makes
    python-telegram-bot name it in its error ("The token `…` was rejected"); in every worker
    it comes out redacted, in our format, and INFO lines stay out at WARNING."""
    revoked = "999999:REVOKED-token-xyz"
    command = serve("--workers", "2")
    url = base(command)
    log = tmp_path / "serve0.log"
    with running(command, env=bot_env(settings, TELEGRAM_TOKEN=revoked), logs=tmp_path):
        for n in range(12):
            post(url, tg_message("/help", user_id=900 + n))
        assert {scraped(url, "ocop_updates_total", type="message") for _ in range(6)} == {12}
        wait_for(lambda: log.read_text(errors="replace").count("getMe failed") >= 2)
    text = log.read_text(errors="replace")
    assert revoked not in text
    warnings = [line for line in text.splitlines() if "getMe failed" in line]
    assert len(warnings) == 2
    for line in warnings:
        assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} WARNING bot\.senders: ", line)
        assert "[redacted]" in line
    assert " INFO " not in text


def paced_within(times: list[float], per_second: float) -> bool:
    """The sends kept to `per_second` on average (10 % for jitter at the ends), and no
    one-second window held more than a few over it (arrivals at the fake bunch when a loaded
    machine stalls it; two senders would fill windows with twice the rate)."""
    times = sorted(times)
    average = (len(times) - 1) / (times[-1] - times[0])
    return average <= per_second * 1.1 and all(
        sum(1 for t in times[i:] if t - start < 1.0) <= per_second + 3
        for i, start in enumerate(times)
    )


@pytest.mark.waits
async def test_two_workers_on_one_database_send_once_within_the_global_rate(
    settings: Settings, telegram_api: FakeTelegram
) -> None:
    """Two workers on one database (SQLite: a lock file; PostgreSQL: an advisory lock): one
    sends, the other stands by, so the broadcast keeps the configured rate, not twice it."""
    rate, recipients = 20, 50
    db = await seed(settings, recipients)
    limited = settings.model_copy(update={"SEND_RATE": rate})
    other_db = Database(settings.DATABASE_URL)
    bot = tg.make_bot(settings)
    async with bot:
        sender = tg.TelegramSender(bot)
        workers = [
            Worker(d, {"telegram": sender}, limited, retry_every=0.1) for d in (db, other_db)
        ]
        for w in workers:
            await w.start()
        try:
            for _ in range(300):
                if len(texts_by_chat(telegram_api, "Thông báo")) == recipients:
                    break
                await asyncio.sleep(0.05)
            assert sorted(w.active for w in workers) == [False, True]
        finally:
            for w in workers:
                await w.stop()
    sent = texts_by_chat(telegram_api, "Thông báo")
    assert len(sent) == recipients and set(sent.values()) == {1}
    times = [c.at for c in telegram_api.of("sendMessage")]
    assert paced_within(times, rate)
    await other_db.dispose()
    await db.dispose()


@pytest.mark.waits
@pytest.mark.postgres
async def test_a_worker_that_loses_its_lock_stops_and_the_standby_takes_over(
    settings: Settings, telegram_api: FakeTelegram
) -> None:
    """The lock's connection is killed mid-broadcast (a PostgreSQL restart, a network cut):
    the worker stops sending within a second, the standby takes over, nobody gets it twice."""
    recipients = 60
    db = await seed(settings, recipients)
    limited = settings.model_copy(update={"SEND_RATE": 20})
    other_db = Database(settings.DATABASE_URL)
    bot = tg.make_bot(settings)
    async with bot:
        sender = tg.TelegramSender(bot)
        first = Worker(db, {"telegram": sender}, limited, retry_every=0.1)
        await first.start()
        for _ in range(100):
            if first.active:
                break
            await asyncio.sleep(0.05)
        second = Worker(other_db, {"telegram": sender}, limited, retry_every=0.1)
        await second.start()
        try:
            while len(texts_by_chat(telegram_api, "Thông báo")) < 15:
                await asyncio.sleep(0.05)
            await db.run(
                lambda c: c.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_locks"
                        " WHERE locktype = 'advisory' AND objid = 7242026 AND granted"
                        " AND database = (SELECT oid FROM pg_database"
                        " WHERE datname = current_database())"
                    )
                ).all()
            )
            for _ in range(200):
                if not first.active and second.active:
                    break
                await asyncio.sleep(0.05)
            assert (first.active, second.active) == (False, True)
            for _ in range(300):
                if len(texts_by_chat(telegram_api, "Thông báo")) == recipients:
                    break
                await asyncio.sleep(0.05)
        finally:
            await first.stop()
            await second.stop()
    sent = texts_by_chat(telegram_api, "Thông báo")
    assert len(sent) == recipients and set(sent.values()) == {1}
    assert await db.run(partial(repo.outbox_counts, broadcast_id=9)) == {"sent": recipients}
    await other_db.dispose()
    await db.dispose()


OFFICER = 4242
ANNOUNCEMENT = "Hội chợ OCOP toàn quốc"
JOIN = ("/start", "cs:yes:v1")
TALK = ("/help", "mat ong", "m:menu", "ocop la gi", (21.0285, 105.8542), "/menu")


def update_for(step: str | tuple[float, float], user: int) -> dict[str, Any]:
    if isinstance(step, tuple):
        return tg_message(location=step, user_id=user)
    if ":" in step and not step.startswith("/"):
        return tg_callback(step, user_id=user)
    return tg_message(step, user_id=user)


def is_broadcast(call: Call) -> bool:
    """A message of the announcement (the officer's preview of it is not)."""
    text = str(call.params.get("text", ""))
    return call.method == "sendMessage" and text.startswith("📣") and ANNOUNCEMENT in text


class Telegram:
    """Posts updates as Telegram does: again after a non-200 answer, and it carries out the
    method a webhook answer names (against the fake Bot API)."""

    def __init__(self, fake: FakeTelegram) -> None:
        self.fake = fake
        self.http = httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=32))
        self.posted = 0

    async def deliver(self, url: str, update: dict[str, Any]) -> None:
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        for _ in range(30):
            try:
                response = await self.http.post(
                    f"{url}/telegram/webhook", json=update, headers=headers
                )
            except httpx.TransportError:  # a kept-alive connection the server just closed
                await asyncio.sleep(0.2)
                continue
            self.posted += 1
            if response.status_code == 200:
                await forward_webhook_answer(response, self.fake)
                return
            await asyncio.sleep(0.2)
        raise AssertionError(f"update {update['update_id']} never answered 200")


def expected_calls(connection: Connection) -> Counter[str]:
    """Per chat, the Bot API calls the stored replies make: those of every handled update
    (queued ones too: their outbox row of kind `reply` holds the same replies), and of every
    other outbox row sent that is not the broadcast."""
    calls: Counter[str] = Counter()
    for chat, replies in connection.execute(
        select(ProcessedUpdate.chat_id, ProcessedUpdate.replies)
    ):
        calls[chat] += len(merge_replies([reply_from_dict(r) for r in replies], 4096))
    for chat, payload in connection.execute(
        select(Outbox.chat_id, Outbox.payload).where(
            Outbox.status == "sent", Outbox.broadcast_id.is_(None), Outbox.kind != REPLY
        )
    ):
        calls[chat] += len(merge_replies([reply_from_dict(r) for r in payload], 4096))
    return calls


@pytest.mark.waits
@pytest.mark.postgres
async def test_two_servers_and_a_worker_under_load_lose_nothing_and_send_nothing_twice(
    settings: Settings, telegram_api: FakeTelegram, tmp_path: Path
) -> None:
    """Two `serve` (RUN_WORKER=false) and two `worker` processes on PostgreSQL, sharing the
    metrics directory. Users join, then talk to both servers at once while an officer's
    broadcast goes out; then every third update is delivered again to the other server.
    Every update is answered, every stored reply reaches the Bot API exactly once, everyone
    gets the broadcast once at no more than SEND_RATE, one worker sends, and the metrics of
    all four processes add up on either server's /metrics."""
    users, rate = range(6001, 6041), 40
    shared = tmp_path / "metrics"
    shared.mkdir()
    env = bot_env(
        settings,
        RUN_WORKER="false",
        FLOOD_BURST="1000",
        SEND_RATE=str(rate),
        OFFICER_TELEGRAM_IDS=str(OFFICER),
        PROMETHEUS_MULTIPROC_DIR=str(shared),
        LOG_LEVEL="INFO",
    )
    telegram = Telegram(telegram_api)
    servers, workers = (serve(), serve()), (worker(), worker())
    a, b = base(servers[0]), base(servers[1])
    with running(*servers, *workers, env=env, logs=tmp_path):

        async def say(user: int, steps: tuple[Any, ...]) -> None:
            for n, step in enumerate(steps):
                await telegram.deliver((a, b)[(user + n) % 2], update_for(step, user))

        await asyncio.gather(
            say(OFFICER, (*JOIN, "ob:role:officer", "ob:lang:vi", "ob:prov:1")),
            *(say(user, JOIN) for user in users),
        )
        talk = {user: [update_for(step, user) for step in TALK] for user in users}

        async def chat(user: int) -> None:  # each pair goes to both servers at once
            updates = talk[user]
            for first, second in zip(updates[::2], updates[1::2], strict=True):
                await asyncio.gather(telegram.deliver(a, first), telegram.deliver(b, second))

        announce = ("/thongbao", ANNOUNCEMENT, "bc:where:0", "bc:preview", "bc:go", "bc:go:all")
        await asyncio.gather(say(OFFICER, announce), *(chat(user) for user in users))
        db = Database(settings.DATABASE_URL)
        recipients = await db.run(
            lambda c: c.execute(
                select(Outbox.chat_id).where(Outbox.kind == "broadcast")
            ).scalars().all()
        )  # fmt: skip
        assert {str(user) for user in users} <= set(recipients)

        def reported() -> bool:  # the clock's report, once the broadcast has settled
            return any(
                "Thông báo hoàn tất" in c.params["text"] for c in telegram_api.of("sendMessage")
            )

        await asyncio.to_thread(wait_for, reported, 150)
        calls_before = len(telegram_api.calls)
        again = [u for user in users for u in talk[user][::3]]
        await asyncio.gather(
            *(telegram.deliver(b if n % 2 else a, u) for n, u in enumerate(again))
        )
        await asyncio.sleep(2)  # anything a redelivery or the worker would still send
        assert len(telegram_api.calls) == calls_before  # a redelivery is answered with nothing
        updates_counted = scraped(a, "ocop_updates_total")
        outbox_sent = scraped(b, "ocop_outbox_total", outcome="sent")
    await telegram.http.aclose()
    broadcast = [c for c in telegram_api.calls if is_broadcast(c)]
    assert Counter(str(c.params["chat_id"]) for c in broadcast) == Counter(recipients)
    assert paced_within([c.at for c in broadcast], rate)
    assert (
        sum("Thông báo hoàn tất" in c.params["text"] for c in telegram_api.of("sendMessage")) == 1
    )
    made = Counter(
        str(c.params["chat_id"])
        for c in telegram_api.calls
        if c.method in SEND and not is_broadcast(c)
    )
    assert made == await db.run(expected_calls)
    handled = await db.run(
        lambda c: c.execute(
            select(ProcessedUpdate.update_id, ProcessedUpdate.sent_at)
        ).all()
    )  # fmt: skip
    everything = [u for user in users for u in talk[user]]
    assert {str(u["update_id"]) for u in everything} <= {row[0] for row in handled}
    assert all(row[1] is not None for row in handled)
    counts = await db.run(repo.outbox_counts)
    assert set(counts) == {"sent"}
    assert updates_counted == telegram.posted
    assert outbox_sent == counts["sent"]
    waiting = [
        n
        for n in (2, 3)
        if "another worker holds the lock" in (tmp_path / f"worker{n}.log").read_text()
    ]
    assert len(waiting) == 1
    await db.dispose()


class LockingAfterSend:
    """Delivers through the real sender, then holds SQLite's write lock past the busy timeout,
    as another process's long write (or a database restart) would."""

    def __init__(self, sender: tg.TelegramSender, path: str, seconds: float) -> None:
        self.sender, self.path, self.seconds = sender, path, seconds

    async def deliver(self, chat_id: str, replies: list[Reply]) -> None:
        await self.sender.deliver(chat_id, replies)
        holder = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        holder.execute("BEGIN IMMEDIATE")
        threading.Timer(self.seconds, holder.close).start()


@pytest.mark.waits
@pytest.mark.skipif(
    os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"),
    reason="SQLite's busy timeout turns a held lock into an error; PostgreSQL waits instead",
)
async def test_a_send_is_recorded_after_a_brief_outage_and_not_sent_again(
    settings: Settings, telegram_api: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    """The write lock is held past the busy timeout (0.25 s here, 5 s by default) after a send:
    recording the outcome fails, is tried again once the lock is free, and the row is not
    sent a second time."""
    seeded = await seed(settings, 1)
    await seeded.dispose()
    db = Database(settings.DATABASE_URL, busy_timeout=0.25)
    bot = tg.make_bot(settings)
    async with bot:
        path = str(make_url(settings.DATABASE_URL).database)
        sender = LockingAfterSend(tg.TelegramSender(bot), path, seconds=0.6)
        delivery = Delivery(db, {"telegram": sender}, per_second=10)
        assert await delivery.run_once() == 1  # the outcome waited for the lock
        assert await delivery.recover() == 0
        assert await delivery.run_once() == 0
    assert "outcome not recorded yet" in caplog.text  # the lock outlasted the busy timeout
    assert texts_by_chat(telegram_api, "Thông báo") == {"20000": 1}
    assert await db.run(partial(repo.outbox_counts, broadcast_id=9)) == {"sent": 1}
    await db.dispose()


@pytest.mark.waits
async def test_a_worker_outlives_a_database_it_cannot_reach(settings: Settings) -> None:
    """PostgreSQL down (here: nothing listens on its port): the worker keeps trying for the
    lock instead of ending, so it sends once the database is back."""
    db = Database(f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/ocop")
    waiting = Worker(db, {}, settings, retry_every=0.05)
    await waiting.start()
    await asyncio.sleep(0.4)  # several tries
    assert waiting._task is not None and not waiting._task.done()
    assert not waiting.active
    await waiting.stop()
    await db.dispose()


async def test_a_webhook_sends_its_own_queued_replies_not_the_broadcast_due_to_the_chat(
    app: FastAPI, client: httpx.AsyncClient, telegram_api: FakeTelegram
) -> None:
    """A place's venue is queued with the update and sent by the instance after its answer;
    a broadcast message waiting for the same chat stays for the worker, which paces it with
    the rest of the broadcast (the instance would send it outside SEND_RATE)."""
    await post_update(client, tg_message("/start"))
    db: Database = app.state.db
    user = await db.run(partial(repo.find_user, platform="telegram", external_id="42"))
    await db.run(
        partial(
            repo.enqueue,
            platform="telegram",
            chat_id="42",
            user_id=user,
            kind="broadcast",
            payload=[{"text": "Thông báo hội chợ"}],
            now=datetime.now(UTC),
            broadcast_id=9,
            dedupe_key=f"broadcast:9:{user}",
        )
    )
    key = short_key(next(p for p in places() if p.lat is not None))
    telegram_api.reset()
    assert (await post_update(client, tg_callback(f"tp:d:{key}"))).status_code == 200
    for _ in range(100):
        if telegram_api.of("sendVenue"):
            break
        await asyncio.sleep(0.05)
    assert len(telegram_api.of("sendVenue")) == 1
    assert texts_by_chat(telegram_api, "Thông báo") == {}
    assert await db.run(partial(repo.outbox_counts, broadcast_id=9)) == {"pending": 1}
