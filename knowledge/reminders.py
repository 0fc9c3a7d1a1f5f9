"""When deadline reminders are due (30, 7 and 1 days before, and 08:00 on the day), how
dates are shown (the Vietnamese way: 30/11/2026 09:00); typed dates are read by
`knowledge.typed_dates`.

Only the most recent due reminder counts: after a long outage the bot sends "1 day left",
not the 30- and 7-day reminders that are no longer true. Certificate reminders follow
QĐ 26/2026 in `knowledge.certificates`.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

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


def reminders_ahead(due_at: datetime, now: datetime) -> list[str]:
    """The labels of the reminders a deadline published at `now` will still send, in order:
    "now" first when one is due at once (the latest point already passed), then those to come."""
    day = due_at.astimezone(VIETNAM).date()
    morning = datetime.combine(day, MORNING, tzinfo=VIETNAM)
    points = [(due_at - timedelta(days=days), label) for days, label in DEADLINE_OFFSETS]
    if morning < due_at:
        points.append((morning, "day"))
    ahead = [label for at, label in sorted(points) if at > now]
    return (["now"] if deadline_reminder(due_at, now) else []) + ahead
