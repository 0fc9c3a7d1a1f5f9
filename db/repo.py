"""The queries the bot makes, named for what they do.

Each function takes a `Connection` and is run by `Database.run`, which owns the transaction.
The statements of the per-update path are built once with bound parameters: building a
SQLAlchemy statement costs several times more than executing it on SQLite.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    Insert,
    Table,
    bindparam,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from db.models import (
    Assessment,
    Broadcast,
    Certificate,
    Conversation,
    CriteriaSheet,
    Deadline,
    Handover,
    Heartbeat,
    Mute,
    OfficerChange,
    Outbox,
    ProcessedUpdate,
    SheetWait,
    User,
    ZaloToken,
)

_users = cast(Table, User.__table__)
_conversations = cast(Table, Conversation.__table__)
_processed = cast(Table, ProcessedUpdate.__table__)
_heartbeat = cast(Table, Heartbeat.__table__)


class StaleState(Exception):
    """The conversation changed since it was read: another update of the same user won."""


@dataclass(slots=True)
class UserRecord:
    """A user as handlers see it; the dispatcher writes back the fields they change."""

    id: int | None
    """None until a new user is first saved."""
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
    consent_version: str | None = None
    consent_given: bool = False

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

_LOAD_USER = (
    select(
        *_USER_COLUMNS,
        _conversations.c.flow,
        _conversations.c.step,
        _conversations.c.data,
        _conversations.c.version,
    )
    .select_from(_users.outerjoin(_conversations, _conversations.c.user_id == _users.c.id))
    .where(
        _users.c.platform == bindparam("platform"),
        _users.c.external_id == bindparam("external_id"),
    )
)
_INSERT_USER = insert(_users).returning(_users.c.id)
_INSERT_CONVERSATION = insert(_conversations)
_UPDATE_CONVERSATION = (
    update(_conversations)
    .where(
        _conversations.c.user_id == bindparam("uid"),
        _conversations.c.version == bindparam("read_version"),
    )
    .values(
        flow=bindparam("flow"),
        step=bindparam("step"),
        data=bindparam("data"),
        version=bindparam("new_version"),
        updated_at=bindparam("updated_at"),
    )
)
_GET_PROCESSED = select(_processed.c.replies, _processed.c.sent_at).where(
    _processed.c.platform == bindparam("platform"),
    _processed.c.update_id == bindparam("update_id"),
)
_MARK_SENT = (
    update(_processed)
    .where(_processed.c.platform == bindparam("p"), _processed.c.update_id == bindparam("u"))
    .values(sent_at=bindparam("sent_at"))
)


@cache
def _record_update_statement(dialect_name: str) -> Insert:
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    # the dialect is chosen at run time, so the statement's type is the union of both dialects'
    return dialect.insert(_processed).on_conflict_do_nothing(  # type: ignore[no-any-return]
        index_elements=["platform", "update_id"]
    )


def load_user(
    connection: Connection, *, platform: str, external_id: str
) -> tuple[UserRecord, ConversationRecord | None] | None:
    """The user and their conversation in one query, or None for someone new."""
    row = connection.execute(
        _LOAD_USER, {"platform": platform, "external_id": external_id}
    ).one_or_none()
    if row is None:
        return None
    values = tuple(row)
    user = UserRecord(*values[: len(_USER_COLUMNS)])
    flow, step, data, version = values[len(_USER_COLUMNS) :]
    conv = None if version is None else ConversationRecord(flow, step, dict(data), version)
    return user, conv


def new_user(
    *, platform: str, external_id: str, chat_id: str, locale: str, now: datetime
) -> UserRecord:
    """A user not saved yet (`insert_user` saves it)."""
    return UserRecord(
        id=None,
        platform=platform,
        external_id=external_id,
        chat_id=chat_id,
        display_name="",
        role=None,
        officer_approved=False,
        locale=locale,
        province_code=None,
        active=True,
        created_at=now,
        last_seen_at=now,
    )


def insert_user(connection: Connection, *, user: UserRecord) -> int:
    """Save a new user and return its id (a concurrent insert of the same one raises
    IntegrityError)."""
    values = {f.name: getattr(user, f.name) for f in fields(UserRecord) if f.name != "id"}
    return int(connection.execute(_INSERT_USER, values).scalar_one())


def update_user(connection: Connection, *, user_id: int, changes: dict[str, Any]) -> None:
    """Write the changed fields of a user."""
    if changes:
        connection.execute(update(_users).where(_users.c.id == user_id).values(**changes))


def save_conversation(
    connection: Connection,
    *,
    user_id: int,
    read_version: int | None,
    flow: str,
    step: str,
    data: dict[str, Any],
    now: datetime,
) -> None:
    """Write the state if nobody saved since it was read; raise StaleState otherwise."""
    if read_version is None:
        connection.execute(
            _INSERT_CONVERSATION,
            {
                "user_id": user_id,
                "flow": flow,
                "step": step,
                "data": data,
                "version": 1,
                "updated_at": now,
            },
        )
        return
    result = connection.execute(
        _UPDATE_CONVERSATION,
        {
            "uid": user_id,
            "read_version": read_version,
            "flow": flow,
            "step": step,
            "data": data,
            "new_version": read_version + 1,
            "updated_at": now,
        },
    )
    if result.rowcount != 1:
        raise StaleState(f"conversation of user {user_id} moved past version {read_version}")


def record_update(
    connection: Connection,
    *,
    platform: str,
    update_id: str,
    chat_id: str,
    replies: list[dict[str, Any]],
    sent_at: datetime | None,
    now: datetime,
) -> bool:
    """Note an update as handled with its replies; False when it had been handled already."""
    result = connection.execute(
        _record_update_statement(connection.dialect.name),
        {
            "platform": platform,
            "update_id": update_id,
            "chat_id": chat_id,
            "replies": replies,
            "sent_at": sent_at,
            "created_at": now,
        },
    )
    return bool(result.rowcount)


def get_processed_update(
    connection: Connection, *, platform: str, update_id: str
) -> tuple[list[dict[str, Any]], datetime | None] | None:
    """The stored replies of a handled update and when they were sent, if it was handled."""
    row = connection.execute(
        _GET_PROCESSED, {"platform": platform, "update_id": update_id}
    ).one_or_none()
    return None if row is None else (list(row[0]), row[1])


def mark_replies_sent(
    connection: Connection, *, platform: str, update_id: str, now: datetime
) -> None:
    """Note that the replies of a handled update reached the platform."""
    connection.execute(_MARK_SENT, {"p": platform, "u": update_id, "sent_at": now})


_sheets = cast(Table, CriteriaSheet.__table__)
_assessments = cast(Table, Assessment.__table__)
_waits = cast(Table, SheetWait.__table__)


def current_sheet_body(
    connection: Connection, *, set_code: str
) -> tuple[str, dict[str, Any]] | None:
    """(key, body) of the imported sheet in force for a product set, if one was imported."""
    row = connection.execute(
        select(_sheets.c.key, _sheets.c.body)
        .where(_sheets.c.set_code == set_code, _sheets.c.replaced_at.is_(None))
        .order_by(_sheets.c.id.desc())
        .limit(1)
    ).one_or_none()
    return None if row is None else (row[0], dict(row[1]))


def sheet_body(connection: Connection, *, key: str) -> dict[str, Any] | None:
    """The body of an imported sheet by key, replaced or not."""
    body = connection.execute(
        select(_sheets.c.body).where(_sheets.c.key == key)
    ).scalar_one_or_none()
    return None if body is None else dict(body)


def archive_sheet(
    connection: Connection,
    *,
    key: str,
    set_code: str,
    edition: str,
    body: dict[str, Any],
    now: datetime,
) -> None:
    """Keep a copy of a bundled sheet an assessment is made with (never in force: it is stored
    as replaced), so the result stays readable after a release changes the bundled file."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    connection.execute(
        dialect.insert(_sheets)
        .values(
            key=key,
            set_code=set_code,
            edition=edition,
            body=body,
            imported_at=now,
            replaced_at=now,
        )
        .on_conflict_do_nothing(index_elements=["key"])
    )


