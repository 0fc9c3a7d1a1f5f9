"""Consent at first contact (Law 91/2025/QH15, Decree 356/2025/NĐ-CP): the privacy notice with
two equal buttons, nothing pre-selected, before anything but the question is stored.

A question typed before the answer ("ocop là gì", "làng gốm gần Huế") waits in the conversation
state only, never in the user's record, and is answered with the answer to the notice (after
"agree" before the first step, after "decline" if it needs nothing stored), then dropped; a
role said in it ("tôi làm nông dân ở Tây Ninh") answers the first step.

Until the user answers, only the notice, the privacy commands and the language switch work.
A user who declines keeps what works without storing anything about them (FAQ answers, places
by name or by a location shared and forgotten at once) and can agree later.
A clear answer typed instead of pressed ("đồng ý ạ", "I don't agree") counts as the button; "ok"
alone, "để sau" or a question gets the question again with the buttons, not the whole notice.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from bot.actions import Action
from bot.context import Context, FlowData, key
from bot.conversation import Conversation
from bot.messages import Button, Incoming, Reply
from db import privacy
from handlers import actions as do
from handlers import faq, onboarding, tourism
from handlers.menu import language_buttons, menu_replies
from knowledge.consent_words import consent_language, read_consent, speaks_of_consent
from knowledge.language import written_in
from knowledge.small_talk import small_talk

FLOW = "consent"
NOTICE_VERSION = "v1"
"""Change it when the notice's content changes: everyone is asked again."""

_OPEN_COMMANDS = frozenset({"privacy", "mydata", "delete", "help", "lang"})
_OPEN_ACTIONS = (do.AskLanguage, do.SetLanguage)
_OPEN_CODECS = (do.consent, do.privacy)
_WITHOUT_STORING = (
    do.FaqTopics,
    do.FaqAnswer,
    do.FaqDetails,
    do.FaqOfficer,
    do.PlaceDetails,
    do.PlacesNear,
)
"""Buttons that answer from the knowledge alone, for a user who declined."""


class Step(StrEnum):
    ASK = "ask"


@dataclass(slots=True)
class Asked(FlowData):
    """The notice shown; whether it offered the language too (then the language is chosen), and
    whether the user's own words already set it (a notice asked for in English)."""

    offer_language: bool = False
    language_said: bool = False
    held: str = field(default="", metadata=key(privacy.HELD_KEY))
    """The last question typed before the answer, answered with it (then dropped; the
    retention drops it too when the notice is left unanswered)."""


_HELD_CHARS = 1000
"""At most this much of a question typed before the answer is kept for it."""


def _holds(text: str) -> bool:
    """Whether a message typed at the notice is kept to be answered after it: not a greeting,
    an "ok" or words about the notice itself ("để sau", "chưa đồng ý")."""
    return bool(text.strip()) and small_talk(text) is None and not speaks_of_consent(text)


def given(ctx: Context) -> bool:
    """True when the user agreed to the notice in force."""
    return ctx.user.consent_given and ctx.user.consent_version == NOTICE_VERSION


def declined(ctx: Context) -> bool:
    """True when the user said no to the notice in force."""
    return not ctx.user.consent_given and ctx.user.consent_version == NOTICE_VERSION


def notice_text(ctx: Context) -> str:
    """What is kept, why, for how long and who sees it."""
    settings = ctx.settings
    return ctx.t(
        "consent.notice",
        minutes=settings.LOCATION_RETENTION_MINUTES,
        days=settings.REPLY_RETENTION_DAYS,
        years=f"{settings.INACTIVE_USER_DAYS / 365:.1f}".removesuffix(".0"),
    )


def ask(
    ctx: Context,
    *,
    offer_language: bool = False,
    again: bool = False,
    said: bool = False,
    typed: str = "",
) -> list[Reply]:
    """The notice and its two answers, side by side and alike; where the door does not tell the
    user's language (console, Zalo), the language choice too. `again`: the notice is just
    above, so only the question (a user typing "ok" is not sent the whole notice again).
    `said`: the language was set from the user's words, so it counts as chosen. `typed`: the
    message it answers, held for after the answer when it is a question."""
    kept = ctx.state.load(Asked) if ctx.state.flow == FLOW else Asked()
    held = typed.strip()[:_HELD_CHARS] if _holds(typed) else kept.held
    asked = Asked(offer_language, language_said=said or kept.language_said, held=held)
    ctx.state.go(FLOW, Step.ASK, asked)
    buttons: tuple[tuple[Button, ...], ...] = (
        (
            Button(ctx.t("consent.yes"), do.Agree(NOTICE_VERSION).encode()),
            Button(ctx.t("consent.no"), do.Decline(NOTICE_VERSION).encode()),
        ),
    )
    if offer_language:
        buttons += language_buttons(ctx.user.locale, do.SetLanguage)
    lines: tuple[str, ...] = (
        (ctx.t("start.use_buttons"),) if again else (ctx.t("consent.title"), notice_text(ctx))
    )
    if held and onboarding.read_role(held) is None and (held != kept.held or not again):
        lines += (ctx.t("consent.held"),)  # the question is not lost, nor the promise
    return [Reply(text="\n".join((*lines, ctx.t("consent.question"))), buttons=buttons)]


async def prompt(ctx: Context) -> list[Reply]:
    """Ask again (after a language change, or when the user comes back)."""
    offer = ctx.state.load(Asked).offer_language
    return _declined_replies(ctx) if declined(ctx) else ask(ctx, offer_language=offer)


