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
from typing import Any, Protocol, cast

from sqlalchemy import Connection, Dialect
from sqlalchemy import exc as sa_exc
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement
from sqlalchemy.types import TypeEngine
from sqlalchemy.util import await_only

from db.held import translated

_Converter = Callable[[Any], Any] | None


class Fetches(Protocol):
    """What runs a `Prepared` statement in a transaction of its own choosing
    (`db.session.Transaction.fetch`)."""

    async def fetch(self, statement: Prepared, values: dict[str, Any]) -> Executed: ...


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
    results: list[tuple[int, Callable[[Any], Any]]] | None = None
    """The returned columns that need converting, by position, with their converters: made
    at the first run from the cursor's description, since a driver may need the column's
    database type (asyncpg's floats)."""


class Prepared:
    """A Core statement (or one per dialect name, from `build`) run without SQLAlchemy's
    execution."""

    def __init__(self, build: ClauseElement | Callable[[str], ClauseElement]) -> None:
        self._build = build
        self._compiled: dict[tuple[str, frozenset[str]], _Compiled] = {}

    def run(self, connection: Connection, values: dict[str, Any]) -> Executed:
        """Run with these values (by bind or column name) in `connection`'s transaction."""
        dialect = connection.dialect
        if dialect.driver == "asyncpg" and _autocommit(connection):
            fairy = connection.connection
            return await_only(
                self.run_on_driver(
                    dialect, fairy.driver_connection, fairy.dbapi_connection, values
                )
            )
        compiled = self._compiled.get((dialect.name, frozenset(values))) or self._compile(
            dialect, values
        )
        parameters = _parameters(compiled, values)
        cursor = connection.connection.cursor()
        try:
            cursor.execute(compiled.sql, parameters)
            description = cursor.description
            rows = cursor.fetchall() if description else []
            rowcount = cursor.rowcount
        except dialect.loaded_dbapi.Error as exc:
            raise sa_exc.DBAPIError.instance(
                compiled.sql, parameters, exc, dialect.loaded_dbapi.Error
            ) from exc
        finally:
            cursor.close()
        return _executed(dialect, compiled, rows, rowcount, description)

    async def run_on_driver(
        self, dialect: Dialect, driver: Any, adapter: Any, values: dict[str, Any]
    ) -> Executed:
        """Run on an asyncpg connection itself, past SQLAlchemy's DB-API adapter (its cursor
        emulation cost more than the statement: `bench/webhook.py`), in the transaction the
        caller began on it (`db/held.py`). `adapter` is SQLAlchemy's adapter of `driver`
        (errors are raised as SQLAlchemy raises them). asyncpg keeps the statement prepared
        (its statement cache); the description, needed once for the result converters, comes
        from preparing the statement at the first run."""
        compiled = self._compiled.get((dialect.name, frozenset(values))) or self._compile(
            dialect, values
        )
        parameters = _parameters(compiled, values)
        description = None
        try:
            if not compiled.columns:  # nothing returned: the status line gives the rowcount
                status = await driver.execute(compiled.sql, *parameters)
                count = status.rpartition(" ")[2]
                return Executed([], int(count) if count.isdigit() else -1)
            rows = await driver.fetch(compiled.sql, *parameters)
            if compiled.results is None:
                attributes = (await driver.prepare(compiled.sql)).get_attributes()
                description = [(attribute.name, attribute.type.oid) for attribute in attributes]
        except Exception as exc:
            raise translated(adapter, dialect, compiled.sql, exc) from exc
        return _executed(dialect, compiled, rows, len(rows), description)

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


def _parameters(compiled: _Compiled, values: dict[str, Any]) -> list[Any]:
    """The statement's parameters in order: the given values converted, and its constants."""
    return [
        constant if not name else convert(values[name]) if convert else values[name]
        for name, constant, convert in compiled.parameters
    ]


def _executed(
    dialect: Dialect,
    compiled: _Compiled,
    rows: Sequence[Any],
    rowcount: int,
    description: Sequence[Sequence[Any]] | None,
) -> Executed:
    """The rows converted (the converters made from `description` at the first run)."""
    results = compiled.results
    if results is None and description:
        results = compiled.results = _result_converters(dialect, compiled.columns, description)
    if results:
        return Executed([_converted(row, results) for row in rows], rowcount)
    return Executed([tuple(row) for row in rows], rowcount)


def _result_converters(
    dialect: Dialect, columns: list[TypeEngine[Any]], description: Sequence[Sequence[Any]]
) -> list[tuple[int, Callable[[Any], Any]]]:
    """The returned columns that need converting, for the database types the cursor
    describes: (position, converter)."""
    converters = [
        column.dialect_impl(dialect).result_processor(dialect, described[1])
        for column, described in zip(columns, description, strict=True)
    ]
    return [(i, convert) for i, convert in enumerate(converters) if convert is not None]


def _converted(
    row: Sequence[Any], converters: list[tuple[int, Callable[[Any], Any]]]
) -> tuple[Any, ...]:
    values = list(row)
    for i, convert in converters:
        values[i] = convert(values[i])
    return tuple(values)
