"""The HTTP face of the bot (FastAPI): the Telegram door, health, metrics and the REST API."""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from functools import partial
from typing import Any, Literal

from fastapi import BackgroundTasks, FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel
from starlette.background import BackgroundTask
from telegram import Update
from telegram.error import BadRequest, Forbidden, TelegramError

from bot import dashboard, metrics, zalo
from bot import telegram as tg
from bot.api import BodyLimit, install_error_handlers, places_router
from bot.api import router as api_router
from bot.backlog import Backlog
from bot.dispatch import Dispatcher, NotRecorded
from bot.flood import Budget, LiveThrottle
from bot.logs import configure_logging
from bot.messages import Incoming, Reply, reply_to_dict
from bot.senders import open_senders
from bot.settings import Settings, load_settings
from bot.worker import Worker
from db import repo
from db.models import utcnow
from db.session import Database, DatabaseUnavailable

logger = logging.getLogger(__name__)

_OK = {"ok": True}


class WebhookError(BaseModel):
    """Why a webhook request was refused."""

    ok: Literal[False]
    detail: str


_ERROR: dict[str, Any] = {"model": WebhookError, "description": "refused, with the reason"}


def _reject(
    channel: str, reason: str, status: int, detail: str, *, cause: object = None
) -> JSONResponse:
    """Refuse a webhook request: counted, logged on one line, answered with the reason."""
    metrics.REJECTED.labels(channel, reason).inc()
    logger.info("%s webhook refused (%s): %s %s", channel, reason, detail, cause or "")
    return JSONResponse({"ok": False, "detail": detail}, status_code=status)


def _not_recorded(channel: str) -> JSONResponse:
    """The update was not recorded: a non-2xx answer so the platform delivers it again."""
    return _reject(channel, "not_recorded", 503, "update not recorded yet, deliver it again")


