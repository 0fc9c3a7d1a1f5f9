"""The engine and sessions for DATABASE_URL, and the schema kept at the latest migration."""

from __future__ import annotations

from importlib import resources
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, event, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

_MIGRATION_LOCK = 7_242_025
"""PostgreSQL advisory lock id held while migrating, so workers starting together take turns."""


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """An async engine for the URL; SQLite gets WAL, one queued connection, immediate writes."""
    if url.startswith("sqlite"):
        # One connection: this process's transactions queue on the pool (cheap, fair) instead
        # of contending for SQLite's file lock. The driver opens BEGIN IMMEDIATE itself before
        # the first write, so a second process writing the same file waits rather than failing
        # mid-transaction; a read-then-write race between processes is caught by the
        # conversation's version column. No reset on return: every session ends its transaction.
        kwargs = {
            "pool_size": 1, "max_overflow": 0, "pool_timeout": 60, "pool_reset_on_return": None,
            **kwargs,
        }
        engine = create_async_engine(
            url, connect_args={"timeout": 30, "isolation_level": "IMMEDIATE"}, **kwargs
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions whose objects stay readable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("db").joinpath("migrations"))
    )
    return config


def _upgrade(connection: Connection) -> None:
    config = _alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


async def upgrade_schema(engine: AsyncEngine) -> None:
    """Create or upgrade the schema to the latest migration (safe to call at every start)."""
    async with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            await connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK})
        await connection.run_sync(_upgrade)


async def schema_revision(engine: AsyncEngine) -> str | None:
    """The migration the database is at, or None before the first one."""

    def _current(connection: Connection) -> str | None:
        from alembic.runtime.migration import MigrationContext

        return MigrationContext.configure(connection).get_current_revision()

    async with engine.connect() as connection:
        return await connection.run_sync(_current)
