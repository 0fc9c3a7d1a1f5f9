"""The one vocabulary shared by doors, router and handlers: what a user sent, what we answer."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any, Literal

REPLY_WINDOWS: dict[str, timedelta] = {"zalo": timedelta(hours=48)}
"""How long after a user's last message a platform lets the bot write to them (Zalo OA: 48 hours
for free messages); platforms not listed have no such window."""

Platform = Literal["telegram", "zalo", "console"]

MAX_CAPTION = 1000
"""The longest text a photo can carry on every platform (Telegram limits captions to 1,024
characters)."""

MAX_ACTION_BYTES = 64
"""Telegram's limit for callback data; every button action must fit in it."""
_ACTION = re.compile(rf"[!-~]{{1,{MAX_ACTION_BYTES}}}")
_LONG_NUMBER = re.compile(r"\d{19}")
"""Numbers in our actions are ids and indexes: 19 digits would not fit a 64-bit integer."""


def well_formed_action(action: str) -> bool:
    """True for data a button can carry: 1-64 bytes of printable ASCII, no number too big for
    an id. The one place the limit is checked: for every button built, and for every press
    received (anything else was forged and is treated as stale)."""
    return _ACTION.fullmatch(action) is not None and _LONG_NUMBER.search(action) is None


@dataclass(frozen=True, slots=True)
class GeoPoint:
    """A WGS84 position in decimal degrees."""

    lat: float
    lon: float

    @property
    def map_url(self) -> str:
        """A link that opens the point on a map, for doors with no venue message (Zalo, the
        console)."""
        return f"https://www.openstreetmap.org/?mlat={self.lat}&mlon={self.lon}"


@dataclass(frozen=True, slots=True)
class Button:
    """A choice offered to the user.

    `action` is a short ASCII id (`ob:role:producer`) routed back when pressed; `label` is shown.
    `request_location` asks the client for the user's position instead (Telegram only).
    """

    label: str
    action: str = ""
    request_location: bool = False

    def __post_init__(self) -> None:
        if not self.request_location and not well_formed_action(self.action):
            raise ValueError(
                f"button action must be 1-{MAX_ACTION_BYTES} bytes of ASCII: {self.action!r}"
            )


@dataclass(frozen=True, slots=True)
class Incoming:
    """One thing a user did, whatever the door: a text, a button press or a location."""

    platform: Platform
    user_id: str
    chat_id: str
    text: str = ""
    action: str | None = None
    location: GeoPoint | None = None
    locale_hint: str | None = None
    display_name: str = ""
    update_id: str | None = None
    photo_id: str | None = None
    """The platform's id of an image the user sent (its caption is `text`)."""
    live: bool = False
    """`location` is a new position of a live location the user is sharing."""

    @property
    def command(self) -> str | None:
        """The slash command in the text (`/start` → `start`), without a bot suffix."""
        if not self.text.startswith("/"):
            return None
        word = self.text.split(maxsplit=1)[0][1:]
        return word.split("@", 1)[0].lower() or None


