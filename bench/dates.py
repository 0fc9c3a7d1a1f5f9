"""How officers' typed dates are read (`knowledge.typed_dates.read_when`), by category:
tests/data/deadline_dates.json.

    python -m bench.dates [--misses] [--holdout]

A case is right when the moment read is the one expected (Vietnam time), or when text that must
be refused (no such day, month-first, vague, ambiguous, a weekday that is not the date's, past)
is refused. Cases of the category "in_sentence" are an officer's whole wish ("đăng hạn chót nộp
hồ sơ 17h ngày 15/12"): the date and time `knowledge.typed_commands.officer_wish` keeps of it
are read, as /hanchot reads them. "wrong" counts a moment read that is not the one expected, or
one read from text that must be refused: a deadline published on a date the officer did not
mean. It must stay 0.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bench._report import options
from knowledge.reminders import VIETNAM
from knowledge.typed_commands import officer_wish
from knowledge.typed_dates import read_when

CASES = Path(__file__).resolve().parent.parent / "tests" / "data" / "deadline_dates.json"
HOLDOUT = CASES.with_name("deadline_dates_holdout.json")
"""Cases written after the reader was (its first figures are in the commit that added it)."""


@dataclass(frozen=True, slots=True)
class Outcome:
    text: str
    category: str
    expected: str | None
    got: str | None
    """The moment read ("%Y-%m-%dT%H:%M", Vietnam time), or the problem in brackets."""

    @property
    def right(self) -> bool:
        return self.got == self.expected if self.expected else self.got is None or "[" in self.got

    @property
    def wrong(self) -> bool:
        """A moment read that is not the expected one (a refusal is not wrong, only missed)."""
        return self.got is not None and "[" not in self.got and self.got != self.expected


def _typed(text: str, category: str) -> str:
    """What is read of a case: the text, or the date and time kept of an officer's wish."""
    if category != "in_sentence":
        return text
    wish = officer_wish(text)
    return wish.due if wish else ""


def outcomes(path: Path = CASES) -> list[Outcome]:
    """Every case read at the file's 'now'."""
    data = json.loads(path.read_text(encoding="utf-8"))
    now = datetime.fromisoformat(data["now"])
    found = []
    for case in data["cases"]:
        moment, problem = read_when(_typed(case["text"], case["category"]), now)
        got = f"[{problem}]" if problem else None
        if moment is not None and not problem:
            got = moment.astimezone(VIETNAM).strftime("%Y-%m-%dT%H:%M")
        found.append(Outcome(case["text"], case["category"], case["expected"], got))
    return found


def main() -> None:
    args = options(__doc__, misses="list every case not right")
    results = outcomes(HOLDOUT if args.holdout else CASES)
    by_category: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in results:
        by_category[outcome.category].append(outcome)
    print(f"{'category':<12} {'cases':>5} {'right':>7} {'wrong':>6}")
    for category, items in by_category.items():
        right = sum(o.right for o in items) / len(items)
        wrong = sum(o.wrong for o in items)
        print(f"{category:<12} {len(items):>5} {right:>7.1%} {wrong:>6}")
    right = sum(o.right for o in results) / len(results)
    print(f"{'all':<12} {len(results):>5} {right:>7.1%} {sum(o.wrong for o in results):>6}")
    if args.misses:
        for o in results:
            if not o.right:
                print(f"  {o.category}: {o.text!r} expected {o.expected}, got {o.got}")


if __name__ == "__main__":
    main()
