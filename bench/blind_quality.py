"""Blind evaluation: questions written before looking at the bot's data or answers.

    .venv/bin/python -m bench.blind_quality faq        # what the FAQ makes of each question
    .venv/bin/python -m bench.blind_quality faq-chat   # what a producer sees in the chat
    .venv/bin/python -m bench.blind_quality tourism    # what a tourist sees (this checkout)
    /work/wt/tourism/.venv/bin/python -m bench.blind_quality tourism   # another checkout's bot
    .venv/bin/python -m bench.blind_quality table      # rates from the human judgments
    .venv/bin/python -m bench.blind_quality faq-chat --set 2026_11_30d   # one set only

`faq`, `faq-chat` and `tourism` print, per question, what the bot shows first, so a human can
judge it; `--json FILE` also saves it. The questions are tests/data/blind_faq.json and
blind_tourism.json; the human verdicts are tests/data/blind_judgments.json (right / wrong /
declined per question and per bot), from which `table` prints ok %, wrong-confident % and
declined %, by language and category.

Producers: `faq` asks `knowledge.faq.read_question(text, audience="producer")` — the FAQ's
reading alone (an entry, the producer's own product → self-assessment, or decline); `faq-chat`
types each question as a new producer (province skipped) in the chat, where what the FAQ does
not take goes on to the other handlers. Tourists: each question is typed by a new console user
who has just chosen "tourist" and the question's language, through `bot.dispatch.Dispatcher`
on a fresh SQLite database — the path of `ocop-bot chat`.
The bot that runs is the one installed in the interpreter's environment (an editable install),
so the same script measures any worktree with that worktree's venv.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from bench._chat import ConsoleUsers, with_users

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
FAQ = DATA / "blind_faq.json"
TOURISM = DATA / "blind_tourism.json"
JUDGMENTS = DATA / "blind_judgments.json"
TAG = re.compile(r"<[^>]+>")


def _plain(text: str, width: int) -> str:
    flat = " ".join(html.unescape(TAG.sub("", text)).split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _questions(path: Path, only: str | None) -> list[dict[str, Any]]:
    """The questions of `path`, or only those of the set `only`."""
    items: list[dict[str, Any]] = json.loads(path.read_text("utf-8"))
    return [i for i in items if only is None or i.get("set") == only]


def faq_outputs(only: str | None = None) -> list[dict[str, Any]]:
    """What the FAQ makes of each producer question."""
    from knowledge.faq import read_question

    out = []
    for item in _questions(FAQ, only):
        reading = read_question(item["q"], audience="producer")
        shown = ""
        if reading.matches and not reading.own_product:
            entry = reading.matches[0].entry
            shown = f"[{entry.title(item['lang'])}] {entry.answer(item['lang'])}"
        out.append(
            {
                **item,
                "verdict": reading.verdict,
                "others": [m.entry.id for m in reading.matches[1:]],
                "shown": _plain(shown, 260),
            }
        )
    return out


def chat_outputs(questions: Path, role: str, only: str | None = None) -> list[dict[str, Any]]:
    """What a new user of `role` sees after typing each question in the console chat."""

    async def typed(users: ConsoleUsers) -> list[dict[str, Any]]:
        out = []
        for number, item in enumerate(_questions(questions, only)):
            user = f"blind{number}"
            await users.onboard(user, role, item["lang"])
            replies = await users.send(user, item["q"])
            texts = [r.text for r in replies if r.text]
            buttons = [b.label for r in replies for b in r.all_buttons]
            venues = [r.venue.title for r in replies if r.venue is not None]
            out.append(
                {
                    **item,
                    "shown": _plain(" ¶ ".join(texts), 420),
                    "buttons": buttons[:8],
                    "venue": venues[:1],
                }
            )
        return out

    return with_users(typed)


def show(rows: list[dict[str, Any]]) -> None:
    for n, row in enumerate(rows, 1):
        print(f"{n:3}. [{row['lang']}/{row['category']}] {row['q']}")
        print(f"     expect: {row['expect']}")
        if "verdict" in row:
            print(f"     verdict: {row['verdict']}  others: {row['others']}")
        if row.get("venue"):
            print(f"     venue: {row['venue'][0]}")
        print(f"     shown: {row['shown']}")
        if row.get("buttons"):
            print(f"     buttons: {' | '.join(row['buttons'])}")


def table() -> None:
    """Per bot, by language and category: ok % (the right answer first, or a decline where one
    is due), wrong-confident %, declined % (for must-decline groups this is the correct-decline
    rate; elsewhere it counts answerable questions the bot gave up on)."""
    judged = json.loads(JUDGMENTS.read_text("utf-8"))
    for bot, verdicts in judged.items():
        if bot.startswith("_"):
            continue
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for v in verdicts:
            groups["all"].append(v)
            groups[f"lang={v['lang']}"].append(v)
            groups[f"cat={v['category']}"].append(v)
            kind = "answerable" if v["expect"] != "decline" else "must-decline"
            groups[kind].append(v)
            groups[f"{kind} lang={v['lang']}"].append(v)
        print(f"\n{bot}")
        print(f"{'group':30} {'n':>4} {'ok%':>6} {'wrong%':>7} {'declined%':>9}")
        for name in sorted(groups, key=lambda g: (g.count("="), g)):
            rows = groups[name]
            c = Counter(r["verdict"] for r in rows)
            right = sum(
                r["verdict"] == "right"
                or (r["expect"] == "decline" and r["verdict"] == "declined")
                for r in rows
            )
            n = len(rows)
            print(
                f"{name:30} {n:4} {100 * right / n:6.1f} {100 * c['wrong'] / n:7.1f}"
                f" {100 * c['declined'] / n:9.1f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=["faq", "faq-chat", "tourism", "table"])
    parser.add_argument("--json", type=Path, help="also save the outputs here")
    parser.add_argument("--set", dest="only", help="only the questions of this set")
    args = parser.parse_args()
    if args.what == "table":
        table()
        return
    if args.what == "faq":
        rows = faq_outputs(args.only)
    elif args.what == "faq-chat":
        rows = chat_outputs(FAQ, "producer", args.only)
    else:
        rows = chat_outputs(TOURISM, "tourist", args.only)
    show(rows)
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), "utf-8")
    code = sys.modules["knowledge" if args.what == "faq" else "bot"].__file__
    print(f"\n{len(rows)} questions; bot code: {code}")


if __name__ == "__main__":
    main()
