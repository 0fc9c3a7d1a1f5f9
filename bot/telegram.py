"""The Telegram door: Update → Incoming, Reply → Bot API calls through python-telegram-bot."""

from __future__ import annotations

import logging
import math
import re
from typing import Any

from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    KeyboardButton,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.constants import MessageLimit, ParseMode
from telegram.error import Forbidden, RetryAfter, TelegramError
from telegram.request import HTTPXRequest

from bot import metrics
from bot.delivery import Blocked, RetryLater
from bot.i18n import LOCALES, N_, translator
from bot.messages import GeoPoint, Incoming, Reply, merge_replies
from bot.settings import Settings

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
    request = HTTPXRequest(connection_pool_size=64, read_timeout=15.0, connect_timeout=10.0)
    return Bot(settings.TELEGRAM_TOKEN, base_url=settings.TELEGRAM_API_URL, request=request)


HANDLED_KINDS = frozenset({"message", "edited_message", "callback_query", "my_chat_member"})
"""Update fields the bot reads; updates carrying none of them are acknowledged unparsed."""


def to_incoming(update: Update, *, bot_username: str | None = None) -> Incoming | None:
    """Translate an update from a person in a private chat; None for what the bot ignores:
    other kinds, groups, other bots, and commands addressed to another bot (`/start@other`).
    Raises ValueError for an update no Telegram would send (a message without a chat)."""
    update_id = str(update.update_id)
    if update.callback_query is not None:
        query = update.callback_query
        chat = query.message.chat if query.message is not None else None
        if query.data is None or (chat is not None and chat.type != "private"):
            return None
        return _checked(
            Incoming(
                platform="telegram",
                user_id=str(query.from_user.id),
                chat_id=str(chat.id if chat else query.from_user.id),
                action=query.data,
                locale_hint=query.from_user.language_code,
                display_name=query.from_user.full_name,
                update_id=update_id,
            )
        )
    message = update.message or update.edited_message
    if message is not None and message.chat is None:
        raise ValueError("a message without a chat")
    if (
        message is None
        or message.chat.type != "private"
        or message.from_user is None
        or message.from_user.is_bot
    ):
        return None
    sender = message.from_user
    location = None
    if message.location is not None:
        location = GeoPoint(lat=message.location.latitude, lon=message.location.longitude)
    elif update.edited_message is not None:
        return None  # an edited text is not a new answer; live-location edits are handled above
    text = message.text or message.caption or ""
    if not isinstance(text, str):
        raise ValueError("text is not a string")
    if not _addressed_to_us(text, bot_username):
        return None
    photo_id = message.photo[-1].file_id if message.photo else None  # the largest size
    return _checked(
        Incoming(
            platform="telegram",
            user_id=str(sender.id),
            chat_id=str(message.chat.id),
            text=text,
            location=location,
            locale_hint=sender.language_code,
            display_name=sender.full_name,
            update_id=update_id,
            photo_id=photo_id,
            live=update.edited_message is not None and location is not None,
        )
    )


_ID = re.compile(r"-?\d{1,20}")


def _checked(msg: Incoming) -> Incoming:
    """`msg` when every field has the type Telegram documents; ValueError otherwise (the
    library builds objects from any JSON without checking)."""
    if not (
        _ID.fullmatch(msg.user_id)
        and _ID.fullmatch(msg.chat_id)
        and isinstance(msg.text, str)
        and isinstance(msg.display_name, str)
        and all(isinstance(v, str | None) for v in (msg.action, msg.locale_hint, msg.photo_id))
        and (msg.location is None or _is_point(msg.location))
    ):
        raise ValueError("fields of the wrong type")
    return msg


def _is_point(point: GeoPoint) -> bool:
    return all(
        isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
        for v in (point.lat, point.lon)
    )


def _addressed_to_us(text: str, bot_username: str | None) -> bool:
    """False for a command naming another bot (`/start@other_bot`)."""
    if not text.startswith("/"):
        return True
    _, at, name = text.split(maxsplit=1)[0].partition("@")
    return not at or bot_username is None or name.lower() == bot_username.lower()


