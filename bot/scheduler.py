"""The clock: every half minute, queue the reminders that have come due (deadlines, certificate
expiry). Each reminder has a unique key (what, who, which offset), so a tick missed while the
process was down is caught up once, never twice."""

from __future__ import annotations

import logging
from datetime import datetime
from functools import partial

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import Connection

from bot import metrics
from bot.i18n import N_, translator
from bot.messages import Button, Reply, reply_to_dict
from db import repo
from db.models import utcnow
from db.session import Database
from handlers.handover import clock_tick as handover_tick
from knowledge.reminders import (
    VIETNAM,
    certificate_expiry,
    certificate_reminder,
    deadline_reminder,
)

logger = logging.getLogger(__name__)
TICK_SECONDS = 30
_BROADCAST_DONE = N_("of.broadcast_done")
_DEADLINE_TEXTS = {
    "30d": N_("remind.deadline.30d"),
    "7d": N_("remind.deadline.7d"),
    "1d": N_("remind.deadline.1d"),
    "day": N_("remind.deadline.day"),
}


def _deadline_message(locale: str, deadline: repo.DeadlineRecord, label: str) -> list[dict]:  # type: ignore[type-arg]
    t = translator(locale)
    when = deadline.due_at.astimezone(VIETNAM).strftime("%H:%M %d/%m/%Y")
    text = t(_DEADLINE_TEXTS[label], title=deadline.title, when=when)
    if deadline.link:
        text += "\n" + t("remind.link", link=deadline.link)
    buttons = (
        (
            Button(t("remind.mute_this"), f"rm:mute:{deadline.id}"),
            Button(t("remind.mute_all"), "rm:mute:0"),
        ),
    )
    return [reply_to_dict(Reply(text=text, buttons=buttons))]


def _certificate_message(
    locale: str, certificate: repo.CertificateRecord, days: int
) -> list[dict]:  # type: ignore[type-arg]
    t = translator(locale)
    expiry = certificate_expiry(certificate.decided_on).strftime("%d/%m/%Y")
    text = t(
        "remind.certificate",
        product=certificate.product,
        stars=certificate.stars,
        days=days,
        expiry=expiry,
    )
    return [
        reply_to_dict(
            Reply(text=text, buttons=((Button(t("faq.topics"), "faq:e:rerecognition"),),))
        )
    ]


def _queue_certificate(
    connection: Connection,
    *,
    certificate: repo.CertificateRecord,
    days: int,
    contact: repo.Recipient,
    now: datetime,
) -> int:
    return int(
        repo.enqueue(
            connection,
            platform=contact.platform,
            chat_id=contact.chat_id,
            user_id=contact.user_id,
            kind="reminder",
            payload=_certificate_message(contact.locale, certificate, days),
            now=now,
            dedupe_key=f"certificate:{certificate.id}:{days}",
        )
    )


async def enqueue_due_reminders(db: Database, now: datetime) -> int:
    """Queue every reminder due at `now`; returns how many new messages were queued."""
    queued = 0
    for deadline in await db.run(partial(repo.open_deadlines, after=now)):
        label = deadline_reminder(deadline.due_at, now)
        if label is None:
            continue
        recipients = await db.run(partial(repo.reminder_recipients, deadline=deadline))

        def write(
            connection: Connection,
            d: repo.DeadlineRecord = deadline,
            lab: str = label,
            people: list[repo.Recipient] = recipients,
        ) -> int:
            return sum(
                repo.enqueue(
                    connection,
                    platform=p.platform,
                    chat_id=p.chat_id,
                    user_id=p.user_id,
                    kind="reminder",
                    payload=_deadline_message(p.locale, d, lab),
                    now=now,
                    dedupe_key=f"deadline:{d.id}:{int(d.due_at.timestamp())}:{p.user_id}:{lab}",
                )
                for p in people
            )

        queued += await db.run(write)
    today = now.astimezone(VIETNAM).date()
    for certificate in await db.run(repo.certificates):
        days = certificate_reminder(certificate.decided_on, today)
        if days is None:
            continue
        contact = await db.run(partial(repo.user_contact, user_id=certificate.user_id))
        if contact is None:
            continue
        queued += await db.run(
            partial(
                _queue_certificate, certificate=certificate, days=days, contact=contact, now=now
            )
        )
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
                None if officer_id is None else repo.user_contact(connection, user_id=officer_id)
            )
            if contact is None:
                continue
            counts = repo.outbox_counts(connection, broadcast_id=broadcast_id)
            text = translator(contact.locale)(
                _BROADCAST_DONE,
                sent=counts.get("sent", 0),
                failed=counts.get("failed", 0),
                blocked=counts.get("blocked", 0),
                undeliverable=counts.get("undeliverable", 0),
                cancelled=counts.get("cancelled", 0),
            )
            queued += repo.enqueue(
                connection,
                platform=contact.platform,
                chat_id=contact.chat_id,
                user_id=contact.user_id,
                kind="notice",
                payload=[reply_to_dict(Reply(text=text))],
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
