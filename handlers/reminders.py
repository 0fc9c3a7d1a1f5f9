"""Deadlines and certificates for producers: `/lich` (upcoming deadlines, mute), and recording
an OCOP certificate so the bot reminds before it expires (`/chungnhan`)."""

from __future__ import annotations

from datetime import date
from functools import partial

from bot.context import Context
from bot.i18n import format_date, format_datetime
from bot.messages import Button, Incoming, Reply
from db import repo
from handlers.menu import menu_button, stale_button
from knowledge.regions import by_code
from knowledge.reminders import VIETNAM, certificate_expiry
from knowledge.text import clip

PREFIX = "rm"
FLOW = "certificate"
_LEVELS = ("province", "central", "district")


async def upcoming(ctx: Context, msg: Incoming) -> list[Reply]:
    """`/lich`: open deadlines in the user's province (and national ones), with mute buttons."""
    deadlines = await ctx.read(partial(repo.open_deadlines, after=ctx.now))
    mine = [d for d in deadlines if not d.provinces or ctx.user.province_code in d.provinces]
    muted = (
        set() if ctx.user.id is None else await ctx.read(partial(repo.muted, user_id=ctx.user.id))
    )
    if not mine:
        return [Reply(text=ctx.t("rm.none"), buttons=((menu_button(ctx.t),),))]
    lines = [ctx.t("rm.title")]
    rows: list[tuple[Button, ...]] = []
    for deadline in mine[:10]:
        when = format_datetime(deadline.due_at)
        scope = ", ".join(p.name for p in map(by_code, deadline.provinces) if p) or ctx.t(
            "rm.national"
        )
        mark = " 🔕" if deadline.id in muted or 0 in muted else ""
        lines.append(ctx.t("rm.line", title=deadline.title, when=when, scope=scope) + mark)
        if deadline.id not in muted:
            rows.append(
                (
                    Button(
                        ctx.t("rm.mute_one", title=clip(deadline.title, 30)),
                        f"rm:mute:{deadline.id}",
                    ),
                )
            )
    rows.append(
        (
            Button(
                ctx.t("rm.unmute") if 0 in muted else ctx.t("remind.mute_all"),
                "rm:unmute" if 0 in muted else "rm:mute:0",
            ),
        )
    )
    rows.append((menu_button(ctx.t),))
    return [Reply(text="\n".join(lines), buttons=tuple(rows))]


async def on_action(ctx: Context, msg: Incoming) -> list[Reply]:
    """`rm:list`, `rm:mute:<id|0>`, `rm:unmute`, `rm:cert` (record a certificate),
    `rm:stars:<n>`, `rm:level:<x>`."""
    parts = (msg.action or "").split(":")[1:]
    match parts:
        case ["list"]:
            return await upcoming(ctx, msg)
        case ["mute", deadline_id] if deadline_id.isdigit():
            ctx.write(lambda c, uid: repo.mute(c, user_id=uid, deadline_id=int(deadline_id)))
            text = ctx.t("rm.muted_all") if deadline_id == "0" else ctx.t("rm.muted_one")
            return [Reply(text=text, notice=text, buttons=((menu_button(ctx.t),),))]
        case ["unmute"]:
            ctx.write(lambda c, uid: repo.unmute_all(c, user_id=uid))
            return [Reply(text=ctx.t("rm.unmuted"), buttons=((menu_button(ctx.t),),))]
        case ["cert"]:
            return start_certificate(ctx)
        case ["stars", stars] if ctx.state.flow == FLOW and stars in ("3", "4", "5"):
            ctx.state.go(FLOW, "date", stars=int(stars))
            return [Reply(text=ctx.t("rm.ask_date"))]
        case ["level", level] if (
            ctx.state.flow == FLOW and ctx.state.step == "level" and level in _LEVELS
        ):
            return _save_certificate(ctx, level)
    return await stale_button(ctx, msg)


def start_certificate(ctx: Context) -> list[Reply]:
    """Ask for the certified product's name."""
    ctx.state.go(FLOW, "product")
    return [Reply(text=ctx.t("rm.ask_product"), buttons=((menu_button(ctx.t),),))]


async def certificate_command(ctx: Context, msg: Incoming) -> list[Reply]:
    """`/chungnhan`."""
    return start_certificate(ctx)


async def prompt(ctx: Context) -> list[Reply]:
    """Re-ask the current certificate question."""
    step = ctx.state.step
    if step == "stars":
        return [_ask_stars(ctx)]
    if step == "date":
        return [Reply(text=ctx.t("rm.ask_date"))]
    if step == "level":
        return [_ask_level(ctx)]
    return start_certificate(ctx)


def _ask_stars(ctx: Context) -> Reply:
    return Reply(
        text=ctx.t("rm.ask_stars"),
        buttons=(
            tuple(Button(f"{n}★", f"rm:stars:{n}") for n in (3, 4, 5)),
            (menu_button(ctx.t),),
        ),
    )


def _ask_level(ctx: Context) -> Reply:
    return Reply(
        text=ctx.t("rm.ask_level"),
        buttons=(
            (
                Button(ctx.t("rm.level.province"), "rm:level:province"),
                Button(ctx.t("rm.level.central"), "rm:level:central"),
            ),
            (Button(ctx.t("rm.level.district"), "rm:level:district"),),
        ),
    )


async def on_text(ctx: Context, msg: Incoming) -> list[Reply]:
    """Typed answers: the product name, then the decision date (dd/mm/yyyy)."""
    text = msg.text.strip()
    if ctx.state.step == "product" and text:
        ctx.state.go(FLOW, "stars", product=text[:128])
        return [_ask_stars(ctx)]
    if ctx.state.step == "date":
        decided = _parse_date(text)
        today = ctx.now.astimezone(VIETNAM).date()
        if decided is None or decided > today:
            return [Reply(text=ctx.t("rm.bad_date"))]
        ctx.state.go(FLOW, "level", decided=decided.isoformat())
        return [_ask_level(ctx)]
    return [Reply(text=ctx.t("start.use_buttons")), *await prompt(ctx)]


def _parse_date(text: str) -> date | None:
    parts = text.replace("-", "/").replace(".", "/").split("/")
    if len(parts) != 3 or not all(p.strip().isdigit() for p in parts):
        return None
    day, month, year = (int(p) for p in parts)
    try:
        return date(year + 2000 if year < 100 else year, month, day)
    except ValueError:
        return None


def _save_certificate(ctx: Context, level: str) -> list[Reply]:
    data = dict(ctx.state.data)
    decided = date.fromisoformat(data["decided"])
    ctx.write(
        lambda c, uid: repo.add_certificate(
            c,
            user_id=uid,
            product=data["product"],
            stars=data["stars"],
            decided_on=decided,
            level=level,
            now=ctx.now,
        )
    )
    ctx.state.clear()
    expiry = certificate_expiry(decided)
    text = ctx.t(
        "rm.saved",
        product=data["product"],
        stars=data["stars"],
        expiry=format_date(expiry),
    )
    if expiry <= ctx.now.astimezone(VIETNAM).date():
        text += "\n" + ctx.t("rm.expired")
    return [Reply(text=text, buttons=((menu_button(ctx.t),),))]
