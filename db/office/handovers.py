"""Hand-overs: a user's question queued for an officer, claimed, answered, closed, with
its messages, and the officers it goes to."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, Table, func, insert, or_, select, update

from db.models import Handover, HandoverMessage, User
from db.repo.records import Recipient, UserRecord

_handovers = cast(Table, Handover.__table__)
_messages = cast(Table, HandoverMessage.__table__)
_users = cast(Table, User.__table__)


ACTIVE = ("open", "claimed")


@dataclass(frozen=True, slots=True)
class HandoverRecord:
    """A hand-over with what officers need to see of its user."""

    id: int
    user_id: int
    province_code: int | None
    question: str
    status: str
    officer_id: int | None
    opened_at: datetime
    claimed_at: datetime | None
    reminded_at: datetime | None
    closed_at: datetime | None
    closed_by: str
    user_name: str
    user_platform: str
    user_role: str | None
    user_locale: str
    officer_name: str


_officers = _users.alias("officer")
_HANDOVER_QUERY = select(
    _handovers.c.id,
    _handovers.c.user_id,
    _handovers.c.province_code,
    _handovers.c.question,
    _handovers.c.status,
    _handovers.c.officer_id,
    _handovers.c.opened_at,
    _handovers.c.claimed_at,
    _handovers.c.reminded_at,
    _handovers.c.closed_at,
    _handovers.c.closed_by,
    func.coalesce(func.nullif(_users.c.display_name, ""), _users.c.external_id),
    _users.c.platform,
    _users.c.role,
    _users.c.locale,
    func.coalesce(func.nullif(_officers.c.display_name, ""), _officers.c.external_id, ""),
).select_from(
    _handovers.join(_users, _users.c.id == _handovers.c.user_id).outerjoin(
        _officers, _officers.c.id == _handovers.c.officer_id
    )
)


def _records(connection: Connection, query: Any) -> list[HandoverRecord]:
    return [HandoverRecord(*row) for row in connection.execute(query).all()]


def open_handover(
    connection: Connection,
    *,
    user_id: int,
    province_code: int | None,
    question: str,
    now: datetime,
) -> int:
    """Queue a user's request; returns its id."""
    return int(
        connection.execute(
            insert(_handovers)
            .values(
                user_id=user_id,
                province_code=province_code,
                question=question[:2000],
                status="open",
                opened_at=now,
                closed_by="",
            )
            .returning(_handovers.c.id)
        ).scalar_one()
    )


def active_for_user(connection: Connection, *, user_id: int) -> HandoverRecord | None:
    """The user's hand-over still queued or claimed, if any."""
    found = _records(
        connection,
        _HANDOVER_QUERY.where(
            _handovers.c.user_id == user_id, _handovers.c.status.in_(ACTIVE)
        ).limit(1),
    )
    return found[0] if found else None


def get_handover(connection: Connection, *, handover_id: int) -> HandoverRecord | None:
    """One hand-over by id."""
    found = _records(connection, _HANDOVER_QUERY.where(_handovers.c.id == handover_id))
    return found[0] if found else None


def handover_queue(
    connection: Connection, *, province_code: int | None, closed_limit: int = 0
) -> list[HandoverRecord]:
    """Hand-overs still active (when a province is given: of it, of none, and of the provinces
    without an officer, whose requests every officer was asked), oldest first, then the latest
    `closed_limit` closed ones."""
    where = []
    if province_code is not None:
        staffed = select(_users.c.province_code).where(
            _users.c.role == "officer",
            _users.c.officer_approved.is_(True),
            _users.c.active.is_(True),
            _users.c.province_code.is_not(None),
        )
        where.append(
            or_(
                _handovers.c.province_code == province_code,
                _handovers.c.province_code.is_(None),
                _handovers.c.province_code.not_in(staffed),
            )
        )
    active = _records(
        connection,
        _HANDOVER_QUERY.where(_handovers.c.status.in_(ACTIVE), *where).order_by(
            _handovers.c.opened_at
        ),
    )
    if not closed_limit:
        return active
    closed = _records(
        connection,
        _HANDOVER_QUERY.where(_handovers.c.status == "closed", *where)
        .order_by(_handovers.c.closed_at.desc())
        .limit(closed_limit),
    )
    return active + closed


