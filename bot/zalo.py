"""The Zalo door (Official Account API v3): webhook events → Incoming, replies → OA messages.

- Signature: `X-ZEvent-Signature: mac=` + hex SHA-256 of app_id + raw body + timestamp + the OA
  secret key (a plain hash, not an HMAC), checked in constant time.
- Text is cut at 2,000 characters; at most 5 buttons a message, each an `oa.query.show` whose
  payload comes back as the user's text: `#a ` + our action, turned back into a button press.
- No venue type: a place goes out as text with an `oa.open.url` map button.
- Tokens: the single-use refresh token gives a new pair, stored in one transaction.
- Outside the 48-hour window after a user's last message a reply is no longer free, and
  announcements may only go out as approved templates to followers: the outbox reports such
  messages as not deliverable on Zalo instead of sending them.
- Refusals are typed (`ZaloError` and its kinds), each also the outbox's own kind of failure,
  so the outbox waits, stops writing to the user, reports, or retries without knowing Zalo.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import httpx

from bot import metrics
from bot.delivery import Blocked, NotDeliverable, RetryLater
from bot.logs import redact
from bot.markup import plain
from bot.messages import REPLY_WINDOWS, Button, Document, GeoPoint, Incoming, Reply, merge_replies
from bot.settings import Settings
from bot.telegram import split_text
from db import repo
from db.models import utcnow
from db.session import Database

logger = logging.getLogger(__name__)

MAX_TEXT = 2000
MAX_BUTTONS = 5
ACTION_MARK = "#a "
"""Prefix of a button payload, so a button press is told apart from typed text."""
REPLY_WINDOW = REPLY_WINDOWS["zalo"]
MAX_FILE_PARTS = 6
FILE_CUT = (
    "… còn {parts} phần nữa: cán bộ OCOP có thể gửi anh/chị bản đầy đủ (ocop-bot user export).\n"
    "… {parts} more parts: the OCOP office can send you the full copy (ocop-bot user export)."
)
_TOKEN_EXPIRED = -216
_RATE_LIMITED = -32
"""The app called the API more often than Zalo allows in a minute."""
_BLOCKED = frozenset({-213, -217})
"""The user does not follow the OA (any more), or has blocked its messages."""
_BAD_REQUEST = frozenset({-201, -230})
"""The message's parameters are invalid (a text too long…), or the user has not written to the
OA recently enough for it to write to them."""


class ZaloError(Exception):
    """The OA API refused a call; `code` is Zalo's error number (0: none given). Other refusals
    than its kinds below may pass (the service failing, a token refused): the outbox retries."""

    def __init__(self, message: str, *, code: int = 0) -> None:
        Exception.__init__(self, message)
        self.code = code


class ZaloRateLimited(ZaloError, RetryLater):
    """Too many calls (HTTP 429, or error -32): wait `seconds`, then send again."""

    def __init__(self, message: str, *, code: int = 0, seconds: float = 5.0) -> None:
        ZaloError.__init__(self, message, code=code)
        self.seconds = seconds


class ZaloBlocked(ZaloError, Blocked):
    """The user unfollowed the OA or blocked it: never write to them again."""


class ZaloBadRequest(ZaloError, NotDeliverable):
    """Zalo refuses this message as it is, or to this user now: sending it again cannot help,
    so it is reported, not retried."""


def _refusal(path: str, code: int, message: object) -> ZaloError:
    """The error for Zalo's answer `code` to a call of `path`."""
    text = f"Zalo {path} error {code}: {message}"
    if code == _RATE_LIMITED:
        return ZaloRateLimited(text, code=code)
    if code in _BLOCKED:
        return ZaloBlocked(text, code=code)
    if code in _BAD_REQUEST:
        return ZaloBadRequest(text, code=code)
    return ZaloError(text, code=code)


def verify_signature(
    raw: bytes, header: str | None, *, app_id: str, timestamp: str, secret: str
) -> bool:
    """True when the header is the OA signature of this exact body."""
    if not header:
        return False
    given = header.strip().removeprefix("mac=").lower()
    digest = hashlib.sha256(
        app_id.encode() + raw + timestamp.encode() + secret.encode()
    ).hexdigest()
    return hmac.compare_digest(given.encode(), digest.encode())


_USER_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")
"""Zalo user ids are long numbers, sent as strings; anything else is not a user id."""


def sender_id(event: dict[str, Any]) -> str | None:
    """The user an event is about (sender, or follower for follow events)."""
    for key in ("sender", "follower"):
        value = event.get(key)
        if isinstance(value, dict) and value.get("id"):
            user = str(value["id"])
            return user if _USER_ID.fullmatch(user) else None
    return None


