"""The Zalo door's route: `POST /zalo/webhook` — verify the signature and age, dispatch, and
answer after the response (Zalo wants it within 2 s); events not recorded are kept and retried."""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial

from fastapi import APIRouter, BackgroundTasks, FastAPI, Request
from fastapi.responses import Response

from bot import metrics, zalo
from bot.dispatch import Dispatcher, NotRecorded
from bot.messages import Incoming, Reply, reply_to_dict
from bot.settings import Settings
from bot.webhooks._common import ERROR, JsonAnswer, json_object, not_recorded, reject
from db import repo
from db.models import utcnow
from db.session import DatabaseUnavailable

logger = logging.getLogger("webhook")
router = APIRouter(tags=["doors"])

_ZALO_MAX_AGE = timedelta(minutes=15)
_ZALO_MAX_SKEW = timedelta(minutes=5)


@router.post(
    "/zalo/webhook",
    summary="Zalo Official Account events",
    responses={
        200: {"description": 'handled (`{"error": 0}`)'},
        **dict.fromkeys((400, 401, 404, 413), ERROR),
        503: {**ERROR, "description": "not recorded yet; kept and retried by the server"},
    },
)
async def zalo_webhook(request: Request, background: BackgroundTasks) -> Response:
    """Verify → dispatch → answer after the 2 s Zalo allows (from the stored replies); an event
    not recorded is kept in the backlog and retried here."""
    settings: Settings = request.app.state.settings
    door: zalo.ZaloSender | None = request.app.state.zalo
    if door is None:
        return reject("zalo", "disabled", 404, "the Zalo door is not configured")
    body = await request.body()
    event = json_object(body)
    if event is None:
        return reject("zalo", "malformed", 400, "body is not a Zalo event")
    if str(event.get("app_id", "")) != settings.ZALO_APP_ID or not zalo.verify_signature(
        body,
        request.headers.get("x-zevent-signature"),
        app_id=settings.ZALO_APP_ID,
        timestamp=str(event.get("timestamp", "")),
        secret=settings.ZALO_OA_SECRET_KEY,
    ):
        return reject("zalo", "bad_signature", 401, "missing or wrong X-ZEvent-Signature")
    sent_at = zalo.event_time(event)
    now = utcnow()
    if sent_at is None or not now - _ZALO_MAX_AGE <= sent_at <= now + _ZALO_MAX_SKEW:
        return reject("zalo", "stale", 401, "event timestamp too old or in the future")
    name = str(event.get("event_name", ""))[:64]
    metrics.child(metrics.UPDATES, "zalo", name or "other").inc()
    dispatcher: Dispatcher = request.app.state.dispatcher
    user = zalo.sender_id(event)
    incoming = zalo.to_incoming(event)
    try:
        if name in ("follow", "unfollow") and user is not None:
            await dispatcher.set_active("zalo", user, active=name == "follow")
            return JsonAnswer({"error": 0})
        if incoming is None:
            return JsonAnswer({"error": 0})
        outcome = await dispatcher.process(incoming)
    except (NotRecorded, DatabaseUnavailable):
        # Zalo may not deliver it again: keep it here and retry until it is recorded.
        if incoming is not None:
            request.app.state.zalo_backlog.add(incoming)
        return not_recorded("zalo")
    if outcome.replies:
        # Zalo wants its answer within 2 s: replies go out after it, from the stored copy.
        background.add_task(answer, request.app, incoming, outcome.replies)
    return JsonAnswer({"error": 0})


async def handle_kept(app: FastAPI, incoming: Incoming) -> None:
    """Handle a Zalo message kept in the backlog, and answer it (raises while not recorded)."""
    outcome = await app.state.dispatcher.process(incoming)
    if outcome.replies:
        await answer(app, incoming, outcome.replies)


async def answer(app: FastAPI, incoming: Incoming, replies: list[Reply]) -> None:
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
