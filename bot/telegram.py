"""Telegram's sending side: Reply → Bot API calls through python-telegram-bot (reading an
update is `bot/telegram_updates.py`)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import Bot, BotCommand, InputFile
from telegram.constants import MessageLimit, ParseMode
from telegram.error import Forbidden, RetryAfter, TelegramError

from bot import metrics
from bot.delivery import Blocked, RetryLater
from bot.i18n import LOCALES, N_, translator
from bot.messages import Reply, merge_replies
from bot.settings import Settings
from bot.telegram_http import StreamRequest

logger = logging.getLogger(__name__)

COMMANDS = {
    "start": N_("command.start"),
    "menu": N_("command.menu"),
    "help": N_("command.help"),
    "lang": N_("command.lang"),
    "cancel": N_("command.cancel"),
    "danhgia": N_("command.danhgia"),
    "ketqua": N_("command.ketqua"),
    "lich": N_("command.lich"),
    "gapcanbo": N_("command.gapcanbo"),
    "stop": N_("command.stop"),
    "privacy": N_("command.privacy"),
    "mydata": N_("command.mydata"),
    "delete": N_("command.delete"),
}
"""Commands shown in Telegram's menu, with the message id describing each."""


def make_bot(settings: Settings) -> Bot:
    """A Bot API client for the configured token and API URL."""
    request = StreamRequest(connections=64, read_timeout=15.0, connect_timeout=10.0)
    return Bot(settings.TELEGRAM_TOKEN, base_url=settings.TELEGRAM_API_URL, request=request)


def markup_dict(reply: Reply) -> dict[str, Any] | None:
    """The reply's keyboard as the Bot API's JSON, for the webhook answer and every call."""
    if not reply.buttons:
        return None
    if any(b.request_location for row in reply.buttons for b in row):
        return {
            "keyboard": [
                [{"text": b.label, "request_location": b.request_location} for b in row]
                for row in reply.buttons
            ],
            "one_time_keyboard": True,
            "resize_keyboard": True,
        }
    return {
        "inline_keyboard": [
            [{"text": b.label, "callback_data": b.action} for b in row] for row in reply.buttons
        ]
    }


