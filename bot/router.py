"""Which handler answers an incoming: commands, button actions, locations, the current flow."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.context import Context
from bot.messages import Incoming, Reply
from handlers import (
    assessment,
    dashboard_link,
    faq,
    handover,
    menu,
    officer,
    onboarding,
    reminders,
    tourism,
)

Handler = Callable[[Context, Incoming], Awaitable[list[Reply]]]

COMMANDS: dict[str, Handler] = {
    "start": onboarding.begin,
    "menu": menu.show_menu,
    "help": menu.show_help,
    "cancel": menu.cancel,
    "lang": menu.ask_language,
    "danhgia": assessment.start,
    "ketqua": assessment.results,
    "lich": reminders.upcoming,
    "chungnhan": reminders.certificate_command,
    "hanchot": officer.new_deadline,
    "huyhan": officer.manage,
    "thongbao": officer.new_broadcast,
    "stop": menu.stop,
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
    officer.PREFIX: officer.on_action,
    handover.PREFIX: handover.on_action,
}
"""Button actions by prefix (the part before the first `:`)."""

FLOWS: dict[str, Handler] = {
    onboarding.FLOW: onboarding.on_text,
    assessment.FLOW: assessment.on_text,
    tourism.FLOW: tourism.on_text,
    reminders.FLOW: reminders.on_text,
    officer.FLOW: officer.on_text,
    handover.FLOW: handover.on_text,
}
"""Free text while the user is inside a flow."""

PROMPTS: dict[str, Callable[[Context], Awaitable[list[Reply]]]] = {
    onboarding.FLOW: onboarding.prompt,
    assessment.FLOW: assessment.prompt,
    tourism.FLOW: tourism.prompt,
    reminders.FLOW: reminders.prompt,
    officer.FLOW: officer.prompt,
    handover.FLOW: handover.prompt,
}
"""How each flow re-asks its current step."""


async def route(ctx: Context, msg: Incoming) -> list[Reply]:
    """Pick the handler for `msg` given where the user is, and run it."""
    command = msg.command
    if command is not None:
        handler = COMMANDS.get(command, menu.unknown)
        return await handler(ctx, msg)
    if msg.action is not None:
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
            await tourism.answer_text(ctx, msg)
            or await faq.answer_text(ctx, msg)
            or await menu.unknown(ctx, msg)
        )
    return (
        await faq.answer_text(ctx, msg)
        or await tourism.answer_text(ctx, msg)
        or await menu.unknown(ctx, msg)
    )


async def resume(ctx: Context) -> list[Reply]:
    """Re-ask the user's current step, or show the menu when they are in no flow."""
    prompt = PROMPTS.get(ctx.state.flow)
    if prompt is not None:
        return await prompt(ctx)
    if ctx.user.role is None:
        return await onboarding.prompt(ctx)
    return menu.menu_replies(ctx)
