"""The outbox: messages queued for the delivery loop, claimed, sent and settled."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from db.models import Handover, Outbox
from db.prepared import Prepared
from db.repo.records import OutboxItem, Recipient

_outbox = cast(Table, Outbox.__table__)
_handovers = cast(Table, Handover.__table__)


def pending_row(
    *,
    platform: str,
    chat_id: str,
    user_id: int | None,
    kind: str,
    payload: list[dict[str, Any]],
    due_at: datetime,
    now: datetime,
    dedupe_key: str | None = None,
    broadcast_id: int | None = None,
) -> dict[str, Any]:
    """Every column of a new outbox row, waiting to be sent from `due_at`."""
    return {
        "platform": platform,
        "chat_id": chat_id,
        "user_id": user_id,
        "kind": kind,
        "dedupe_key": dedupe_key,
        "broadcast_id": broadcast_id,
        "payload": payload,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": due_at,
        "last_error": "",
        "created_at": now,
    }


def enqueue(
    connection: Connection,
    *,
    platform: str,
    chat_id: str,
    user_id: int | None,
    kind: str,
    payload: list[dict[str, Any]],
    now: datetime,
    dedupe_key: str | None = None,
    broadcast_id: int | None = None,
) -> bool:
    """Queue a message; False when one with the same dedupe key was queued before."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(_outbox).values(
        pending_row(
            platform=platform,
            chat_id=chat_id,
            user_id=user_id,
            kind=kind,
            payload=payload,
            due_at=now,
            now=now,
            dedupe_key=dedupe_key,
            broadcast_id=broadcast_id,
        )
    )
    if dedupe_key is not None:
        statement = statement.on_conflict_do_nothing(index_elements=["dedupe_key"])
    return bool(connection.execute(statement).rowcount)


REPLY = "reply"
"""Outbox kind of the replies to an update queued with it, to be sent after the answer."""

_RETURNED = (
    _outbox.c.id,
    _outbox.c.platform,
    _outbox.c.chat_id,
    _outbox.c.user_id,
    _outbox.c.payload,
    _outbox.c.attempts,
)
_INSERT_PENDING = Prepared(insert(_outbox).returning(_outbox.c.id))
"""A new row, every column given (`pending_row`): the replies queued with an update, a burst's
coalesced reply."""
_CLAIM = Prepared(
    update(_outbox)
    .where(_outbox.c.id == bindparam("item_id"), _outbox.c.status == "pending")
    .values(status="sending", claimed_at=bindparam("now"))
    .returning(*_RETURNED)
)


def queue_replies(
    connection: Connection,
    *,
    platform: str,
    chat_id: str,
    user_id: int,
    payload: list[dict[str, Any]],
    now: datetime,
) -> int:
    """Queue the replies to an update with it (kind `reply`); returns the row's id, which the
    door claims (`claim`) to send them once it has answered."""
    row = pending_row(
        platform=platform,
        chat_id=chat_id,
        user_id=user_id,
        kind=REPLY,
        payload=payload,
        due_at=now,
        now=now,
    )
    return int(_INSERT_PENDING.run(connection, row).rows[0][0])


def claim(connection: Connection, *, item_id: int, now: datetime) -> OutboxItem | None:
    """Mark one pending row as sending and return it; None when a delivery loop took it
    first (or it is gone)."""
    rows = _CLAIM.run(connection, {"item_id": item_id, "now": now}).rows
    return _item(rows[0]) if rows else None


def queued_keys(connection: Connection, *, keys: list[str]) -> set[str]:
    """Which of these dedupe keys were queued already (so a tick renders only new messages)."""
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        found.update(
            connection.execute(
                select(_outbox.c.dedupe_key).where(_outbox.c.dedupe_key.in_(chunk))
            ).scalars()
        )
    return found


COALESCED = "coalesced"
"""Outbox kind of the one deferred reply to a user who sent faster than their budget."""
_DROP_COALESCED = Prepared(
    _outbox.delete().where(
        _outbox.c.kind == COALESCED,
        _outbox.c.platform == bindparam("platform"),
        _outbox.c.chat_id == bindparam("chat_id"),
        _outbox.c.status == "pending",
    )
)


