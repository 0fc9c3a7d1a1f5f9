"""The database behind DATABASE_URL, and the one way to use it: `await db.run(work)`.

`work` is a plain function of a SQLAlchemy `Connection` (the queries in `db.repo`), run in one
transaction that commits when it returns and rolls back when it raises.

- PostgreSQL: through the async engine (asyncpg), `AsyncConnection.run_sync`.
- SQLite: synchronously, on the event loop's own thread. A transaction here is a few hundred
  microseconds of work (WAL, no fsync per commit), far less than handing it to a thread and
  back: measured with `bench/webhook.py`, about 600 updates/s inline against 250 through a
  worker thread. The price is that another *process* writing the same file stalls this one
  for up to the busy timeout: SQLite is the single-process default; several processes
  should share PostgreSQL. The updates' own writes share commits (`Database.write_grouped`).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from datetime import datetime
from functools import cache, partial
from importlib import resources
from typing import Any, TypeVar

import orjson
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    event,
    text,
)
from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from db import repo
from db.held import Held, HeldConnection, advisory_lock_id
from db.prepared import Executed, Prepared

T = TypeVar("T")

_MIGRATION_LOCK = 7_242_025
"""PostgreSQL advisory lock id held while migrating, so workers starting together take turns."""
_SQLITE_BUSY_SECONDS = 5.0
_POOL_MAX = 40
"""PostgreSQL connections per process: Telegram's default webhook concurrency."""
_RECYCLE_SECONDS = 1800
"""A connection older than this is replaced (the pool's and the held ones alike)."""
_ASIDE = 4
"""Pooled connections beyond the transactions' (`db/held.py`): the worker's lock, migrations."""
_LONG_TRANSACTIONS = 24
"""Updates' transactions (`Database.transaction`) open at once in a process: each holds its
connection while its handler runs, and a handler may need a second one (`Database.run`), so
some of the pool is always left for those."""

_UNAVAILABLE = (
    sa_exc.OperationalError,  # unreachable, read-only file, disk full, locked too long
    sa_exc.InterfaceError,  # the connection died
    sa_exc.InternalError,  # PostgreSQL in a read-only transaction or recovery
    sa_exc.TimeoutError,  # no pooled connection came free
    OSError,  # connection refused before the driver could wrap it
    TimeoutError,
)


_UNAVAILABLE_SQLSTATES = ("08", "25006", "53", "57P", "58")
"""PostgreSQL error classes that mean "not now": connection lost, read-only transaction,
insufficient resources (disk full), server shutting down, I/O error."""


@contextmanager
def _unavailable_raised() -> Iterator[None]:
    """Raise a failure that means "the database cannot be reached or cannot write" as
    DatabaseUnavailable; anything else as it is."""
    try:
        yield
    except Exception as exc:
        if _is_unavailable(exc):
            raise DatabaseUnavailable(f"{type(exc).__name__}: {exc}") from exc
        raise


def _is_unavailable(exc: Exception) -> bool:
    if isinstance(exc, _UNAVAILABLE):
        return True
    code = getattr(getattr(exc, "orig", None), "sqlstate", None)
    return isinstance(exc, sa_exc.DBAPIError) and str(code).startswith(_UNAVAILABLE_SQLSTATES)


def _read_only(exc: BaseException) -> bool:
    """Whether PostgreSQL refused a write as read-only (SQLSTATE 25006), anywhere in the
    chain of causes."""
    seen: BaseException | None = exc
    while seen is not None:
        code = getattr(seen, "sqlstate", None)
        code = code or getattr(getattr(seen, "orig", None), "sqlstate", None)
        if code == "25006":
            return True
        seen = seen.__cause__ or seen.__context__
    return False


class DatabaseUnavailable(Exception):
    """The database cannot be reached or cannot write (down, read-only, full): nothing of the
    transaction was kept, and trying again later may succeed."""


