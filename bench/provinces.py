"""How typed province names are read, by category: tests/data/province_names.json.

    python -m bench.provinces [--misses] [--holdout]

The first table is the province step (onboarding; an officer's audience reads each name the
same way): a name read for sure, several offered ("which one?"), or nothing. A case expecting
a province is right when that province is read for sure; "asked" when it is among those
offered. A case expecting none (null) is right when nothing is read for sure and, with `ask`,
only provinces of `ask` are offered (at least one); without `ask`, when nothing is offered.
"wrong" counts a province read for sure that is not the expected one: it must stay 0. "off"
counts choices offered without the expected province (or any, where nothing is expected);
"none" counts nothing read where a province was expected, or asked about.

The second table is the place search (`knowledge.gazetteer.place_mentions`): the province a
question naming it is filtered by; right when it is the expected one, wrong when another.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from bench._report import grouped, options
from knowledge.gazetteer import place_mentions
from knowledge.regions import read_province
from knowledge.text import fold

CASES = Path(__file__).resolve().parent.parent / "tests" / "data" / "province_names.json"
HOLDOUT = CASES.with_name("province_names_holdout.json")
"""Cases written with the main ones, before the reader changed; never tuned on."""


@dataclass(frozen=True, slots=True)
class Outcome:
    text: str
    category: str
    expected: int | None
    ask: tuple[int, ...]
    sure: int | None
    offered: tuple[int, ...]

    @property
    def verdict(self) -> str:
        """right, asked, wrong, off or none."""
        if self.sure is not None:
            return "right" if self.sure == self.expected else "wrong"
        if self.expected is not None:
            if self.expected in self.offered:
                return "asked"
            return "off" if self.offered else "none"
        if self.ask:
            if not self.offered:
                return "none"
            return "right" if set(self.offered) <= set(self.ask) else "off"
        return "off" if self.offered else "right"


def outcomes(path: Path) -> list[Outcome]:
    """Every case read at the province step."""
    found = []
    for case in json.loads(path.read_text(encoding="utf-8"))["cases"]:
        reading = read_province(case["text"])
        found.append(
            Outcome(
                case["text"],
                case["category"],
                case["expected"],
                tuple(case.get("ask", ())),
                reading.sure.province.code if reading.sure else None,
                tuple(m.province.code for m in reading.choices),
            )
        )
    return found


def searched(text: str) -> int | None:
    """The province the place search filters a question naming `text` by (None: none)."""
    for mention in place_mentions(fold(text).split()):
        if mention.scope is not None and mention.scope.province_code is not None:
            return mention.scope.province_code
    return None


_VERDICTS = ("right", "asked", "wrong", "off", "none")


def main() -> None:
    args = options(__doc__, misses="list every case not right")
    results = outcomes(HOLDOUT if args.holdout else CASES)
    groups = grouped(results, results, lambda o: (o.category,))
    groups["all"] = [(o, o) for o in results]
    print("province step")
    print(f"{'category':<18} {'cases':>5}" + "".join(f"{v:>8}" for v in _VERDICTS))
    for category, items in groups.items():
        counts = [sum(o.verdict == v for o, _ in items) for v in _VERDICTS]
        shares = "".join(f"{c / len(items):>8.0%}" for c in counts)
        print(f"{category:<18} {len(items):>5}{shares}  (wrong: {counts[2]})")
    print("\nplace search (a province named in a question)")
    print(f"{'category':<18} {'cases':>5} {'right':>7} {'wrong':>6}")
    for category, items in groups.items():
        named = [o for o, _ in items if o.expected is not None]
        if not named:
            continue
        got = [(o, searched(o.text)) for o in named]
        right = sum(code == o.expected for o, code in got)
        wrong = sum(code not in (None, o.expected) for o, code in got)
        print(f"{category:<18} {len(named):>5} {right / len(named):>7.0%} {wrong:>6}")
    if args.misses:
        for o in results:
            if o.verdict != "right":
                print(f"  {o.verdict} {o.category}: {o.text!r} expected {o.expected}", end="")
                print(f" (ask {list(o.ask)})" if o.ask else "", end="")
                print(f", read {o.sure}, offered {list(o.offered)}")


if __name__ == "__main__":
    main()
