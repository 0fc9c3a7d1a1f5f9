"""How long a self-assessment's result is on a phone screen, and whether everything it used to
show in one long message is still one or two buttons away: bundled QĐ 26/2026 sheets answered
in realistic patterns, by a producer in Vietnamese and in English (console chat).

    python -m bench.result_length

Prints, per language, the characters of the result's first reply as the user reads it (markup
removed: min, median, 90th percentile, max, how many over `SHORT`), of each detail behind its
buttons (the plan to each star and the dossier: their first reply, then each page of the whole;
"typed plan": the plan asked in words, "muon len 4 sao can sua gi"), the facts of the result no
button reaches (every step of every plan, every piece of evidence of the dossier) and the
replies with no button on. Goal (tests/test_result_length.py, tests/test_plan_length.py): every
first reply within `SHORT`, no fact unreachable, no dead end.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bench._chat import ConsoleUsers, with_users
from bench._report import length_header, length_row

if TYPE_CHECKING:
    from bot.i18n import Translator
    from bot.messages import Reply
    from knowledge.criteria import Sheet
    from knowledge.scoring import Score

SHORT = 400
"""Characters of a result's first reply that fit a cheap phone's screen without scrolling."""
SETS = (
    "26-mat-ong-mat-khac",
    "26-du-lich-cong-dong",  # no rejection conditions
    "26-thu-cong-my-nghe",
    "26-ruou-trang",
    "26-my-pham-duoc-lieu",
    "26-che-bien-tu-thit-thuy-san",  # the longest product name (100 characters)
)
PATTERNS = ("lowest", "highest", "middle", "mixed", "half skipped", "rejected")
"""How a producer answers: every criterion at its lowest, highest or middle option; highest,
lowest and middle in turn; the first half answered (middle), the rest skipped; a rejection
condition answered "Có", then the middle options."""
DETAILS = ("as:parts:", "as:law:", "as:plan:", "as:dossier:")
"""The actions of the result's detail buttons."""
FOLLOWED = ("as:plan:", "as:planp:", "as:dossier:", "as:dossierp:")
"""The actions followed from a detail: the plans to higher stars, the pages of a whole."""
TYPED = {"vi": ("muon len 4 sao can sua gi", "can sua gi"), "en": ("what should I fix",)}
"""The plan asked in words after a result."""


@dataclass
class Measured:
    """One result: its first reply's length, its details' lengths, the facts not reached."""

    lang: str
    set_code: str
    pattern: str
    first: int
    details: dict[str, int] = field(default_factory=dict)
    unreachable: list[str] = field(default_factory=list)
    dead_ends: list[str] = field(default_factory=list)
    """The actions (or words) whose replies carry no button."""
    most_buttons: int = 0
    """The most buttons a plan's or a dossier's reply carries (Zalo shows 5 a message)."""


def _option(pattern: str, index: int, options: int) -> int | None:
    """The option chosen for the `index`th criterion (None: skipped)."""
    middle = options // 2
    match pattern:
        case "lowest":
            return 0
        case "highest":
            return options - 1
        case "mixed":
            return (options - 1, 0, middle)[index % 3]
        case "half skipped" if index % 2:
            return None
    return middle


def _answers(sheet: Sheet, pattern: str) -> list[tuple[str, int | None]]:
    """Each question's code and the option chosen, in the order they are asked."""
    conditions = [
        (d.code, int(pattern == "rejected" and n == 0)) for n, d in enumerate(sheet.disqualifiers)
    ]
    criteria = [
        (c.code, _option(pattern, n, len(c.options))) for n, c in enumerate(sheet.criteria)
    ]
    return [*conditions, *criteria]


def _plain(replies: list[Reply]) -> str:
    from bot.markup import plain

    return "\n".join(plain(r.text) for r in replies if r.text)


