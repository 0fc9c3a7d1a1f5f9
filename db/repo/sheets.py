"""Criteria sheets: which one applies to a product set (an official one imported by an office,
else the bundled one), the exact one an assessment was made with (archived copies of bundled
ones included), and users waiting for a set's sheet."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from db.models import CriteriaSheet, SheetWait
from db.prepared import Prepared
from knowledge.criteria import Sheet, bundled_sheets

_sheets = cast(Table, CriteriaSheet.__table__)
_waits = cast(Table, SheetWait.__table__)

_parsed: dict[str, Sheet] = {}
"""Imported sheets already parsed, by key (a key names one exact content: never stale)."""


def _parse(key: str, body: dict[str, Any]) -> Sheet:
    if key not in _parsed:
        _parsed[key] = Sheet.from_dict(body)
    return _parsed[key]


def sheet_for_set(connection: Connection, *, set_code: str) -> Sheet | None:
    """The sheet in force for a product set, if any: the imported one, else the bundled one."""
    imported = current_sheet_body(connection, set_code=set_code)
    if imported is not None:
        return _parse(*imported)
    return bundled_sheets().get(set_code)


def known_sheet(key: str) -> Sheet | None:
    """A sheet by key without a query: a bundled one, or an imported one parsed before."""
    for sheet in bundled_sheets().values():
        if sheet.key == key:
            return sheet
    return _parsed.get(key)


def sheet_by_key(connection: Connection, *, key: str) -> Sheet | None:
    """The exact sheet an assessment was made with, even if it was replaced since."""
    known = known_sheet(key)
    if known is not None:
        return known
    body = sheet_body(connection, key=key)
    return None if body is None else _parse(key, body)


def current_sheet_body(
    connection: Connection, *, set_code: str
) -> tuple[str, dict[str, Any]] | None:
    """(key, body) of the imported sheet in force for a product set, if one was imported."""
    row = connection.execute(
        select(_sheets.c.key, _sheets.c.body)
        .where(_sheets.c.set_code == set_code, _sheets.c.replaced_at.is_(None))
        .order_by(_sheets.c.id.desc())
        .limit(1)
    ).one_or_none()
    return None if row is None else (row[0], dict(row[1]))


def sheet_body(connection: Connection, *, key: str) -> dict[str, Any] | None:
    """The body of an imported sheet by key, replaced or not."""
    body = connection.execute(
        select(_sheets.c.body).where(_sheets.c.key == key)
    ).scalar_one_or_none()
    return None if body is None else dict(body)


def archive_sheet(
    connection: Connection,
    *,
    key: str,
    set_code: str,
    edition: str,
    body: dict[str, Any],
    now: datetime,
) -> None:
    """Keep a copy of a bundled sheet an assessment is made with (never in force: it is stored
    as replaced), so the result stays readable after a release changes the bundled file."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    connection.execute(
        dialect.insert(_sheets)
        .values(
            key=key,
            set_code=set_code,
            edition=edition,
            body=body,
            imported_at=now,
            replaced_at=now,
        )
        .on_conflict_do_nothing(index_elements=["key"])
    )


def imported_set_codes(connection: Connection) -> set[str]:
    """Product sets that have an imported sheet in force."""
    return set(
        connection.execute(
            select(_sheets.c.set_code).where(_sheets.c.replaced_at.is_(None))
        ).scalars()
    )


def store_sheet(
    connection: Connection,
    *,
    key: str,
    set_code: str,
    edition: str,
    body: dict[str, Any],
    now: datetime,
) -> bool:
    """Make `body` the sheet in force for its set; False when that exact sheet already is."""
    current = current_sheet_body(connection, set_code=set_code)
    if current is not None and current[0] == key:
        return False
    connection.execute(
        update(_sheets)
        .where(_sheets.c.set_code == set_code, _sheets.c.replaced_at.is_(None))
        .values(replaced_at=now)
    )
    existing = connection.execute(select(_sheets.c.id).where(_sheets.c.key == key)).scalar()
    if existing is not None:  # an older import comes back into force
        connection.execute(
            update(_sheets).where(_sheets.c.id == existing).values(replaced_at=None)
        )
    else:
        connection.execute(
            insert(_sheets).values(
                key=key,
                set_code=set_code,
                edition=edition,
                body=body,
                imported_at=now,
            )
        )
    return True


def add_sheet_wait(connection: Connection, *, user_id: int, set_code: str, now: datetime) -> None:
    """Remember that the user wants to hear when a set's sheet is loaded (once per set)."""
    exists = connection.execute(
        select(_waits.c.user_id).where(_waits.c.user_id == user_id, _waits.c.set_code == set_code)
    ).first()
    if exists is None:
        connection.execute(
            insert(_waits).values(user_id=user_id, set_code=set_code, created_at=now)
        )


_OPEN_WAITS = Prepared(
    select(_waits.c.set_code).where(
        _waits.c.user_id == bindparam("user_id"), _waits.c.notified_at.is_(None)
    )
)


def open_sheet_waits(connection: Connection, *, user_id: int) -> list[str]:
    """Sets the user is still waiting for."""
    return [row[0] for row in _OPEN_WAITS.run(connection, {"user_id": user_id}).rows]


def close_sheet_waits(
    connection: Connection, *, user_id: int, set_codes: list[str], now: datetime
) -> None:
    """Note that the user was told these sets now have a sheet."""
    connection.execute(
        update(_waits)
        .where(_waits.c.user_id == user_id, _waits.c.set_code.in_(set_codes))
        .values(notified_at=now)
    )
