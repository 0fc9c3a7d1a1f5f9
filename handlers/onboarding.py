"""First steps: who the user is, their language and (producers, officers) their province."""

from __future__ import annotations

from dataclasses import replace

from rapidfuzz import fuzz

from bot.context import Context
from bot.messages import Button, Incoming, Reply
from handlers.menu import (
    ROLE_LABELS,
    language_buttons,
    menu_button,
    menu_replies,
    profile_replies,
    stale_button,
)
from handlers.officer_rights import notify_officers
from knowledge.regions import Province, by_code, find_province, provinces
from knowledge.text import fold

FLOW = "onboarding"
PREFIX = "ob"
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
        "toi lam",
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
    ),
    "officer": ("can bo", "officer", "can bo ocop", "quan ly", "official"),
}
_TYPO_RATIO = 85.0
_LANGUAGE_WORDS = {
    "vi": ("tieng viet", "vi", "viet", "vietnamese"),
    "en": ("english", "en", "tieng anh"),
}


async def begin(ctx: Context, msg: Incoming, *, language_chosen: bool = False) -> list[Reply]:
    """Greet the user and ask who they are; someone known (back after /stop, or typing /start
    again) keeps their profile and rights and is only asked to confirm it. When the door does not
    tell the user's language (console, Zalo) and it was not chosen already (on the privacy
    notice), the first screen also offers it."""
    stopped = not ctx.user.active
    ctx.user.active = True
    if ctx.user.id is not None and ctx.user.role is not None:
        ctx.state.clear()
        welcome = ctx.t("start.welcome_back")
        if stopped:
            welcome += " " + ctx.t("start.messages_on")
        return [Reply(text=welcome), *profile_replies(ctx, confirm=True)]
    if language_chosen:
        ctx.state.go(FLOW, "role", mode="new", ask_lang=False, lang_chosen=True)
    else:
        ctx.state.go(FLOW, "role", mode="new", ask_lang=not msg.locale_hint)
    return [Reply(text=ctx.t("start.greeting")), *_ask(ctx)]


async def prompt(ctx: Context) -> list[Reply]:
    """Ask the question of the current onboarding step."""
    return _ask(ctx)


def _ask(ctx: Context) -> list[Reply]:
    t = ctx.t
    step = ctx.state.step if ctx.state.flow == FLOW else "role"
    if step == "lang":
        return [
            Reply(
                text=t("start.ask_language"), buttons=language_buttons(ctx.user.locale, "ob:lang:")
            )
        ]
    if step == "province":
        return _province_page(ctx, page=0)
    if step == "province_pick":
        codes = ctx.state.data.get("candidates", [])
        options = [p for p in map(by_code, codes) if p is not None]
        return [_pick_reply(ctx, t("start.province_did_you_mean"), options)]
    rows: tuple[tuple[Button, ...], ...] = tuple(
        (Button(t(label) + (" ✓" if ctx.user.role == role else ""), f"ob:role:{role}"),)
        for role, label in ROLE_LABELS.items()
    )
    if ctx.state.data.get("ask_lang"):
        rows += language_buttons(ctx.user.locale, "ob:first:")
    return [Reply(text=t("start.ask_role"), buttons=rows)]


async def on_action(ctx: Context, msg: Incoming) -> list[Reply]:
    """Onboarding buttons: role, language, province pick, list pages, skip, edit."""
    parts = (msg.action or "").split(":")[1:]
    match parts:
        case ["start"]:
            return await begin(ctx, msg)
        case ["edit", ("role" | "province") as what]:
            ctx.state.go(FLOW, what, mode="edit")
            return _ask(ctx)
        case ["role", role] if role in ROLE_LABELS:
            return _set_role(ctx, role)
        case ["lang", ("vi" | "en") as code]:
            ctx.user.locale = code
            return _after_language(ctx)
        case ["first", ("vi" | "en") as code]:  # the language, on the first screen
            ctx.user.locale = code
            ctx.state.go(FLOW, "role", ask_lang=False, lang_chosen=True)
            return [Reply(text=ctx.t("start.greeting")), *_ask(ctx)]
        case ["prov", code] if code.isdigit() and (chosen := by_code(int(code))) is not None:
            return _set_province(ctx, chosen)
        case ["page", page] if page.isdigit():
            ctx.state.go(FLOW, "province")
            return _province_page(ctx, page=int(page))
        case ["skip"]:
            return _finish(ctx)
    return await stale_button(ctx, msg)


