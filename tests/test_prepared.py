"""Statements compiled once and run on the driver's cursor, on SQLite and on PostgreSQL: the
types convert both ways, constants of the statement travel, refusals are SQLAlchemy's errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, cast

import pytest
from sqlalchemy import Connection, Float, Table, bindparam, insert, select, update
from sqlalchemy import cast as sql_cast
from sqlalchemy.exc import IntegrityError

from db import repo
from db.models import ProcessedUpdate
from db.prepared import Prepared
from db.session import Database

_processed = cast(Table, ProcessedUpdate.__table__)
_INSERT = Prepared(insert(_processed))
_READ = Prepared(
    select(_processed.c.replies, _processed.c.sent_at, _processed.c.created_at)
    .where(_processed.c.platform == "telegram", _processed.c.update_id == bindparam("update_id"))
    .limit(1)
)
_FLOAT = Prepared(select(sql_cast(bindparam("x", type_=Float), Float)))
_MARK = Prepared(update(_processed).where(_processed.c.update_id == bindparam("which")))
NOW = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)


def _row(update_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "platform": "telegram",
        "update_id": update_id,
        "chat_id": "42",
        "replies": [{"text": "Xin chào"}],
        "sent_at": None,
        "created_at": NOW,
        **extra,
    }


async def test_values_convert_both_ways_and_constants_travel(database_url: str) -> None:
    db = Database(database_url)

    def work(connection: Connection) -> list[tuple[Any, ...]]:
        _INSERT.run(connection, _row("1"))
        _INSERT.run(connection, {**_row("2"), "platform": "zalo"})  # not read: a constant
        changed = _MARK.run(connection, {"which": "1", "sent_at": NOW + timedelta(hours=7)})
        assert changed.rowcount == 1
        return (
            _READ.run(connection, {"update_id": "1"}).rows
            + _READ.run(connection, {"update_id": "2"}).rows
        )

    assert await db.run(work) == [([{"text": "Xin chào"}], NOW + timedelta(hours=7), NOW)]
    await db.dispose()


async def test_refusals_are_sqlalchemy_errors_and_roll_back(database_url: str) -> None:
    db = Database(database_url)

    def twice(connection: Connection) -> None:
        _INSERT.run(connection, _row("1"))
        _INSERT.run(connection, _row("1"))

    with pytest.raises(IntegrityError):
        await db.run(twice)
    assert await db.run(lambda c: _READ.run(c, {"update_id": "1"}).rows) == []
    await db.dispose()


async def test_an_insert_missing_a_column_with_a_default_is_refused(database_url: str) -> None:
    db = Database(database_url)
    without_time = {k: v for k, v in _row("1").items() if k != "created_at"}
    with pytest.raises(ValueError, match="missing"):
        await db.run(lambda c: _INSERT.run(c, without_time))
    await db.dispose()


async def test_a_column_whose_converter_needs_its_database_type_reads_back(
    database_url: str,
) -> None:
    """asyncpg's float converter depends on the column's database type (from the cursor)."""
    db = Database(database_url)
    assert await db.run(lambda c: _FLOAT.run(c, {"x": 92.5}).rows) == [(92.5,)]
    assert await db.run(lambda c: _FLOAT.run(c, {"x": 4.0}).rows) == [(4.0,)]
    await db.dispose()


async def test_many_updates_are_marked_sent_at_once_and_only_those(database_url: str) -> None:
    """The ids travel as one array (PostgreSQL) or one JSON array (SQLite): one prepared
    statement for any number of them."""
    db = Database(database_url)

    def insert(connection: Connection) -> None:
        for update_id in ("1", "2", "3", "x'); --"):
            _INSERT.run(connection, _row(update_id))
        _INSERT.run(connection, {**_row("2"), "platform": "zalo"})

    await db.run(insert)
    for ids in (["1", "x'); --"], ["3"]):
        await db.run(
            partial(repo.mark_many_sent, platform="telegram", update_ids=ids, now=NOW),
            one_statement=True,
        )
    marked = await db.run(
        lambda c: c.execute(select(_processed.c.platform, _processed.c.update_id,
                                   _processed.c.sent_at.is_not(None))).all()
    )  # fmt: skip
    assert sorted(marked) == [
        ("telegram", "1", True),
        ("telegram", "2", False),
        ("telegram", "3", True),
        ("telegram", "x'); --", True),
        ("zalo", "2", False),
    ]
    await db.dispose()
