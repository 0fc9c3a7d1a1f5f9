"""Sheet lookups live in `db.repo.sheets`; handlers reach them through `ctx.read`."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from uuid import uuid4

from bot.context import Context, State
from bot.settings import Settings
from db import repo
from db.session import Database
from handlers.sheets import sheet_by_key
from knowledge.criteria import Sheet, bundled_sheets
from tests.sheets import tiny

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


def _context(settings: Settings, db: Database | None) -> Context:
    user = repo.new_user(platform="telegram", external_id="1", chat_id="1", locale="vi", now=NOW)
    return Context(user, State(), settings, NOW, db=db)


async def test_a_handler_reads_a_replaced_imported_sheet_through_its_context(
    settings: Settings, database_url: str
) -> None:
    db = Database(database_url)
    await db.upgrade()
    # sources no earlier test used: their keys are new to the cache of parsed sheets
    first, second = (tiny(source=f"Signed sheet {n}, {uuid4()}") for n in (1, 2))
    for document in (first, second):
        sheet = Sheet.from_dict(document)
        await db.run(
            partial(
                repo.store_sheet,
                key=sheet.key,
                set_code=sheet.set_code,
                edition=sheet.edition.code,
                body=document,
                now=NOW,
            )
        )
    ctx = _context(settings, db)
    try:
        replaced = await sheet_by_key(ctx, Sheet.from_dict(first).key)
        in_force = await ctx.read(partial(repo.sheet_for_set, set_code=first["set"]))
    finally:
        await db.dispose()
    assert replaced is not None and replaced.source == first["source"]
    assert in_force is not None and in_force.source == second["source"]


async def test_a_bundled_sheet_by_key_costs_no_query(settings: Settings) -> None:
    bundled = bundled_sheets()["26-mat-ong-mat-khac"]
    # no database: a query would fail the context's assertion
    assert await sheet_by_key(_context(settings, None), bundled.key) is bundled