def membership_change(update: Update) -> tuple[str, bool] | None:
    """(user id, active) when a private chat's user blocked ("kicked") or unblocked the bot."""
    change = update.my_chat_member
    if change is None or change.chat.type != "private":
        return None
    status = change.new_chat_member.status
    if status in ("kicked", "left"):
        return str(change.from_user.id), False
    if status == "member":
        return str(change.from_user.id), True
    return None


def private_only_notice(update: Update) -> str:
    """The toast for a button pressed outside a private chat: write to the bot privately."""
    language = update.callback_query.from_user.language_code if update.callback_query else None
    t = translator(language if isinstance(language, str) else "")
    return t("group.private_only")


def callback_query_id(update: Update) -> str | None:
    """The id to answer when the update is a button press."""
    return update.callback_query.id if update.callback_query is not None else None


def _markup(reply: Reply) -> InlineKeyboardMarkup | ReplyKeyboardMarkup | None:
    if not reply.buttons:
        return None
    if any(b.request_location for b in reply.all_buttons):
        return ReplyKeyboardMarkup(
            [
                [KeyboardButton(b.label, request_location=b.request_location) for b in row]
                for row in reply.buttons
            ],
            resize_keyboard=True,
            one_time_keyboard=True,
        )
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.label, callback_data=b.action) for b in row]
            for row in reply.buttons
        ]
    )


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


class TelegramSender:
    """Sends replies with a python-telegram-bot `Bot`, counting every call's outcome."""

    def __init__(self, bot: Bot, *, paid_broadcast: bool = False) -> None:
        self.bot = bot
        self.paid = paid_broadcast
        """Ask Telegram to let queued sends exceed 30 a second (billed in Stars)."""

    @property
    def username(self) -> str | None:
        """The bot's @username, once `getMe` has answered (None before)."""
        try:
            return self.bot.username
        except RuntimeError:  # not initialised: Telegram was unreachable at start
            return None

    async def _call(self, method: str, coro: Any) -> Any:
        try:
            result = await coro
        except TelegramError as exc:
            metrics.API_CALLS.labels("telegram", method, type(exc).__name__).inc()
            raise
        metrics.API_CALLS.labels("telegram", method, "ok").inc()
        return result

    async def answer_callback(self, query_id: str, notice: str | None) -> None:
        """Stop the button's spinner, showing a short notice when there is one."""
        try:
            await self._call(
                "answerCallbackQuery", self.bot.answer_callback_query(query_id, text=notice)
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
        metrics.API_CALLS.labels("telegram", "sendMessage", "webhook_answer").inc()
        method: dict[str, Any] = {
            "method": "sendMessage",
            "chat_id": int(chat_id),
            "text": tail.text,
            "parse_mode": ParseMode.HTML,
            "link_preview_options": {"is_disabled": True},
        }
        markup = _markup(tail)
        if markup is not None:
            method["reply_markup"] = markup.to_dict()
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
        markup = _markup(reply)
        if reply.photo is not None:
            caption = reply.text if len(reply.text) <= MessageLimit.CAPTION_LENGTH else None
            await self._call(
                "sendPhoto",
                self.bot.send_photo(
                    chat_id,
                    reply.photo.file_id
                    or InputFile(reply.photo.data, filename=reply.photo.filename),
                    caption=caption,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup if caption is not None else None,
                ),
            )
            if caption is not None:
                return
        if reply.document is not None and reply.document.data:  # empty: resent from storage
            caption = reply.text if len(reply.text) <= MessageLimit.CAPTION_LENGTH else None
            await self._call(
                "sendDocument",
                self.bot.send_document(
                    chat_id,
                    InputFile(reply.document.data, filename=reply.document.filename),
                    caption=caption,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup if caption is not None else None,
                ),
            )
            if caption is not None:
                return
        if reply.venue is not None:
            v = reply.venue
            await self._call(
                "sendVenue",
                self.bot.send_venue(
                    chat_id,
                    latitude=v.point.lat,
                    longitude=v.point.lon,
                    title=v.title,
                    address=v.address,
                    reply_markup=markup if not reply.text else None,
                ),
            )
        if not reply.text:
            return
        parts = split_text(reply.text)
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            await self._call(
                "sendMessage",
                self.bot.send_message(
                    chat_id,
                    part,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup if last else None,
                    disable_web_page_preview=True,
                    allow_paid_broadcast=self.paid or None,
                ),
            )


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
