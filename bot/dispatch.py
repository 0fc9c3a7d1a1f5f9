"""One update in, replies out: read the user and their state, route, then write the changes,
the update's id and its replies in one transaction."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from bot import metrics
from bot.context import Context, State
from bot.i18n import translator
from bot.messages import Incoming, Reply, reply_from_dict, reply_to_dict
from bot.router import resume, route
from bot.settings import Settings
from db import repo
from db.models import utcnow
from db.session import Database
from handlers import handover
from handlers.menu import menu_button

logger = logging.getLogger(__name__)

_MAX_ATTEMPTS = 5
_LAST_SEEN_STEP = timedelta(minutes=1)
"""`last_seen_at` is rewritten at most this often, sparing a write on most messages."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What to send for an update; `duplicate` when it was handled before."""

    replies: list[Reply]
    duplicate: bool = False


class _AlreadyHandled(Exception):
    """The update's id was recorded by an earlier delivery."""


def _never(_replies: list[Reply]) -> bool:
    return False


def _is_listed_officer(user_id: str, settings: Settings) -> bool:
    """OFFICER_TELEGRAM_IDS bootstraps the first officers."""
    return user_id.lstrip("-").isdigit() and int(user_id) in settings.OFFICER_TELEGRAM_IDS


class Dispatcher:
    """Runs the conversation core against the database; every door calls it the same way.

    Reading and writing are two transactions: the write re-checks the conversation's version
    (a concurrent update of the same user makes it fail and the whole update is retried on fresh
    state) and records the update id (a repeated delivery makes it fail and nothing is kept).
    """

    def __init__(
        self, db: Database, settings: Settings, *, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock

    async def process(
        self, msg: Incoming, *, sent_with_answer: Callable[[list[Reply]], bool] = _never
    ) -> Outcome:
        """Handle one incoming; retried when a concurrent update of the same user won a race.

        `sent_with_answer(replies)` tells whether the door delivers these replies in its
        answer to the platform's request; they are then recorded as sent in the same
        transaction, otherwise the door calls `mark_sent` once it has sent them.
        """
        started = time.perf_counter()
        try:
            for attempt in range(1, _MAX_ATTEMPTS + 1):
                try:
                    return await self._attempt(msg, sent_with_answer)
                except _AlreadyHandled:
                    return await self._redelivered(msg)
                except (repo.StaleState, IntegrityError) as exc:
                    logger.info("retrying update %s (attempt %d): %s", msg.update_id, attempt, exc)
            raise RuntimeError(f"update {msg.update_id} kept losing races")
        except Exception:
            logger.exception(
                "update %s from %s:%s failed", msg.update_id, msg.platform, msg.user_id
            )
            metrics.HANDLER_ERRORS.inc()
            return self._apology(msg)
        finally:
            metrics.HANDLER_SECONDS.observe(time.perf_counter() - started)

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
        """Note that the replies to `msg` reached the platform."""
        if msg.update_id is not None:
            await self.db.run(
                partial(
                    repo.mark_replies_sent,
                    platform=msg.platform,
                    update_id=msg.update_id,
                    now=self.clock(),
                )
            )

    async def _attempt(
        self, msg: Incoming, sent_with_answer: Callable[[list[Reply]], bool]
    ) -> Outcome:
        now = self.clock()
        loaded = await self.db.run(
            partial(repo.load_user, platform=msg.platform, external_id=msg.user_id)
        )
        if loaded is None:
            hint = (msg.locale_hint or "").lower()
            user = repo.new_user(
                platform=msg.platform,
                external_id=msg.user_id,
                chat_id=msg.chat_id,
                locale="en" if hint.startswith("en") else self.settings.DEFAULT_LOCALE,
                now=now,
            )
            conv = None
        else:
            user, conv = loaded
        before = replace(user)
        if msg.platform == "telegram" and _is_listed_officer(msg.user_id, self.settings):
            user.officer_approved = True
            user.role = user.role or "officer"
        user.chat_id = msg.chat_id
        if msg.display_name:
            user.display_name = msg.display_name[:128]
        if now - user.last_seen_at >= _LAST_SEEN_STEP:
            user.last_seen_at = now
        state = State(conv.flow, conv.step, dict(conv.data)) if conv else State()
        state_before = (state.flow, state.step, dict(state.data))
        ctx = Context(user, state, self.settings, now, resume, self.db)
        replies = await handover.routed(ctx, msg, route)  # silent while an officer answers
        state_changed = state_before != (state.flow, state.step, state.data)
        stored_replies = [reply_to_dict(r) for r in replies]
        sent_at = now if sent_with_answer(replies) else None

        def write(connection: Connection) -> None:
            if user.id is None:
                user_id = repo.insert_user(connection, user=user)
            else:
                user_id = user.id
                repo.update_user(connection, user_id=user_id, changes=user.changes_since(before))
            for work in ctx.writes:
                work(connection, user_id)
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
            if msg.update_id is not None and not repo.record_update(
                connection,
                platform=msg.platform,
                update_id=msg.update_id,
                chat_id=msg.chat_id,
                replies=stored_replies,
                sent_at=sent_at,
                now=now,
            ):
                raise _AlreadyHandled  # rolls back everything this update wrote

        await self.db.run(write)
        return Outcome(replies=replies)

    async def _redelivered(self, msg: Incoming) -> Outcome:
        """A repeated delivery: nothing again, unless its replies never went out."""
        assert msg.update_id is not None
        found = await self.db.run(
            partial(repo.get_processed_update, platform=msg.platform, update_id=msg.update_id)
        )
        if found is None or found[1] is not None:
            return Outcome(replies=[], duplicate=True)
        return Outcome(replies=[reply_from_dict(r) for r in found[0]], duplicate=True)

    def _apology(self, msg: Incoming) -> Outcome:
        """Answer politely after a failure; nothing the handler wrote was kept."""
        t = translator(msg.locale_hint or self.settings.DEFAULT_LOCALE)
        return Outcome(replies=[Reply(text=t("error.generic"), buttons=((menu_button(t),),))])
