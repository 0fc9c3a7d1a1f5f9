"""Webhook throughput, side by side in one interleaved run.

Each target runs as its own process on loopback, next to a fake Bot API:
- `bare`: FastAPI that only parses the body (the ceiling);
- `echo`: python-telegram-bot behind FastAPI, `Update.de_json` + an echo handler replying by
  Bot API call (what most Telegram bots are: the anchor the targets are stated against);
- `ocop-sqlite`: `ocop-bot serve` on a fresh SQLite file;
- `ocop-postgres` and `ocop-postgres-2w` (with `--postgres`): the same on PostgreSQL, one and
  two server processes (`serve --workers 2`), each on a database the script creates and drops.
Every ocop-bot user first agrees to the privacy notice and picks a role (not measured), so the
measured updates reach the handlers. Senders then post a realistic mix (distinct users, unique
update ids, texts that reach different handlers, button presses, locations, and place details
whose venue needs a second Bot API call) in interleaved rounds; then a hot-user case (every
update from one user). It prints updates/s, p50/p99 per target, the p99 of the place answers,
the ratios to the echo anchor, the CPU each server used per update (from /proc: steadier than
updates/s on a machine doing other work), the CPU PostgreSQL's processes used per update, and
how busy the machine's cores were while a target ran (100 %: the run was bound by CPU, not by
waiting), and checks that ocop-bot did the work (every update recorded once, a reply in the
HTTP answer or queued and sent for each).

    python -m bench.webhook [--updates 2000] [--senders 16] [--users 2000] [--rounds 3]
                            [--postgres postgresql://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from tests.factories import tg_callback, tg_message
from tests.fakes.telegram_api import FakeTelegram, free_port

SECRET = "bench-secret"
BARE_APP = """
from fastapi import FastAPI, Request
app = FastAPI()
@app.post("/telegram/webhook")
async def hook(request: Request):
    await request.json()
    return {"ok": True}
@app.get("/healthz")
async def health():
    return {"ok": True}
"""
ECHO_APP = """
import os
from fastapi import FastAPI, Request
from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

async def echo(update, context):
    if update.message and update.message.text:
        await update.message.reply_text(update.message.text)
    elif update.message:
        await update.message.reply_text("?")

async def button(update, context):
    await update.callback_query.answer()
    await update.callback_query.message.reply_text(update.callback_query.data)

bot_app = (
    Application.builder().token(os.environ["TELEGRAM_TOKEN"])
    .base_url(os.environ["TELEGRAM_API_URL"]).updater(None).concurrent_updates(True).build()
)
bot_app.add_handler(MessageHandler(filters.ALL, echo))
bot_app.add_handler(CallbackQueryHandler(button))
app = FastAPI(on_startup=[bot_app.initialize])

@app.post("/telegram/webhook")
async def hook(request: Request):
    await bot_app.process_update(Update.de_json(await request.json(), bot_app.bot))
    return {"ok": True}

@app.get("/healthz")
async def health():
    return {"ok": True}
