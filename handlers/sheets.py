"""The exact sheet an assessment was made with, as handlers read it (`db.repo.sheets` finds it)."""

from __future__ import annotations

from functools import partial

from bot.context import Context
from db import repo
from knowledge.criteria import Sheet


async def sheet_by_key(ctx: Context, key: str) -> Sheet | None:
    """The sheet named by `key`, even if it was replaced since; a bundled sheet, or an imported
    one read before, costs no query (every answer of an assessment looks its sheet up)."""
    return repo.known_sheet(key) or await ctx.read(partial(repo.sheet_by_key, key=key))
