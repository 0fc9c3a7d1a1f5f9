"""Which handler answers an incoming: commands, button actions, locations, the current flow."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable

from bot.context import Context
from bot.messages import MAX_ACTION_BYTES, Incoming, Reply
from handlers import (
    assessment,
    certificates,
    consent,
    dashboard_link,
    faq,
    handover,
    menu,
    officer,
    onboarding,
    privacy,
    reminders,
    tourism,
)

logger = logging.getLogger(__name__)

Handler = Callable[[Context, Incoming], Awaitable[list[Reply]]]

_ACTION = re.compile(rf"[!-~]{{1,{MAX_ACTION_BYTES}}}")
_LONG_NUMBER = re.compile(r"\d{19}")
"""Numbers in our actions are ids and indexes: 19 digits would not fit a 64-bit integer."""


def well_formed_action(action: str) -> bool:
    """True for data our buttons can carry: printable ASCII, no number too big for an id.
    Anything else (Unicode digits, 40-digit numbers) was forged and is treated as stale."""
    return _ACTION.fullmatch(action) is not None and _LONG_NUMBER.search(action) is None


COMMANDS: dict[str, Handler] = {
    "start": onboarding.begin,
    "menu": menu.show_menu,
    "help": menu.show_help,
    "cancel": menu.cancel,
    "lang": menu.ask_language,
    "danhgia": assessment.start,
    "ketqua": assessment.results,
    "lich": reminders.upcoming,
    "chungnhan": certificates.certificate_command,
    "hanchot": officer.new_deadline,
    "huyhan": officer.manage,
    "thongbao": officer.new_broadcast,
    "stop": menu.stop,
    "privacy": privacy.show_notice,
    "mydata": privacy.my_data,
    "delete": privacy.ask_delete,
    "gapcanbo": handover.start,
    "hangdoi": handover.queue,
    "dashboard": dashboard_link.send_link,
}
"""Slash commands, valid from any step."""

ACTIONS: dict[str, Handler] = {
    onboarding.PREFIX: onboarding.on_action,
    menu.PREFIX: menu.on_action,
    assessment.PREFIX: assessment.on_action,
    faq.PREFIX: faq.on_action,
    tourism.PREFIX: tourism.on_action,
    reminders.PREFIX: reminders.on_action,
    certificates.PREFIX: certificates.on_action,
    officer.PREFIX: officer.on_action,
    consent.PREFIX: consent.on_action,
    privacy.PREFIX: privacy.on_action,
    handover.PREFIX: handover.on_action,
}
"""Button actions by prefix (the part before the first `:`)."""

FLOWS: dict[str, Handler] = {
    onboarding.FLOW: onboarding.on_text,
    assessment.FLOW: assessment.on_text,
    tourism.FLOW: tourism.on_text,
    certificates.FLOW: certificates.on_text,
    officer.FLOW: officer.on_text,
    handover.FLOW: handover.on_text,
}
"""Free text while the user is inside a flow."""

PROMPTS: dict[str, Callable[[Context], Awaitable[list[Reply]]]] = {
    onboarding.FLOW: onboarding.prompt,
    assessment.FLOW: assessment.prompt,
    tourism.FLOW: tourism.prompt,
    certificates.FLOW: certificates.prompt,
    officer.FLOW: officer.prompt,
    consent.FLOW: consent.prompt,
    handover.FLOW: handover.prompt,
}
"""How each flow re-asks its current step."""


async def route(ctx: Context, msg: Incoming) -> list[Reply]:
    """Pick the handler for `msg` given where the user is, and run it."""
    waiting = await consent.gate(ctx, msg)
    if waiting is not None:
        return waiting
    command = msg.command
    if command is not None:
        handler = COMMANDS.get(command, menu.unknown)
        return await handler(ctx, msg)
    if msg.action is not None:
        if not well_formed_action(msg.action):
            logger.info(
                "malformed button data from %s:%s: %r", msg.platform, msg.user_id, msg.action
            )
            return await menu.stale_button(ctx, msg)
        handler = ACTIONS.get(msg.action.split(":", 1)[0], menu.stale_button)
        return await handler(ctx, msg)
    if msg.location is not None:
        return await tourism.on_location(ctx, msg)
    if ctx.state.flow in FLOWS:
        return await FLOWS[ctx.state.flow](ctx, msg)
    if ctx.user.role is None:
        return await onboarding.begin(ctx, msg)
    if ctx.user.role == "tourist":
        return (
            await menu.stray(ctx, msg)
            or await tourism.visitor_text(ctx, msg)
            or await faq.answer_text(ctx, msg)
            or await menu.unknown(ctx, msg)
        )
    return (
        await menu.stray(ctx, msg)
        or await menu.product_lead(ctx, msg)
        or await faq.answer_text(ctx, msg)
        or await tourism.answer_text(ctx, msg)
        or await menu.unknown(ctx, msg)
    )


async def resume(ctx: Context) -> list[Reply]:
    """Re-ask the user's current step, or show the menu when they are in no flow."""
    if not consent.given(ctx):
        return await consent.prompt(ctx)
    prompt = PROMPTS.get(ctx.state.flow)
    if prompt is not None:
        return await prompt(ctx)
    if ctx.user.role is None:
        return await onboarding.prompt(ctx)
    return menu.menu_replies(ctx)
