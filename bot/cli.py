"""`ocop-bot`: chat in the terminal, serve the webhook, upgrade the database, set the webhook."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import sys
import tempfile

from bot.logs import configure_logging
from bot.settings import Settings, SettingsError, load_settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ocop-bot", description="OCOP chat bot")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("chat", help="talk to the bot in this terminal (SQLite by default)")
    serve = commands.add_parser("serve", help="run the webhook server (uvicorn on webhook:app)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument(
        "--access-log",
        action="store_true",
        help="log every HTTP request (metrics count them anyway)",
    )
    db = commands.add_parser("db", help="database tasks")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", help="create or upgrade the schema to the latest migration")
    db_commands.add_parser(
        "prune", help="apply the retention rules now, erasing users inactive too long"
    )
    backup = db_commands.add_parser(
        "backup", help="copy the database to PATH (SQLite; PostgreSQL: prints pg_dump)"
    )
    backup.add_argument("path", help="a new file for the copy")
    user = commands.add_parser("user", help="a person's data: a copy, or its erasure")
    user_commands = user.add_subparsers(dest="user_command", required=True)
    export = user_commands.add_parser("export", help="everything held about a user, as JSON")
    export.add_argument("user", help="PLATFORM:ID, e.g. telegram:12345 or zalo:8421...")
    export.add_argument("--output", help="write to this file (readable by you alone)")
    erase = user_commands.add_parser("delete", help="erase a user and every row about them")
    erase.add_argument("user", help="PLATFORM:ID, e.g. telegram:12345")
    erase.add_argument("--yes", action="store_true", help="confirm: this cannot be undone")
    hook = commands.add_parser(
        "set-webhook", help="point Telegram at URL and set the command menu"
    )
    hook.add_argument("url", help="public HTTPS URL ending in /telegram/webhook")
    criteria = commands.add_parser("criteria", help="OCOP criteria sheets")
    criteria_commands = criteria.add_subparsers(dest="criteria_command", required=True)
    criteria_commands.add_parser("check", help="validate every bundled and imported sheet")
    load = criteria_commands.add_parser("import", help="load an official sheet (CSV or XLSX)")
    load.add_argument("file", help="table with one row per option (columns in the README)")
    export = criteria_commands.add_parser(
        "export", help="print the sheet in force for a set as CSV"
    )
    export.add_argument("set", help="product set code (see `ocop-bot criteria sets`)")
    criteria_commands.add_parser("sets", help="list the product set codes")
    worker = commands.add_parser("worker", help="run the reminder clock and outbox delivery alone")
    worker.add_argument(
        "--metrics-port",
        type=int,
        default=0,
        help="serve this process's Prometheus metrics on this port (default: none)",
    )
    worker.add_argument("--metrics-host", default="127.0.0.1")
    officer = commands.add_parser("officer", help="grant, withdraw or list officer rights")
    officer_commands = officer.add_subparsers(dest="officer_command", required=True)
    for name, text in (
        ("add", "make a user an officer"),
        ("remove", "withdraw officer rights"),
    ):
        sub = officer_commands.add_parser(name, help=text)
        sub.add_argument(
            "user",
            help="a Telegram user id, or PLATFORM:ID (zalo:ID, console:NAME); they must have"
            " written to the bot",
        )
    officer_commands.add_parser("list", help="officers and pending requests")
    places = commands.add_parser("places", help="places for visitors")
    places_commands = places.add_subparsers(dest="places_command", required=True)
    places_commands.add_parser("check", help="validate knowledge/data/places.csv")
    return parser


async def _db_upgrade(settings: Settings) -> str | None:
    from db.session import Database

    db = Database(settings.DATABASE_URL)
    try:
        return await db.upgrade()
    finally:
        await db.dispose()


async def _officer(settings: Settings, args: argparse.Namespace) -> int:
    from functools import partial

    from db import repo
    from db.models import utcnow
    from db.session import Database
    from handlers.officer_rights import decide_officer

    db = Database(settings.DATABASE_URL)
    try:
        await db.upgrade()
        if args.officer_command == "list":
            for platform, external_id, name, approved in await db.run(repo.list_officers):
                state = "officer" if approved else "requested"
                sys.stdout.write(f"{platform}\t{external_id}\t{state}\t{name}\n")
            return 0
        platform, _, external_id = args.user.rpartition(":")
        platform = platform or "telegram"
        user_id = await db.run(partial(repo.find_user, platform=platform, external_id=external_id))
        if user_id is None:
            sys.stderr.write(
                f"ocop-bot: no {platform} user {external_id}; they must write to the bot first.\n"
            )
            return 1
        approved = args.officer_command == "add"
        await db.run(
            partial(decide_officer, user_id=user_id, approve=approved, by="cli", now=utcnow())
        )
        sys.stdout.write(f"{platform} {external_id}: {'officer' if approved else 'producer'}\n")
        return 0
    finally:
        await db.dispose()


async def _set_webhook(settings: Settings, url: str) -> None:
    from bot import telegram as tg

    bot = tg.make_bot(settings)
    async with bot:
        await tg.set_webhook(bot, url, settings)


def main(argv: list[str] | None = None) -> int:
    """Run one `ocop-bot` command; a bad setting ends it with one sentence and exit code 2."""
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
        if args.command in ("serve", "set-webhook"):
            settings.require_telegram()
    except SettingsError as exc:
        sys.stderr.write(f"ocop-bot: {exc}\n")
        return 2
    if args.command == "chat":
        # The terminal is the conversation: log lines go to a file, never between its messages.
        from bot.console import LOG_FILE, chat

        with LOG_FILE.open("a", encoding="utf-8") as log:
            configure_logging(settings, stream=log)
            with contextlib.suppress(KeyboardInterrupt):
                asyncio.run(chat(settings, lines=sys.stdin, out=sys.stdout))  # as they are now
        return 0
    configure_logging(settings)
    if args.command == "db" and args.db_command != "upgrade":
        from pathlib import Path

        from bot import privacy_cli

        if args.db_command == "prune":
            return asyncio.run(privacy_cli.prune(settings))
        return privacy_cli.backup(settings, Path(args.path))
    if args.command == "user":
        from bot.privacy_cli import user_command

        return asyncio.run(user_command(settings, args))
    if args.command == "db":
        revision = asyncio.run(_db_upgrade(settings))
        sys.stdout.write(f"database at revision {revision}\n")
        return 0
    if args.command == "worker":
        from bot.worker import run_worker

        if args.metrics_port:
            from prometheus_client import start_http_server

            from bot.metrics import registry

            start_http_server(args.metrics_port, args.metrics_host, registry=registry())
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(run_worker(settings))
        return 0
    if args.command == "officer":
        return asyncio.run(_officer(settings, args))
    if args.command == "places":
        from knowledge.places import check_places, places

        problems = check_places()
        for problem in problems:
            sys.stdout.write(f"ERROR\t{problem}\n")
        if not problems:
            sys.stdout.write(f"ok\t{len(places())} places\n")
        return 1 if problems else 0
    if args.command == "criteria":
        from bot.criteria_cli import run

        return asyncio.run(run(settings, args))
    if args.command == "set-webhook":
        if not args.url.startswith("https://"):
            sys.stderr.write(
                "ocop-bot: the webhook URL must start with https:// (Telegram's rule).\n"
            )
            return 2
        asyncio.run(_set_webhook(settings, args.url))
        sys.stdout.write(f"webhook set to {args.url}\n")
        return 0
    return _serve(args)


def _serve(args: argparse.Namespace) -> int:
    """uvicorn on `webhook:app`. Several workers share their metrics through a fresh
    PROMETHEUS_MULTIPROC_DIR (removed at exit) unless one is set already."""
    import uvicorn

    from bot.metrics import MULTIPROCESS_DIR

    shared = None
    if args.workers > 1 and not os.environ.get(MULTIPROCESS_DIR):
        shared = tempfile.mkdtemp(prefix="ocop-metrics-")
        os.environ[MULTIPROCESS_DIR] = shared  # inherited by the worker processes
    try:
        uvicorn.run(
            "webhook:app",
            host=args.host,
            port=args.port,
            workers=args.workers,
            access_log=args.access_log,
            log_config=None,  # every server process logs through configure_logging (redacted)
        )
    finally:
        if shared is not None:
            shutil.rmtree(shared, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
