"""The user's rights over their data, in the chat: `/privacy` (the notice and their answer),
`/mydata` (a copy of everything held, as a JSON file), `/delete` (erase it all, after asking)."""

from __future__ import annotations

import json
from functools import partial

from bot.actions import Action
from bot.context import Context
from bot.conversation import Conversation
from bot.i18n import N_
from bot.messages import Button, Document, Incoming, Reply
from db import privacy
from handlers import actions as do
from handlers import consent
from handlers.menu import menu_button, stale_button


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
        (
            Button(t("privacy.mydata"), do.MyData().encode()),
            Button(t("privacy.delete"), do.AskErase().encode()),
        )
    ]
    if not consent.given(ctx):
        rows.insert(0, (Button(t("consent.yes"), do.Agree(consent.NOTICE_VERSION).encode()),))
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
            buttons=(
                (Button(ctx.t("privacy.delete"), do.AskErase().encode()), menu_button(ctx.t)),
            ),
        )
    ]


async def ask_delete(ctx: Context, msg: Incoming) -> list[Reply]:
    """`/delete`: say what goes, and ask; both answers look alike."""
    buttons = (
        (
            Button(ctx.t("privacy.delete_yes"), do.Erase("yes").encode()),
            Button(ctx.t("privacy.delete_no"), do.Erase("no").encode()),
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
            buttons=((Button(ctx.t("privacy.start_again"), do.AskConsent().encode()),),),
        )
    ]


async def on_action(ctx: Context, msg: Incoming, action: Action) -> list[Reply]:
    """The notice, a copy of the data, erasure (asked, then answered)."""
    match action:
        case do.PrivacyNotice():
            return await show_notice(ctx, msg)
        case do.MyData():
            return await my_data(ctx, msg)
        case do.AskErase():
            return await ask_delete(ctx, msg)
        case do.Erase("yes"):
            return _erase(ctx)
        case do.Erase("no"):
            return [Reply(text=ctx.t("privacy.kept"), buttons=((menu_button(ctx.t),),))]
    return await stale_button(ctx, msg)


CONVERSATION = Conversation(
    name="privacy",
    commands={"privacy": show_notice, "mydata": my_data, "delete": ask_delete},
    actions=do.privacy,
    on_action=on_action,
)