_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
"""C0 controls but tab and newline: NUL cannot even be stored in PostgreSQL text."""
_NAME_JUNK = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Controls, line breaks and bidi overrides: a name shown to officers is one plain line."""
MAX_NAME = 128


def clean_text(text: str) -> str:
    """User text as it may be stored and shown: broken characters (lone surrogates, which no
    encoder accepts) become U+FFFD, and control characters other than tab and newline go."""
    return _CONTROL.sub("", _SURROGATE.sub("\ufffd", text))


def clean_name(name: str) -> str:
    """A display name on one line, without controls or bidi overrides, at most 128 chars."""
    return _NAME_JUNK.sub("", _SURROGATE.sub("\ufffd", name)).strip()[:MAX_NAME]


def cleaned(msg: Incoming) -> Incoming:
    """`msg` with every user-supplied string made safe to store, log and show (`msg` itself
    when it is already)."""
    text = clean_text(msg.text)
    action = None if msg.action is None else clean_text(msg.action)
    display_name = clean_name(msg.display_name)
    photo_id = None if msg.photo_id is None else clean_text(msg.photo_id)
    if (text, action, display_name, photo_id) == (
        msg.text,
        msg.action,
        msg.display_name,
        msg.photo_id,
    ):
        return msg
    return replace(msg, text=text, action=action, display_name=display_name, photo_id=photo_id)


@dataclass(frozen=True, slots=True)
class Venue:
    """A place the client can open in its map app."""

    point: GeoPoint
    title: str
    address: str


@dataclass(frozen=True, slots=True)
class Photo:
    """An image to send: bytes (e.g. a rendered chart) with a file name, or the platform's id of
    an image it already has (e.g. one an officer sent for a broadcast)."""

    data: bytes = b""
    filename: str = "image.png"
    file_id: str = ""


@dataclass(frozen=True, slots=True)
class Document:
    """A file to send (e.g. a copy of the user's data). Its bytes are never stored with the
    reply: a reply sent again from storage carries only the file name (`data` empty)."""

    data: bytes
    filename: str
    mime_type: str = "application/json"


@dataclass(frozen=True, slots=True)
class Reply:
    """One message to the user: HTML text (Telegram's subset) and optional buttons or media.

    Buttons are rows of choices. Every user-supplied string inside `text` is already escaped.
    """

    text: str = ""
    buttons: tuple[tuple[Button, ...], ...] = ()
    venue: Venue | None = None
    photo: Photo | None = None
    document: Document | None = None
    notice: str | None = field(default=None, compare=False)
    """A short toast for the button that triggered this reply (Telegram answerCallbackQuery)."""

    @property
    def all_buttons(self) -> list[Button]:
        """The buttons in reading order."""
        return [button for row in self.buttons for button in row]


def merge_replies(replies: list[Reply], limit: int) -> list[Reply]:
    """Fold plain texts into the reply after them, so one answer is one message where it fits.

    Fewer messages are kinder to slow networks and to per-chat rate limits; `limit` is the
    platform's longest text.
    """
    merged: list[Reply] = []
    for reply in replies:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and previous.text
            and not (previous.buttons or previous.venue or previous.photo or previous.document)
            and reply.text
            and not (reply.venue or reply.photo or reply.document)
            and len(previous.text) + 2 + len(reply.text) <= limit
        ):
            merged[-1] = replace(
                reply,
                text=f"{previous.text}\n\n{reply.text}",
                notice=previous.notice or reply.notice,
            )
        else:
            merged.append(reply)
    return merged


def reply_to_dict(reply: Reply) -> dict[str, Any]:
    """A JSON-ready form of a reply, for storing until it is sent."""
    out: dict[str, Any] = {"text": reply.text}
    if reply.buttons:
        out["buttons"] = [
            [[b.label, b.action, b.request_location] for b in row] for row in reply.buttons
        ]
    if reply.venue:
        v = reply.venue
        out["venue"] = [v.point.lat, v.point.lon, v.title, v.address]
    if reply.photo:
        out["photo"] = [
            base64.b64encode(reply.photo.data).decode(),
            reply.photo.filename,
            reply.photo.file_id,
        ]
    if reply.document:
        out["document"] = [reply.document.filename, reply.document.mime_type]
    if reply.notice:
        out["notice"] = reply.notice
    return out


def reply_from_dict(data: dict[str, Any]) -> Reply:
    """The reply stored by `reply_to_dict`."""
    buttons = tuple(
        tuple(Button(label=b[0], action=b[1], request_location=b[2]) for b in row)
        for row in data.get("buttons", ())
    )
    venue = None
    if "venue" in data:
        lat, lon, title, address = data["venue"]
        venue = Venue(point=GeoPoint(lat=lat, lon=lon), title=title, address=address)
    photo = None
    if "photo" in data:
        stored = data["photo"]
        photo = Photo(
            data=base64.b64decode(stored[0]),
            filename=stored[1],
            file_id=stored[2] if len(stored) > 2 else "",
        )
    document = None
    if "document" in data:
        document = Document(data=b"", filename=data["document"][0], mime_type=data["document"][1])
    return Reply(
        text=data.get("text", ""),
        buttons=buttons,
        venue=venue,
        photo=photo,
        document=document,
        notice=data.get("notice"),
    )
