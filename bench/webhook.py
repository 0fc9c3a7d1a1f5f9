"""Webhook throughput: N text updates through the real server vs a bare JSON-parsing endpoint.

Starts, each as its own process on loopback: a fake Bot API, `ocop-bot serve` on a fresh SQLite
file, and a bare FastAPI app that only parses the body. Then M concurrent senders post the same
updates to each and the script prints updates/s, p50/p99 latency and the ratio.

    python -m bench.webhook [--updates 3000] [--senders 16] [--users 500]
"""

from __future__ import annotations

import argparse
import asyncio
import json
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
BARE_APP = """
from fastapi import FastAPI, Request
app = FastAPI()
@app.post("/telegram/webhook")
async def hook(request: Request):
    await request.json()
    return {"ok": True}
"""


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


async def _post(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> int:
    """One request on a kept-alive connection; returns the status (body read and dropped)."""
    writer.write(request)
    status_line = await reader.readline()
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            length = int(value)
    await reader.readexactly(length)
    return int(status_line.split()[1])


async def drive(port: int, updates: list[dict], senders: int) -> tuple[float, list[float]]:
    """Post every update with `senders` keep-alive connections; raw HTTP/1.1 so the client
    costs little next to the servers measured."""
    requests = []
    for update in updates:
        body = json.dumps(update).encode()
        requests.append(
            b"POST /telegram/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\n"
            + f"X-Telegram-Bot-Api-Secret-Token: {SECRET}\r\n".encode()
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for request in requests:
        queue.put_nowait(request)
    latencies: list[float] = []

    async def sender() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while not queue.empty():
            request = queue.get_nowait()
            began = time.perf_counter()
            status = await _post(reader, writer, request)
            latencies.append(time.perf_counter() - began)
            if status != 200:
                raise RuntimeError(f"status {status}")
        writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(sender() for _ in range(senders)))
    return time.perf_counter() - began, latencies


def report(name: str, elapsed: float, latencies: list[float]) -> float:
    rate = len(latencies) / elapsed
    cut = statistics.quantiles(latencies, n=100)
    print(
        f"{name:<28} {rate:8.0f} updates/s   "
        f"p50 {cut[49] * 1000:6.1f} ms   p99 {cut[98] * 1000:6.1f} ms"
    )
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=3000)
    parser.add_argument("--senders", type=int, default=16)
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file")
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
    procs = [
        start(
            [sys.executable, "-m", "tests.fakes.telegram_api", str(fake_port)],
            env,
            f"http://127.0.0.1:{fake_port}/",
        )
    ]
    bot_env = {
        **env,
        "DATABASE_URL": args.database_url or f"sqlite:///{workdir}/bench.db",
        "LOG_LEVEL": "WARNING",
        "TELEGRAM_TOKEN": FakeTelegram().token,
        "TELEGRAM_API_URL": f"http://127.0.0.1:{fake_port}/bot",
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
    }
    try:
        procs.append(
            start(
                [sys.executable, "-m", "bot.cli", "serve", "--port", str(bot_port)],
                bot_env,
                f"http://127.0.0.1:{bot_port}/healthz",
            )
        )
        procs.append(
            start(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "bare:app",
                    "--port",
                    str(bare_port),
                    "--log-level",
                    "warning",
                ],
                env,
                f"http://127.0.0.1:{bare_port}/docs",
            )
        )
        print(
            f"{args.updates} text updates, {args.senders} concurrent senders, {args.users} users, "
            f"{os.cpu_count()} CPUs"
        )
        backend = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
        bot = report(f"ocop-bot ({backend})", *asyncio.run(drive(bot_port, updates, args.senders)))
        bare = report(
            "bare FastAPI (parse only)", *asyncio.run(drive(bare_port, updates, args.senders))
        )
        print(f"ratio ocop-bot / bare: {bot / bare:.2f}")
    finally:
        for proc in procs:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    main()