def imported_set_codes(connection: Connection) -> set[str]:
    """Product sets that have an imported sheet in force."""
    return set(
        connection.execute(
            select(_sheets.c.set_code).where(_sheets.c.replaced_at.is_(None))
        ).scalars()
    )


def store_sheet(
    connection: Connection,
    *,
    key: str,
    set_code: str,
    edition: str,
    body: dict[str, Any],
    now: datetime,
) -> bool:
    """Make `body` the sheet in force for its set; False when that exact sheet already is."""
    current = current_sheet_body(connection, set_code=set_code)
    if current is not None and current[0] == key:
        return False
    connection.execute(
        update(_sheets)
        .where(_sheets.c.set_code == set_code, _sheets.c.replaced_at.is_(None))
        .values(replaced_at=now)
    )
    existing = connection.execute(select(_sheets.c.id).where(_sheets.c.key == key)).scalar()
    if existing is not None:  # an older import comes back into force
        connection.execute(
            update(_sheets).where(_sheets.c.id == existing).values(replaced_at=None)
        )
    else:
        connection.execute(
            insert(_sheets).values(
                key=key,
                set_code=set_code,
                edition=edition,
                body=body,
                imported_at=now,
            )
        )
    return True


@dataclass(frozen=True, slots=True)
class AssessmentRecord:
    """A stored self-assessment."""

    id: str
    user_id: int
    sheet_key: str
    set_code: str
    product_name: str
    answers: dict[str, int]
    skipped: list[str]
    position: int
    status: str
    total: float | None
    stars: int | None
    parts: dict[str, float]
    started_at: datetime
    updated_at: datetime
    finished_at: datetime | None


