"""Catalogs: every message id used in the code has a Vietnamese and an English text."""

from __future__ import annotations

import re
import string
from functools import cache
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from bot.i18n import LOCALES, message_ids, translator

ROOT = Path(__file__).resolve().parent.parent


@cache
def used_ids() -> frozenset[str]:
    """The message ids the code and the dashboard's pages use (extracted once per process)."""
    ids: set[str] = set()
    for folder in ("bot", "handlers"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")], keywords={"t": None, "N_": None}
        ):
            ids.add(message if isinstance(message, str) else message[0])
    for template in (ROOT / "bot").glob("**/templates/*.html"):  # the dashboard's pages
        ids |= set(re.findall(r"""\bt\(["']([\w.]+)["']""", template.read_text()))
    return frozenset(ids)


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_code_uses_message_ids_and_extraction_finds_them() -> None:
    ids = used_ids()
    assert {"start.greeting", "menu.title", "role.producer", "command.start"} <= ids


def test_every_used_id_is_translated_in_every_locale() -> None:
    for locale in LOCALES:
        catalog = message_ids(locale)
        missing = sorted(i for i in used_ids() if not catalog.get(i))
        assert missing == [], f"{locale} lacks {missing}"


def test_catalogs_have_the_same_ids_and_placeholders() -> None:
    vi, en = message_ids("vi"), message_ids("en")
    assert set(vi) == set(en)
    for key in vi:
        assert fields(vi[key]) == fields(en[key]), key


def test_no_catalog_entry_is_unused() -> None:
    assert sorted(set(message_ids("vi")) - used_ids()) == []


def test_interpolated_values_are_html_escaped() -> None:
    text = translator("vi")("unknown.text", said="<i>x</i>")
    assert "&lt;i&gt;x&lt;/i&gt;" in text and "<i>" not in text


def test_vietnamese_replies_address_the_user_politely() -> None:
    vi = message_ids("vi")
    assert "anh/chị" in vi["start.greeting"]
    assert not re.search(r"\bbạn\b", " ".join(vi.values())), "we say anh/chị, not bạn"


@pytest.mark.parametrize(
    ("points", "shown"),
    [
        (1, "3 stars: 1 more point and"),
        (11, "3 stars: 11 more points and"),
        (21, "21 more points"),
    ],
)
def test_an_english_count_of_one_is_singular(points: int, shown: str) -> None:
    """Seen in the console after a self-assessment: "3 stars: 1 more points", "1 criteria"."""
    t = translator("en")
    assert shown in t("assess.gap_both", stars=3, points=points, codes="2.2")
    assert t("assess.plan_whole", count=1) == "📄 The whole plan (1 criterion)"
    assert t("assess.plan_whole", count=6) == "📄 The whole plan (6 criteria)"
