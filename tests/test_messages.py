"""The vocabulary: button limits, reply storage, merging and splitting for platform limits."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.messages import (
    Button,
    GeoPoint,
    Incoming,
    Photo,
    Reply,
    Venue,
    merge_replies,
    reply_from_dict,
    reply_to_dict,
)
from bot.telegram import split_text


def test_button_action_must_fit_telegram_callback_data() -> None:
    Button("ok", "a" * 64)
    with pytest.raises(ValueError, match="1-64 bytes"):
        Button("too long", "ă" * 33)  # 66 bytes in UTF-8
    with pytest.raises(ValueError):
        Button("empty", "")
    assert Button("📍", request_location=True).action == ""


def test_command_parsing() -> None:
    msg = Incoming(platform="telegram", user_id="1", chat_id="1", text="/Start@ocop_bot hello")
    assert msg.command == "start"
    assert Incoming(platform="console", user_id="1", chat_id="1", text="hi /start").command is None


def test_reply_round_trips_through_storage() -> None:
    reply = Reply(
        text="<b>x</b>",
        buttons=((Button("a", "m:menu"), Button("📍", request_location=True)),),
        venue=Venue(GeoPoint(21.0, 105.8), "Bát Tràng", "Gia Lâm"),
        photo=Photo(b"\x89PNG", "c.png"),
        notice="ok",
    )
    assert reply_from_dict(reply_to_dict(reply)) == reply


def test_merge_folds_plain_texts_into_the_next_reply_only() -> None:
    with_buttons = Reply("q?", buttons=((Button("a", "x:1"),),))
    merged = merge_replies([Reply("a"), Reply("b"), with_buttons, Reply("c")], limit=4096)
    assert merged == [Reply("a\n\nb\n\nq?", buttons=with_buttons.buttons), Reply("c")]
    assert merge_replies([Reply("a" * 10), Reply("b" * 10)], limit=15) == [
        Reply("a" * 10),
        Reply("b" * 10),
    ]
    venue = Reply("", venue=Venue(GeoPoint(1, 2), "t", "a"))
    assert merge_replies([Reply("a"), venue], limit=100) == [Reply("a"), venue]


@given(
    st.text(alphabet=st.sampled_from("ab \n"), max_size=400),
    st.integers(min_value=5, max_value=50),
)
def test_split_text_keeps_every_character_within_the_limit(text: str, limit: int) -> None:
    parts = split_text(text, limit)
    assert all(len(p) <= limit for p in parts)
    assert "".join(parts).replace("\n", "") == text.replace("\n", "")
