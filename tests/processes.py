"""`python -m bot.cli ARGS` as a real process, forked from a server that imported the
libraries once.

Started from scratch, each such process spends 1–2 s of CPU on the interpreter and on
importing SQLAlchemy, python-telegram-bot, pydantic, FastAPI and Alembic, and the tests
that kill and restart the bot start a dozen of them. Here each is forked from
multiprocessing's fork server, which imports those libraries once per test process. The
child is still a process of its own: its pid, environment, working directory and output
file, ended by SIGKILL as a deployed one would be, running `bot.cli.main` as `python -m
bot.cli` does.

`bot.metrics`, and what imports it, is not preloaded: prometheus_client picks its value
store from PROMETHEUS_MULTIPROC_DIR when it is imported, so every child imports it under its
own environment (`_run` checks that the fork server did not).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
from collections.abc import Mapping
from multiprocessing import reduction
from pathlib import Path
from typing import Any

# What a bot process imports that reads nothing from the environment when imported: the
# libraries, then the bot's conversations, dashboard and database (about 1 s of CPU of the
# 1.2 s a child would otherwise spend importing).
PRELOAD = [
    "asyncpg",
    "alembic.command",
    "alembic.runtime.migration",
    "PIL.Image",
    "babel",
    "apscheduler.schedulers.asyncio",
    "fastapi",
    "httpx",
    "pydantic_settings",
    "jinja2",
    "rapidfuzz",
    "sqlite3",
    "sqlalchemy.ext.asyncio",
    "sqlalchemy.orm",
    "telegram",
    "telegram.ext",
    "uvicorn",
    "uvicorn.main",
    "httpcore",
    "bot.router",
    "bot.dashboard",
    "bot.retention",
    "db.office",
]

_context = multiprocessing.get_context("forkserver")
_context.set_forkserver_preload(PRELOAD)


class _Fd:
    """A file descriptor handed to the child (the fork server passes it over its socket)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def __reduce__(self) -> tuple[Any, ...]:
        return _detach, (reduction.DupFd(self.fd),)


def _detach(dup: Any) -> int:
    return int(dup.detach())


def _run(
    args: list[str], env: dict[str, str], cwd: str, stdin: int | None, output: int | None
) -> None:
    """In the child: become `python -m bot.cli ARGS` with this environment and these files."""
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(stdin if stdin is not None else null, 0)  # uvicorn's workers inherit fd 0
    for fd in (1, 2):
        os.dup2(output if output is not None else null, fd)
    sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
    sys.stdout = open(1, "w", encoding="utf-8", buffering=1, closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding="utf-8", buffering=1, closefd=False)  # noqa: SIM115
    if "prometheus_client" in sys.modules:
        raise RuntimeError("the fork server imported prometheus_client: see PRELOAD")
    from bot.cli import main

    code = main(args)
    sys.stdout.flush()
    sys.stderr.flush()
    sys.exit(code)


class BotProcess:
    """The started child, with the part of `subprocess.Popen` the tests use."""

    def __init__(self, process: multiprocessing.process.BaseProcess) -> None:
        assert process.pid is not None, "started"
        self._process = process
        self.pid: int = process.pid

    def poll(self) -> int | None:
        return self._process.exitcode

    def send_signal(self, sig: int) -> None:
        if self._process.exitcode is None:
            os.kill(self.pid, sig)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def wait(self, timeout: float | None = None) -> int:
        self._process.join(timeout)
        if self._process.exitcode is None:
            raise subprocess.TimeoutExpired(f"bot.cli {self.pid}", timeout or 0)
        return self._process.exitcode


def start(
    args: list[str],
    env: Mapping[str, str],
    *,
    output: Path | None = None,
    stdin: int | None = None,
) -> BotProcess:
    """`python -m bot.cli ARGS` with `env`, in this directory; its stdout and stderr go to
    `output` (or nowhere), its stdin is read from the `stdin` descriptor when given."""
    out = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_APPEND) if output else None
    try:
        process = _context.Process(
            target=_run,
            args=(
                args,
                dict(env),
                os.getcwd(),
                _Fd(stdin) if stdin is not None else None,
                _Fd(out) if out is not None else None,
            ),
            daemon=False,
        )
        process.start()
    finally:
        if out is not None:
            os.close(out)
    return BotProcess(process)
