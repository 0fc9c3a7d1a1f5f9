"""Deadlines officers publish, the reminders users mute, and who the clock reminds of a
deadline or of a national date."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, insert, select, update

from db.models import Assessment, Certificate, Deadline, Mute, Outbox, User
from db.prepared import Prepared
from db.repo.assessments import users_who_assessed
from db.repo.records import DeadlineRecord, Recipient

_users = cast(Table, User.__table__)
_outbox = cast(Table, Outbox.__table__)
_deadlines = cast(Table, Deadline.__table__)
_mutes = cast(Table, Mute.__table__)
_certificates = cast(Table, Certificate.__table__)
_assessments = cast(Table, Assessment.__table__)


def _deadline(row: Any) -> DeadlineRecord:
    return DeadlineRecord(
        row[0], row[1], row[2], list(row[3]), row[4], row[5], list(row[6]), row[7]
    )


_DEADLINE_COLUMNS = (
    _deadlines.c.id,
    _deadlines.c.title,
    _deadlines.c.due_at,
    _deadlines.c.provinces,
    _deadlines.c.link,
    _deadlines.c.status,
    _deadlines.c.product_sets,
    _deadlines.c.created_by,
)


def add_deadline(
    connection: Connection,
    *,
    title: str,
    due_at: datetime,
    provinces: list[int],
    link: str,
    created_by: int | None,
    now: datetime,
    product_sets: list[str] | None = None,
) -> int:
    """Publish a deadline; returns its id."""
    return int(
        connection.execute(
            insert(_deadlines)
            .values(
                title=title,
                due_at=due_at,
                provinces=provinces,
                link=link,
                product_sets=product_sets or [],
                status="open",
                created_by=created_by,
                created_at=now,
            )
            .returning(_deadlines.c.id)
        ).scalar_one()
    )


def _cancel_pending_reminders(connection: Connection, deadline_id: int) -> None:
    """Cancel the deadline's reminders still waiting in the outbox."""
    connection.execute(
        update(_outbox)
        .where(
            _outbox.c.status == "pending", _outbox.c.dedupe_key.like(f"deadline:{deadline_id}:%")
        )
        .values(status="cancelled")
    )


def cancel_deadline(connection: Connection, *, deadline_id: int) -> bool:
    """Withdraw a deadline (its pending reminders are cancelled too)."""
    done = connection.execute(
        update(_deadlines)
        .where(_deadlines.c.id == deadline_id, _deadlines.c.status == "open")
        .values(status="cancelled")
    ).rowcount
    _cancel_pending_reminders(connection, deadline_id)
    return bool(done)


def move_deadline(connection: Connection, *, deadline_id: int, due_at: datetime) -> bool:
    """Change a deadline's date; reminders not sent yet for the old date are cancelled (the
    clock queues the new date's reminders, since their keys carry the date)."""
    moved = connection.execute(
        update(_deadlines)
        .where(_deadlines.c.id == deadline_id, _deadlines.c.status == "open")
        .values(due_at=due_at)
    ).rowcount
    _cancel_pending_reminders(connection, deadline_id)
    return bool(moved)


def reminded_of(connection: Connection, *, deadline_id: int) -> list[Recipient]:
    """Active users a reminder of the deadline was sent to (once each)."""
    query = (
        select(_users.c.id, _users.c.platform, _users.c.chat_id, _users.c.locale)
        .where(_users.c.active.is_(True))
        .where(
            _users.c.id.in_(
                select(_outbox.c.user_id).where(
                    _outbox.c.status == "sent",
                    _outbox.c.dedupe_key.like(f"deadline:{deadline_id}:%"),
                )
            )
        )
        .order_by(_users.c.id)
    )
    return [Recipient(r[0], r[1], r[2], r[3]) for r in connection.execute(query).all()]


_OPEN_DEADLINES = Prepared(
    select(*_DEADLINE_COLUMNS)
    .where(_deadlines.c.status == "open", _deadlines.c.due_at > bindparam("after"))
    .order_by(_deadlines.c.due_at)
)


