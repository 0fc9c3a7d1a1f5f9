"""Dates officers type for a deadline, in Vietnam time, with or without accents, in Vietnamese
or English: "15/12", "15-12-2026", "2026-12-15", "ngày 15 tháng 12", "Dec 15", "thứ 6 tuần
sau", "cuối tháng", "mai 9h", "3 ngày nữa", "15/12 lúc 3 giờ chiều". A date without a time means
17:00 (the end of office hours).

What could be read two ways is refused with its reason rather than guessed: "12/15"
(month first), "cuối tuần", "đầu tháng", "tuần sau" (no day), "next Friday" (this week's or the
next?), "trước ngày 15/12" (is 15/12 still in time? with a time, "trước 17h ngày 15/12", it is
that moment), "thứ 5 ngày 11/12" when 11/12 is a Friday.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from knowledge.reminders import VIETNAM

Reading = tuple[datetime | None, str]
"""(moment, "") when read; (None or the moment, problem) otherwise; see `read_when`."""

DEFAULT_TIME = time(17, 0)
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
"""English month names and their common abbreviations (folded) → the month's number."""
_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + ")"
_WEEKDAYS = {
    **{f"thu {n}": n - 2 for n in range(2, 8)},
    **{f"t{n}": n - 2 for n in range(2, 8)},
    **{f"thu {w}": i for i, w in enumerate(("hai", "ba", "tu", "nam", "sau", "bay"))},
    "chu nhat": 6,
    "cn": 6,
    **{
        w: i
        for i, names in enumerate(
            (
                ("monday", "mon"),
                ("tuesday", "tue"),
                ("wednesday", "wed"),
                ("thursday", "thur", "thurs"),
                ("friday", "fri"),
                ("saturday", "sat"),
                ("sunday", "sun"),
            )
        )
        for w in names
    },
}
_WEEKDAY = "(" + "|".join(sorted(_WEEKDAYS, key=len, reverse=True)) + ")"
_WEEKDAY_NAME = (
    "("
    + "|".join(w for w in sorted(_WEEKDAYS, key=len, reverse=True) if len(w) > 4 or w[0] == "t")
    + ")"
)
"""Weekdays in full ("thu 6", "t6", "friday"): alone they are a day; "fri", "sat", "cn" only
beside a date (alone they are words: "sat", "sun")."""
_THIS_WEEK = r"(?:tuan nay|this week)"
_NEXT_WEEK = r"(?:tuan sau|tuan toi|next week)"

_CLOCK = re.compile(
    r"(?:\b(?:vao luc|luc|at)\s+)?(?<![\d/.\-])(\d{1,2})"
    r"(?::(\d{2})|h(\d{2})?|\s*gio(?:\s*(\d{1,2})(?:\s*phut)?)?|(?=\s*(?:am|pm)\b))"
    r"(?:\s*(sang|trua|chieu|toi|am|pm)\b)?(?![\d/])"
)
_FILLER = re.compile(
    r"^(?:(?:han chot|han nop|han|deadline|due|by|on|vao ngay|vao|het ngay|la"
    r"|(?:gia han|doi lai|doi|lui lai|lui|day lui)(?: sang| den)?|den|until"
    r"|(?:extend|move|postpone)(?:d)? to)"
    r"\s+)+"
)
"""Words before the date: "hạn chót", "vào ngày"; moving one, "dời sang", "gia hạn đến" ("sáng"
alone is a time of day: "sáng mai" has no hour)."""
_BEFORE = re.compile(r"\b(?:truoc|before|prior to)\b")
_VAGUE = re.compile(
    r"^(?:(?:dau|giua|cuoi) (?:tuan|nam)|(?:dau|giua) thang(?: \d{1,2}| nay| sau| toi)?"
    r"|(?:tuan|thang|nam) (?:sau|toi|nay)|(?:next|this) (?:week|month|year)|weekend"
    r"|end of (?:the |this |next )?(?:week|year)|(?:early|mid|late) " + _MONTH + r"?)$"
)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMERIC = re.compile(
    r"^(?:ngay |mung )?(\d{1,2})\s*([/.\-])\s*(\d{1,2})(?:\s*\2\s*(\d{2}|\d{4}))?$"
)
_VI_WORDS = re.compile(
    r"^(?:ngay |mung |mong )?(\d{1,2}) (?:thang|thg|th) (\d{1,2})(?: (?:nam )?(\d{4}))?$"
)
_DAY_ONLY = re.compile(r"^(?:ngay|mung) (\d{1,2})$")
_EN_DAY_MONTH = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)? (?:of )?" + _MONTH + r"(?: (\d{4}))?$")
_EN_MONTH_DAY = re.compile("^" + _MONTH + r" (\d{1,2})(?:st|nd|rd|th)?(?: (\d{4}))?$")
_MONTH_END = re.compile(
    r"^(?:cuoi thang|end of (?:the )?month)(?: (nay|sau|toi|\d{1,2}))?$"
    r"|^end of (this|next) month$|^end of " + _MONTH + "$"
)
_IN_DAYS = re.compile(
    r"^(?:(\d{1,2}) (ngay|tuan) nua|sau (\d{1,2}) (ngay|tuan)|in (\d{1,2}) (days?|weeks?)"
    r"|(\d{1,2}) (days?|weeks?) from now)$"
)
_RELATIVE = {
    "hom nay": 0,
    "today": 0,
    "mai": 1,
    "ngay mai": 1,
    "tomorrow": 1,
    "ngay kia": 2,
    "ngay mot": 2,
    "the day after tomorrow": 2,
    "hom qua": -1,
    "yesterday": -1,
}
_WEEKDAY_FIRST = re.compile("^" + _WEEKDAY + r"(?: (?:ngay|the))? (.+)$")
_WEEKDAY_LAST = re.compile(r"^(.+?) (?:\()?" + _WEEKDAY + r"(?:\))?$")
_WEEKDAY_ALONE = re.compile(
    r"^(this |next )?" + _WEEKDAY_NAME + "(?: " + f"({_THIS_WEEK}|{_NEXT_WEEK})" + ")?$"
)


