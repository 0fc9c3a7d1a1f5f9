"""The outbox worker: claims due messages and sends them within the platform's limits.

Telegram allows about 30 messages a second overall (more with paid broadcasts) and one a
second to the same chat; a 429 answer names how long to wait, and then nothing is sent to
anyone until it has passed. A 403 means the user blocked the bot: they are marked inactive.
Other failures are retried with a growing delay, a bounded number of times.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Protocol

from bot import metrics
from bot.messages import Reply, reply_from_dict
from db import repo
from db.models import utcnow
from db.session import Database, DatabaseUnavailable

logger = logging.getLogger(__name__)


class RetryLater(Exception):
    """The platform asks to wait `seconds` before sending again (Telegram 429)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds} s")
        self.seconds = seconds


class Blocked(Exception):
    """The user blocked the bot or deleted their account: never send to them again."""


class NotDeliverable(Exception):
    """The platform's rules forbid this message now (Zalo outside its window): reported, not
    sent and not retried."""


class Sender(Protocol):
    """What a door provides to deliver queued replies to one chat."""

    async def deliver(self, chat_id: str, replies: list[Reply]) -> None:
        """Send the replies or raise RetryLater, Blocked, or another exception."""


HEADROOM = 0.98
"""Pace at 98% of the allowed rate: network jitter can bunch sends that left evenly spaced,
and every 429 stops all sending for its retry_after."""


SETTLE_WAITS = (0.5, 1.0, 2.0, 4.0, 8.0)
"""Seconds between tries to record a send's outcome."""


class RateLimiter:
    """A global pace (messages per second) and a minimum gap between two sends to one chat."""

    def __init__(
        self,
        per_second: float,
        *,
        per_chat_gap: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        headroom: float = HEADROOM,
    ) -> None:
        self.gap = 1.0 / (per_second * headroom)
        self.per_chat_gap = per_chat_gap
        self.clock = clock
        self._next_global = 0.0
        self._next_chat: dict[str, float] = {}
        self._paused_until = 0.0

    def pause(self, seconds: float) -> None:
        """Stop every send for `seconds` (a 429 applies to the whole bot)."""
        self._paused_until = max(self._paused_until, self.clock() + seconds)

    def reserve(self, chat_id: str) -> float:
        """Book the next slot for this chat; returns how long to sleep before sending."""
        now = self.clock()
        start = max(now, self._next_global, self._next_chat.get(chat_id, 0.0), self._paused_until)
        self._next_global = start + self.gap
        self._next_chat[chat_id] = start + self.per_chat_gap
        if len(self._next_chat) > 10_000:  # forget chats whose gap has long passed
            self._next_chat = {c: t for c, t in self._next_chat.items() if t > now}
        return start - now