def claim_handover(
    connection: Connection, *, handover_id: int, officer_id: int, now: datetime
) -> bool:
    """Make `officer_id` the owner if nobody is (first claim wins, in one conditional UPDATE);
    True also when they already own it (a repeated press)."""
    return bool(
        connection.execute(
            update(_handovers)
            .where(
                _handovers.c.id == handover_id,
                or_(
                    _handovers.c.status == "open",
                    (_handovers.c.status == "claimed") & (_handovers.c.officer_id == officer_id),
                ),
            )
            .values(
                status="claimed",
                officer_id=officer_id,
                claimed_at=func.coalesce(_handovers.c.claimed_at, now),
            )
        ).rowcount
    )


def close_handover(connection: Connection, *, handover_id: int, by: str, now: datetime) -> bool:
    """Close an active hand-over; False when it was closed already."""
    return bool(
        connection.execute(
            update(_handovers)
            .where(_handovers.c.id == handover_id, _handovers.c.status.in_(ACTIVE))
            .values(status="closed", closed_at=now, closed_by=by)
        ).rowcount
    )


def mark_reminded(connection: Connection, *, handover_id: int, now: datetime) -> bool:
    """Note the one reminder of a queued hand-over; False when it was sent or claimed since."""
    return bool(
        connection.execute(
            update(_handovers)
            .where(
                _handovers.c.id == handover_id,
                _handovers.c.status == "open",
                _handovers.c.reminded_at.is_(None),
            )
            .values(reminded_at=now)
        ).rowcount
    )


def unreminded_open(connection: Connection) -> list[HandoverRecord]:
    """Queued hand-overs whose reminder has not gone out."""
    return _records(
        connection,
        _HANDOVER_QUERY.where(
            _handovers.c.status == "open", _handovers.c.reminded_at.is_(None)
        ).order_by(_handovers.c.opened_at),
    )


def add_message(
    connection: Connection,
    *,
    handover_id: int,
    sender: str,
    text: str,
    now: datetime,
    delivered: bool = True,
) -> None:
    """Keep one message of a hand-over."""
    connection.execute(
        insert(_messages).values(
            handover_id=handover_id,
            sender=sender,
            text=text[:4000],
            delivered=delivered,
            created_at=now,
        )
    )


def handover_messages(
    connection: Connection, *, handover_id: int
) -> list[tuple[str, str, bool, datetime]]:
    """(sender, text, delivered, time) of a hand-over's messages, oldest first."""
    rows = connection.execute(
        select(_messages.c.sender, _messages.c.text, _messages.c.delivered, _messages.c.created_at)
        .where(_messages.c.handover_id == handover_id)
        .order_by(_messages.c.id)
    ).all()
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def officers_for(connection: Connection, *, province_code: int | None) -> list[Recipient]:
    """Approved, active officers of the province; every one of them when it has none."""
    query = select(_users.c.id, _users.c.platform, _users.c.chat_id, _users.c.locale).where(
        _users.c.role == "officer",
        _users.c.officer_approved.is_(True),
        _users.c.active.is_(True),
    )
    if province_code is not None:
        local = connection.execute(query.where(_users.c.province_code == province_code)).all()
        if local:
            return [Recipient(*r) for r in local]
    return [Recipient(*r) for r in connection.execute(query).all()]


def user_by_id(connection: Connection, *, user_id: int) -> UserRecord | None:
    """A user by database id."""
    row = connection.execute(
        select(*(_users.c[f.name] for f in fields(UserRecord))).where(_users.c.id == user_id)
    ).one_or_none()
    return None if row is None else UserRecord(*row)