_ASSESSMENT_COLUMNS = [_assessments.c[f.name] for f in fields(AssessmentRecord)]


def _assessment(row: Any) -> AssessmentRecord:
    values = dict(zip([f.name for f in fields(AssessmentRecord)], tuple(row), strict=True))
    values["answers"] = dict(values["answers"])
    values["skipped"] = list(values["skipped"])
    values["parts"] = dict(values["parts"])
    return AssessmentRecord(**values)


def get_assessment(
    connection: Connection, *, assessment_id: str, user_id: int
) -> AssessmentRecord | None:
    """One of the user's assessments."""
    row = connection.execute(
        select(*_ASSESSMENT_COLUMNS).where(
            _assessments.c.id == assessment_id, _assessments.c.user_id == user_id
        )
    ).one_or_none()
    return None if row is None else _assessment(row)


def _assessments_of(
    connection: Connection, *, user_id: int, status: str, order: Any, limit: int
) -> list[AssessmentRecord]:
    rows = connection.execute(
        select(*_ASSESSMENT_COLUMNS)
        .where(_assessments.c.user_id == user_id, _assessments.c.status == status)
        .order_by(order.desc())
        .limit(limit)
    ).all()
    return [_assessment(r) for r in rows]


def in_progress_assessments(
    connection: Connection, *, user_id: int, limit: int = 5
) -> list[AssessmentRecord]:
    """The user's unfinished assessments, most recently touched first."""
    return _assessments_of(
        connection,
        user_id=user_id,
        status="in_progress",
        order=_assessments.c.updated_at,
        limit=limit,
    )


def finished_assessments(
    connection: Connection, *, user_id: int, limit: int = 10
) -> list[AssessmentRecord]:
    """The user's finished assessments, newest first."""
    return _assessments_of(
        connection, user_id=user_id, status="done", order=_assessments.c.finished_at, limit=limit
    )


def start_assessment(
    connection: Connection,
    *,
    assessment_id: str,
    user_id: int,
    sheet_key: str,
    set_code: str,
    product_name: str,
    now: datetime,
    answers: dict[str, int] | None = None,
) -> None:
    """Save a new assessment, empty or pre-filled (a re-assessment, a move to a new edition)."""
    connection.execute(
        insert(_assessments).values(
            id=assessment_id,
            user_id=user_id,
            sheet_key=sheet_key,
            set_code=set_code,
            product_name=product_name,
            answers=answers or {},
            skipped=[],
            position=0,
            status="in_progress",
            parts={},
            started_at=now,
            updated_at=now,
        )
    )


