"""Words around a tourist's question that frame it rather than name what is sought, read off
before the search: a radius ("within 20 km"), "còn" (what about), "làm"/"nghề" before a
product, "cũ"/"former" and a landform said with a name, a closing particle."""

from __future__ import annotations

import re
from functools import cache

from knowledge.gazetteer import Mention, is_a_name
from knowledge.place_catalogue import Catalogue
from knowledge.place_search import typed_spellings
from knowledge.place_words import (
    CLOSING,
    COUNTS,
    FORMER_AFTER,
    FORMER_BEFORE,
    MAKE,
    NAME_AFTER,
    NAME_BEFORE,
    OPENED_ONCE,
    OPENED_SINCE,
    OPENED_WHEN,
    PLACE_NOUNS,
    table_phrases,
)
from knowledge.text import spelling

_RADIUS = re.compile(
    r"\b(?:trong vong|trong ban kinh|trong pham vi|ban kinh|cach day|within|in an?)"
    r"(?: khoang| about| around)? \d+ ?(?:km|cay so|kilomet(?:er|re)s?)(?: radius)?\b"
)
"""A distance said around the asker ("within 20 km", "trong bán kính 10 km", "cách đây 20km"):
read as "near here" (the list says each place's distance)."""


def radius_read(words: list[str]) -> list[str]:
    """The words with a radius said read as "near here" (`_RADIUS`)."""
    joined = " ".join(words)
    if not any(w[:1].isdigit() for w in words) or not _RADIUS.search(joined):
        return words
    return _RADIUS.sub("gan day", joined).split()


def shop_opened(words: list[str]) -> list[str]:
    """The words without "mở" before "cửa hàng" ("mở cửa hàng đặc sản": to open a shop, not
    a shop's opening hours, "mở cửa")."""
    return [
        w
        for i, w in enumerate(words)
        if not (w == "mo" and words[i + 1 : i + 3] == ["cua", "hang"])
    ]


def asks_what_about(words: list[str], text: str, index: Catalogue) -> bool:
    """Whether the question opens with "còn" (what about: "còn làng gốm thì sao"), not "cồn"
    (an islet) as typed ("cồn ở Bến Tre") or of a name ("Con Phung")."""
    if words[0] != "con" or len(words) < 2:
        return False
    typed = typed_spellings(text).get("con")
    if typed is not None and spelling("còn") not in typed:
        return False
    return not index.words.named_in_a_row("con", words[1]) and not is_a_name(f"con {words[1]}")


@cache
def _product_starts() -> dict[str, list[list[str]]]:
    """The phrases of the tables by their first word."""
    starts: dict[str, list[list[str]]] = {}
    for phrase in table_phrases():
        starts.setdefault(phrase.split()[0], []).append(phrase.split())
    return starts


def without_make(words: list[str], index: Catalogue) -> list[str]:
    """The words without `MAKE` right before a product or kind ("làm gốm" asks for pottery,
    "nghề làm nón" for conical hats), but for "làng nghề" (a kind of place) and a name's
    syllable ("Mỹ Lam conical hat village")."""
    starts = _product_starts()
    kept: list[str] = []  # the words after, last first
    for i in range(len(words) - 1, -1, -1):
        word, before, after = words[i], words[i - 1] if i else "", kept[::-1]
        made = word in MAKE and before != "lang"
        made = made and (before in MAKE or not index.words.named_in_a_row(before, word))
        product = after and any(after[: len(p)] == p for p in starts.get(after[0], ()))
        if not (made and product):
            kept.append(word)
    return kept[::-1]


def read_off(words: list[str], mentions: list[Mention], index: Catalogue) -> set[int]:
    """Where a word says a unit named is the former one ("Hà Tây cũ", "tỉnh Quảng Nam cũ",
    "former Gia Lam district": the names are read as before 2025 already) or is part of what
    the name names ("Ha Long bay", "đảo Phú Quốc": `NAME_AFTER`, `NAME_BEFORE`), and a particle
    closing the question ("… ở Huế nha") outside a name ("Phong Nha", "Huổi Nhả"): words to
    read off, no product to find."""
    marks: set[int] = set()
    for m in mentions:
        if not (m.spots or m.scope):
            continue
        if m.end < len(words) and words[m.end] in FORMER_AFTER | NAME_AFTER:
            marks.add(m.end)
        if m.start and words[m.start - 1] in FORMER_BEFORE:
            marks.add(m.start - 1)
        for before in NAME_BEFORE:  # "đảo Phú Quốc", "thủ đô Hà Nội"
            if words[max(0, m.start - len(before)) : m.start] == list(before):
                marks.update(range(m.start - len(before), m.start))
    last = len(words) - 1
    if (
        last > 0
        and words[last] in CLOSING
        and not any(m.end > last for m in mentions)
        and not index.words.named_in_a_row(words[last - 1], words[last])
    ):
        marks.add(last)
    return marks


_SINCE = frozenset({"tu", "nam", "ngay", "since", "year", "date", "did"})
"""Words that make "open" ask since when, not at what time ("mở *từ* bao giờ", "*năm* nào",
"when *did* it open")."""


def _phrase_at(words: list[str], at: int, phrases: tuple[str, ...]) -> list[str]:
    """The longest of the phrases starting at `at` in the words ([] when none does)."""
    found = [p.split() for p in phrases if words[at : at + len(p.split())] == p.split()]
    return max(found, key=len, default=[])


def opening_asked(words: list[str]) -> tuple[list[str], bool]:
    """The words without those asking since when a place is open (`OPENED_ONCE`,
    `OPENED_SINCE`, `OPENED_WHEN`), and whether they were there."""
    if "when" in words or "since" in words:
        english = {"opened", "founded", "established", "open", "opening"} & set(words)
        asked = english and (english - {"open", "opening"} or _SINCE & set(words))
        if asked:
            drop = english | {"when", "since", "year", "date", "did"}
            return [w for w in words if w not in drop], True
    cut: set[int] = set()
    for i in range(len(words)):
        verb = _phrase_at(words, i, OPENED_ONCE + OPENED_SINCE)
        if not verb or verb[0] in {"open", "opened", "opening", "founded", "established"}:
            continue
        end = i + len(verb)
        after = _phrase_at(words, end, OPENED_WHEN)
        before = next(
            (w.split() for w in OPENED_WHEN if words[max(0, i - len(w.split())) : i] == w.split()),
            [],
        )
        once = " ".join(verb) in OPENED_ONCE
        if after and (once or after[0] in _SINCE):
            cut.update(range(i, end + len(after)))
        elif before and (once or before[0] in _SINCE):
            cut.update(range(i - len(before), end))
    return [w for i, w in enumerate(words) if i not in cut], bool(cut)


def without_counts(words: list[str]) -> list[str]:
    """The words without a count of places asked for (`COUNTS`: "vài chỗ chơi", "mấy làng
    gốm", "một số điểm"): a count word right before a noun of places."""
    return [
        w
        for i, w in enumerate(words)
        if not (w in COUNTS and words[i + 1 : i + 2] and words[i + 1] in PLACE_NOUNS)
    ]
