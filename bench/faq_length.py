"""How long the FAQ's answers are on a phone screen: every entry's first reply, as a producer and
as a visitor sees it in Vietnamese and English (the topic's button pressed in the console chat).

    python -m bench.faq_length

Prints, per language, the characters of the first reply (min, median, 90th percentile, max) and
how many are over `SHORT` (about a cheap phone's screen); then of the details, when the reply
offers them. Goal (tests/test_faq_flow.py): every first reply within `SHORT`.
"""

from __future__ import annotations

from collections import defaultdict

from bench._chat import ConsoleUsers, with_users
from bench._report import length_header, length_row

SHORT = 350
"""Characters of a first reply that fit a cheap phone's screen without scrolling."""
DETAILS = "faq:d:"
"""The prefix of the details button's action."""


def lengths() -> dict[str, list[int]]:
    """Characters of each entry's first reply, and of its details, per language."""
    from handlers.actions import FaqAnswer
    from knowledge.faq import entries

    async def read(users: ConsoleUsers) -> dict[str, list[int]]:
        found: dict[str, list[int]] = defaultdict(list)
        for role in ("producer", "tourist"):
            for lang in ("vi", "en"):
                user = f"{role}-{lang}"
                await users.onboard(user, role, lang)
                audience = "tourist" if role == "tourist" else "producer"
                for entry in entries():
                    if not entry.serves(audience):
                        continue
                    first = await users.send(user, action=FaqAnswer(entry.id).encode())
                    found[f"first {lang}"].append(len(first[0].text or ""))
                    more = [b.action for b in first[0].all_buttons if b.action.startswith(DETAILS)]
                    if more:
                        details = await users.send(user, action=more[0])
                        found[f"details {lang}"].append(len(details[0].text or ""))
        return found

    return with_users(read)


def main() -> None:
    print(length_header(SHORT, 12))
    for name, sizes in lengths().items():
        print(length_row(name, sizes, SHORT, 12))


if __name__ == "__main__":
    main()
