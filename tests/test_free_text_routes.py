"""Free text at the menu reaches the right feature for each role (figures: `python -m
bench.free_text`): producers' questions about the programme get the FAQ, visitors' ones never a
place card, producers asking for places get the place search; nothing confidently wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.free_text import CASES, DECLINE, HOLDOUT, cases, outcomes
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
    assert all(c.expected <= known and c.role in ("producer", "tourist") for c in items)
    got = outcomes(items)
    right = sum(r in c.expected for c, r in zip(items, got, strict=True))
    wrong = [
        (c.text, r) for c, r in zip(items, got, strict=True) if r not in c.expected | {DECLINE}
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
