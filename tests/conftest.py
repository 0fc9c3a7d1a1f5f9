"""Shared fixtures: a fresh database per test (SQLite, or PostgreSQL via TEST_DATABASE_URL),
a fake Telegram Bot API on loopback, the app wired to both, and `ocop-bot` run in-process."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import gc
import io
import logging
import os
import shutil
import sys
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

# The bot's modules are imported where a fixture first needs them, not here: under xdist the
# process that only hands out tests loads this file too, and importing the app (about 2.5 s)
# would delay starting the ones that run them.
if TYPE_CHECKING:
    import httpx
    from fastapi import FastAPI

    from bot.dispatch import Dispatcher
    from bot.messages import Incoming
    from bot.settings import Settings
    from db.repo import UserRecord
    from tests.fakes.telegram_api import FakeTelegram

# Bytecode is cached even where PYTHONDONTWRITEBYTECODE is set (this machine, CI): each test
# process would otherwise compile the project and rewrite every test module again, about 1.7 s
# of CPU per process, every run.
sys.dont_write_bytecode = False
# Hypothesis would load the plugins other packages register (trio's, here through Selenium)
# when imported, about 0.3 s per test process; these tests use none of them.
os.environ.setdefault("HYPOTHESIS_NO_PLUGINS", "1")
# Hypothesis caches what it derives from the Unicode tables and from the project's modules
# (the constants it tries first), about 2 s of CPU per test process to build. Kept in the
# user's cache directory, a new checkout on a machine that ran the tests before starts warm;
# the example database of failing cases travels with it.
os.environ.setdefault(
    "HYPOTHESIS_STORAGE_DIRECTORY",
    str(Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ocop-bot-hypothesis"),
)

SECRET = "test-secret_123"
_BOT_ENV = (
    "DATABASE_URL",
    "TELEGRAM_TOKEN",
    "TELEGRAM_API_URL",
    "TELEGRAM_WEBHOOK_SECRET",
    "OFFICER_TELEGRAM_IDS",
    "DEFAULT_LOCALE",
    "LOG_LEVEL",
    "MAX_BODY_BYTES",
)


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    """No bot variable leaks in from the machine; no `.env` is picked up from the cwd. Servers
    the tests start, in process or not, skip the start's preload (about 1 s of CPU each)."""
    for name in _BOT_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PRELOAD", "false")
    monkeypatch.chdir(tmp_path)


def pytest_configure(config: pytest.Config) -> None:
    # Every Bot (one per app started: hundreds a run) makes two HTTP clients, and each reads
    # the CA bundle named by SSL_CERT_FILE or certifi (about 70 ms); from a hashed directory
    # only the certificates a TLS connection needs are read: none, every server here is
    # plain HTTP on loopback.
    if Path("/etc/ssl/certs").is_dir():
        os.environ.pop("SSL_CERT_FILE", None)
        os.environ["SSL_CERT_DIR"] = "/etc/ssl/certs"
    # Each test's database is a file under tmp_path; in memory (tmpfs) rather than on disk
    # the run takes a fifth less time and CPU (ext4's journal on every commit and unlink).
    # Where the machine has no /dev/shm, or the caller chose a place, pytest's default holds.
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK) and config.option.basetemp is None:
        os.environ.setdefault("PYTEST_DEBUG_TEMPROOT", str(shm))
    config.addinivalue_line(
        "markers", "consent: users meet the real privacy notice at first contact"
    )
    config.addinivalue_line(
        "markers",
        "waits: spends seconds waiting on processes it starts or on the clock; run first, so "
        "under xdist one process waits while the others keep the cores busy",
    )
    config.addinivalue_line(
        "markers",
        "postgres: shows what only PostgreSQL can (connections working at once, advisory "
        "locks); skipped on SQLite, run by .ci/run's PostgreSQL pass",
    )


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """An xdist test process ends without tearing its interpreter down. By now pytest has
    reported everything (results and coverage went to the main process at the session's end,
    and the last garbage collection ran for unraisable exceptions); what is left is freeing
    a few hundred MB of objects one by one and joining the fork server's children, about
    1.5 s at the end of every run while the main process waits."""
    if hasattr(config, "workerinput"):
        sys.stdout.flush()
        sys.stderr.flush()
        atexit.register(os._exit, 0)  # the last registered: runs before the other handlers


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests marked `waits` first (xdist hands each process a run of consecutive tests,
    then moves queued ones to whichever runs dry); on SQLite, skip the tests marked
    `postgres`, saying why."""
    items.sort(key=lambda item: item.get_closest_marker("waits") is None)  # stable
    if _test_pg_url() is not None:
        return
    skip = pytest.mark.skip(
        reason="PostgreSQL only (SQLite runs one transaction at a time in one process): "
        "set TEST_DATABASE_URL, as .ci/run does"
    )
    for item in items:
        if item.get_closest_marker("postgres") is not None:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def collectable_after_each_test() -> Iterator[None]:
    """An app's start freezes the heap (`gc.freeze`, for a server's lifetime) and sets the
    collector's thresholds; a test's objects go back to the collector when the test ends, under
    Python's thresholds."""
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


