"""OCOP certificates under QĐ 26/2026/QĐ-TTg: validity (Điều 4.3), the re-evaluation filing
window (Điều 7.6.a) and its reminders, the transition rule (Điều 12.3), and who may issue a
certificate of how many stars on which date (Điều 4.1, and the rules before it).

Every number comes from `data/qd26_timing.json`, which cites the article it is read from.
"""

from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any, Literal

from knowledge.text import fold
from knowledge.typed_dates import MONTHS

Phase = Literal["before", "open", "late", "ended"]
"""Where a certificate stands: its window has not opened, is open, has passed (Điều 12.3
applies), or the certificate has ended (more than 180 days past expiry)."""
LEVELS = ("province", "central", "district")


@cache
def timing() -> dict[str, Any]:
    """The dates and periods of QĐ 26/2026 (`data/qd26_timing.json`)."""
    path = resources.files("knowledge").joinpath("data/qd26_timing.json")
    return dict(json.loads(path.read_text("utf-8")))


def in_force_from() -> date:
    """The day QĐ 26/2026 took effect (Điều 11.1)."""
    return date.fromisoformat(timing()["in_force_from"])


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True, slots=True)
class Schedule:
    """A certificate's dates: expiry (Điều 4.3), filing window (Điều 7.6.a), the latest day it
    can stay valid when the dossier is late (Điều 12.3), and its reminder days."""

    issued_on: date
    expiry: date
    window_opens: date
    window_closes: date
    late_until: date
    transition: bool
    """The window opened before QĐ 26/2026 was in force: Điều 12.3 applies whatever the day."""
    reminders: tuple[tuple[str, date], ...]
    """(stage, day) in order: open, half, last, then `late` the day after the window closes
    (for a transition certificate, only `late`, on the day the decision took effect)."""

    def phase(self, today: date) -> Phase:
        """Where the certificate stands on `today`."""
        if today > self.late_until:
            return "ended"
        if self.transition or today > self.window_closes:
            return "late"
        return "open" if today >= self.window_opens else "before"

    def due_stage(self, today: date, recorded_on: date) -> str | None:
        """The latest reminder due on `today` (after an outage, only that one), or None.

        A reminder whose day came before the certificate was recorded is not sent: the reply
        to recording it already said where it stands."""
        if today > self.late_until:
            return None
        fired = [(day, stage) for stage, day in self.reminders if day <= today]
        if not fired:
            return None
        day, stage = max(fired)
        return stage if day > recorded_on else None


def schedule(issued_on: date) -> Schedule:
    """The dates of a certificate issued on `issued_on`."""
    return _schedule(issued_on, add_months(issued_on, timing()["certificate"]["valid_months"]))


def expiring(expiry: date) -> Schedule:
    """The dates of a certificate that expires on `expiry` (issued the validity before it)."""
    return _schedule(add_months(expiry, -timing()["certificate"]["valid_months"]), expiry)


def _schedule(issued_on: date, expiry: date) -> Schedule:
    rule = timing()["reevaluation"]
    opens = expiry - timedelta(days=rule["window_opens_days_before_expiry"])
    closes = expiry - timedelta(days=rule["window_closes_days_before_expiry"])
    late_until = expiry + timedelta(days=rule["late_max_days_past_expiry"])
    start = in_force_from()
    if opens < start:
        reminders: tuple[tuple[str, date], ...] = (("late", start),)
    else:
        reminders = (
            *(
                (r["stage"], expiry - timedelta(days=r["days_before_expiry"]))
                for r in rule["reminders"]
            ),
            ("late", closes + timedelta(days=1)),
        )
    return Schedule(issued_on, expiry, opens, closes, late_until, opens < start, reminders)


STAR_COUNTS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "nam": 5, "one": 1, "two": 2}
STAR_COUNTS |= {"three": 3, "four": 4, "five": 5}
"""Counts of stars typed in words (folded), Vietnamese and English."""
_STARS = re.compile(
    r"^(?:(?:hang|duoc|dat|la) )?(\w+)(?: (?:sao|star|stars))?(?: (?:a|nhe|nha|a nhe))?$"
)
_DATE = re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?!\d)")


def parse_stars(text: str) -> int | None:
    """Stars typed by a producer: "3", "3 sao", "3*", "3★", "ba sao", "4 stars" → 1–5."""
    found = _STARS.match(fold(text))
    if found is None:
        return None
    word = found.group(1)
    stars = int(word) if word.isdigit() else STAR_COUNTS.get(word)
    return stars if stars is not None and 1 <= stars <= 5 else None


