"""New console users typing to the bot through the dispatcher, on a fresh SQLite database in a
temporary directory: what the benches that read the bot's replies share."""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from bot.dispatch import Dispatcher
    from bot.messages import Reply

T = TypeVar("T")


class ConsoleUsers:
    """Console users of one dispatcher, each named by the caller."""

    def __init__(self, dispatcher: Dispatcher) -> None:
        self.dispatcher = dispatcher

    async def send(self, user: str, text: str = "", action: str | None = None) -> list[Reply]:
        """What `user` is answered when typing `text` (`/location LAT,LON` shares a location, as
        in the console) or pressing `action`."""
        from bot.console import to_incoming
        from bot.messages import Incoming

        msg = (
            Incoming(platform="console", user_id=user, chat_id=user, action=action)
            if action is not None
            else to_incoming(text, [], user)
        )
        return (await self.dispatcher.process(msg)).replies

    async def onboard(self, user: str, role: str, lang: str) -> None:
        """/start, then agree to the privacy notice and press the role and language buttons
        (and skip the province) wherever the bot offers them."""
        replies = await self.send(user, "/start")
        pressed: set[str] = set()  # the language on the privacy notice first, then agree
        for _ in range(8):
            offered = [b.action for r in replies for b in r.all_buttons if b.action]
            wanted = next(
                (
                    a
                    for a in sorted(offered, key=lambda a: not a.startswith("m:lang:"))
                    if a in (f"m:lang:{lang}", f"ob:lang:{lang}", f"ob:role:{role}", "ob:skip")
                    and a not in pressed
                    or a.startswith("cs:yes:")
                ),
                None,
            )
            if wanted is None:
                return
            pressed.add(wanted)
            replies = await self.send(user, action=wanted)


def with_users(work: Callable[[ConsoleUsers], Awaitable[T]]) -> T:
    """Run `work` with console users on a fresh database, from a temporary directory (so no
    .env of the caller's directory is read)."""
    with tempfile.TemporaryDirectory() as folder:
        here = os.getcwd()
        os.chdir(folder)
        try:
            return asyncio.run(_with_users(Path(folder), work))
        finally:
            os.chdir(here)


async def _with_users(folder: Path, work: Callable[[ConsoleUsers], Awaitable[T]]) -> T:
    from bot.dispatch import Dispatcher
    from bot.settings import Settings
    from db.session import Database

    settings = Settings(DATABASE_URL=f"sqlite:///{folder}/chat.db", RUN_WORKER=False)
    db = Database(settings.DATABASE_URL)
    await db.upgrade()
    try:
        return await work(ConsoleUsers(Dispatcher(db, settings)))
    finally:
        await db.dispose()
