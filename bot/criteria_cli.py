"""`ocop-bot criteria check|import|export|sets`."""

from __future__ import annotations

import argparse
import sys
from functools import partial
from pathlib import Path

from bot.settings import Settings
from bot.sheet_files import TableError, read_table, table_csv
from db import repo
from db.models import utcnow
from db.session import Database
from knowledge.criteria import (
    Sheet,
    bundled_documents,
    bundled_sheets,
    check_bundled,
    check_sheet,
    product_sets,
)
from knowledge.criteria.table import rows_to_sheet, sheet_to_rows


async def run(settings: Settings, args: argparse.Namespace) -> int:
    """Run one criteria command; exit code 1 when a sheet or file has problems."""
    if args.criteria_command == "sets":
        for item in product_sets().values():
            has_sheet = " (sheet bundled)" if item.code in bundled_sheets() else ""
            sys.stdout.write(f"{item.code}\t{item.edition}\t{item.name}{has_sheet}\n")
        return 0
    db = Database(settings.DATABASE_URL)
    try:
        await db.upgrade()
        if args.criteria_command == "check":
            return await _check(db)
        if args.criteria_command == "import":
            return await _import(db, Path(args.file))
        return await _export(db, args.set)
    finally:
        await db.dispose()


async def _check(db: Database) -> int:
    failed = 0
    for name, problems in check_bundled().items():
        failed += _report(f"knowledge/criteria/sheets/{name}", problems)
    for code in sorted(await db.run(repo.imported_set_codes)):
        current = await db.run(partial(repo.current_sheet_body, set_code=code))
        if current is not None:
            failed += _report(f"imported {code} ({current[0]})", check_sheet(current[1]))
    return 1 if failed else 0


def _report(name: str, problems: list[str]) -> int:
    if not problems:
        sys.stdout.write(f"ok\t{name}\n")
        return 0
    for problem in problems:
        sys.stdout.write(f"ERROR\t{name}: {problem}\n")
    return 1


async def _import(db: Database, path: Path) -> int:
    try:
        rows = read_table(path)
    except TableError as exc:
        sys.stderr.write(f"ocop-bot: {exc}\n")
        return 1
    document, problems = rows_to_sheet(rows)
    if document is None:
        for problem in problems:
            sys.stderr.write(f"{path}: {problem}\n")
        sys.stderr.write(f"{path}: nothing imported\n")
        return 1
    sheet = Sheet.from_dict(document)
    changed = await db.run(
        partial(
            repo.store_sheet,
            key=sheet.key,
            set_code=sheet.set_code,
            edition=sheet.edition.code,
            body=document,
            now=utcnow(),
        )
    )
    verb = "imported" if changed else "unchanged (already in force)"
    sys.stdout.write(
        f"{verb}: {sheet.set_code} under {sheet.edition.decision}, "
        f"{len(sheet.criteria)} criteria, "
        f"key {sheet.key}\n"
    )
    return 0


async def _export(db: Database, set_code: str) -> int:
    if set_code not in product_sets():
        sys.stderr.write(f"ocop-bot: unknown product set {set_code!r}\n")
        return 1
    if await db.run(partial(repo.sheet_for_set, set_code=set_code)) is None:
        sys.stderr.write(f"ocop-bot: no sheet for {set_code} yet\n")
        return 1
    current = await db.run(partial(repo.current_sheet_body, set_code=set_code))
    document = current[1] if current is not None else bundled_documents()[set_code]
    sys.stdout.write(table_csv(sheet_to_rows(document)))
    return 0
