"""What the doors' webhook routes share: the refusal answer and its documented shape, and
reading a JSON object from a request body."""

from __future__ import annotations

import json
import logging
from typing import Any, Literal

import orjson
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from bot import metrics

logger = logging.getLogger("webhook")

OK = {"ok": True}


class WebhookError(BaseModel):
    """Why a webhook request was refused."""

    ok: Literal[False]
    detail: str


ERROR: dict[str, Any] = {"model": WebhookError, "description": "refused, with the reason"}


class JsonAnswer(JSONResponse):
    """A JSON answer rendered by orjson (several times faster than the standard library's
    encoder, which showed in the webhook's profile)."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def reject(
    platform: str, reason: str, status: int, detail: str, *, cause: object = None
) -> JSONResponse:
    """Refuse a webhook request: counted, logged on one line, answered with the reason."""
    metrics.REJECTED.labels(platform, reason).inc()
    logger.info("%s webhook refused (%s): %s %s", platform, reason, detail, cause or "")
    return JsonAnswer({"ok": False, "detail": detail}, status_code=status)


def not_recorded(platform: str) -> JSONResponse:
    """The update was not recorded: a non-2xx answer so the platform delivers it again."""
    return reject(platform, "not_recorded", 503, "update not recorded yet, deliver it again")


def json_object(body: bytes) -> dict[str, Any] | None:
    """The JSON object in a request body, or None for anything else (not UTF-8, not JSON,
    numbers too long to convert, nesting too deep, not an object)."""
    try:
        data: Any = orjson.loads(body)
    except ValueError:  # orjson refuses what the standard library reads (a lone surrogate)
        try:
            data = json.loads(body)
        except (UnicodeDecodeError, ValueError, RecursionError):
            return None
    return data if isinstance(data, dict) else None
