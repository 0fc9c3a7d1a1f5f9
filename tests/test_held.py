"""PostgreSQL transactions on held connections (`db/held.py`): BEGIN and COMMIT sent on the
driver's connection, the connection kept for the next transaction, a broken one dropped."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection, text

from db.session import Database, DatabaseUnavailable

pytestmark = pytest.mark.postgres


def _backend(connection: Connection) -> int:
    return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _in_transaction(connection: Connection) -> bool:
    """True inside a transaction block begun by an earlier statement: `now()` then stays the
    transaction's start while each statement starts later."""
    return bool(connection.execute(text("SELECT now() < statement_timestamp()")).scalar_one())


async def test_transactions_reuse_their_connection_and_are_real_transactions(
    database_url: str,
) -> None:
    db = Database(database_url)
    first = await db.run(_backend)
    assert await db.run(_backend) == first

    def write_then_fail(connection: Connection) -> None:
        connection.execute(text("CREATE TABLE scratch (n int)"))
        connection.execute(text("SELECT pg_sleep(0.01)"))
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
    first = await db.run(_backend)
    await other.run(
        lambda c: c.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first}).all()
    )
    with pytest.raises(DatabaseUnavailable):
        await db.run(_backend)
    assert await db.run(_backend) != first
    await other.dispose()
    await db.dispose()
