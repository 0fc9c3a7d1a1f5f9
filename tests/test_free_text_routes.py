"""Free text at the menu reaches the right feature for each role (figures: `python -m
bench.free_text`): producers' questions about the programme get the FAQ, visitors' ones never a
place card, producers asking for places get the place search; nothing confidently wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.free_text import CASES, DECLINE, HOLDOUT, cases, outcomes
from knowledge.faq import entries


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