"""
TEXTS = ["/help", "/menu", "xin chao", "ha noi", "mat ong", "ocop la gi", "gan hue", "/lich"]
BUTTONS = ["m:menu", "faq:list", "as:start", "tp:start", "m:lang:vi"]
PRIMING = [["cs:yes:v1"], ["ob:role:tourist", "ob:role:producer"], ["ob:skip"]]
"""Each user agrees to the notice, picks a role and skips the province: then a known user."""
HOAN_KIEM = (21.0285, 105.8542)
CATEGORIES = ("text", "button", "location", "place")


def start(
    args: list[str], env: dict[str, str], health: str, *, wait: float = 60
) -> subprocess.Popen[bytes]:
    """Start a server process; return it once `health` answers (killed after `wait` seconds of
    not)."""
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            httpx.get(health, timeout=1)
            return proc
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"{args} did not start")


def _place_keys() -> list[str]:
    """Short keys of places with a position: their details end with a venue (a Bot API call)."""
    from knowledge.places import places, short_key

    return [short_key(p) for p in places() if p.lat is not None][:50]


def mix(
    count: int, users: int, ids: itertools.count[int], *, hot: bool
) -> list[tuple[str, dict[str, Any]]]:
    """`count` (category, update): 55 % texts, 25 % button presses, 10 % locations, 10 % place
    details (the venue goes by a second Bot API call); distinct users."""
    keys = _place_keys()
    updates = []
    for i in range(count):
        user = 1 if hot else 1 + (next(ids) * 7919) % users
        update_id = next(ids)
        kind = i % 20
        if kind < 11:
            text = TEXTS[i % len(TEXTS)]
            updates.append(("text", tg_message(text, user_id=user, update_id=update_id)))
        elif kind < 16:
            data = BUTTONS[i % len(BUTTONS)]
            updates.append(("button", tg_callback(data, user_id=user, update_id=update_id)))
        elif kind < 18:
            update = tg_message(location=HOAN_KIEM, user_id=user, update_id=update_id)
            updates.append(("location", update))
        else:
            data = f"tp:d:{keys[i % len(keys)]}"
            updates.append(("place", tg_callback(data, user_id=user, update_id=update_id)))
    return updates


def priming(users: int, ids: itertools.count[int]) -> list[list[tuple[str, dict[str, Any]]]]:
    """Waves of button presses that make users 1..`users` known (consent, role): one wave
    after the other, so each user's presses arrive in order."""
    return [
        [
            ("button", tg_callback(wave[user % len(wave)], user_id=user, update_id=next(ids)))
            for user in range(1, users + 1)
        ]
        for wave in PRIMING
    ]


async def _post(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> tuple[int, bytes]:
    """One request on a kept-alive connection: (status, body)."""
    writer.write(request)
    status_line = await reader.readline()
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            length = int(value)
    return int(status_line.split()[1]), await reader.readexactly(length)


async def drive(
    port: int, updates: list[tuple[str, dict[str, Any]]], senders: int
) -> dict[str, Any]:
    """Post every update over `senders` keep-alive connections (raw HTTP/1.1, so the client
    costs little next to the servers measured)."""
    queue: asyncio.Queue[tuple[str, bytes]] = asyncio.Queue()
    for category, update in updates:
        body = json.dumps(update).encode()
        queue.put_nowait(
            (
                category,
                b"POST /telegram/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/json\r\n"
                + f"X-Telegram-Bot-Api-Secret-Token: {SECRET}\r\n".encode()
                + f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body,
            )
        )
    latencies: dict[str, list[float]] = {category: [] for category in CATEGORIES}
    statuses: dict[int, int] = {}
    answered = 0

    async def sender() -> None:
        nonlocal answered
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while not queue.empty():
            category, request = queue.get_nowait()
            began = time.perf_counter()
            status, body = await _post(reader, writer, request)
            latencies[category].append(time.perf_counter() - began)
            statuses[status] = statuses.get(status, 0) + 1
            answered += b'"method"' in body
        writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(sender() for _ in range(senders)))
    return {
        "elapsed": time.perf_counter() - began,
        "latencies": latencies,
        "statuses": statuses,
        "answered": answered,
        "places": len(latencies["place"]),
    }


def _p(values: list[float], cut: int) -> float:
    """The `cut`th percentile in ms (0 for too few values)."""
    return statistics.quantiles(values, n=100)[cut - 1] * 1000 if len(values) > 1 else 0.0


def figures(run: dict[str, Any]) -> tuple[float, float, float, float]:
    """(updates/s, p50 ms, p99 ms, p99 ms of the place answers)."""
    every = [x for values in run["latencies"].values() for x in values]
    return (
        len(every) / run["elapsed"],
        _p(every, 50),
        _p(every, 99),
        _p(run["latencies"]["place"], 99),
    )