def facts(t: Translator, result: Score, english: bool) -> list[str]:
    """What the one long result message showed, as the texts that must still be reachable."""
    from datetime import date

    from bot.i18n import Safe, format_date
    from bot.markup import escape

    sheet = result.sheet
    stars = t("assess.stars", stars=result.stars) if result.stars else t("assess.no_stars")
    found = [
        t(
            "assess.result_edition",
            decision=sheet.edition.decision,
            date=format_date(date.fromisoformat(sheet.edition.signed_on)),
        ),
        t("assess.estimate_only"),
        *(
            t(
                "assess.result_part",
                part=p.code,
                points=f"{result.parts[p.code]:g}",
                maximum=f"{p.max_points:g}",
            )
            for p in sheet.parts
        ),
    ]
    if sheet.uncertain:
        found.append(t("assess.warn_unofficial", decision=sheet.edition.decision))
    if result.missing:
        found.append(t("assess.missing", count=len(result.missing)))
    if result.disqualified_by:
        found.extend(
            escape(d.text_en if english and d.text_en else d.text) for d in result.disqualified_by
        )
        return found
    found.append(t("assess.result_total", total=f"{result.total:g}", stars=Safe(stars)))
    if result.stars and sheet.edition.bands_article:
        found.append(t(f"assess.band_{result.stars}"))
    if result.certifier == "province":
        found.append(t("assess.by_province_certifies", stars=result.stars))
    elif result.certifier:
        found.append(t("assess.by_ministry_certifies", stars=result.stars))
    elif result.stars:
        found.append(t("assess.not_certified", stars=result.stars))
    if result.held_back_by:
        codes = ", ".join(c.code for c in result.held_back_by)
        found.append(t("assess.held_back", band=result.band, codes=codes))
    for gap in result.gaps:
        codes = ", ".join(s.criterion.code for s in gap.minimums)
        points = f"{gap.points_needed:g}"
        if gap.points_needed and codes:
            found.append(t("assess.gap_both", stars=gap.stars, points=points, codes=codes))
        elif codes:
            found.append(t("assess.gap_minimums", stars=gap.stars, codes=codes))
        else:
            found.append(t("assess.gap_points", stars=gap.stars, points=points))
        found.extend(escape(f"{m.criterion.code} {m.criterion.text}: ") for m in gap.moves)
    return found


def dossier_facts(result: Score, answers: dict[str, int], english: bool) -> list[str]:
    """The dossier's evidence for the options chosen and its steps to the next star."""
    from bot.markup import escape

    found = []
    for criterion in result.sheet.criteria:
        evidence = criterion.evidence_en if english else criterion.evidence_vi
        index = answers.get(criterion.code)
        if index is not None and criterion.options[index].points > 0 and evidence:
            found.append(escape(f"{criterion.code}: {evidence}"))
    if result.next_star is not None:
        found.extend(
            escape(f"• {m.criterion.code} → “{m.target.text}”") for m in result.next_star.moves
        )
    return found


async def _assess(
    users: ConsoleUsers, user: str, sheet: Sheet, pattern: str
) -> tuple[list[Reply], dict[str, int]]:
    """Answer `sheet` in `pattern`: the result's replies and the answers given."""
    replies = await users.send(user, action=f"as:set:{sheet.set_code}")
    given: dict[str, int] = {}
    for index, (code, option) in enumerate(_answers(sheet, pattern)):
        if option is None:
            replies = await users.send(user, action=f"as:skip:{index}")
            continue
        given[code] = option
        replies = await users.send(user, action=f"as:a:{index}:{option}")
        if f"as:dq_go:{index}" in _actions(replies):
            replies = await users.send(user, action=f"as:dq_go:{index}")
    finish = [a for a in _actions(replies) if a.startswith("as:finish:")]
    if finish:
        replies = await users.send(user, action=finish[0])
    return replies, given


def _actions(replies: list[Reply]) -> list[str]:
    return [b.action for r in replies for b in r.all_buttons if b.action]


