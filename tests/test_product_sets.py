"""Everyday products placed in their product set (QĐ 26/2026/QĐ-TTg, Phụ lục I):
tests/data/product_sets.json, asked as an FAQ question and said as what a producer makes;
what is no OCOP product is placed nowhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowledge.criteria import find_sets, named_sets, set_asked

_CASES = json.loads((Path(__file__).parent / "data" / "product_sets.json").read_text("utf-8"))[
    "cases"
]
_IDS = [f"{c['lang']}:{c['product']}" for c in _CASES]


def _asked(product: str, lang: str) -> str:
    return f"which group is {product} in" if lang == "en" else f"{product} thuoc nhom nao"


def _said(product: str, lang: str) -> str:
    return f"we make {product}" if lang == "en" else f"nha toi lam {product}"


@pytest.mark.parametrize("case", _CASES, ids=_IDS)
def test_a_product_asked_about_is_placed_in_its_set(case: dict[str, str]) -> None:
    english = case["lang"] == "en"
    found = set_asked(_asked(case["product"], case["lang"]), english=english)
    assert (found.code if found else None) == case["expected"]


@pytest.mark.parametrize("case", _CASES, ids=_IDS)
def test_a_product_a_producer_makes_is_offered_its_set_first(case: dict[str, str]) -> None:
    found = named_sets(_said(case["product"], case["lang"]))
    assert (found[0].code if found else None) == case["expected"]


@pytest.mark.parametrize("case", [c for c in _CASES if c["expected"]], ids=lambda c: c["product"])
def test_a_product_typed_at_the_self_assessment_finds_its_set_first(case: dict[str, str]) -> None:
    found = find_sets(case["product"])
    assert found and found[0].product_set.code == case["expected"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cac nhom san pham ocop gom nhung gi", None),  # gồm, not gốm
        ("nhom san pham nao duoc chung nhan ocop", None),  # chứng nhận, not nhãn
        ("nhom nao duoc kiem tra", None),  # kiểm tra, not trà
        ("ca nhan thuoc nhom nao", None),  # cá nhân, not cá
        ("nhom tieu chi la gi", None),  # tiêu chí, not tiêu
        ("binh gom thuoc bo nao", "26-thu-cong-my-nghe"),
        ("nhan long thuoc nhom nao", "26-rau-cu-qua-hat-tuoi"),
        ("tra thai nguyen thuoc nhom nao", "26-che-tuoi-che-bien"),
        ("tieu phu quoc thuoc nhom nao", "26-gia-vi-khac"),
    ],
)
def test_a_word_spelled_like_a_product_inside_a_common_word_names_none(
    text: str, expected: str | None
) -> None:
    named = set_asked(text)
    assert (named.code if named else None) == expected
