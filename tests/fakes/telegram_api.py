"""A local fake of the Telegram Bot API: real HTTP, records every call, answers like Telegram."""

from __future__ import annotations

import itertools
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

BOT_USER = {"id": 1000, "is_bot": True, "first_name": "OCOP", "username": "ocop_test_bot"}


@dataclass
class Call:
    """One Bot API request as the fake received it (form values parsed back from JSON)."""

    token: str
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)
    """When it arrived (time.monotonic), to check send rates."""


@dataclass
class FakeTelegram:
    """The fake's state: its token, the calls received, and failures queued per method."""

    token: str = "123456:TEST-token-abc"
    calls: list[Call] = field(default_factory=list)
    failures: dict[str, list[tuple[int, str, int | None]]] = field(default_factory=dict)
    url: str = ""
    limit_per_second: float | None = None
    """When set, send* calls beyond this global rate, or a second one to a chat within a
    second, get a real 429 with retry_after, as Telegram answers floods."""
    too_many: int = 0
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _window: list[float] = field(default_factory=list)
    _last_by_chat: dict[str, float] = field(default_factory=dict)

    def reset(self) -> None:
        """Forget calls and queued failures (between tests)."""
        self.calls.clear()
        self.failures.clear()

    def fail_next(
        self, method: str, status: int, description: str, *, retry_after: int | None = None
    ) -> None:
        """Make the next call of `method` fail as Telegram would."""
        self.failures.setdefault(method, []).append((status, description, retry_after))

    def of(self, method: str) -> list[Call]:
        """The calls of one method, in order."""
        return [c for c in self.calls if c.method == method]

    @property
    def api_url(self) -> str:
        """The value for TELEGRAM_API_URL."""
        return f"{self.url}/bot"

    def _flooded(self, method: str, params: dict[str, Any]) -> bool:
        if self.limit_per_second is None or not method.startswith("send"):
            return False
        now = time.monotonic()
        self._window = [t for t in self._window if now - t < 1.0]
        chat = str(params.get("chat_id"))
        if (
            len(self._window) >= self.limit_per_second
            or now - self._last_by_chat.get(chat, -9.0) < 1.0
        ):
            self.too_many += 1
            return True
        self._window.append(now)
        self._last_by_chat[chat] = now
        return False

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method.startswith("send"):
            message: dict[str, Any] = {
                "message_id": next(self._ids),
                "date": int(time.time()),
                "chat": {"id": int(params["chat_id"]), "type": "private"},
                "from": BOT_USER,
            }
            if method == "sendMessage":
                message["text"] = params["text"]
            if method == "sendVenue":
                message["venue"] = {
                    "location": {
                        "latitude": float(params["latitude"]),
                        "longitude": float(params["longitude"]),
                    },
                    "title": params["title"],
                    "address": params["address"],
                }
                message["location"] = message["venue"]["location"]
            if method == "sendPhoto":
                message["photo"] = [
                    {"file_id": "f1", "file_unique_id": "u1", "width": 1, "height": 1}
                ]
            return message
        return True

    def app(self) -> FastAPI:
        """The ASGI app serving /bot<token>/<method>."""
        api = FastAPI()

        @api.post("/bot{token}/{method}")
        async def call(token: str, method: str, request: Request) -> JSONResponse:
            if request.headers.get("content-type", "").startswith("application/json"):
                raw = {k: _as_form_value(v) for k, v in (await request.json()).items()}
            else:
                raw = dict((await request.form()).items())
            params = {k: _decode(v) for k, v in raw.items()}
            self.calls.append(Call(token=token, method=method, params=params))
            if token != self.token:
                return JSONResponse(
                    {"ok": False, "error_code": 401, "description": "Unauthorized"}, 401
                )
            if self._flooded(method, params):
                return JSONResponse(
                    {
                        "ok": False,
                        "error_code": 429,
                        "description": "Too Many Requests: retry after 1",
                        "parameters": {"retry_after": 1},
                    },
                    429,
                )
            queued = self.failures.get(method)
            if queued:
                status, description, retry_after = queued.pop(0)
                body: dict[str, Any] = {
                    "ok": False,
                    "error_code": status,
                    "description": description,
                }
                if retry_after is not None:
                    body["parameters"] = {"retry_after": retry_after}
                return JSONResponse(body, status)
            return JSONResponse({"ok": True, "result": self._result(method, params)})

        return api


def _as_form_value(value: Any) -> Any:
    """A JSON value as python-telegram-bot would have form-encoded it, so tests see one shape."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value)
    return value


def _answer_call(body: bytes, fake: FakeTelegram) -> tuple[str, dict[str, Any]] | None:
    data = json.loads(body)
    if not isinstance(data, dict) or "method" not in data:
        return None
    params = {k: v for k, v in data.items() if k != "method"}
    return f"{fake.api_url}{fake.token}/{data['method']}", params


async def forward_webhook_answer(response: httpx.Response, fake: FakeTelegram) -> None:
    """Do what Telegram does with a webhook answer that names a method: call it."""
    if response.status_code == 200:
        call = _answer_call(await response.aread(), fake)
        if call is not None:
            async with httpx.AsyncClient() as http:
                await http.post(call[0], json=call[1])


def forward_webhook_answer_sync(response: httpx.Response, fake: FakeTelegram) -> None:
    """`forward_webhook_answer` for a synchronous client."""
    if response.status_code == 200:
        call = _answer_call(response.read(), fake)
        if call is not None:
            httpx.post(call[0], json=call[1])


def _decode(value: Any) -> Any:
    """PTB sends nested objects (reply_markup, commands) as JSON strings; parse them back."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    if hasattr(value, "filename"):  # an uploaded file
        return {"filename": value.filename, "data": value.file.read()}
    return value


def free_port() -> int:
    """A TCP port on loopback nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve_in_thread(app: Any, port: int) -> Iterator[str]:
    """Run an ASGI app with uvicorn on 127.0.0.1:port in a thread; yields its base URL."""
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("fake server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)


if __name__ == "__main__":  # `python -m tests.fakes.telegram_api PORT`: a standalone fake (bench)
    import sys

    uvicorn.run(FakeTelegram().app(), host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
