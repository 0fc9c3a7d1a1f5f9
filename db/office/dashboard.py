"""The dashboard's queries: one-time sign-in links and sessions, and the read-only views of
a province's certificates, assessments and broadcasts."""

from __future__ import annotations

from datetime import date, datetime
from typing import cast

from sqlalchemy import Connection, Table, func, insert, select, update

from db.models import Assessment, Broadcast, Certificate, DashboardLogin, Outbox, User

_logins = cast(Table, DashboardLogin.__table__)
_users = cast(Table, User.__table__)


def add_login(
    connection: Connection,
    *,
    token_hash: str,
    user_id: int,
    kind: str,
    expires_at: datetime,
    now: datetime,
) -> None:
    """Store a login link or session (by the hash of its token)."""
    connection.execute(
        insert(_logins).values(
            token_hash=token_hash,
            user_id=user_id,
            kind=kind,
            expires_at=expires_at,
            created_at=now,
        )
    )


def link_is_live(connection: Connection, *, token_hash: str, now: datetime) -> bool:
    """Whether a login link exists, is unused and has not expired."""
    return (
        connection.execute(
            select(_logins.c.user_id).where(
                _logins.c.token_hash == token_hash,
                _logins.c.kind == "link",
                _logins.c.used_at.is_(None),
                _logins.c.expires_at > now,
            )
        ).first()
        is not None
    )


def purge_logins(connection: Connection, *, before: datetime) -> None:
    """Delete links and sessions that expired before `before`."""
    connection.execute(_logins.delete().where(_logins.c.expires_at < before))


def use_link(connection: Connection, *, token_hash: str, now: datetime) -> int | None:
    """Spend a login link: the officer's user id once, None when unknown, used or expired."""
    used = connection.execute(
        update(_logins)
        .where(
            _logins.c.token_hash == token_hash,
            _logins.c.kind == "link",
            _logins.c.used_at.is_(None),
            _logins.c.expires_at > now,
        )
        .values(used_at=now)
        .returning(_logins.c.user_id)
    ).scalar_one_or_none()
    return None if used is None else int(used)


def session_user(connection: Connection, *, token_hash: str, now: datetime) -> int | None:
    """The user of a live session."""
    found = connection.execute(
        select(_logins.c.user_id).where(
            _logins.c.token_hash == token_hash,
            _logins.c.kind == "session",
            _logins.c.expires_at > now,
        )
    ).scalar_one_or_none()
    return None if found is None else int(found)


def end_session(connection: Connection, *, token_hash: str, now: datetime) -> None:
    """Log out."""
    connection.execute(
        update(_logins).where(_logins.c.token_hash == token_hash).values(expires_at=now)
    )


def province_certificates(
    connection: Connection, *, province_code: int | None
) -> list[tuple[int, str, int, date, str]]:
    """(id, product, stars, decided on, holder's name) of certificates recorded by producers of
    a province (all when None)."""
    certificates = cast(Table, Certificate.__table__)
    query = select(
        certificates.c.id,
        certificates.c.product,
        certificates.c.stars,
        certificates.c.decided_on,
        func.coalesce(func.nullif(_users.c.display_name, ""), _users.c.external_id),
    ).join(_users, _users.c.id == certificates.c.user_id)
    if province_code is not None:
        query = query.where(_users.c.province_code == province_code)
    rows = connection.execute(query.order_by(certificates.c.decided_on)).all()
    return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]


def province_assessments(
    connection: Connection, *, province_code: int | None
) -> list[tuple[int, str, str, dict[str, int], int | None]]:
    """(user, set code, sheet key, answers, stars) of finished self-assessments by producers of
    a province (all when None), each producer's latest per product set."""
    assessments = cast(Table, Assessment.__table__)
    query = (
        select(
            assessments.c.user_id,
            assessments.c.set_code,
            assessments.c.sheet_key,
            assessments.c.answers,
            assessments.c.stars,
        )
        .join(_users, _users.c.id == assessments.c.user_id)
        .where(assessments.c.status == "done")
    )
    if province_code is not None:
        query = query.where(_users.c.province_code == province_code)
    latest: dict[tuple[int, str], tuple[int, str, str, dict[str, int], int | None]] = {}
    for r in connection.execute(query.order_by(assessments.c.finished_at)).all():
        latest[(r[0], r[1])] = (r[0], r[1], r[2], dict(r[3]), r[4])
    return list(latest.values())


def recent_broadcasts(
    connection: Connection, *, limit: int = 20
) -> list[tuple[int, str, int, datetime]]:
    """(id, text, recipients, time) of the latest broadcasts."""
    broadcasts = cast(Table, Broadcast.__table__)
    rows = connection.execute(
        select(
            broadcasts.c.id, broadcasts.c.text, broadcasts.c.recipients, broadcasts.c.created_at
        )
        .order_by(broadcasts.c.created_at.desc())
        .limit(limit)
    ).all()
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def broadcast_recipients(
    connection: Connection, *, broadcast_id: int
) -> list[tuple[str, str, str, str]]:
    """(name, platform, status, error) of each recipient of a broadcast."""
    outbox = cast(Table, Outbox.__table__)
    rows = connection.execute(
        select(
            func.coalesce(func.nullif(_users.c.display_name, ""), _users.c.external_id, ""),
            outbox.c.platform,
            outbox.c.status,
            outbox.c.last_error,
        )
        .outerjoin(_users, _users.c.id == outbox.c.user_id)
        .where(outbox.c.broadcast_id == broadcast_id)
        .order_by(outbox.c.id)
    ).all()
    return [(r[0], r[1], r[2], r[3]) for r in rows]
