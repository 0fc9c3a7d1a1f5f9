"""Statements of the per-update path, compiled once and run on the driver's own cursor.

Running a compiled statement through SQLAlchemy (execution context, parameter and result
objects) costs several times what SQLite takes to run it: measured with `bench/webhook.py`,
SQLAlchemy's execution was a fifth of the webhook's CPU. A `Prepared` statement is compiled by
SQLAlchemy once per dialect and set of given columns, with its types' converters, then runs as
`cursor.execute(sql, values)` in the caller's transaction; on PostgreSQL, in a transaction of
`db/held.py`, on the asyncpg connection itself, which keeps it prepared. Errors are raised as
SQLAlchemy raises them (`IntegrityError`, `OperationalError`). Only for statements that
need nothing filled in at execution: every column an INSERT writes is given, and there is no
expanding IN.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Connection, Dialect
from sqlalchemy import exc as sa_exc
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement
from sqlalchemy.types import TypeEngine
from sqlalchemy.util import await_only

from db.held import translated

_Converter = Callable[[Any], Any] | None


@dataclass(frozen=True, slots=True)
class Executed:
    """What a statement returned: its rows (converted) and the rows it changed."""

    rows: list[tuple[Any, ...]]
    rowcount: int


@dataclass(slots=True)
class _Compiled:
    sql: str
    parameters: list[tuple[str, Any, _Converter]]
    """Per placeholder: the given value's name ("" for a constant), the constant, converter."""
    columns: list[TypeEngine[Any]]
    """The types of the columns the statement returns."""
    results: list[_Converter] | None = None
    """Per returned column, its converter: made at the first run from the cursor's
    description, since a driver may need the column's database type (asyncpg's floats)."""


class Prepared:
    """A Core statement (or one per dialect name, from `build`) run without SQLAlchemy's
    execution."""

    def __init__(self, build: ClauseElement | Callable[[str], ClauseElement]) -> None:
        self._build = build
        self._compiled: dict[tuple[str, frozenset[str]], _Compiled] = {}

    def run(self, connection: Connection, values: dict[str, Any]) -> Executed:
        """Run with these values (by bind or column name) in `connection`'s transaction."""
        key = (connection.dialect.name, frozenset(values))
        compiled = self._compiled.get(key) or self._compile(connection.dialect, values)
        parameters = [
            constant if not name else convert(values[name]) if convert else values[name]
            for name, constant, convert in compiled.parameters
        ]
        if connection.dialect.driver == "asyncpg" and _autocommit(connection):
            rows, rowcount, description = _run_asyncpg(connection, compiled, parameters)
        else:
            rows, rowcount, description = _run_cursor(connection, compiled.sql, parameters)
        results = compiled.results
        if results is None and description:
            results = compiled.results = _result_converters(
                connection.dialect, compiled.columns, description
            )
        if results and any(results):
            rows = [_converted(row, results) for row in rows]
        return Executed([tuple(row) for row in rows], rowcount)

    def _compile(self, dialect: Dialect, values: dict[str, Any]) -> _Compiled:
        build = self._build
        statement = build if isinstance(build, ClauseElement) else build(dialect.name)
        compiled = cast(SQLCompiler, statement.compile(dialect=dialect, column_keys=list(values)))
        if compiled.positiontup is None:
            raise ValueError(f"{dialect.name}: only positional parameter styles are prepared")
        missing = [c.key for c in (*compiled.insert_prefetch, *compiled.update_prefetch)]
        if missing:
            raise ValueError(f"prepared statements are given every column; missing {missing}")
        constants = compiled.construct_params(dict.fromkeys(values))
        parameters: list[tuple[str, Any, _Converter]] = []
        for name in compiled.positiontup:
            convert = compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
            if name in values:
                parameters.append((name, None, convert))
            else:  # a constant of the statement ("closed", a LIMIT)
                constant = constants[name]
                parameters.append(("", convert(constant) if convert else constant, None))
        # A SELECT's columns, or what an INSERT, UPDATE or DELETE returns (RETURNING).
        columns = [c.type for c in getattr(statement, "exported_columns", ())]
        prepared = _Compiled(compiled.string, parameters, columns)
        self._compiled[(dialect.name, frozenset(values))] = prepared
        return prepared


def _autocommit(connection: Connection) -> bool:
    return bool(getattr(connection.connection.dbapi_connection, "autocommit", False))


def _run_cursor(
    connection: Connection, sql: str, parameters: list[Any]
) -> tuple[Sequence[Any], int, Sequence[Sequence[Any]] | None]:
    """Run on the DB-API cursor: rows, rowcount, the cursor's description."""
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return rows, cursor.rowcount, description
    except connection.dialect.loaded_dbapi.Error as exc:
        raise sa_exc.DBAPIError.instance(
            sql, parameters, exc, connection.dialect.loaded_dbapi.Error
        ) from exc
    finally:
        cursor.close()


def _run_asyncpg(
    connection: Connection, compiled: _Compiled, parameters: list[Any]
) -> tuple[Sequence[Any], int, Sequence[Sequence[Any]] | None]:
    """Run on the asyncpg connection itself, past SQLAlchemy's DB-API adapter (its cursor
    emulation cost more than the statement: `bench/webhook.py`), in the caller's greenlet.
    Only on a connection whose transaction the caller began itself (`db/held.py`: autocommit
    as SQLAlchemy sees it), since the adapter's lazy BEGIN is skipped.
    asyncpg keeps the statement prepared (its statement cache). The description, needed once
    for the result converters, comes from preparing the statement at the first run."""
    adapter = connection.connection.dbapi_connection
    driver = connection.connection.driver_connection
    assert driver is not None
    try:
        if not compiled.columns:  # nothing returned: the status line gives the rowcount
            status = await_only(driver.execute(compiled.sql, *parameters))
            count = status.rpartition(" ")[2]
            return [], int(count) if count.isdigit() else -1, None
        rows = await_only(driver.fetch(compiled.sql, *parameters))
        description = None
        if compiled.results is None:
            attributes = await_only(driver.prepare(compiled.sql)).get_attributes()
            description = [(attribute.name, attribute.type.oid) for attribute in attributes]
        return rows, len(rows), description
    except Exception as exc:
        raise translated(adapter, connection.dialect, compiled.sql, exc) from exc


def _result_converters(
    dialect: Dialect, columns: list[TypeEngine[Any]], description: Sequence[Sequence[Any]]
) -> list[_Converter]:
    """Each returned column's converter, for the database type the cursor describes."""
    return [
        column.dialect_impl(dialect).result_processor(dialect, described[1])
        for column, described in zip(columns, description, strict=True)
    ]


def _converted(row: Sequence[Any], converters: list[_Converter]) -> tuple[Any, ...]:
    return tuple(
        convert(value) if convert else value
        for value, convert in zip(row, converters, strict=True)
    )
