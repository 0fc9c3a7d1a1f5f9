"""A criterion named in a question by its name ("sở hữu trí tuệ tính bao nhiêu điểm"): its
code and the points it is worth on the sheets of the edition in force (Phụ lục II)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cache

from knowledge.criteria.build import bundled_sheets
from knowledge.criteria.catalogue import current_edition
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


def criterion_named(text: str, *, today: date | None = None) -> NamedCriterion | None:
    """The criterion whose whole name a question holds, the longest named; None otherwise."""
    padded = f" {fold(text)} "
    for folded, criterion in _criteria(current_edition(today).code):
        if f" {folded} " in padded:
            return criterion
    return None
