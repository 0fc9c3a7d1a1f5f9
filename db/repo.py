"""The queries the bot makes, named for what they do.

The per-update path is a handful of Core statements (one read, then only the writes that
changed something), because it runs for every message every user sends.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Conversation, ProcessedUpdate, User

_users = User.__table__
_conversations = Conversation.__table__
_processed = ProcessedUpdate.__table__


class StaleState(Exception):
    """The conversation changed since it was read: another update of the same user won."""


@dataclass(slots=True)
class UserRecord:
    """A user as handlers see it; the dispatcher writes back the fields they change."""

    id: int
    platform: str
    external_id: str
    chat_id: str
    display_name: str
    role: str | None
    officer_approved: bool
    locale: str
    province_code: int | None
    active: bool
    created_at: datetime
    last_seen_at: datetime

    def changes_since(self, before: UserRecord) -> dict[str, Any]:
        """The fields whose values differ from `before`."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if getattr(self, f.name) != getattr(before, f.name)
        }


@dataclass(frozen=True, slots=True)
class ConversationRecord:
    """A stored conversation state and the version it was read at."""

    flow: str
    step: str
    data: dict[str, Any]
    version: int


_USER_COLUMNS = [_users.c[f.name] for f in fields(UserRecord)]


async def load_user(
    session: AsyncSession, *, platform: str, external_id: str
) -> tuple[UserRecord, ConversationRecord | None] | None:
    """The user and their conversation in one query, or None for someone new."""
    row = (
        await session.execute(
            select(*_USER_COLUMNS, _conversations.c.flow, _conversations.c.step,
                   _conversations.c.data, _conversations.c.version)
            .select_from(_users.outerjoin(_conversations, _conversations.c.user_id == _users.c.id))
            .where(_users.c.platform == platform, _users.c.external_id == external_id)
        )
    ).one_or_none()
    if row is None:
        return None
    values = tuple(row)
    user = UserRecord(*values[: len(_USER_COLUMNS)])
    flow, step, data, version = values[len(_USER_COLUMNS):]
    conv = None if version is None else ConversationRecord(flow, step, dict(data), version)
    return user, conv


async def add_user(
    session: AsyncSession, *, platform: str, external_id: str, chat_id: str, locale: str,
    now: datetime,
) -> UserRecord:
    """Create a user (a concurrent creation of the same one fails with IntegrityError)."""
    values: dict[str, Any] = {
        "platform": platform, "external_id": external_id, "chat_id": chat_id, "display_name": "",
        "role": None, "officer_approved": False, "locale": locale, "province_code": None,
        "active": True, "created_at": now, "last_seen_at": now,
    }
    user_id = await session.scalar(insert(_users).values(**values).returning(_users.c.id))
    return UserRecord(id=int(user_id), **values)  # type: ignore[arg-type]


async def update_user(session: AsyncSession, *, user_id: int, changes: dict[str, Any]) -> None:
    """Write the changed fields of a user."""
    if changes:
        await session.execute(update(_users).where(_users.c.id == user_id).values(**changes))


async def save_conversation(
    session: AsyncSession, *, user_id: int, read_version: int | None, flow: str, step: str,
    data: dict[str, Any], now: datetime,
) -> None:
    """Write the state if nobody saved since it was read; raise StaleState otherwise."""
    values = {"flow": flow, "step": step, "data": data, "updated_at": now}
    if read_version is None:
        await session.execute(insert(_conversations).values(user_id=user_id, version=1, **values))
        return
    result = await session.execute(
        update(_conversations)
        .where(_conversations.c.user_id == user_id, _conversations.c.version == read_version)
        .values(version=read_version + 1, **values)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise StaleState(f"conversation of user {user_id} moved past version {read_version}")


async def get_conversation(session: AsyncSession, *, user_id: int) -> ConversationRecord | None:
    """The user's stored conversation state, if any."""
    row = (
        await session.execute(
            select(_conversations.c.flow, _conversations.c.step, _conversations.c.data,
                   _conversations.c.version).where(_conversations.c.user_id == user_id)
        )
    ).one_or_none()
    return None if row is None else ConversationRecord(row[0], row[1], dict(row[2]), row[3])


async def record_update(
    session: AsyncSession, *, platform: str, update_id: str, chat_id: str,
    replies: list[dict[str, Any]], sent_at: datetime | None, now: datetime,
) -> bool:
    """Note an update as handled with its replies; False when it had been handled already."""
    dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(_processed)
        .values(platform=platform, update_id=update_id, chat_id=chat_id, replies=replies,
                sent_at=sent_at, created_at=now)
        .on_conflict_do_nothing(index_elements=["platform", "update_id"])
    )
    result = await session.execute(statement)
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def get_processed_update(
    session: AsyncSession, *, platform: str, update_id: str
) -> tuple[list[dict[str, Any]], datetime | None] | None:
    """The stored replies of a handled update and when they were sent, if it was handled."""
    row = (
        await session.execute(
            select(_processed.c.replies, _processed.c.sent_at).where(
                _processed.c.platform == platform, _processed.c.update_id == update_id
            )
        )
    ).one_or_none()
    return None if row is None else (list(row[0]), row[1])


async def mark_replies_sent(
    session: AsyncSession, *, platform: str, update_id: str, now: datetime
) -> None:
    """Note that the replies of a handled update reached the platform."""
    await session.execute(
        update(_processed)
        .where(_processed.c.platform == platform, _processed.c.update_id == update_id)
        .values(sent_at=now)
    )


