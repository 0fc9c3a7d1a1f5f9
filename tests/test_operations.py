"""Operations: health, metrics, OpenAPI docs, schema creation, set-webhook, logs without secrets."""

from __future__ import annotations

import gc
import io
import logging
import os
from typing import Any

import httpx
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from fastapi import FastAPI
from sqlalchemy import Connection, select

from bot.i18n import translator
from bot.logs import configure_logging
from bot.settings import Settings
from db.models import Base
from db.session import Database
from knowledge import typed_commands
from knowledge.place_catalogue import catalogue
from knowledge.text import LOCALES
from tests.conftest import OcopBot, post_update
from tests.factories import tg_callback, tg_message
from tests.fakes.telegram_api import FakeTelegram
from webhook import GC_THRESHOLDS, create_app


async def test_healthz_reports_the_database(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok", "database": "ok"})


async def test_healthz_is_503_when_the_database_is_gone(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await app.state.db.dispose()
    app.state.db = Database("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    response = await client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error"


async def test_metrics_count_updates_rejections_and_api_calls(
    client: httpx.AsyncClient, telegram_api: FakeTelegram
) -> None:
    await post_update(client, tg_message("/start"))
    await post_update(client, tg_callback("m:help"))
    await post_update(client, tg_message("/start"), secret="nope")
    body = (await client.get("/metrics")).text
    assert 'ocop_updates_total{channel="telegram",type="message"}' in body
    assert 'ocop_updates_total{channel="telegram",type="callback_query"}' in body
    assert 'ocop_webhook_rejected_total{channel="telegram",reason="bad_secret"}' in body
    assert (
        'ocop_bot_api_calls_total{channel="telegram",method="sendMessage",outcome="webhook_answer"}'
        in body
    )
    assert (
        'ocop_bot_api_calls_total{channel="telegram",method="answerCallbackQuery",outcome="ok"}'
        in body
    )
    assert "ocop_handler_seconds_bucket" in body


async def test_openapi_docs_are_served(client: httpx.AsyncClient) -> None:
    assert (await client.get("/docs")).status_code == 200
    paths = (await client.get("/openapi.json")).json()["paths"]
    assert {"/telegram/webhook", "/healthz", "/metrics"} <= set(paths)


async def test_migrations_match_the_models(empty_database_url: str) -> None:
    db = Database(empty_database_url)
    assert await db.upgrade() == "0011_flood_window"
    diff = await db.run(
        lambda connection: compare_metadata(MigrationContext.configure(connection), Base.metadata)
    )
    await db.dispose()
    assert diff == []


def every_row(connection: Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Each table's rows, in a stable order."""
    return {
        table.name: sorted(map(tuple, connection.execute(select(table)).all()), key=repr)
        for table in Base.metadata.sorted_tables
    }


async def test_upgrade_is_idempotent_and_keeps_data(
    settings: Settings, telegram_api: FakeTelegram
) -> None:
    """A producer onboarded, then the app restarted (its start runs the migrations again):
    every row of every table is still there, unchanged."""
    kept: dict[str, list[tuple[Any, ...]]] = {}
    for start in ("first", "again"):
        application = create_app(settings)
        async with application.router.lifespan_context(application):
            db = application.state.db
            if start == "first":
                transport = httpx.ASGITransport(app=application)
                async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
                    for update in (
                        tg_message("/start", user_id=77),
                        tg_callback("ob:role:producer", user_id=77),
                        tg_callback("ob:lang:vi", user_id=77),
                        tg_callback("ob:prov:1", user_id=77),
                    ):
                        assert (await post_update(http, update)).status_code == 200
                kept = await db.run(every_row)
            else:
                assert await db.run(every_row) == kept
    assert len(kept["users"]) == 1 and len(kept["processed_updates"]) == 4
    assert len(kept["conversations"]) == 1


def test_db_upgrade_command_creates_the_schema(
    tmp_path: os.PathLike[str], ocop_bot: OcopBot
) -> None:
    done = ocop_bot("db", "upgrade", env={"DATABASE_URL": f"sqlite:///{tmp_path}/cli.db"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "database at revision 0011_flood_window"


def test_set_webhook_registers_url_secret_and_commands_in_both_languages(
    telegram_api: FakeTelegram, ocop_bot: OcopBot
) -> None:
    env = {
        "TELEGRAM_TOKEN": telegram_api.token,
        "TELEGRAM_API_URL": telegram_api.api_url,
        "TELEGRAM_WEBHOOK_SECRET": "s3cret",
    }
    done = ocop_bot("set-webhook", "https://bot.example.vn/telegram/webhook", env=env)
    assert done.returncode == 0, done.stderr
    hook = telegram_api.of("setWebhook")[0].params
    assert hook["url"] == "https://bot.example.vn/telegram/webhook"
    assert hook["secret_token"] == "s3cret"
    assert "callback_query" in hook["allowed_updates"]
    menus = {
        c.params.get("language_code"): c.params["commands"]
        for c in telegram_api.of("setMyCommands")
    }
    assert set(menus) == {"vi", "en", None}
    assert {"command": "start", "description": "Bắt đầu / làm lại từ đầu"} in menus["vi"]
    assert {"command": "lang", "description": "Change language"} in menus["en"]
    assert [c["command"] for c in menus["vi"]] == [
        "start",
        "menu",
        "help",
        "lang",
        "cancel",
        "danhgia",
        "ketqua",
        "lich",
        "gapcanbo",
        "stop",
        "privacy",
        "mydata",
        "delete",
    ]
    assert {"command": "delete", "description": "Delete my data"} in menus["en"]
    assert {"command": "mydata", "description": "Nhận bản sao dữ liệu của tôi"} in menus["vi"]


def test_set_webhook_refuses_plain_http(ocop_bot: OcopBot) -> None:
    env = {"TELEGRAM_TOKEN": "1:x", "TELEGRAM_WEBHOOK_SECRET": "s"}
    done = ocop_bot("set-webhook", "http://insecure.example/hook", env=env)
    assert done.returncode == 2
    assert "https://" in done.stderr


async def test_logs_never_contain_the_token(
    settings: Settings, telegram_api: FakeTelegram
) -> None:
    stream = io.StringIO()
    bad = settings.model_copy(update={"TELEGRAM_TOKEN": "999:SECRET-TOKEN-value"})
    configure_logging(bad, stream=stream)
    try:
        application = create_app(bad)  # the fake answers 401 to an unknown token
        async with application.router.lifespan_context(application):
            transport = httpx.ASGITransport(app=application)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
                response = await post_update(http, tg_callback("m:help"))
        assert response.status_code == 200
    finally:
        logging.getLogger().handlers.clear()
    logged = stream.getvalue()
    assert "getMe failed" in logged and "answerCallbackQuery" in logged
    assert "SECRET-TOKEN-value" not in logged
    assert "[redacted]" in logged


@pytest.mark.parametrize("level", ["DEBUG"])
async def test_debug_logs_of_the_library_are_redacted_too(
    settings: Settings, telegram_api: FakeTelegram, level: str
) -> None:
    stream = io.StringIO()
    configure_logging(settings.model_copy(update={"LOG_LEVEL": level}), stream=stream)
    try:
        application = create_app(settings)
        async with application.router.lifespan_context(application):
            transport = httpx.ASGITransport(app=application)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
                await post_update(http, tg_callback("m:help"))
    finally:
        logging.getLogger().handlers.clear()
        logging.getLogger().setLevel(logging.WARNING)
    assert settings.TELEGRAM_TOKEN not in stream.getvalue()
    assert "answerCallbackQuery" in stream.getvalue()


async def test_a_starting_server_preloads_what_the_readers_index_and_freezes_it(
    settings: Settings,
) -> None:
    """The first question after a start waits for no data file, the collector's full
    passes skip what startup made (they paused every request), and it collects less often."""
    assert Settings.model_fields["PRELOAD"].default is True  # servers preload unless told
    catalogue.cache_clear()
    typed_commands._table.cache_clear()  # tens of ms on the first typed message, else
    translator.cache_clear()  # a catalog is compiled on first use
    gc.unfreeze()
    application = create_app(settings.model_copy(update={"PRELOAD": True}))
    async with application.router.lifespan_context(application):
        assert catalogue.cache_info().currsize == 1
        assert typed_commands._table.cache_info().currsize == 1
        assert translator.cache_info().currsize == len(LOCALES)
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == GC_THRESHOLDS
