"""Reading a Telegram update: the fields the bot uses, type-checked, as a neutral `Incoming`
(no python-telegram-bot object tree), and the update kinds the door answers without the core."""

from __future__ import annotations

import math
import re
from typing import Any

from bot.i18n import translator
from bot.messages import GeoPoint, Incoming

HANDLED_KINDS = frozenset({"message", "edited_message", "callback_query", "my_chat_member"})
"""Update fields the bot reads; updates carrying none of them are acknowledged unparsed."""


def _object(value: object) -> dict[str, Any]:
    """`value` when it is a JSON object; ValueError otherwise."""
    if not isinstance(value, dict):
        raise ValueError("not an object")
    return value


def _sender(query_or_message: dict[str, Any]) -> dict[str, Any] | None:
    """The `from` user of a message or button press (None for channel posts)."""
    sender = query_or_message.get("from")
    return None if sender is None else _object(sender)


def _full_name(user: dict[str, Any]) -> str:
    first, last = user["first_name"], user.get("last_name")
    if not isinstance(first, str) or not isinstance(last, str | None):
        raise ValueError("a name is not a string")
    return f"{first} {last}" if last else first


def _language(user: dict[str, Any]) -> str | None:
    language = user.get("language_code")
    return language if isinstance(language, str) else None


def _chat(message: dict[str, Any]) -> dict[str, Any]:
    """The chat of a message, with the fields every message has (Bot API: id, date, chat)."""
    if "chat" not in message:
        raise ValueError("a message without a chat")
    chat = _object(message["chat"])
    if type(message["message_id"]) is not int or type(message["date"]) is not int:
        raise ValueError("a message without its id or date")
    if not isinstance(chat["type"], str):
        raise ValueError("a chat without its type")
    return chat


def to_incoming(update: dict[str, Any], *, bot_username: str | None = None) -> Incoming | None:
    """Translate an update (the webhook's JSON object) from a person in a private chat; None
    for what the bot ignores: other kinds, groups, other bots, and commands addressed to another
    bot (`/start@other`). Only the fields the bot uses are read (no object tree is built);
    raises ValueError, KeyError or TypeError for an update no Telegram would send (a message
    without a chat, fields of the wrong type)."""
    update_id = str(update["update_id"])
    if update.get("callback_query") is not None:
        query = _object(update["callback_query"])
        user = _object(query["from"])
        if not isinstance(query["id"], str):
            raise ValueError("a button press without its id")
        message = query.get("message")
        chat = _chat(_object(message)) if message is not None else None
        if query.get("data") is None or (chat is not None and chat["type"] != "private"):
            return None
        return _checked(
            Incoming(
                platform="telegram",
                user_id=str(user["id"]),
                chat_id=str(chat["id"] if chat else user["id"]),
                action=query["data"],
                locale_hint=_language(user),
                display_name=_full_name(user),
                update_id=update_id,
            )
        )
    edited = update.get("edited_message") is not None
    raw = update.get("message") or update.get("edited_message")
    if raw is None:
        return None
    message = _object(raw)
    chat = _chat(message)
    sender = _sender(message)
    if sender is not None and not isinstance(sender["is_bot"], bool):
        raise ValueError("is_bot is not a boolean")
    if chat["type"] != "private" or sender is None or sender["is_bot"]:
        return None
    location = None
    if message.get("location") is not None:
        where = _object(message["location"])
        location = GeoPoint(lat=where["latitude"], lon=where["longitude"])
    elif edited:
        return None  # an edited text is not a new answer; live-location edits are handled above
    text = message.get("text") or message.get("caption") or ""
    if not isinstance(text, str):
        raise ValueError("text is not a string")
    if not _addressed_to_us(text, bot_username):
        return None
    photos = message.get("photo")
    photo_id = _object(photos[-1])["file_id"] if photos else None  # the largest size
    return _checked(
        Incoming(
            platform="telegram",
            user_id=str(sender["id"]),
            chat_id=str(chat["id"]),
            text=text,
            location=location,
            locale_hint=_language(sender),
            display_name=_full_name(sender),
            update_id=update_id,
            photo_id=photo_id,
            live=edited and location is not None,
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


def membership_change(update: dict[str, Any]) -> tuple[str, bool] | None:
    """(user id, active) when a private chat's user blocked ("kicked") or unblocked the bot."""
    if update.get("my_chat_member") is None:
        return None
    change = _object(update["my_chat_member"])
    if _object(change["chat"])["type"] != "private":
        return None
    status = _object(change["new_chat_member"])["status"]
    user_id = _object(change["from"])["id"]
    if not _ID.fullmatch(str(user_id)):
        raise ValueError("a user id that is not a number")
    if status in ("kicked", "left"):
        return str(user_id), False
    if status == "member":
        return str(user_id), True
    return None


def private_only_notice(update: dict[str, Any]) -> str:
    """The toast for a button pressed outside a private chat: write to the bot privately."""
    query = update.get("callback_query")
    language = _language(_object(query["from"])) if query is not None else None
    t = translator(language or "")
    return t("group.private_only")


def callback_query_id(update: dict[str, Any]) -> str | None:
    """The id to answer when the update is a button press."""
    query = update.get("callback_query")
    return None if query is None else str(_object(query)["id"])