async def _measure(users: ConsoleUsers, lang: str, set_code: str, pattern: str) -> Measured:
    from bot.i18n import translator
    from knowledge.criteria import bundled_sheets
    from knowledge.scoring import score

    sheet = bundled_sheets()[set_code]
    user = f"producer-{lang}"
    first, given = await _assess(users, user, sheet, pattern)
    measured = Measured(lang, set_code, pattern, len(_plain(first)))
    reached = [first]
    pressed: set[str] = set()
    queue = [a for a in _actions(first) if a.startswith(DETAILS)]
    while queue:  # the details, the plans to higher stars, the pages of the wholes
        action = queue.pop(0)
        if action in pressed:
            continue
        pressed.add(action)
        detail = await users.send(user, action=action)
        reached.append(detail)
        measured.details[_name(action)] = len(_plain(detail))
        if not _actions(detail):
            measured.dead_ends.append(action)
        if action.startswith(FOLLOWED):
            measured.most_buttons = max(measured.most_buttons, len(_actions(detail)))
        queue.extend(a for a in _actions(detail) if a.startswith(FOLLOWED))
    for number, typed in enumerate(TYPED[lang]):
        replies = await users.send(user, text=typed)
        measured.details[f"typed plan {number}"] = len(_plain(replies))
        if not _actions(replies):
            measured.dead_ends.append(typed)
    shown = "\n".join(r.text for replies in reached for r in replies if r.text)
    result = score(sheet, given)
    measured.unreachable = [
        f
        for f in [
            *facts(translator(lang), result, lang == "en"),
            *dossier_facts(result, given, lang == "en"),
        ]
        if f not in shown
    ]
    if not any(r.photo for replies in reached for r in replies):
        measured.unreachable.append("the chart")
    return measured


def _name(action: str) -> str:
    """A detail's row and its key: "plan 4★", "planp 4★ 2" (page 2), "dossierp 1", "law"."""
    kind, _, *rest = action.split(":")[1:]
    if kind == "plan":
        return f"plan {rest[0]}★"
    if kind == "planp":
        return f"planp {rest[0]}★ {int(rest[1]) + 1}"
    return f"{kind} {int(rest[0]) + 1}" if kind == "dossierp" else kind


def measure(
    sets: tuple[str, ...] = SETS,
    patterns: tuple[str, ...] = PATTERNS,
    langs: tuple[str, ...] = ("vi", "en"),
) -> list[Measured]:
    """Every set answered in every pattern, in every language."""

    async def read(users: ConsoleUsers) -> list[Measured]:
        found = []
        for lang in langs:
            await users.onboard(f"producer-{lang}", "producer", lang)
            for set_code in sets:
                for pattern in patterns:
                    found.append(await _measure(users, lang, set_code, pattern))
        return found

    return with_users(read)


def main() -> None:
    measured = measure()
    print(length_header(SHORT, 16))
    sizes: dict[str, list[int]] = defaultdict(list)
    for m in measured:
        sizes[f"first {m.lang}"].append(m.first)
        for name, size in m.details.items():
            kind = "typed plan" if name.startswith("typed") else name.split()[0]
            sizes[f"{kind} {m.lang}"].append(size)
    for name in sorted(sizes, key=lambda n: (not n.startswith("first"), n)):
        print(length_row(name, sizes[name], SHORT, 16))
    longest = max(measured, key=lambda m: m.first)
    print(
        f"longest first reply: {longest.first}"
        f" ({longest.lang}, {longest.set_code}, {longest.pattern})"
    )
    missed = [m for m in measured if m.unreachable]
    print(f"results with a fact no button reaches: {len(missed)}/{len(measured)}")
    for m in missed[:10]:
        print(f"  {m.lang} {m.set_code} {m.pattern}: {m.unreachable[:3]}")
    stuck = [m for m in measured if m.dead_ends]
    print(f"results with a reply that has no button: {len(stuck)}/{len(measured)}")
    for m in stuck[:10]:
        print(f"  {m.lang} {m.set_code} {m.pattern}: {m.dead_ends[:3]}")


if __name__ == "__main__":
    main()
