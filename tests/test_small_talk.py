"""Greetings, thanks and farewells (`knowledge/small_talk.py`): recognised alone, taken off
the edges of a question, never cut out of a place's name."""

from __future__ import annotations

import pytest

from knowledge.small_talk import small_talk, without_small_talk


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("Xin chào ạ", "greeting"),
        ("xin chao!!!", "greeting"),
        ("👋 chào bạn", "greeting"),
        ("chàoo", "greeting"),
        ("Hi there", "greeting"),
        ("cam on ban nhieu", "thanks"),
        ("Cám ơn em", "thanks"),
        ("ok", "ack"),
        ("ok bye", "farewell"),  # walk tour8: "I couldn't find “ok bye”"
        ("ok, bye!", "farewell"),
        ("ok thanks bye", "farewell"),
        ("ok thank you", "thanks"),
        ("ok tam biet", "farewell"),
        ("Vâng ạ", "ack"),
        ("thank you so much", "thanks"),
        ("chào em, cảm ơn nhé", "thanks"),
        ("tạm biệt", "farewell"),
        ("bye bye", "farewell"),
        ("có ai không ạ", "greeting"),
        ("help me please", "help"),
        ("bạn là ai vậy", "help"),
        ("What can you do?", "help"),
        ("Menu", "menu"),
        ("bắt đầu", "menu"),
        ("vàng", None),  # gold, not "vâng"
        ("đá", None),  # stone, not "dạ"
        ("dạ", "ack"),
        ("vang", "ack"),  # typed without accents: "vâng"
        ("yes", "ack"),
        ("bạn có khỏe không", "greeting"),
        ("co ai ko", "greeting"),
        ("huỷ", "menu"),
        ("thoát", "menu"),
        ("không phải đâu", "menu"),
        ("shop ơi", "help"),
        ("cho em hỏi", "help"),
        ("cho em hỏi làng gốm ở đâu", None),
        ("help desk Hội An", None),
        ("Làng chài Mũi Né", None),
        ("chào bạn, nón lá Huế", None),
        ("bản Cát Cát", None),
        ("ok gần Huế có gì", None),
        ("", None),
    ],
)
def test_what_a_message_alone_is(typed: str, kind: str | None) -> None:
    assert small_talk(typed) == kind


@pytest.mark.parametrize(
    ("typed", "left"),
    [
        ("chào bạn, nón lá Huế", "non la hue"),
        ("hi, where is Bat Trang? thanks", "where is bat trang"),
        ("Bản Vặt", "ban vat"),  # "bạn" counts only after a greeting
        ("hello Bản Vặt", "ban vat"),
        ("Tam Cốc cảm ơn", "tam coc"),
        ("chào", "chao"),  # nothing would be left: kept
    ],
)
def test_a_question_is_read_without_it(typed: str, left: str) -> None:
    assert " ".join(without_small_talk(typed)) == left
