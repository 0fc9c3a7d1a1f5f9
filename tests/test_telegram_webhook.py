"""The Telegram door end to end: webhook in, Bot API calls out (recorded by the fake server)."""

from __future__ import annotations

import asyncio
import json
from functools import partial

import httpx
import pytest
from fastapi import FastAPI

from bot import router
from bot.context import Context
from bot.messages import Button, Incoming, Reply
from db import repo
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


async def test_reply_lost_to_a_network_error_is_sent_on_redelivery(
    client: httpx.AsyncClient, telegram_api: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(router.COMMANDS, "two", two_messages)
    update = tg_message("/two", update_id=901)
    telegram_api.fail_next("sendMessage", 502, "Bad Gateway")
    first = await post_update(client, update)
    assert first.status_code == 503  # Telegram will deliver the update again
    second = await post_update(client, update)
    assert second.status_code == 200
    texts = [c.params["text"] for c in telegram_api.of("sendMessage")]
    assert texts == ["one", "one", "two"]  # the failed call, then both on redelivery
    third = await post_update(client, update)
    assert third.status_code == 200
    assert len(telegram_api.of("sendMessage")) == 3


@pytest.mark.parametrize(
    ("status", "description"),
    [
        pytest.param(403, "Forbidden: bot was blocked by the user", id="blocked"),
        pytest.param(400, "Bad Request: chat not found", id="chat-not-found"),
    ],
)
async def test_telegram_refusing_a_reply_sent_by_api_call_is_not_retried(
    client: httpx.AsyncClient,
    telegram_api: FakeTelegram,
    app: FastAPI,
    monkeypatch: pytest.MonkeyPatch,
    status: int,
    description: str,
) -> None:
    """The first of two replies goes by API call (it cannot ride in the answer): when
    Telegram refuses it, the update is done with (200), not redelivered forever."""
    monkeypatch.setitem(router.COMMANDS, "two", two_messages)
    await post_update(client, tg_message("/start"))
    update = tg_message("/two", update_id=902)
    telegram_api.fail_next("sendMessage", status, description)
    response = await post_update(client, update)
    assert response.status_code == 200
    assert [c.params["text"] for c in telegram_api.of("sendMessage")][-1] == "one"
    stored = await app.state.db.run(
        partial(repo.get_processed_update, platform="telegram", update_id="902")
    )
    assert stored is not None and stored[1] is not None  # settled: a redelivery sends nothing
    again = await post_update(client, update)
    assert again.status_code == 200 and again.json() == {"ok": True}
    user = await app.state.db.run(partial(repo.load_user, platform="telegram", external_id="42"))
    assert user is not None and user[0].active is (status != 403)


async def test_reply_riding_in_the_answer_is_sent_again_when_the_answer_never_left(
    app: FastAPI, client: httpx.AsyncClient, telegram_api: FakeTelegram
) -> None:
    """The update is recorded, then the process dies before its answer (which carries the
    reply) is written: Telegram delivers the update again, and the reply goes out then."""
    update = tg_message("/help", update_id=903)
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

    async def crash_while_answering(message: dict) -> None:
        if message["type"] == "http.response.start":
            raise ConnectionResetError("the process died before the answer went out")

    with pytest.raises(ConnectionResetError):
        await app(scope, receive, crash_while_answering)
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


async def test_two_updates_of_one_user_at_once_leave_consistent_state(
    client: httpx.AsyncClient, telegram_api: FakeTelegram
) -> None:
    await post_update(client, tg_message("/start"))
    responses = await asyncio.gather(
        post_update(client, tg_callback("ob:role:producer")),
        post_update(client, tg_callback("ob:role:tourist")),
    )
    assert [r.status_code for r in responses] == [200, 200]
    # Both were handled one after the other: whichever came second saw the first's state.
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
