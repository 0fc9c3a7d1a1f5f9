"""Instructions per update in the server process, counted by valgrind's callgrind: a figure
that does not move with the other work on the machine (updates/s moves by ±20 % between runs
here), to compare two versions of the code.

`ocop-bot serve` runs on a fresh SQLite file under callgrind with counting switched off; the
script makes its users known (consent, role), sends a warm-up of the `bench.webhook` mix (what
is built on first use is not counted), switches counting on for `--updates` more of the mix,
then off, and prints the instructions counted per update.

    python -m bench.instructions [--updates 400] [--users 200]

Needs valgrind (`apt-get install valgrind`). The server runs about fifty times slower under it:
a run takes a minute or two.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.webhook import SECRET, drive, mix, priming, start
from tests.fakes.telegram_api import FakeTelegram, free_port

_SENDERS = 16


def _counting(on: bool) -> None:
    subprocess.run(
        ["callgrind_control", "-i", "on" if on else "off"], check=True, capture_output=True
    )


def _total(out: Path) -> int:
    """The instructions counted, from callgrind's output file."""
    for line in out.read_text().splitlines():
        if line.startswith("totals:"):
            return int(line.split()[1])
    raise RuntimeError(f"no totals in {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--updates", type=int, default=400, help="counted, after as many to warm up"
    )
    parser.add_argument("--users", type=int, default=200)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="ocop-instructions-"))
    out = workdir / "callgrind.out"
    fake_port, port = free_port(), free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.getcwd(),
        "PYTHONHASHSEED": "0",
        "LOG_LEVEL": "WARNING",
        "TELEGRAM_TOKEN": FakeTelegram().token,
        "TELEGRAM_API_URL": f"http://127.0.0.1:{fake_port}/bot",
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "DATABASE_URL": f"sqlite:///{workdir}/bench.db",
    }
    fake = start(
        [sys.executable, "-m", "tests.fakes.telegram_api", str(fake_port)],
        env,
        f"http://127.0.0.1:{fake_port}/",
    )
    server = start(
        ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}",
         sys.executable, "-m", "bot.cli", "serve", "--port", str(port)],
        env,
        f"http://127.0.0.1:{port}/healthz",
        wait=900,  # callgrind makes a start slow
    )  # fmt: skip
    try:
        ids = itertools.count(1)
        for wave in priming(args.users, ids):
            asyncio.run(drive(port, wave, _SENDERS))
        asyncio.run(drive(port, mix(args.updates, args.users, ids, hot=False), _SENDERS))
        _counting(True)
        run = asyncio.run(drive(port, mix(args.updates, args.users, ids, hot=False), _SENDERS))
        _counting(False)
    finally:
        server.send_signal(2)
        server.wait(120)
        fake.kill()
    if set(run["statuses"]) != {200}:
        print(f"statuses {run['statuses']}")
    total = _total(out)
    print(
        f"{args.updates} updates of the bench.webhook mix (after {args.updates} to warm up), "
        f"{args.users} users, SQLite: {total / args.updates / 1000:,.0f}k instructions per update"
    )


if __name__ == "__main__":
    main()
