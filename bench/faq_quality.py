"""FAQ matcher quality on the producer evaluation set (tests/data/faq_questions.json).

    python -m bench.faq_quality              # the matcher in this checkout
    python -m bench.faq_quality --rev REV    # the matcher of an older commit (baseline)

Prints, per category: right answers %, correct declines %, wrong-confident answers %.
Goals (tests/test_faq_quality.py): ≥ 90 % right answers, ≥ 90 % correct declines.
A verdict is an entry id, `self_assessment` (lead into the producer's own assessment) or
`decline`. With --rev, the old matcher's ids are mapped to today's (OLD_IDS); it had no
own-product reading, so those questions count as declined or wrong.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
QUESTIONS = DATA / "faq_questions.json"
HOLDOUT = DATA / "faq_questions_holdout.json"
"""Questions written after the matcher (its first figures are in its notes)."""
DECLINE = "decline"
# Entry ids before issue 9/12 → the entry that answers the same question today.
OLD_IDS = {"changes_148": "changes_2026", "annual_cycle": "evaluation_rounds"}


@dataclass(frozen=True, slots=True)
class Question:
    text: str
    category: str
    expected: frozenset[str]


@dataclass(frozen=True, slots=True)
class Rates:
    """Counts for one category (or all): right, declined when it should, wrong and confident."""

    total: int
    right: int
    declines_expected: int
    declined_right: int
    wrong_confident: int

    def pct(self, part: int, whole: int) -> str:
        return f"{100 * part / whole:5.1f}" if whole else "    –"


def questions(path: Path = QUESTIONS) -> list[Question]:
    raw = json.loads(path.read_text("utf-8"))["questions"]
    return [
        Question(
            q["text"],
            q["category"],
            frozenset([q["expected"]] if isinstance(q["expected"], str) else q["expected"]),
        )
        for q in raw
    ]


def rates(items: Iterable[tuple[Question, str]]) -> Rates:
    total = right = declines = declined_right = wrong = 0
    for question, verdict in items:
        total += 1
        if DECLINE in question.expected:
            declines += 1
            declined_right += verdict == DECLINE
        right += verdict in question.expected
        wrong += verdict != DECLINE and verdict not in question.expected
    return Rates(total, right, declines, declined_right, wrong)


def measure(verdict: Callable[[str], str], path: Path = QUESTIONS) -> dict[str, Rates]:
    """Rates per category, then `answerable` (every non-decline question) and `all`."""
    judged = [(q, verdict(q.text)) for q in questions(path)]
    categories = sorted({q.category for q, _ in judged}, key=[q.category for q, _ in judged].index)
    table = {c: rates(j for j in judged if j[0].category == c) for c in categories}
    table["answerable"] = rates(j for j in judged if DECLINE not in j[0].expected)
    table["all"] = rates(judged)
    return table


def misses(verdict: Callable[[str], str], path: Path = QUESTIONS) -> list[tuple[Question, str]]:
    return [(q, v) for q in questions(path) if (v := verdict(q.text)) not in q.expected]


def current_verdict(text: str) -> str:
    from knowledge.faq import read_question

    return read_question(text, audience="producer").verdict


def old_verdicts(rev: str, path: Path = QUESTIONS) -> Callable[[str], str]:
    """The matcher of commit `rev`, run in a subprocess on its own copy of `knowledge/`."""
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(
            ["git", "-C", str(root), "archive", rev, "knowledge"], check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        script = (
            "import json, sys\n"
            f"sys.path.insert(0, {tmp!r})\n"
            "from knowledge.faq import find_answer\n"
            "texts = json.load(sys.stdin)\n"
            "out = {}\n"
            "for t in texts:\n"
            "    m = find_answer(t, audience='producer')\n"
            "    out[t] = m[0].entry.id if m else None\n"
            "print(json.dumps(out))\n"
        )
        found = subprocess.run(
            [sys.executable, "-c", script],
            input=json.dumps([q.text for q in questions(path)]),
            capture_output=True,
            text=True,
            check=True,
            cwd=tmp,
        ).stdout
    ids: dict[str, str | None] = json.loads(found)
    return lambda text: DECLINE if ids[text] is None else OLD_IDS.get(ids[text], ids[text])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", help="measure the matcher of this git commit instead")
    parser.add_argument("--misses", action="store_true", help="list every question missed")
    parser.add_argument("--holdout", action="store_true", help="the held-out questions instead")
    args = parser.parse_args()
    path = HOLDOUT if args.holdout else QUESTIONS
    verdict = old_verdicts(args.rev, path) if args.rev else current_verdict
    print(f"{path.relative_to(DATA.parent.parent)}")
    header = ("category", "n", "right %", "correct decline %", "wrong-confident %")
    print(f"{header[0]:<16}{header[1]:>5}  {header[2]:>8}  {header[3]:>18}  {header[4]:>18}")
    for name, r in measure(verdict, path).items():
        print(
            f"{name:<16}{r.total:>5}  {r.pct(r.right, r.total):>8}  "
            f"{r.pct(r.declined_right, r.declines_expected):>18}  "
            f"{r.pct(r.wrong_confident, r.total):>18}"
        )
    if args.misses:
        for question, got in misses(verdict, path):
            want = sorted(question.expected)
            print(f"  [{question.category}] {question.text!r}: got {got}, want {want}")


if __name__ == "__main__":
    main()