def _json_object(body: bytes) -> dict[str, Any] | None:
    """The JSON object in a request body, or None for anything else (not UTF-8, not JSON,
    numbers too long to convert, nesting too deep, not an object)."""
    try:
        data: Any = json.loads(body)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; the database schema is brought up to date when it starts."""
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = Database(settings.DATABASE_URL)
        await db.upgrade()
        app.state.db = db
        app.state.dispatcher = Dispatcher(
            db,
            settings,
            budget=Budget(settings.FLOOD_BURST, settings.FLOOD_PER_SECOND),
            live=LiveThrottle(),
        )
        senders = await open_senders(settings, db)
        app.state.telegram = senders.telegram
        app.state.zalo = senders.zalo
        app.state.zalo_backlog = Backlog(partial(_handle_zalo, app))
        worker = None
        if settings.RUN_WORKER:
            worker = Worker(db, senders.outbox, settings)
            await worker.start()
        try:
            yield
        finally:
            await app.state.zalo_backlog.close()
            if worker is not None:
                await worker.stop()
            await senders.close()
            await db.dispose()

    app = FastAPI(
        title="ocop-bot",
        description="OCOP chat bot: Telegram webhook, health, metrics and the OCOP REST API.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.add_middleware(BodyLimit, limit=settings.MAX_BODY_BYTES)
    install_error_handlers(app)
    app.include_router(api_router)
    app.include_router(places_router)
    dashboard.install(app)

    @app.post(
        "/telegram/webhook",
        summary="Telegram updates (set with `ocop-bot set-webhook`)",
        responses={
            200: {"description": "handled; may name a Bot API method Telegram then executes"},
            **dict.fromkeys((400, 401, 403, 404, 413), _ERROR),
            503: {**_ERROR, "description": "not recorded or reply pending: deliver it again"},
        },
    )
    async def telegram_webhook(request: Request) -> Response:
        sender: tg.TelegramSender | None = request.app.state.telegram
        if sender is None:
            return _reject("telegram", "disabled", 404, "the Telegram door is not configured")
        given = request.headers.get("x-telegram-bot-api-secret-token")
        if given is None:
            return _reject("telegram", "no_secret", 401, "missing X-Telegram-Bot-Api-Secret-Token")
        if not hmac.compare_digest(given.encode(), settings.TELEGRAM_WEBHOOK_SECRET.encode()):
            return _reject("telegram", "bad_secret", 403, "wrong X-Telegram-Bot-Api-Secret-Token")
        data = _json_object(await request.body())
        if data is None or type(data.get("update_id")) is not int:
            return _reject("telegram", "malformed", 400, "body is not a Telegram update")
        kinds = tg.HANDLED_KINDS.intersection(data)
        metrics.UPDATES.labels("telegram", next(iter(kinds), "other")).inc()
        if not kinds:  # not parsed at all: a kind we ignore must never bounce back as an error
            return JSONResponse(_OK)
        try:
            update = Update.de_json(data, sender.bot)
            membership = tg.membership_change(update)
            incoming = tg.to_incoming(update, bot_username=sender.username)
        except (TypeError, KeyError, ValueError, AttributeError) as exc:
            return _reject(
                "telegram", "malformed", 400, "body is not a Telegram update", cause=exc
            )
        dispatcher: Dispatcher = request.app.state.dispatcher
        query_id = tg.callback_query_id(update)
        try:
            if membership is not None:
                await dispatcher.set_active("telegram", membership[0], active=membership[1])
                return JSONResponse(_OK)
            if incoming is None:
                if query_id is not None:  # a button in a group: still stop its spinner
                    await sender.answer_callback(query_id, tg.private_only_notice(update))
                return JSONResponse(_OK)
            outcome = await dispatcher.process(incoming)
        except (NotRecorded, DatabaseUnavailable):
            return _not_recorded("telegram")
        if query_id is not None and not (outcome.duplicate and not outcome.replies):
            notice = next((r.notice for r in outcome.replies if r.notice), None)
            await sender.answer_callback(query_id, notice)
        if not outcome.replies:
            return JSONResponse(_OK)
        try:
            answer = await sender.send(incoming.chat_id, outcome.replies)
        except (Forbidden, BadRequest) as exc:  # permanent for this chat: retrying cannot help
            logger.warning("update %s: Telegram refused the reply: %s", incoming.update_id, exc)
            if isinstance(exc, Forbidden):  # blocked, or the account is gone
                await _forget_chat(dispatcher, incoming)
            answer = None
        except TelegramError as exc:
            # Unsent replies stay stored; Telegram redelivers on a non-2xx and they go out then.
            logger.warning("update %s: reply not sent yet: %s", incoming.update_id, exc)
            return JSONResponse({"ok": False, "detail": "reply pending"}, status_code=503)
        if answer is None:
            await dispatcher.mark_sent(incoming)
            return JSONResponse(_OK)
        # The last reply rides in this answer: it is out only once the answer is.
        return JSONResponse(answer, background=BackgroundTask(dispatcher.mark_sent, incoming))

    @app.post(
        "/zalo/webhook",
        summary="Zalo Official Account events",
        responses={
            200: {"description": 'handled (`{"error": 0}`)'},
            **dict.fromkeys((400, 401, 404, 413), _ERROR),
            503: {**_ERROR, "description": "not recorded yet; kept and retried by the server"},
        },
    )
    async def zalo_webhook(request: Request, background: BackgroundTasks) -> Response:
        door: zalo.ZaloSender | None = request.app.state.zalo
        if door is None:
            return _reject("zalo", "disabled", 404, "the Zalo door is not configured")
        body = await request.body()
        event = _json_object(body)
        if event is None:
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
        name = str(event.get("event_name", ""))[:64]
        metrics.UPDATES.labels("zalo", name or "other").inc()
        dispatcher: Dispatcher = request.app.state.dispatcher
        user = zalo.sender_id(event)
        incoming = zalo.to_incoming(event)
        try:
            if name in ("follow", "unfollow") and user is not None:
                await dispatcher.set_active("zalo", user, active=name == "follow")
                return JSONResponse({"error": 0})
            if incoming is None:
                return JSONResponse({"error": 0})
            outcome = await dispatcher.process(incoming)
        except (NotRecorded, DatabaseUnavailable):
            # Zalo may not deliver it again: keep it here and retry until it is recorded.
            if incoming is not None:
                request.app.state.zalo_backlog.add(incoming)
            return _not_recorded("zalo")
        if outcome.replies:
            # Zalo wants its answer within 2 s: replies go out after it, from the stored copy.
            background.add_task(_answer_on_zalo, request.app, incoming, outcome.replies)
        return JSONResponse({"error": 0})

    @app.get(
        "/healthz",
        summary="Liveness, and whether the database takes writes",
        responses={503: {"description": "the database cannot be reached or cannot write"}},
    )
    async def healthz(request: Request) -> Response:
        try:
            await request.app.state.db.check_write(utcnow())
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


async def _forget_chat(dispatcher: Dispatcher, incoming: Incoming) -> None:
    """The user blocked the bot: no reminder or broadcast goes to them any more."""
    try:
        await dispatcher.set_active(incoming.platform, incoming.user_id, active=False)
    except DatabaseUnavailable as exc:
        logger.warning("user %s blocked the bot, not recorded: %s", incoming.user_id, exc)


async def _handle_zalo(app: FastAPI, incoming: Incoming) -> None:
    """Handle a Zalo message kept in the backlog, and answer it (raises while not recorded)."""
    outcome = await app.state.dispatcher.process(incoming)
    if outcome.replies:
        await _answer_on_zalo(app, incoming, outcome.replies)


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


def __getattr__(name: str) -> FastAPI:
    """`webhook:app` for uvicorn, built from the environment on first access; in every server
    process (`serve --workers N` starts several), logging is set up first."""
    if name == "app":
        settings = load_settings()
        configure_logging(settings)
        application = create_app(settings)
        globals()["app"] = application
        return application
    raise AttributeError(name)
