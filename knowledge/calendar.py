"""The national OCOP calendar of QĐ 26/2026/QĐ-TTg, Điều 5: the dates every province keeps
(commune cut-offs 30/4 and 30/10, provincial rounds before 30/6 and 30/12) and the Ministry's
5-star rounds (province requests before 30/7 and 30/1, rounds before 30/9 and 30/3).

The rule is data (`data/qd26_timing.json`); the next occurrence of each date is computed from
it, so the calendar rolls over by itself every year and no officer types these dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from knowledge.certificates import timing
from knowledge.reminders import VIETNAM

_LAST_HOUR = time(17, 0)


@dataclass(frozen=True, slots=True)
class NationalDate:
    """One occurrence of a date of Điều 5 ("trước ngày 30/4" → `before` is 30/4)."""

    key: str
    before: date
    due_at: datetime
    """17:00 on the day before `before`: the end of the last working hours in time."""
    cite: str
    five_star: bool
    """Only for 5-star candidates (the Ministry's rounds, Điều 5.2)."""
    mute_id: int
    """Negative id under which a user mutes this date (any year) in the mutes table."""
    remind: tuple[str, ...]
    """Which reminders go out: 30d, 7d, 1d, day (see `knowledge.reminders`)."""
    titles: dict[str, str]
    """Keys vi, en, short_vi, short_en (the short one fits a button)."""

    def title(self, locale: str, *, short: bool = False) -> str:
        """The date's title in a locale."""
        language = "en" if locale.startswith("en") else "vi"
        return self.titles[f"short_{language}" if short else language]


_NEXT_ASKED = re.compile(
    r"\b(?:(?:dot|han|han chot|moc|lan) (?:toi|sap toi|tiep theo|ke tiep|gan nhat|sau)"
    r"|sap toi|tiep theo|gan nhat|con kip|next|upcoming|coming|in time)\b"
)
"""Words asking for the next date rather than the rule (folded): "đợt tới", "hạn sắp tới",
"đợt chấm gần nhất", "còn kịp không", "the next round", "in time"."""


def next_asked(folded: str) -> bool:
    """Whether a question about the rounds asks for the next one ("đợt tới là khi nào")."""
    return _NEXT_ASKED.search(folded) is not None


def next_cut_off(now: datetime) -> tuple[NationalDate, NationalDate]:
    """The next commune cut-off a producer can still make (Điều 5.1: before 30/4 or 30/10) and
    the provincial round it leads to (before 30/6 or 30/12 of that year)."""
    ahead = upcoming(now)
    cut_off = next(d for d in ahead if d.key.startswith("commune_"))
    round_key = cut_off.key.replace("commune_", "province_")
    held = next(d for d in ahead if d.key == round_key and d.before > cut_off.before)
    return cut_off, held


def upcoming(now: datetime) -> list[NationalDate]:
    """The next occurrence of every national date after `now`, soonest first."""
    year = now.astimezone(VIETNAM).year
    found = []
    for this_year, next_year in zip(_occurrences(year), _occurrences(year + 1), strict=True):
        if this_year.due_at > now:
            found.append(this_year)
        elif next_year.due_at > now:
            found.append(next_year)
    return sorted(found, key=lambda d: d.due_at)


@lru_cache(maxsize=4)  # this year and the next
def _occurrences(year: int) -> tuple[NationalDate, ...]:
    """Every national date in a year, in the rule's order (the same all year: built once)."""
    found = []
    for rule in timing()["rounds"]["dates"]:
        before = date(year, rule["month"], rule["day"])
        found.append(
            NationalDate(
                key=rule["key"],
                before=before,
                due_at=datetime.combine(before - timedelta(days=1), _LAST_HOUR, tzinfo=VIETNAM),
                cite=rule["cite"],
                five_star=rule["audience"] == "five_star",
                mute_id=rule["mute_id"],
                remind=tuple(rule["remind"]),
                titles={k: rule[k] for k in ("vi", "en", "short_vi", "short_en")},
            )
        )
    return tuple(found)
