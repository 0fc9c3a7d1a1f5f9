"""Which feature answers free text typed at the menu, by role: tests/data/free_text_routes.json.

    python -m bench.free_text [--misses] [--holdout]

Each case is typed by a new console user of its role and language (consent given, province
skipped) through `bot.dispatch.Dispatcher` on a fresh SQLite database, and the replies are read
as an outcome: `faq:<entry id>` (its short answer or its details), `self_assessment`, `product`
(the offer to self-assess a product set), `places` (a place card, a list, the request for a
location), `choice` (places and the product offer), or a decline: `decline:faq` (the FAQ's or
the menu's), `decline:place` (no such place), `decline:<reason>` (what the place search does
not do: `decline:price`); a case expecting `decline` takes any of them. A case's `before`
texts are typed first (the user is then in the flow they led to). A case's `says` lists what
its first reply must hold (folded), the fact its narrower question asks ("nộp trễ": the late
filing rule); a reply without it is `<outcome>~unsaid`, a confident answer not expected. An
FAQ answer that tells a visitor to use the producers' features (the self-assessment,
/chungnhan) is `faq:<entry id>!producer`, never expected. Prints per category the share
answered as expected, and the share answered confidently with something not expected (a place
card for a question about the programme, an FAQ answer to another question): those must stay
at 0.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench._chat import ConsoleUsers, with_users
from bench._report import grouped, options
from bot.messages import Reply
from knowledge.faq_parts import YES_NO_OPENING
from knowledge.text import fold

CASES = Path(__file__).resolve().parent.parent / "tests" / "data" / "free_text_routes.json"
HOLDOUT = CASES.with_name("free_text_routes_holdout.json")
"""Cases written after the routing was changed (its first figures are in its notes)."""
DECLINE = "decline"
_DECLINES = (
    "tp.no_such",
    "tp.unknown_place",
    "tp.not_found",
    "faq.decline",
    "faq.decline_visitor",
    "unknown.text",
)
_PRODUCER_ONLY = re.compile(
    r"\bbot\b|/chungnhan|/lich|tự đánh giá để|run the self-assessment", re.I
)
"""What in an FAQ answer speaks to a producer: the bot's self-assessment, their commands."""


@dataclass(frozen=True, slots=True)
class Case:
    text: str
    role: str
    lang: str
    category: str
    expected: frozenset[str]
    before: tuple[str, ...] = ()
    says: tuple[str, ...] = ()


def cases(path: Path = CASES) -> list[Case]:
    return [
        Case(
            c["text"],
            c["role"],
            c["lang"],
            c["category"],
            frozenset(c["expected"]),
            tuple(c.get("before", ())),
            tuple(c.get("says", ())),
        )
        for c in json.loads(path.read_text("utf-8"))["cases"]
    ]


def fits(result: str, expected: frozenset[str]) -> bool:
    """Whether an outcome is one the case expects (any decline fits `decline`)."""
    return result in expected or (DECLINE in expected and declined(result))


def declined(result: str) -> bool:
    """Whether an outcome is a decline of some kind."""
    return result.split(":")[0] == DECLINE


def outcome(replies: Sequence[Reply], locale: str, role: str = "producer") -> str:
    """What the user was given, in the terms of the cases."""
    from bot.i18n import message_ids
    from knowledge.faq import entries
    from knowledge.text import as_locale

    ids = message_ids(as_locale(locale))
    leads = tuple(  # "Với 48 điểm: hạng 2 sao." before the bands, a round, a product's set, a
        # certificate's re-evaluation window
        ids[k].split("{")[0]
        for k in (
            "faq.score_band",
            "faq.criterion_points",
            "faq.central_rounds",
            "faq.month_round_1",
            "faq.month_round_2",
            "faq.month_round_next",
            "faq.product_set",
            "faq.window",
            "faq.window_late",
            "ct.phase.open",
            "ct.phase.ended",
            "faq.unregistered",
            "faq.who_province",
        )
    )
    texts = [
        (r.text or "").split("\n", 1)[-1] if (r.text or "").startswith(leads) else r.text or ""
        for r in replies
    ]
    actions = [b.action for r in replies for b in r.all_buttons if b.action]
    for entry in entries():
        short = entry.short(locale)  # shown without its "Yes." unless yes or no was asked
        opened = (short, YES_NO_OPENING.sub("", short, count=1), entry.answer(locale))
        shown = [t for t in texts if t.startswith(opened)]
        if shown:
            told = role == "tourist" and any(_PRODUCER_ONLY.search(t) for t in shown)
            return f"faq:{entry.id}" + ("!producer" if told else "")
    if any(t.startswith(leads) for t in texts):  # a narrower question's own answer alone
        shown = [a for a in actions if a.startswith("faq:d:")]
        if shown:
            return "faq:" + shown[0].removeprefix("faq:d:")
    if any(t == ids["faq.own_product"] for t in texts):
        return "self_assessment"
    declines = [
        (f"{DECLINE}:{'place' if k.startswith('tp.') else 'faq'}", ids.get(k, ""))
        for k in _DECLINES
    ]
    declines += [
        (f"{DECLINE}:{k.split('.')[-1]}", v) for k, v in ids.items() if k.startswith("tp.cannot.")
    ]
    for label, said in declines:
        if said and any(t.startswith(said.split("{")[0]) for t in texts):
            return label
    places = any(a.startswith("tp:d:") for a in actions) or any(r.venue for r in replies)
    places = places or any(t.startswith(ids["tp.need_location"]) for t in texts)
    product = any(a.startswith("as:set:") for a in actions)
    if places and product:
        return "choice"
    return "places" if places else "product" if product else DECLINE


def outcomes(items: list[Case]) -> list[str]:
    """The outcome of each case, typed in the console chat by a new user of its role."""

    async def typed(users: ConsoleUsers) -> list[str]:
        found = []
        for number, case in enumerate(items):
            user = f"route{number}"
            await users.onboard(user, case.role, case.lang)
            for text in case.before:
                await users.send(user, text)
            replies = await users.send(user, case.text)
            result = outcome(replies, case.lang, case.role)
            first = fold(replies[0].text or "") if replies else ""
            unsaid = [s for s in case.says if fold(s) not in first]
            found.append(f"{result}~unsaid" if unsaid else result)
        return found

    return with_users(typed)


def main() -> None:
    args = options(__doc__)
    items = cases(HOLDOUT if args.holdout else CASES)
    got = outcomes(items)
    groups = grouped(
        items, got, lambda case: (case.category, f"role:{case.role}", f"lang:{case.lang}", "all")
    )
    print(f"{'category':<18}{'n':>4}{'right %':>9}{'wrong-confident %':>19}")
    for key, rows in groups.items():
        right = sum(fits(r, c.expected) for c, r in rows)
        wrong = sum(not declined(r) and not fits(r, c.expected) for c, r in rows)
        n = len(rows)
        print(f"{key:<18}{n:>4}{100 * right / n:>9.1f}{100 * wrong / n:>19.1f}")
    if args.misses:
        for case, result in zip(items, got, strict=True):
            if not fits(result, case.expected):
                print(
                    f"  [{case.category}/{case.role}] {case.text!r}: {result}, want "
                    f"{sorted(case.expected)}"
                )


if __name__ == "__main__":
    main()
