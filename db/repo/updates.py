"""One update's reads and writes: the user with their conversation and open hand-over in one
query, the conversation's versioned save, and the record of handled updates with their replies.

The statements of this per-update path are built once with bound parameters (building a
SQLAlchemy statement costs several times more than executing it on SQLite), and the ones every
update runs are `Prepared`: compiled once, run on the driver's cursor.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import (
    JSON,
    BigInteger,
    Connection,
    Insert,
    Select,
    String,
    Table,
    Update,
    any_,
    bindparam,
    exists,
    func,
    insert,
    literal_column,
    null,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from db.held import advisory_lock_id
from db.models import Conversation, Handover, Outbox, ProcessedUpdate, User
from db.prepared import Executed, Fetches, Prepared
from db.repo.outbox import REPLY, pending_row
from db.repo.records import ConversationRecord, UserRecord

_users = cast(Table, User.__table__)
_conversations = cast(Table, Conversation.__table__)
_processed = cast(Table, ProcessedUpdate.__table__)
_handovers = cast(Table, Handover.__table__)
_outbox = cast(Table, Outbox.__table__)


class StaleState(Exception):
    """The conversation changed since it was read: another update of the same user won."""


_USER_COLUMNS = [_users.c[f.name] for f in fields(UserRecord)]


_open = _handovers.alias("open_handover")
_FIRST_OPEN = (
    select(func.min(_handovers.c.id))
    .where(_handovers.c.user_id == _users.c.id, _handovers.c.status != "closed")
    .correlate(_users)
    .scalar_subquery()
)
"""The user's open hand-over (the first, if ever two): a lookup on its index, with no sort."""
_FLOOD_FULL_AT = (
    select(func.max(_processed.c.flood_full_at))
    .where(
        _processed.c.platform == _users.c.platform,
        _processed.c.chat_id == bindparam("chat_id"),
    )
    .correlate(_users)
    .scalar_subquery()
)
"""When the chat's flood budget is full again (`bot/flood.py`): the chat's latest, from the
end of its index."""
_LOAD_USER = Prepared(
    select(
        *_USER_COLUMNS,
        _conversations.c.flow,
        _conversations.c.step,
        _conversations.c.data,
        _conversations.c.version,
        _open.c.id,
        _open.c.status,
        _FLOOD_FULL_AT,
    )
    .select_from(
        _users.outerjoin(_conversations, _conversations.c.user_id == _users.c.id).outerjoin(
            _open, _open.c.id == _FIRST_OPEN
        )
    )
    .where(
        _users.c.platform == bindparam("platform"),
        _users.c.external_id == bindparam("external_id"),
    )
)
_INSERT_USER = insert(_users).returning(_users.c.id)
_INSERT_CONVERSATION = insert(_conversations)


