"""Unanswered questions grouped by similarity, so officers answer the most asked first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from knowledge.text import fold

SIMILAR = 75.0
"""token_set_ratio on folded text at or above which two questions are one group: "ho so ocop
gom nhung gi" and "ho so ocop can giay to gi" reach ~80, different topics stay under ~60."""


@dataclass(slots=True)
class Group:
    """Similar questions: the first one seen stands for the group; `members` are indices."""

    key: str
    label: str
    members: list[int] = field(default_factory=list)


def group_questions(texts: Sequence[str], *, threshold: float = SIMILAR) -> list[Group]:
    """Greedy single pass: each question joins the first group whose representative is similar
    enough, or starts a new one. Largest groups first (ties: first seen first)."""
    groups: list[Group] = []
    for index, text in enumerate(texts):
        key = fold(text)
        if not key:
            continue
        best: Group | None = None
        best_score = threshold
        for group in groups:
            score = fuzz.token_set_ratio(key, group.key)
            if score >= best_score:
                best, best_score = group, score
        if best is None:
            groups.append(Group(key=key, label=text.strip(), members=[index]))
        else:
            best.members.append(index)
    order = {id(g): i for i, g in enumerate(groups)}
    return sorted(groups, key=lambda g: (-len(g.members), order[id(g)]))
