"""The main menu, help, profile, language, cancel, and the answer to anything not understood."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from bot.actions import Action
from bot.context import Context
from bot.conversation import Conversation
from bot.i18n import N_, Translator
from bot.messages import Button, Incoming, Reply
from db.privacy import LOCATION_KEYS
from handlers import actions as do
from handlers import officer_actions
from handlers.ask_officer import ask_officer_button
from handlers.learning import record_unanswered
from knowledge.criteria import named_sets
from knowledge.regions import by_code
from knowledge.small_talk import small_talk
from knowledge.typed_dates import read_when

ROLE_LABELS = {
    "producer": N_("role.producer"),
    "tourist": N_("role.tourist"),
    "officer": N_("role.officer"),
}
_SMALL_TALK = {
    "greeting": N_("smalltalk.greeting"),
    "thanks": N_("smalltalk.thanks"),
    "farewell": N_("smalltalk.farewell"),
    "ack": N_("smalltalk.ack"),
}
LANGUAGE_LABELS = {"vi": "🇻🇳 Tiếng Việt", "en": "🇬🇧 English"}


def menu_button(t: Translator) -> Button:
    """The way back to the main menu, offered on every dead-end-prone reply."""
    return Button(label=t("menu.button"), action=do.ShowMenu().encode())


def language_buttons(
    current: str, choose: Callable[[do.Language], Action]
) -> tuple[tuple[Button, ...], ...]:
    """Vietnamese / English, the current one ticked; `choose` makes each button's action."""
    return (
        tuple(
            Button(
                label=LANGUAGE_LABELS[code] + (" ✓" if code == current else ""),
                action=choose(code).encode(),
            )
            for code in do.LANGUAGES
        ),
    )


def offer_language(ctx: Context, replies: list[Reply]) -> list[Reply]:
    """Replies to a message answered in its own language (`Context.reply_locale`), the last
    with a button to use that language from now on: the setting is never changed unasked."""
    if ctx.reply_locale is None or not replies:
        return replies
    keep = Button(ctx.t("lang.keep"), do.SetLanguage(ctx.reply_locale).encode())
    last = replies[-1]
    return [*replies[:-1], replace(last, buttons=(*last.buttons, (keep,)))]


def producer_can_do(ctx: Context) -> tuple[str, tuple[tuple[Button, ...], ...]]:
    """What the bot does for a producer, said after declining what it does not ("what's the
    weather", "who won the football"): the line, and the self-assessment's and the FAQ's
    buttons (a visitor's decline offers places only)."""
    rows = (
        (Button(ctx.t("menu.assess"), do.StartAssessment().encode()),),
        (Button(ctx.t("menu.faq"), do.FaqTopics().encode()),),
    )
    return ctx.t("menu.producer_can_do"), rows


def menu_replies(ctx: Context) -> list[Reply]:
    """The main menu for the user's role."""
    t = ctx.t
    if ctx.user.role is None:
        return [
            Reply(
                text=t("menu.not_started"),
                buttons=((Button(t("menu.start"), do.StartOnboarding().encode()),),),
            )
        ]
    rows: list[tuple[Button, ...]] = []
    if ctx.user.role == "tourist":
        rows.append(
            (
                Button(t("menu.near_me"), do.AskWhere().encode()),
                Button(t("menu.faq"), do.FaqTopics().encode()),
            )
        )
    if ctx.user.role in ("producer", "officer"):
        rows.append((Button(t("menu.assess"), do.StartAssessment().encode()),))
        rows.append(
            (
                Button(t("menu.results"), do.MyResults().encode()),
                Button(t("menu.faq"), do.FaqTopics().encode()),
            )
        )
        rows.append(
            (
                Button(t("menu.deadlines"), do.Upcoming().encode()),
                Button(t("menu.certificate"), do.OpenCertificates().encode()),
            )
        )
    if ctx.user.role == "officer" and ctx.user.officer_approved:
        rows.append(
            (
                Button(t("menu.new_deadline"), officer_actions.NewDeadline().encode()),
                Button(t("menu.broadcast"), officer_actions.NewBroadcast().encode()),
            )
        )
        rows.append((Button(t("menu.handover_queue"), do.HandoverQueue().encode()),))
    else:
        rows.append((ask_officer_button(t),))
    rows.append(
        (
            Button(t("menu.profile"), do.ShowProfile().encode()),
            Button(t("menu.language"), do.AskLanguage().encode()),
        )
    )
    rows.append((Button(t("menu.help"), do.ShowHelp().encode()),))
    return [Reply(text=t("menu.title"), buttons=tuple(rows))]


