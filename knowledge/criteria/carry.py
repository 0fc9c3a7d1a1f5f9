"""Carrying a producer's answers from one sheet to another (a re-assessment, or a result made
under a lapsed decision moved to the one in force)."""

from __future__ import annotations

from knowledge.criteria.model import Sheet
from knowledge.text import fold


def carry_over(
    old: Sheet, new: Sheet, answers: dict[str, int]
) -> tuple[dict[str, int], list[str]]:
    """Answers that carry to `new`: a criterion with the same text and the same options (text and
    points) keeps its answer. Returns (answers, codes of `new` criteria that must be asked)."""
    by_text = {fold(c.text): c for c in old.criteria}
    carried: dict[str, int] = {}
    for criterion in new.criteria:
        before = by_text.get(fold(criterion.text))
        if before is None or before.code not in answers:
            continue
        same = [(fold(o.text), o.points) for o in before.options] == [
            (fold(o.text), o.points) for o in criterion.options
        ]
        if same:
            carried[criterion.code] = answers[before.code]
    if old.key == new.key:
        carried.update({d.code: answers[d.code] for d in new.disqualifiers if d.code in answers})
    changed = [c.code for c in new.criteria if c.code not in carried]
    return carried, changed
