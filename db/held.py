"""PostgreSQL transactions begun and ended on the driver's connection, past SQLAlchemy's.

Through SQLAlchemy's async engine, a transaction's checkout, BEGIN, COMMIT and check-in cost
about 250 µs of CPU besides its statements, several times BEGIN and COMMIT themselves
(measured with `bench/webhook.py` and a loop of one-statement transactions: 260-310 µs
against 55-65 µs on asyncpg). So the connections that run transactions are kept checked out
in a free list (`Held`), set to autocommit as SQLAlchemy sees them (its asyncpg adapter then
begins nothing itself), and `HeldConnection.send` sends BEGIN, COMMIT and ROLLBACK on the
asyncpg connection. Work run through SQLAlchemy on such a connection (`run_sync`), and
`Prepared` statements, run inside that transaction. Errors are raised as SQLAlchemy raises
them (`translated`), so callers tell "database unavailable" from a conflict as before.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exc as sa_exc
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine


def translated(adapter: Any, dialect: Dialect, statement: str, error: Exception) -> Exception:
    """The SQLAlchemy exception for an asyncpg error, as SQLAlchemy's own execution would
    raise it (`IntegrityError`, `OperationalError`, `InterfaceError`, ...). `adapter` is the
    SQLAlchemy adapter of the asyncpg connection (a pooled connection's `dbapi_connection`);
    its translation is private to SQLAlchemy, hence in this one place."""
    dbapi_error = dialect.loaded_dbapi.Error
    try:
        adapter._handle_exception(error)
    except dbapi_error as adapted:
        return sa_exc.DBAPIError.instance(statement, None, adapted, dbapi_error)
    except Exception as other:  # noqa: BLE001 - whatever it raised is the answer
        return other
    return error  # pragma: no cover - _handle_exception always raises


def advisory_lock_id(key: str) -> int:
    """The id of `key`'s advisory lock: a signed 64-bit hash, written into statements as a
    number (so BEGIN and the lock travel together, in the simple query protocol)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), signed=True)


@dataclass(eq=False)
class HeldConnection:
    """A connection taken from `Held`: SQLAlchemy's, and the asyncpg connection under it."""

    connection: AsyncConnection
    driver: Any
    """The asyncpg connection."""
    adapter: Any
    """SQLAlchemy's DB-API adapter of it (`translated` needs it)."""
    opened: float

    async def send(self, command: str) -> None:
        """BEGIN, COMMIT, ROLLBACK (or a few such statements, no parameters) on the driver's
        connection: one round trip, in the simple query protocol."""
        try:
            await self.driver.execute(command)
        except Exception as exc:
            raise translated(self.adapter, self.connection.dialect, command, exc) from exc


class Held:
    """A pool over `engine`'s pool: at most `size` connections in use at once, each kept
    checked out between transactions and replaced after `recycle` seconds."""

    def __init__(self, engine: AsyncEngine, *, size: int, recycle: float) -> None:
        self._engine = engine
        self._slots = asyncio.Semaphore(size)
        self._recycle = recycle
        self._idle: list[HeldConnection] = []

    async def take(self) -> HeldConnection:
        """An idle connection, or a new one; waits while `size` are in use."""
        await self._slots.acquire()
        try:
            while self._idle:
                held = self._idle.pop()
                if time.monotonic() - held.opened < self._recycle:
                    return held
                await held.connection.close()
            return await self._open()
        except BaseException:
            self._slots.release()
            raise

    async def _open(self) -> HeldConnection:
        connection = await self._engine.connect()
        try:
            connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
            fairy = await connection.get_raw_connection()
        except BaseException:
            await connection.close()
            raise
        return HeldConnection(
            connection, fairy.driver_connection, fairy.dbapi_connection, time.monotonic()
        )

    async def give_back(self, held: HeldConnection, *, usable: bool) -> None:
        """Keep `held` for the next transaction, or drop it when it may be broken, and the
        idle ones with it (a server that went away broke them all)."""
        try:
            if usable:
                self._idle.append(held)
            else:
                with suppress(Exception):
                    await held.connection.invalidate()
                    await held.connection.close()
                await self.close()
        finally:
            self._slots.release()

    async def close(self) -> None:
        """Close every idle connection."""
        idle, self._idle = self._idle, []
        for held in idle:
            with suppress(Exception):  # one that cannot even close is gone anyway
                await held.connection.close()
