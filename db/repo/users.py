"""Users and officers: finding and reaching a user, officer rights and who decided them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, Table, insert, select, update

from db.models import OfficerChange, User
from db.repo.records import Recipient

_users = cast(Table, User.__table__)
_officer_changes = cast(Table, OfficerChange.__table__)


def last_seen(connection: Connection, *, platform: str, external_id: str) -> datetime | None:
    """When the user last wrote to the bot (None for someone unknown)."""
    return connection.execute(
        select(_users.c.last_seen_at).where(
            _users.c.platform == platform, _users.c.external_id == external_id
        )
    ).scalar_one_or_none()


def find_user(connection: Connection, *, platform: str, external_id: str) -> int | None:
    """The id of a user by their platform id."""
    return connection.execute(
        select(_users.c.id).where(
            _users.c.platform == platform, _users.c.external_id == external_id
        )
    ).scalar_one_or_none()


def deactivate_user(connection: Connection, *, user_id: int) -> None:
    """The user blocked the bot or left: send them nothing more."""
    connection.execute(update(_users).where(_users.c.id == user_id).values(active=False))


def user_contact(connection: Connection, *, user_id: int) -> Recipient | None:
    """How to reach a user, if they are active."""
    row = connection.execute(
        select(_users.c.id, _users.c.platform, _users.c.chat_id, _users.c.locale).where(
            _users.c.id == user_id, _users.c.active.is_(True)
        )
    ).first()
    return None if row is None else Recipient(row[0], row[1], row[2], row[3])


def officer_contacts(connection: Connection) -> list[Recipient]:
    """Every approved, active officer."""
    rows = connection.execute(
        select(_users.c.id, _users.c.platform, _users.c.chat_id, _users.c.locale).where(
            _users.c.role == "officer",
            _users.c.officer_approved.is_(True),
            _users.c.active.is_(True),
        )
    ).all()
    return [Recipient(*r) for r in rows]


def officer_request_pending(connection: Connection, *, user_id: int) -> bool:
    """True when this user asked to be an officer and no one has decided yet (an approval
    button names a user id; the id may since belong to someone else, or be decided)."""
    found = connection.execute(
        select(_users.c.id).where(
            _users.c.id == user_id,
            _users.c.role == "officer",
            _users.c.officer_approved.is_(False),
        )
    ).first()
    return found is not None


def officer_contact(connection: Connection, *, user_id: int) -> Recipient | None:
    """How to reach a user if they are an approved, active officer (rights can be withdrawn
    between a broadcast and its report)."""
    row = connection.execute(
        select(_users.c.id, _users.c.platform, _users.c.chat_id, _users.c.locale).where(
            _users.c.id == user_id,
            _users.c.role == "officer",
            _users.c.officer_approved.is_(True),
            _users.c.active.is_(True),
        )
    ).first()
    return None if row is None else Recipient(row[0], row[1], row[2], row[3])


def set_officer(
    connection: Connection, *, user_id: int, approved: bool, by: str, now: datetime
) -> bool:
    """Grant or withdraw officer rights (withdrawing makes the user a producer), and record who
    decided; False when there is no such user."""
    values: dict[str, Any] = {"officer_approved": approved}
    values["role"] = "officer" if approved else "producer"
    changed = bool(
        connection.execute(update(_users).where(_users.c.id == user_id).values(**values)).rowcount
    )
    if changed:
        record_officer_change(connection, user_id=user_id, approved=approved, by=by, now=now)
    return changed


def record_officer_change(
    connection: Connection, *, user_id: int, approved: bool, by: str, now: datetime
) -> None:
    """Keep a grant or withdrawal of officer rights."""
    connection.execute(
        insert(_officer_changes).values(user_id=user_id, approved=approved, by=by, created_at=now)
    )


def officer_decided(connection: Connection, *, user_id: int) -> bool:
    """True when officer rights were ever granted or withdrawn for this user."""
    found = connection.execute(
        select(_officer_changes.c.id).where(_officer_changes.c.user_id == user_id).limit(1)
    ).first()
    return found is not None


def list_officers(connection: Connection) -> list[tuple[str, str, str, bool]]:
    """(platform, platform id, name, approved) of everyone who is or asked to be an officer."""
    rows = connection.execute(
        select(
            _users.c.platform,
            _users.c.external_id,
            _users.c.display_name,
            _users.c.officer_approved,
        )
        .where(_users.c.role == "officer")
        .order_by(_users.c.id)
    ).all()
    return [(r[0], r[1], r[2], r[3]) for r in rows]
