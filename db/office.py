"""Queries of the officers-in-the-loop features: hand-overs, unanswered questions, the FAQ
entries officers add, and dashboard logins. Each takes a `Connection` (see `db.repo`)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    Table,
    bindparam,
    func,
    insert,
    or_,
    select,
    update,
)

from db.models import (
    Assessment,
    Broadcast,
    Certificate,
    DashboardLogin,
    Handover,
    HandoverMessage,
    OfficerFaq,
    Outbox,
    Unanswered,
    User,
)
from db.repo import Recipient, UserRecord

_handovers = cast(Table, Handover.__table__)
_messages = cast(Table, HandoverMessage.__table__)
_unanswered = cast(Table, Unanswered.__table__)
_faq = cast(Table, OfficerFaq.__table__)
_logins = cast(Table, DashboardLogin.__table__)
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


_ACTIVE_STATUS = (
    select(_handovers.c.id, _handovers.c.status)
    .where(_handovers.c.user_id == bindparam("uid"), _handovers.c.status != "closed")
    .limit(1)
)


def active_status(connection: Connection, *, user_id: int) -> tuple[int, str] | None:
    """(id, status) of the user's open hand-over: the dispatcher's check on every update, one
    statement built once."""
    row = connection.execute(_ACTIVE_STATUS, {"uid": user_id}).first()
    return None if row is None else (int(row[0]), str(row[1]))


def get_handover(connection: Connection, *, handover_id: int) -> HandoverRecord | None:
    """One hand-over by id."""
    found = _records(connection, _HANDOVER_QUERY.where(_handovers.c.id == handover_id))
    return found[0] if found else None


def handover_queue(
    connection: Connection, *, province_code: int | None, closed_limit: int = 0
) -> list[HandoverRecord]:
    """Hand-overs still active (of a province and those without one, when given), oldest
    first, then the latest `closed_limit` closed ones."""
    where = []
    if province_code is not None:
        where.append(
            or_(
                _handovers.c.province_code == province_code,
                _handovers.c.province_code.is_(None),
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


# Unanswered questions ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UnansweredRecord:
    """A question the bot could not answer."""

    id: int
    text: str
    source: str
    province_code: int | None
    locale: str
    created_at: datetime


def add_unanswered(
    connection: Connection,
    *,
    text: str,
    source: str,
    user_id: int | None,
    province_code: int | None,
    locale: str,
    now: datetime,
) -> None:
    """Keep a question the bot could not answer."""
    connection.execute(
        insert(_unanswered).values(
            text=text[:500],
            source=source,
            user_id=user_id,
            province_code=province_code,
            locale=locale,
            created_at=now,
        )
    )


def recent_unanswered_of(
    connection: Connection, *, user_id: int, since: datetime, limit: int = 3
) -> list[str]:
    """The user's latest questions the bot could not answer (not those put to an officer),
    oldest first."""
    rows = connection.execute(
        select(_unanswered.c.text)
        .where(
            _unanswered.c.user_id == user_id,
            _unanswered.c.created_at >= since,
            _unanswered.c.source != "handover",
        )
        .order_by(_unanswered.c.id.desc())
        .limit(limit)
    ).scalars()
    return list(reversed(list(rows)))


def open_unanswered(
    connection: Connection, *, province_code: int | None, limit: int = 2000
) -> list[UnansweredRecord]:
    """Questions not yet turned into an FAQ entry (of a province, when given), newest first."""
    query = select(
        _unanswered.c.id,
        _unanswered.c.text,
        _unanswered.c.source,
        _unanswered.c.province_code,
        _unanswered.c.locale,
        _unanswered.c.created_at,
    ).where(_unanswered.c.resolved_by.is_(None))
    if province_code is not None:
        query = query.where(_unanswered.c.province_code == province_code)
    rows = connection.execute(query.order_by(_unanswered.c.id.desc()).limit(limit)).all()
    return [UnansweredRecord(*r) for r in rows]


def forget_askers(connection: Connection, *, before: datetime) -> int:
    """Drop the user id of questions older than `before` (the retention period)."""
    return int(
        connection.execute(
            update(_unanswered)
            .where(_unanswered.c.created_at < before, _unanswered.c.user_id.is_not(None))
            .values(user_id=None)
        ).rowcount
    )


@dataclass(frozen=True, slots=True)
class OfficerFaqRecord:
    """An FAQ entry written by an officer."""

    id: int
    questions: list[str]
    answer_vi: str
    answer_en: str
    legal_basis: str
    province_code: int | None
    created_at: datetime


_FAQ_COLUMNS = (
    _faq.c.id,
    _faq.c.questions,
    _faq.c.answer_vi,
    _faq.c.answer_en,
    _faq.c.legal_basis,
    _faq.c.province_code,
    _faq.c.created_at,
)


def add_officer_faq(
    connection: Connection,
    *,
    questions: list[str],
    answer_vi: str,
    answer_en: str,
    legal_basis: str,
    province_code: int | None,
    created_by: int | None,
    resolves: list[int],
    now: datetime,
) -> int:
    """Save an officer's FAQ entry and mark the questions it answers; returns its id."""
    entry_id = int(
        connection.execute(
            insert(_faq)
            .values(
                questions=questions,
                answer_vi=answer_vi[:4000],
                answer_en=answer_en[:4000],
                legal_basis=legal_basis[:500],
                province_code=province_code,
                created_by=created_by,
                created_at=now,
                active=True,
            )
            .returning(_faq.c.id)
        ).scalar_one()
    )
    if resolves:
        connection.execute(
            update(_unanswered).where(_unanswered.c.id.in_(resolves)).values(resolved_by=entry_id)
        )
    return entry_id


def officer_faq(
    connection: Connection, *, province_code: int | None = None, every: bool = False
) -> list[OfficerFaqRecord]:
    """Active officer entries that apply in a province (its own and national ones), or all of
    them with `every`."""
    query = select(*_FAQ_COLUMNS).where(_faq.c.active.is_(True))
    if not every:
        scope: ColumnElement[bool] = _faq.c.province_code.is_(None)
        if province_code is not None:
            scope = or_(scope, _faq.c.province_code == province_code)
        query = query.where(scope)
    rows = connection.execute(query.order_by(_faq.c.id)).all()
    return [OfficerFaqRecord(r[0], list(r[1]), *r[2:]) for r in rows]


# Dashboard logins ----------------------------------------------------------------------------


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


# Dashboard views -----------------------------------------------------------------------------


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
