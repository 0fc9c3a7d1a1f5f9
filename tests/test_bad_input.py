"""Bad input never becomes a 500 or a traceback: each gets a clean 4xx or a polite reply, and
one log line; names are stored without controls; logs cannot be forged or flooded by users."""

from __future__ import annotations

import io
import json
import logging
from functools import partial

import httpx
import pytest
from fastapi import FastAPI

from bot import router
from bot.logs import configure_logging, redact
from bot.settings import Settings
from db import repo
from tests.conftest import SECRET, post_update
from tests.factories import tg_callback, tg_message
from tests.fakes.telegram_api import FakeTelegram

OUR_LOGGERS = ("webhook", "bot", "db", "handlers")


def our_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name.split(".")[0] in OUR_LOGGERS]


def assert_no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    assert [r.getMessage() for r in our_records(caplog) if r.exc_info] == []


async def test_telegram_message_without_chat_gets_400_and_one_line(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    body = {
        "update_id": 4001,
        "message": {
            "message_id": 1,
            "date": 1,
            "text": "hi",
            "from": {"id": 5, "is_bot": False, "first_name": "A"},
        },
    }
    response = await post_update(client, body)
    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert len(our_records(caplog)) == 1
    assert_no_traceback(caplog)


FORGED = [
    pytest.param(f"{prefix}:{digits}", id=f"{prefix}-{name}")
    for prefix in router.ACTIONS
    for name, digits in (("unicode-digits", "١٢"), ("40-digits", "9" * 40))
] + [
    pytest.param("as:ans:" + "1" * 40, id="as-ans-40-digits"),
    pytest.param("tp:d:٣", id="tp-detail-unicode-digit"),
    pytest.param("rm:stars:" + "4" * 40, id="rm-stars-40-digits"),
    pytest.param("ob:page:" + "7" * 25, id="ob-page-25-digits"),
]


@pytest.mark.parametrize("data", FORGED)
async def test_forged_button_data_gets_a_polite_reply(
    client: httpx.AsyncClient,
    telegram_api: FakeTelegram,
    caplog: pytest.LogCaptureFixture,
    data: str,
) -> None:
    await post_update(client, tg_message("/start"))
    telegram_api.reset()
    caplog.set_level(logging.INFO)
    response = await post_update(client, tg_callback(data))
    assert response.status_code == 200
    [answered] = telegram_api.of("answerCallbackQuery")
    assert "Nút này đã cũ" in answered.params["text"]
    assert "Xin lỗi, em gặp trục trặc" not in telegram_api.of("sendMessage")[-1].params["text"]
    assert len(our_records(caplog)) == 1
    assert_no_traceback(caplog)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("Lan\ud800", id="lone-surrogate"),
        pytest.param("Lan\x00", id="nul"),
        pytest.param("\u202eLan\u202c\u2066", id="bidi-overrides"),
        pytest.param("Lan\n2026-11-29 ERROR forged", id="line-break"),
    ],
)
async def test_broken_display_names_are_cleaned_and_every_message_answered(
    app: FastAPI,
    client: httpx.AsyncClient,
    telegram_api: FakeTelegram,
    caplog: pytest.LogCaptureFixture,
    name: str,
) -> None:
    caplog.set_level(logging.INFO)
    for text in ("/start", "/help"):
        update = tg_message(text, user_id=4100)
        update["message"]["from"]["first_name"] = name
        body = json.dumps(update).encode()  # ensure_ascii: a lone surrogate goes as \\ud800
        response = await client.post(
            "/telegram/webhook",
            content=body,
            headers={
                "X-Telegram-Bot-Api-Secret-Token": SECRET,
                "Content-Type": "application/json",
            },
        )
        assert response.status_code == 200
    texts = [c.params["text"] for c in telegram_api.of("sendMessage")]
    assert len(texts) == 2 and not any("trục trặc" in t for t in texts)
    assert_no_traceback(caplog)
    loaded = await app.state.db.run(
        partial(repo.load_user, platform="telegram", external_id="4100")
    )
    assert loaded is not None
    stored = loaded[0].display_name
    assert stored.startswith("Lan")
    assert not any(ch in stored for ch in "\x00\n\u202e\u202c\u2066")
    stored.encode("utf-8")  # storable and printable everywhere


