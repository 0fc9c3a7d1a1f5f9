"""Working time of an OCOP office: periods of the day and working days, in Vietnam time.

Public holidays are not modelled: the office closes its queue by hand on those days.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from knowledge.reminders import VIETNAM

_PERIOD = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


def parse_periods(text: str) -> list[tuple[time, time]]:
    """`07:30-11:30,13:30-17:00` → sorted (start, end) pairs; ValueError when malformed."""
    periods = []
    for part in text.split(","):
        found = _PERIOD.match(part)
        if not found:
            raise ValueError(f"{part.strip()!r} is not HH:MM-HH:MM")
        h1, m1, h2, m2 = map(int, found.groups())
        if not (h1 < 24 and h2 < 24 and m1 < 60 and m2 < 60) or (h1, m1) >= (h2, m2):
            raise ValueError(f"{part.strip()!r} is not a period of one day")
        periods.append((time(h1, m1), time(h2, m2)))
    periods.sort()
    for (_, end), (start, _) in zip(periods, periods[1:], strict=False):
        if start < end:
            raise ValueError("periods overlap")
    return periods


def parse_days(text: str) -> frozenset[int]:
    """`1-5` or `1,2,3,4,5,6` → ISO weekdays; ValueError when malformed."""
    days: set[int] = set()
    for part in text.split(","):
        bounds = part.strip().split("-")
        if not all(b.strip().isdigit() for b in bounds) or len(bounds) > 2:
            raise ValueError(f"{part.strip()!r} is not a day number or range")
        low, high = int(bounds[0]), int(bounds[-1])
        if not 1 <= low <= high <= 7:
            raise ValueError(f"{part.strip()!r} is outside 1-7")
        days.update(range(low, high + 1))
    return frozenset(days)


@dataclass(frozen=True, slots=True)
class OfficeHours:
    """When officers work; `add` counts only working time."""

    periods: tuple[tuple[time, time], ...]
    days: frozenset[int]

    @classmethod
    def parse(cls, periods: str, days: str) -> OfficeHours:
        """From the OFFICE_HOURS and OFFICE_DAYS settings."""
        return cls(tuple(parse_periods(periods)), parse_days(days))

    def _spans(self, start: datetime) -> list[tuple[datetime, datetime]]:
        """Working spans from the day of `start` on, for two weeks (local time)."""
        local = start.astimezone(VIETNAM)
        spans = []
        for offset in range(15):
            day = local.date() + timedelta(days=offset)
            if day.isoweekday() in self.days:
                spans += [
                    (
                        datetime.combine(day, begin, tzinfo=VIETNAM),
                        datetime.combine(day, end, tzinfo=VIETNAM),
                    )
                    for begin, end in self.periods
                ]
        return spans

    def add(self, start: datetime, hours: float) -> datetime:
        """The moment `hours` of working time after `start`."""
        left = timedelta(hours=hours)
        for begin, end in self._spans(start):
            begin = max(begin, start)
            if begin >= end:
                continue
            if end - begin >= left:
                return begin + left
            left -= end - begin
        raise ValueError("more than two weeks of working time")

    def next_day_close(self, moment: datetime) -> datetime:
        """The end of the next working day after `moment` (how long an answer may take)."""
        local = moment.astimezone(VIETNAM)
        last_end = self.periods[-1][1]
        for begin, end in self._spans(moment):
            if begin.date() > local.date() and end.time() == last_end:
                return end
        raise ValueError("no working day within two weeks")
