"""The HTTP face of the bot (FastAPI), assembled: the doors' webhook routes (`bot/webhooks/`),
the REST API (`bot/api.py`), the office's dashboard, health and metrics; and the lifespan that
opens the database, the senders and (unless RUN_WORKER=false) the clock and the outbox."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST

from bot import dashboard, metrics
from bot.api import install_error_handlers, places_router
from bot.api import router as api_router
from bot.backlog import Backlog
from bot.dispatch import Dispatcher
from bot.flood import Flood, LiveThrottle
from bot.i18n import translator
from bot.logs import configure_logging
from bot.senders import open_senders
from bot.settings import Settings, load_settings
from bot.webhooks import telegram as telegram_door
from bot.webhooks import zalo as zalo_door
from bot.webhooks.direct import DirectApp
from bot.worker import Worker
from db.models import utcnow
from db.session import Database
from knowledge.preload import preload
from knowledge.text import LOCALES

logger = logging.getLogger(__name__)

GC_THRESHOLDS = (10_000, 10, 10)
"""The collector's thresholds while serving (Python's: 700, 10, 10). An update allocates a few
thousand objects, nearly all gone when it is answered: collecting every 700 allocations
scanned them mid-update and moved the survivors to older generations to be scanned again.
Measured with `bench/webhook.py`'s mix: 7-11 % less CPU per update; a young collection of
10,000 objects pauses for about half a millisecond."""


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; the database schema is brought up to date when it starts."""
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = Database(settings.DATABASE_URL)
        await db.upgrade()
        if settings.PRELOAD:
            preload()  # the first question after a start is answered as fast as any other
            for locale in LOCALES:
                translator(locale)  # its catalog is compiled on first use (~70 ms)
        # What startup made lives as long as the process: out of the collector's reach, a full
        # collection no longer scans it (it paused every request 150-200 ms, bench/webhook.py).
        gc.freeze()
        gc.set_threshold(*GC_THRESHOLDS)
        app.state.db = db
        app.state.dispatcher = Dispatcher(
            db,
            settings,
            flood=Flood(settings.FLOOD_BURST, settings.FLOOD_PER_SECOND),
            live=LiveThrottle(),
        )
        senders = await open_senders(settings, db)
        app.state.telegram = senders.telegram
        app.state.zalo = senders.zalo
        app.state.zalo_backlog = Backlog(partial(zalo_door.handle_kept, app))
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

    # Telegram's updates go straight to their endpoint, past FastAPI's layers; the body limit
    # comes first for every request (bot/webhooks/direct.py).
    app = DirectApp(
        direct=telegram_door.router,
        body_limit=settings.MAX_BODY_BYTES,
        title="ocop-bot",
        description="OCOP chat bot: Telegram webhook, health, metrics and the OCOP REST API.",
        version="0.1.0",
        lifespan=lifespan,
        # Metrics are Prometheus' (/metrics). FastAPI's own OpenTelemetry hooks, off: asking
        # OpenTelemetry whether it is configured, on every request, was 1 % of an update's CPU.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    install_error_handlers(app)
    # The doors first, then health and metrics: FastAPI prepares a router's routes (their
    # models) when a request first scans past them, so a webhook's first answer and the first
    # health check do not wait for the API and dashboard's (a fresh app's first webhook answer:
    # about 6× faster; a server's first /healthz, as a load balancer polls it: about 0.1 s of
    # CPU less). No paths overlap.
    app.include_router(telegram_door.router)
    app.include_router(zalo_door.router)
    app.state.settings = settings

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
        return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    app.include_router(api_router)
    app.include_router(places_router)
    dashboard.install(app)
    return app


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
