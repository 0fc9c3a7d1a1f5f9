"""The clock: every half minute, queue the reminders that have come due — deadlines officers
published, the national calendar of QĐ 26/2026 Điều 5, and the re-evaluation window of each
recorded certificate (Điều 7.6.a, Điều 12.3). Each reminder has a unique key (what, which date,
who, which stage), so a tick missed while the process was down is caught up once, never twice."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import Connection

from bot import metrics
from bot.i18n import Safe, format_date, format_datetime, translator
from bot.messages import Reply, reply_to_dict
from db import repo
from db.models import utcnow
from db.session import Database
from handlers.broadcasts import done_report
from handlers.certificate_texts import reminder as certificate_reminder
from handlers.handover import clock_tick as handover_tick
from handlers.reminders import reminder_buttons
from knowledge import calendar
from knowledge.certificates import schedule
from knowledge.reminders import MORNING, VIETNAM, deadline_reminder

logger = logging.getLogger(__name__)
TICK_SECONDS = 30


def _days_left(due_at: datetime, now: datetime) -> int:
    """Calendar days from today to the due day, in Vietnam: what a reminder says is left
    (a producer who joins, or a deadline published, 20 days before gets "20", not the name of
    the 30-day mark)."""
    return (due_at.astimezone(VIETNAM).date() - now.astimezone(VIETNAM).date()).days


def _deadline_message(
    locale: str, *, title: str, when: str, days: int, mute_id: int, extra: str
) -> list[dict[str, Any]]:
    """A deadline reminder saying the days left, with buttons to mute it or all of them, and
    to see `/lich`."""
    t = translator(locale)
    if days <= 0:
        text = t("remind.deadline.day", title=title, when=when)
    elif days == 1:
        text = t("remind.deadline.1d", title=title, when=when)
    else:
        text = t("remind.deadline.days", title=title, when=when, days=days)
    if extra:
        text += "\n" + extra
    return [reply_to_dict(Reply(text=text, buttons=reminder_buttons(t, mute_id)))]


def _queue_each(
    connection: Connection,
    *,
    people: list[repo.Recipient],
    message: dict[str, list[dict[str, Any]]],
    key: str,
    now: datetime,
) -> int:
    """Queue the reminder (rendered per locale) for each person; `key` + user id dedupes it."""
    return sum(
        repo.enqueue(
            connection,
            platform=p.platform,
            chat_id=p.chat_id,
            user_id=p.user_id,
            kind="reminder",
            payload=message[p.locale],
            now=now,
            dedupe_key=key.format(user=p.user_id),
        )
        for p in people
    )


async def _queue_deadlines(db: Database, now: datetime) -> int:
    """Deadlines officers published, to the producers in their scope who did not mute them."""
    queued = 0
    for deadline in await db.run(partial(repo.open_deadlines, after=now)):
        label = deadline_reminder(deadline.due_at, now)
        if label is None:
            continue
        people = await db.run(partial(repo.reminder_recipients, deadline=deadline))
        message = {}
        for p in people:
            t = translator(p.locale)
            message[p.locale] = _deadline_message(
                p.locale,
                title=deadline.title,
                when=format_datetime(deadline.due_at),
                days=_days_left(deadline.due_at, now),
                mute_id=deadline.id,
                extra=t("remind.link", link=deadline.link) if deadline.link else "",
            )
        stamp = int(deadline.due_at.timestamp())
        key = f"deadline:{deadline.id}:{stamp}:{{user}}:{label}"
        queued += await db.run(
            partial(_queue_each, people=people, message=message, key=key, now=now)
        )
    return queued


async def _queue_national(db: Database, now: datetime) -> int:
    """The national dates of Điều 5, to every producer (the Ministry's rounds to 5-star
    candidates only) who did not mute them."""
    queued = 0
    for national in calendar.upcoming(now):
        label = deadline_reminder(national.due_at, now, national.remind)
        if label is None:
            continue
        people = await db.run(
            partial(
                repo.calendar_recipients, mute_id=national.mute_id, five_star=national.five_star
            )
        )
        message = {}
        for p in people:
            t = translator(p.locale)
            message[p.locale] = _deadline_message(
                p.locale,
                title=national.title(p.locale),
                when=Safe(t("rm.before", day=format_date(national.before))),
                days=_days_left(national.due_at, now),
                mute_id=national.mute_id,
                extra=t("remind.national", cite=national.cite),
            )
        key = f"national:{national.key}:{national.before.isoformat()}:{{user}}:{label}"
        queued += await db.run(
            partial(_queue_each, people=people, message=message, key=key, now=now)
        )
    return queued


async def _queue_certificates(db: Database, now: datetime) -> int:
    """Each certificate's latest due stage of its re-evaluation window, to its owner, from
    08:00 on the stage's day (never at night)."""
    local = now.astimezone(VIETNAM)
    today = local.date()
    due_day = today if local.time() >= MORNING else today - timedelta(days=1)

    def write(connection: Connection) -> int:
        due = {}
        for certificate, owner in repo.certificate_contacts(connection):
            dates = schedule(certificate.decided_on)
            stage = dates.due_stage(due_day, certificate.updated_at.astimezone(VIETNAM).date())
            if stage is not None:
                key = f"certificate:{certificate.id}:{dates.expiry.isoformat()}:{stage}"
                due[key] = (certificate, owner, stage)
        queued = 0
        for key in sorted(due.keys() - repo.queued_keys(connection, keys=list(due))):
            certificate, owner, stage = due[key]
            reply = certificate_reminder(translator(owner.locale), certificate, stage, today)
            queued += repo.enqueue(
                connection,
                platform=owner.platform,
                chat_id=owner.chat_id,
                user_id=owner.user_id,
                kind="reminder",
                payload=[reply_to_dict(reply)],
                now=now,
                dedupe_key=key,
            )
        return queued

    return await db.run(write)


