"""At-least-once under database faults: an update that was not recorded gets a non-2xx answer
(Telegram delivers it again; Zalo's is kept and retried here), /healthz says 503 when the
database cannot write, and one user's concurrent updates all commit.

The faults are real: SQLite's read-only mode (the error a read-only file gives), a database
file opened read-only, and on PostgreSQL (TEST_DATABASE_URL) the server cut off behind a
loopback proxy."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bot.settings import Settings
from db import repo
from db.models import ProcessedUpdate
from tests.conftest import post_update
from tests.factories import tg_callback, tg_message
from tests.fakes.telegram_api import FakeTelegram, forward_webhook_answer, free_port
from tests.fakes.zalo_api import FakeZalo
from tests.test_zalo import (  # noqa: F401 (fixtures)
    event,
    fake_zalo_server,
    post,
    zalo_api,
    zalo_settings,
)
from webhook import create_app


class TcpProxy:
    """127.0.0.1:port → target, which the test can cut off (as if the server went down)."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = free_port()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def up(self) -> None:
        self._server = await asyncio.start_server(self._pipe, "127.0.0.1", self.port)

    async def down(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        await self._server.wait_closed()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self.target)
        self._writers |= {writer, up_writer}

        async def copy(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError, OSError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.transport.abort()

        await asyncio.gather(copy(reader, up_writer), copy(up_reader, writer))
        self._writers -= {writer, up_writer}


class Fault:
    """Breaks and repairs the running app's database, as `kind` says:

    - read-only: SQLite's query_only mode (the error a read-only file gives); PostgreSQL with
      default_transaction_read_only (a standby, or an operator's switch);
    - unreachable: the SQLite file's directory gone (pool closed, reopening fails); the
      PostgreSQL server cut off behind the proxy.
    """

    def __init__(self, app: FastAPI, kind: str, proxy: TcpProxy | None, folder: Path) -> None:
        self.app = app
        self.kind = kind
        self.proxy = proxy
        self.folder = folder
        self.broken = False

    async def _sql(self, *statements: str) -> None:
        def run(connection: Any) -> None:
            for statement in statements:
                connection.exec_driver_sql(statement)

        await self.app.state.db.run(run)

    async def start(self) -> None:
        db = self.app.state.db
        self.broken = True
        if self.kind == "read-only" and self.proxy is None:
            await self._sql("PRAGMA query_only=ON")
        elif self.kind == "read-only":
            name = make_url(db.url).database
            await self._sql(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
            await db.dispose()  # pooled connections keep their old setting
        elif self.proxy is not None:
            await self.proxy.down()
        else:
            await db.dispose()
            self.folder.rename(self.folder.with_name("moved-away"))

    async def end(self) -> None:
        db = self.app.state.db
        self.broken = False
        if self.kind == "read-only" and self.proxy is None:
            await self._sql("PRAGMA query_only=OFF")
        elif self.kind == "read-only":
            name = make_url(db.url).database
            await self._sql(
                "SET TRANSACTION READ WRITE",
                f'ALTER DATABASE "{name}" RESET default_transaction_read_only',
            )
            await db.dispose()
        elif self.proxy is not None:
            await self.proxy.up()
        else:
            self.folder.with_name("moved-away").rename(self.folder)


@pytest.fixture(params=["read-only", "unreachable"])
async def faulty_app(
    request: pytest.FixtureRequest,
    zalo_settings: Settings,  # noqa: F811
    tmp_path: Path,
) -> AsyncIterator[tuple[FastAPI, Fault]]:
    """Both doors, on a database the test can break (PostgreSQL through a proxy)."""
    url = make_url(zalo_settings.DATABASE_URL)
    proxy = None
    folder = tmp_path / "db"
    if url.get_backend_name() == "postgresql":
        proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432))
        await proxy.up()
        url = url.set(host="127.0.0.1", port=proxy.port)
    else:
        folder.mkdir()
        url = url.set(database=str(folder / "ocop.db"))
    zalo_settings = zalo_settings.model_copy(
        update={"DATABASE_URL": url.render_as_string(hide_password=False)}
    )
    application = create_app(zalo_settings)
    async with application.router.lifespan_context(application):
        application.state.zalo_backlog.every = 0.05  # retried every 5 s when deployed
        fault = Fault(application, request.param, proxy, folder)
        yield application, fault
        if fault.broken:  # the test failed midway: leave the database as it was
            await fault.end()
    if proxy is not None:
        with contextlib.suppress(Exception):
            await proxy.down()


@pytest.fixture
async def both(
    faulty_app: tuple[FastAPI, Fault], telegram_api: FakeTelegram
) -> AsyncIterator[httpx.AsyncClient]:
    async def like_telegram(response: httpx.Response) -> None:
        if response.request.url.path == "/telegram/webhook":
            await forward_webhook_answer(response, telegram_api)

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=faulty_app[0]),
        base_url="http://ocop.test",
        event_hooks={"response": [like_telegram]},
    ) as http:
        yield http