def _save_conversation() -> Update:
    """The conversation's versioned save: it writes only at the version it was read at (a new
    statement each time: SQLAlchemy memoizes on a statement what a copy would inherit)."""
    return (
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


_UPDATE_CONVERSATION = Prepared(_save_conversation())
_GET_PROCESSED = select(_processed.c.replies, _processed.c.sent_at).where(
    _processed.c.platform == bindparam("platform"),
    _processed.c.update_id == bindparam("update_id"),
)


def _mark_sent_statement(dialect_name: str) -> Update:
    """Mark many updates sent in one statement whose text does not depend on how many (so it
    is prepared once): the ids travel as one array (PostgreSQL) or one JSON array (SQLite)."""
    if dialect_name == "postgresql":
        given = any_(bindparam("ids", type_=postgresql.ARRAY(String)))
        chosen = _processed.c.update_id == given
    else:
        ids = func.json_each(bindparam("ids", type_=JSON)).table_valued("value")
        chosen = _processed.c.update_id.in_(select(ids.c.value))
    return (
        update(_processed)
        .where(_processed.c.platform == bindparam("p"), chosen)
        .values(sent_at=bindparam("at"))
    )


_MARK_SENT = Prepared(_mark_sent_statement)


def _record_update_statement(dialect_name: str) -> Insert:
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    # the dialect is chosen at run time, so the statement's type is the union of both dialects'
    return dialect.insert(_processed).on_conflict_do_nothing(  # type: ignore[no-any-return]
        index_elements=["platform", "update_id"]
    )


_RECORD_UPDATE = Prepared(_record_update_statement)
_UPDATE_USER = Prepared(update(_users).where(_users.c.id == bindparam("uid")))


Loaded = tuple[UserRecord, ConversationRecord | None, tuple[int, str] | None]
"""A user, their conversation and their open hand-over's (id, status)."""


def load_for_update(connection: Connection, *, platform: str, external_id: str) -> Loaded | None:
    """What every update needs of its user, in one query (`Loaded`); None for someone new."""
    values = {"platform": platform, "external_id": external_id, "chat_id": ""}
    return _loaded(_LOAD_USER.run(connection, values))[0]


async def fetch_for_update(
    reads: Fetches, *, platform: str, external_id: str, chat_id: str
) -> tuple[Loaded | None, datetime | None]:
    """`load_for_update`, run by `reads` (an update's transaction: on PostgreSQL on the
    driver's connection itself), with when the chat's flood budget is full again in the same
    query (None when it is: no update of the chat left it spent). Kept with the recorded
    updates, so every process serving the bot reads the same budget."""
    values = {"platform": platform, "external_id": external_id, "chat_id": chat_id}
    return _loaded(await reads.fetch(_LOAD_USER, values))


def _loaded(executed: Executed) -> tuple[Loaded | None, datetime | None]:
    rows = executed.rows
    if not rows:
        return None, None
    values = rows[0]
    user = UserRecord(*values[: len(_USER_COLUMNS)])
    flow, step, data, version, handover_id, status, full_at = values[len(_USER_COLUMNS) :]
    conv = None if version is None else ConversationRecord(flow, step, dict(data), version)
    handover = None if handover_id is None else (int(handover_id), str(status))
    return (user, conv, handover), full_at


def load_user(
    connection: Connection, *, platform: str, external_id: str
) -> tuple[UserRecord, ConversationRecord | None] | None:
    """The user and their conversation, or None for someone new."""
    loaded = load_for_update(connection, platform=platform, external_id=external_id)
    return None if loaded is None else (loaded[0], loaded[1])


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
        _UPDATE_USER.run(connection, {"uid": user_id, **changes})


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
    result = _UPDATE_CONVERSATION.run(
        connection,
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
    flood_full_at: datetime | None = None,
) -> bool:
    """Note an update as handled with its replies (and the chat's flood budget as it left it,
    `bot/flood.py`); False when it had been handled already."""
    result = _RECORD_UPDATE.run(
        connection,
        {
            "platform": platform,
            "update_id": update_id,
            "chat_id": chat_id,
            "replies": replies,
            "sent_at": sent_at,
            "created_at": now,
            "flood_full_at": flood_full_at,
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


def mark_many_sent(
    connection: Connection, *, platform: str, update_ids: list[str], now: datetime
) -> None:
    """Note that the replies of these handled updates (of one platform) reached it: the doors
    note this after each answer, and under load one statement covers many answers."""
    _MARK_SENT.run(connection, {"p": platform, "ids": update_ids, "at": now})


@dataclass(frozen=True, slots=True)
class Saved:
    """What one update writes when it writes nothing else (`save_update`)."""

    user_id: int
    user_changes: dict[str, Any]
    conversation: tuple[int, str, str, dict[str, Any]] | None
    """(read version, flow, step, data) when the state changed; None when it did not."""
    lock_key: str
    """The user's lock (`db.session.Transaction.serialize`)."""
    platform: str
    update_id: str
    chat_id: str
    replies: list[dict[str, Any]]
    queue: bool
    """The replies go to the outbox (`queue_replies`), sent after the answer."""
    now: datetime
    flood_full_at: datetime | None
    """The chat's flood budget as the update left it (`record_update`)."""


async def save_update(writes: Fetches, saved: Saved) -> int | None:
    """PostgreSQL: the user's changes, the conversation's versioned save, the update's record
    and its queued replies in one statement, so one round trip and no BEGIN or COMMIT. Raise
    StaleState when the conversation moved on since it was read, or an update holding the
    user's lock (`Transaction.serialize`) is writing it: then nothing was written; raise
    IntegrityError when the update was recorded before. Return the queued replies' row."""
    queued_row: dict[str, Any] = {}
    if saved.queue:
        queued_row = pending_row(
            platform=saved.platform,
            chat_id=saved.chat_id,
            user_id=saved.user_id,
            kind=REPLY,
            payload=saved.replies,
            due_at=saved.now,
            now=saved.now,
        )
    statement = _save_statement(
        tuple(saved.user_changes), saved.conversation is not None, tuple(queued_row)
    )
    values: dict[str, Any] = {
        "uid": saved.user_id,
        **{f"u_{name}": value for name, value in saved.user_changes.items()},
        "r_platform": saved.platform,
        "r_update_id": saved.update_id,
        "r_chat_id": saved.chat_id,
        "r_replies": saved.replies,
        "r_sent_at": saved.now if saved.queue else None,
        "r_created_at": saved.now,
        "r_flood_full_at": saved.flood_full_at,
    }
    if saved.conversation is not None:
        read_version, flow, step, data = saved.conversation
        values |= {
            "lock": advisory_lock_id(saved.lock_key),
            "read_version": read_version,
            "new_version": read_version + 1,
            "flow": flow,
            "step": step,
            "data": data,
            "updated_at": saved.now,
        }
    values |= {f"o_{name}": value for name, value in queued_row.items()}
    written, queued = (await writes.fetch(statement, values)).rows[0]
    if not written:
        raise StaleState(f"conversation of user {saved.user_id} moved or is being written")
    return None if queued is None else int(queued)


@cache
def _save_statement(
    user_columns: tuple[str, ...], conversation: bool, queued_columns: tuple[str, ...]
) -> Prepared:
    """`save_update`'s statement: data-modifying CTEs, each write after the conversation's
    (when it changed) taking its rows from it, so a lost version check writes nothing."""
    guard = None
    if conversation:
        guard = (
            _save_conversation()
            .where(func.pg_try_advisory_xact_lock(bindparam("lock", type_=BigInteger)))
            .returning(_conversations.c.user_id)
            .cte("conversation")
        )

    def given(table: Table, prefix: str, names: list[str]) -> Select[Any]:
        """One row of given values, only when the conversation was saved (if it changed)."""
        row = select(*(bindparam(prefix + n, type_=table.c[n].type) for n in names))
        return row if guard is None else row.select_from(guard)

    writes = []
    if user_columns:
        user = update(_users).where(_users.c.id == bindparam("uid"))
        if guard is not None:
            user = user.where(exists(select(guard.c.user_id)))
        values = {n: bindparam(f"u_{n}", type_=_users.c[n].type) for n in user_columns}
        writes.append(user.values(values).cte("user_saved"))
    recorded = [
        "platform",
        "update_id",
        "chat_id",
        "replies",
        "sent_at",
        "created_at",
        "flood_full_at",
    ]
    writes.append(
        insert(_processed).from_select(recorded, given(_processed, "r_", recorded)).cte("recorded")
    )
    queued = None
    if queued_columns:
        names = list(queued_columns)
        queued = (
            insert(_outbox)
            .from_select(names, given(_outbox, "o_", names))
            .returning(_outbox.c.id)
            .cte("queued")
        )
    written = (
        literal_column("1")
        if guard is None
        else select(func.count()).select_from(guard).scalar_subquery()
    )
    statement = select(
        written, null() if queued is None else select(queued.c.id).scalar_subquery()
    ).add_cte(*writes)
    return Prepared(statement)