def _location(message: dict[str, Any]) -> GeoPoint | None:
    """The point of a location message, from any of the shapes seen in the wild."""
    candidates: list[Any] = [message.get("location")]
    for attachment in message.get("attachments") or []:
        if isinstance(attachment, dict) and attachment.get("type") == "location":
            payload = attachment.get("payload") or {}
            candidates.append(payload.get("coordinates") or payload)
    for candidate in candidates:
        if not isinstance(candidate, dict):
            continue
        lat: Any = candidate.get("latitude", candidate.get("lat"))
        lon: Any = candidate.get("longitude", candidate.get("long", candidate.get("lng")))
        try:
            return GeoPoint(lat=float(lat), lon=float(lon))
        except (TypeError, ValueError):
            continue
    return None


def to_incoming(event: dict[str, Any]) -> Incoming | None:
    """Translate a user event; None for events the bot does not act on."""
    name = event.get("event_name")
    user = sender_id(event)
    raw_message = event.get("message")
    message: dict[str, Any] = raw_message if isinstance(raw_message, dict) else {}
    if user is None or name not in ("user_send_text", "user_send_location", "user_send_image"):
        return None
    base: dict[str, Any] = {
        "platform": "zalo",
        "user_id": user,
        "chat_id": user,
        "update_id": str(message.get("msg_id"))[:64] if message.get("msg_id") else None,
    }
    if name == "user_send_location":
        point = _location(message)
        return None if point is None else Incoming(**base, location=point)
    text = str(message.get("text") or "")
    if name == "user_send_image":
        attachments = message.get("attachments")
        first = attachments[0] if isinstance(attachments, list) and attachments else {}
        payload = first.get("payload") if isinstance(first, dict) else None
        url = payload.get("url") if isinstance(payload, dict) else None
        return Incoming(**base, text=text, photo_id=url)
    if text.startswith(ACTION_MARK):
        return Incoming(**base, action=text.removeprefix(ACTION_MARK).strip())
    return Incoming(**base, text=text)


