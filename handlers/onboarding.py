"""First steps: who the user is, their language and (producers, officers) their province."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from rapidfuzz import fuzz

from bot.actions import Action
from bot.context import Context, FlowData
from bot.conversation import Conversation
from bot.i18n import N_
from bot.messages import Button, Incoming, Reply
from handlers import actions as do
from handlers import faq, tourism
from handlers.menu import (
    ROLE_LABELS,
    language_buttons,
    menu_button,
    menu_replies,
    profile_replies,
    stale_button,
)
from handlers.officer_rights import notify_officers
from knowledge.gazetteer import names_a_place, province_said
from knowledge.regions import (
    Province,
    ProvinceMatch,
    by_code,
    provinces,
    read_province,
)
from knowledge.text import fold
from knowledge.typed_commands import asks_instead

FLOW = "onboarding"


class Step(StrEnum):
    ROLE = "role"
    LANGUAGE = "lang"
    PROVINCE = "province"
    PROVINCE_PICK = "province_pick"


@dataclass(slots=True)
class Onboarding(FlowData):
    """Where the first steps stand: a new user or an edit of the profile, the language."""

    mode: Literal["new", "edit"] = "new"
    ask_lang: bool = False
    """The first screen offers the language too (the door did not tell it)."""
    lang_chosen: bool = False
    """The language was chosen already (on the first screen or the privacy notice)."""
    candidates: list[int] = field(default_factory=list)
    """Province codes a typed name could mean."""
    former: list[str] = field(default_factory=list)
    """The former province each candidate was typed as ("" for none), named on its button."""


_PAGE = 12
_NEEDS_PROVINCE = ("producer", "officer")
_ROLE_WORDS = {
    "producer": (
        "nha san xuat",
        "san xuat",
        "producer",
        "htx",
        "hop tac xa",
        "chu the",
        "nong dan",
        "doanh nghiep",
        *(
            f"{who} {verb}"
            for who in ("toi", "e", "em", "minh", "chung toi", "chung em", "nha", "htx")
            for verb in ("lam", "san xuat", "trong", "nuoi", "che bien")
        ),
        "i make",
        "we make",
        "i produce",
        "we produce",
        "i grow",
        "we grow",
        "cooperative",
        "farmer",
        "maker",
    ),
    "tourist": (
        "du khach",
        "khach du lich",
        "tourist",
        "traveller",
        "traveler",
        "du lich",
        "visitor",
        "visiting",
        "travelling",
        "traveling",
        "di choi",
        "on holiday",
        "on vacation",
    ),
    "officer": (
        "can bo",
        "officer",
        "can bo ocop",
        "lam can bo",
        "quan ly",
        "official",
        "ocop office",
        "district office",
        "provincial office",
        "commune office",
    ),
}
_NOT_A_ROLE = ("lam gi", "la gi", "what do i", "what should i")
"""A question about what to do ("tôi làm gì bây giờ") names no role, whatever words it has."""
_TYPO_RATIO = 85.0
_LANGUAGE_WORDS = {
    "vi": ("tieng viet", "vi", "viet", "vietnamese"),
    "en": ("english", "en", "tieng anh"),
}


async def begin(
    ctx: Context, msg: Incoming, *, language_chosen: bool = False, said: Incoming | None = None
) -> list[Reply]:
    """Greet the user and ask who they are; someone known (back after /stop, or typing /start
    again) keeps their profile and rights and is only asked to confirm it. When the door does not
    tell the user's language (console, Zalo) and it was not chosen already (on the privacy
    notice), the first screen also offers it. `said`: a message typed before (at the privacy
    notice) that answers the first question ("tôi làm nông dân ở Tây Ninh")."""
    stopped = not ctx.user.active
    ctx.user.active = True
    if ctx.user.id is not None and ctx.user.role is not None:
        ctx.state.clear()
        welcome = ctx.t("start.welcome_back")
        if stopped:
            welcome += " " + ctx.t("start.messages_on")
        return [Reply(text=welcome), *profile_replies(ctx, confirm=True)]
    if language_chosen:
        ctx.state.go(FLOW, Step.ROLE, Onboarding(mode="new", lang_chosen=True))
    else:
        ctx.state.go(FLOW, Step.ROLE, Onboarding(mode="new", ask_lang=not msg.locale_hint))
    greeting = Reply(text=ctx.t("start.greeting"))
    if said is not None:
        return [greeting, *await on_text(ctx, said)]
    return [greeting, *_ask(ctx)]


async def prompt(ctx: Context) -> list[Reply]:
    """Ask the question of the current onboarding step."""
    return _ask(ctx)


def _ask(ctx: Context) -> list[Reply]:
    t = ctx.t
    step = ctx.state.step if ctx.state.flow == FLOW else Step.ROLE
    data = _data(ctx)
    if step == Step.LANGUAGE:
        buttons = language_buttons(ctx.user.locale, do.ChooseLanguage)
        return [Reply(text=t("start.ask_language"), buttons=buttons)]
    if step == Step.PROVINCE:
        return _province_page(ctx, page=0)
    if step == Step.PROVINCE_PICK:
        former = dict(zip(data.candidates, data.former, strict=False))
        options = [(p, former.get(p.code, "")) for p in map(by_code, data.candidates) if p]
        return [_pick_reply(ctx, t("start.province_did_you_mean"), options)]
    rows: tuple[tuple[Button, ...], ...] = tuple(
        (
            Button(
                t(ROLE_LABELS[role]) + (" ✓" if ctx.user.role == role else ""),
                do.ChooseRole(role).encode(),
            ),
        )
        for role in do.ROLES
    )
    if data.ask_lang:
        rows += language_buttons(ctx.user.locale, do.FirstLanguage)
    return [Reply(text=t("start.ask_role"), buttons=rows)]


def _data(ctx: Context) -> Onboarding:
    return ctx.state.load(Onboarding) if ctx.state.flow == FLOW else Onboarding()


async def on_action(ctx: Context, msg: Incoming, action: Action) -> list[Reply]:
    """Onboarding buttons: role, language, province pick, list pages, skip, edit."""
    match action:
        case do.StartOnboarding():
            return await begin(ctx, msg)
        case do.EditProfile(what):
            ctx.state.go(FLOW, Step(what), Onboarding(mode="edit"))
            return _ask(ctx)
        case do.ChooseRole(role):
            return _set_role(ctx, role)
        case do.ChooseLanguage(code):
            ctx.use_language(code)
            return _after_language(ctx)
        case do.FirstLanguage(code):
            return _first_language(ctx, code)
        case do.ChooseProvince(code) if (chosen := by_code(code)) is not None:
            return _set_province(ctx, chosen)
        case do.ProvincePage(page):
            ctx.state.go(FLOW, Step.PROVINCE)
            return _province_page(ctx, page=page)
        case do.SkipProvince():
            return _finish(ctx)
    return await stale_button(ctx, msg)


def _first_language(ctx: Context, code: str) -> list[Reply]:
    """The language, chosen on the first screen."""
    ctx.use_language(code)
    data = _data(ctx)
    data.ask_lang, data.lang_chosen = False, True
    ctx.state.go(FLOW, Step.ROLE, data)
    return [Reply(text=ctx.t("start.greeting")), *_ask(ctx)]


async def on_text(ctx: Context, msg: Incoming) -> list[Reply]:
    """Typed answers: a role or language by name, or a province name (old or new, any spelling)."""
    typed = fold(msg.text)
    step = ctx.state.step
    if step == Step.ROLE:
        code = _word_match(typed, _LANGUAGE_WORDS) if _data(ctx).ask_lang else None
        if code:
            return _first_language(ctx, code)
        role = read_role(msg.text)
        if role is None:
            return (
                await faq.answered_meanwhile(ctx, msg, prompt)
                or await _visitor_asking(ctx, msg)
                or [Reply(text=ctx.t("start.use_buttons")), *_ask(ctx)]
            )
        said = province_said(msg.text)
        if said is None:
            return _set_role(ctx, role)
        ctx.user.province_code = said.province.code  # "cán bộ OCOP tỉnh Thái Nguyên", "ở Hội An"
        return [*_province_told(ctx, said), *_set_role(ctx, role)]
    if step == Step.LANGUAGE:
        code = _word_match(typed, _LANGUAGE_WORDS)
        if code:
            ctx.use_language(code)
            return _after_language(ctx)
        return await faq.answered_meanwhile(ctx, msg, prompt) or [
            Reply(text=ctx.t("start.use_buttons")),
            *_ask(ctx),
        ]
    reading = read_province(msg.text)
    if (match := reading.sure) is not None:
        return [*_province_told(ctx, match, saved=False), *_set_province(ctx, match.province)]
    if reading.choices:
        data = _data(ctx)
        data.candidates = [m.province.code for m in reading.choices]
        data.former = [m.old_name or "" for m in reading.choices]
        ctx.state.go(FLOW, Step.PROVINCE_PICK, data)
        return _ask(ctx)
    ctx.state.go(FLOW, Step.PROVINCE)
    answered = await faq.answered_meanwhile(ctx, msg, prompt)
    if answered:
        return answered
    return [
        Reply(text=ctx.t("start.province_not_found", said=msg.text.strip()[:60])),
        *_province_page(ctx, page=0),
    ]


async def _visitor_asking(ctx: Context, msg: Incoming) -> list[Reply] | None:
    """Places asked for around a place named, typed at the role question ("what to see around
    Sapa", "làng nghề ở Hội An"): a visitor's question, answered as such, the role kept and
    the language in use kept (/lang and the profile change either). None for anything else."""
    answer = ctx.place_search(msg.text, None)
    if answer.kind not in ("places", "near") or not names_a_place(msg.text):
        return None
    ctx.user.role = "tourist"
    ctx.state.clear()
    return await tourism.answer_text(ctx, msg)


def role_restated(ctx: Context, msg: Incoming) -> list[Reply]:
    """An officer saying at the menu who they are ("tôi là cán bộ OCOP tỉnh Bắc Ninh"): their
    profile when it says so already, else one tap to take the province named and one to keep
    theirs; [] for anything else (a question about officers is the FAQ's)."""
    if ctx.user.role != "officer" or read_role(msg.text) != "officer" or asks_instead(msg.text):
        return []
    said = province_said(msg.text)
    if said is None:
        return []
    if said.province.code == ctx.user.province_code:
        return profile_replies(ctx)
    kept = by_code(ctx.user.province_code) if ctx.user.province_code else None
    take = Button(
        ctx.t("start.province_take", province=said.province.name),
        do.ChooseProvince(said.province.code).encode(),
    )
    keep = Button(ctx.t("start.province_keep"), do.ShowMenu().encode())
    text = ctx.t("start.province_other", kept=kept.name if kept else "—", said=said.province.name)
    return [Reply(text=text, buttons=((take, keep),))]


def read_role(text: str) -> str | None:
    """The role a newcomer types in words ("tôi là du khách", "I'm a producer"), or None."""
    typed = fold(text)
    if any(f" {words} " in f" {typed} " for words in _NOT_A_ROLE):
        return None
    return _word_match(typed, _ROLE_WORDS)


def _word_match(typed: str, words: dict[str, tuple[str, ...]]) -> str | None:
    """The one key whose phrase is typed whole ("du khach") or inside a sentence ("tôi là du
    khách", "I'm a tourist"), else a close typo of a short answer ("du khachh"); None when
    nothing or more than one key is named ("cán bộ nhưng cũng làm sản xuất"). Two-letter words
    ("vi", "en") count only alone: inside a sentence "vi" is also "vì". The longest phrase is
    read first and takes its words ("em làm cán bộ" is an officer, not "em làm" a producer)."""
    padded = f" {typed} "
    named = set()
    for key, o in sorted(
        ((key, o) for key, options in words.items() for o in options), key=lambda p: -len(p[1])
    ):
        if typed == o or (len(o) >= 3 and f" {o} " in padded):
            named.add(key)
            padded = padded.replace(f" {o} ", " | ")
    if not named and 0 < len(typed.split()) <= 3:
        named = {
            key
            for key, options in words.items()
            for o in options
            if len(o) >= 5 and fuzz.ratio(typed, o) >= _TYPO_RATIO
        }
    return named.pop() if len(named) == 1 else None


def _set_role(ctx: Context, role: str) -> list[Reply]:
    replies: list[Reply] = []
    if role == "officer" and not ctx.user.officer_approved and ctx.user.role != "officer":
        replies.append(Reply(text=ctx.t("start.officer_requested")))
        notify_officers(ctx)
    ctx.user.role = role
    data = _data(ctx)
    if ctx.state.flow == FLOW and data.lang_chosen:
        return replies + _after_language(ctx)
    if ctx.state.flow != FLOW or data.mode == "edit":
        if role in _NEEDS_PROVINCE and ctx.user.province_code is None:
            data.mode = "edit"
            ctx.state.go(FLOW, Step.PROVINCE, data)
            return replies + _ask(ctx)
        return replies + _finish(ctx)
    ctx.state.go(FLOW, Step.LANGUAGE)
    return replies + _ask(ctx)


def _province_told(ctx: Context, match: ProvinceMatch, *, saved: bool = True) -> list[Reply]:
    """The merger when a former name was typed ("Hà Tây", merged in 2008, is said apart from
    the 2025 mergers), and with `saved` the province kept."""
    replies = []
    if match.old_name:
        merged = ctx.t(
            N_("start.province_absorbed")
            if match.old_name in match.province.absorbed
            else N_("start.province_merged"),
            old=match.old_name,
            new=match.province.name,
        )
        replies.append(Reply(text=merged))
    if saved:
        replies.append(Reply(text=ctx.t("start.province_set", province=match.province.name)))
    return replies


def _after_language(ctx: Context) -> list[Reply]:
    """The province asked next (producers, officers) unless it was said with the role."""
    if (
        ctx.user.role in _NEEDS_PROVINCE
        and _data(ctx).mode != "edit"
        and ctx.user.province_code is None
    ):
        ctx.state.go(FLOW, Step.PROVINCE)
        return _ask(ctx)
    return _finish(ctx)


def _set_province(ctx: Context, province: Province) -> list[Reply]:
    ctx.user.province_code = province.code
    return [Reply(text=ctx.t("start.province_set", province=province.name)), *_finish(ctx)]


def _finish(ctx: Context) -> list[Reply]:
    ctx.state.clear()
    return menu_replies(ctx)


def _pick_reply(ctx: Context, text: str, options: list[tuple[Province, str]]) -> Reply:
    """Provinces to choose from, each with the former province it was typed as ("Quảng Trị
    (gồm Quảng Bình cũ)" for "Quang Bin": the name typed is on the button)."""
    rows = [
        (Button(_choice_label(ctx, p, old), do.ChooseProvince(p.code).encode()),)
        for p, old in options
    ]
    rows.append((Button(ctx.t("start.province_list"), do.ProvincePage(0).encode()),))
    return Reply(text=text, buttons=tuple(rows))


def _choice_label(ctx: Context, province: Province, old: str) -> str:
    if not old:
        return province.name
    return ctx.t("start.province_former_choice", new=province.name, old=old)


def _province_page(ctx: Context, *, page: int) -> list[Reply]:
    ordered = sorted(provinces(), key=lambda p: fold(p.name.removeprefix("TP. ")))
    pages = (len(ordered) + _PAGE - 1) // _PAGE
    page = min(max(page, 0), pages - 1)
    chunk = ordered[page * _PAGE : (page + 1) * _PAGE]
    rows: list[tuple[Button, ...]] = [
        tuple(Button(p.name, do.ChooseProvince(p.code).encode()) for p in chunk[i : i + 2])
        for i in range(0, len(chunk), 2)
    ]
    nav = []
    if page > 0:
        nav.append(Button(f"◀ {page}/{pages}", do.ProvincePage(page - 1).encode()))
    if page < pages - 1:
        nav.append(Button(f"{page + 2}/{pages} ▶", do.ProvincePage(page + 1).encode()))
    rows.append(tuple(nav))
    rows.append(
        (Button(ctx.t("start.province_skip"), do.SkipProvince().encode()), menu_button(ctx.t))
    )
    return [Reply(text=ctx.t("start.ask_province"), buttons=tuple(rows))]


CONVERSATION = Conversation(
    name="onboarding",
    commands={"start": begin},
    actions=do.onboarding,
    on_action=on_action,
    flow=FLOW,
    on_text=on_text,
    prompt=prompt,
)
