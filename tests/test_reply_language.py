"""A question typed confidently in the other language than the user's setting is answered in
it, with a one-tap switch offered; short, name-only and mixed texts keep the setting (figures:
`python -m bench.reply_language`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.reply_language import CASES, HOLDOUT, answers, cases, language
from bot.dispatch import Dispatcher
from bot.i18n import translator
from knowledge.faq import entries
from knowledge.language import reply_language
from tests.test_faq_flow import actions, labels, onboard, say

WHAT_IS = {e.id: e for e in entries()}["what_is_ocop"]


@pytest.mark.parametrize("path", [CASES, HOLDOUT], ids=lambda p: p.stem)
def test_the_cases_are_answered_in_their_language_and_none_flipped_wrongly(path: Path) -> None:
    items = cases(path)
    got = answers(items)
    flipped = [c.text for c, (said, _) in zip(items, got, strict=True) if said != c.locale]
    wrongly = [c.text for c, (said, _) in zip(items, got, strict=True) if said != c.expected]
    unoffered = [
        c.text
        for c, (said, switch) in zip(items, got, strict=True)
        if said != c.locale and not switch
    ]
    assert wrongly == [] and unoffered == [] and flipped


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("what is OCOP?", "vi", "en"),
        ("how mutch is the entrence fee", "vi", "en"),
        ("ho so gom nhung gi", "en", "vi"),
        ("sp cua e dc may sao", "en", "vi"),
        ("OCOP là gì", "en", "vi"),
        ("ok thanks", "vi", None),
        ("thank you bot", "vi", None),
        ("Van Phuc silk village", "vi", None),
        ("lang nghe near me", "vi", None),
        ("lang nghe near me", "en", None),
        ("Làng gốm Bát Tràng", "en", None),
        ("is Phố cổ Hội An open at night", "en", None),
        ("how do I get to Bát Tràng?", "en", None),
    ],
)
def test_the_rule(text: str, locale: str, expected: str | None) -> None:
    assert reply_language(text, "en" if locale == "en" else "vi") == expected


async def test_an_english_question_from_a_vietnamese_setting_is_answered_in_english(
    dispatcher: Dispatcher,
) -> None:
    await onboard(dispatcher, "tourist", "vi")
    answer = await say(dispatcher, "what is OCOP?")
    assert answer[0].text.startswith(WHAT_IS.short("en")) and language(answer) == "en"
    assert labels(answer)[-1] == translator("en")("lang.keep") == "🇬🇧 Use English from now on"
    assert actions(answer)[-1] == "m:lang:en"
    details = await say(dispatcher, action=actions(answer)[0])  # a button under the answer
    assert language(details) == "en" and WHAT_IS.basis("en") in details[0].text
    ambiguous = await say(dispatcher, "Hoi An")  # typed again: the setting, never switched
    assert language(ambiguous) == "vi" and "m:lang:en" not in actions(ambiguous)
    pressed = await say(dispatcher, action=actions(ambiguous)[0])
    assert language(pressed) == "vi"


async def test_the_switch_keeps_the_language_from_then_on(dispatcher: Dispatcher) -> None:
    await onboard(dispatcher, "producer", "en")
    answer = await say(dispatcher, "ho so gom nhung gi")
    assert language(answer) == "vi" and "Mẫu 01" in answer[0].text
    assert labels(answer)[-1] == "🇻🇳 Dùng tiếng Việt từ nay"
    switched = await say(dispatcher, action="m:lang:vi")
    assert switched[0].text == translator("vi")("lang.set")
    menu = await say(dispatcher, "menu")
    assert language(menu) == "vi" and "m:lang:en" not in actions(menu)


async def test_choosing_the_setting_after_an_answer_in_the_other_language_is_heard(
    dispatcher: Dispatcher,
) -> None:
    await onboard(dispatcher, "tourist", "vi")
    await say(dispatcher, "what does the star rating mean?")
    kept = await say(dispatcher, action="m:lang:vi")  # /lang's Vietnamese, not the offer
    assert kept[0].text == translator("vi")("lang.set")
    assert language(await say(dispatcher, action="m:menu")) == "vi"


async def test_text_typed_at_a_step_keeps_the_setting(dispatcher: Dispatcher) -> None:
    await onboard(dispatcher, "producer", "vi")
    await say(dispatcher, "/danhgia")
    asked = await say(dispatcher, "what is the best product for me")  # a product's name asked
    assert language(asked) == "vi" and "m:lang:en" not in actions(asked)


@pytest.mark.parametrize(
    ("text", "locale"),
    [
        ("English please", "vi"),
        ("in english", "vi"),
        ("can you speak english?", "vi"),
        ("tieng anh", "vi"),
        ("doi ngon ngu", "en"),
        ("Tiếng Việt nhé", "en"),
        ("vietnamese please", "en"),
        ("change language", "vi"),
    ],
)
async def test_a_language_asked_for_in_words_offers_the_choice(
    dispatcher: Dispatcher, text: str, locale: str
) -> None:
    """Walk 2026_11_30 (tour8): a visitor who had switched to Vietnamese typed "English please"
    and heard "Xin lỗi, em chưa hiểu"; a language asked for in words is the language choice."""
    await onboard(dispatcher, "tourist", locale)
    asked = await say(dispatcher, text)
    assert asked[0].text in (translator("en")("lang.ask"), translator("vi")("lang.ask"))
    assert {"m:lang:vi", "m:lang:en"} <= set(actions(asked))