def cpu_seconds(pid: int) -> float:
    """CPU time used so far by a process and its children (a server's workers), from /proc:
    on a machine shared with other work, CPU per update is steadier than updates/s."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    used = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            used += cpu_seconds(int(child))
    return used


def postgres_cpu_seconds() -> float:
    """CPU time used so far by the machine's PostgreSQL processes (its backends and helpers),
    from /proc: what an update costs the database beside the server's own CPU."""
    used = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended
            continue
        name, _, rest = text.partition("(")[2].rpartition(")")
        if name == "postgres":
            fields = rest.split()
            used += int(fields[11]) + int(fields[12])
    return used / os.sysconf("SC_CLK_TCK")


def machine_times() -> tuple[int, int]:
    """(busy, all) CPU ticks of the whole machine so far, from /proc/stat."""
    ticks = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(ticks) - ticks[3] - ticks[4], sum(ticks)


def _count(database_url: str, query: str) -> int:
    """The number a counting query returns."""
    if database_url.startswith("sqlite"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as connection:
            return int(connection.execute(query).fetchone()[0])
    for _ in range(30):  # the servers' pools may hold every connection the server allows
        done = subprocess.run(
            ["psql", database_url, "-tAc", query], capture_output=True, text=True
        )
        if done.returncode == 0:
            return int(done.stdout.strip())
        time.sleep(1)
    raise RuntimeError(f"psql failed: {done.stderr}")


def _psql(admin_url: str, sql: str) -> None:
    subprocess.run(["psql", admin_url, "-qc", sql], check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=2000, help="per target and round")
    parser.add_argument("--senders", type=int, default=16)
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", default="", help="an admin URL: adds PostgreSQL targets")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="ocop-bench-"))
    (workdir / "bare.py").write_text(BARE_APP)
    (workdir / "echo.py").write_text(ECHO_APP)
    fake_port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(workdir), os.getcwd()]),
        "LOG_LEVEL": "WARNING",
        "TELEGRAM_TOKEN": FakeTelegram().token,
        "TELEGRAM_API_URL": f"http://127.0.0.1:{fake_port}/bot",
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
    }
    servers = {"ocop-sqlite": (f"sqlite:///{workdir}/bench.db", 1)}
    pg_names = []
    if args.postgres:
        for name, workers in (("ocop-postgres", 1), ("ocop-postgres-2w", 2)):
            pg_names.append(f"ocop_bench_{os.getpid()}_{workers}")
            _psql(args.postgres, f"CREATE DATABASE {pg_names[-1]}")
            servers[name] = (args.postgres.rsplit("/", 1)[0] + f"/{pg_names[-1]}", workers)
    procs = [
        start(
            [sys.executable, "-m", "tests.fakes.telegram_api", str(fake_port)],
            env,
            f"http://127.0.0.1:{fake_port}/",
        )
    ]
    ports: dict[str, int] = {}
    pids: dict[str, int] = {}
    try:
        for name, module in (("bare", "bare:app"), ("echo", "echo:app")):
            ports[name] = free_port()
            procs.append(
                start(
                    [sys.executable, "-m", "uvicorn", module, "--port", str(ports[name]),
                     "--log-level", "warning"],
                    env,
                    f"http://127.0.0.1:{ports[name]}/healthz",
                )
            )  # fmt: skip
            pids[name] = procs[-1].pid
        for name, (url, workers) in servers.items():
            ports[name] = free_port()
            procs.append(
                start(
                    [sys.executable, "-m", "bot.cli", "serve", "--port", str(ports[name]),
                     "--workers", str(workers)],
                    {**env, "DATABASE_URL": url},
                    f"http://127.0.0.1:{ports[name]}/healthz",
                )
            )  # fmt: skip
            pids[name] = procs[-1].pid
        ids = itertools.count(1)
        sent = dict.fromkeys(ports, 0)
        answered = dict.fromkeys(ports, 0)
        places = dict.fromkeys(ports, 0)
        for name in servers:  # known users: not measured
            for wave in priming(args.users, ids):
                run = asyncio.run(drive(ports[name], wave, args.senders))
                sent[name] += len(wave)
                answered[name] += run["answered"]
        rates: dict[str, list[tuple[float, float, float, float]]] = {name: [] for name in ports}
        cpu = dict.fromkeys(ports, 0.0)
        pg_cpu = dict.fromkeys(ports, 0.0)
        busy = {name: [0, 0] for name in ports}
        print(
            f"{args.updates} updates per target and round, {args.rounds} interleaved rounds, "
            f"{args.senders} senders, {args.users} users, {os.cpu_count()} CPUs"
        )
        for _ in range(args.rounds):
            for name, port in ports.items():
                updates = mix(args.updates, args.users, ids, hot=False)
                used, pg_used, ticks = (
                    cpu_seconds(pids[name]),
                    postgres_cpu_seconds(),
                    machine_times(),
                )
                run = asyncio.run(drive(port, updates, args.senders))
                cpu[name] += cpu_seconds(pids[name]) - used
                pg_cpu[name] += postgres_cpu_seconds() - pg_used
                busy[name] = [
                    b + now - then
                    for b, now, then in zip(busy[name], machine_times(), ticks, strict=True)
                ]
                if set(run["statuses"]) != {200}:
                    print(f"  {name}: statuses {run['statuses']}")
                sent[name] += args.updates
                answered[name] += run["answered"]
                places[name] += run["places"]
                rates[name].append(figures(run))
        print(
            f"{'target':<18} {'updates/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'× echo':>7} "
            f"{'place p99':>10} {'CPU ms/update':>14} {'× echo CPU':>11} {'PG ms/update':>13} "
            f"{'busy %':>7}"
        )
        echo = statistics.median(r[0] for r in rates["echo"])
        measured = args.updates * args.rounds
        echo_cpu = cpu["echo"] / measured
        for name, runs in rates.items():
            rate, p50, p99, place = (statistics.median(r[i] for r in runs) for i in range(4))
            used = cpu[name] / measured
            share = busy[name][0] / busy[name][1]
            print(
                f"{name:<18} {rate:>10.0f} {p50:>8.1f} {p99:>8.1f} {rate / echo:>7.2f} "
                f"{place:>10.1f} {used * 1000:>14.2f} {echo_cpu / used:>11.2f} "
                f"{pg_cpu[name] / measured * 1000:>13.2f} {100 * share:>7.0f}"
            )
        print("hot user (every update from one user):")
        for name, port in ports.items():
            if name == "bare":
                continue
            run = asyncio.run(drive(port, mix(args.updates // 4, 1, ids, hot=True), args.senders))
            rate, p50, p99, _ = figures(run)
            sent[name] += args.updates // 4
            answered[name] += run["answered"]
            places[name] += run["places"]
            lost = sum(n for status, n in run["statuses"].items() if status != 200)
            print(f"{name:<18} {rate:>10.0f} {p50:>8.1f} {p99:>8.1f}   non-200: {lost}")
        for name, (url, _) in servers.items():
            recorded = _count(url, "SELECT count(*) FROM processed_updates")
            queued = _count(url, "SELECT count(*) FROM outbox WHERE kind = 'reply'")
            unsent = "SELECT count(*) FROM outbox WHERE kind = 'reply' AND status <> 'sent'"
            deadline = time.monotonic() + 60  # one user's replies go one a second
            while _count(url, unsent) and time.monotonic() < deadline:
                time.sleep(1)
            delivered = queued - _count(url, unsent)
            print(
                f"work check {name}: {recorded} of {sent[name]} updates recorded, "
                f"{answered[name]} answered with a reply in the HTTP answer, "
                f"{delivered} of {queued} replies queued after the answer sent "
                f"({places[name]} place details asked)"
            )
    finally:
        for proc in procs:  # SIGTERM: a server with workers stops them too
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        for pg_name in pg_names:
            _psql(args.postgres, f"DROP DATABASE IF EXISTS {pg_name} WITH (FORCE)")


if __name__ == "__main__":
    main()
