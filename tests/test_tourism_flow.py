"""Visitors on the Telegram door: share a location (even mid-flow or before /start), page and
filter the list, tap a place for details and a venue, type a place, in Vietnamese or English."""

from __future__ import annotations

import httpx

from tests.conftest import post_update
from tests.factories import tg_callback, tg_message
from tests.fakes.telegram_api import FakeTelegram

HOAN_KIEM = (21.0285, 105.8542)


def inline(call_params: dict) -> list[tuple[str, str]]:
    markup = call_params.get("reply_markup") or {}
    return [
        (b["text"], b["callback_data"]) for row in markup.get("inline_keyboard", []) for b in row
    ]


async def tourist(client: httpx.AsyncClient, language: str = "vi", user_id: int = 42) -> None:
    for update in (
        tg_message("/start", user_id=user_id, language_code=language),
        tg_callback("ob:role:tourist", user_id=user_id, language_code=language),
        tg_callback(f"ob:lang:{language}", user_id=user_id, language_code=language),
    ):
        await post_update(client, update)


async def test_location_before_start_gets_nearby_places(
    client: httpx.AsyncClient, telegram_api: FakeTelegram
) -> None:
    assert (
        await post_update(client, tg_message(location=HOAN_KIEM, user_id=900))
    ).status_code == 200
    [answer] = telegram_api.of("sendMessage")
    text = answer.params["text"]
    assert text.startswith("<b>Gần vị trí của anh/chị</b> (trong 30 km):")
    assert "1. Điểm giới thiệu và bán sản phẩm OCOP" in text and " km về phía " in text
    labels = [label for label, _ in inline(answer.params)]
    assert labels[:5] == ["1", "2", "3", "4", "5"] and "➡️ Xem thêm" in labels


async def test_details_are_sent_with_a_venue(
    client: httpx.AsyncClient, telegram_api: FakeTelegram
) -> None:
    await tourist(client)
    await post_update(client, tg_message("Bát Tràng có gì"))
    choices = inline(telegram_api.of("sendMessage")[-1].params)
    assert choices[0][0] == "Làng gốm Bát Tràng"
    telegram_api.reset()
    await post_update(client, tg_callback(choices[0][1]))
    [venue] = telegram_api.of("sendVenue")
    assert venue.params["title"] == "Làng gốm Bát Tràng"
    assert (float(venue.params["latitude"]), float(venue.params["longitude"])) == (20.983, 105.917)
    text = telegram_api.of("sendMessage")[-1].params["text"]
    assert "Có gì: gốm sứ" in text and "Nguồn: https://" in text


async def test_more_and_filters_page_through_the_list(
    client: httpx.AsyncClient, telegram_api: FakeTelegram
) -> None:
    await tourist(client)
    await post_update(client, tg_message(location=HOAN_KIEM))
    buttons = dict(inline(telegram_api.of("sendMessage")[-1].params))
    await post_update(client, tg_callback(buttons["➡️ Xem thêm"]))
    assert "\n6. " in telegram_api.of("sendMessage")[-1].params["text"]
    await post_update(client, tg_callback(buttons["🏺 Làng nghề"]))
    filtered = telegram_api.of("sendMessage")[-1].params["text"]
    assert filtered.count("· làng nghề") == 5 and "điểm bán sản phẩm OCOP" not in filtered


async def test_nothing_within_the_radius_offers_the_nearest_anyway(
    client: httpx.AsyncClient, telegram_api: FakeTelegram
) -> None:
    await post_update(client, tg_message(location=(8.6833, 106.6000)))  # Côn Đảo
    text = telegram_api.of("sendMessage")[-1].params["text"]
    assert text.startswith(
        "Trong 30 km quanh vị trí của anh/chị em chưa có điểm nào. Các điểm gần nhất:"
    )
    assert "\n1. " in text


async def test_location_mid_assessment_answers_and_keeps_the_flow(
    client: httpx.AsyncClient, telegram_api: FakeTelegram
) -> None:
    for update in (
        tg_message("/start"),
        tg_callback("ob:role:producer"),
        tg_callback("ob:lang:vi"),
        tg_callback("ob:skip"),
        tg_callback("as:set:148-mat-ong-mat-khac"),
    ):
        await post_update(client, update)
    await post_update(client, tg_message(location=HOAN_KIEM))
    assert "<b>Gần vị trí của anh/chị</b>" in telegram_api.of("sendMessage")[-1].params["text"]
    await post_update(client, tg_callback("as:a:0:2"))
    assert telegram_api.of("sendMessage")[-1].params["text"].startswith("Câu 2/")


async def test_typed_place_in_english(
    client: httpx.AsyncClient, telegram_api: FakeTelegram
) -> None:
    await tourist(client, language="en", user_id=77)
    await post_update(client, tg_message("near Hoi An", user_id=77, language_code="en"))
    text = telegram_api.of("sendMessage")[-1].params["text"]
    assert text.startswith("<b>Near Hoi An</b> (within 30 km):")
    assert "1. Kim Bồng carpentry village — same area · craft village" in text
    assert " km north · " in text and "Làng" not in text


async def test_share_location_button_asks_for_the_position(
    client: httpx.AsyncClient, telegram_api: FakeTelegram
) -> None:
    await tourist(client)
    await post_update(client, tg_callback("tp:start"))
    asked = [
        c
        for c in telegram_api.of("sendMessage")
        if "keyboard" in (c.params.get("reply_markup") or {})
    ]
    assert asked[-1].params["reply_markup"]["keyboard"][0][0] == {
        "text": "📍 Gửi vị trí",
        "request_location": True,
    }
