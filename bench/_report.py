"""What the quality benches share: their two options, their results grouped by key, and the
length tables of the reply-length benches."""

from __future__ import annotations

import argparse
import statistics
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


def length_header(limit: int, width: int) -> str:
    """The header of a length table: reply, n, min, median, p90, max, how many over `limit`."""
    return (
        f"{'reply':<{width}}{'n':>4}{'min':>6}{'median':>8}{'p90':>6}{'max':>6}{f'> {limit}':>8}"
    )


def length_row(name: str, sizes: list[int], limit: int, width: int) -> str:
    """One row of a length table (`length_header`)."""
    ordered = sorted(sizes)
    p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
    over = sum(s > limit for s in sizes)
    return (
        f"{name:<{width}}{len(sizes):>4}{ordered[0]:>6}{statistics.median(sizes):>8.0f}"
        f"{p90:>6}{ordered[-1]:>6}{over:>8}"
    )
