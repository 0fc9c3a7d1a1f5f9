"""The Telegram door's route, `POST /telegram/webhook`, in one direction: check the secret,
parse the update (`bot.telegram`), dispatch it, answer (the last reply rides in the answer)."""

from __future__ import annotations

import hmac
import logging

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.background import BackgroundTasks
from telegram.error import BadRequest, Forbidden, TelegramError

from bot import metrics
from bot import telegram as tg
from bot import telegram_updates as updates
from bot.delivery import Delivery
from bot.dispatch import Dispatcher, NotRecorded
from bot.messages import Incoming
from bot.settings import Settings
from bot.webhooks._common import ERROR, OK, JsonAnswer, json_object, not_recorded, reject
from db.session import DatabaseUnavailable

logger = logging.getLogger("webhook")
router = APIRouter(tags=["doors"])


@router.post(
    "/telegram/webhook",
    summary="Telegram updates (set with `ocop-bot set-webhook`)",
    responses={
        200: {"description": "handled; may name a Bot API method Telegram then executes"},
        **dict.fromkeys((400, 401, 403, 404, 413), ERROR),
        503: {**ERROR, "description": "not recorded or reply pending: deliver it again"},
    },
)
async def telegram_webhook(request: Request) -> Response:
    """Parse → dispatch → answer: the first reply rides in the HTTP answer, the rest go by Bot
    API call; a non-2xx answer whenever the update was not recorded, so Telegram redelivers."""
    settings: Settings = request.app.state.settings
    sender: tg.TelegramSender | None = request.app.state.telegram
    if sender is None:
        return reject("telegram", "disabled", 404, "the Telegram door is not configured")
    given = request.headers.get("x-telegram-bot-api-secret-token")
    if given is None:
        return reject("telegram", "no_secret", 401, "missing X-Telegram-Bot-Api-Secret-Token")
    if not hmac.compare_digest(given.encode(), settings.TELEGRAM_WEBHOOK_SECRET.encode()):
        return reject("telegram", "bad_secret", 403, "wrong X-Telegram-Bot-Api-Secret-Token")
    data = json_object(await request.body())
    if data is None or type(data.get("update_id")) is not int:
        return reject("telegram", "malformed", 400, "body is not a Telegram update")
    kinds = updates.HANDLED_KINDS.intersection(data)
    metrics.child(metrics.UPDATES, "telegram", next(iter(kinds), "other")).inc()
    if not kinds:  # not parsed at all: a kind we ignore must never bounce back as an error
        return JsonAnswer(OK)
    try:
        membership = updates.membership_change(data)
        incoming = updates.to_incoming(data, bot_username=sender.username)
        query_id = updates.callback_query_id(data)
    except (TypeError, KeyError, ValueError, AttributeError) as exc:
        return reject("telegram", "malformed", 400, "body is not a Telegram update", cause=exc)
    dispatcher: Dispatcher = request.app.state.dispatcher
    after = BackgroundTasks()  # run once the answer is out: nothing here holds the request
    try:
        if membership is not None:
            await dispatcher.set_active("telegram", membership[0], active=membership[1])
            return JsonAnswer(OK)
        if incoming is None:
            if query_id is not None:  # a button in a group: still stop its spinner
                after.add_task(sender.answer_callback, query_id, updates.private_only_notice(data))
            return JsonAnswer(OK, background=after)
        outcome = await dispatcher.process(incoming, queue_if=sender.after_answer)
    except (NotRecorded, DatabaseUnavailable):
        return not_recorded("telegram")
    if query_id is not None and not (outcome.duplicate and not outcome.replies):
        notice = next((r.notice for r in outcome.replies if r.notice), None)
        after.add_task(sender.answer_callback, query_id, notice)
    if outcome.queued is not None:
        after.add_task(send_queued, dispatcher, sender, outcome.queued)
    if outcome.queued is not None or not outcome.replies:
        return JsonAnswer(OK, background=after)
    try:
        answer = await sender.send(incoming.chat_id, outcome.replies)
    except (Forbidden, BadRequest) as exc:  # permanent for this chat: retrying cannot help
        logger.warning("update %s: Telegram refused the reply: %s", incoming.update_id, exc)
        if isinstance(exc, Forbidden):  # blocked, or the account is gone
            await forget_chat(dispatcher, incoming)
        answer = None
    except TelegramError as exc:
        # Unsent replies stay stored; Telegram redelivers on a non-2xx and they go out then.
        logger.warning("update %s: reply not sent yet: %s", incoming.update_id, exc)
        return JsonAnswer({"ok": False, "detail": "reply pending"}, status_code=503)
    if answer is None:
        await dispatcher.mark_sent(incoming)
        return JsonAnswer(OK, background=after)
    # The last reply rides in this answer: it is out only once the answer is.
    after.add_task(dispatcher.mark_sent, incoming)
    return JsonAnswer(answer, background=after)


async def send_queued(dispatcher: Dispatcher, sender: tg.TelegramSender, item_id: int) -> None:
    """Send the replies queued with the update, now that the answer is out. The row is claimed
    like any outbox row: if this process cannot, the delivery loop sends it. Only this row: a
    broadcast or a reminder due to the chat is the worker's, paced with the rest (README
    "Scaling": one process sends them)."""
    try:
        await Delivery(dispatcher.db, {"telegram": sender}).send_claimed(item_id)
    except DatabaseUnavailable as exc:
        logger.warning("outbox %d: queued replies left to the delivery loop: %s", item_id, exc)


async def forget_chat(dispatcher: Dispatcher, incoming: Incoming) -> None:
    """The user blocked the bot: no reminder or broadcast goes to them any more."""
    try:
        await dispatcher.set_active(incoming.platform, incoming.user_id, active=False)
    except DatabaseUnavailable as exc:
        logger.warning("user %s blocked the bot, not recorded: %s", incoming.user_id, exc)
