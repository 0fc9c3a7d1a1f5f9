"""Trust figures against a real `ocop-bot serve` process (fake Bot API on loopback, SQLite):

- flood: one user posts 200 messages as fast as one connection allows; replies sent, and how
  many of the updates were recorded (none may be lost);
- live location: a 30-position live share driven along 60 km; list messages sent;
- REST limits: 4 concurrent 100 MB bodies to the score endpoint (declared and streamed); the
  answers and the server's peak memory.

    python -m bench.trust
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from tests.factories import tg_message
from tests.fakes.telegram_api import (
    FakeTelegram,
    forward_webhook_answer_sync,
    free_port,
    serve_in_thread,
)

SECRET = "bench-secret"
MB = 1024 * 1024


def start_server(db: Path, fake: FakeTelegram) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "TELEGRAM_TOKEN": fake.token,
        "TELEGRAM_API_URL": fake.api_url,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "LOG_LEVEL": "ERROR",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return proc, url
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not start")


def peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def flood(url: str, fake: FakeTelegram, db: Path) -> None:
    fake.reset()
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    statuses: list[int] = []
    started = time.perf_counter()
    with httpx.Client(headers=headers, timeout=10) as http:
        for n in range(200):
            update = tg_message(f"xin chao {n}", user_id=901, update_id=900_000 + n)
            response = http.post(f"{url}/telegram/webhook", json=update)
            statuses.append(response.status_code)
            forward_webhook_answer_sync(response, fake)
    took = time.perf_counter() - started
    time.sleep(4)  # the outbox sends the coalesced reply when the user's budget allows
    replies = len(fake.of("sendMessage"))
    with sqlite3.connect(db) as connection:
        recorded = connection.execute(
            "SELECT count(*) FROM processed_updates WHERE update_id LIKE '900%'"
        ).fetchone()[0]
    non_2xx = sum(1 for s in statuses if s >= 300)
    print(
        f"flood: 200 messages in {took:.1f} s -> {replies} replies; "
        f"recorded {recorded}/200; non-2xx answers {non_2xx}"
    )


def live_share(url: str, fake: FakeTelegram) -> None:
    fake.reset()
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    start, end = (21.0285, 105.8542), (20.2506, 105.9745)
    with httpx.Client(headers=headers, timeout=10) as http:
        for i in range(30):
            lat = start[0] + (end[0] - start[0]) * i / 29
            lon = start[1] + (end[1] - start[1]) * i / 29
            update = tg_message(location=(lat, lon), user_id=902, update_id=910_000 + i)
            message = update.pop("message")
            message["message_id"] = 1
            message["location"]["live_period"] = 900
            if i:
                message["edit_date"] = message["date"] + i
            update["edited_message" if i else "message"] = message
            response = http.post(f"{url}/telegram/webhook", json=update)
            forward_webhook_answer_sync(response, fake)
            time.sleep(0.1)
    print(f"live location: 30 positions over 60 km -> {len(fake.of('sendMessage'))} messages")


async def big_bodies(url: str, pid: int) -> None:
    before = peak_memory_mb(pid)

    async def declared(http: httpx.AsyncClient) -> int:
        body = b'{"set": "' + b"x" * (100 * MB) + b'"}'
        try:
            return (await http.post(f"{url}/api/assessments/score", content=body)).status_code
        except httpx.TransportError as exc:  # the server may close early after its 413
            return -len(type(exc).__name__)

    async def streamed(http: httpx.AsyncClient) -> int:
        async def chunks():  # type: ignore[no-untyped-def]
            yield b'{"set": "'
            for _ in range(100):
                yield b"x" * MB

        response = await http.post(f"{url}/api/assessments/score", content=chunks())
        return response.status_code

    async with httpx.AsyncClient(timeout=60) as http:
        statuses = await asyncio.gather(
            declared(http), declared(http), streamed(http), streamed(http)
        )
    after = peak_memory_mb(pid)
    print(
        f"REST 4 x 100 MB bodies: answers {statuses}; server peak memory "
        f"{before:.0f} MB before, {after:.0f} MB after"
    )


def main() -> None:
    fake = FakeTelegram()
    with (
        serve_in_thread(fake.app(), free_port()) as fake_url,
        tempfile.TemporaryDirectory() as tmp,
    ):
        fake.url = fake_url
        db = Path(tmp) / "bench.db"
        proc, url = start_server(db, fake)
        try:
            flood(url, fake, db)
            live_share(url, fake)
            asyncio.run(big_bodies(url, proc.pid))
        finally:
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
