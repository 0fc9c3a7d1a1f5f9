"""What the dashboard pages show, computed from the database: certificates and their
re-evaluation window, and the province's self-assessments (bands, criteria most often missing
for the next star, drawn as an SVG bar chart)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from bot.i18n import N_
from bot.markup import escape
from db import office, repo
from db.session import Database
from knowledge.certificates import schedule
from knowledge.criteria import product_sets
from knowledge.scoring import AnswerError, score

SOON_DAYS = 90
STATES = {
    "soon": N_("dash.window_soon"),
    "inside": N_("dash.window_inside"),
    "passed": N_("dash.window_passed"),
    "later": N_("dash.window_later"),
}


@dataclass(frozen=True, slots=True)
class CertificateRow:
    """A certificate and where it stands against its re-evaluation window."""

    product: str
    stars: int
    holder: str
    expiry: date
    opens: date
    closes: date
    state: str
    """soon (the window opens within 90 days), inside, passed (closed, no filing recorded) or
    later."""


def window_state(opens: date, closes: date, today: date) -> str:
    """soon, inside, passed or later, for a re-evaluation window (QĐ 26/2026 Điều 7.6.a: the
    dossier is filed not earlier than 180 and not later than 120 days before expiry)."""
    if today > closes:
        return "passed"
    if today >= opens:
        return "inside"
    if opens - today <= timedelta(days=SOON_DAYS):
        return "soon"
    return "later"


async def certificate_rows(
    db: Database, *, province_code: int | None, today: date
) -> list[CertificateRow]:
    """The province's recorded certificates, most urgent first."""
    rows = []
    for _, product, stars, decided_on, holder in await db.run(
        partial(office.province_certificates, province_code=province_code)
    ):
        dates = schedule(decided_on)
        rows.append(
            CertificateRow(
                product,
                stars,
                holder,
                dates.expiry,
                dates.window_opens,
                dates.window_closes,
                window_state(dates.window_opens, dates.window_closes, today),
            )
        )
    order = {"inside": 0, "soon": 1, "passed": 2, "later": 3}
    return sorted(rows, key=lambda r: (order[r.state], r.expiry))


@dataclass(frozen=True, slots=True)
class Insight:
    """The province's self-assessments in numbers."""

    producers: int
    by_set: list[tuple[str, dict[int, int]]]
    """(product set name, {stars: how many}) by set, most assessed first."""
    missing: list[tuple[str, int]]
    """(criterion label, how many products miss it for their next star), most missed first."""


async def insight(db: Database, *, province_code: int | None, locale: str) -> Insight:
    """Count bands per product set and the criteria that hold products below the next star
    (the starred minimums of `score(...).next_star`, else its plan's first step)."""
    sets = product_sets()
    found = await db.run(partial(office.province_assessments, province_code=province_code))
    bands: dict[str, Counter[int]] = {}
    missing: Counter[str] = Counter()
    for _, set_code, sheet_key, answers, stars in found:
        product_set = sets.get(set_code)
        name = (
            (product_set.name_en if locale == "en" else product_set.name)
            if product_set
            else set_code
        )
        bands.setdefault(name, Counter())[stars or 0] += 1
        sheet = repo.known_sheet(sheet_key) or await db.run(
            partial(repo.sheet_by_key, key=sheet_key)
        )
        if sheet is None:
            continue
        try:
            gap = score(sheet, answers).next_star
        except AnswerError:
            continue
        if gap is None:
            continue
        blocking = gap.minimums or gap.steps[:1]
        for step in blocking:
            missing[f"{name} · {step.criterion.code} {step.criterion.text[:60]}"] += 1
    by_set = sorted(
        ((name, dict(counts)) for name, counts in bands.items()),
        key=lambda item: -sum(item[1].values()),
    )
    return Insight(len({row[0] for row in found}), by_set, missing.most_common(10))


def bar_chart(items: list[tuple[str, int]], *, title: str) -> str:
    """A horizontal bar chart as inline SVG (labels above bars; no script, no web fonts)."""
    if not items:
        return ""
    width, bar, gap, top = 640, 18, 34, 30
    most = max(count for _, count in items)
    height = top + len(items) * (bar + gap)
    parts = [
        f'<svg role="img" aria-labelledby="chart-title" viewBox="0 0 {width} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-title">{escape(title)}</title>',
    ]
    for index, (label, count) in enumerate(items):
        y = top + index * (bar + gap)
        length = max(2, round((width - 60) * count / most))
        parts.append(
            f'<text x="0" y="{y - 4}" font-size="13" fill="#1a1a1a">{escape(label)}</text>'
            f'<rect x="0" y="{y}" width="{length}" height="{bar}" fill="#0b5394"/>'
            f'<text x="{length + 6}" y="{y + 14}" font-size="13" fill="#1a1a1a">{count}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
