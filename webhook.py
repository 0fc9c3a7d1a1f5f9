"""The HTTP face of the bot (FastAPI): the Telegram door, health, metrics and the REST API."""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from functools import partial
from typing import Any

from fastapi import BackgroundTasks, FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from telegram import Update
from telegram.error import BadRequest, Forbidden, TelegramError

from bot import dashboard, metrics, zalo
from bot import telegram as tg
from bot.api import places_router
from bot.api import router as api_router
from bot.delivery import Sender
from bot.dispatch import Dispatcher
from bot.messages import Incoming, Reply, reply_to_dict
from bot.settings import Settings, load_settings
from bot.worker import Worker
from db import repo
from db.models import utcnow
from db.session import Database

logger = logging.getLogger(__name__)

_OK = {"ok": True}


class BodyTooLarge(Exception):
    """The request body passed MAX_BODY_BYTES."""


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise BodyTooLarge
    return bytes(body)


def _reject(channel: str, reason: str, status: int, detail: str) -> JSONResponse:
    metrics.REJECTED.labels(channel, reason).inc()
    return JSONResponse({"ok": False, "detail": detail}, status_code=status)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; the database schema is brought up to date when it starts."""
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = Database(settings.DATABASE_URL)
        await db.upgrade()
        app.state.db = db
        app.state.dispatcher = Dispatcher(db, settings)
        app.state.telegram = None
        if settings.telegram_enabled:
            bot = tg.make_bot(settings)
            try:
                await bot.initialize()
            except TelegramError as exc:  # keep serving; sends retry when Telegram is back
                logger.warning("Telegram getMe failed at start: %s", exc)
            app.state.telegram = tg.TelegramSender(bot)
        app.state.zalo = None
        if settings.zalo_enabled:
            app.state.zalo = zalo.ZaloSender(zalo.ZaloClient(settings, db), db)
        worker = None
        if settings.RUN_WORKER:
            senders: dict[str, Sender] = {}
            if app.state.telegram is not None:  # the outbox's own sender: it may pay to go faster
                senders["telegram"] = tg.TelegramSender(
                    app.state.telegram.bot, paid_broadcast=settings.SEND_RATE > 30
                )
            if app.state.zalo is not None:
                senders["zalo"] = app.state.zalo
            worker = Worker(db, senders, settings)
            await worker.start()
        try:
            yield
        finally:
            if worker is not None:
                await worker.stop()
            if app.state.telegram is not None:
                await app.state.telegram.bot.shutdown()
            if app.state.zalo is not None:
                await app.state.zalo.client.close()
            await db.dispose()

    app = FastAPI(
        title="ocop-bot",
        description="OCOP chat bot: Telegram webhook, health, metrics and the OCOP REST API.",
        version="0.1.0",
        lifespan=lifespan,
    )

    app.include_router(api_router)
    app.include_router(places_router)
    dashboard.install(app)

    @app.post("/telegram/webhook", summary="Telegram updates (set with `ocop-bot set-webhook`)")
    async def telegram_webhook(request: Request) -> Response:
        sender: tg.TelegramSender | None = request.app.state.telegram
        if sender is None:
            return _reject("telegram", "disabled", 404, "the Telegram door is not configured")
        given = request.headers.get("x-telegram-bot-api-secret-token")
        if given is None:
            return _reject("telegram", "no_secret", 401, "missing X-Telegram-Bot-Api-Secret-Token")
        if not hmac.compare_digest(given.encode(), settings.TELEGRAM_WEBHOOK_SECRET.encode()):
            return _reject("telegram", "bad_secret", 403, "wrong X-Telegram-Bot-Api-Secret-Token")
        try:
            body = await _read_body(request, settings.MAX_BODY_BYTES)
        except BodyTooLarge:
            return _reject("telegram", "too_large", 413, "request body too large")
        data = _update_json(body)
        if data is None:
            return _reject("telegram", "malformed", 400, "body is not a Telegram update")
        kinds = tg.HANDLED_KINDS.intersection(data)
        metrics.UPDATES.labels("telegram", next(iter(kinds), "other")).inc()
        if not kinds:  # not parsed at all: a kind we ignore must never bounce back as an error
            return JSONResponse(_OK)
        try:
            update = Update.de_json(data, sender.bot)
        except (TypeError, KeyError, ValueError, AttributeError) as exc:
            logger.info("unparseable update %s: %s", data["update_id"], exc)
            return _reject("telegram", "malformed", 400, "body is not a Telegram update")
        membership = tg.membership_change(update)
        if membership is not None:
            await request.app.state.dispatcher.set_active(
                "telegram", membership[0], active=membership[1]
            )
            return JSONResponse(_OK)
        incoming = tg.to_incoming(update)
        if incoming is None:
            return JSONResponse(_OK)
        dispatcher: Dispatcher = request.app.state.dispatcher
        outcome = await dispatcher.process(incoming, sent_with_answer=sender.fits_in_answer)
        query_id = tg.callback_query_id(update)
        if query_id is not None and not (outcome.duplicate and not outcome.replies):
            notice = next((r.notice for r in outcome.replies if r.notice), None)
            await sender.answer_callback(query_id, notice)
        if not outcome.replies:
            return JSONResponse(_OK)
        try:
            answer = await sender.send(incoming.chat_id, outcome.replies)
        except (Forbidden, BadRequest) as exc:  # permanent for this chat: retrying cannot help
            logger.warning("update %s: Telegram refused the reply: %s", incoming.update_id, exc)
        except TelegramError as exc:
            # Unsent replies stay stored; Telegram redelivers on a non-2xx and they go out then.
            logger.warning("update %s: reply not sent yet: %s", incoming.update_id, exc)
            return JSONResponse({"ok": False, "detail": "reply pending"}, status_code=503)
        if answer is None or outcome.duplicate:
            await dispatcher.mark_sent(incoming)
        return JSONResponse(answer if answer is not None else _OK)

    @app.post("/zalo/webhook", summary="Zalo Official Account events")
    async def zalo_webhook(request: Request, background: BackgroundTasks) -> Response:
        door: zalo.ZaloSender | None = request.app.state.zalo
        if door is None:
            return _reject("zalo", "disabled", 404, "the Zalo door is not configured")
        try:
            body = await _read_body(request, settings.MAX_BODY_BYTES)
        except BodyTooLarge:
            return _reject("zalo", "too_large", 413, "request body too large")
        try:
            event: Any = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError):
            return _reject("zalo", "malformed", 400, "body is not JSON")
        if not isinstance(event, dict):
            return _reject("zalo", "malformed", 400, "body is not a Zalo event")
        if str(event.get("app_id", "")) != settings.ZALO_APP_ID or not zalo.verify_signature(
            body,
            request.headers.get("x-zevent-signature"),
            app_id=settings.ZALO_APP_ID,
            timestamp=str(event.get("timestamp", "")),
            secret=settings.ZALO_OA_SECRET_KEY,
        ):
            return _reject("zalo", "bad_signature", 401, "missing or wrong X-ZEvent-Signature")
        sent_at = zalo.event_time(event)
        now = utcnow()
        if sent_at is None or not now - _ZALO_MAX_AGE <= sent_at <= now + _ZALO_MAX_SKEW:
            return _reject("zalo", "stale", 401, "event timestamp too old or in the future")
        name = str(event.get("event_name", ""))
        metrics.UPDATES.labels("zalo", name or "other").inc()
        dispatcher: Dispatcher = request.app.state.dispatcher
        user = zalo.sender_id(event)
        if name in ("follow", "unfollow") and user is not None:
            await dispatcher.set_active("zalo", user, active=name == "follow")
            return JSONResponse({"error": 0})
        incoming = zalo.to_incoming(event)
        if incoming is None:
            return JSONResponse({"error": 0})
        outcome = await dispatcher.process(incoming)
        if outcome.replies:
            # Zalo wants its answer within 2 s: replies go out after it, from the stored copy.
            background.add_task(_answer_on_zalo, request.app, incoming, outcome.replies)
        return JSONResponse({"error": 0})

    @app.get("/healthz", summary="Liveness and database check")
    async def healthz(request: Request) -> Response:
        try:
            await request.app.state.db.ping()
        except Exception as exc:  # any database failure means "not healthy"
            logger.warning("health check failed: %s", exc)
            return JSONResponse({"status": "unavailable", "database": "error"}, status_code=503)
        return JSONResponse({"status": "ok", "database": "ok"})

    @app.get("/metrics", summary="Prometheus metrics", response_class=PlainTextResponse)
    async def prometheus_metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return app


_ZALO_MAX_AGE = timedelta(minutes=15)
_ZALO_MAX_SKEW = timedelta(minutes=5)


async def _answer_on_zalo(app: FastAPI, incoming: Incoming, replies: list[Reply]) -> None:
    """Send the replies; when Zalo cannot be reached they wait in the outbox for the worker."""
    dispatcher: Dispatcher = app.state.dispatcher
    try:
        await app.state.zalo.answer(incoming.chat_id, replies)
    except Exception as exc:  # network or API refusal: hand over to the outbox's retries
        logger.warning("zalo reply to %s not sent yet: %s", incoming.user_id, exc)
        await dispatcher.db.run(
            partial(
                repo.enqueue,
                platform="zalo",
                chat_id=incoming.chat_id,
                user_id=None,
                kind="reply",
                payload=[reply_to_dict(r) for r in replies],
                now=utcnow(),
                dedupe_key=f"zalo-reply:{incoming.update_id}" if incoming.update_id else None,
            )
        )
    await dispatcher.mark_sent(incoming)


def _update_json(body: bytes) -> dict[str, Any] | None:
    """The JSON object of a webhook body, or None when it is not one with an integer update_id."""
    try:
        data: Any = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(data, dict) or type(data.get("update_id")) is not int:
        return None
    return data


def __getattr__(name: str) -> FastAPI:
    """`webhook:app` for uvicorn, built from the environment on first access."""
    if name == "app":
        application = create_app()
        globals()["app"] = application
        return application
    raise AttributeError(name)