async def on_text(ctx: Context, msg: Incoming) -> list[Reply]:
    """Typed answers: a role or language by name, or a province name (old or new, any spelling)."""
    typed = fold(msg.text)
    step = ctx.state.step
    if step == "role":
        code = _word_match(typed, _LANGUAGE_WORDS) if ctx.state.data.get("ask_lang") else None
        if code:
            return await on_action(ctx, replace(msg, action=f"ob:first:{code}"))
        role = read_role(msg.text)
        return (
            _set_role(ctx, role) if role else [Reply(text=ctx.t("start.use_buttons")), *_ask(ctx)]
        )
    if step == "lang":
        code = _word_match(typed, _LANGUAGE_WORDS)
        if code:
            ctx.user.locale = code
            return _after_language(ctx)
        return [Reply(text=ctx.t("start.use_buttons")), *_ask(ctx)]
    matches = find_province(msg.text)
    if len(matches) == 1 and matches[0].score == 100:
        match = matches[0]
        replies = []
        if match.old_name:
            replies.append(
                Reply(
                    text=ctx.t(
                        "start.province_merged", old=match.old_name, new=match.province.name
                    )
                )
            )
        return replies + _set_province(ctx, match.province)
    if matches:
        ctx.state.go(FLOW, "province_pick", candidates=[m.province.code for m in matches])
        return [
            _pick_reply(ctx, ctx.t("start.province_did_you_mean"), [m.province for m in matches])
        ]
    ctx.state.go(FLOW, "province")
    return [
        Reply(text=ctx.t("start.province_not_found", said=msg.text.strip()[:60])),
        *_province_page(ctx, page=0),
    ]


def read_role(text: str) -> str | None:
    """The role a newcomer types in words ("tôi là du khách", "I'm a producer"), or None."""
    return _word_match(fold(text), _ROLE_WORDS)


def _word_match(typed: str, words: dict[str, tuple[str, ...]]) -> str | None:
    """The one key whose phrase is typed whole ("du khach") or inside a sentence ("tôi là du
    khách", "I'm a tourist"), else a close typo of a short answer ("du khachh"); None when
    nothing or more than one key is named ("cán bộ nhưng cũng làm sản xuất"). Two-letter words
    ("vi", "en") count only alone: inside a sentence "vi" is also "vì"."""
    padded = f" {typed} "
    named = {
        key
        for key, options in words.items()
        for o in options
        if typed == o or (len(o) >= 3 and f" {o} " in padded)
    }
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
    if ctx.state.flow == FLOW and ctx.state.data.get("lang_chosen"):
        return replies + _after_language(ctx)
    if ctx.state.flow != FLOW or ctx.state.data.get("mode") == "edit":
        if role in _NEEDS_PROVINCE and ctx.user.province_code is None:
            ctx.state.go(FLOW, "province", mode="edit")
            return replies + _ask(ctx)
        return replies + _finish(ctx)
    ctx.state.go(FLOW, "lang")
    return replies + _ask(ctx)


def _after_language(ctx: Context) -> list[Reply]:
    if ctx.user.role in _NEEDS_PROVINCE and ctx.state.data.get("mode") != "edit":
        ctx.state.go(FLOW, "province")
        return _ask(ctx)
    return _finish(ctx)


def _set_province(ctx: Context, province: Province) -> list[Reply]:
    ctx.user.province_code = province.code
    return [Reply(text=ctx.t("start.province_set", province=province.name)), *_finish(ctx)]


def _finish(ctx: Context) -> list[Reply]:
    ctx.state.clear()
    return menu_replies(ctx)


def _pick_reply(ctx: Context, text: str, options: list[Province]) -> Reply:
    rows = [(Button(p.name, f"ob:prov:{p.code}"),) for p in options]
    rows.append((Button(ctx.t("start.province_list"), "ob:page:0"),))
    return Reply(text=text, buttons=tuple(rows))


def _province_page(ctx: Context, *, page: int) -> list[Reply]:
    ordered = sorted(provinces(), key=lambda p: fold(p.name.removeprefix("TP. ")))
    pages = (len(ordered) + _PAGE - 1) // _PAGE
    page = min(max(page, 0), pages - 1)
    chunk = ordered[page * _PAGE : (page + 1) * _PAGE]
    rows: list[tuple[Button, ...]] = [
        tuple(Button(p.name, f"ob:prov:{p.code}") for p in chunk[i : i + 2])
        for i in range(0, len(chunk), 2)
    ]
    nav = []
    if page > 0:
        nav.append(Button(f"◀ {page}/{pages}", f"ob:page:{page - 1}"))
    if page < pages - 1:
        nav.append(Button(f"{page + 2}/{pages} ▶", f"ob:page:{page + 1}"))
    rows.append(tuple(nav))
    rows.append((Button(ctx.t("start.province_skip"), "ob:skip"), menu_button(ctx.t)))
    return [Reply(text=ctx.t("start.ask_province"), buttons=tuple(rows))]
