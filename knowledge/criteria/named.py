"""A criterion named in a question by its name ("sở hữu trí tuệ tính bao nhiêu điểm"): its
code and the points it is worth on the sheets of the edition in force (Phụ lục II)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import pairwise

from knowledge.criteria.build import bundled_sheets
from knowledge.criteria.catalogue import current_edition
from knowledge.faq_words import COMMON_WORDS
from knowledge.text import fold


@dataclass(frozen=True, slots=True)
class NamedCriterion:
    """A criterion as the sheets of one edition have it."""

    code: str
    name: str
    low: float
    """The fewest points it is worth on a sheet that has it…"""
    high: float
    """…and the most (the same when every sheet gives it as many)."""
    sets: int
    """How many of the edition's sheets have it…"""
    of: int
    """…of how many."""


@cache
def _criteria(edition: str) -> tuple[tuple[str, NamedCriterion], ...]:
    """Each criterion name of two words or more on the edition's sheets, folded, longest first,
    with the criterion (its most frequent code, its points' range)."""
    sheets = [s for s in bundled_sheets().values() if s.edition.code == edition]
    found: dict[str, list[tuple[str, str, float]]] = {}
    for sheet in sheets:
        for part in sheet.parts:
            for criterion in part.criteria:
                folded = fold(criterion.text)
                if len(folded.split()) >= 2 and criterion.options:
                    top = max(o.points for o in criterion.options)
                    found.setdefault(folded, []).append((criterion.code, criterion.text, top))
    named = []
    for folded, seen in found.items():
        code = Counter(c for c, _, _ in seen).most_common(1)[0][0]
        points = [p for _, _, p in seen]
        name = seen[0][1]
        named.append(
            (folded, NamedCriterion(code, name, min(points), max(points), len(seen), len(sheets)))
        )
    return tuple(sorted(named, key=lambda n: -len(n[0])))


_FUNCTION = frozenset(
    {*COMMON_WORDS.split(), "su", "dung", "san", "pham", "hang", "hoa", "hoac", "theo", "trong"}
    | {"cac", "tren"}
)
"""Words that name no criterion alone: a pair of them ("có sử", "sử dụng") is no criterion's."""


@cache
def _pairs(edition: str) -> dict[tuple[str, str], NamedCriterion]:
    """The word pairs of criterion names that one criterion only has ("song ngu", "lao dong",
    "bao bi"), not two function words, each with that criterion as most sheets name it."""
    codes: dict[tuple[str, str], set[str]] = {}
    best: dict[tuple[str, str], NamedCriterion] = {}
    for folded, criterion in _criteria(edition):
        for pair in pairwise(folded.split()):
            if set(pair) <= _FUNCTION or max(len(w) for w in pair) < 3:
                continue
            codes.setdefault(pair, set()).add(criterion.code)
            if pair not in best or criterion.sets > best[pair].sets:
                best[pair] = criterion
    return {pair: best[pair] for pair, seen in codes.items() if len(seen) == 1}


_ENGLISH = (
    (r"bilingual|two languages", "ghi nhan hang hoa co su dung song ngu"),
    (r"local (?:labou?r|workers?|employees?|people)", "su dung lao dong dia phuong"),
    (r"intellectual property|(?:registered )?trade ?marks?", "so huu tri tue"),
    (r"(?:product(?:'s)?|brand) story|story of (?:the|my|our) product", "cau chuyen san pham"),
    (
        r"(?:woman|women|female|ethnic minority|disabled)(?: \w+){0,2} (?:legal )?"
        r"(?:representative|owner|director)",
        "dai dien phap luat cua chu the",
    ),
    (
        r"(?:protecting|protect|protection of) the environment|environmental protection",
        "bao ve moi truong trong qua trinh san xuat",
    ),
    (r"(?:business|sales|revenue|production) growth", "tang truong san xuat kinh doanh"),
    (
        r"(?:certified )?raw materials? (?:areas?|zones?|regions?)",
        "vung nguyen lieu duoc cap chung nhan chat luong",
    ),
    (
        r"(?:sustainable|green|clean) technolog(?:y|ies)",
        "su dung cong nghe theo huong ben vung trong san xuat",
    ),
    (
        r"(?:type|form) of (?:business|organi[sz]ation)|business type",
        "loai hinh to chuc san xuat kinh doanh",
    ),
    (r"instructions? for use|usage instructions?|user guide", "huong dan su dung"),
)
"""English words a question names a criterion by, each with the start of the criterion's
folded name on the sheets (Phụ lục II quotes only the Vietnamese; the answer quotes it)."""


@cache
def _english(edition: str) -> tuple[tuple[re.Pattern[str], NamedCriterion], ...]:
    """The English namings whose criterion the edition's sheets have."""
    named = _criteria(edition)
    found = []
    for words, start in _ENGLISH:
        criterion = next((c for name, c in named if name.startswith(start)), None)
        if criterion is not None:
            found.append((re.compile(rf"\b(?:{words})\b"), criterion))
    return tuple(found)


def criterion_named(
    text: str, *, today: date | None = None, by_words: bool = True
) -> NamedCriterion | None:
    """The criterion whose whole name a question holds, the longest named; else one named in
    English by its words ("bilingual labelling" for 2.4); else (`by_words`) the one criterion
    whose own pairs of words it holds ("ghi nhãn song ngữ" for 2.4 "Ghi nhãn hàng hóa có sử
    dụng song ngữ"); None otherwise."""
    edition = current_edition(today).code
    folded = fold(text)
    padded = f" {folded} "
    for name, criterion in _criteria(edition):
        if f" {name} " in padded:
            return criterion
    english = {c.code: c for pattern, c in _english(edition) if pattern.search(folded)}
    if len(english) == 1:
        return next(iter(english.values()))
    if not by_words:
        return None
    pairs = _pairs(edition)
    found = {pairs[p].code: pairs[p] for p in pairwise(folded.split()) if p in pairs}
    return next(iter(found.values())) if len(found) == 1 else None