@pytest.fixture(autouse=True)
def users_have_agreed(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """In tests of other features, people writing for the first time are created as having
    agreed to the privacy notice (as they would after its two buttons); tests marked `consent`
    (tests/test_privacy.py) meet the real first contact."""
    from db import repo
    from handlers import consent

    created = _real_new_user()
    if request.node.get_closest_marker("consent") is not None:
        return

    def agreed(**values: Any) -> UserRecord:
        user = created(**values)
        user.consent_version, user.consent_given = consent.NOTICE_VERSION, True
        return user

    monkeypatch.setattr(repo, "new_user", agreed)


@cache
def _real_new_user() -> Callable[..., UserRecord]:
    """`repo.new_user` as the code defines it (read before any test replaces it)."""
    from db import repo

    return repo.new_user


def _test_pg_url() -> str | None:
    """The PostgreSQL database of this test process, or None (SQLite): TEST_DATABASE_URL, or
    under pytest-xdist a database of each worker's own beside it (`<name>_gw0`, ...), since
    every test wipes the one it uses."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return None
    from sqlalchemy import make_url

    from bot.settings import Settings

    parsed = make_url(Settings(DATABASE_URL=url).DATABASE_URL)
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is not None:
        parsed = parsed.set(database=f"{parsed.database}_{worker}")
    return parsed.render_as_string(hide_password=False)


async def _create_or_drop(url: str, *, create: bool) -> None:
    """Drop the database of `url` (and create it anew), connected to the one it sits beside."""
    from sqlalchemy import make_url, text
    from sqlalchemy.ext.asyncio import create_async_engine

    from bot.settings import Settings

    target = make_url(url)
    server = create_async_engine(
        make_url(Settings(DATABASE_URL=os.environ["TEST_DATABASE_URL"]).DATABASE_URL),
        isolation_level="AUTOCOMMIT",
    )
    async with server.connect() as connection:
        await connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        if create:
            await connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    await server.dispose()


@pytest.fixture(scope="session", autouse=True)
def worker_database() -> Iterator[None]:
    """Under pytest-xdist with PostgreSQL: this worker's database, made for the run and
    dropped after it."""
    url = _test_pg_url()
    if url is None or os.environ.get("PYTEST_XDIST_WORKER") is None:
        yield
        return
    asyncio.run(_create_or_drop(url, create=True))
    yield
    asyncio.run(_create_or_drop(url, create=False))


async def _wipe(url: str) -> None:
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


async def _migrate(url: str) -> None:
    from db.session import Database

    db = Database(url)
    try:
        await db.upgrade()
    finally:
        await db.dispose()


@pytest.fixture
async def empty_database_url(tmp_path: Path) -> str:
    """An empty database (no schema): a new SQLite file, or the PostgreSQL test database wiped
    clean. For tests of the migrations themselves."""
    url = _test_pg_url()
    if url is None:
        return f"sqlite:///{tmp_path}/empty.db"
    await _wipe(url)
    return url


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file at the latest migration, made once per run (once per xdist worker)."""
    path = tmp_path_factory.mktemp("template") / "ocop.db"
    asyncio.run(_migrate(f"sqlite:///{path}"))
    return path


@pytest.fixture
async def database_url(tmp_path: Path, migrated_sqlite: Path) -> str:
    """A database at the latest migration, with no rows: on SQLite a copy of the migrated
    file (migrating costs more than most tests), on PostgreSQL the test database wiped and
    migrated."""
    url = _test_pg_url()
    if url is None:
        shutil.copyfile(migrated_sqlite, tmp_path / "ocop.db")
        return f"sqlite:///{tmp_path}/ocop.db"
    await _wipe(url)
    await _migrate(url)
    return url


@pytest.fixture(scope="session")
def fake_telegram_server() -> Iterator[FakeTelegram]:
    """One fake Bot API server for the whole run."""
    from tests.fakes.telegram_api import FakeTelegram, free_port, serve_in_thread

    fake = FakeTelegram()
    with serve_in_thread(fake.app(), free_port()) as url:
        fake.url = url
        yield fake


@pytest.fixture
def telegram_api(fake_telegram_server: FakeTelegram) -> FakeTelegram:
    """The fake Bot API, with no calls recorded yet."""
    fake_telegram_server.reset()
    return fake_telegram_server


@pytest.fixture
def settings(database_url: str, telegram_api: FakeTelegram) -> Settings:
    """Settings pointing at the test database and the fake Bot API."""
    from bot.settings import Settings

    return Settings(
        DATABASE_URL=database_url,
        TELEGRAM_TOKEN=telegram_api.token,
        TELEGRAM_API_URL=telegram_api.api_url,
        TELEGRAM_WEBHOOK_SECRET=SECRET,
        RUN_WORKER=False,  # tests drive the outbox and the clock themselves
        FLOOD_BURST=1000,  # tests post faster than anyone types; test_flood sets the real budget
    )


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    """The webhook app, started (schema migrated, Bot initialised)."""
    from webhook import create_app

    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI, telegram_api: FakeTelegram) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for the app (in process, through ASGI). Like Telegram, it carries out a
    method named in a webhook answer, so every reply shows up at the fake Bot API."""
    import httpx

    from tests.fakes.telegram_api import forward_webhook_answer

    async def like_telegram(response: httpx.Response) -> None:
        if response.request.url.path == "/telegram/webhook":
            await forward_webhook_answer(response, telegram_api)

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://ocop.test", event_hooks={"response": [like_telegram]}
    ) as http:
        yield http


@pytest.fixture
def officer_settings(settings: Settings) -> Settings:
    """The settings, with Telegram user 4242 listed in OFFICER_TELEGRAM_IDS."""
    return settings.model_copy(update={"OFFICER_TELEGRAM_IDS": (4242,)})


@pytest.fixture
async def officer_app(officer_settings: Settings) -> AsyncIterator[FastAPI]:
    """The app, started, with Telegram user 4242 listed as an officer."""
    from webhook import create_app

    application = create_app(officer_settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def officer_http(officer_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A client of `officer_app` that returns webhook answers as they are."""
    import httpx

    transport = httpx.ASGITransport(app=officer_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        yield client


@pytest.fixture
async def dispatcher(settings: Settings) -> AsyncIterator[Dispatcher]:
    """The conversation core on the test database (migrated already), without any door."""
    from bot.dispatch import Dispatcher
    from db.session import Database

    db = Database(settings.DATABASE_URL)
    yield Dispatcher(db, settings)
    await db.dispose()


@dataclass(frozen=True)
class CliRun:
    """What one `ocop-bot` command did: its exit code and what it wrote."""

    returncode: int
    stdout: str
    stderr: str


OcopBot = Callable[..., CliRun]
"""`ocop_bot(*args, env={...}, input="...")`: see the `ocop_bot` fixture."""


@pytest.fixture
def ocop_bot(monkeypatch: pytest.MonkeyPatch) -> OcopBot:
    """`ocop-bot ARGS` in this process (`bot.cli.main`, on a thread of its own since it runs
    its own event loop), with `env` added to the environment and `input` as standard input;
    about a tenth of a child process's cost. As in a terminal, people meet the real privacy
    notice. Tests about the process itself (killed, restarted, several at once) start one."""
    from bot import logs
    from bot.cli import main as ocop_bot_main
    from db import repo

    def run(*args: str, env: Mapping[str, str] | None = None, input: str = "") -> CliRun:
        out, err = io.StringIO(), io.StringIO()
        root = logging.getLogger()
        handlers, level = root.handlers[:], root.level
        try:
            with (
                monkeypatch.context() as patch,
                contextlib.redirect_stdout(out),
                contextlib.redirect_stderr(err),
                ThreadPoolExecutor(1) as thread,
            ):
                for name, value in (env or {}).items():
                    patch.setenv(name, value)
                patch.setattr(sys, "stdin", io.StringIO(input))
                patch.setattr(repo, "new_user", _real_new_user())
                # the secrets it redacts are its own (a test's "s" would redact every "s" later)
                patch.setattr(logs, "_SECRETS", set(logs._SECRETS))
                try:
                    code = thread.submit(ocop_bot_main, list(args)).result()
                except SystemExit as exc:  # argparse's usage errors
                    code = exc.code if isinstance(exc.code, int) else 1
        finally:  # the command set up logging for a process of its own
            root.handlers[:] = handlers
            root.setLevel(level)
        return CliRun(code, out.getvalue(), err.getvalue())

    return run


async def post_update(
    http: httpx.AsyncClient, update: dict[str, Any], *, secret: str | None = SECRET
) -> httpx.Response:
    """POST an update to the Telegram webhook as Telegram would."""
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    return await http.post("/telegram/webhook", json=update, headers=headers)


def console_msg(
    text: str = "", *, action: str | None = None, user: str = "u1", **kw: Any
) -> Incoming:
    """An Incoming from the console door."""
    from bot.messages import Incoming

    return Incoming(platform="console", user_id=user, chat_id=user, text=text, action=action, **kw)