def _plain(text: str) -> str:
    """Lower case without accents ("đ" as "d"), words and the signs of dates and times only."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    kept = re.sub(r"[^a-z0-9/.:\-]+|:(?!\d)|(?<!\d):", " ", stripped)  # "hạn: 15/12"
    return " ".join(kept.strip(" .-").split())


def _take_clock(words: str) -> tuple[time | None, str, str]:
    """The time of day typed anywhere in `words`, the words without it, and a problem
    ("no_such_time") when it is not a time."""
    found = _CLOCK.search(words)
    if found is None:
        return None, words, ""
    hour = int(found.group(1))
    minute = int(found.group(2) or found.group(3) or found.group(4) or 0)
    part = found.group(5)
    if part in ("chieu", "toi", "pm") and 1 <= hour < 12 or part == "trua" and 1 <= hour < 6:
        hour += 12
    elif part == "am" and hour == 12:
        hour = 0
    rest = " ".join((words[: found.start()] + " " + words[found.end() :]).split())
    if hour > 23 or minute > 59 or part in ("am", "pm") and not 1 <= int(found.group(1)) <= 12:
        return None, rest, "no_such_time"
    return time(hour, minute), rest, ""


def _on_calendar(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _day_month(today: date, day: int, month: int, year: str | None) -> tuple[date | None, str]:
    """A day and month (of `year`, or the next such day from today on)."""
    if not 1 <= month <= 12:
        return None, "no_such_month"
    if year is not None:
        number = int(year) + (2000 if len(year) == 2 else 0)
        found = _on_calendar(number, month, day)
        return found, "" if found else "no_such_day"
    found = _on_calendar(today.year, month, day)
    if found is None:
        return None, "no_such_day"
    if found < today:  # "30/6" typed in December is next June
        return _on_calendar(today.year + 1, month, day), ""
    return found, ""


def _month_end(today: date, which: str | None) -> date:
    """The last day of this month, the next one, or month number `which`."""
    if which in (None, "nay", "this"):
        year, month = today.year, today.month
    elif which in ("sau", "toi", "next"):
        year, month = today.year + today.month // 12, today.month % 12 + 1
    else:
        month = MONTHS.get(which) or int(which)
        year = today.year + (month < today.month)
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def _weekday(today: date, weekday: int, week: str | None) -> date:
    """This week's or next week's `weekday` (Monday-first weeks), or the next one from
    tomorrow on when no week is said."""
    monday = today - timedelta(days=today.weekday())
    if week is not None:
        return monday + timedelta(days=weekday + (7 if re.fullmatch(_NEXT_WEEK, week) else 0))
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def _read_day(words: str, today: date) -> tuple[date | None, str]:
    """The day `words` name (all of them), or the problem."""
    if words in _RELATIVE:
        return today + timedelta(days=_RELATIVE[words]), ""
    for pattern, read in _DAY_READERS:
        found = pattern.match(words)
        if found:
            return read(today, found)
    return None, "unreadable"


def _in_days(today: date, found: re.Match[str]) -> tuple[date | None, str]:
    groups = [g for g in found.groups() if g]
    count, unit = int(groups[0]), groups[1]
    return today + timedelta(days=count * (7 if unit.startswith(("tuan", "week")) else 1)), ""


def _numeric(today: date, found: re.Match[str]) -> tuple[date | None, str]:
    day, month = int(found.group(1)), int(found.group(3))
    if 12 < month <= 31 and 1 <= day <= 12:
        return None, "month_first"
    return _day_month(today, day, month, found.group(4))


def _day_only(today: date, found: re.Match[str]) -> tuple[date | None, str]:
    """ "ngày 15": the next 15th (this month's, or next month's once it is past)."""
    day = int(found.group(1))
    this_month = _on_calendar(today.year, today.month, day)
    if this_month is not None and this_month >= today:
        return this_month, ""
    following = _month_end(today, "sau")
    found_day = _on_calendar(following.year, following.month, day)
    return found_day, "" if found_day else "no_such_day"


def _weekday_alone(today: date, found: re.Match[str]) -> tuple[date | None, str]:
    """ "thứ 6", "thứ 6 tuần sau", "Friday next week"; "next Friday" is this week's Friday to
    some and next week's to others: ambiguous."""
    if found.group(1) == "next " and not found.group(3):
        return None, "ambiguous_week"
    return _weekday(today, _WEEKDAYS[found.group(2)], found.group(3)), ""