async def test_nul_bytes_in_text_are_answered(
    client: httpx.AsyncClient, telegram_api: FakeTelegram
) -> None:
    """PostgreSQL text cannot hold NUL: it is dropped, the message answered."""
    await post_update(client, tg_message("/start"))
    await post_update(client, tg_callback("ob:role:producer"))
    await post_update(client, tg_callback("ob:lang:vi"))
    response = await post_update(client, tg_message("Vinh\x00 Phuc"))
    assert response.status_code == 200
    assert "Vĩnh Phúc nay thuộc Phú Thọ" in telegram_api.of("sendMessage")[-1].params["text"]


def test_log_lines_cut_user_text_and_cannot_be_forged(settings: Settings) -> None:
    stream = io.StringIO()
    configure_logging(settings, stream=stream)
    try:
        said = "x" * 1000 + "\n2026-11-29 12:00:00 ERROR bot: forged line\r\u2028again\ud800"
        logging.getLogger("bot.test").warning("user said %s", said)
        logging.getLogger("bot.test").warning("user said %r", said)
    finally:
        logging.getLogger().handlers.clear()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    for line in lines:
        assert " WARNING bot.test: user said " in line
        assert "x" * 201 not in line
        assert "forged" not in line  # cut before it: past the first 200 characters
        assert len(line) < 400


def test_a_traceback_cannot_start_a_log_line(settings: Settings) -> None:
    stream = io.StringIO()
    configure_logging(settings, stream=stream)
    try:
        try:
            raise ValueError("bad\n2026-11-29 12:00:00 ERROR bot: forged")
        except ValueError:
            logging.getLogger("bot.test").exception("failed on %s", "a\nb")
    finally:
        logging.getLogger().handlers.clear()
    first, *rest = stream.getvalue().rstrip("\n").split("\n")
    assert first.endswith("failed on a\\nb")
    assert rest and all(line.startswith("    ") for line in rest)


def test_zalo_keys_and_refreshed_tokens_are_redacted(settings: Settings) -> None:
    zalo = settings.model_copy(
        update={
            "ZALO_APP_SECRET": "app-secret-1",
            "ZALO_OA_SECRET_KEY": "oa-key-2",
            "ZALO_ACCESS_TOKEN": "access-3",
            "ZALO_REFRESH_TOKEN": "refresh-4",
        }
    )
    stream = io.StringIO()
    configure_logging(zalo, stream=stream)
    try:
        redact("refreshed-5")  # what ZaloClient.refresh does with a new pair
        logging.getLogger("bot.test").warning(
            "%s %s %s %s %s %s",
            "app-secret-1",
            "oa-key-2",
            "access-3",
            "refresh-4",
            "refreshed-5",
            settings.TELEGRAM_TOKEN,
        )
    finally:
        logging.getLogger().handlers.clear()
    assert stream.getvalue().rstrip().endswith(" ".join(["[redacted]"] * 6))


def _with(update: dict, path: tuple[str, ...], value: object) -> dict:
    target = update
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return update


@pytest.mark.parametrize(
    "update",
    [
        pytest.param(_with(tg_callback("m:menu"), ("callback_query", "data"), {}), id="data-dict"),
        pytest.param(
            _with(tg_callback("m:menu"), ("callback_query", "data"), 10**30), id="data-int"
        ),
        pytest.param(
            _with(tg_message("hi"), ("message", "from", "first_name"), []), id="name-list"
        ),
        pytest.param(_with(tg_message("hi"), ("message", "text"), {"a": 1}), id="text-dict"),
        pytest.param(
            _with(tg_message(location=(21.0, 105.8)), ("message", "location", "latitude"), "x"),
            id="latitude-string",
        ),
        pytest.param(_with(tg_message("hi"), ("message", "from", "id"), {"x": 1}), id="id-dict"),
    ],
)
async def test_fields_of_the_wrong_type_get_400(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, update: dict
) -> None:
    """Found by `python -m bench.fuzz`: the Bot API library builds objects from any JSON."""
    caplog.set_level(logging.INFO)
    response = await post_update(client, update)
    assert response.status_code == 400
    assert len(our_records(caplog)) == 1
    assert_no_traceback(caplog)
