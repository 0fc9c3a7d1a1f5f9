"""Which scoring sheet applies to a product set: an imported official one, else a bundled one."""

from __future__ import annotations

from functools import partial
from typing import Any

from db import repo
from db.session import Database
from knowledge.criteria import Sheet, bundled_sheets

_parsed: dict[str, Sheet] = {}
"""Imported sheets already parsed, by key (a key names one exact content: never stale)."""


def _parse(key: str, body: dict[str, Any]) -> Sheet:
    if key not in _parsed:
        _parsed[key] = Sheet.from_dict(body)
    return _parsed[key]


async def sheet_for_set(db: Database | None, set_code: str) -> Sheet | None:
    """The sheet in force for a product set, if any (without a database: the bundled one)."""
    imported = (
        None if db is None else await db.run(partial(repo.current_sheet_body, set_code=set_code))
    )
    if imported is not None:
        return _parse(*imported)
    return bundled_sheets().get(set_code)


async def sheet_by_key(db: Database | None, key: str) -> Sheet | None:
    """The exact sheet an assessment was made with, even if it was replaced since."""
    for sheet in bundled_sheets().values():
        if sheet.key == key:
            return sheet
    if key in _parsed:
        return _parsed[key]
    body = None if db is None else await db.run(partial(repo.sheet_body, key=key))
    return None if body is None else _parse(key, body)