def split_text(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Cut a long text at line breaks (or hard, for a single huge line) into sendable parts."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current or not parts:
        parts.append(current)
    return parts


MAX_CALLS_IN_FLIGHT = 16
"""Bot API calls one sender has open at once; the rest wait their turn. Both senders of a
process share the client's pool (`make_bot`: 64 connections), so no call waits for a connection
there: httpcore's pool grows costly with the number of requests queued in it, and a call left
waiting longer than its pool timeout fails."""


class TelegramSender:
    """Sends replies with a python-telegram-bot `Bot` made by `make_bot`, counting every
    call's outcome."""

    def __init__(self, bot: Bot, *, paid_broadcast: bool = False) -> None:
        if not isinstance(bot.request, StreamRequest):
            raise TypeError("TelegramSender needs a Bot made by make_bot (its StreamRequest)")
        self.bot = bot
        self._request = bot.request
        self.paid = paid_broadcast
        """Ask Telegram to let queued sends exceed 30 a second (billed in Stars)."""
        self._in_flight = asyncio.Semaphore(MAX_CALLS_IN_FLIGHT)

    @property
    def username(self) -> str | None:
        """The bot's @username, once `getMe` has answered (None before)."""
        try:
            return self.bot.username
        except RuntimeError:  # not initialised: Telegram was unreachable at start
            return None

    async def _call(self, method: str, coro: Any) -> Any:
        try:
            async with self._in_flight:
                result = await coro
        except TelegramError as exc:
            metrics.API_CALLS.labels("telegram", method, type(exc).__name__).inc()
            logger.debug("Bot API %s refused: %s", method, exc)
            raise
        metrics.child(metrics.API_CALLS, "telegram", method, "ok").inc()
        logger.debug("Bot API %s: ok", method)
        return result

    async def _post(self, method: str, parameters: dict[str, Any]) -> Any:
        """Call `method` with plain JSON parameters (those that are None left out)."""
        sent = {k: v for k, v in parameters.items() if v is not None}
        return await self._call(method, self._request.call(f"{self.bot.base_url}/{method}", sent))

    async def answer_callback(self, query_id: str, notice: str | None) -> None:
        """Stop the button's spinner, showing a short notice when there is one."""
        try:
            await self._post(
                "answerCallbackQuery", {"callback_query_id": query_id, "text": notice}
            )
        except TelegramError as exc:  # a query older than ~15 min can no longer be answered
            logger.warning("answerCallbackQuery %s failed: %s", query_id, exc)

    @staticmethod
    def _plan(replies: list[Reply]) -> tuple[list[Reply], Reply | None]:
        """Split replies into API calls and the one (a plain message) the answer can carry."""
        merged = merge_replies(replies, MessageLimit.MAX_TEXT_LENGTH)
        tail = merged[-1] if merged else None
        if (
            tail is not None
            and tail.text
            and tail.photo is None
            and tail.venue is None
            and tail.document is None
            and len(tail.text) <= MessageLimit.MAX_TEXT_LENGTH
        ):
            return merged[:-1], tail
        return merged, None

    def after_answer(self, replies: list[Reply]) -> bool:
        """True when the replies need Bot API calls besides the webhook answer (a venue, a
        photo, two messages) and can be sent again from storage (no file's bytes): the door
        then answers at once and sends them after, through the outbox."""
        calls, tail = self._plan(replies)
        return bool(calls or tail is None) and all(r.document is None for r in replies)

    async def send(self, chat_id: str, replies: list[Reply]) -> dict[str, Any] | None:
        """Send the replies; the last one, when a plain message, is returned instead as the
        method for the webhook's HTTP answer (Telegram executes it: one round trip saved).

        Raises TelegramError when the API refuses a call.
        """
        calls, tail = self._plan(replies)
        for reply in calls:
            await self._send_one(chat_id, reply)
        if tail is None:
            return None
        metrics.child(metrics.API_CALLS, "telegram", "sendMessage", "webhook_answer").inc()
        method: dict[str, Any] = {
            "method": "sendMessage",
            "chat_id": int(chat_id),
            "text": tail.text,
            "parse_mode": ParseMode.HTML,
            "link_preview_options": {"is_disabled": True},
        }
        markup = markup_dict(tail)
        if markup is not None:
            method["reply_markup"] = markup
        return method

    async def deliver(self, chat_id: str, replies: list[Reply]) -> None:
        """Send queued replies (the outbox's way): Telegram's refusals become RetryLater or
        Blocked; anything else is raised as it is."""
        try:
            for reply in merge_replies(replies, MessageLimit.MAX_TEXT_LENGTH):
                await self._send_one(chat_id, reply)
        except RetryAfter as exc:
            seconds = exc.retry_after
            raise RetryLater(
                seconds.total_seconds() if hasattr(seconds, "total_seconds") else float(seconds)
            ) from exc
        except Forbidden as exc:
            raise Blocked(str(exc)) from exc

    async def _send_one(self, chat_id: str, reply: Reply) -> None:
        markup = markup_dict(reply)
        uploads = reply.photo is not None or (reply.document is not None and reply.document.data)
        if uploads and await self._upload(chat_id, reply, markup):
            return  # the text went as the caption
        if reply.venue is not None:
            v = reply.venue
            await self._post(
                "sendVenue",
                {
                    "chat_id": chat_id,
                    "latitude": v.point.lat,
                    "longitude": v.point.lon,
                    "title": v.title,
                    "address": v.address,
                    "reply_markup": markup if not reply.text else None,
                },
            )
        if not reply.text:
            return
        parts = split_text(reply.text)
        for index, part in enumerate(parts):
            await self._post(
                "sendMessage",
                {
                    "chat_id": chat_id,
                    "text": part,
                    "parse_mode": ParseMode.HTML,
                    "reply_markup": markup if index == len(parts) - 1 else None,
                    "link_preview_options": {"is_disabled": True},
                    "allow_paid_broadcast": self.paid or None,
                },
            )

    async def _upload(self, chat_id: str, reply: Reply, markup: dict[str, Any] | None) -> bool:
        """Send the reply's photo (by file id or bytes) or document; True when its text went
        as the caption (short enough), which then carries the buttons."""
        caption = reply.text if len(reply.text) <= MessageLimit.CAPTION_LENGTH else None
        extra = {"reply_markup": markup} if caption is not None and markup else None
        if reply.photo is not None:
            photo = reply.photo.file_id or InputFile(
                reply.photo.data, filename=reply.photo.filename
            )
            send = self.bot.send_photo(
                chat_id, photo, caption=caption, parse_mode=ParseMode.HTML, api_kwargs=extra
            )
            await self._call("sendPhoto", send)
        else:
            assert reply.document is not None
            document = InputFile(reply.document.data, filename=reply.document.filename)
            send = self.bot.send_document(
                chat_id, document, caption=caption, parse_mode=ParseMode.HTML, api_kwargs=extra
            )
            await self._call("sendDocument", send)
        return caption is not None


async def set_webhook(bot: Bot, url: str, settings: Settings) -> None:
    """Point Telegram at our webhook with the secret, and set the command menu in vi and en."""
    await bot.set_webhook(
        url,
        secret_token=settings.TELEGRAM_WEBHOOK_SECRET,
        allowed_updates=["message", "edited_message", "callback_query", "my_chat_member"],
    )
    for locale in LOCALES:
        t = translator(locale)
        commands = [BotCommand(name, t(description)) for name, description in COMMANDS.items()]
        await bot.set_my_commands(commands, language_code=locale)
        if locale == settings.DEFAULT_LOCALE:
            await bot.set_my_commands(commands)