def save_progress(
    connection: Connection,
    *,
    assessment_id: str,
    user_id: int,
    answers: dict[str, int],
    skipped: list[str],
    position: int,
    now: datetime,
) -> None:
    """Store the answers so far and the question the user is at."""
    connection.execute(
        update(_assessments)
        .where(_assessments.c.id == assessment_id, _assessments.c.user_id == user_id)
        .values(answers=answers, skipped=skipped, position=position, updated_at=now)
    )


def close_assessment(
    connection: Connection, *, assessment_id: str, user_id: int, status: str, now: datetime
) -> None:
    """End an unfinished assessment without a result ("moved": continued under a newer sheet)."""
    connection.execute(
        update(_assessments)
        .where(_assessments.c.id == assessment_id, _assessments.c.user_id == user_id)
        .values(status=status, updated_at=now)
    )


def finish_assessment(
    connection: Connection,
    *,
    assessment_id: str,
    user_id: int,
    answers: dict[str, int],
    total: float,
    stars: int,
    parts: dict[str, float],
    now: datetime,
) -> None:
    """Mark an assessment done with its result."""
    connection.execute(
        update(_assessments)
        .where(_assessments.c.id == assessment_id, _assessments.c.user_id == user_id)
        .values(
            answers=answers,
            status="done",
            total=total,
            stars=stars,
            parts=parts,
            updated_at=now,
            finished_at=now,
        )
    )


def add_sheet_wait(connection: Connection, *, user_id: int, set_code: str, now: datetime) -> None:
    """Remember that the user wants to hear when a set's sheet is loaded (once per set)."""
    exists = connection.execute(
        select(_waits.c.user_id).where(_waits.c.user_id == user_id, _waits.c.set_code == set_code)
    ).first()
    if exists is None:
        connection.execute(
            insert(_waits).values(user_id=user_id, set_code=set_code, created_at=now)
        )


def open_sheet_waits(connection: Connection, *, user_id: int) -> list[str]:
    """Sets the user is still waiting for."""
    return list(
        connection.execute(
            select(_waits.c.set_code).where(
                _waits.c.user_id == user_id, _waits.c.notified_at.is_(None)
            )
        ).scalars()
    )


def close_sheet_waits(
    connection: Connection, *, user_id: int, set_codes: list[str], now: datetime
) -> None:
    """Note that the user was told these sets now have a sheet."""
    connection.execute(
        update(_waits)
        .where(_waits.c.user_id == user_id, _waits.c.set_code.in_(set_codes))
        .values(notified_at=now)
    )


