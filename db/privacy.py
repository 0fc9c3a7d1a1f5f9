"""Personal data in the database: consent records, a copy of everything held about a user, their
erasure, and the retention rules (locations, stored replies, inactive users).

Which rows belong to a user is read from the schema, so a table added later is covered without
touching this module: a foreign key to `users.id` marks a user's rows (deleted when the key
cascades, unlinked when it is SET NULL), and a table with `platform` and `chat_id` columns holds
messages to or from a chat (deleted with the user).
"""

from __future__ import annotations

import base64
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Row,
    String,
    Table,
    and_,
    delete,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy import (
    cast as sql_cast,
)

from db.models import Base, ConsentLog, Conversation, Erasure, Outbox, ProcessedUpdate, User

_users = cast(Table, User.__table__)
_consent = cast(Table, ConsentLog.__table__)
_conversations = cast(Table, Conversation.__table__)
_processed = cast(Table, ProcessedUpdate.__table__)
_outbox = cast(Table, Outbox.__table__)
_erasures = cast(Table, Erasure.__table__)

_LONG = 5000
"""Longer strings in an export (images in stored replies) are summarised, not copied."""
LOCATION_KEYS = ("here", "here_at")
"""Where a conversation keeps the user's last shared position and when it was shared."""
HELD_KEY = "held"
"""Where the privacy notice keeps a question typed before it was answered (handlers/consent.py)."""


@dataclass(frozen=True, slots=True)
class _UserLinks:
    """How one table refers to users."""

    table: Table
    owned_by: tuple[Column[Any], ...]
    """Foreign keys whose rows are the user's (ON DELETE CASCADE)."""
    mentions: tuple[Column[Any], ...]
    """Foreign keys that only point at the user (ON DELETE SET NULL): unlinked on erasure."""
    by_chat: bool
    """Rows are messages of a chat (`platform`, `chat_id`)."""


def _links() -> list[_UserLinks]:
    """Every table but `users` that can hold something of a user, children first."""
    found = []
    for table in reversed(Base.metadata.sorted_tables):
        if table is _users:
            continue
        keys = [fk for fk in table.foreign_keys if fk.column.table is _users]
        owned = tuple(fk.parent for fk in keys if (fk.ondelete or "").upper() == "CASCADE")
        mentions = tuple(fk.parent for fk in keys if fk.parent not in owned)
        by_chat = "platform" in table.c and "chat_id" in table.c
        if owned or mentions or by_chat:
            found.append(_UserLinks(table, owned, mentions, by_chat))
    return found


def _rows_of(link: _UserLinks, user_id: int, platform: str, chat_id: str) -> ColumnElement[bool]:
    """The rows of `link.table` that are about the user."""
    conditions: list[ColumnElement[bool]] = [c == user_id for c in link.owned_by + link.mentions]
    if link.by_chat:
        conditions.append(and_(link.table.c.platform == platform, link.table.c.chat_id == chat_id))
    return or_(*conditions)


def _identity(connection: Connection, user_id: int) -> tuple[str, str] | None:
    row = connection.execute(
        select(_users.c.platform, _users.c.chat_id).where(_users.c.id == user_id)
    ).first()
    return None if row is None else (row[0], row[1])


def record_consent(
    connection: Connection, *, user_id: int, version: str, given: bool, platform: str, at: datetime
) -> None:
    """Keep the evidence of an answer to the privacy notice."""
    connection.execute(
        insert(_consent).values(
            user_id=user_id, version=version, given=given, platform=platform, at=at
        )
    )


def last_consent(connection: Connection, *, user_id: int) -> tuple[str, bool, datetime] | None:
    """(version, given, when) of the user's latest answer to the notice."""
    row = connection.execute(
        select(_consent.c.version, _consent.c.given, _consent.c.at)
        .where(_consent.c.user_id == user_id)
        .order_by(_consent.c.id.desc())
        .limit(1)
    ).first()
    return None if row is None else (row[0], row[1], row[2])


def export_user(connection: Connection, *, user_id: int, now: datetime) -> dict[str, Any]:
    """Everything held about a user, ready for `json.dumps`: their profile, then each table's
    rows about them (empty lists included, so the reader sees what could be held)."""
    profile = connection.execute(select(_users).where(_users.c.id == user_id)).mappings().first()
    if profile is None:
        return {}
    platform, chat_id = profile["platform"], profile["chat_id"]
    out: dict[str, Any] = {"exported_at": now.isoformat(), "profile": _jsonable(dict(profile))}
    for link in sorted(_links(), key=lambda k: k.table.name):
        rows = connection.execute(
            select(link.table).where(_rows_of(link, user_id, platform, chat_id))
        ).mappings()
        out[link.table.name] = [_jsonable(dict(r)) for r in rows]
    return out