_DAY_READERS: tuple[
    tuple[re.Pattern[str], Callable[[date, re.Match[str]], tuple[date | None, str]]], ...
] = (
    (_VAGUE, lambda _today, _found: (None, "vague")),
    (_IN_DAYS, _in_days),
    (_ISO, lambda _t, f: (_on_calendar(*map(int, f.groups())), "")),
    (_NUMERIC, _numeric),
    (_VI_WORDS, lambda t, f: _day_month(t, int(f.group(1)), int(f.group(2)), f.group(3))),
    (_DAY_ONLY, _day_only),
    (_EN_DAY_MONTH, lambda t, f: _day_month(t, int(f.group(1)), MONTHS[f.group(2)], f.group(3))),
    (_EN_MONTH_DAY, lambda t, f: _day_month(t, int(f.group(2)), MONTHS[f.group(1)], f.group(3))),
    (_MONTH_END, lambda t, f: (_month_end(t, next((g for g in f.groups() if g), None)), "")),
    (_WEEKDAY_ALONE, _weekday_alone),
)


def _with_weekday(words: str, today: date) -> tuple[date | None, str]:
    """A day read from `words`; a weekday typed beside a date ("thứ 6 ngày 11/12", "Friday 11
    December") must be that date's, or the problem is "weekday_mismatch"."""
    day, problem = _read_day(words, today)
    if problem != "unreadable":
        return day, problem
    for pattern, weekday_group, rest_group in ((_WEEKDAY_FIRST, 1, 2), (_WEEKDAY_LAST, 2, 1)):
        found = pattern.match(words)
        if found is None:
            continue
        day, problem = _read_day(found.group(rest_group), today)
        if day is not None and not problem:
            if day.weekday() != _WEEKDAYS[found.group(weekday_group)]:
                return None, "weekday_mismatch"
            return day, ""
    return None, "unreadable"


def read_when(text: str, now: datetime) -> Reading:
    """A moment an officer typed, in Vietnam time, with the reason when it is refused: (moment,
    "") when read; (None, problem) for "unreadable" (no date), "no_such_day" ("31/2"),
    "no_such_month" ("32/13"), "no_such_time" ("25h"), "month_first" ("12/15"), "vague"
    ("cuối tuần", "tuần sau"), "ambiguous" ("trước 15/12"), "ambiguous_week" ("next Friday"),
    "weekday_mismatch" (a weekday that is not the date's); (moment, "past") for a moment
    already gone."""
    local_now = now.astimezone(VIETNAM)
    clock, words, problem = _take_clock(_plain(text))
    if problem:
        return None, problem
    words = _FILLER.sub("", words)
    if _BEFORE.search(words) and clock is not None:  # "trước 17h ngày 15/12": that moment
        words = " ".join(_BEFORE.sub("", words).split())
    elif _BEFORE.search(words):  # "trước 15/12": is the 15th still in time?
        day, _ = _read_day(_BEFORE.sub("", words).strip(), local_now.date())
        return None, "unreadable" if day is None else "ambiguous"
    if not words and clock is not None:  # "17h": today at that time
        words = "hom nay"
    day, problem = _with_weekday(words, local_now.date())
    if day is None:
        return None, problem or "no_such_day"
    moment = datetime.combine(day, clock or DEFAULT_TIME, tzinfo=VIETNAM)
    return moment, "" if moment > local_now else "past"


_DATE_IN = re.compile(
    r"\b(?:(?:ngay|mung) )?\d{1,2}/\d{1,2}(?:/\d{2,4})?(?![\d/])"
    r"|\b(?:(?:ngay|mung) )?\d{1,2} (?:thang|thg) \d{1,2}(?: (?:nam )?\d{4})?\b"
    r"|\b\d{1,2}(?:st|nd|rd|th)? (?:of )?" + _MONTH + r"(?: \d{4})?\b"
    r"|\b" + _MONTH + r" \d{1,2}(?:st|nd|rd|th)?(?: \d{4})?\b(?!:)"
)


def when_in(sentence: str) -> str:
    """The date typed inside a sentence, with the time typed anywhere in it, for `read_when`
    ("đăng hạn nộp hồ sơ 9h sáng ngày 15/12" → "ngay 15/12 9h sang"); "" when no date is typed.
    """
    words = _plain(sentence)
    found = _DATE_IN.search(words)
    if found is None:
        return ""
    clock = _CLOCK.search(words[: found.start()] + " " + words[found.end() :])
    return found.group() + (" " + clock.group() if clock else "")


def parse_when(text: str, now: datetime) -> datetime | None:
    """The moment `read_when` reads, or None when it is refused or past."""
    moment, problem = read_when(text, now)
    return None if problem else moment