_MONTH_EN = rf"(?P<name>{'|'.join(n for n in MONTHS if len(n) == 3)})[a-z]*"
_ORDINAL = r"(?:st|nd|rd|th)?"
_DATE_WORDS = (
    re.compile(
        r"\b(?P<day>\d{1,2}) (?:thang|thg|th) (?P<month>\d{1,2}),?(?: nam)? (?P<year>\d{4})\b"
    ),
    re.compile(r"\b(?P<day>\d{1,2}) (?P<month>\d{1,2}) nam (?P<year>\d{4})\b"),
    re.compile(rf"\b(?P<day>\d{{1,2}}){_ORDINAL} (?:of )?{_MONTH_EN},? (?P<year>\d{{4}})\b"),
    re.compile(rf"\b{_MONTH_EN} (?P<day>\d{{1,2}}){_ORDINAL},? (?P<year>\d{{4}})\b"),
)
"""The day and month in words (folded): "15 tháng 3 năm 2025", "15/3 năm 2025", "15 March 2025",
"15th of March 2025", "March 15th, 2025"."""
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_MONTH_ONLY = (
    re.compile(r"(?<![\d/.-])(?P<month>\d{1,2})[/.-](?P<year>\d{4})(?!\d)"),
    re.compile(r"\b(?:thang|thg) (?P<month>\d{1,2}),?(?: nam)? (?P<year>\d{4})\b"),
    re.compile(rf"\b{_MONTH_EN},? (?P<year>\d{{4}})\b"),
)
"""A month and year without the day: "3/2025" (as typed), "tháng 3 năm 2025", "March 2025"
(folded)."""


def parse_date(text: str) -> date | None:
    """A date typed as day/month/year ("15/03/2024", "15-3-24", "15.3.2024"), year-month-day
    ("2024-03-15") or with the month in words ("15 tháng 3 năm 2025", "15 March 2025"), alone
    or in a sentence ("ngày 15/3/2024 ạ"); None when there is none, or it is no date (31/2)."""
    if (iso := _ISO.search(text)) is not None:
        year, month, day = (int(part) for part in iso.groups())
    elif (found := _DATE.search(text)) is not None:
        day, month, year = (int(part) for part in found.groups())
    else:
        return _date_in_words(fold(text))
    try:
        return date(year + 2000 if year < 100 else year, month, day)
    except ValueError:
        return None


def _date_in_words(folded: str) -> date | None:
    for pattern in _DATE_WORDS:
        found = pattern.search(folded)
        if found is None:
            continue
        parts = found.groupdict()
        month = MONTHS[parts["name"]] if parts.get("name") else int(parts["month"])
        try:
            return date(int(parts["year"]), month, int(parts["day"]))
        except ValueError:
            return None
    return None


def month_typed(text: str) -> tuple[int, int] | None:
    """The (year, month) of a month typed without its day ("3/2025", "tháng 3 năm 2025",
    "March 2025"), or None (a whole date, no month, or no such month)."""
    if parse_date(text) is not None:
        return None
    for pattern, typed in zip(_MONTH_ONLY, (text, *(fold(text),) * 2), strict=True):
        found = pattern.search(typed)
        if found is None:
            continue
        parts = found.groupdict()
        month = MONTHS[parts["name"]] if parts.get("name") else int(parts["month"])
        return (int(parts["year"]), month) if 1 <= month <= 12 else None
    return None


def month_schedules(year: int, month: int) -> tuple[Schedule, Schedule]:
    """The dates of certificates issued on the first and on the last day of a month: every
    day of the month lies between them."""
    last = calendar.monthrange(year, month)[1]
    return schedule(date(year, month, 1)), schedule(date(year, month, last))


def issuer_problem(stars: int, level: str, issued_on: date) -> str | None:
    """Why `level` cannot have issued a `stars` certificate on `issued_on`, or None when it can.

    Returns "stars" (this level never certified that many stars: Điều 4.1 and QĐ 148) or
    "ended" (the district level was abolished from 1/7/2025)."""
    for rule in timing()["issuers"]["levels"]:
        if rule["level"] != level:
            continue
        if stars not in rule["stars"]:
            return "stars"
        if rule["until"] is not None and issued_on > date.fromisoformat(rule["until"]):
            return "ended"
        return None
    return "stars"
