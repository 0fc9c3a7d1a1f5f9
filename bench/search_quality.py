"""How well the bot understands tourists: the evaluation set `tests/data/tourist_questions.json`
asked one by one, rates by category.

    python -m bench.search_quality [--failures]

Prints, per category and language, top-1 and top-3 (the expected place first / among the first
three, or the list measured from the expected point) and the rate of correct declines.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.places import haversine_km

QUESTIONS = Path(__file__).resolve().parents[1] / "tests" / "data" / "tourist_questions.json"
HOLDOUT = QUESTIONS.with_name("tourist_questions_holdout.json")
REFERENCE_KM = 3.0
"""How far the point a "near X" list is measured from may be from the expected point."""


@dataclass
class Outcome:
    """What the bot did with a question, in the terms the evaluation checks."""

    kind: str
    """places, near, distance, decline, outside, need_location, ask or pass (not a place
    question)."""
    ids: list[str] = field(default_factory=list)
    point: tuple[float, float] | None = None
    """Where a list is measured from; for a distance, the point measured to."""
    kinds: list[str] = field(default_factory=list)
    start: tuple[float, float] | None = None
    """For a distance, the point measured from."""
    options: list[tuple[str, str]] = field(default_factory=list)
    """For "which one?", the options shown (Vietnamese and English labels)."""


def ask(question: str, here: tuple[float, float] | None) -> Outcome:
    """The bot's answer to one question (what handlers/tourism.py shows)."""
    from knowledge.place_query import understand_typed

    answer = understand_typed(question, here)
    if answer.kind == "places":
        return Outcome(
            "places", [p.id for p in answer.places], None, [p.kind for p in answer.places]
        )
    if answer.kind == "near":
        assert answer.origin is not None
        return Outcome(
            "near",
            [n.place.id for n in answer.nearby],
            (answer.origin.lat, answer.origin.lon),
            [n.place.kind for n in answer.nearby],
        )
    if answer.kind == "distance":
        assert answer.origin is not None and answer.target is not None
        return Outcome(
            "distance",
            [p.id for p in answer.places],
            (answer.target.lat, answer.target.lon),
            start=(answer.origin.lat, answer.origin.lon),
        )
    if answer.kind == "ask":
        shown = answer.options[:6]  # as handlers/tourism.py `_which` lists them
        return Outcome("ask", options=[(s.label, s.label_en) for s in shown])
    return Outcome(answer.kind)


def reference_point(name: str, here: list[float] | None) -> tuple[float, float]:
    """The expected point: `here`, `place:<id>` or `Commune, Province` (official 2025 point)."""
    from knowledge.places import by_id
    from knowledge.regions import communes, provinces

    if name == "here":
        assert here is not None
        return here[0], here[1]
    if name.startswith("place:"):
        place = by_id(name.removeprefix("place:"))
        assert place is not None and place.lat is not None and place.lon is not None, name
        return place.lat, place.lon
    commune, province = (part.strip() for part in name.split(","))
    codes = {p.code for p in provinces() if p.name.endswith(province)}
    [match] = [c for c in communes() if c.name == commune and c.province_code in codes]
    return match.lat, match.lon


def faq_answers(question: str) -> bool:
    """Whether the FAQ has an answer for a tourist (its public entry point)."""
    from knowledge.faq import find_answer

    return bool(find_answer(question, audience="tourist"))


@dataclass
class Verdict:
    """One question judged."""

    answerable: bool
    top1: bool
    top3: bool