class Transaction:
    """The pieces of one update's work, with awaits between them (`Database.transaction`).

    Until it begins, each piece runs alone: in a transaction of its own on SQLite, as a
    statement of its own on PostgreSQL (autocommit), so reading costs a round trip per query
    and no BEGIN. `serialize` makes it begin with its first piece, holding a key's lock
    (PostgreSQL: BEGIN and the lock in one round trip); `write` begins it, taking the lock,
    if it has not begun. What began commits when the block ends."""

    def __init__(self, db: Database, held: HeldConnection | None) -> None:
        self._db = db
        self._held = held
        self._lock: int | None = None
        self.begun = False

    async def serialize(self, key: str) -> None:
        """Wait until no other transaction holding `key` is open, and hold it until this one
        ends (PostgreSQL: a transaction-level advisory lock, so the processes sharing the
        database take turns; SQLite serves one process, which takes turns by itself)."""
        if self._held is None:
            return
        lock = advisory_lock_id(key)
        if self.begun:
            await self._send(f"SELECT pg_advisory_xact_lock({lock})")
        else:  # taken with BEGIN, before the first piece
            self._lock = lock

    @property
    def _within(self) -> bool:
        """Whether the next piece runs in the transaction block (begun, or begins with it)."""
        return self.begun or self._lock is not None

    async def run(self, work: Callable[[Connection], T]) -> T:
        """Run `work(connection)`: in the transaction if it began (or `serialize` came first),
        alone otherwise (on SQLite, always in a transaction of its own)."""
        if self._held is None:
            return await self._db.run(work)
        if self._within:
            await self.begin()
        with _unavailable_raised():
            return await self._held.connection.run_sync(work)

    async def write(self, work: Callable[[Connection], T], *, key: str) -> T:
        """Run `work(connection)` in the transaction, beginning it (and taking `key`'s lock,
        as `serialize` does) if it has not begun."""
        if self._held is None:  # SQLite: committed with the updates handled alongside
            return await self._db.write_grouped(work)
        if not self._within:
            await self.serialize(key)
        return await self.run(work)

    async def fetch(self, statement: Prepared, values: dict[str, Any]) -> Executed:
        """Run one `Prepared` statement as `run` runs work: on PostgreSQL on the driver's
        connection itself, without SQLAlchemy's greenlet."""
        if self._held is None:
            return self._db.fetch_alone(statement, values)
        if self._within:
            await self.begin()
        held = self._held
        with _unavailable_raised():
            return await statement.run_on_driver(
                held.connection.dialect, held.driver, held.adapter, values
            )

    async def begin(self) -> None:
        """Begin the transaction block now (with the lock of `serialize`, if it came first)."""
        if not self.begun:
            self.begun = True  # from here, a failure ends in ROLLBACK
            lock, self._lock = self._lock, None
            await self._send(
                "BEGIN" if lock is None else f"BEGIN; SELECT pg_advisory_xact_lock({lock})"
            )

    async def end(self, command: str) -> None:
        """COMMIT or ROLLBACK, if anything began."""
        if self.begun:
            await self._send(command)

    async def _send(self, command: str) -> None:
        assert self._held is not None
        with _unavailable_raised():
            await self._held.send(command)


