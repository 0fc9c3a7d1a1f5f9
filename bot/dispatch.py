"""One update in, replies out: dedupe, load user and state, route, save all in one transaction."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import metrics
from bot.context import Context, State
from bot.i18n import translator
from bot.messages import Incoming, Reply, reply_from_dict, reply_to_dict
from bot.router import route, resume
from bot.settings import Settings
from db import repo
from handlers.menu import menu_button
from db.models import User, utcnow

logger = logging.getLogger(__name__)

_MAX_ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class Outcome:
    """What to send for an update; `duplicate` when it was handled before."""

    replies: list[Reply]
    duplicate: bool = False


class Dispatcher:
    """Runs the conversation core against the database; every door calls it the same way."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        settings: Settings,
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.sessions = sessions
        self.settings = settings
        self.clock = clock

    async def process(self, msg: Incoming) -> Outcome:
        """Handle one incoming; retried when a concurrent update of the same user won a race."""
        started = time.perf_counter()
        try:
            for attempt in range(1, _MAX_ATTEMPTS + 1):
                try:
                    return await self._attempt(msg)
                except (repo.StaleState, IntegrityError) as exc:
                    logger.info("retrying update %s (attempt %d): %s", msg.update_id, attempt, exc)
            raise RuntimeError(f"update {msg.update_id} kept losing races")
        except Exception:
            logger.exception(
                "update %s from %s:%s failed", msg.update_id, msg.platform, msg.user_id
            )
            metrics.HANDLER_ERRORS.inc()
            return await self._apologise(msg)
        finally:
            metrics.HANDLER_SECONDS.observe(time.perf_counter() - started)

    async def resume(self, msg: Incoming) -> list[Reply]:
        """Re-ask whatever the user was last asked (a door restarting shows where they were)."""
        async with self.sessions() as session, session.begin():
            user = await repo.get_user(session, platform=msg.platform, external_id=msg.user_id)
            if user is None:
                return []
            conv = await repo.get_conversation(session, user_id=user.id)
            state = State(conv.flow, conv.step, dict(conv.data)) if conv else State()
            return resume(Context(user, state, self.settings, self.clock(), resume))

    async def mark_sent(self, msg: Incoming) -> None:
        """Note that the replies to `msg` reached the platform."""
        if msg.update_id is None:
            return
        async with self.sessions() as session, session.begin():
            await repo.mark_replies_sent(
                session, platform=msg.platform, update_id=msg.update_id, now=self.clock()
            )

    async def _attempt(self, msg: Incoming) -> Outcome:
        async with self.sessions() as session, session.begin():
            now = self.clock()
            if msg.update_id is not None:
                seen = await repo.get_processed_update(
                    session, platform=msg.platform, update_id=msg.update_id
                )
                if seen is not None:
                    unsent = [] if seen.sent_at else [reply_from_dict(r) for r in seen.replies]
                    return Outcome(replies=unsent, duplicate=True)
                record = await repo.record_update(
                    session, platform=msg.platform, update_id=msg.update_id,
                    chat_id=msg.chat_id, now=now,
                )
            user = await self._load_user(session, msg, now)
            conv = await repo.get_conversation(session, user_id=user.id)
            state = State(conv.flow, conv.step, dict(conv.data)) if conv else State()
            before = (state.flow, state.step, state.data.copy())
            replies = await route(Context(user, state, self.settings, now, resume), msg)
            if conv is None or before != (state.flow, state.step, state.data):
                await repo.save_conversation(
                    session, user_id=user.id, read_version=conv.version if conv else None,
                    flow=state.flow, step=state.step, data=state.data, now=now,
                )
            if msg.update_id is not None:
                record.replies = [reply_to_dict(r) for r in replies]
            return Outcome(replies=replies)

    async def _load_user(self, session: AsyncSession, msg: Incoming, now: datetime) -> User:
        user = await repo.get_user(session, platform=msg.platform, external_id=msg.user_id)
        if user is None:
            hint = (msg.locale_hint or "").lower()
            locale = "en" if hint.startswith("en") else self.settings.DEFAULT_LOCALE
            user = await repo.add_user(
                session, platform=msg.platform, external_id=msg.user_id, chat_id=msg.chat_id,
                locale=locale, now=now,
            )
        user.last_seen_at = now
        user.chat_id = msg.chat_id
        if msg.display_name:
            user.display_name = msg.display_name[:128]
        return user

    async def _apologise(self, msg: Incoming) -> Outcome:
        """Answer politely after a failure; nothing the handler wrote was kept."""
        t = translator(msg.locale_hint or self.settings.DEFAULT_LOCALE)
        replies = [Reply(text=t("error.generic"), buttons=((menu_button(t),),))]
        return Outcome(replies=replies)