_outbox = cast(Table, Outbox.__table__)
_deadlines = cast(Table, Deadline.__table__)
_mutes = cast(Table, Mute.__table__)
_certificates = cast(Table, Certificate.__table__)
_broadcasts = cast(Table, Broadcast.__table__)
_handovers = cast(Table, Handover.__table__)


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """A claimed outbox row."""

    id: int
    platform: str
    chat_id: str
    user_id: int | None
    payload: list[dict[str, Any]]
    attempts: int


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
        platform=platform,
        chat_id=chat_id,
        user_id=user_id,
        kind=kind,
        dedupe_key=dedupe_key,
        broadcast_id=broadcast_id,
        payload=payload,
        status="pending",
        attempts=0,
        next_attempt_at=now,
        last_error="",
        created_at=now,
    )
    if dedupe_key is not None:
        statement = statement.on_conflict_do_nothing(index_elements=["dedupe_key"])
    return bool(connection.execute(statement).rowcount)


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
    connection.execute(
        _outbox.delete().where(
            _outbox.c.kind == COALESCED,
            _outbox.c.platform == platform,
            _outbox.c.chat_id == chat_id,
            _outbox.c.status == "pending",
        )
    )
    connection.execute(
        insert(_outbox).values(
            platform=platform,
            chat_id=chat_id,
            user_id=user_id,
            kind=COALESCED,
            payload=payload,
            status="pending",
            attempts=0,
            next_attempt_at=due_at,
            last_error="",
            created_at=now,
        )
    )


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
            {
                "platform": r.platform,
                "chat_id": r.chat_id,
                "user_id": r.user_id,
                "kind": kind,
                "dedupe_key": f"broadcast:{broadcast_id}:{r.user_id}",
                "broadcast_id": broadcast_id,
                "payload": payload,
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "last_error": "",
                "created_at": now,
            }
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
    """Mark up to `limit` due rows (of `platforms` and `chat_id`, when given) as sending and
    return them; rows another worker holds are skipped on PostgreSQL (FOR UPDATE SKIP LOCKED)."""
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
        .returning(
            _outbox.c.id,
            _outbox.c.platform,
            _outbox.c.chat_id,
            _outbox.c.user_id,
            _outbox.c.payload,
            _outbox.c.attempts,
        )
    ).all()
    return sorted(
        (OutboxItem(r[0], r[1], r[2], r[3], list(r[4]), r[5]) for r in rows), key=lambda i: i.id
    )


def release_stale(connection: Connection, *, older_than: datetime) -> int:
    """Put back rows claimed before `older_than` (their worker died); returns how many."""
    return int(
        connection.execute(
            update(_outbox)
            .where(_outbox.c.status == "sending", _outbox.c.claimed_at < older_than)
            .values(status="pending", claimed_at=None)
        ).rowcount
    )


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
    connection.execute(update(_outbox).where(_outbox.c.id == item_id).values(**values))


def deactivate_user(connection: Connection, *, user_id: int) -> None:
    """The user blocked the bot or left: send them nothing more."""
    connection.execute(update(_users).where(_users.c.id == user_id).values(active=False))


def outbox_counts(connection: Connection, *, broadcast_id: int | None = None) -> dict[str, int]:
    """How many outbox rows are in each status (of one broadcast, when given)."""
    query = select(_outbox.c.status, func.count()).group_by(_outbox.c.status)
    if broadcast_id is not None:
        query = query.where(_outbox.c.broadcast_id == broadcast_id)
    return {status: int(count) for status, count in connection.execute(query).all()}


@dataclass(frozen=True, slots=True)
class DeadlineRecord:
    """A published deadline."""

    id: int
    title: str
    due_at: datetime
    provinces: list[int]
    link: str
    status: str
    product_sets: list[str]


def _deadline(row: Any) -> DeadlineRecord:
    return DeadlineRecord(row[0], row[1], row[2], list(row[3]), row[4], row[5], list(row[6]))


