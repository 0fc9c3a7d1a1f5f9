"""What the quality benches share: their two options and their results grouped by key."""

from __future__ import annotations

import argparse
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TypeVar

C = TypeVar("C")
R = TypeVar("R")


def options(doc: str | None, *, misses: str = "list every case missed") -> argparse.Namespace:
    """`--misses` and `--holdout` (the held-out cases instead), under the bench's first line."""
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("--misses", action="store_true", help=misses)
    parser.add_argument("--holdout", action="store_true", help="the held-out cases instead")
    return parser.parse_args()


def grouped(
    cases: Iterable[C], results: Iterable[R], keys: Callable[[C], Iterable[str]]
) -> dict[str, list[tuple[C, R]]]:
    """Each case with its result under every key it counts for (its category, its language,
    "all"), in the order first met."""
    groups: dict[str, list[tuple[C, R]]] = defaultdict(list)
    for case, result in zip(cases, results, strict=True):
        for key in keys(case):
            groups[key].append((case, result))
    return groups
