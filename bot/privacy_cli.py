"""`ocop-bot user export|delete PLATFORM:ID` (requests that reach the office by other channels),
`ocop-bot db prune` (every retention rule, inactive users included), `ocop-bot db backup PATH`."""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from functools import partial
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.retention import apply_retention
from bot.settings import Settings
from db import privacy, repo
from db.models import utcnow
from db.session import Database

PLATFORMS = ("telegram", "zalo", "console")


async def user_command(settings: Settings, args: argparse.Namespace) -> int:
    """Export or erase one user's data; exit 1 when they are unknown or --yes is missing."""
    platform, _, external_id = args.user.rpartition(":")
    if platform not in PLATFORMS or not external_id:
        sys.stderr.write(f"ocop-bot: give the user as PLATFORM:ID, PLATFORM one of {PLATFORMS}.\n")
        return 2
    db = Database(settings.DATABASE_URL)
    try:
        await db.upgrade()
        user_id = await db.run(partial(repo.find_user, platform=platform, external_id=external_id))
        if user_id is None:
            sys.stderr.write(f"ocop-bot: nothing is held about {platform} user {external_id}.\n")
            return 1
        if args.user_command == "export":
            held = await db.run(partial(privacy.export_user, user_id=user_id, now=utcnow()))
            text = json.dumps(held, ensure_ascii=False, indent=1) + "\n"
            if args.output:
                _write_private(Path(args.output), text.encode())
                sys.stdout.write(f"{platform}:{external_id}: written to {args.output}\n")
            else:
                sys.stdout.write(text)
            return 0
        if not args.yes:
            sys.stderr.write(
                f"ocop-bot: this erases everything about {platform}:{external_id} for good; "
                "run again with --yes to do it.\n"
            )
            return 1
        counts = await db.run(
            partial(privacy.erase_user, user_id=user_id, reason="officer", now=utcnow())
        )
        summary = ", ".join(f"{table} {n}" for table, n in sorted(counts.items()))
        sys.stdout.write(f"{platform}:{external_id}: erased ({summary})\n")
        return 0
    finally:
        await db.dispose()


async def prune(settings: Settings) -> int:
    """Apply every retention rule now and say what went."""
    db = Database(settings.DATABASE_URL)
    try:
        await db.upgrade()
        counts = await apply_retention(db, settings, utcnow(), inactive_users=True)
    finally:
        await db.dispose()
    sys.stdout.write(
        f"locations dropped: {counts['locations']}, sent replies emptied: "
        f"{counts['sent_replies']} (older than {settings.LOCATION_RETENTION_MINUTES} min)\n"
        f"handled updates pruned: {counts['processed_updates']}, settled messages pruned: "
        f"{counts['outbox']} (older than {settings.REPLY_RETENTION_DAYS} days)\n"
        f"inactive users erased: {counts['users']} (silent {settings.INACTIVE_USER_DAYS} days)\n"
    )
    return 0


def backup(settings: Settings, target: Path) -> int:
    """SQLite: a consistent copy through the online backup API, safe while the bot serves.
    PostgreSQL: print the pg_dump command (exit 1: nothing was copied)."""
    url = make_url(settings.DATABASE_URL)
    if url.get_backend_name() != "sqlite":
        plain = url.set(drivername="postgresql").render_as_string(hide_password=True)
        sys.stdout.write(
            "PostgreSQL: back up with pg_dump (the password from PGPASSWORD or ~/.pgpass):\n"
            f"  pg_dump --format=custom --file={target} '{plain}'\n"
            "Restore into an empty database with:\n"
            f"  pg_restore --no-owner --dbname='{plain}' {target}\n"
        )
        return 1
    source = Path(url.database or "")
    if not source.is_file():
        sys.stderr.write(f"ocop-bot: no database file at {source}.\n")
        return 1
    if target.exists():
        sys.stderr.write(f"ocop-bot: {target} exists; choose a new file name.\n")
        return 1
    with (
        sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src,
        sqlite3.connect(target) as dst,
    ):
        src.backup(dst)  # all pages in one step, under one read snapshot: consistent
        check = dst.execute("PRAGMA integrity_check").fetchone()[0]
    src.close()
    dst.close()
    target.chmod(0o600)
    sys.stdout.write(f"backed up {source} to {target} ({target.stat().st_size} bytes, {check})\n")
    return 0 if check == "ok" else 1


def _write_private(path: Path, data: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
