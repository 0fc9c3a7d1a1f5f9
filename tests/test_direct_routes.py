"""Telegram's webhook requests go straight to their endpoint (`bot/webhooks/direct.py`),
answered as FastAPI would; everything else still goes through FastAPI."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.types import Receive, Scope, Send

from bot.webhooks import telegram as telegram_door
from bot.webhooks import zalo as zalo_door
from bot.webhooks.direct import plain_endpoints
from tests.conftest import post_update
from tests.factories import tg_message


async def test_an_update_is_answered_without_fastapis_routing(
    app: FastAPI, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    handled: list[str] = []
    original = APIRoute.handle

    async def counted(self: APIRoute, scope: Scope, receive: Receive, send: Send) -> None:
        handled.append(self.path)
        await original(self, scope, receive, send)

    monkeypatch.setattr(APIRoute, "handle", counted)
    response = await post_update(client, tg_message("/start"))
    assert response.status_code == 200
    assert response.json()["method"] == "sendMessage"
    assert "/telegram/webhook" not in handled  # (the fake Bot API is a FastAPI app too)
    assert (await client.get("/healthz")).status_code == 200
    assert "/healthz" in handled


async def test_other_methods_on_the_webhook_path_still_get_fastapis_answer(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/telegram/webhook")
    assert response.status_code == 405


def test_the_telegram_route_is_taken_by_method_and_path() -> None:
    endpoints = plain_endpoints(telegram_door.router)
    assert endpoints == {("POST", "/telegram/webhook"): telegram_door.telegram_webhook}


def test_an_endpoint_that_takes_more_than_the_request_is_refused() -> None:
    with pytest.raises(ValueError, match="takes more than the request"):
        plain_endpoints(zalo_door.router)  # it takes BackgroundTasks too
