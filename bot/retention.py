"""Keep the least: drop shared positions, and the texts of replies already sent, after the
"near me" window; prune handled-update records, settled messages and questions typed at a
privacy notice never answered after the retention period; and (on request) erase users who
have been silent too long. The worker applies all but the last every minute; `ocop-bot db
prune` applies all."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.settings import Settings
from db import privacy
from db.models import utcnow
from db.session import Database

logger = logging.getLogger(__name__)
TICK_SECONDS = 60


async def apply_retention(
    db: Database, settings: Settings, now: datetime, *, inactive_users: bool = False
) -> dict[str, int]:
    """Apply the retention rules at `now`; returns how many of each thing went."""
    window = now - timedelta(minutes=settings.LOCATION_RETENTION_MINUTES)
    counts = {
        "locations": await db.run(partial(privacy.drop_locations, shared_before=window)),
        "sent_replies": await db.run(partial(privacy.forget_sent_replies, sent_before=window)),
    }
    handled_before = now - timedelta(days=settings.REPLY_RETENTION_DAYS)
    counts.update(await db.run(partial(privacy.prune_messages, before=handled_before)))
    counts["held_questions"] = await db.run(
        partial(privacy.forget_held_questions, untouched_since=handled_before)
    )
    if inactive_users:
        silent = await db.run(
            partial(
                privacy.inactive_users,
                seen_before=now - timedelta(days=settings.INACTIVE_USER_DAYS),
            )
        )
        for user_id in silent:
            await db.run(partial(privacy.erase_user, user_id=user_id, reason="inactive", now=now))
        counts["users"] = len(silent)
    return counts


def schedule_retention(scheduler: AsyncIOScheduler, db: Database, settings: Settings) -> None:
    """Run the automatic rules (positions, stored messages) on the worker's clock."""

    async def tick() -> None:
        try:
            counts = await apply_retention(db, settings, utcnow())
        except Exception:
            logger.exception("retention pass failed")
            return
        if any(counts.values()):
            logger.info("retention: %s", counts)

    scheduler.add_job(
        tick, "interval", seconds=TICK_SECONDS, id="retention", coalesce=True, max_instances=1
    )
