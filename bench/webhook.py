"""Webhook throughput: N text updates through the real server vs a bare JSON-parsing endpoint.

Starts, each as its own process on loopback: a fake Bot API, `ocop-bot serve` on a fresh SQLite
file, and a bare FastAPI app that only parses the body. Then M concurrent senders post the same
updates to each and the script prints updates/s, p50/p99 latency and the ratio.

    python -m bench.webhook [--updates 3000] [--senders 16] [--users 500]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from tests.factories import tg_message
from tests.fakes.telegram_api import FakeTelegram, free_port

SECRET = "bench-secret"
BARE_APP = '''
from fastapi import FastAPI, Request
app = FastAPI()
@app.post("/telegram/webhook")
async def hook(request: Request):
    await request.json()
    return {"ok": True}
'''


def start(args: list[str], env: dict[str, str], health: str) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(health, timeout=1)
            return proc
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"{args} did not start")


async def drive(url: str, updates: list[dict], senders: int) -> tuple[float, list[float]]:
    queue: asyncio.Queue[dict] = asyncio.Queue()
    for update in updates:
        queue.put_nowait(update)
    latencies: list[float] = []
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}

    async def sender(http: httpx.AsyncClient) -> None:
        while not queue.empty():
            update = queue.get_nowait()
            began = time.perf_counter()
            response = await http.post(url, json=update, headers=headers)
            latencies.append(time.perf_counter() - began)
            if response.status_code != 200:
                raise RuntimeError(f"status {response.status_code}: {response.text}")

    limits = httpx.Limits(max_connections=senders)
    async with httpx.AsyncClient(limits=limits, timeout=30) as http:
        began = time.perf_counter()
        await asyncio.gather(*(sender(http) for _ in range(senders)))
        return time.perf_counter() - began, latencies


def report(name: str, elapsed: float, latencies: list[float]) -> float:
    rate = len(latencies) / elapsed
    cut = statistics.quantiles(latencies, n=100)
    print(f"{name:<28} {rate:8.0f} updates/s   p50 {cut[49] * 1000:6.1f} ms   p99 {cut[98] * 1000:6.1f} ms")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=3000)
    parser.add_argument("--senders", type=int, default=16)
    parser.add_argument("--users", type=int, default=500)
    args = parser.parse_args()
    texts = ["/start", "xin chào", "/help", "/menu", "ha noi"]
    updates = [
        tg_message(texts[i % len(texts)], user_id=1 + i % args.users, update_id=i + 1)
        for i in range(args.updates)
    ]
    workdir = Path(tempfile.mkdtemp(prefix="ocop-bench-"))
    fake_port, bot_port, bare_port = free_port(), free_port(), free_port()
    (workdir / "bare.py").write_text(BARE_APP)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(workdir), os.getcwd()])}
    procs = [start([sys.executable, "-m", "tests.fakes.telegram_api", str(fake_port)], env,
                   f"http://127.0.0.1:{fake_port}/")]
    bot_env = {
        **env, "DATABASE_URL": f"sqlite:///{workdir}/bench.db", "LOG_LEVEL": "WARNING",
        "TELEGRAM_TOKEN": FakeTelegram().token, "TELEGRAM_API_URL": f"http://127.0.0.1:{fake_port}/bot",
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
    }
    try:
        procs.append(start([sys.executable, "-m", "bot.cli", "serve", "--port", str(bot_port)], bot_env,
                           f"http://127.0.0.1:{bot_port}/healthz"))
        procs.append(start([sys.executable, "-m", "uvicorn", "bare:app", "--port", str(bare_port),
                            "--log-level", "warning"], env, f"http://127.0.0.1:{bare_port}/docs"))
        print(f"{args.updates} text updates, {args.senders} concurrent senders, {args.users} users, "
              f"{os.cpu_count()} CPUs")
        bot = report("ocop-bot (SQLite, fake API)", *asyncio.run(
            drive(f"http://127.0.0.1:{bot_port}/telegram/webhook", updates, args.senders)))
        bare = report("bare FastAPI (parse only)", *asyncio.run(
            drive(f"http://127.0.0.1:{bare_port}/telegram/webhook", updates, args.senders)))
        print(f"ratio ocop-bot / bare: {bot / bare:.2f}")
    finally:
        for proc in procs:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    main()
