"""Free text at the menu reaches the right feature for each role (figures: `python -m
bench.free_text`): producers' questions about the programme get the FAQ, visitors' ones never a
place card, producers asking for places get the place search; nothing confidently wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.free_text import CASES, DECLINE, HOLDOUT, cases, declined, fits, outcomes
from bot.dispatch import Dispatcher
from knowledge.faq import entries
from tests.test_faq_flow import actions, onboard, say


@pytest.mark.parametrize("path", [CASES, HOLDOUT], ids=lambda p: p.stem)
def test_free_text_reaches_the_right_feature(path: Path) -> None:
    items = cases(path)
    known = {f"faq:{e.id}" for e in entries()} | {
        DECLINE,
        "self_assessment",
        "product",
        "places",
        "choice",
    }
    known |= {f"{DECLINE}:{kind}" for kind in ("faq", "place", "price")}
    assert all(c.expected <= known and c.role in ("producer", "tourist") for c in items)
    got = outcomes(items)
    right = sum(fits(r, c.expected) for c, r in zip(items, got, strict=True))
    wrong = [
        (c.text, r)
        for c, r in zip(items, got, strict=True)
        if not fits(r, c.expected) and not declined(r)
    ]
    assert right / len(items) >= 0.90
    assert wrong == []


async def test_in_the_place_search_a_programme_question_still_gets_the_faq(
    dispatcher: Dispatcher,
) -> None:
    await onboard(dispatcher, "tourist", "vi")
    await say(dispatcher, action="tp:start")  # "near me": the bot waits for a place
    stars = await say(dispatcher, "mấy sao")
    assert not any(a.startswith("tp:d:") for a in actions(stars))  # not "Làng may áo dài"
    assert "faq:list" in actions(stars)
    rules = await say(dispatcher, "QĐ 148 còn hiệu lực không")
    assert "QĐ 26/2026/QĐ-TTg" in rules[0].text


async def test_a_producer_asking_for_places_gets_them_and_the_product_offer(
    dispatcher: Dispatcher,
) -> None:
    await onboard(dispatcher, "producer", "vi")
    replies = await say(dispatcher, "du lịch cộng đồng ở Hà Giang")
    assert any(a.startswith("tp:d:") for a in actions(replies[:-1]))
    assert actions(replies[-1:])[0] == "as:set:26-du-lich-cong-dong"


async def test_a_visitor_reads_the_answer_without_the_producers_note(
    dispatcher: Dispatcher,
) -> None:
    note = {e.id: e for e in entries()}["changes_2026"].note_vi
    await onboard(dispatcher, "tourist", "vi", user="visitor")
    seen = await say(dispatcher, "OCOP mới thay đổi gì", user="visitor")
    assert "QĐ 26/2026/QĐ-TTg" in seen[0].text and note not in seen[0].text
    seen = await say(dispatcher, action="faq:d:changes_2026", user="visitor")
    assert "QĐ 26/2026/QĐ-TTg" in seen[0].text and note not in seen[0].text
    await onboard(dispatcher, "producer", "vi", user="maker")
    told = await say(dispatcher, "OCOP mới thay đổi gì", user="maker")
    assert note not in told[0].text  # the short answer: the note is in the details
    told = await say(dispatcher, action="faq:d:changes_2026", user="maker")
    assert note in told[0].text and "QĐ 26/2026/QĐ-TTg" in told[0].text


async def test_a_producer_in_the_place_search_who_types_a_product_gets_the_offer(
    dispatcher: Dispatcher,
) -> None:
    await onboard(dispatcher, "producer", "vi")
    await say(dispatcher, "làng nghề gần đây")
    offer = await say(dispatcher, "mật ong")
    assert any(a.startswith("as:set:") for a in actions(offer))
    assert not any(a.startswith("tp:d:") for a in actions(offer))
    places = await say(dispatcher, "Bát Tràng")  # out of the place flow, places still answer
    assert any(a.startswith("tp:d:") for a in actions(places))
