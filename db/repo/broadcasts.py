"""Broadcasts: who an officer's message reaches, the broadcast record, cancelling, reporting."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import ColumnElement, Connection, Table, insert, select, update

from db.models import Broadcast, Outbox, User
from db.repo.assessments import users_who_assessed
from db.repo.records import Recipient

_users = cast(Table, User.__table__)
_outbox = cast(Table, Outbox.__table__)
_broadcasts = cast(Table, Broadcast.__table__)


def audience(
    connection: Connection,
    *,
    roles: list[str],
    provinces: list[int],
    product_sets: list[str] | None = None,
) -> list[Recipient]:
    """Active users who agreed to the privacy notice, with one of `roles` (everyone when
    empty, onboarded or not), in `provinces` (all when empty), who assessed a product of
    `product_sets` (any when empty). Someone who declined, or has not answered yet, gets no
    announcement: contacting them is what they did not agree to. An officer counts as one
    only once approved: asking is not enough."""
    query = select(_users.c.id, _users.c.platform, _users.c.chat_id, _users.c.locale).where(
        _users.c.active.is_(True), _users.c.consent_given.is_(True)
    )
    if roles:
        plain = [r for r in roles if r != "officer"]
        chosen: ColumnElement[bool] = _users.c.role.in_(plain)
        if "officer" in roles:
            approved = (_users.c.role == "officer") & _users.c.officer_approved.is_(True)
            chosen = chosen | approved if plain else approved
        query = query.where(chosen)
    if provinces:
        query = query.where(_users.c.province_code.in_(provinces))
    if product_sets:
        query = query.where(_users.c.id.in_(users_who_assessed(product_sets)))
    return [Recipient(*r) for r in connection.execute(query.order_by(_users.c.id)).all()]


def cancel_broadcast(connection: Connection, *, broadcast_id: int) -> int:
    """Stop a broadcast: its messages not sent yet are cancelled; returns how many."""
    return int(
        connection.execute(
            update(_outbox)
            .where(_outbox.c.broadcast_id == broadcast_id, _outbox.c.status == "pending")
            .values(status="cancelled")
        ).rowcount
    )


def add_broadcast(
    connection: Connection,
    *,
    broadcast_id: int,
    officer_id: int,
    text: str,
    recipients: int,
    now: datetime,
) -> None:
    """Record a broadcast (its messages are queued separately, in the same transaction)."""
    connection.execute(
        insert(_broadcasts).values(
            id=broadcast_id,
            officer_id=officer_id,
            text=text[:4000],
            recipients=recipients,
            created_at=now,
        )
    )


def broadcast_text(connection: Connection, *, broadcast_id: int) -> str | None:
    """The text of a broadcast, or None when there is no such broadcast."""
    found = connection.execute(
        select(_broadcasts.c.text).where(_broadcasts.c.id == broadcast_id)
    ).scalar_one_or_none()
    return None if found is None else str(found)


def broadcast_office(connection: Connection, *, broadcast_id: int) -> int | None:
    """The province of the officer who sent a broadcast (None: not known, or of no province)."""
    found = connection.execute(
        select(_users.c.province_code)
        .select_from(_broadcasts.join(_users, _users.c.id == _broadcasts.c.officer_id))
        .where(_broadcasts.c.id == broadcast_id)
    ).scalar_one_or_none()
    return None if found is None else int(found)


def settled_broadcasts(connection: Connection) -> list[tuple[int, int | None]]:
    """(id, officer) of broadcasts not yet reported whose messages are all settled."""
    busy = select(_outbox.c.broadcast_id).where(_outbox.c.status.in_(["pending", "sending"]))
    rows = connection.execute(
        select(_broadcasts.c.id, _broadcasts.c.officer_id).where(
            _broadcasts.c.reported_at.is_(None),
            _broadcasts.c.id.not_in(busy.where(_outbox.c.broadcast_id.is_not(None))),
        )
    ).all()
    return [(r[0], r[1]) for r in rows]


def mark_reported(connection: Connection, *, broadcast_id: int, now: datetime) -> None:
    """Note that the officer got the final report."""
    connection.execute(
        update(_broadcasts).where(_broadcasts.c.id == broadcast_id).values(reported_at=now)
    )