def judge(item: dict, outcome: Outcome) -> Verdict:
    """Whether the outcome is what the question expected."""
    expect = item["expect"]
    if "distance" in expect:  # measured to the expected point, from the expected one
        right = outcome.kind == "distance" and outcome.point is not None
        for name, point in ((expect["distance"], outcome.point), (expect["from"], outcome.start)):
            tolerance = 0.5 if name == "here" else REFERENCE_KM
            expected = reference_point(name, item.get("here"))
            right = right and point is not None and haversine_km(*expected, *point) <= tolerance
        return Verdict(True, right, right)
    if "ids" in expect and "near" not in expect:
        ok = outcome.kind in ("places", "near")
        return Verdict(
            True,
            ok and outcome.ids[:1] != [] and outcome.ids[0] in expect["ids"],
            ok and any(i in expect["ids"] for i in outcome.ids[:3]),
        )
    if "near" in expect:
        point = reference_point(expect["near"], item.get("here"))
        tolerance = 0.5 if expect["near"] == "here" else REFERENCE_KM
        right = (
            outcome.kind == "near"
            and outcome.point is not None
            and haversine_km(*point, *outcome.point) <= tolerance
            and bool(outcome.ids)
        )
        if "kind" in expect:
            right = right and all(k == expect["kind"] for k in outcome.kinds)
        top1 = top3 = right
        if "ids" in expect:
            top1 = right and outcome.ids[0] in expect["ids"]
            top3 = right and any(i in expect["ids"] for i in outcome.ids[:3])
        return Verdict(True, top1, top3)
    if expect.get("ask"):  # several places of the name: which one? (each option its own)
        labels = [{vi for vi, _ in outcome.options}, {en for _, en in outcome.options}]
        ok = outcome.kind == "ask" and all(len(ls) == len(outcome.options) for ls in labels)
        return Verdict(True, ok, ok)
    if expect.get("need_location"):
        ok = outcome.kind == "need_location"
        return Verdict(True, ok, ok)
    if expect.get("faq"):
        ok = outcome.kind == "pass" and faq_answers(item["q"])
        return Verdict(True, ok, ok)
    if expect.get("outside"):
        ok = outcome.kind == "outside"
        return Verdict(False, ok, ok)
    declined = outcome.kind in ("decline", "outside") or (
        outcome.kind == "pass" and not faq_answers(item["q"])
    )
    return Verdict(False, declined, declined)


def evaluate(path: Path = QUESTIONS) -> list[tuple[dict, Outcome, Verdict]]:
    """Every question of a set, asked and judged."""
    items = json.loads(path.read_text("utf-8"))["questions"]
    results = []
    for item in items:
        here = tuple(item["here"]) if "here" in item else None
        outcome = ask(item["q"], here)  # type: ignore[arg-type]
        results.append((item, outcome, judge(item, outcome)))
    return results


def rates(results: list[tuple[dict, Outcome, Verdict]]) -> dict[str, dict[str, float]]:
    """Per group: n, top1 and top3 (answerable) or decline (should-decline), as fractions."""
    groups: dict[str, list[Verdict]] = defaultdict(list)
    for item, _, verdict in results:
        for key in (item["cat"], f"lang:{item['lang']}", "all"):
            groups[key].append(verdict)
    table: dict[str, dict[str, float]] = {}
    for key, verdicts in groups.items():
        answerable = [v for v in verdicts if v.answerable]
        declines = [v for v in verdicts if not v.answerable]
        row: dict[str, float] = {"n": len(verdicts)}
        if answerable:
            row["top1"] = sum(v.top1 for v in answerable) / len(answerable)
            row["top3"] = sum(v.top3 for v in answerable) / len(answerable)
            row["answerable"] = len(answerable)
        if declines:
            row["decline"] = sum(v.top1 for v in declines) / len(declines)
            row["should_decline"] = len(declines)
        table[key] = row
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--failures", action="store_true", help="list the questions missed")
    parser.add_argument("--holdout", action="store_true", help="the held-out set instead")
    args = parser.parse_args()
    results = evaluate(HOLDOUT if args.holdout else QUESTIONS)
    table = rates(results)
    print(f"{'category':<12} {'n':>4} {'top-1':>7} {'top-3':>7} {'declined':>9}")
    order = [k for k in table if not k.startswith("lang:") and k != "all"]
    for key in [*order, "lang:vi", "lang:en", "all"]:
        row = table[key]

        def pct(name: str, row: dict[str, float] = row) -> str:
            return f"{row[name] * 100:6.1f}%" if name in row else "      –"

        print(
            f"{key:<12} {int(row['n']):>4} {pct('top1'):>7} {pct('top3'):>7} {pct('decline'):>9}"
        )
    if args.failures:
        print()
        for item, outcome, verdict in results:
            if not verdict.top1:
                print(
                    f"[{item['cat']}] {item['q']!r}: expected {item['expect']}, "
                    f"got {outcome.kind} {outcome.ids[:3]} {outcome.point}"
                )


if __name__ == "__main__":
    main()
