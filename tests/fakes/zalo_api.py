"""A local fake of the Zalo OA API and OAuth server: real HTTP, records messages, answers as
Zalo does (-216 for an expired access token, single-use refresh tokens)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse


@dataclass
class FakeZalo:
    """The fake's state: the valid token pair, messages received, uploads."""

    access_token: str = "access-1"
    refresh_token: str = "refresh-1"
    messages: list[dict[str, Any]] = field(default_factory=list)
    uploads: int = 0
    refreshes: int = 0
    refusals: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    """Answers (HTTP status, body) the next messages get instead of being sent, in order."""
    url: str = ""
    _pairs: Iterator[int] = field(default_factory=lambda: itertools.count(2))

    def reset(self) -> None:
        """Forget messages (between tests); tokens back to their first pair."""
        self.messages.clear()
        self.refusals.clear()
        self.uploads = self.refreshes = 0
        self.access_token, self.refresh_token = "access-1", "refresh-1"

    def texts(self, user_id: str | None = None) -> list[str]:
        """Texts sent, in order (to one user, when given)."""
        return [
            m["message"].get("text", "")
            for m in self.messages
            if user_id is None or m["recipient"]["user_id"] == user_id
        ]

    def app(self) -> FastAPI:
        """The ASGI app: /v3.0/oa/message/cs, /v2.0/oa/upload/image, /v4/oa/access_token."""
        api = FastAPI()

        @api.post("/v3.0/oa/message/cs")
        async def send(request: Request) -> JSONResponse:
            if request.headers.get("access_token") != self.access_token:
                return JSONResponse({"error": -216, "message": "Access token is invalid"})
            if self.refusals:
                status, refusal = self.refusals.pop(0)
                wait = {"Retry-After": "7"} if status == 429 else {}
                return JSONResponse(refusal, status_code=status, headers=wait)
            body = await request.json()
            text = body["message"].get("text", "")
            if len(text) > 2000:
                return JSONResponse({"error": -201, "message": "text too long"})
            self.messages.append(body)
            return JSONResponse(
                {
                    "error": 0,
                    "message": "Success",
                    "data": {"message_id": f"m{len(self.messages)}"},
                }
            )

        @api.post("/v2.0/oa/upload/image")
        async def upload(request: Request) -> JSONResponse:
            if request.headers.get("access_token") != self.access_token:
                return JSONResponse({"error": -216, "message": "Access token is invalid"})
            form = await request.form()
            assert "file" in form
            self.uploads += 1
            return JSONResponse({"error": 0, "data": {"attachment_id": f"att{self.uploads}"}})

        @api.post("/v4/oa/access_token")
        async def refresh(request: Request) -> JSONResponse:
            form = await request.form()
            if form.get("refresh_token") != self.refresh_token or not request.headers.get(
                "secret_key"
            ):
                return JSONResponse({"error": -14014, "error_name": "Invalid refresh token"})
            pair = next(self._pairs)
            self.access_token, self.refresh_token = f"access-{pair}", f"refresh-{pair}"
            self.refreshes += 1
            return JSONResponse(
                {
                    "access_token": self.access_token,
                    "refresh_token": self.refresh_token,
                    "expires_in": "90000",
                }
            )

        return api
