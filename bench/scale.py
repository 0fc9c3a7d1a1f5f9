"""Past one process: updates/s with one and with two webhook instances, and broadcast messages/s,
on PostgreSQL, every part a process of its own (README "Scaling").

The deployment: `ocop-bot serve` instances with RUN_WORKER=false behind a load balancer (here
the senders spread over the instances), one `ocop-bot worker` sending the outbox, all on a
PostgreSQL database the script creates and drops; the webhooks answer into a fake Bot API,
the worker sends to another one that enforces Telegram's limits with real 429s. It prints:

- updates/s with one instance and with two (interleaved rounds, a realistic mix: distinct
  users, unique update ids, texts, button presses, locations), and the gain per added instance;
- the CPU time an update costs in the instances and in PostgreSQL's backends (from /proc, so
  the machine's other load does not move it as it moves rates): the updates/s a core carries;
- a broadcast to `--recipients` users at `--rate`, alone and while both instances take updates:
  the rate achieved against the configured one (must stay >= 0.95), 429s, lost (must be 0),
  messages per CPU-second of the worker; then the same at 1000/s (Telegram's paid ceiling):
  what one worker process carries.

    python -m bench.scale --postgres postgresql://postgres@127.0.0.1:5432/postgres
                          [--updates 2000] [--senders 16] [--users 2000] [--rounds 3]
                          [--recipients 1500] [--rate 30]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
import uvicorn

from bench.webhook import start
from tests.factories import tg_callback, tg_message
from tests.fakes.telegram_api import FakeTelegram, free_port

SECRET = "bench-secret"
TEXTS = ["/start", "/help", "/menu", "xin chao", "ha noi", "mat ong", "ocop la gi", "gan hue"]
BUTTONS = ["m:menu", "ob:role:producer", "ob:role:tourist", "faq:list", "as:start"]
HOAN_KIEM = (21.0285, 105.8542)
PAID_CEILING = 1000.0


def mix(count: int, users: int, ids: itertools.count[int]) -> list[bytes]:
    """`count` webhook requests: 60 % texts, 25 % button presses, 15 % locations."""
    requests = []
    for i in range(count):
        user, update_id, kind = 1 + (next(ids) * 7919) % users, next(ids), i % 20
        if kind < 12:
            update = tg_message(TEXTS[i % len(TEXTS)], user_id=user, update_id=update_id)
        elif kind < 17:
            update = tg_callback(BUTTONS[i % len(BUTTONS)], user_id=user, update_id=update_id)
        else:
            update = tg_message(location=HOAN_KIEM, user_id=user, update_id=update_id)
        body = json.dumps(update).encode()
        requests.append(
            b"POST /telegram/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\n"
            + f"X-Telegram-Bot-Api-Secret-Token: {SECRET}\r\n".encode()
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
    return requests


async def drive(ports: list[int], requests: list[bytes], senders: int) -> tuple[float, int]:
    """Post every request over `senders` kept-alive connections spread evenly over the
    instances (raw HTTP/1.1: the client costs little); (updates/s, non-200 answers)."""
    queue = list(reversed(requests))
    refused = 0

    async def sender(port: int) -> None:
        nonlocal refused
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while queue:
            writer.write(queue.pop())
            status = int((await reader.readline()).split()[1])
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            await reader.readexactly(length)
            refused += status != 200
        writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(sender(ports[n % len(ports)]) for n in range(senders)))
    return len(requests) / (time.perf_counter() - began), refused


def psql(url: str, sql: str) -> str:
    """Run SQL with psql; tried again while the server refuses (too many clients)."""
    for _ in range(10):
        done = subprocess.run(["psql", url, "-tAc", sql], capture_output=True, text=True)
        if done.returncode == 0:
            return done.stdout.strip()
        time.sleep(1)
    raise RuntimeError(f"psql failed: {done.stderr.strip()}")


def broadcast(url: str, recipients: int, broadcast_id: int, *, first_user: int) -> None:
    """Queue one message for `recipients` new users, as a frozen broadcast is queued."""
    psql(
        url,
        f"""
        INSERT INTO users (platform, external_id, chat_id, display_name, locale, role,
                           officer_approved, active, consent_version, consent_given,
                           created_at, last_seen_at)
        SELECT 'telegram', n::text, n::text, '', 'vi', 'producer', false, true, '1', true,
               now(), now()
        FROM generate_series({first_user}, {first_user + recipients - 1}) AS n;
        INSERT INTO outbox (platform, chat_id, user_id, kind, dedupe_key, broadcast_id, payload,
                            status, attempts, next_attempt_at, last_error, created_at)
        SELECT 'telegram', chat_id, id, 'broadcast', 'broadcast:{broadcast_id}:' || id,
               {broadcast_id}, '[{{"text": "Hội chợ OCOP"}}]', 'pending', 0, now(), '', now()
        FROM users WHERE external_id::bigint BETWEEN {first_user}
                                                 AND {first_user + recipients - 1};
        """,
    )


def delivered(url: str, broadcast_id: int) -> tuple[int, float]:
    """(sent, messages/s between the first and the last send) of one broadcast."""
    row = psql(
        url,
        "SELECT count(*) FILTER (WHERE status = 'sent'),"
        " extract(epoch FROM max(sent_at) - min(sent_at))"
        f" FROM outbox WHERE broadcast_id = {broadcast_id}",
    )
    sent, span = row.split("|")
    rate = (int(sent) - 1) / float(span) if span and float(span) > 0 else 0.0
    return int(sent), rate


def refusals(metrics_url: str) -> int:
    """The 429s the worker met, from its /metrics."""
    page = httpx.get(metrics_url, timeout=10).text
    return sum(
        int(float(line.rsplit(" ", 1)[1]))
        for line in page.splitlines()
        if line.startswith("ocop_outbox_total{") and 'outcome="retry_after"' in line
    )


def cpu_seconds(*pids: int) -> dict[int, float]:
    """CPU time (user + system) each process has used so far (Linux /proc; a process gone is
    left out): figures per core, which other work on the machine does not move as it moves
    rates."""
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime+stime
    return used


class CpuMeter:
    """CPU-seconds used by some processes and by this database's PostgreSQL backends (one per
    pooled connection; a backend that starts meanwhile counts from zero)."""

    def __init__(self, url: str, *procs: subprocess.Popen[bytes]) -> None:
        self.url, self.pids = url, [p.pid for p in procs]
        self.name = url.rsplit("/", 1)[1]

    def backends(self) -> list[int]:
        rows = psql(self.url, f"SELECT pid FROM pg_stat_activity WHERE datname = '{self.name}'"
                              " AND pid <> pg_backend_pid()")  # fmt: skip
        return [int(pid) for pid in rows.split()]

    def read(self) -> tuple[dict[int, float], dict[int, float]]:
        return cpu_seconds(*self.pids), cpu_seconds(*self.backends())

    def since(self, before: tuple[dict[int, float], dict[int, float]]) -> tuple[float, float]:
        """(CPU-seconds of the processes, of PostgreSQL) since `before` (a `read`)."""
        after = self.read()
        return tuple(  # type: ignore[return-value]
            sum(t - old.get(pid, 0.0) for pid, t in new.items())
            for old, new in zip(before, after, strict=True)
        )


async def measure_broadcast(
    url: str, ports: list[int], load: list[list[bytes]], senders: int, recipients: int, bid: int
) -> tuple[int, float, float, int]:
    """A broadcast while the instances take updates, batch after batch of `load` (none: the
    broadcast alone), until it is settled: (sent, msg/s, updates/s meanwhile, posted)."""
    broadcast(url, recipients, bid, first_user=10_000_000 * bid)
    pending = f"SELECT count(*) FROM outbox WHERE broadcast_id = {bid} AND status <> 'sent'"
    deadline = time.monotonic() + recipients / 10 + 120
    began, posted = time.perf_counter(), 0
    while int(psql(url, pending)) and time.monotonic() < deadline:
        requests = load.pop() if load else []
        if requests:
            await drive(ports, requests, senders)
            posted += len(requests)
        else:
            await asyncio.sleep(0.5)
    elapsed = time.perf_counter() - began
    sent, rate = delivered(url, bid)
    return sent, rate, posted / elapsed, posted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", required=True, help="an admin URL (creates a database)")
    parser.add_argument("--updates", type=int, default=2000, help="per setting and round")
    parser.add_argument("--senders", type=int, default=16)
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--recipients", type=int, default=1500)
    parser.add_argument("--rate", type=float, default=30.0, help="the worker's SEND_RATE")
    parser.add_argument("--fake", type=int, help=argparse.SUPPRESS)  # a limited fake's port
    args = parser.parse_args()
    if args.fake:  # the worker's Bot API: Telegram's limits, with real 429s
        fake = FakeTelegram(limit_per_second=args.rate)
        uvicorn.run(fake.app(), host="127.0.0.1", port=args.fake, log_level="warning")
        return
    name = f"ocop_scale_{os.getpid()}"
    psql(args.postgres, f"CREATE DATABASE {name}")
    url = args.postgres.rsplit("/", 1)[0] + f"/{name}"
    webhook_fake, worker_fake, paid_fake = free_port(), free_port(), free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.getcwd(),
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": url,
        "TELEGRAM_TOKEN": FakeTelegram().token,
        "TELEGRAM_API_URL": f"http://127.0.0.1:{webhook_fake}/bot",
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "RUN_WORKER": "false",
    }
    me = [sys.executable, "-m", "bench.scale", "--postgres", args.postgres]
    procs = [
        start([sys.executable, "-m", "tests.fakes.telegram_api", str(webhook_fake)], env,
              f"http://127.0.0.1:{webhook_fake}/"),
        start([*me, "--fake", str(worker_fake), "--rate", str(args.rate)], env,
              f"http://127.0.0.1:{worker_fake}/"),
        start([*me, "--fake", str(paid_fake), "--rate", str(PAID_CEILING)], env,
              f"http://127.0.0.1:{paid_fake}/"),
    ]  # fmt: skip
    try:
        ports = [free_port(), free_port()]
        servers = [
            start([sys.executable, "-m", "bot.cli", "serve", "--port", str(port)], env,
                  f"http://127.0.0.1:{port}/healthz")
            for port in ports
        ]  # fmt: skip
        procs += servers
        ids = itertools.count(1)
        print(
            f"{args.updates} updates per setting and round, {args.rounds} interleaved rounds, "
            f"{args.senders} senders, {args.users} users, {os.cpu_count()} CPUs, PostgreSQL"
        )
        asyncio.run(drive(ports, mix(200, args.users, ids), args.senders))  # warm both up
        posted = 200
        rates: dict[int, list[float]] = {1: [], 2: []}
        per_core: dict[int, list[float]] = {1: [], 2: []}
        pg_per_core: dict[int, list[float]] = {1: [], 2: []}
        meter = CpuMeter(url, *servers)
        refused = 0
        for _ in range(args.rounds):
            for instances in (1, 2):
                requests = mix(args.updates, args.users, ids)
                before = meter.read()
                rate, bad = asyncio.run(drive(ports[:instances], requests, args.senders))
                instance_cpu, pg_cpu = meter.since(before)
                per_core[instances].append(len(requests) / instance_cpu)
                pg_per_core[instances].append(len(requests) / pg_cpu)
                rates[instances].append(rate)
                refused += bad
                posted += len(requests)
        print("instances  updates/s  (rounds)       updates per CPU-second: instances  PostgreSQL")
        for n in (1, 2):
            rounds = ", ".join(f"{r:.0f}" for r in rates[n])
            print(
                f"{n:>9}  {statistics.median(rates[n]):9.0f}  ({rounds}){'':<26}"
                f"{statistics.median(per_core[n]):5.0f}  {statistics.median(pg_per_core[n]):10.0f}"
            )
        one, two = (statistics.median(rates[n]) for n in (1, 2))
        instance_ms = 1000 / statistics.median(per_core[1] + per_core[2])
        pg_ms = 1000 / statistics.median(pg_per_core[1] + pg_per_core[2])
        print(
            f"per added instance: {two - one:+.0f} updates/s ({two / one:.2f}x); non-200: "
            f"{refused}\nan update costs {instance_ms:.1f} ms CPU in an instance and "
            f"{pg_ms:.1f} ms in PostgreSQL: a core added to the instances carries "
            f"{1000 / instance_ms:.0f} updates/s while PostgreSQL has a core per "
            f"{1000 / pg_ms:.0f} updates/s ({1000 / (instance_ms + pg_ms):.0f} per core of both)"
        )
        bid = 0
        for rate, api in ((args.rate, worker_fake), (PAID_CEILING, paid_fake)):
            for loaded in (False, True):
                bid += 1
                worker_env = {**env, "SEND_RATE": str(rate),
                              "TELEGRAM_API_URL": f"http://127.0.0.1:{api}/bot"}  # fmt: skip
                metrics_port = free_port()
                worker = start(
                    [sys.executable, "-m", "bot.cli", "worker", "--metrics-port",
                     str(metrics_port)], worker_env, f"http://127.0.0.1:{metrics_port}/metrics"
                )  # fmt: skip
                try:
                    batches = (
                        [mix(args.updates // 4, args.users, ids) for _ in range(40)]
                        if loaded
                        else []
                    )
                    worker_meter = CpuMeter(url, worker)
                    before = worker_meter.read()
                    sent, achieved, during, meanwhile = asyncio.run(
                        measure_broadcast(url, ports, batches, args.senders, args.recipients, bid)
                    )
                    worker_cpu, pg_cpu = worker_meter.since(before)
                    retried = refusals(f"http://127.0.0.1:{metrics_port}/metrics")
                    posted += meanwhile
                finally:
                    worker.terminate()
                    worker.wait()
                print(
                    f"broadcast at SEND_RATE={rate:g}"
                    f"{f', meanwhile {during:.0f} updates/s on 2 instances' if loaded else ''}: "
                    f"{achieved:.1f} msg/s = {achieved / rate:.3f} of the configured rate; "
                    f"429s {retried}; lost {args.recipients - sent} of {args.recipients}; "
                    f"messages per CPU-second: worker {sent / worker_cpu:.0f}"
                    f"{'' if loaded else f', PostgreSQL {sent / pg_cpu:.0f}'}"
                )
        recorded = int(psql(url, "SELECT count(*) FROM processed_updates"))
        print(f"work check: {recorded} of {posted} updates recorded")
    finally:
        for proc in procs:
            proc.kill()
            proc.wait()
        psql(args.postgres, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


if __name__ == "__main__":
    main()
