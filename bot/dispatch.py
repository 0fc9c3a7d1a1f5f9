"""One update in, replies out: read the user and their state, route, then write the changes,
the update's id and its replies in one transaction."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from bot import metrics
from bot.context import Context, State
from bot.flood import Flood, LiveThrottle
from bot.i18n import translator
from bot.messages import Incoming, Reply, cleaned, reply_from_dict, reply_to_dict
from bot.router import resume, route
from bot.settings import Settings
from db import repo
from db.models import utcnow
from db.session import Database, DatabaseUnavailable, Transaction
from handlers import handover
from handlers.menu import menu_button
from knowledge.text import as_locale

logger = logging.getLogger(__name__)

_MAX_ATTEMPTS = 5
_LAST_SEEN_STEP = timedelta(minutes=1)
"""`last_seen_at` is rewritten at most this often, sparing a write on most messages."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What to send for an update; `duplicate` when it was handled before; `queued`, the
    outbox row holding the replies when they were stored there with the update (the door
    claims and sends it after answering, and the outbox's delivery does if this process
    cannot)."""

    replies: list[Reply]
    duplicate: bool = False
    queued: int | None = None


class NotRecorded(Exception):
    """The update could not be durably recorded (the database is down, read-only or full, or
    the user's state kept changing under it): the door answers non-2xx so that the platform
    delivers the update again."""


class _AlreadyHandled(Exception):
    """The update's id was recorded by an earlier delivery."""


async def _bootstrap_officer(transaction: Transaction, user: repo.UserRecord) -> bool:
    """Grant a listed user officer rights once: True when granted now. A user whose rights
    were ever granted or withdrawn (`ocop-bot officer remove`) is left as recorded."""
    if user.officer_approved:
        return False
    if user.id is not None and await transaction.run(
        partial(repo.officer_decided, user_id=user.id)
    ):
        return False
    user.officer_approved = True
    user.role = user.role or "officer"
    return True


def _lock_key(msg: Incoming) -> str:
    """The key of the lock a user's updates take turns on (`Transaction.serialize`)."""
    return f"{msg.platform}:{msg.user_id}"


class _UserLocks:
    """One asyncio lock per user while any of their updates is in flight in this process."""

    def __init__(self) -> None:
        self._held: dict[tuple[str, str], tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: tuple[str, str]) -> AsyncIterator[None]:
        lock, waiting = self._held.get(key, (asyncio.Lock(), 0))
        self._held[key] = (lock, waiting + 1)
        try:
            async with lock:
                yield
        finally:
            lock, waiting = self._held[key]
            if waiting == 1:
                del self._held[key]
            else:
                self._held[key] = (lock, waiting - 1)


class _SentMarks:
    """Marks updates' replies as sent, many in one statement: each caller waits until its
    mark is written, and the marks arriving while a batch gathers go with it. A batch gathers
    for a moment when marks come one at a time, longer once they come several together
    (under load, one statement then stands for tens of updates, not two or three)."""

    _GATHER_SECONDS = (0.002, 0.02)

    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.clock = clock
        self._waiting: dict[str, list[str]] = {}
        self._batch: asyncio.Task[None] | None = None
        self._busy = False

    async def mark(self, platform: str, update_id: str) -> None:
        """Return once the mark is written; raise DatabaseUnavailable when it was not."""
        self._waiting.setdefault(platform, []).append(update_id)
        if self._batch is None:
            self._batch = asyncio.get_running_loop().create_task(self._write())
        await asyncio.shield(self._batch)

    async def _write(self) -> None:
        await asyncio.sleep(self._GATHER_SECONDS[self._busy])
        waiting, self._waiting, self._batch = self._waiting, {}, None
        self._busy = sum(map(len, waiting.values())) > 1
        now = self.clock()
        for platform, update_ids in waiting.items():  # one statement each: no transaction
            await self.db.write_grouped(
                partial(repo.mark_many_sent, platform=platform, update_ids=update_ids, now=now),
                one_statement=True,
            )


class Dispatcher:
    """Runs the conversation core against the database; every door calls it the same way.

    A user's updates are handled one at a time in this process (a lock per user). The write
    re-checks the conversation's version (another process may have written since the read:
    then nothing is kept and the update is retried on fresh state; on PostgreSQL holding the
    user's advisory lock from its first read, which the other processes' writes respect, so it
    cannot lose again) and records the update id (a repeated delivery makes it fail and
    nothing is kept).

    With a `flood` budget, a user's updates beyond it are still handled, but their replies are
    coalesced into one message the outbox sends when the budget allows; with a `live`
    throttle, positions of a live location that would not change the answer are skipped.
    """

    def __init__(
        self,
        db: Database,
        settings: Settings,
        *,
        clock: Callable[[], datetime] = utcnow,
        flood: Flood | None = None,
        live: LiveThrottle | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.flood = flood
        self.live = live
        self._locks = _UserLocks()
        self._sent = _SentMarks(db, clock)

    async def process(
        self, msg: Incoming, *, queue_if: Callable[[list[Reply]], bool] | None = None
    ) -> Outcome:
        """Handle one incoming; raise NotRecorded when it could not be recorded.

        The replies are stored with the update; the door calls `mark_sent` once they are out.
        Replies for which `queue_if` is true (the door cannot carry them in its answer) are
        queued in the outbox in the same transaction instead (`Outcome.queued`).
        """
        msg = cleaned(msg)
        key = (msg.platform, msg.user_id)
        started = time.perf_counter()
        try:
            async with self._locks.hold(key):
                if (
                    self.live is not None
                    and msg.location is not None
                    and not self.live.should_answer(key, msg.location, update=msg.live)
                ):
                    metrics.THROTTLED.labels(msg.platform, "live_location").inc()
                    return Outcome(replies=[])
                return await self._process(msg, queue_if=queue_if)
        finally:
            metrics.HANDLER_SECONDS.observe(time.perf_counter() - started)

    async def _process(
        self,
        msg: Incoming,
        *,
        queue_if: Callable[[list[Reply]], bool] | None,
    ) -> Outcome:
        for attempt in range(1, _MAX_ATTEMPTS + 1):
            try:
                return await self._attempt(msg, queue_if, locked=attempt > 1)
            except _AlreadyHandled:
                return await self._redelivered(msg)
            except (repo.StaleState, IntegrityError) as exc:
                logger.info("retrying update %s (attempt %d): %s", msg.update_id, attempt, exc)
            except DatabaseUnavailable as exc:
                logger.warning("update %s not recorded: %s", msg.update_id, exc)
                metrics.HANDLER_ERRORS.inc()
                raise NotRecorded(str(exc)) from exc
            except Exception:
                logger.exception(
                    "update %s from %s:%s failed", msg.update_id, msg.platform, msg.user_id
                )
                metrics.HANDLER_ERRORS.inc()
                return await self._apology(msg)
        metrics.HANDLER_ERRORS.inc()
        raise NotRecorded(f"update {msg.update_id} kept losing races")

    async def resume(self, msg: Incoming) -> list[Reply]:
        """Re-ask whatever the user was last asked; [] for someone the bot does not know."""
        loaded = await self.db.run(
            partial(repo.load_user, platform=msg.platform, external_id=msg.user_id)
        )
        if loaded is None:
            return []
        user, conv = loaded
        state = State(conv.flow, conv.step, conv.data) if conv else State()
        return await resume(Context(user, state, self.settings, self.clock(), resume, self.db))

    async def set_active(self, platform: str, user_id: str, *, active: bool) -> None:
        """A user blocked or unblocked the bot (Telegram `my_chat_member`)."""

        def apply(connection: Connection) -> None:
            found = repo.find_user(connection, platform=platform, external_id=user_id)
            if found is not None:
                repo.update_user(connection, user_id=found, changes={"active": active})

        await self.db.run(apply)

    async def mark_sent(self, msg: Incoming) -> None:
        """Note that the replies to `msg` reached the platform. Failing is harmless (logged):
        a redelivery of the update would only send them again."""
        if msg.update_id is None:
            return
        try:
            await self._sent.mark(msg.platform, msg.update_id)
        except DatabaseUnavailable as exc:
            logger.warning("update %s: replies sent, not marked sent: %s", msg.update_id, exc)

    async def _attempt(
        self,
        msg: Incoming,
        queue_if: Callable[[list[Reply]], bool] | None,
        *,
        locked: bool,
    ) -> Outcome:
        """One try. The first reads without a transaction and writes at the end (on
        PostgreSQL mostly in one statement); a try after a lost race holds the user's lock
        from its first read (PostgreSQL: an advisory lock per user, which the other
        processes' writes respect), so it cannot lose again."""
        async with self.db.transaction() as transaction:
            if locked:
                await transaction.serialize(_lock_key(msg))
            return await self._handle(transaction, msg, queue_if)

    async def _handle(
        self,
        transaction: Transaction,
        msg: Incoming,
        queue_if: Callable[[list[Reply]], bool] | None,
    ) -> Outcome:
        now = self.clock()
        loaded, full_at = await repo.fetch_for_update(
            transaction, platform=msg.platform, external_id=msg.user_id, chat_id=msg.chat_id
        )
        defer_for, full_at = (0.0, None) if self.flood is None else self.flood.take(full_at, now)
        open_handover = None
        if loaded is None:
            user = repo.new_user(
                platform=msg.platform,
                external_id=msg.user_id,
                chat_id=msg.chat_id,
                locale=as_locale(msg.locale_hint, self.settings.DEFAULT_LOCALE),
                now=now,
            )
            conv = None
        else:
            user, conv, open_handover = loaded
        before = user.snapshot()
        granted = (
            user.consent_given  # officers, too, are asked first
            and self.settings.listed_officer(msg.platform, msg.user_id)
            and await _bootstrap_officer(transaction, user)
        )
        user.chat_id = msg.chat_id
        if msg.display_name and user.consent_given:  # a name is kept only with consent
            user.display_name = msg.display_name[:128]
        if now - user.last_seen_at >= _LAST_SEEN_STEP:
            user.last_seen_at = now
        state = State(conv.flow, conv.step, dict(conv.data)) if conv else State()
        state_before = (state.flow, state.step, dict(state.data))
        ctx = Context(user, state, self.settings, now, resume, self.db, transaction)
        # silent while an officer answers
        replies = await handover.routed(ctx, msg, route, open_handover)
        state_changed = state_before != (state.flow, state.step, state.data)
        deferred: list[dict[str, Any]] = []
        if defer_for and replies:  # beyond the user's budget: one reply later for the burst
            metrics.THROTTLED.labels(msg.platform, "coalesced").inc()
            t = translator(user.locale)
            notice = Reply(text=t("flood.coalesced"))
            deferred, replies = [reply_to_dict(r) for r in [notice, *replies]], []
        stored_replies = [reply_to_dict(r) for r in replies]
        queue = bool(replies) and not ctx.erased and queue_if is not None and queue_if(replies)

        def write(connection: Connection) -> int | None:
            if user.id is None:
                user_id = repo.insert_user(connection, user=user)
            else:
                user_id = user.id
                repo.update_user(connection, user_id=user_id, changes=user.changes_since(before))
            if granted:
                repo.record_officer_change(
                    connection, user_id=user_id, approved=True, by="settings", now=now
                )
            for work in ctx.writes:
                work(connection, user_id)
            if ctx.erased:  # forgotten: only the update's id and the farewell, for redelivery
                if msg.update_id is not None and not repo.record_update(
                    connection,
                    platform=msg.platform,
                    update_id=msg.update_id,
                    chat_id="",
                    replies=stored_replies,
                    sent_at=None,
                    now=now,
                ):
                    raise _AlreadyHandled
                return None
            if deferred:
                repo.replace_coalesced(
                    connection,
                    platform=msg.platform,
                    chat_id=msg.chat_id,
                    user_id=user_id,
                    payload=deferred,
                    due_at=now + timedelta(seconds=defer_for),
                    now=now,
                )
            if conv is None or state_changed:
                repo.save_conversation(
                    connection,
                    user_id=user_id,
                    read_version=conv.version if conv else None,
                    flow=state.flow,
                    step=state.step,
                    data=state.data,
                    now=now,
                )
            queued = None
            if queue:  # the outbox owns these replies now: a redelivery sends nothing
                queued = repo.queue_replies(
                    connection,
                    platform=msg.platform,
                    chat_id=msg.chat_id,
                    user_id=user_id,
                    payload=stored_replies,
                    now=now,
                )
            if msg.update_id is not None and not repo.record_update(
                connection,
                platform=msg.platform,
                update_id=msg.update_id,
                chat_id=msg.chat_id,
                replies=stored_replies,
                sent_at=now if queue else None,
                now=now,
                flood_full_at=full_at,
            ):
                raise _AlreadyHandled  # rolls back everything this update wrote
            return queued

        if (
            self.db.dialect == "postgresql"
            and not transaction.begun  # a redelivery is told apart in a transaction only
            and user.id is not None
            and conv is not None
            and msg.update_id is not None
            and not (granted or ctx.writes or ctx.erased or deferred)
        ):  # the usual update: one statement
            saved = repo.Saved(
                user_id=user.id,
                user_changes=user.changes_since(before),
                conversation=(conv.version, state.flow, state.step, state.data)
                if state_changed
                else None,
                lock_key=_lock_key(msg),
                platform=msg.platform,
                update_id=msg.update_id,
                chat_id=msg.chat_id,
                replies=stored_replies,
                queue=queue,
                now=now,
                flood_full_at=full_at,
            )
            return Outcome(replies=replies, queued=await repo.save_update(transaction, saved))
        return Outcome(replies=replies, queued=await transaction.write(write, key=_lock_key(msg)))

    async def _redelivered(self, msg: Incoming) -> Outcome:
        """A repeated delivery: nothing again, unless its replies never went out."""
        assert msg.update_id is not None
        found = await self.db.run(
            partial(repo.get_processed_update, platform=msg.platform, update_id=msg.update_id)
        )
        if found is None or found[1] is not None:
            return Outcome(replies=[], duplicate=True)
        return Outcome(replies=[reply_from_dict(r) for r in found[0]], duplicate=True)

    async def _apology(self, msg: Incoming) -> Outcome:
        """Answer politely after a handler failed: nothing it wrote is kept, but the update is
        recorded with the apology, so a redelivery is answered like any other (not twice)."""
        t = translator(msg.locale_hint or self.settings.DEFAULT_LOCALE)
        replies = [Reply(text=t("error.generic"), buttons=((menu_button(t),),))]
        if msg.update_id is not None:
            try:
                recorded = await self.db.run(
                    partial(
                        repo.record_update,
                        platform=msg.platform,
                        update_id=msg.update_id,
                        chat_id=msg.chat_id,
                        replies=[reply_to_dict(r) for r in replies],
                        sent_at=None,
                        now=self.clock(),
                    )
                )
            except DatabaseUnavailable as exc:
                raise NotRecorded(str(exc)) from exc
            if not recorded:  # a redelivery of an update that failed before
                return await self._redelivered(msg)
        return Outcome(replies=replies)
