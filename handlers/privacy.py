"""The user's rights over their data, in the chat: `/privacy` (the notice and their answer),
`/mydata` (a copy of everything held, as a JSON file), `/delete` (erase it all, after asking)."""

from __future__ import annotations

import json
from functools import partial

from bot.context import Context
from bot.i18n import N_
from bot.messages import Button, Document, Incoming, Reply
from db import privacy
from handlers import consent
from handlers.menu import menu_button, stale_button

PREFIX = "pv"


async def show_notice(ctx: Context, msg: Incoming) -> list[Reply]:
    """`/privacy`: the notice, the user's answer to it, and the ways to use their rights."""
    t = ctx.t
    lines = [t("privacy.title") + "\n" + consent.notice_text(ctx)]
    last = None
    if ctx.user.id is not None:
        last = await ctx.read(partial(privacy.last_consent, user_id=ctx.user.id))
    if last is not None:
        version, agreed, at = last
        when = at.strftime("%d/%m/%Y %H:%M UTC")
        key = N_("privacy.agreed") if agreed else N_("privacy.declined")
        lines.append(t(key, when=when, version=version))
    rows: list[tuple[Button, ...]] = [
        (Button(t("privacy.mydata"), "pv:mydata"), Button(t("privacy.delete"), "pv:delete"))
    ]
    if not consent.given(ctx):
        rows.insert(0, (Button(t("consent.yes"), f"cs:yes:{consent.NOTICE_VERSION}"),))
    rows.append((menu_button(t),))
    return [Reply(text="\n\n".join(lines), buttons=tuple(rows))]


async def my_data(ctx: Context, msg: Incoming) -> list[Reply]:
    """`/mydata`: everything held about the user, as a JSON file made for this moment."""
    held = {}
    if ctx.user.id is not None:
        held = await ctx.read(partial(privacy.export_user, user_id=ctx.user.id, now=ctx.now))
    if not held:
        return [Reply(text=ctx.t("privacy.nothing_held"), buttons=((menu_button(ctx.t),),))]
    data = json.dumps(held, ensure_ascii=False, indent=1).encode()
    name = f"ocop-mydata-{ctx.now:%Y%m%d-%H%M}.json"
    return [
        Reply(
            text=ctx.t("privacy.mydata_caption"),
            document=Document(data=data, filename=name),
            buttons=((Button(ctx.t("privacy.delete"), "pv:delete"), menu_button(ctx.t)),),
        )
    ]


async def ask_delete(ctx: Context, msg: Incoming) -> list[Reply]:
    """`/delete`: say what goes, and ask; both answers look alike."""
    buttons = (
        (
            Button(ctx.t("privacy.delete_yes"), "pv:del:yes"),
            Button(ctx.t("privacy.delete_no"), "pv:del:no"),
        ),
    )
    return [Reply(text=ctx.t("privacy.delete_ask"), buttons=buttons)]


def _erase(ctx: Context) -> list[Reply]:
    ctx.state.clear()
    if ctx.user.id is None:  # a confirmation from someone not (or no longer) known
        return [Reply(text=ctx.t("privacy.nothing_held"), buttons=((menu_button(ctx.t),),))]
    ctx.write(
        lambda connection, uid: privacy.erase_user(
            connection, user_id=uid, reason="request", now=ctx.now
        )
    )
    ctx.erased = True
    return [
        Reply(
            text=ctx.t("privacy.deleted"),
            buttons=((Button(ctx.t("privacy.start_again"), "cs:start"),),),
        )
    ]


async def on_action(ctx: Context, msg: Incoming) -> list[Reply]:
    """`pv:notice`, `pv:mydata`, `pv:delete`, `pv:del:yes|no`."""
    match (msg.action or "").split(":")[1:]:
        case ["notice"]:
            return await show_notice(ctx, msg)
        case ["mydata"]:
            return await my_data(ctx, msg)
        case ["delete"]:
            return await ask_delete(ctx, msg)
        case ["del", "yes"]:
            return _erase(ctx)
        case ["del", "no"]:
            return [Reply(text=ctx.t("privacy.kept"), buttons=((menu_button(ctx.t),),))]
    return await stale_button(ctx, msg)
