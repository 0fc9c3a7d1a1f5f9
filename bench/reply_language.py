"""In which language free text is answered: tests/data/reply_language.json.

    python -m bench.reply_language [--misses] [--holdout]

Each case is typed by a new console user of its role and language setting (consent given,
province skipped) through `bot.dispatch.Dispatcher` on a fresh SQLite database. The replies'
language is read from their words in lower case (names are capitalised; the user's words
quoted back are left out): Vietnamese when at least a fifth of them carry its diacritics.
Prints per category the share answered in the expected language, the share wrongly flipped
(answered in the other language when the case expects the user's own: must stay at 0), and
the share of flipped answers that offer the one-tap switch of the setting.
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

CASES = Path(__file__).resolve().parent.parent / "tests" / "data" / "reply_language.json"
HOLDOUT = CASES.with_name("reply_language_holdout.json")
"""Cases written after the rule was made, never tuned on."""
_TAG = re.compile(r"<[^>]+>|“[^”]*”")
"""Markup, and the user's words quoted back."""
_WORD = re.compile(r"[^\W\d_]+")
_VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]")


@dataclass(frozen=True, slots=True)
class Case:
    text: str
    locale: str
    role: str
    expected: str
    category: str


def cases(path: Path = CASES) -> list[Case]:
    return [
        Case(c["text"], c["locale"], c["role"], c["expected"], c["category"])
        for c in json.loads(path.read_text("utf-8"))["cases"]
    ]


def language(replies: Sequence[Reply]) -> str:
    """The language the replies are written in: `vi` when a fifth or more of their words in
    lower case carry Vietnamese diacritics, else `en` (an English reply names places, in
    capitals, with theirs)."""
    text = _TAG.sub(" ", " ".join(r.text or "" for r in replies))
    words = [w for w in _WORD.findall(text) if w.islower()]
    marked = sum(bool(_VIETNAMESE.search(w)) for w in words)
    return "vi" if words and marked >= len(words) / 5 else "en"


def offered(replies: Sequence[Reply], code: str) -> bool:
    """Whether a button switches the language setting to `code`."""
    return any(b.action == f"m:lang:{code}" for r in replies for b in r.all_buttons)


def answers(items: list[Case]) -> list[tuple[str, bool]]:
    """Each case's reply language, and whether the switch to it was offered."""

    async def typed(users: ConsoleUsers) -> list[tuple[str, bool]]:
        found = []
        for number, case in enumerate(items):
            user = f"lang{number}"
            await users.onboard(user, case.role, case.locale)
            replies = await users.send(user, case.text)
            said = language(replies)
            found.append((said, said != case.locale and offered(replies, said)))
        return found

    return with_users(typed)


def main() -> None:
    args = options(__doc__)
    items = cases(HOLDOUT if args.holdout else CASES)
    got = answers(items)
    groups = grouped(items, got, lambda case: (case.category, f"locale:{case.locale}", "all"))
    print(f"{'category':<18}{'n':>4}{'right %':>9}{'wrongly flipped %':>19}{'switch %':>10}")
    for key, rows in groups.items():
        n = len(rows)
        right = sum(said == c.expected for c, (said, _) in rows)
        wrong = sum(c.expected == c.locale and said != c.locale for c, (said, _) in rows)
        flipped = [switch for c, (said, switch) in rows if said != c.locale]
        share = f"{100 * sum(flipped) / len(flipped):.1f}" if flipped else "-"
        print(f"{key:<18}{n:>4}{100 * right / n:>9.1f}{100 * wrong / n:>19.1f}{share:>10}")
    if args.misses:
        for case, (said, _) in zip(items, got, strict=True):
            if said != case.expected:
                print(
                    f"  {case.category}/{case.locale} {case.text!r}: {said}, want {case.expected}"
                )


if __name__ == "__main__":
    main()