class ZaloClient:
    """The OA API over httpx (base URLs from settings, so tests point it at a local fake)."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.settings = settings
        self.db = db
        self.http = httpx.AsyncClient(timeout=15.0, transport=transport)

    async def close(self) -> None:
        """Close the connection pool."""
        await self.http.aclose()

    async def _token(self) -> str:
        stored = await self.db.run(repo.zalo_token)
        if stored is None:
            return self.settings.ZALO_ACCESS_TOKEN
        access, _, expires_at = stored
        if expires_at - timedelta(minutes=5) <= utcnow():
            return await self.refresh()
        return access

    async def refresh(self) -> str:
        """Trade the refresh token for a new pair and store both at once."""
        stored = await self.db.run(repo.zalo_token)
        refresh_token = stored[1] if stored else self.settings.ZALO_REFRESH_TOKEN
        response = await self.http.post(
            f"{self.settings.ZALO_OAUTH_URL}/v4/oa/access_token",
            headers={"secret_key": self.settings.ZALO_APP_SECRET},
            data={
                "app_id": self.settings.ZALO_APP_ID,
                "grant_type": "refresh_token",
                "refresh_token": refresh_token,
            },
        )
        body = response.json()
        if "access_token" not in body:
            metrics.API_CALLS.labels("zalo", "refresh", "error").inc()
            raise ZaloError(
                f"Zalo token refresh refused: {body.get('error_name') or body}",
                code=int(body.get("error") or 0),
            )
        metrics.API_CALLS.labels("zalo", "refresh", "ok").inc()
        redact(str(body["access_token"]))
        redact(str(body["refresh_token"]))
        now = utcnow()
        await self.db.run(
            partial(
                repo.store_zalo_token,
                access_token=body["access_token"],
                refresh_token=body["refresh_token"],
                expires_at=now + timedelta(seconds=int(body.get("expires_in", 3600))),
                now=now,
            )
        )
        return str(body["access_token"])

    async def _post(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        for attempt in (1, 2):
            token = await self._token()
            response = await self.http.post(
                f"{self.settings.ZALO_API_URL}{path}",
                json=payload,
                headers={"access_token": token},
            )
            if response.status_code == 429:
                seconds = float(response.headers.get("retry-after", 5))
                raise ZaloRateLimited(f"Zalo {path}: HTTP 429", seconds=seconds)
            body: dict[str, Any] = response.json()
            error = body.get("error", 0)
            if error == _TOKEN_EXPIRED and attempt == 1:
                await self.refresh()
                continue
            outcome = "ok" if error == 0 else str(error)
            metrics.API_CALLS.labels("zalo", path.rsplit("/", 1)[-1], outcome).inc()
            if error != 0:
                raise _refusal(path, int(error), body.get("message"))
            return body
        raise ZaloError(f"Zalo {path}: the access token is refused even after a refresh")

    async def send(self, user_id: str, replies: list[Reply]) -> None:
        """Send replies as consultation messages: text chunks, then buttons (5 a message).
        Plain replies are merged first: Zalo counts every message against the free quota."""
        for reply in merge_replies(replies, MAX_TEXT):
            text = plain(reply.text)
            if reply.venue is not None:
                v = reply.venue
                await self._message(
                    user_id,
                    f"📍 {v.title}\n{v.address}",
                    links=[("🗺 Bản đồ / Map", v.point.map_url)],
                )
            if reply.photo is not None and reply.photo.data:
                await self._image(user_id, reply.photo.data, reply.photo.filename)
            buttons = [b for b in reply.all_buttons if not b.request_location]
            parts = split_text(text, MAX_TEXT) if text else []
            for index, part in enumerate(parts):
                last = index == len(parts) - 1
                await self._message(user_id, part, buttons=buttons[:MAX_BUTTONS] if last else [])
            for start in range(MAX_BUTTONS, len(buttons), MAX_BUTTONS):
                await self._message(user_id, "…", buttons=buttons[start : start + MAX_BUTTONS])
            if reply.document is not None and reply.document.data:  # after its caption
                await self._document_as_text(user_id, reply.document)

    async def _document_as_text(self, user_id: str, document: Document) -> None:
        """A file as text messages: OA file uploads take PDF/DOC/DOCX, not the JSON we send.
        At most MAX_FILE_PARTS messages (each counts against the free quota); the last then
        says how much was left out and where the whole copy can be had."""
        parts = split_text(document.data.decode("utf-8", "replace"), MAX_TEXT)
        if len(parts) > MAX_FILE_PARTS:
            left = len(parts) - MAX_FILE_PARTS + 1
            parts = parts[: MAX_FILE_PARTS - 1] + [FILE_CUT.format(parts=left)]
        for part in parts:
            await self._message(user_id, part)

    async def _message(
        self,
        user_id: str,
        text: str,
        *,
        buttons: list[Button] | None = None,
        links: list[tuple[str, str]] | None = None,
    ) -> None:
        actions: list[dict[str, Any]] = [
            {"title": b.label[:100], "type": "oa.query.show", "payload": ACTION_MARK + b.action}
            for b in buttons or []
        ]
        actions += [
            {"title": title, "type": "oa.open.url", "payload": {"url": url}}
            for title, url in links or []
        ]
        message: dict[str, Any] = {"text": text}
        if actions:
            message = {
                "text": text,
                "attachment": {
                    "type": "template",
                    "payload": {"template_type": "button", "buttons": actions},
                },
            }
        await self._post(
            "/v3.0/oa/message/cs", {"recipient": {"user_id": user_id}, "message": message}
        )

    async def _image(self, user_id: str, data: bytes, filename: str) -> None:
        token = await self._token()
        response = await self.http.post(
            f"{self.settings.ZALO_API_URL}/v2.0/oa/upload/image",
            headers={"access_token": token},
            files={"file": (filename, data, "image/png")},
        )
        attachment = (response.json().get("data") or {}).get("attachment_id")
        if not attachment:
            raise ZaloError(f"Zalo image upload refused: {response.text[:200]}")
        await self._post(
            "/v3.0/oa/message/cs",
            {
                "recipient": {"user_id": user_id},
                "message": {
                    "attachment": {
                        "type": "template",
                        "payload": {
                            "template_type": "media",
                            "elements": [{"media_type": "image", "attachment_id": attachment}],
                        },
                    }
                },
            },
        )


class ZaloSender:
    """The outbox's Zalo door: free replies inside the 48-hour window, otherwise reported."""

    def __init__(self, client: ZaloClient, db: Database, *, clock: Any = utcnow) -> None:
        self.client = client
        self.db = db
        self.clock = clock

    async def deliver(self, chat_id: str, replies: list[Reply]) -> None:
        """Send, or raise NotDeliverable when Zalo's rules do not allow this message now."""
        seen = await self.db.run(partial(repo.last_seen, platform="zalo", external_id=chat_id))
        if seen is None or self.clock() - seen > REPLY_WINDOW:
            raise NotDeliverable(
                "outside Zalo's 48-hour reply window (needs an approved template)"
            )
        await self.client.send(chat_id, replies)

    async def answer(self, chat_id: str, replies: list[Reply]) -> None:
        """Reply to a message the user just sent (always inside the window)."""
        await self.client.send(chat_id, replies)


def event_time(event: dict[str, Any]) -> datetime | None:
    """The event's timestamp (milliseconds since the epoch, often a string)."""
    try:
        return datetime.fromtimestamp(int(str(event.get("timestamp"))) / 1000, tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None