def replace_coalesced(
    connection: Connection,
    *,
    platform: str,
    chat_id: str,
    user_id: int,
    payload: list[dict[str, Any]],
    due_at: datetime,
    now: datetime,
) -> None:
    """Queue the reply to a user's latest update beyond their budget, replacing the one still
    waiting for an earlier update (one answer for the whole burst)."""
    _DROP_COALESCED.run(connection, {"platform": platform, "chat_id": chat_id})
    row = pending_row(
        platform=platform,
        chat_id=chat_id,
        user_id=user_id,
        kind=COALESCED,
        payload=payload,
        due_at=due_at,
        now=now,
    )
    _INSERT_PENDING.run(connection, row)


def enqueue_many(
    connection: Connection,
    *,
    kind: str,
    payload: list[dict[str, Any]],
    now: datetime,
    recipients: list[Recipient],
    broadcast_id: int,
) -> None:
    """Queue one message for each recipient in a single statement (a frozen broadcast)."""
    if not recipients:
        return
    connection.execute(
        insert(_outbox),
        [
            pending_row(
                platform=r.platform,
                chat_id=r.chat_id,
                user_id=r.user_id,
                kind=kind,
                payload=payload,
                due_at=now,
                now=now,
                dedupe_key=f"broadcast:{broadcast_id}:{r.user_id}",
                broadcast_id=broadcast_id,
            )
            for r in recipients
        ],
    )


def claim_due(
    connection: Connection,
    *,
    now: datetime,
    limit: int,
    platforms: tuple[str, ...] | None = None,
    chat_id: str | None = None,
) -> list[OutboxItem]:
    """Mark up to `limit` due rows (of `platforms` and `chat_id`, when given) as
    sending and return them; rows another worker holds are skipped on PostgreSQL (FOR UPDATE
    SKIP LOCKED)."""
    due = (
        select(_outbox.c.id)
        .where(_outbox.c.status == "pending", _outbox.c.next_attempt_at <= now)
        .where(  # a broadcast waits while its user talks with an officer
            (_outbox.c.kind != "broadcast")
            | _outbox.c.user_id.is_(None)
            | _outbox.c.user_id.not_in(
                select(_handovers.c.user_id).where(_handovers.c.status != "closed")
            )
        )
        .order_by(_outbox.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    if platforms is not None:
        due = due.where(_outbox.c.platform.in_(platforms))
    if chat_id is not None:
        due = due.where(_outbox.c.chat_id == chat_id)
    rows = connection.execute(
        update(_outbox)
        .where(_outbox.c.id.in_(due))
        .values(status="sending", claimed_at=now)
        .returning(*_RETURNED)
    ).all()
    return sorted((_item(r) for r in rows), key=lambda i: i.id)


def _item(row: Any) -> OutboxItem:
    """A claimed row (the columns of `_RETURNED`)."""
    return OutboxItem(row[0], row[1], row[2], row[3], list(row[4]), row[5])


def release_stale(connection: Connection, *, older_than: datetime) -> int:
    """Put back rows claimed before `older_than` (their worker died); returns how many."""
    return int(
        connection.execute(
            update(_outbox)
            .where(_outbox.c.status == "sending", _outbox.c.claimed_at < older_than)
            .values(status="pending", claimed_at=None)
        ).rowcount
    )


_SETTLE = Prepared(update(_outbox).where(_outbox.c.id == bindparam("item_id")))


def settle(
    connection: Connection,
    *,
    item_id: int,
    status: str,
    now: datetime,
    error: str = "",
    retry_at: datetime | None = None,
    attempts: int | None = None,
) -> None:
    """Record what happened to a claimed row: sent, blocked, failed, or pending again."""
    values: dict[str, Any] = {"status": status, "last_error": error[:256], "claimed_at": None}
    if status == "sent":
        values["sent_at"] = now
    if retry_at is not None:
        values["next_attempt_at"] = retry_at
    if attempts is not None:
        values["attempts"] = attempts
    _SETTLE.run(connection, {"item_id": item_id, **values})


def outbox_counts(connection: Connection, *, broadcast_id: int | None = None) -> dict[str, int]:
    """How many outbox rows are in each status (of one broadcast, when given)."""
    query = select(_outbox.c.status, func.count()).group_by(_outbox.c.status)
    if broadcast_id is not None:
        query = query.where(_outbox.c.broadcast_id == broadcast_id)
    return {status: int(count) for status, count in connection.execute(query).all()}
