"""PostgreSQL transactions on held connections (`db/held.py`): BEGIN and COMMIT sent on the
driver's connection, the connection kept for the next transaction, a broken one dropped."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import create_async_engine

from db.held import Held
from db.session import Database, DatabaseUnavailable

pytestmark = pytest.mark.postgres


def _backend(connection: Connection) -> int:
    return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _in_transaction(connection: Connection) -> bool:
    """True inside a transaction block: two statements see the same transaction id."""
    ids = [connection.execute(text("SELECT txid_current()")).scalar_one() for _ in range(2)]
    return ids[0] == ids[1]


async def _terminated(db: Database, other: Database) -> int:
    """The backend of `db`'s pooled connection, which the server (asked by `other`) has just
    dropped."""
    first = await db.run(_backend)
    await other.run(
        lambda c: c.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first}).all()
    )
    return first


async def test_transactions_reuse_their_connection_and_are_real_transactions(
    database_url: str,
) -> None:
    db = Database(database_url)
    first = await db.run(_backend)
    assert await db.run(_backend) == first

    def write_then_fail(connection: Connection) -> None:
        connection.execute(text("CREATE TABLE scratch (n int)"))
        assert _in_transaction(connection)
        raise RuntimeError("handler failed")

    with pytest.raises(RuntimeError):
        await db.run(write_then_fail)
    exists = "SELECT to_regclass('scratch') IS NOT NULL"
    assert await db.run(lambda c: c.execute(text(exists)).scalar_one()) is False
    assert await db.run(_backend) == first  # rolled back, and kept
    await db.dispose()


async def test_a_connection_the_server_dropped_fails_once_then_a_new_one_serves(
    database_url: str,
) -> None:
    db = Database(database_url)
    other = Database(database_url)
    first = await _terminated(db, other)
    with pytest.raises(DatabaseUnavailable):
        await db.run(_backend)
    assert await db.run(_backend) != first
    await other.dispose()
    await db.dispose()


async def test_a_dropped_connection_that_failed_a_statement_alone_is_not_kept(
    database_url: str,
) -> None:
    """A piece run alone (no BEGIN, so no ROLLBACK to find the connection broken) on a
    connection the server dropped fails once; the next piece gets a new connection."""
    db = Database(database_url)
    other = Database(database_url)
    first = await _terminated(db, other)
    with pytest.raises(DatabaseUnavailable):
        async with db.transaction() as transaction:
            await transaction.run(_backend)
    async with db.transaction() as transaction:
        assert await transaction.run(_backend) != first
    await other.dispose()
    await db.dispose()


async def test_one_statement_runs_without_a_transaction_block_and_the_rest_within_one(
    database_url: str,
) -> None:
    db = Database(database_url)

    assert await db.run(_in_transaction, one_statement=True) is False
    assert await db.run(_in_transaction) is True
    await db.dispose()


async def test_a_transaction_that_serializes_takes_the_lock_with_its_begin(
    database_url: str,
) -> None:
    """The advisory lock is held from the first piece: a second transaction on the same key
    waits until the first ends."""
    db = Database(database_url)
    order: list[str] = []

    async def hold(name: str, pause: float) -> None:
        async with db.transaction() as transaction:
            await transaction.serialize("telegram:42")
            await transaction.run(lambda c: c.execute(text("SELECT 1")).all())
            order.append(f"{name} in")
            await asyncio.sleep(pause)
            order.append(f"{name} out")

    first = asyncio.create_task(hold("first", 0.3))
    await asyncio.sleep(0.1)
    await hold("second", 0)
    await first
    assert order == ["first in", "first out", "second in", "second out"]
    await db.dispose()


async def test_a_dropped_connection_goes_back_to_the_pool(database_url: str) -> None:
    """A connection given back as broken is closed, not leaked: with a pool of one, the next
    transaction still gets a connection."""
    engine = create_async_engine(database_url, pool_size=1, max_overflow=0, pool_timeout=1)
    held = Held(engine, size=1, recycle=60)
    for _ in range(3):
        taken = await held.take()
        await taken.send("SELECT 1")
        await held.give_back(taken, usable=False)
    await held.close()
    await engine.dispose()


@pytest.mark.postgres
async def test_a_connection_left_read_only_is_dropped_once_it_refuses_a_write(
    database_url: str,
) -> None:
    """A connection opened while the database was read-only (a standby, an operator's switch)
    keeps that default after the database is writable again: once it refuses a write it is
    dropped, so the next write opens a fresh connection and succeeds (it was given back to be
    refused again)."""
    db = Database(database_url)
    now = datetime.now(UTC)
    try:
        await db.run(lambda c: c.exec_driver_sql("SET SESSION default_transaction_read_only = on"))
        with pytest.raises(DatabaseUnavailable):
            await db.check_write(now)
        await db.check_write(now)
    finally:
        await db.dispose()