_DEADLINE_COLUMNS = (
    _deadlines.c.id,
    _deadlines.c.title,
    _deadlines.c.due_at,
    _deadlines.c.provinces,
    _deadlines.c.link,
    _deadlines.c.status,
    _deadlines.c.product_sets,
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


def cancel_deadline(connection: Connection, *, deadline_id: int) -> bool:
    """Withdraw a deadline (its pending reminders are cancelled too)."""
    done = connection.execute(
        update(_deadlines)
        .where(_deadlines.c.id == deadline_id, _deadlines.c.status == "open")
        .values(status="cancelled")
    ).rowcount
    connection.execute(
        update(_outbox)
        .where(
            _outbox.c.status == "pending", _outbox.c.dedupe_key.like(f"deadline:{deadline_id}:%")
        )
        .values(status="cancelled")
    )
    return bool(done)


def move_deadline(connection: Connection, *, deadline_id: int, due_at: datetime) -> bool:
    """Change a deadline's date; reminders not sent yet for the old date are cancelled (the
    clock queues the new date's reminders, since their keys carry the date)."""
    moved = connection.execute(
        update(_deadlines)
        .where(_deadlines.c.id == deadline_id, _deadlines.c.status == "open")
        .values(due_at=due_at)
    ).rowcount
    connection.execute(
        update(_outbox)
        .where(
            _outbox.c.status == "pending", _outbox.c.dedupe_key.like(f"deadline:{deadline_id}:%")
        )
        .values(status="cancelled")
    )
    return bool(moved)


def open_deadlines(connection: Connection, *, after: datetime) -> list[DeadlineRecord]:
    """Deadlines still open and not yet passed, soonest first."""
    rows = connection.execute(
        select(*_DEADLINE_COLUMNS)
        .where(_deadlines.c.status == "open", _deadlines.c.due_at > after)
        .order_by(_deadlines.c.due_at)
    ).all()
    return [_deadline(r) for r in rows]


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


def muted(connection: Connection, *, user_id: int) -> set[int]:
    """Deadline ids the user muted (0 means all)."""
    return set(
        connection.execute(
            select(_mutes.c.deadline_id).where(_mutes.c.user_id == user_id)
        ).scalars()
    )


@dataclass(frozen=True, slots=True)
class Recipient:
    """Someone a reminder or broadcast can reach."""

    user_id: int
    platform: str
    chat_id: str
    locale: str


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
        query = query.where(_users.c.id.in_(_assessed(deadline.product_sets)))
    return [Recipient(r[0], r[1], r[2], r[3]) for r in connection.execute(query).all()]


def _assessed(set_codes: list[str]) -> Any:
    """Users who assessed a product of one of these sets (how the bot knows what they make)."""
    return select(_assessments.c.user_id).where(_assessments.c.set_code.in_(set_codes))


@dataclass(frozen=True, slots=True)
class CertificateRecord:
    """A recorded OCOP certificate and its owner."""

    id: int
    user_id: int
    product: str
    stars: int
    decided_on: date
    level: str
    updated_at: datetime
    """When the producer recorded or last edited it."""


_CERTIFICATE_COLUMNS = (
    _certificates.c.id,
    _certificates.c.user_id,
    _certificates.c.product,
    _certificates.c.stars,
    _certificates.c.decided_on,
    _certificates.c.level,
    _certificates.c.updated_at,
)


def add_certificate(
    connection: Connection,
    *,
    user_id: int,
    product: str,
    stars: int,
    decided_on: date,
    level: str,
    now: datetime,
) -> int:
    """Record a certificate; returns its id."""
    return int(
        connection.execute(
            insert(_certificates)
            .values(
                user_id=user_id,
                product=product,
                stars=stars,
                decided_on=decided_on,
                level=level,
                created_at=now,
                updated_at=now,
            )
            .returning(_certificates.c.id)
        ).scalar_one()
    )


def _cancel_certificate_reminders(connection: Connection, certificate_id: int) -> None:
    connection.execute(
        update(_outbox)
        .where(
            _outbox.c.status == "pending",
            _outbox.c.dedupe_key.like(f"certificate:{certificate_id}:%"),
        )
        .values(status="cancelled")
    )


def update_certificate(
    connection: Connection,
    *,
    user_id: int,
    certificate_id: int,
    product: str,
    stars: int,
    decided_on: date,
    level: str,
    now: datetime,
) -> bool:
    """Correct one of the user's certificates; reminders not yet sent for it are cancelled (the
    clock queues those of the corrected dates, their keys carry the expiry)."""
    changed = connection.execute(
        update(_certificates)
        .where(_certificates.c.id == certificate_id, _certificates.c.user_id == user_id)
        .values(product=product, stars=stars, decided_on=decided_on, level=level, updated_at=now)
    ).rowcount
    if changed:
        _cancel_certificate_reminders(connection, certificate_id)
    return bool(changed)


def delete_certificate(connection: Connection, *, user_id: int, certificate_id: int) -> bool:
    """Delete one of the user's certificates and cancel its reminders not yet sent."""
    deleted = connection.execute(
        _certificates.delete().where(
            _certificates.c.id == certificate_id, _certificates.c.user_id == user_id
        )
    ).rowcount
    if deleted:
        _cancel_certificate_reminders(connection, certificate_id)
    return bool(deleted)


def certificates(connection: Connection, *, user_id: int) -> list[CertificateRecord]:
    """The user's certificates, in the order recorded."""
    rows = connection.execute(
        select(*_CERTIFICATE_COLUMNS)
        .where(_certificates.c.user_id == user_id)
        .order_by(_certificates.c.id)
    ).all()
    return [CertificateRecord(*r) for r in rows]


def certificate_contacts(connection: Connection) -> list[tuple[CertificateRecord, Recipient]]:
    """Every certificate whose owner is active, with how to reach them (one query)."""
    rows = connection.execute(
        select(
            *_CERTIFICATE_COLUMNS,
            _users.c.id,
            _users.c.platform,
            _users.c.chat_id,
            _users.c.locale,
        )
        .join(_users, _users.c.id == _certificates.c.user_id)
        .where(_users.c.active.is_(True))
        .order_by(_certificates.c.id)
    ).all()
    return [(CertificateRecord(*r[:7]), Recipient(*r[7:])) for r in rows]


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


def is_five_star_candidate(connection: Connection, *, user_id: int) -> bool:
    """Whether the Ministry's rounds (Điều 5.2) concern this user."""
    candidates = _five_star_candidates().subquery()
    return (
        connection.execute(
            select(candidates.c.user_id).where(candidates.c.user_id == user_id).limit(1)
        ).first()
        is not None
    )


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


_officer_changes = cast(Table, OfficerChange.__table__)


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


def find_user(connection: Connection, *, platform: str, external_id: str) -> int | None:
    """The id of a user by their platform id."""
    return connection.execute(
        select(_users.c.id).where(
            _users.c.platform == platform, _users.c.external_id == external_id
        )
    ).scalar_one_or_none()


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


def audience(
    connection: Connection,
    *,
    roles: list[str],
    provinces: list[int],
    product_sets: list[str] | None = None,
) -> list[Recipient]:
    """Active users with one of `roles` (everyone who started the bot when empty, onboarded or
    not), in `provinces` (all when empty), who assessed a product of `product_sets` (any when
    empty). An officer counts as one only once approved: asking is not enough."""
    query = select(_users.c.id, _users.c.platform, _users.c.chat_id, _users.c.locale).where(
        _users.c.active.is_(True)
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
        query = query.where(_users.c.id.in_(_assessed(product_sets)))
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


_zalo_tokens = cast(Table, ZaloToken.__table__)


def zalo_token(connection: Connection) -> tuple[str, str, datetime] | None:
    """(access token, refresh token, expiry) stored, if any."""
    row = connection.execute(
        select(
            _zalo_tokens.c.access_token, _zalo_tokens.c.refresh_token, _zalo_tokens.c.expires_at
        )
        .order_by(_zalo_tokens.c.id.desc())
        .limit(1)
    ).first()
    return None if row is None else (row[0], row[1], row[2])


def store_zalo_token(
    connection: Connection,
    *,
    access_token: str,
    refresh_token: str,
    expires_at: datetime,
    now: datetime,
) -> None:
    """Replace the token pair in one transaction (the refresh token is single-use)."""
    connection.execute(_zalo_tokens.delete())
    connection.execute(
        insert(_zalo_tokens).values(
            access_token=access_token,
            refresh_token=refresh_token,
            expires_at=expires_at,
            updated_at=now,
        )
    )


def last_seen(connection: Connection, *, platform: str, external_id: str) -> datetime | None:
    """When the user last wrote to the bot (None for someone unknown)."""
    return connection.execute(
        select(_users.c.last_seen_at).where(
            _users.c.platform == platform, _users.c.external_id == external_id
        )
    ).scalar_one_or_none()


def heartbeat(connection: Connection, *, now: datetime) -> None:
    """Rewrite the heartbeat row: fails when the database cannot write (read-only, full)."""
    if not connection.execute(update(_heartbeat).values(at=now)).rowcount:
        connection.execute(insert(_heartbeat).values(id=1, at=now))