class Delivery:
    """Drains the outbox: run `run_once` in a loop, or `run_forever` until stopped."""

    def __init__(
        self,
        db: Database,
        senders: dict[str, Sender],
        *,
        per_second: float = 30.0,
        batch: int = 500,
        concurrency: int = 16,
        max_attempts: int = 5,
        stale_after: timedelta = timedelta(minutes=2),
        clock: Callable[[], datetime] = utcnow,
        platforms: tuple[str, ...] | None = None,
        chat_id: str | None = None,
    ) -> None:
        self.db = db
        self.senders = senders
        self.limiter = RateLimiter(per_second)
        self.batch = batch
        self.concurrency = asyncio.Semaphore(concurrency)
        self.max_attempts = max_attempts
        self.stale_after = stale_after
        self.clock = clock
        self.platforms = platforms
        self.chat_id = chat_id
        self._halt = asyncio.Event()

    async def recover(self) -> int:
        """Put back every row left in flight: call it holding the worker lock, when no other
        delivery loop can be sending. Those rows may go out twice, nothing more."""
        released = await self.db.run(
            partial(repo.release_stale, older_than=self.clock() + timedelta(seconds=1))
        )
        if released:
            logger.warning("requeued %d outbox rows left in flight before a restart", released)
        return released

    async def run_once(self) -> int:
        """Send every message due now (one claimed batch); returns how many were claimed. The
        loop that serves every chat also puts back rows a stopped worker left in flight; one
        chat's sender (the console's) leaves that to it."""
        now = self.clock()
        if self.chat_id is None:
            released = await self.db.run(
                partial(repo.release_stale, older_than=now - self.stale_after)
            )
            if released:
                logger.warning(
                    "requeued %d outbox rows left in flight by a stopped worker", released
                )
        items = await self.db.run(
            partial(
                repo.claim_due,
                now=now,
                limit=self.batch,
                platforms=self.platforms,
                chat_id=self.chat_id,
            )
        )
        await asyncio.gather(*(self._send(item) for item in items))
        return len(items)

    async def send_claimed(self, item_id: int) -> bool:
        """Claim one row (replies queued with their update) and send it; False when a delivery
        loop had claimed it first."""
        item = await self.db.write_grouped(
            partial(repo.claim, item_id=item_id, now=self.clock()), one_statement=True
        )
        if item is None:
            return False
        await self._send(item)
        return True

    async def run_forever(self, stop: asyncio.Event, *, idle: float = 1.0) -> None:
        """Keep draining until `stop` is set; sleeps `idle` seconds when nothing is due. Once
        `stop` is set, claimed rows still waiting for their slot are not sent: they stay
        claimed, and the next worker to take the lock puts them back (`recover`)."""
        self._halt = stop
        while not stop.is_set():
            try:
                claimed = await self.run_once()
            except Exception:  # a database hiccup must not end the worker
                logger.exception("outbox pass failed")
                claimed = 0
            if not claimed:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=idle)

    async def _send(self, item: repo.OutboxItem) -> None:
        sender = self.senders.get(item.platform)
        if sender is None:
            logger.warning(
                "outbox %d: no %s sender in this process (is the door configured?)",
                item.id,
                item.platform,
            )
            metrics.NO_SENDER.labels(item.platform).inc()
            await self._settle(item, "failed", error=f"no sender for {item.platform}")
            return
        async with self.concurrency:
            with contextlib.suppress(TimeoutError):  # the slot comes, or the halt
                await asyncio.wait_for(self._halt.wait(), self.limiter.reserve(item.chat_id))
            if self._halt.is_set():  # stopped, or the worker lock was lost: not ours to send
                return
            try:
                await sender.deliver(item.chat_id, [reply_from_dict(r) for r in item.payload])
            except RetryLater as exc:
                self.limiter.pause(exc.seconds)
                metrics.OUTBOX.labels(item.platform, "retry_after").inc()
                retry_at = self.clock() + timedelta(seconds=exc.seconds)
                await self._settle(item, "pending", error=str(exc), retry_at=retry_at)
            except NotDeliverable as exc:
                metrics.OUTBOX.labels(item.platform, "not_deliverable").inc()
                await self._settle(item, "undeliverable", error=str(exc))
            except Blocked as exc:
                metrics.OUTBOX.labels(item.platform, "blocked").inc()
                await self._settle(item, "blocked", error=str(exc))
                if item.user_id is not None:
                    await self.db.run(partial(repo.deactivate_user, user_id=item.user_id))
            except Exception as exc:  # network errors, refusals: retried, then given up
                attempts = item.attempts + 1
                metrics.OUTBOX.labels(item.platform, "error").inc()
                if attempts >= self.max_attempts:
                    logger.warning("outbox %d failed for good: %s", item.id, exc)
                    await self._settle(item, "failed", error=str(exc), attempts=attempts)
                else:
                    retry_at = self.clock() + timedelta(seconds=2**attempts)
                    await self._settle(
                        item, "pending", error=str(exc), retry_at=retry_at, attempts=attempts
                    )
            else:
                metrics.child(metrics.OUTBOX, item.platform, "sent").inc()
                await self._settle(item, "sent")

    async def _settle(
        self,
        item: repo.OutboxItem,
        status: str,
        *,
        error: str = "",
        retry_at: datetime | None = None,
        attempts: int | None = None,
    ) -> None:
        """Record the outcome, waiting out a brief database outage: a row sent but left
        claimed would be sent again once requeued."""
        for wait in (*SETTLE_WAITS, None):
            try:
                await self.db.write_grouped(
                    partial(
                        repo.settle,
                        item_id=item.id,
                        status=status,
                        now=self.clock(),
                        error=error,
                        retry_at=retry_at,
                        attempts=attempts,
                    ),
                    one_statement=True,
                )
                return
            except DatabaseUnavailable as exc:
                if wait is None:
                    raise
                logger.warning("outbox %d: outcome not recorded yet: %s", item.id, exc)
                await asyncio.sleep(wait)
