"""Raw update JSON as Telegram sends it, so tests exercise parsing too."""

from __future__ import annotations

import itertools
from typing import Any

_ids = itertools.count(10_000)

DATE = 1_764_400_000


def _user(user_id: int, language_code: str | None, *, is_bot: bool = False) -> dict[str, Any]:
    user: dict[str, Any] = {"id": user_id, "is_bot": is_bot, "first_name": "Lan"}
    if language_code:
        user["language_code"] = language_code
    return user


def tg_message(
    text: str | None = None,
    *,
    user_id: int = 42,
    update_id: int | None = None,
    language_code: str | None = "vi",
    location: tuple[float, float] | None = None,
    chat_type: str = "private",
    photo: str | None = None,
    from_bot: bool = False,
) -> dict[str, Any]:
    """A message update: text (commands get their entity) or a location."""
    message: dict[str, Any] = {
        "message_id": next(_ids),
        "date": DATE,
        "chat": {"id": user_id, "type": chat_type},
        "from": _user(user_id, language_code, is_bot=from_bot),
    }
    if text is not None:
        message["text"] = text
        if text.startswith("/"):
            length = len(text.split()[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    if location is not None:
        message["location"] = {"latitude": location[0], "longitude": location[1]}
    if photo is not None:  # a photo with `text` as its caption, in two sizes as Telegram sends it
        message["photo"] = [
            {"file_id": f"{photo}-small", "file_unique_id": "s", "width": 90, "height": 90},
            {"file_id": photo, "file_unique_id": "l", "width": 800, "height": 800},
        ]
        if "text" in message:
            message["caption"] = message.pop("text")
            message.pop("entities", None)
    return {"update_id": update_id if update_id is not None else next(_ids), "message": message}


def tg_callback(
    data: str,
    *,
    user_id: int = 42,
    update_id: int | None = None,
    language_code: str | None = "vi",
    chat_type: str = "private",
) -> dict[str, Any]:
    """A button press on one of the bot's messages."""
    return {
        "update_id": update_id if update_id is not None else next(_ids),
        "callback_query": {
            "id": str(next(_ids)),
            "from": _user(user_id, language_code),
            "chat_instance": "1",
            "data": data,
            "message": {
                "message_id": next(_ids),
                "date": DATE,
                "chat": {"id": user_id if chat_type == "private" else -100, "type": chat_type},
                "text": "…",
            },
        },
    }
