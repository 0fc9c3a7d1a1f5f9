"""The queries the bot makes, named for what they do."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Conversation, ProcessedUpdate, User


class StaleState(Exception):
    """The conversation changed since it was read: another update of the same user won."""


async def get_user(session: AsyncSession, *, platform: str, external_id: str) -> User | None:
    """The user with this platform id, if known."""
    return await session.scalar(
        select(User).where(User.platform == platform, User.external_id == external_id)
    )


async def add_user(
    session: AsyncSession, *, platform: str, external_id: str, chat_id: str, locale: str,
    now: datetime,
) -> User:
    """Create a user (flushes, so a concurrent creation fails here with IntegrityError)."""
    user = User(
        platform=platform, external_id=external_id, chat_id=chat_id, locale=locale,
        created_at=now, last_seen_at=now,
    )
    session.add(user)
    await session.flush()
    return user


async def get_conversation(session: AsyncSession, *, user_id: int) -> Conversation | None:
    """The user's conversation state row, if any."""
    return await session.get(Conversation, user_id)


async def save_conversation(
    session: AsyncSession, *, user_id: int, read_version: int | None, flow: str, step: str,
    data: dict[str, Any], now: datetime,
) -> None:
    """Write the state if nobody saved since it was read; raise StaleState otherwise."""
    if read_version is None:
        session.add(
            Conversation(user_id=user_id, flow=flow, step=step, data=data, version=1, updated_at=now)
        )
        await session.flush()
        return
    result = await session.execute(
        update(Conversation)
        .where(Conversation.user_id == user_id, Conversation.version == read_version)
        .values(flow=flow, step=step, data=data, version=read_version + 1, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise StaleState(f"conversation of user {user_id} moved past version {read_version}")


async def record_update(
    session: AsyncSession, *, platform: str, update_id: str, chat_id: str, now: datetime
) -> ProcessedUpdate:
    """Note an update as handled (flushes: a second delivery fails here with IntegrityError)."""
    row = ProcessedUpdate(platform=platform, update_id=update_id, chat_id=chat_id, created_at=now)
    session.add(row)
    await session.flush()
    return row


async def get_processed_update(
    session: AsyncSession, *, platform: str, update_id: str
) -> ProcessedUpdate | None:
    """The record of a handled update, if any."""
    return await session.get(ProcessedUpdate, (platform, update_id))


async def mark_replies_sent(
    session: AsyncSession, *, platform: str, update_id: str, now: datetime
) -> None:
    """Note that the replies of a handled update reached the platform."""
    await session.execute(
        update(ProcessedUpdate)
        .where(ProcessedUpdate.platform == platform, ProcessedUpdate.update_id == update_id)
        .values(sent_at=now)
    )


async def users_count(session: AsyncSession) -> int:
    """How many users the bot knows (a cheap liveness query)."""
    from sqlalchemy import func

    return int(await session.scalar(select(func.count()).select_from(User)) or 0)