async def show_menu(ctx: Context, msg: Incoming) -> list[Reply]:
    """Leave any flow and show the main menu (a location shared within the hour is kept: "làng
    nghề" typed next means near it)."""
    ctx.state.clear(keep=LOCATION_KEYS)
    return menu_replies(ctx)


async def show_help(ctx: Context, msg: Incoming) -> list[Reply]:
    """The commands this user's role can use, then those that always work."""
    return help_replies(ctx)


def help_replies(ctx: Context) -> list[Reply]:
    """`show_help`'s answer."""
    t, user = ctx.t, ctx.user
    sections = []
    if user.role == "tourist":
        sections.append(t("help.tourist"))
    if user.role in ("producer", "officer"):
        sections.append(t("help.producer"))
    if user.role == "officer" and user.officer_approved:
        sections.append(t("help.officer"))
    elif user.role == "officer":
        sections.append(t("profile.officer_pending"))
    sections.append(t("help.text"))
    return [Reply(text="\n\n".join(sections), buttons=((menu_button(t),),))]


async def cancel(ctx: Context, msg: Incoming) -> list[Reply]:
    """Drop the current flow and go back to the menu."""
    had_flow = bool(ctx.state.flow)
    ctx.state.clear(keep=LOCATION_KEYS)
    text = ctx.t("cancel.done") if had_flow else ctx.t("cancel.nothing")
    return [Reply(text=text), *menu_replies(ctx)]


async def ask_language(ctx: Context, msg: Incoming) -> list[Reply]:
    """Offer Vietnamese or English; the current step is kept."""
    return [
        Reply(text=ctx.t("lang.ask"), buttons=language_buttons(ctx.user.locale, do.SetLanguage))
    ]


def profile_replies(ctx: Context, *, confirm: bool = False) -> list[Reply]:
    """The user's role, province and language, with a button to change each (and one to say
    it is all right, when `confirm`)."""
    t, user = ctx.t, ctx.user
    province = by_code(user.province_code) if user.province_code else None
    text = t(
        "profile.text",
        role=t(ROLE_LABELS[user.role]) if user.role else "—",
        province=province.name if province else "—",
        language=LANGUAGE_LABELS.get(user.locale, user.locale),
    )
    if user.role == "officer" and not user.officer_approved:
        text += "\n" + t("profile.officer_pending")
    rows = (
        *(((Button(t("profile.confirm"), do.ShowMenu().encode()),),) if confirm else ()),
        (
            Button(t("profile.change_role"), do.EditProfile("role").encode()),
            Button(t("profile.change_province"), do.EditProfile("province").encode()),
        ),
        (Button(t("menu.language"), do.AskLanguage().encode()), menu_button(t)),
    )
    return [Reply(text=text, buttons=rows)]


async def on_action(ctx: Context, msg: Incoming, action: Action) -> list[Reply]:
    """Menu buttons: the menu, help, profile, the language choice and a language."""
    match action:
        case do.ShowMenu():
            return await show_menu(ctx, msg)
        case do.ShowHelp():
            return await show_help(ctx, msg)
        case do.ShowProfile():
            return profile_replies(ctx)
        case do.AskLanguage():
            return await ask_language(ctx, msg)
        case do.SetLanguage(code):
            ctx.use_language(code)
            confirmed = Reply(text=ctx.t("lang.set"), notice=ctx.t("lang.set"))
            return [confirmed, *await ctx.reprompt()]
    return await stale_button(ctx, msg)


async def stop(ctx: Context, msg: Incoming) -> list[Reply]:
    """`/stop`: no more reminders or announcements (`/start` or its button turns them on)."""
    ctx.state.clear()
    ctx.user.active = False
    return [
        Reply(
            text=ctx.t("stop.done"),
            buttons=((Button(ctx.t("stop.resume"), do.StartOnboarding().encode()),),),
        )
    ]