class Database:
    """SQLite (a file) or PostgreSQL (an asyncpg pool), behind one interface."""

    def __init__(self, url: str, *, busy_timeout: float = _SQLITE_BUSY_SECONDS) -> None:
        """`busy_timeout`: on SQLite, the seconds a statement waits for another process's
        write lock before failing (DatabaseUnavailable)."""
        self.url = url
        self._sync: Engine | None = None
        self._held: Connection | None = None
        self._async: AsyncEngine | None = None
        if url.startswith("sqlite"):
            # The driver opens BEGIN IMMEDIATE before a transaction's first write, so another
            # process writing the same file makes us wait instead of failing halfway.
            self._sync = create_engine(
                url,
                connect_args={"timeout": busy_timeout, "isolation_level": "IMMEDIATE"},
                pool_size=1,
                max_overflow=0,
                pool_reset_on_return=None,
                json_serializer=_json_text,
                json_deserializer=orjson.loads,
            )
            event.listen(self._sync, "connect", _sqlite_pragmas)
        else:
            # A pool sized to the webhook's concurrency, without a ping before each checkout
            # (a BEGIN/ROLLBACK round trip per update). Transactions take their connections
            # through `Held` (db/held.py): a connection found dead fails its transaction once
            # (DatabaseUnavailable: the platform delivers the update again) and the idle ones
            # are dropped with it.
            self._async = create_async_engine(
                url,
                pool_pre_ping=False,
                pool_size=20,
                max_overflow=_POOL_MAX - 20 + _ASIDE,
                pool_recycle=_RECYCLE_SECONDS,
                json_serializer=_json_text,
                json_deserializer=orjson.loads,
            )
        self._connections = (
            None
            if self._async is None
            else Held(self._async, size=_POOL_MAX, recycle=_RECYCLE_SECONDS)
        )
        self._transactions = asyncio.Semaphore(_LONG_TRANSACTIONS)
        self._grouped: list[tuple[Callable[[Connection], Any], asyncio.Future[Any]]] = []

    def _sqlite_connection(self) -> Connection:
        """The one SQLite connection, kept open: checking it out of the pool and back for
        every transaction cost as much as a transaction's own statements."""
        assert self._sync is not None
        held = self._held
        if held is None or held.closed or held.invalidated:
            held = self._held = self._sync.connect()
        return held

    def fetch_alone(self, statement: Prepared, values: dict[str, Any]) -> Executed:
        """SQLite: run one `Prepared` statement by itself, past SQLAlchemy's transaction (a
        read then costs only itself; a write commits at once)."""
        connection = self._sqlite_connection()
        driver = connection.connection.dbapi_connection
        assert driver is not None
        with _unavailable_raised():
            try:
                executed = statement.run(connection, values)
            except BaseException:
                if driver.in_transaction:
                    driver.rollback()
                raise
            if driver.in_transaction:  # a write: the driver began a transaction for it
                driver.commit()
        return executed

    @property
    def async_engine(self) -> AsyncEngine | None:
        """The PostgreSQL engine (None on SQLite)."""
        return self._async

    @property
    def dialect(self) -> str:
        """`sqlite` or `postgresql`."""
        return "sqlite" if self._sync is not None else "postgresql"

    async def run(self, work: Callable[[Connection], T], *, one_statement: bool = False) -> T:
        """Run `work(connection)` in one transaction and return its result; raise
        DatabaseUnavailable when the database cannot be reached or cannot write.
        `one_statement`: `work` runs a single statement, atomic by itself (on PostgreSQL,
        without BEGIN and COMMIT)."""
        with _unavailable_raised():
            if self._sync is not None:
                held = self._sqlite_connection()
                with held.begin():
                    return work(held)
            async with self._pg_transaction() as transaction:
                if not one_statement:
                    await transaction.begin()
                return await transaction.run(work)

    async def write_grouped(
        self, work: Callable[[Connection], T], *, one_statement: bool = False
    ) -> T:
        """A write on an update's path (its state and record, its queued replies' claim and
        outcome, the mark that its answer went out), as `run` runs it (`one_statement` too).
        On SQLite, committed with the other writes asked for in the same turn of the event
        loop (group commit): when the loop next turns, one transaction runs them one after the
        other, and each writer then gets its result or its error; no transaction stays open
        across an await. `work` may run more than once: when another write of its group
        raises, the group rolls back and runs again without that one (nothing of a rolled-back
        run is kept). A commit per write (its BEGIN IMMEDIATE, WAL append and locks) was
        SQLite's largest cost per update (`bench/webhook.py`); a savepoint per write, to undo
        one alone, cost more than it saved."""
        if self._sync is None:
            return await self.run(work, one_statement=one_statement)
        loop = asyncio.get_running_loop()
        done: asyncio.Future[T] = loop.create_future()
        if not self._grouped:
            loop.call_soon(self._write_grouped)
        self._grouped.append((work, done))
        return await asyncio.shield(done)

    def _write_grouped(self) -> None:
        grouped, self._grouped = self._grouped, []
        try:
            with _unavailable_raised():
                results, failures = self._write_together([work for work, _ in grouped])
        except BaseException as exc:  # nothing of the group was kept
            failure = (
                exc
                if isinstance(exc, DatabaseUnavailable)
                else DatabaseUnavailable(f"{type(exc).__name__}: {exc}")
            )
            for _, done in grouped:
                if not done.done():
                    done.set_exception(failure)
            if not isinstance(exc, Exception):
                raise
            return
        for i, (_, done) in enumerate(grouped):
            if done.done():
                continue
            if i in failures:
                done.set_exception(failures[i])
            else:
                done.set_result(results[i])

    def _write_together(
        self, works: list[Callable[[Connection], Any]]
    ) -> tuple[dict[int, Any], dict[int, Exception]]:
        """Run `works` in one SQLite transaction, in order: (results, errors) by position. A
        work that raises is left out and the transaction runs again without it; a failure that
        means the database cannot write raises, nothing kept."""
        held = self._sqlite_connection()
        driver = held.connection.dbapi_connection
        assert driver is not None
        failures: dict[int, Exception] = {}
        while True:
            results: dict[int, Any] = {}
            at = -1
            transaction = held.begin()
            try:
                driver.execute("BEGIN IMMEDIATE")  # the write lock first, as every write
                for at, work in enumerate(works):
                    if at not in failures:
                        results[at] = work(held)
            except Exception as exc:
                transaction.rollback()
                if at < 0 or at in failures or _is_unavailable(exc):
                    raise
                failures[at] = exc
                continue
            except BaseException:
                transaction.rollback()
                raise
            try:
                transaction.commit()
            except BaseException:
                with suppress(Exception):
                    transaction.rollback()
                raise
            return results, failures

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """Several pieces of work with awaits between them (`Transaction`): what began
        commits when the block ends and rolls back when it raises. PostgreSQL: one pooled
        connection, each piece a round trip. SQLite: each piece is its own transaction, as
        with `run` (holding the file's one connection across awaits would stall every other
        update)."""
        if self._async is None:
            yield Transaction(self, None)
            return
        with _unavailable_raised():
            async with self._transactions, self._pg_transaction() as transaction:
                yield transaction

    @asynccontextmanager
    async def _pg_transaction(self) -> AsyncIterator[Transaction]:
        """A `Transaction` on a held connection (`db/held.py`): what began commits when the
        block ends, or rolls back when it raises. A connection is dropped when it could not
        roll back, or is found closed after a piece run alone failed (with no transaction to
        roll back, nothing else would find it broken)."""
        assert self._connections is not None
        held = await self._connections.take()
        transaction = Transaction(self, held)
        usable = False
        try:
            try:
                yield transaction
            except DatabaseUnavailable as exc:
                # a connection opened while the database was read-only keeps that default
                # after it is writable again: dropped, so the next one opens afresh
                fresh_needed = _read_only(exc)
                if not transaction.begun:
                    usable = not held.driver.is_closed() and not fresh_needed
                    raise
                with suppress(Exception):
                    await transaction.end("ROLLBACK")
                    usable = not fresh_needed
                raise
            except BaseException:
                with suppress(Exception):
                    await transaction.end("ROLLBACK")
                    usable = True
                raise
            await transaction.end("COMMIT")
            usable = True
        finally:
            await self._connections.give_back(held, usable=usable)

    async def ping(self) -> None:
        """Raise when the database does not answer a trivial query."""
        await self.run(lambda connection: connection.execute(text("SELECT 1")).scalar_one())

    async def check_write(self, now: datetime) -> None:
        """Raise DatabaseUnavailable unless a write commits (the health check's question)."""
        await self.run(partial(repo.heartbeat, now=now))

    async def upgrade(self) -> str | None:
        """Create or upgrade the schema to the latest migration; return the revision."""
        if self._sync is not None:
            held = self._sqlite_connection()
            with held.begin():
                # Take the write lock first: processes starting together (serve --workers N)
                # then migrate one after the other instead of creating the same tables twice.
                held.exec_driver_sql("BEGIN IMMEDIATE")
                return _upgrade(held)
        assert self._async is not None
        async with self._async.begin() as connection:
            await connection.execute(
                text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK}
            )
            return await connection.run_sync(_upgrade)

    async def dispose(self) -> None:
        """Close every connection."""
        if self._held is not None:
            self._held.close()
            self._held = None
        if self._sync is not None:
            self._sync.dispose()
        if self._connections is not None:
            await self._connections.close()
        if self._async is not None:
            await self._async.dispose()


def _json_text(value: Any) -> str:
    """A JSON column's text, by orjson (the standard library's encoder showed in the
    webhook's profile); keys that are not strings become strings, as `json.dumps` made them."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("db").joinpath("migrations")))
    return config


@cache
def _head() -> str | None:
    """The latest migration's revision (reading the migration scripts once per process)."""
    return ScriptDirectory.from_config(_config()).get_current_head()


def _upgrade(connection: Connection) -> str | None:
    current = MigrationContext.configure(connection).get_current_revision()
    if current is not None and current == _head():
        return current  # already at head: no need to load every migration again
    config = _config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
    return MigrationContext.configure(connection).get_current_revision()
