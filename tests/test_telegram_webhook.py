"""The Telegram door end to end: webhook in, Bot API calls out (recorded by the fake server)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Connection, text

from bot import router
from bot.context import Context
from bot.delivery import Delivery
from bot.messages import Button, Incoming, Reply
from db import repo
from knowledge.places import places, short_key
from tests.conftest import SECRET, post_update
from tests.factories import tg_callback, tg_message
from tests.fakes.telegram_api import FakeTelegram


def buttons(call_params: dict) -> list[tuple[str, str]]:
    """(label, callback_data) of an inline keyboard, in reading order."""
    markup = call_params.get("reply_markup") or {}
    return [
        (b["text"], b["callback_data"]) for row in markup.get("inline_keyboard", []) for b in row
    ]


async def test_start_greets_in_vietnamese_and_asks_role(
    client: httpx.AsyncClient, telegram_api: FakeTelegram
) -> None:
    response = await post_update(client, tg_message("/start"))
    assert response.status_code == 200
    # The greeting and the question travel as one message, in the webhook's own answer.
    assert response.json()["method"] == "sendMessage"
    [sent] = telegram_api.of("sendMessage")
    assert sent.params["chat_id"] == "42"
    assert sent.params["parse_mode"] == "HTML"
    assert sent.params["text"].startswith("Xin chào anh/chị")
    assert sent.params["text"].endswith("Anh/chị là:")
    assert [data for _, data in buttons(sent.params)] == [
        "ob:role:producer",
        "ob:role:tourist",
        "ob:role:officer",
    ]


async def test_full_onboarding_producer_with_old_province_name(
    client: httpx.AsyncClient, telegram_api: FakeTelegram
) -> None:
    await post_update(client, tg_message("/start"))
    await post_update(client, tg_callback("ob:role:producer"))
    lang = telegram_api.of("sendMessage")[-1]
    assert buttons(lang.params) == [
        ("🇻🇳 Tiếng Việt ✓", "ob:lang:vi"),
        ("🇬🇧 English", "ob:lang:en"),
    ]
    await post_update(client, tg_callback("ob:lang:vi"))
    assert "tỉnh/thành nào" in telegram_api.of("sendMessage")[-1].params["text"]
    telegram_api.reset()
    await post_update(client, tg_message("Vinh Phuc"))
    [answer] = [c.params["text"] for c in telegram_api.of("sendMessage")]
    assert "Vĩnh Phúc nay thuộc Phú Thọ" in answer
    assert "<b>Phú Thọ</b>" in answer
    assert ("👤 Hồ sơ của tôi", "m:profile") in buttons(telegram_api.of("sendMessage")[-1].params)
    # Every button press was answered so the client's spinner stops.
    assert len(telegram_api.of("answerCallbackQuery")) == 0  # the typed answer needs none
    telegram_api.reset()
    await post_update(client, tg_callback("m:profile"))
    profile = telegram_api.of("sendMessage")[-1].params["text"]
    assert "Phú Thọ" in profile and "Chủ thể sản xuất" in profile
    assert len(telegram_api.of("answerCallbackQuery")) == 1


async def test_language_preselected_from_telegram_language_code(
    client: httpx.AsyncClient, telegram_api: FakeTelegram
) -> None:
    await post_update(client, tg_message("/start", user_id=7, language_code="en-GB"))
    assert telegram_api.of("sendMessage")[0].params["text"].startswith("Hello!")
    await post_update(client, tg_callback("ob:role:tourist", user_id=7, language_code="en-GB"))
    assert buttons(telegram_api.of("sendMessage")[-1].params) == [
        ("🇻🇳 Tiếng Việt", "ob:lang:vi"),
        ("🇬🇧 English ✓", "ob:lang:en"),
    ]


async def test_callback_query_is_answered_even_for_stale_buttons(
    client: httpx.AsyncClient, telegram_api: FakeTelegram
) -> None:
    await post_update(client, tg_callback("zz:nonsense:1"))
    answered = telegram_api.of("answerCallbackQuery")
    assert len(answered) == 1
    assert "Nút này đã cũ" in answered[0].params["text"]
    assert telegram_api.of("sendMessage"), "a stale button still gets a way forward"


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        pytest.param({}, 401, id="missing-secret"),
        pytest.param({"X-Telegram-Bot-Api-Secret-Token": "wrong"}, 403, id="wrong-secret"),
        pytest.param({"X-Telegram-Bot-Api-Secret-Token": SECRET + "x"}, 403, id="secret-prefix"),
    ],
)
async def test_secret_header_is_required(
    client: httpx.AsyncClient, telegram_api: FakeTelegram, headers: dict, status: int
) -> None:
    response = await client.post("/telegram/webhook", json=tg_message("/start"), headers=headers)
    assert response.status_code == status
    assert telegram_api.calls == [] or all(c.method == "getMe" for c in telegram_api.calls)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"{not json", id="malformed-json"),
        pytest.param(b"[]", id="json-array"),
        pytest.param(b'{"message": {}}', id="no-update-id"),
        pytest.param(b'{"update_id": "5"}', id="update-id-string"),
        pytest.param(
            b'{"update_id": 5, "message": {"chat": {"id": 1}}}', id="message-without-date"
        ),
        pytest.param(b"\xff\xfe", id="not-utf8"),
    ],
)
async def test_malformed_bodies_get_400(client: httpx.AsyncClient, body: bytes) -> None:
    response = await client.post(
        "/telegram/webhook",
        content=body,
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["ok"] is False


async def test_body_over_one_mebibyte_gets_413(client: httpx.AsyncClient) -> None:
    big = json.dumps({"update_id": 1, "message": {"text": "x" * (1024 * 1024)}}).encode()
    response = await client.post(
        "/telegram/webhook",
        content=big,
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
    )
    assert response.status_code == 413


async def test_body_over_limit_without_content_length_gets_413(client: httpx.AsyncClient) -> None:
    async def chunks():
        for _ in range(20):
            yield b"x" * 65536

    response = await client.post(
        "/telegram/webhook",
        content=chunks(),
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
    )
    assert response.status_code == 413


@pytest.mark.parametrize(
    "update",
    [
        pytest.param(
            {
                "update_id": 77,
                "poll": {
                    "id": "1",
                    "question": "?",
                    "options": [],
                    "total_voter_count": 0,
                    "is_closed": False,
                    "is_anonymous": True,
                    "type": "regular",
                    "allows_multiple_answers": False,
                },
            },
            id="poll",
        ),
        pytest.param({"update_id": 78}, id="empty-update"),
        pytest.param(tg_message("hello", chat_type="group"), id="group-message"),
    ],
)
async def test_unsupported_updates_are_acknowledged_and_ignored(
    client: httpx.AsyncClient, telegram_api: FakeTelegram, update: dict
) -> None:
    response = await post_update(client, update)
    assert response.status_code == 200
    assert [c.method for c in telegram_api.calls if c.method != "getMe"] == []


async def test_duplicate_update_is_answered_once(
    client: httpx.AsyncClient, telegram_api: FakeTelegram
) -> None:
    update = tg_message("/start", update_id=555)
    first = await post_update(client, update)
    sent = len(telegram_api.of("sendMessage"))
    second = await post_update(client, update)
    assert (first.status_code, second.status_code) == (200, 200)
    assert len(telegram_api.of("sendMessage")) == sent


async def two_messages(ctx: Context, msg: Incoming) -> list[Reply]:
    """An answer that needs two messages (the first has its own buttons)."""
    return [Reply(text="one", buttons=((Button("a", "m:menu"),),)), Reply(text="two")]


async def outbox_rows(app: FastAPI) -> list[tuple[str, str, int]]:
    """(kind, status, attempts) of every outbox row, in order."""

    def rows(connection: Connection) -> list[tuple[str, str, int]]:
        found = connection.execute(
            text("SELECT kind, status, attempts FROM outbox ORDER BY id")
        ).all()
        return [(kind, status, attempts) for kind, status, attempts in found]

    return await app.state.db.run(rows)


async def test_replies_needing_two_calls_are_sent_after_the_answer_in_order(
    app: FastAPI, client: httpx.AsyncClient, telegram_api: FakeTelegram, monkeypatch
) -> None:
    """The request is answered at once (no method in the answer); both messages go by Bot
    API call afterwards, in order, through an outbox row stored with the update."""
    monkeypatch.setitem(router.COMMANDS, "two", two_messages)
    update = tg_message("/two", update_id=900)
    response = await post_update(client, update)
    assert response.status_code == 200 and response.json() == {"ok": True}
    assert [c.params["text"] for c in telegram_api.of("sendMessage")] == ["one", "two"]
    assert await outbox_rows(app) == [("reply", "sent", 0)]
    again = await post_update(client, update)  # a redelivery: the outbox had them
    assert again.json() == {"ok": True}
    assert len(telegram_api.of("sendMessage")) == 2


async def test_reply_lost_to_a_network_error_is_sent_again_by_the_outbox(
    app: FastAPI, client: httpx.AsyncClient, telegram_api: FakeTelegram, monkeypatch
) -> None:
    monkeypatch.setitem(router.COMMANDS, "two", two_messages)
    update = tg_message("/two", update_id=901)
    telegram_api.fail_next("sendMessage", 502, "Bad Gateway")
    first = await post_update(client, update)
    assert first.status_code == 200  # recorded with its queued replies: nothing is lost
    assert await outbox_rows(app) == [("reply", "pending", 1)]
    second = await post_update(client, update)  # a redelivery sends nothing twice
    assert second.status_code == 200
    later = datetime.now(UTC) + timedelta(minutes=1)
    delivery = Delivery(app.state.db, {"telegram": app.state.telegram}, clock=lambda: later)
    assert await delivery.run_once() == 1
    texts = [c.params["text"] for c in telegram_api.of("sendMessage")]
    assert texts == ["one", "one", "two"]  # the failed call, then both from the outbox
    assert await outbox_rows(app) == [("reply", "sent", 1)]


async def test_user_who_blocked_the_bot_gets_no_queued_reply_again(
    client: httpx.AsyncClient, telegram_api: FakeTelegram, app: FastAPI, monkeypatch
) -> None:
    """The first of two replies is refused (403): the update is done with (200), the row is
    settled as blocked, and the user gets nothing more."""
    monkeypatch.setitem(router.COMMANDS, "two", two_messages)
    await post_update(client, tg_message("/start"))
    update = tg_message("/two", update_id=902)
    telegram_api.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    response = await post_update(client, update)
    assert response.status_code == 200
    assert [c.params["text"] for c in telegram_api.of("sendMessage")][-1] == "one"
    assert await outbox_rows(app) == [("reply", "blocked", 0)]
    again = await post_update(client, update)
    assert again.status_code == 200 and again.json() == {"ok": True}
    user = await app.state.db.run(partial(repo.load_user, platform="telegram", external_id="42"))
    assert user is not None and user[0].active is False


async def test_venue_of_a_place_is_sent_after_the_answer_even_when_the_process_dies(
    app: FastAPI, client: httpx.AsyncClient, telegram_api: FakeTelegram
) -> None:
    """Place details need sendVenue besides the text: the webhook answers without waiting for
    them. When the process dies right after its answer, the outbox still sends both."""
    await post_update(client, tg_message("/start"))
    key = short_key(next(p for p in places() if p.lat is not None))
    telegram_api.reset()
    update = tg_callback(f"tp:d:{key}", update_id=904)
    with pytest.raises(ConnectionResetError):
        await app(*asgi_post(update, die_on="http.response.body"))
    assert telegram_api.of("sendVenue") == [] and telegram_api.of("sendMessage") == []
    assert await outbox_rows(app) == [("reply", "pending", 0)]
    again = await post_update(client, update)  # Telegram got no answer: it delivers again
    assert again.status_code == 200 and again.json() == {"ok": True}
    assert telegram_api.of("sendVenue") == []  # queued once, not twice
    assert await Delivery(app.state.db, {"telegram": app.state.telegram}).run_once() == 1
    assert [c.method for c in telegram_api.calls] == ["sendVenue", "sendMessage"]
    assert await outbox_rows(app) == [("reply", "sent", 0)]


def asgi_post(update: dict, *, die_on: str) -> tuple[dict, Any, Any]:
    """(scope, receive, send) of a webhook POST whose connection dies when the app sends the
    `die_on` message (the process stops before or while answering)."""
    body = json.dumps(update).encode()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/telegram/webhook",
        "raw_path": b"/telegram/webhook",
        "root_path": "",
        "query_string": b"",
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"x-telegram-bot-api-secret-token", SECRET.encode()),
        ],
        "client": ("127.0.0.1", 1),
        "server": ("ocop.test", 80),
        "state": {},
    }

    async def receive() -> dict:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict) -> None:
        if message["type"] == die_on:
            raise ConnectionResetError("the process died while answering")

    return scope, receive, send


async def test_reply_riding_in_the_answer_is_sent_again_when_the_answer_never_left(
    app: FastAPI, client: httpx.AsyncClient, telegram_api: FakeTelegram
) -> None:
    """The update is recorded, then the process dies before its answer (which carries the
    reply) is written: Telegram delivers the update again, and the reply goes out then."""
    update = tg_message("/help", update_id=903)
    with pytest.raises(ConnectionResetError):
        await app(*asgi_post(update, die_on="http.response.start"))
    assert telegram_api.of("sendMessage") == []
    again = await post_update(client, update)
    assert again.status_code == 200
    [sent] = telegram_api.of("sendMessage")
    assert "/menu" in sent.params["text"]


async def test_button_pressed_in_a_group_is_answered(
    client: httpx.AsyncClient, telegram_api: FakeTelegram
) -> None:
    response = await post_update(client, tg_callback("m:menu", chat_type="group"))
    assert response.status_code == 200
    [answered] = telegram_api.of("answerCallbackQuery")  # the spinner stops
    assert "nhắn riêng" in answered.params["text"]
    assert telegram_api.of("sendMessage") == []  # nothing is posted in the group


@pytest.mark.parametrize(
    "update",
    [
        pytest.param(tg_message("/start@other_bot"), id="command-for-another-bot"),
        pytest.param(tg_message("/start", from_bot=True), id="from-a-bot-account"),
        pytest.param(tg_message("xin chao", from_bot=True), id="text-from-a-bot-account"),
    ],
)
async def test_commands_for_other_bots_and_bot_accounts_are_ignored(
    client: httpx.AsyncClient, telegram_api: FakeTelegram, update: dict
) -> None:
    response = await post_update(client, update)
    assert response.status_code == 200 and response.json() == {"ok": True}
    assert [c.method for c in telegram_api.calls if c.method != "getMe"] == []


async def test_command_naming_this_bot_is_answered(
    client: httpx.AsyncClient, telegram_api: FakeTelegram
) -> None:
    await post_update(client, tg_message("/start@OCOP_test_bot"))
    assert telegram_api.of("sendMessage")[0].params["text"].startswith("Xin chào")


async def test_location_message_arrives_as_location(
    client: httpx.AsyncClient, telegram_api: FakeTelegram
) -> None:
    await post_update(client, tg_message(location=(21.0285, 105.8542)))
    assert "<b>Gần vị trí của anh/chị</b>" in telegram_api.of("sendMessage")[0].params["text"]


async def test_user_text_is_escaped_in_html_replies(
    client: httpx.AsyncClient, telegram_api: FakeTelegram
) -> None:
    await post_update(client, tg_message("/start"))
    await post_update(client, tg_callback("ob:role:tourist"))
    await post_update(client, tg_callback("ob:lang:vi"))
    telegram_api.reset()
    await post_update(client, tg_message("<b>hi</b> & <script>"))
    text = telegram_api.of("sendMessage")[0].params["text"]
    assert "&lt;b&gt;hi&lt;/b&gt; &amp; &lt;script&gt;" in text
    assert "<script>" not in text


async def test_two_role_presses_at_once_are_both_answered_and_one_role_is_kept(
    client: httpx.AsyncClient, telegram_api: FakeTelegram
) -> None:
    """Through the real webhook: neither press is refused or lost. That the two are handled
    one after the other is shown by test_dispatch's serialisation tests, which can fail."""
    await post_update(client, tg_message("/start"))
    responses = await asyncio.gather(
        post_update(client, tg_callback("ob:role:producer")),
        post_update(client, tg_callback("ob:role:tourist")),
    )
    assert [r.status_code for r in responses] == [200, 200]
    await post_update(client, tg_callback("m:profile"))
    profile = telegram_api.of("sendMessage")[-1].params["text"]
    assert ("Du khách" in profile) != ("Chủ thể sản xuất" in profile)


async def test_webhook_413_answers_in_the_webhook_error_shape(client: httpx.AsyncClient) -> None:
    async def chunks():
        for _ in range(20):
            yield b"x" * 65536

    for content in (b"x" * (1024 * 1024 + 1), chunks()):
        response = await client.post(
            "/telegram/webhook",
            content=content,
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        )
        assert response.status_code == 413
        assert response.json() == {"ok": False, "detail": "request body too large"}
