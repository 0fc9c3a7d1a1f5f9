"""Shared fixtures: a fresh database per test (SQLite, or PostgreSQL via TEST_DATABASE_URL),
a fake Telegram Bot API on loopback, and the app wired to both."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.dispatch import Dispatcher
from bot.messages import Incoming
from bot.settings import Settings
from db import repo
from db.session import Database
from handlers import consent
from tests.fakes.telegram_api import (
    FakeTelegram,
    forward_webhook_answer,
    free_port,
    serve_in_thread,
)
from webhook import create_app

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
    """No bot variable leaks in from the machine; no `.env` is picked up from the cwd."""
    for name in _BOT_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "consent: users meet the real privacy notice at first contact"
    )


@pytest.fixture(autouse=True)
def users_have_agreed(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """In tests of other features, people writing for the first time are created as having
    agreed to the privacy notice (as they would after its two buttons); tests marked `consent`
    (tests/test_privacy.py) meet the real first contact."""
    if request.node.get_closest_marker("consent") is not None:
        return
    created = repo.new_user

    def agreed(**values: Any) -> repo.UserRecord:
        user = created(**values)
        user.consent_version, user.consent_given = consent.NOTICE_VERSION, True
        return user

    monkeypatch.setattr(repo, "new_user", agreed)


def _test_pg_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    return Settings(DATABASE_URL=url).DATABASE_URL if url else None


@pytest.fixture
async def database_url(tmp_path: Any) -> AsyncIterator[str]:
    """An empty database: a new SQLite file, or the PostgreSQL test database wiped clean."""
    url = _test_pg_url()
    if url is None:
        yield f"sqlite:///{tmp_path}/ocop.db"
        return
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()
    yield url


@pytest.fixture(scope="session")
def fake_telegram_server() -> Iterator[FakeTelegram]:
    """One fake Bot API server for the whole run."""
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
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI, telegram_api: FakeTelegram) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for the app (in process, through ASGI). Like Telegram, it carries out a
    method named in a webhook answer, so every reply shows up at the fake Bot API."""

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
    application = create_app(officer_settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def officer_http(officer_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A client of `officer_app` that returns webhook answers as they are."""
    transport = httpx.ASGITransport(app=officer_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        yield client


@pytest.fixture
async def dispatcher(settings: Settings) -> AsyncIterator[Dispatcher]:
    """The conversation core on the test database, without any door."""
    db = Database(settings.DATABASE_URL)
    await db.upgrade()
    yield Dispatcher(db, settings)
    await db.dispose()


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
    return Incoming(platform="console", user_id=user, chat_id=user, text=text, action=action, **kw)