def _open(action: Action | None) -> bool:
    """A button that works before consent: the notice's, privacy's, the language switch."""
    return action is not None and (
        action.codec in _OPEN_CODECS or isinstance(action, _OPEN_ACTIONS)
    )


async def gate(ctx: Context, msg: Incoming, action: Action | None) -> list[Reply] | None:
    """None when the user may go on; otherwise the answer while consent is missing. `action` is
    the button's, decoded (None for none, or one no conversation made)."""
    if given(ctx):
        return None
    command = msg.command
    if command in _OPEN_COMMANDS or (command is None and _open(action)):
        return None
    typed = None if command or msg.action is not None else read_consent(msg.text)
    if typed is not None and (ctx.state.flow == FLOW or (declined(ctx) and typed == "agree")):
        said_in = consent_language(msg.text)  # "đồng ý ạ": Vietnamese, "I agree": English
        asked = ctx.state.load(Asked) if ctx.state.flow == FLOW else Asked()
        if said_in is not None and asked.offer_language:
            ctx.use_language(said_in)
        chose = said_in is not None or asked.language_said  # "yes" after an English question
        return await _answer(ctx, msg, agreed=typed == "agree", chose_language=chose)
    if not declined(ctx) or command == "start":
        in_words = not command and msg.action is None
        asked_before = ctx.state.flow == FLOW and in_words
        offer_language = not msg.locale_hint
        moved = in_words and _answer_in(ctx, msg.text, offer_language)
        if moved:
            asked_before = False  # a notice above is in the other language: all of it again
        return ask(
            ctx,
            offer_language=offer_language,
            again=asked_before,
            said=moved and offer_language,
            typed=msg.text if in_words else "",
        )
    if isinstance(action, _WITHOUT_STORING) or (msg.location is not None and not command):
        return None
    if not command and msg.action is None and msg.text:
        answer = await _without_storing(ctx, msg)
        if answer:
            return answer
    return _declined_replies(ctx, again=True)


async def _without_storing(ctx: Context, msg: Incoming) -> list[Reply]:
    """The answers that need nothing stored: the FAQ's, the place search's ([] for none)."""
    return await faq.answer_text(ctx, msg) or await tourism.answer_text(ctx, msg) or []


def _answer_in(ctx: Context, text: str, offer_language: bool) -> bool:
    """Answer a message typed confidently in the other language (`knowledge.language`) in it:
    where the door did not tell the user's language (console, Zalo) it becomes the setting,
    as a typed "I agree" would; otherwise only the replies. True when it is the other one."""
    said = written_in(text)
    if said is None or said == ctx.locale:
        return False
    if offer_language:
        ctx.use_language(said)
    else:
        ctx.reply_locale = said
    return True


async def on_action(ctx: Context, msg: Incoming, action: Action) -> list[Reply]:
    """Agree or decline; a button of an older notice shows the new one."""
    match action:
        case do.Agree(version) | do.Decline(version) if version == NOTICE_VERSION:
            return await _answer(ctx, msg, agreed=isinstance(action, do.Agree))
    return ask(ctx)


async def _answer(
    ctx: Context, msg: Incoming, *, agreed: bool, chose_language: bool = True
) -> list[Reply]:
    """Record the answer. `chose_language`: false for a bare "yes" typed past the language
    buttons, which the first screen then offers again."""
    user = ctx.user
    user.consent_version, user.consent_given = NOTICE_VERSION, agreed
    ctx.write(
        lambda connection, uid: privacy.record_consent(
            connection,
            user_id=uid,
            version=NOTICE_VERSION,
            given=agreed,
            platform=msg.platform,
            at=ctx.now,
        )
    )
    asked = ctx.state.load(Asked) if ctx.state.flow == FLOW else Asked()
    chosen = asked.offer_language and chose_language  # the language offered, so chosen
    ctx.state.clear()  # the question held goes with it
    held = replace(msg, text=asked.held, action=None) if asked.held else None
    if not agreed:  # what was kept before needs consent too: the profile goes
        user.display_name, user.role, user.province_code = "", None, None
        answer = await _without_storing(ctx, held) if held else []
        return [*_declined_replies(ctx), *answer]
    thanks = Reply(text=ctx.t("consent.thanks"), notice=ctx.t("consent.thanks"))
    if user.role is not None:
        return [thanks, *(await _without_storing(ctx, held) if held else []), *menu_replies(ctx)]
    if held is not None and onboarding.read_role(held.text) is not None:  # the first answer
        return [thanks, *await onboarding.begin(ctx, msg, language_chosen=chosen, said=held)]
    answer = await _without_storing(ctx, held) if held else []
    return [thanks, *answer, *await onboarding.begin(ctx, msg, language_chosen=chosen)]


def _declined_replies(ctx: Context, *, again: bool = False) -> list[Reply]:
    """What works without storing, and the way to agree; shorter once the user has read it."""
    ctx.state.clear()
    buttons = (
        (Button(ctx.t("consent.agree_now"), do.Agree(NOTICE_VERSION).encode()),),
        (
            Button(ctx.t("consent.faq"), do.FaqTopics().encode()),
            Button(ctx.t("consent.read"), do.PrivacyNotice().encode()),
        ),
    )
    text = ctx.t("consent.needs_consent") if again else ctx.t("consent.declined")
    return [Reply(text=text, buttons=buttons)]


CONVERSATION = Conversation(
    name="consent", actions=do.consent, on_action=on_action, flow=FLOW, prompt=prompt
)
