"""SQLite's group commit (`Database.write_grouped`): the writes asked for in one turn of the
event loop share one transaction; one that raises is left out and the rest run again. These
run on a SQLite file whatever TEST_DATABASE_URL says: on PostgreSQL each write is its own
transaction."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Connection, select

from bot.dispatch import Dispatcher
from bot.settings import Settings
from db import repo
from db.models import ProcessedUpdate
from db.session import Database, DatabaseUnavailable
from tests.conftest import console_msg

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.fixture
async def sqlite_db(tmp_path: Path, migrated_sqlite: Path) -> AsyncIterator[Database]:
    shutil.copyfile(migrated_sqlite, tmp_path / "group.db")
    db = Database(f"sqlite:///{tmp_path}/group.db")
    yield db
    await db.dispose()


def _begun(db: Database) -> list[str]:
    """The transactions the database's connection begins from now on (SQLite's trace)."""
    begun: list[str] = []
    driver = db._sqlite_connection().connection.dbapi_connection
    assert driver is not None
    driver.set_trace_callback(lambda sql: begun.append(sql) if sql.startswith("BEGIN") else None)
    return begun


def _record(update_id: str, *, fail: bool = False) -> Callable[[Connection], str]:
    def work(connection: Connection) -> str:
        repo.record_update(
            connection,
            platform="console",
            update_id=update_id,
            chat_id="c",
            replies=[],
            sent_at=None,
            now=NOW,
        )
        if fail:
            raise ValueError(f"{update_id} failed after writing")
        return update_id

    return work


def _recorded(connection: Connection) -> list[str]:
    return sorted(connection.execute(select(ProcessedUpdate.update_id)).scalars())


async def test_updates_handled_in_one_turn_share_one_commit(
    sqlite_db: Database, settings: Settings
) -> None:
    dispatcher = Dispatcher(sqlite_db, settings)
    begun = _begun(sqlite_db)
    outcomes = await asyncio.gather(
        *(
            dispatcher.process(console_msg("/menu", user=f"u{i}", update_id=str(i)))
            for i in range(8)
        )
    )
    assert all(outcome.replies for outcome in outcomes)
    assert await sqlite_db.run(_recorded) == sorted(str(i) for i in range(8))
    assert begun == ["BEGIN IMMEDIATE"]  # one transaction for the eight updates' writes


async def test_a_write_that_raises_undoes_only_itself(sqlite_db: Database) -> None:
    begun = _begun(sqlite_db)
    first, failed, third = await asyncio.gather(
        sqlite_db.write_grouped(_record("1")),
        sqlite_db.write_grouped(_record("2", fail=True)),
        sqlite_db.write_grouped(_record("3")),
        return_exceptions=True,
    )
    assert (first, third) == ("1", "3")
    assert isinstance(failed, ValueError)
    assert await sqlite_db.run(_recorded) == ["1", "3"]
    assert begun == ["BEGIN IMMEDIATE", "BEGIN IMMEDIATE"]  # rolled back, then run without it


async def test_a_redelivery_in_the_group_of_its_first_delivery_is_told_apart(
    sqlite_db: Database, settings: Settings
) -> None:
    """Two users' updates and a repeated update id in one group: the repeat's record fails
    (handled before), the others commit."""
    dispatcher = Dispatcher(sqlite_db, settings)
    await dispatcher.process(console_msg("/menu", user="a", update_id="7"))
    again, other = await asyncio.gather(
        dispatcher.process(console_msg("/menu", user="a", update_id="7")),
        dispatcher.process(console_msg("/menu", user="b", update_id="8")),
    )
    assert again.duplicate
    assert not other.duplicate and other.replies
    assert await sqlite_db.run(_recorded) == ["7", "8"]


async def test_a_group_that_cannot_write_fails_every_write_and_keeps_nothing(
    sqlite_db: Database,
) -> None:
    await sqlite_db.run(lambda connection: connection.exec_driver_sql("PRAGMA query_only=ON"))
    results = await asyncio.gather(
        *(sqlite_db.write_grouped(_record(str(i))) for i in range(3)),
        return_exceptions=True,
    )
    assert all(isinstance(r, DatabaseUnavailable) for r in results), results
    await sqlite_db.run(lambda connection: connection.exec_driver_sql("PRAGMA query_only=OFF"))
    assert await sqlite_db.run(_recorded) == []


async def test_a_group_whose_file_cannot_be_opened_fails_every_write(
    sqlite_db: Database, tmp_path: Path
) -> None:
    await sqlite_db.dispose()
    (tmp_path / "group.db").rename(tmp_path / "moved.db")
    (tmp_path / "group.db").mkdir()  # a directory where the file was: it cannot open
    results = await asyncio.gather(
        *(sqlite_db.write_grouped(_record(str(i))) for i in range(3)),
        return_exceptions=True,
    )
    assert all(isinstance(r, DatabaseUnavailable) for r in results), results


async def test_a_write_asked_for_later_commits_in_a_group_of_its_own(
    sqlite_db: Database,
) -> None:
    begun = _begun(sqlite_db)
    assert await sqlite_db.write_grouped(_record("1")) == "1"
    assert await sqlite_db.write_grouped(_record("2")) == "2"
    assert await sqlite_db.run(_recorded) == ["1", "2"]
    assert begun == ["BEGIN IMMEDIATE", "BEGIN IMMEDIATE"]