def _jsonable(value: Any) -> Any:
    """Dates as ISO text, bytes and very long strings summarised."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        value = base64.b64encode(value).decode()
    if isinstance(value, str) and len(value) > _LONG:
        return f"[{len(value)} characters of image or file data]"
    return value


def erase_user(
    connection: Connection, *, user_id: int, reason: str, now: datetime
) -> dict[str, int]:
    """Delete the user and every row about them; keep an erasure record with no personal data.
    Returns how many rows of each table went ({} when the user was already gone)."""
    identity = _identity(connection, user_id)
    if identity is None:
        return {}
    platform, chat_id = identity
    counts: dict[str, int] = {}
    for link in _links():
        which = _rows_of(link, user_id, platform, chat_id)
        if link.owned_by or link.by_chat:
            gone = connection.execute(delete(link.table).where(which)).rowcount
        else:
            gone = 0
            for column in link.mentions:
                gone += connection.execute(
                    update(link.table).where(column == user_id).values({column.name: None})
                ).rowcount
        if gone:
            counts[link.table.name] = int(gone)
    # The one place another user's row names them: officers asked to approve their request.
    prefix = f"officer-request:{user_id}:"  # a range, so the unique index serves it
    asked = connection.execute(
        delete(_outbox).where(
            _outbox.c.dedupe_key >= prefix, _outbox.c.dedupe_key < prefix[:-1] + ";"
        )
    ).rowcount
    if asked:
        counts["outbox"] = counts.get("outbox", 0) + int(asked)
    connection.execute(delete(_users).where(_users.c.id == user_id))
    counts["users"] = 1
    connection.execute(
        insert(_erasures).values(platform=platform, reason=reason, rows=counts, erased_at=now)
    )
    return counts


def drop_locations(connection: Connection, *, shared_before: datetime) -> int:
    """Forget positions shared before `shared_before` (kept only for "near me" follow-ups);
    returns how many conversations were cleaned. A conversation saved meanwhile by its user's
    own update is left for the next pass."""
    rows = connection.execute(
        select(_conversations.c.user_id, _conversations.c.data, _conversations.c.version).where(
            sql_cast(_conversations.c.data, String).like('%"here"%')
        )
    ).all()
    expired = [row for row in rows if location_expired(row[1], shared_before)]
    return _write_without(connection, expired, LOCATION_KEYS)


def _write_without(
    connection: Connection, rows: Sequence[Row[Any, Any, Any]], keys: Collection[str]
) -> int:
    """Write each (user_id, data, version) conversation back without `keys`, at the version it
    was read at (one changed meanwhile is left for the next pass); returns how many were."""
    written = 0
    for user_id, data, version in rows:
        kept = {k: v for k, v in data.items() if k not in keys}
        written += connection.execute(
            update(_conversations)
            .where(_conversations.c.user_id == user_id, _conversations.c.version == version)
            .values(data=kept, version=version + 1)
        ).rowcount
    return written


def location_expired(data: dict[str, Any], shared_before: datetime) -> bool:
    """True when `data` holds a position shared before `shared_before` (or of unknown age)."""
    if "here" not in data:
        return False
    try:
        return datetime.fromisoformat(str(data.get("here_at"))) < shared_before
    except ValueError:
        return True


def forget_held_questions(connection: Connection, *, untouched_since: datetime) -> int:
    """Drop the questions typed at a privacy notice left unanswered since `untouched_since`
    (kept only to be answered with it); returns how many went."""
    rows = connection.execute(
        select(_conversations.c.user_id, _conversations.c.data, _conversations.c.version).where(
            _conversations.c.updated_at < untouched_since,
            sql_cast(_conversations.c.data, String).like(f'%"{HELD_KEY}"%'),
        )
    ).all()
    return _write_without(connection, rows, (HELD_KEY,))


def forget_sent_replies(connection: Connection, *, sent_before: datetime) -> int:
    """Empty the stored replies of updates answered before `sent_before`: they are kept only to
    be sent again after a crash, and may carry a position (the buttons of a "near me" list).
    The update's id stays, so a redelivery is still recognised."""
    return int(
        connection.execute(
            update(_processed)
            .where(
                _processed.c.sent_at < sent_before,
                sql_cast(_processed.c.replies, String) != "[]",
            )
            .values(replies=[])
        ).rowcount
    )


def prune_messages(connection: Connection, *, before: datetime) -> dict[str, int]:
    """Delete handled-update records (their ids and stored replies) and settled outbox rows
    created before `before`."""
    updates = connection.execute(delete(_processed).where(_processed.c.created_at < before))
    settled = connection.execute(
        delete(_outbox).where(
            _outbox.c.created_at < before, _outbox.c.status.not_in(["pending", "sending"])
        )
    )
    return {"processed_updates": int(updates.rowcount), "outbox": int(settled.rowcount)}


def inactive_users(connection: Connection, *, seen_before: datetime) -> list[int]:
    """Users who have not written since `seen_before`."""
    return list(
        connection.execute(
            select(_users.c.id).where(_users.c.last_seen_at < seen_before).order_by(_users.c.id)
        ).scalars()
    )
