"""The console door (`ocop-bot chat`): type to the bot in a terminal; buttons are numbered."""

from __future__ import annotations

import asyncio
import getpass
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from bot.delivery import Delivery
from bot.dispatch import Dispatcher
from bot.markup import plain
from bot.messages import Button, GeoPoint, Incoming, Reply
from bot.scheduler import enqueue_due_reminders
from bot.settings import Settings
from db.models import utcnow
from db.session import Database
from knowledge.text import fold

_LOCATION = re.compile(r"^/(?:location|vitri)\s+(-?\d+(?:\.\d+)?)\s*[, ]\s*(-?\d+(?:\.\d+)?)$")


def render(reply: Reply, first_number: int = 1) -> str:
    """A reply as terminal text: HTML removed, buttons numbered from `first_number`."""
    lines = [plain(reply.text)] if reply.text else []
    if reply.venue is not None:
        v = reply.venue
        lines.append(f"📍 {v.title} — {v.address}")
        lines.append(f"   {v.point.map_url}")
    number = first_number
    for button in reply.all_buttons:
        hint = " (/location LAT,LON)" if button.request_location else ""
        lines.append(f"  {number}. {button.label}{hint}")
        number += 1
    return "\n".join(lines)


def to_incoming(line: str, buttons: list[Button], user_id: str) -> Incoming:
    """Turn a typed line into an Incoming: a button's label or number (the label wins, so a
    number that is itself a choice means that choice), a location, or text."""
    text = line.strip()
    located = _LOCATION.match(text)
    if located:
        point = GeoPoint(lat=float(located.group(1)), lon=float(located.group(2)))
        return Incoming(platform="console", user_id=user_id, chat_id=user_id, location=point)
    typed = fold(text)  # a label first: "3" picks the button "3★", not the third button
    chosen = next((b for b in buttons if typed and fold(b.label) == typed), None)
    if chosen is None and text.isdigit() and 1 <= int(text) <= len(buttons):
        chosen = buttons[int(text) - 1]
    if chosen is not None and chosen.action:
        return Incoming(platform="console", user_id=user_id, chat_id=user_id, action=chosen.action)
    return Incoming(platform="console", user_id=user_id, chat_id=user_id, text=text)


def _write_private(path: Path, data: bytes) -> None:
    """Write a file only its owner can read (it holds their personal data)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
    path.chmod(0o600)


class ConsoleSender:
    """Queued messages (reminders, notices) for the console user, printed before the prompt."""

    def __init__(self, console: Console) -> None:
        self.console = console

    async def deliver(self, chat_id: str, replies: list[Reply]) -> None:  # noqa: ARG002
        """Print the replies (the console's delivery claims only its own user's messages) without
        taking the numbers of the question on screen."""
        self.console.show(replies, aside=True)


class Console:
    """Reads lines, prints replies, remembers the last buttons so a number can pick one."""

    def __init__(self, dispatcher: Dispatcher, user_id: str, out: TextIO) -> None:
        self.dispatcher = dispatcher
        self.user_id = user_id
        self.out = out
        self.buttons: list[Button] = []
        self.photos = Path(tempfile.gettempdir())
        self.outbox = Delivery(
            dispatcher.db,
            {"console": ConsoleSender(self)},
            platforms=("console",),
            chat_id=user_id,
        )

    def show(self, replies: list[Reply], *, aside: bool = False) -> None:
        """Print replies; the buttons of the whole answer are numbered in one sequence. A message
        `aside` (a reminder, a notice) numbers its buttons after those on screen, so the numbers
        of the question being answered keep their meaning."""
        if not aside:
            self.buttons = []
        for reply in replies:
            self.out.write(render(reply, first_number=len(self.buttons) + 1) + "\n")
            if reply.photo is not None:
                path = self.photos / f"ocop-{reply.photo.filename}"
                path.write_bytes(reply.photo.data)
                self.out.write(f"🖼 {path}\n")
            if reply.document is not None and reply.document.data:
                path = self.photos / reply.document.filename
                _write_private(path, reply.document.data)
                self.out.write(f"📄 {path}\n")
            self.buttons += reply.all_buttons
        self.out.write("\n")
        self.out.flush()

    async def run(self, lines: TextIO) -> None:
        """Resume where the user was, then answer each line until end of input."""
        greeting = await self.dispatcher.resume(self.incoming("/start"))
        if not greeting:
            greeting = (await self.dispatcher.process(self.incoming("/start"))).replies
        self.show(greeting)
        while True:
            await enqueue_due_reminders(self.dispatcher.db, utcnow())
            await self.outbox.run_once()
            self.out.write("> ")
            self.out.flush()
            line = await asyncio.to_thread(lines.readline)
            if not line:
                break
            if not line.strip():
                continue
            msg = to_incoming(line, self.buttons, self.user_id)
            self.show((await self.dispatcher.process(msg)).replies)

    def incoming(self, text: str) -> Incoming:
        """A text from this console's user."""
        return Incoming(platform="console", user_id=self.user_id, chat_id=self.user_id, text=text)


LOG_FILE = Path(tempfile.gettempdir()) / "ocop-bot-chat.log"
"""Where `ocop-bot chat` writes its log lines, so none lands in the conversation."""


async def chat(settings: Settings, *, lines: TextIO = sys.stdin, out: TextIO = sys.stdout) -> None:
    """Open the console chat on the configured database (created on first use)."""
    db = Database(settings.DATABASE_URL)
    try:
        await db.upgrade()
        dispatcher = Dispatcher(db, settings)
        out.write("ocop-bot — /help, /menu, /cancel; Ctrl-D để thoát / to quit\n")
        out.write(f"(log: {LOG_FILE})\n\n")
        await Console(dispatcher, getpass.getuser(), out).run(lines)
    finally:
        await db.dispose()