async def enqueue_due_reminders(db: Database, now: datetime) -> int:
    """Queue every reminder due at `now`; returns how many new messages were queued."""
    queued = await _queue_deadlines(db, now)
    queued += await _queue_national(db, now)
    queued += await _queue_certificates(db, now)
    queued += await _report_settled_broadcasts(db, now)
    queued += await handover_tick(db, now)
    if queued:
        metrics.REMINDERS.labels("all").inc(queued)
        logger.info("queued %d reminders", queued)
    return queued


async def _report_settled_broadcasts(db: Database, now: datetime) -> int:
    """Send each officer the final report of a broadcast once all its messages are settled."""

    def report(connection: Connection) -> int:
        queued = 0
        for broadcast_id, officer_id in repo.settled_broadcasts(connection):
            repo.mark_reported(connection, broadcast_id=broadcast_id, now=now)
            contact = (
                None
                if officer_id is None
                else repo.officer_contact(connection, user_id=officer_id)
            )
            if contact is None:
                continue
            counts = repo.outbox_counts(connection, broadcast_id=broadcast_id)
            done = done_report(contact.locale, counts)
            queued += repo.enqueue(
                connection,
                platform=contact.platform,
                chat_id=contact.chat_id,
                user_id=contact.user_id,
                kind="notice",
                payload=[reply_to_dict(done)],
                now=now,
                dedupe_key=f"broadcast-report:{broadcast_id}",
            )
        return queued

    return await db.run(report)


def start_clock(db: Database) -> AsyncIOScheduler:
    """An APScheduler (in-memory jobs: it is only a clock) ticking every TICK_SECONDS."""
    scheduler = AsyncIOScheduler(timezone=VIETNAM)

    async def tick() -> None:
        try:
            await enqueue_due_reminders(db, utcnow())
        except Exception:
            logger.exception("reminder tick failed")

    scheduler.add_job(
        tick,
        "interval",
        seconds=TICK_SECONDS,
        id="reminders",
        coalesce=True,
        max_instances=1,
        next_run_time=datetime.now(VIETNAM),
    )
    scheduler.start()
    return scheduler
