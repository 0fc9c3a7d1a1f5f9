"""When deadline reminders are due (30, 7 and 1 days before, and 08:00 on the day), how
officers type dates, and how dates are shown (the Vietnamese way: 30/11/2026 09:00).

Only the most recent due reminder counts: after a long outage the bot sends "1 day left",
not the 30- and 7-day reminders that are no longer true. Certificate reminders follow
QĐ 26/2026 in `knowledge.certificates`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from knowledge.text import fold

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
DEADLINE_OFFSETS = ((30, "30d"), (7, "7d"), (1, "1d"))
MORNING = time(8, 0)
ALL_LABELS = ("30d", "7d", "1d", "day")


def deadline_reminder(
    due_at: datetime, now: datetime, labels: tuple[str, ...] = ALL_LABELS
) -> str | None:
    """The label of the latest reminder (of `labels`) due for a deadline at `now`, or None."""
    if now >= due_at:
        return None
    day = due_at.astimezone(VIETNAM).date()
    morning = datetime.combine(day, MORNING, tzinfo=VIETNAM)
    fire_times = [(due_at - timedelta(days=days), label) for days, label in DEADLINE_OFFSETS]
    if morning < due_at:
        fire_times.append((morning, "day"))
    fired = [(at, label) for at, label in fire_times if at <= now and label in labels]
    return max(fired)[1] if fired else None


_TIME = re.compile(r"(\d{1,2})\s*(?:[:h]|giờ|gio)\s*(\d{2})?")
_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2,4}))?$")


def parse_when(text: str, now: datetime) -> datetime | None:
    """A date typed by an officer, in Vietnam time: "30/6", "30/06/2026 17:00", "ngày mai",
    "mai 9h"; a date without a time means 17:00. None when it cannot be read or is past."""
    moment, problem = read_when(text, now)
    return None if problem else moment


def read_when(text: str, now: datetime) -> tuple[datetime | None, str]:
    """`parse_when` with the reason when it fails: (moment, "") when fine; (None, "unreadable")
    for text that is no date; (None, "no_such_day") for "31/2"; (None, "no_such_time") for
    "25h"; (moment, "past") for a moment already gone."""
    local_now = now.astimezone(VIETNAM)
    raw = text.strip().lower()
    clock = time(17, 0)
    found = _TIME.search(raw)
    if found:
        hour, minute = int(found.group(1)), int(found.group(2) or 0)
        if hour > 23 or minute > 59:
            return None, "no_such_time"
        clock = time(hour, minute)
        raw = (raw[: found.start()] + raw[found.end() :]).strip()
    words = fold(raw)
    if words in ("ngay mai", "mai", "tomorrow"):
        day = local_now.date() + timedelta(days=1)
    elif words in ("hom nay", "today"):
        day = local_now.date()
    else:
        match = _DATE.match(raw.removeprefix("ngày").removeprefix("ngay").strip())
        if match is None:
            return None, "unreadable"
        year = int(match.group(3)) if match.group(3) else local_now.year
        year = year + 2000 if year < 100 else year
        try:
            day = date(year, int(match.group(2)), int(match.group(1)))
        except ValueError:
            return None, "no_such_day"
        if match.group(3) is None and datetime.combine(day, clock, tzinfo=VIETNAM) <= local_now:
            try:  # "30/6" typed in December means next June
                day = date(year + 1, day.month, day.day)
            except ValueError:  # 29/2 of a leap year, typed after it
                return datetime.combine(day, clock, tzinfo=VIETNAM), "past"
    moment = datetime.combine(day, clock, tzinfo=VIETNAM)
    return moment, "" if moment > local_now else "past"
