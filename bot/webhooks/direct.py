"""A webhook request straight to its endpoint, past FastAPI's request handling.

A webhook endpoint is a plain function of the Starlette `Request` (no parameters to validate,
no dependencies), yet through FastAPI each request also passes its middleware (server errors,
telemetry, its body limit, exceptions), the routers' matching and its endpoint machinery:
measured with `bench/webhook.py`, about a tenth of the CPU of a Telegram update. `DirectApp`
puts the body limit and `DirectRoutes` ahead of all of it, and `DirectRoutes` sends such a
request to the endpoint itself; the route stays declared on its router, where the OpenAPI
document describes it. An endpoint's unexpected error reaches the server (uvicorn answers
500 and logs it), as it would have through FastAPI's server-error layer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute, APIRouter
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.api import BodyLimit, BodyTooLarge, too_large

Endpoint = Callable[[Request], Awaitable[Response]]


def plain_endpoints(router: APIRouter) -> dict[tuple[str, str], Endpoint]:
    """(method, path) → endpoint for each of the router's routes; ValueError for a route whose
    endpoint takes more than the request (FastAPI would have to fill it in)."""
    found: dict[tuple[str, str], Endpoint] = {}
    for route in router.routes:
        if not isinstance(route, APIRoute):
            raise ValueError(f"{route!r} is not an API route")
        given = route.dependant
        if given.request_param_name is None or any(
            (
                given.path_params,
                given.query_params,
                given.header_params,
                given.cookie_params,
                given.body_params,
                given.dependencies,
                given.background_tasks_param_name,
            )
        ):
            raise ValueError(f"{route.path}: the endpoint takes more than the request")
        for method in route.methods or ():
            found[(method, route.path)] = route.endpoint
    return found


class DirectApp(FastAPI):
    """FastAPI whose middleware starts with the body limit (`bot.api.BodyLimit`, for every
    request) and the direct routes of `direct` (`DirectRoutes`)."""

    def __init__(self, *, direct: APIRouter, body_limit: int, **options: Any) -> None:
        super().__init__(**options)
        self._direct = plain_endpoints(direct)
        self._body_limit = body_limit

    def build_middleware_stack(self) -> ASGIApp:
        stack = super().build_middleware_stack()
        return BodyLimit(DirectRoutes(stack, self._direct), limit=self._body_limit)


class DirectRoutes:
    """ASGI middleware: a request whose (method, path) is in `endpoints` is answered by that
    endpoint; anything else goes on to the app. A body over the size limit
    (`bot.api.BodyLimit`, outside this middleware) is answered 413 as the app answers it."""

    def __init__(self, app: ASGIApp, endpoints: dict[tuple[str, str], Endpoint]) -> None:
        self.app = app
        self.endpoints = endpoints

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        endpoint = (
            self.endpoints.get((scope["method"], scope["path"]))
            if scope["type"] == "http"
            else None
        )
        if endpoint is None:
            await self.app(scope, receive, send)
            return
        try:
            response = await endpoint(Request(scope, receive))
        except BodyTooLarge:
            response = too_large()
        await response(scope, receive, send)
