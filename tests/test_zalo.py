"""The Zalo door against a local fake OA API: signatures, events, replies with buttons, token
refresh, chunking, the 48-hour window, and a whole self-assessment."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import json
import logging
import re
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Connection, select

from bot.delivery import Delivery
from bot.messages import Button, GeoPoint, Reply, Venue
from bot.settings import Settings
from bot.worker import run_worker
from bot.zalo import (
    ZaloBadRequest,
    ZaloBlocked,
    ZaloClient,
    ZaloError,
    ZaloRateLimited,
    ZaloSender,
)
from db import repo
from db.models import Outbox
from db.session import Database
from tests.fakes.telegram_api import free_port, serve_in_thread
from tests.fakes.zalo_api import FakeZalo
from tests.test_assessment_flow import load_tiny
from webhook import create_app

APP_ID = "1234567890"
OA_SECRET = "oa-secret-key"
_msg_ids = itertools.count(1)


@pytest.fixture(scope="session")
def fake_zalo_server() -> Iterator[FakeZalo]:
    fake = FakeZalo()
    with serve_in_thread(fake.app(), free_port()) as url:
        fake.url = url
        yield fake


@pytest.fixture
def zalo_api(fake_zalo_server: FakeZalo) -> FakeZalo:
    fake_zalo_server.reset()
    return fake_zalo_server


@pytest.fixture
def zalo_settings(settings: Settings, zalo_api: FakeZalo) -> Settings:
    return settings.model_copy(
        update={
            "ZALO_APP_ID": APP_ID,
            "ZALO_APP_SECRET": "app-secret",
            "ZALO_OA_SECRET_KEY": OA_SECRET,
            "ZALO_ACCESS_TOKEN": "access-1",
            "ZALO_REFRESH_TOKEN": "refresh-1",
            "ZALO_API_URL": zalo_api.url,
            "ZALO_OAUTH_URL": zalo_api.url,
        }
    )


@pytest.fixture
async def zalo_app(zalo_settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(zalo_settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def http(zalo_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=zalo_app), base_url="http://t"
    ) as client:
        yield client


def event(name: str, user: str = "zu1", **message: Any) -> dict[str, Any]:
    """A Zalo OA webhook event as Zalo sends it (timestamp in ms, as a string)."""
    body: dict[str, Any] = {
        "app_id": APP_ID,
        "event_name": name,
        "timestamp": str(int(time.time() * 1000)),
        "sender": {"id": user},
        "recipient": {"id": "oa1"},
        "user_id_by_app": user,
    }
    if name in ("follow", "unfollow"):
        body["follower"] = body.pop("sender")
    else:
        body["message"] = {"msg_id": f"msg{next(_msg_ids)}", **message}
    return body


def signed(body: dict[str, Any], *, secret: str = OA_SECRET) -> tuple[bytes, dict[str, str]]:
    raw = json.dumps(body, ensure_ascii=False).encode()
    mac = hashlib.sha256(
        APP_ID.encode() + raw + body["timestamp"].encode() + secret.encode()
    ).hexdigest()
    return raw, {"X-ZEvent-Signature": f"mac={mac}", "Content-Type": "application/json"}


async def post(http: httpx.AsyncClient, body: dict[str, Any]) -> httpx.Response:
    raw, headers = signed(body)
    return await http.post("/zalo/webhook", content=raw, headers=headers)


def payloads(message: dict[str, Any]) -> list[str]:
    attachment = message["message"].get("attachment") or {}
    buttons = (attachment.get("payload") or {}).get("buttons") or []
    return [b["payload"] for b in buttons if b["type"] == "oa.query.show"]


async def test_signature_is_required_and_checked(
    http: httpx.AsyncClient, zalo_api: FakeZalo
) -> None:
    body = event("user_send_text", text="/start")
    raw, headers = signed(body)
    assert (await http.post("/zalo/webhook", content=raw, headers=headers)).status_code == 200
    wrong_key = signed(event("user_send_text", text="hi"), secret="other")
    assert (
        await http.post("/zalo/webhook", content=wrong_key[0], headers=wrong_key[1])
    ).status_code == 401
    altered = raw.replace(b"/start", b"/stopp")
    assert (await http.post("/zalo/webhook", content=altered, headers=headers)).status_code == 401
    missing = {"Content-Type": "application/json"}
    assert (await http.post("/zalo/webhook", content=raw, headers=missing)).status_code == 401
    stale = event("user_send_text", text="hi")
    stale["timestamp"] = str(int((time.time() - 3600) * 1000))
    assert (await post(http, stale)).status_code == 401
    assert (await http.post("/zalo/webhook", content=b"{", headers=headers)).status_code == 400
    assert len(zalo_api.texts()) == 1  # only the signed /start was answered


async def test_location_with_string_coordinates_gets_a_nearby_list(
    http: httpx.AsyncClient, zalo_api: FakeZalo
) -> None:
    located = event(
        "user_send_location",
        attachments=[
            {
                "type": "location",
                "payload": {"coordinates": {"latitude": "21.0285", "longitude": "105.8542"}},
            }
        ],
    )
    assert (await post(http, located)).status_code == 200
    [first, *more] = zalo_api.messages
    assert first["message"]["text"].startswith("Gần vị trí của anh/chị (trong 30 km):")
    assert "<b>" not in first["message"]["text"]
    assert len(payloads(first)) == 5 and all(p.startswith("#a tp:d:") for p in payloads(first))
    assert all(len(payloads(m)) <= 5 for m in more)


async def test_button_press_and_duplicate_message(
    http: httpx.AsyncClient, zalo_api: FakeZalo
) -> None:
    start = event("user_send_text", text="/start")
    await post(http, start)
    await post(http, start)  # Zalo retried: answered once
    assert len(zalo_api.messages) == 1
    assert payloads(zalo_api.messages[0])[:3] == [
        "#a ob:role:producer",
        "#a ob:role:tourist",
        "#a ob:role:officer",
    ]
    await post(http, event("user_send_text", text="#a ob:role:tourist"))
    assert zalo_api.texts()[-1] == "Anh/chị muốn dùng ngôn ngữ nào?"


async def test_expired_token_is_refreshed_and_the_new_pair_stored(
    zalo_settings: Settings, zalo_api: FakeZalo
) -> None:
    db = Database(zalo_settings.DATABASE_URL)
    await db.upgrade()
    zalo_api.access_token = "access-rotated-by-zalo"  # the configured token no longer works
    zalo_api.refresh_token = "refresh-1"
    client = ZaloClient(zalo_settings, db)
    await client.send("zu9", [Reply(text="xin chào")])
    assert zalo_api.refreshes == 1 and zalo_api.texts("zu9") == ["xin chào"]
    stored = await db.run(repo.zalo_token)
    assert stored is not None and stored[:2] == (zalo_api.access_token, zalo_api.refresh_token)
    await client.send("zu9", [Reply(text="lần hai")])
    assert zalo_api.refreshes == 1  # the stored token is used, not refreshed again
    await client.close()
    await db.dispose()


async def test_long_text_is_cut_at_2000_characters(
    zalo_settings: Settings, zalo_api: FakeZalo
) -> None:
    db = Database(zalo_settings.DATABASE_URL)
    await db.upgrade()
    client = ZaloClient(zalo_settings, db)
    text = "\n".join(f"Dòng {n}: " + "x" * 90 for n in range(60))  # about 6,000 characters
    buttons = tuple((Button(f"B{n}", f"m:menu{n}"),) for n in range(7))
    await client.send("zu2", [Reply(text=text, buttons=buttons)])
    sent = zalo_api.messages
    assert all(len(m["message"]["text"]) <= 2000 for m in sent)
    assert (
        "".join(m["message"]["text"] for m in sent[:-1])
        .replace("\n", "")
        .startswith(text.replace("\n", "")[:1000])
    )
    assert [len(payloads(m)) for m in sent if payloads(m)] == [5, 2]  # 7 buttons: 5 + 2
    await client.close()
    await db.dispose()


async def test_broadcast_outside_the_48_hour_window_is_reported_not_sent(
    zalo_settings: Settings, zalo_api: FakeZalo
) -> None:
    db = Database(zalo_settings.DATABASE_URL)
    await db.upgrade()
    now = datetime.now(UTC)

    def users(connection) -> None:  # type: ignore[no-untyped-def]
        for name, seen in (("recent", now - timedelta(hours=2)), ("old", now - timedelta(days=3))):
            user = repo.new_user(
                platform="zalo", external_id=name, chat_id=name, locale="vi", now=seen
            )
            user_id = repo.insert_user(connection, user=user)
            repo.enqueue(
                connection,
                platform="zalo",
                chat_id=name,
                user_id=user_id,
                kind="broadcast",
                payload=[{"text": "Thông báo"}],
                now=now,
                broadcast_id=3,
            )

    await db.run(users)
    client = ZaloClient(zalo_settings, db)
    await Delivery(db, {"zalo": ZaloSender(client, db)}, per_second=50).run_once()
    assert zalo_api.texts("recent") == ["Thông báo"] and zalo_api.texts("old") == []
    assert await db.run(partial(repo.outbox_counts, broadcast_id=3)) == {
        "sent": 1,
        "undeliverable": 1,
    }
    await client.close()
    await db.dispose()


async def test_follow_and_unfollow_set_the_user_active(
    http: httpx.AsyncClient, zalo_app: FastAPI
) -> None:
    await post(http, event("user_send_text", user="zf", text="/start"))
    await post(http, event("unfollow", user="zf"))
    loaded = await zalo_app.state.db.run(
        partial(repo.load_user, platform="zalo", external_id="zf")
    )
    assert loaded is not None and loaded[0].active is False
    await post(http, event("follow", user="zf"))
    loaded = await zalo_app.state.db.run(
        partial(repo.load_user, platform="zalo", external_id="zf")
    )
    assert loaded is not None and loaded[0].active is True


async def test_a_whole_self_assessment_on_zalo(
    http: httpx.AsyncClient, zalo_api: FakeZalo, zalo_app: FastAPI
) -> None:
    await load_tiny(zalo_app.state.db)
    for text in (
        "/start",
        "#a ob:role:producer",
        "#a ob:lang:vi",
        "ha noi",
        "/danhgia",
        "mật ong",
        "#a as:set:26-mat-ong-mat-khac",
    ):
        assert (await post(http, event("user_send_text", user="zp", text=text))).status_code == 200
    assert any("Câu 1/6 · Điều kiện loại hồ sơ" in t for t in zalo_api.texts("zp")[-2:])
    for index, option in enumerate([0, 2, 1, 1, 1, 1]):
        await post(http, event("user_send_text", user="zp", text=f"#a as:a:{index}:{option}"))
    texts = zalo_api.texts("zp")
    assert any("Tổng: 100/100 → ước tính 5 sao" in t for t in texts)
    assert zalo_api.uploads == 0  # the short result first; the chart is with the points by part
    parts = re.search(r"#a as:parts:\w+", json.dumps(zalo_api.messages, ensure_ascii=False))
    assert parts is not None
    await post(http, event("user_send_text", user="zp", text=parts.group()))
    assert zalo_api.uploads == 1  # the chart went up as an image
    media = [
        m
        for m in zalo_api.messages
        if (m["message"].get("attachment") or {}).get("payload", {}).get("template_type")
        == "media"
    ]
    assert len(media) == 1


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(
            b'{"app_id": ' + b"9" * 5000 + b', "timestamp": "1"}', id="5000-digit-number"
        ),
        pytest.param(b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", id="deep-nesting"),
        pytest.param(b'{"app_id": 1e999999}', id="huge-exponent"),
    ],
)
async def test_hostile_bodies_get_400_before_the_signature_check(
    http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, raw: bytes
) -> None:
    caplog.set_level(logging.INFO)
    response = await http.post(
        "/zalo/webhook", content=raw, headers={"Content-Type": "application/json"}
    )
    assert response.status_code in (400, 401)
    ours = [r for r in caplog.records if r.name == "webhook"]
    assert len(ours) == 1 and ours[0].exc_info is None


async def test_sender_ids_that_are_not_ids_are_ignored(
    http: httpx.AsyncClient, zalo_api: FakeZalo
) -> None:
    for bad in ("x" * 5000, "zu\x00", "١٢٣"):
        response = await post(http, event("user_send_text", user=bad, text="/start"))
        assert response.status_code == 200
    assert zalo_api.messages == []


async def test_the_separate_worker_sends_zalo_too(
    zalo_settings: Settings, zalo_api: FakeZalo
) -> None:
    """`ocop-bot worker` (the scaled set-up) builds the same senders as `serve`: a Zalo
    broadcast queued in the database goes out from it, not marked failed."""
    db = Database(zalo_settings.DATABASE_URL)
    await db.upgrade()
    now = datetime.now(UTC)

    def queue(connection) -> None:  # type: ignore[no-untyped-def]
        user = repo.new_user(platform="zalo", external_id="zw", chat_id="zw", locale="vi", now=now)
        repo.enqueue(
            connection,
            platform="zalo",
            chat_id="zw",
            user_id=repo.insert_user(connection, user=user),
            kind="broadcast",
            payload=[{"text": "Hội chợ OCOP"}],
            now=now,
            broadcast_id=4,
        )

    await db.run(queue)
    worker = asyncio.create_task(run_worker(zalo_settings))  # what `ocop-bot worker` runs
    try:
        deadline = time.monotonic() + 30
        while set(await db.run(partial(repo.outbox_counts, broadcast_id=4))) <= {
            "pending",
            "sending",
        }:
            assert time.monotonic() < deadline, "the worker sent nothing"
            assert not worker.done(), worker
            await asyncio.sleep(0.05)
    finally:
        worker.cancel()  # as Ctrl-C ends it
        with contextlib.suppress(asyncio.CancelledError):
            await worker
    assert await db.run(partial(repo.outbox_counts, broadcast_id=4)) == {"sent": 1}
    assert zalo_api.texts("zw") == ["Hội chợ OCOP"]
    await db.dispose()


@pytest.mark.parametrize(
    ("status", "answer", "kind", "outcome"),
    [
        (429, {"message": "Too many requests"}, ZaloRateLimited, "waits 7 s"),
        (
            200,
            {"error": -32, "message": "exceeded the request limit"},
            ZaloRateLimited,
            "waits 5 s",
        ),
        (200, {"error": -213, "message": "user has not followed the OA"}, ZaloBlocked, "blocked"),
        (200, {"error": -217, "message": "user has blocked the OA"}, ZaloBlocked, "blocked"),
        (200, {"error": -201, "message": "parameters invalid"}, ZaloBadRequest, "undeliverable"),
        (
            200,
            {"error": -230, "message": "no interaction in 7 days"},
            ZaloBadRequest,
            "undeliverable",
        ),
        (200, {"error": -124, "message": "internal error"}, ZaloError, "retried"),
    ],
)
async def test_each_zalo_refusal_is_its_own_error_and_the_outbox_acts_on_it(
    zalo_settings: Settings,
    zalo_api: FakeZalo,
    status: int,
    answer: dict[str, Any],
    kind: type[ZaloError],
    outcome: str,
) -> None:
    """Zalo's refusals, as the fake OA API answers them, raise their own kind of `ZaloError`,
    and the outbox waits, stops writing to the user, reports, or retries accordingly."""
    db = Database(zalo_settings.DATABASE_URL)
    await db.upgrade()
    client = ZaloClient(zalo_settings, db)
    zalo_api.refusals.append((status, answer))
    with pytest.raises(kind) as raised:
        await client.send("zr", [Reply(text="Thông báo")])
    assert type(raised.value) is kind and raised.value.code == answer.get("error", 0)

    now = datetime.now(UTC)

    def queue(connection: Connection) -> None:
        user = repo.new_user(platform="zalo", external_id="zr", chat_id="zr", locale="vi", now=now)
        user_id = repo.insert_user(connection, user=user)
        repo.enqueue(
            connection,
            platform="zalo",
            chat_id="zr",
            user_id=user_id,
            kind="broadcast",
            payload=[{"text": "Thông báo"}],
            now=now,
            broadcast_id=5,
        )

    await db.run(queue)
    zalo_api.refusals.append((status, answer))
    await Delivery(db, {"zalo": ZaloSender(client, db)}, per_second=50).run_once()
    row = await db.run(lambda c: c.execute(select(Outbox)).mappings().one())
    loaded = await db.run(partial(repo.load_user, platform="zalo", external_id="zr"))
    assert zalo_api.texts("zr") == []
    assert loaded is not None and loaded[0].active == (outcome != "blocked")
    if outcome.startswith("waits"):
        wait = float(outcome.split()[1])
        assert row["status"] == "pending" and row["attempts"] == 0
        assert abs((row["next_attempt_at"].replace(tzinfo=UTC) - now).total_seconds() - wait) < 3
    elif outcome == "retried":
        assert row["status"] == "pending" and row["attempts"] == 1
    else:
        assert row["status"] == outcome and row["attempts"] == 0
    assert row["last_error"] == str(raised.value)
    await client.close()
    await db.dispose()


async def test_a_venue_goes_as_text_with_a_map_button(
    zalo_settings: Settings, zalo_api: FakeZalo
) -> None:
    db = Database(zalo_settings.DATABASE_URL)
    await db.upgrade()
    client = ZaloClient(zalo_settings, db)
    venue = Venue(GeoPoint(20.983, 105.917), "Làng gốm Bát Tràng", "Gia Lâm, Hà Nội")
    await client.send("zv", [Reply(venue=venue)])
    [sent] = zalo_api.messages
    assert sent["message"]["text"] == "📍 Làng gốm Bát Tràng\nGia Lâm, Hà Nội"
    [button] = sent["message"]["attachment"]["payload"]["buttons"]
    assert button["type"] == "oa.open.url"
    assert button["payload"]["url"] == "https://www.openstreetmap.org/?mlat=20.983&mlon=105.917"
    await client.close()
    await db.dispose()