async def test_no_update_is_lost_while_the_database_cannot_write(
    faulty_app: tuple[FastAPI, Fault],
    both: httpx.AsyncClient,
    telegram_api: FakeTelegram,
    zalo_api: FakeZalo,  # noqa: F811
) -> None:
    app, fault = faulty_app
    assert (await post_update(both, tg_message("/start", user_id=601))).status_code == 200
    assert (await both.get("/healthz")).status_code == 200
    telegram_api.reset()

    await fault.start()
    telegram_updates = [tg_message("/help", user_id=601 + n) for n in range(5)]
    answers = [await post_update(both, u) for u in telegram_updates]
    assert [a.status_code for a in answers] == [503] * 5, fault.kind
    zalo_events = [event("user_send_text", user=f"zf{n}", text="/start") for n in range(3)]
    assert [(await post(both, e)).status_code for e in zalo_events] == [503] * 3
    assert (await both.get("/healthz")).status_code == 503
    assert telegram_api.of("sendMessage") == [] and zalo_api.messages == []

    await fault.end()
    assert (await both.get("/healthz")).status_code == 200
    # Telegram delivers again what got a non-2xx; the Zalo events were kept and are retried.
    assert {(await post_update(both, u)).status_code for u in telegram_updates} == {200}
    for _ in range(200):
        if len(app.state.zalo_backlog) == 0 and len(zalo_api.messages) >= 3:
            break
        await asyncio.sleep(0.05)
    assert len(telegram_api.of("sendMessage")) == 5
    assert sorted(m["recipient"]["user_id"] for m in zalo_api.messages) == ["zf0", "zf1", "zf2"]
    # A redelivery by Zalo of an event handled from the backlog is not answered twice.
    assert (await post(both, zalo_events[0])).status_code == 200
    await asyncio.sleep(0.1)
    assert len(zalo_api.messages) == 3
    recorded = await app.state.db.run(
        lambda c: c.scalar(select(func.count()).select_from(ProcessedUpdate))
    )
    assert recorded == 1 + 5 + 3  # lost: 0


async def test_healthz_is_503_when_the_database_reads_but_cannot_write(
    settings: Settings, tmp_path: object
) -> None:
    if not settings.DATABASE_URL.startswith("sqlite"):
        settings = settings.model_copy(update={"DATABASE_URL": f"sqlite:///{tmp_path}/ro.db"})
    path = settings.DATABASE_URL.removeprefix("sqlite:///")
    writable = create_app(settings)
    async with writable.router.lifespan_context(writable):
        pass  # creates the schema
    read_only = settings.model_copy(
        update={"DATABASE_URL": f"sqlite:///file:{path}?mode=ro&uri=true"}
    )
    app = create_app(read_only)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http,
    ):
        assert (await http.get("/api/criteria")).status_code == 200  # reads still work
        health = await http.get("/healthz")
        assert health.status_code == 503
        assert health.json() == {"status": "unavailable", "database": "error"}
        assert (await post_update(http, tg_message("/start"))).status_code == 503


@pytest.mark.postgres  # on SQLite an update's transactions never wait, so none overlap
async def test_one_users_concurrent_updates_all_commit(
    app: FastAPI, client: httpx.AsyncClient, telegram_api: FakeTelegram
) -> None:
    """30 positions of one user at once, each changing their conversation (on PostgreSQL they
    ran into each other: past 5 retries they ended in "sorry" and were lost): handled one after
    the other, every one answered and recorded."""
    for update in (
        tg_message("/start", user_id=700),
        tg_callback("ob:role:tourist", user_id=700),
        tg_callback("ob:lang:vi", user_id=700),
        tg_callback("tp:start", user_id=700),
    ):
        assert (await post_update(client, update)).status_code == 200
    telegram_api.reset()
    points = [tg_message(location=(21.0 + n / 1000, 105.85), user_id=700) for n in range(30)]
    responses = await asyncio.gather(*(post_update(client, update) for update in points))
    assert [r.status_code for r in responses] == [200] * 30
    texts = [c.params["text"] for c in telegram_api.of("sendMessage")]
    assert len(texts) == 30
    assert not any("trục trặc" in t for t in texts)
    recorded = await app.state.db.run(
        lambda c: c.scalar(select(func.count()).select_from(ProcessedUpdate))
    )
    assert recorded == 4 + 30
    loaded = await app.state.db.run(
        partial(repo.load_user, platform="telegram", external_id="700")
    )
    assert loaded is not None and loaded[1] is not None
    assert loaded[1].data["here"] in [[21.0 + n / 1000, 105.85] for n in range(30)]


async def test_no_update_is_lost_when_the_database_file_is_full(
    settings: Settings, tmp_path: object, telegram_api: FakeTelegram
) -> None:
    """SQLite answering "database or disk is full" (its page limit set to the file's size):
    updates that need more room get 503, and all of them are handled once there is room."""
    settings = settings.model_copy(update={"DATABASE_URL": f"sqlite:///{tmp_path}/full.db"})
    app = create_app(settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://t",
            event_hooks={"response": [partial(forward_webhook_answer, fake=telegram_api)]},
        ) as http,
    ):
        db = app.state.db
        pages = await db.run(lambda c: c.exec_driver_sql("PRAGMA page_count").scalar())
        await db.run(lambda c: c.exec_driver_sql(f"PRAGMA max_page_count={pages}"))
        updates = [tg_message("/help", user_id=800 + n) for n in range(40)]
        statuses = [(await post_update(http, update)).status_code for update in updates]
        assert set(statuses) == {200, 503} and statuses[-1] == 503, statuses
        await db.run(lambda c: c.exec_driver_sql("PRAGMA max_page_count=1073741823"))
        refused = [u for u, status in zip(updates, statuses, strict=True) if status == 503]
        assert {(await post_update(http, update)).status_code for update in refused} == {200}
        recorded = await db.run(
            lambda c: c.scalar(select(func.count()).select_from(ProcessedUpdate))
        )
        assert recorded == 40  # lost: 0
        assert len(telegram_api.of("sendMessage")) == 40
