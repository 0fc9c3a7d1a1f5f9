"""Which handler answers an incoming: commands, button actions, locations, the current flow.

The tables are built from each handler module's `Conversation` declaration; two conversations
claiming the same command, button prefix or flow stop the import."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from bot.actions import Action
from bot.context import Context
from bot.conversation import Conversation, Handler
from bot.messages import Incoming, Reply
from handlers import (
    assessment,
    assessment_questions,
    assessment_result,
    broadcasts,
    certificates,
    consent,
    dashboard_link,
    deadlines,
    faq,
    handover,
    menu,
    office_faq,
    officer_rights,
    onboarding,
    privacy,
    reminders,
    tourism,
)
from knowledge.language import reply_language
from knowledge.text import LOCALES, as_locale
from knowledge.typed_commands import (
    certificate_asked,
    criterion_asked,
    officer_wish,
    part_asked,
    plan_asked,
    result_asked,
    typed_command,
)

logger = logging.getLogger(__name__)

CONVERSATIONS: tuple[Conversation, ...] = (
    onboarding.CONVERSATION,
    consent.CONVERSATION,
    menu.CONVERSATION,
    assessment.CONVERSATION,
    faq.CONVERSATION,
    tourism.CONVERSATION,
    reminders.CONVERSATION,
    certificates.CONVERSATION,
    deadlines.CONVERSATION,
    broadcasts.CONVERSATION,
    officer_rights.CONVERSATION,
    privacy.CONVERSATION,
    handover.CONVERSATION,
    dashboard_link.CONVERSATION,
)


def tables(
    conversations: Iterable[Conversation],
) -> tuple[dict[str, Handler], dict[str, Conversation], dict[str, Conversation]]:
    """Commands, conversations by button prefix and by flow; ValueError when two conversations
    claim the same command, prefix or flow."""
    commands: dict[str, Handler] = {}
    by_prefix: dict[str, Conversation] = {}
    by_flow: dict[str, Conversation] = {}
    owners: dict[str, str] = {}

    def claim(what: str, by: Conversation) -> None:
        if what in owners:
            raise ValueError(f"{what} is claimed by both {owners[what]} and {by.name}")
        owners[what] = by.name

    for conversation in conversations:
        for command, handler in conversation.commands.items():
            claim(f"/{command}", conversation)
            commands[command] = handler
        if conversation.actions is not None:
            claim(f"button prefix {conversation.actions.prefix}:", conversation)
            by_prefix[conversation.actions.prefix] = conversation
        if conversation.flow:
            claim(f"flow {conversation.flow}", conversation)
            by_flow[conversation.flow] = conversation
    return commands, by_prefix, by_flow


COMMANDS, ACTIONS, FLOWS = tables(CONVERSATIONS)
"""Slash commands (valid from any step); conversations by button prefix (the part before the
first `:`) and by the flow the user is in."""


def decoded(action: str) -> Action | None:
    """The action a button press carries, or None when no conversation made it (forged, cut
    short, or from a version that had other buttons)."""
    owner = ACTIONS.get(action.split(":", 1)[0])
    return None if owner is None or owner.actions is None else owner.actions.decode(action)


REPLY_LANGUAGE = "reply_lang"
"""The state key keeping the language a typed question was answered in (when not the user's
setting), for the buttons pressed under the answer."""


async def route(ctx: Context, msg: Incoming) -> list[Reply]:
    """Pick the handler for `msg` given where the user is, and run it. A question typed
    confidently in the other language than the user's is answered in it, with the switch
    offered; so are the buttons pressed after it, until the next typed text or command."""
    kept = ctx.state.data.get(REPLY_LANGUAGE)
    if msg.action is not None and kept in LOCALES and kept != ctx.user.locale:
        ctx.reply_locale = kept
    replies = await _route(ctx, msg)
    if ctx.reply_locale is None or ctx.erased:
        ctx.state.data.pop(REPLY_LANGUAGE, None)
    else:
        ctx.state.data[REPLY_LANGUAGE] = ctx.reply_locale
    return replies


async def _route(ctx: Context, msg: Incoming) -> list[Reply]:
    action = None if msg.action is None else decoded(msg.action)
    waiting = await consent.gate(ctx, msg, action)
    if waiting is not None:
        return waiting
    command = msg.command
    if command is not None:
        return await COMMANDS.get(command, menu.unknown)(ctx, msg)
    if msg.action is not None:
        owner = ACTIONS.get(msg.action.split(":", 1)[0])
        if action is None or owner is None or owner.on_action is None:
            logger.info("stale button data from %s:%s: %r", msg.platform, msg.user_id, msg.action)
            return await menu.stale_button(ctx, msg)
        return await owner.on_action(ctx, msg, action)
    if msg.location is not None:
        return await tourism.on_location(ctx, msg)
    flow = FLOWS.get(ctx.state.flow)
    if flow is not None and flow.on_text is not None and not flow.questions:
        return await flow.on_text(ctx, msg)
    if ctx.user.role is None:
        return await onboarding.begin(ctx, msg)
    # a question confidently in the other language is answered in it, with the switch offered
    ctx.reply_locale = reply_language(msg.text, as_locale(ctx.user.locale))
    return menu.offer_language(ctx, await _question(ctx, msg, flow))


async def _question(ctx: Context, msg: Incoming, flow: Conversation | None) -> list[Reply]:
    """Free text at the menu, or in a flow whose text is questions (a command typed in words
    there too: "tiếng việt" asked where to look is /lang, no place)."""
    typed = typed_command(msg.text)  # "xóa dữ liệu của tôi" is /delete
    if typed is not None:
        return await COMMANDS[typed](ctx, msg)
    if flow is not None and flow.on_text is not None:
        return await flow.on_text(ctx, msg)
    wish = officer_wish(msg.text)  # "gửi thông báo cho các HTX ở Thái Nguyên": /thongbao with
    if wish is not None:  # its audience, a deadline with its date; others hear it is an officer's
        if wish.command == "thongbao":
            return await broadcasts.new_broadcast(ctx, msg, wish)
        if wish.command == "huyhan":
            return await deadlines.manage(ctx, msg, wish)
        return await deadlines.new_deadline(ctx, msg, wish)
    restated = onboarding.role_restated(ctx, msg)  # "tôi là cán bộ OCOP tỉnh Bắc Ninh"
    if restated:
        return restated
    stars = plan_asked(msg.text) if ctx.user.role != "tourist" else None
    if stars is not None:  # "muốn lên 3 sao thì cần sửa gì": the plan of their last result,
        # or, with none yet, the lead into the self-assessment that makes one
        planned = await assessment_result.plan_in_words(ctx, stars)
        return planned if planned is not None else await faq.assessment_offer(ctx, msg)
    code = criterion_asked(msg.text) if ctx.user.role != "tourist" else None
    if code is not None:  # "câu 2.2 nghĩa là gì": that criterion of their latest sheet
        shown = await assessment_questions.criterion_in_words(ctx, code)
        return shown if shown is not None else await faq.assessment_offer(ctx, msg)
    part = part_asked(msg.text) if ctx.user.role != "tourist" else None
    if part is not None:  # "phần C em được bao nhiêu": that part of their latest result
        shown = await assessment_result.part_in_words(ctx, part)
        return shown if shown is not None else await faq.assessment_offer(ctx, msg)
    if ctx.user.role != "tourist" and result_asked(msg.text):  # "điểm của em bao nhiêu"
        latest = await assessment_result.latest_in_words(ctx)
        return latest if latest is not None else await faq.assessment_offer(ctx, msg)
    asked = certificate_asked(msg.text) if ctx.user.role != "tourist" else None
    if asked is not None:  # "bao giờ hết hạn", "nhắc tôi trước 3 tháng": their certificates
        return await certificates.in_words(ctx, lead=asked == "lead")
    if ctx.user.role == "tourist":
        return (
            await tourism.more_text(ctx, msg)  # "xem thêm" after a list: its next page
            or await menu.stray(ctx, msg)
            or await office_faq.officer_answer(ctx, msg)  # what the office taught, first
            or await tourism.about_seen(ctx, msg)  # "how do I get there?" after a card
            or await tourism.price_question(ctx, msg)  # "nước mắm OCOP bán bao nhiêu tiền"
            or await tourism.named_places(ctx, msg)  # "tỉnh X có điểm du lịch OCOP nào"
            or await faq.programme_answer(ctx, msg)
            or await tourism.visitor_text(ctx, msg)
            or await faq.answer_text(ctx, msg)
            or await menu.unknown(ctx, msg)
        )
    return (
        await tourism.more_text(ctx, msg)
        or await menu.stray(ctx, msg)
        or await office_faq.officer_answer(ctx, msg)
        or await tourism.about_seen(ctx, msg)
        or await tourism.price_question(ctx, msg)
        or await faq.about_their_product(ctx, msg)  # "HTX em làm chè, được mấy sao"
        or await faq.programme_answer(ctx, msg)
        or await tourism.place_question(ctx, msg)
        or await menu.product_lead(ctx, msg)
        or await faq.answer_text(ctx, msg)
        or await tourism.answer_text(ctx, msg)
        or await menu.unknown(ctx, msg)
    )


async def resume(ctx: Context) -> list[Reply]:
    """Re-ask the user's current step, or show the menu when they are in no flow."""
    if not consent.given(ctx):
        return await consent.prompt(ctx)
    flow = FLOWS.get(ctx.state.flow)
    if flow is not None and flow.prompt is not None:
        return await flow.prompt(ctx)
    if ctx.user.role is None:
        return await onboarding.prompt(ctx)
    return menu.menu_replies(ctx)