async def stale_button(ctx: Context, msg: Incoming) -> list[Reply]:
    """A button from an old message that no longer means anything."""
    return [Reply(text=ctx.t("button.stale"), notice=ctx.t("button.stale")), *await ctx.reprompt()]


def small_talk_replies(ctx: Context, said: str) -> list[Reply] | None:
    """Small talk typed alone: a greeting, thanks or farewell ("xin chào", "cảm ơn em", "bye")
    answered in kind with the menu's buttons, a call for help ("bạn là ai") with the help, one
    for the menu ("quay lại") with the menu; None for anything else."""
    kind = small_talk(said)
    if kind is None:
        return None
    if kind == "help":  # "help", "bạn là ai", "what can you do"
        return help_replies(ctx)
    if kind == "menu":  # "menu", "quay lại", "bắt đầu"
        return menu_replies(ctx)
    return [Reply(text=ctx.t(_SMALL_TALK[kind]), buttons=menu_replies(ctx)[0].buttons)]


async def stray(ctx: Context, msg: Incoming) -> list[Reply] | None:
    """Small talk, a bare number or a date typed outside any question: what it can mean for
    this role (never a search for places); None for anything else."""
    t, said = ctx.t, msg.text.strip()
    talk = small_talk_replies(ctx, said)
    if talk is not None:
        return talk
    if said.isdigit():
        return [Reply(text=t("stray.number", said=said[:12])), *menu_replies(ctx)]
    if read_when(said, ctx.now)[1] == "unreadable":
        return None
    if ctx.user.role not in ("producer", "officer"):
        return await unknown(ctx, msg)
    rows: list[tuple[Button, ...]] = [(Button(t("menu.deadlines"), do.Upcoming().encode()),)]
    if ctx.user.role == "officer" and ctx.user.officer_approved:
        rows.append((Button(t("menu.new_deadline"), officer_actions.NewDeadline().encode()),))
    rows.append((menu_button(t),))
    return [Reply(text=t("stray.date", said=said[:40]), buttons=tuple(rows))]


async def product_lead(ctx: Context, msg: Incoming) -> list[Reply] | None:
    """A product's name typed at the menu ("nuoc mam", "mật ong", "tea"): offer the
    self-assessment of the matching product sets; None when no set's name or keyword is typed."""
    offer = product_offer(ctx, msg.text, N_("stray.product"))
    return None if offer is None else [offer]


def product_offer(ctx: Context, said: str, text: str, *, menu: bool = True) -> Reply | None:
    """The self-assessment of the product sets `said` names (at most three), under the message
    `text`, with the menu's button when `menu`; None when it names none."""
    matches = named_sets(said, today=ctx.now.date())
    if not matches:
        return None
    rows = tuple(
        (
            Button(
                ctx.t("stray.assess", product=s.name_en if ctx.locale == "en" else s.name),
                do.ChooseSet(s.code).encode(),
            ),
        )
        for s in matches[:3]
    )
    return Reply(text=ctx.t(text), buttons=(*rows, (menu_button(ctx.t),)) if menu else rows)


async def unknown(ctx: Context, msg: Incoming) -> list[Reply]:
    """Anything not understood: say so kindly and show what the user can do (a producer is
    told in words too: the menu alone reads as a dead end after a question)."""
    t = ctx.t
    said = msg.text.strip()
    text = t("unknown.text", said=said[:60]) if said else t("unknown.empty")
    if said and ctx.user.role == "producer":
        text += "\n" + producer_can_do(ctx)[0]
    if said and msg.command is None and ctx.user.role is not None:
        record_unanswered(ctx, said, "faq")  # the menu below offers to ask an officer
    return [Reply(text=text), *menu_replies(ctx)]


CONVERSATION = Conversation(
    name="menu",
    commands={
        "menu": show_menu,
        "help": show_help,
        "cancel": cancel,
        "lang": ask_language,
        "stop": stop,
    },
    actions=do.menu,
    on_action=on_action,
)