def open_deadlines(connection: Connection, *, after: datetime) -> list[DeadlineRecord]:
    """Deadlines still open and not yet passed, soonest first."""
    return [_deadline(r) for r in _OPEN_DEADLINES.run(connection, {"after": after}).rows]


def mute(connection: Connection, *, user_id: int, deadline_id: int) -> None:
    """Stop reminders of one deadline (0: of all)."""
    exists = connection.execute(
        select(_mutes.c.user_id).where(
            _mutes.c.user_id == user_id, _mutes.c.deadline_id == deadline_id
        )
    ).first()
    if exists is None:
        connection.execute(insert(_mutes).values(user_id=user_id, deadline_id=deadline_id))


def unmute(connection: Connection, *, user_id: int, deadline_id: int) -> None:
    """Reminders back on for one deadline (0: lift the "mute all")."""
    connection.execute(
        _mutes.delete().where(_mutes.c.user_id == user_id, _mutes.c.deadline_id == deadline_id)
    )


def unmute_all(connection: Connection, *, user_id: int) -> None:
    """Reminders back on for every deadline."""
    connection.execute(_mutes.delete().where(_mutes.c.user_id == user_id))


_MUTED = Prepared(select(_mutes.c.deadline_id).where(_mutes.c.user_id == bindparam("user_id")))


def muted(connection: Connection, *, user_id: int) -> set[int]:
    """Deadline ids the user muted (0 means all)."""
    return {row[0] for row in _MUTED.run(connection, {"user_id": user_id}).rows}


def reminder_recipients(connection: Connection, *, deadline: DeadlineRecord) -> list[Recipient]:
    """Active producers in the deadline's scope who did not mute it."""
    query = (
        select(_users.c.id, _users.c.platform, _users.c.chat_id, _users.c.locale)
        .where(_users.c.active.is_(True), _users.c.role == "producer")
        .where(
            ~_users.c.id.in_(
                select(_mutes.c.user_id).where(_mutes.c.deadline_id.in_([0, deadline.id]))
            )
        )
    )
    if deadline.provinces:
        query = query.where(_users.c.province_code.in_(deadline.provinces))
    if deadline.product_sets:
        query = query.where(_users.c.id.in_(users_who_assessed(deadline.product_sets)))
    return [Recipient(r[0], r[1], r[2], r[3]) for r in connection.execute(query).all()]


def _five_star_candidates() -> Any:
    """Users with a 5-star certificate (re-evaluated by the Ministry, QĐ 26/2026 Điều 7.6.e)
    or a finished self-assessment of 90 points or more (proposed to it, Điều 7.3.e)."""
    return (
        select(_certificates.c.user_id)
        .where(_certificates.c.stars == 5)
        .union(
            select(_assessments.c.user_id).where(
                _assessments.c.status == "done", _assessments.c.total >= 90
            )
        )
    )


_CANDIDATES = _five_star_candidates().subquery()
_IS_CANDIDATE = Prepared(
    select(_CANDIDATES.c.user_id).where(_CANDIDATES.c.user_id == bindparam("user_id")).limit(1)
)


def is_five_star_candidate(connection: Connection, *, user_id: int) -> bool:
    """Whether the Ministry's rounds (Điều 5.2) concern this user."""
    return bool(_IS_CANDIDATE.run(connection, {"user_id": user_id}).rows)


def calendar_recipients(
    connection: Connection, *, mute_id: int, five_star: bool
) -> list[Recipient]:
    """Active producers everywhere who did not mute this national date (or every reminder);
    only 5-star candidates when `five_star`."""
    query = (
        select(_users.c.id, _users.c.platform, _users.c.chat_id, _users.c.locale)
        .where(_users.c.active.is_(True), _users.c.role == "producer")
        .where(
            ~_users.c.id.in_(
                select(_mutes.c.user_id).where(_mutes.c.deadline_id.in_([0, mute_id]))
            )
        )
    )
    if five_star:
        query = query.where(_users.c.id.in_(_five_star_candidates()))
    return [Recipient(r[0], r[1], r[2], r[3]) for r in connection.execute(query).all()]
