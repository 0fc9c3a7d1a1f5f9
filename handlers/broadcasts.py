"""Announcements officers send (`/thongbao`): the text (or a photo with its caption), who gets it
(roles × provinces × product groups on one panel whose text shows the count; typing province
names there narrows it), a preview, then the outbox sends it and the officer can follow its
progress or stop it (confirmed first). Each recipient can ask an officer about it, or go on
to the menu. An officer's announcement goes to their own province unless they choose
the whole country, which they are asked to confirm.
Every step checks the officer role (`handlers.officer_rights`)."""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import partial

from sqlalchemy import Connection

from bot.actions import Action
from bot.context import Context
from bot.conversation import Conversation
from bot.i18n import N_, Translator, translator
from bot.markup import escape
from bot.messages import MAX_CAPTION, Button, Incoming, Photo, Reply, reply_to_dict
from db import repo
from handlers import audience
from handlers import officer_actions as do
from handlers.actions import ROLES
from handlers.ask_officer import ask_officer_button
from handlers.audience import Audience
from handlers.menu import menu_button, stale_button
from handlers.officer_rights import is_officer, refuse, too_long, with_menu
from knowledge.text import fold
from knowledge.typed_commands import OfficerWish

FLOW = "broadcast"
TEXT_LIMIT = 3500


class Step(StrEnum):
    TEXT = "b_text"
    AUDIENCE = "b_audience"
    GROUP = "b_group"
    CONFIRM = "b_confirm"
    NATIONWIDE = "b_national"
    """A provincial officer confirms the whole country."""


@dataclass(slots=True)
class Draft(Audience):
    """An announcement being written."""

    text: str = ""
    photo: str = ""
    """The platform's id of the photo sent with it ("" for none)."""


def _draft(ctx: Context) -> Draft:
    return ctx.state.load(Draft) if ctx.state.flow == FLOW else Draft()


async def new_broadcast(
    ctx: Context, msg: Incoming, wish: OfficerWish | None = None
) -> list[Reply]:
    """`/thongbao`: compose an announcement, choose who gets it, preview, confirm. Asked for in
    words ("gửi thông báo cho các HTX ở Thái Nguyên"), the audience typed is kept as the choice
    and said with the question."""
    if not is_officer(ctx):
        return refuse(ctx, "/thongbao")
    draft = Draft()
    if wish is None or wish.role is None and not wish.where:
        ctx.state.go(FLOW, Step.TEXT, draft)
        return [with_menu(ctx, ctx.t("of.ask_broadcast"))]
    draft.roles = [wish.role] if wish.role else []
    where = audience.typed_provinces(wish.where) if wish.where else None
    draft.provinces = where or _home_only(ctx)
    ctx.state.go(FLOW, Step.TEXT, draft)
    told = [
        ctx.t("of.kind_of_producer", said=wish.kind) if wish.kind else "",
        ctx.t("of.bad_provinces", said=audience.unread_names(wish.where)[:60])
        if wish.where and where is None
        else "",
        audience.former_names(ctx, wish.where) if where else "",
        ctx.t("of.wished_audience", scope=audience.scope(ctx, draft, roles=True)),
        ctx.t("of.ask_broadcast"),
    ]
    return [with_menu(ctx, "\n".join(line for line in told if line))]


async def prompt(ctx: Context) -> list[Reply]:
    """Re-ask the current step."""
    match ctx.state.step:
        case Step.TEXT:
            return [with_menu(ctx, ctx.t("of.ask_broadcast"))]
        case Step.GROUP:
            return [audience.ask_group(ctx, do.BroadcastGroup)]
        case Step.AUDIENCE:
            return [await _audience_panel(ctx, _draft(ctx))]
        case Step.NATIONWIDE:
            return [await _ask_nationwide(ctx, _draft(ctx))]
    return await _confirm(ctx, _draft(ctx))


async def on_text(ctx: Context, msg: Incoming) -> list[Reply]:
    """Typed answers: the announcement (or a photo with its caption), province names."""
    if not is_officer(ctx):
        ctx.state.clear()
        return refuse(ctx, "officer text")
    text = msg.text.strip()
    step = ctx.state.step
    draft = _draft(ctx)
    if step == Step.AUDIENCE:
        codes = [] if fold(text) in audience.NATIONWIDE else audience.typed_provinces(text)
        if codes is None:
            retry = await _audience_panel(ctx, draft)
            return [
                Reply(text=ctx.t("of.bad_provinces", said=audience.unread_names(text)[:60])),
                retry,
            ]
        draft.provinces = codes
        former = audience.former_names(ctx, text) if codes else ""
        return [*([Reply(text=former)] if former else []), await _audience_panel(ctx, draft)]
    if step == Step.TEXT and (text or msg.photo_id):
        if refused := too_long(ctx, text, MAX_CAPTION if msg.photo_id else TEXT_LIMIT):
            return [with_menu(ctx, refused + "\n" + ctx.t("of.ask_broadcast"))]
        fresh = Draft(
            text=text,
            photo=msg.photo_id or "",
            roles=draft.roles,
            provinces=draft.provinces or _home_only(ctx),
        )
        return [await _audience_panel(ctx, fresh)]
    return [Reply(text=ctx.t("start.use_buttons")), *await prompt(ctx)]


def _home_only(ctx: Context) -> list[int]:
    """Where an announcement goes until the officer chooses: their own province (none given:
    the whole country, still confirmed before it is sent)."""
    return [ctx.user.province_code] if audience.home(ctx) and ctx.user.province_code else []


async def _audience_panel(ctx: Context, draft: Draft) -> Reply:
    """Who gets the broadcast: role toggles, nationwide or the officer's province, a product
    group; the text names the choice and counts the people it reaches."""
    ctx.state.go(FLOW, Step.AUDIENCE, draft)
    roles, provinces = draft.roles, draft.provinces
    tick = "✓ "
    rows: list[tuple[Button, ...]] = [
        (Button(("" if roles else tick) + ctx.t("of.aud.all"), do.ToggleRole("all").encode()),),
        tuple(
            Button(
                (tick if role in roles else "") + ctx.t(audience.ROLES[role]),
                do.ToggleRole(role).encode(),
            )
            for role in ROLES
        ),
    ]
    nationwide = ("" if provinces else tick) + ctx.t("of.nationwide")
    where = [Button(nationwide, do.BroadcastWhere(0).encode())]
    if audience.home(ctx) and ctx.user.province_code:
        mine = provinces == [ctx.user.province_code]
        where.append(
            Button(
                (tick if mine else "📍 ") + audience.home(ctx),
                do.BroadcastWhere(ctx.user.province_code).encode(),
            )
        )
    rows.append(tuple(where))
    group = audience.group_name(ctx, draft.group if audience.group_choice(draft.group) else "all")
    rows.append((Button(ctx.t("of.group_button", group=group), do.AskBroadcastGroup().encode()),))
    count = len(await audience.recipients(ctx, draft))
    rows.append(
        (
            Button(ctx.t("of.preview", count=count), do.PreviewBroadcast().encode()),
            Button(ctx.t("of.discard"), do.DiscardBroadcast().encode()),
        )
    )
    text = ctx.t("of.ask_audience", scope=audience.scope(ctx, draft, roles=True), count=count)
    return Reply(text=text, buttons=tuple(rows))


async def _confirm(ctx: Context, draft: Draft) -> list[Reply]:
    ctx.state.go(FLOW, Step.CONFIRM, draft)
    people = await audience.recipients(ctx, draft)
    text = (
        ctx.t(
            "of.confirm_broadcast",
            count=len(people),
            scope=audience.scope(ctx, draft, roles=True),
        )
        + "\n\n"
        + audience.header(ctx.locale, ctx.user.province_code)
        + "\n"
        + escape(draft.text)
    )
    change = Button(ctx.t("of.change_audience"), do.ChangeAudience().encode())
    discard = Button(ctx.t("of.discard"), do.DiscardBroadcast().encode())
    if not people:  # nothing to send: the way out is another audience
        text += "\n\n" + ctx.t("of.nobody")
        return [Reply(text=text, buttons=((change,), (discard,)))]
    send = Button(ctx.t("of.send"), do.SendBroadcast().encode())
    return [Reply(text=text, buttons=((send, change), (discard,)))]


async def _ask_nationwide(ctx: Context, draft: Draft) -> Reply:
    """An officer about to reach the whole country: confirm, keep to their province, discard."""
    ctx.state.go(FLOW, Step.NATIONWIDE, draft)
    count = len(await audience.recipients(ctx, draft))
    province = audience.home(ctx)
    return audience.confirm_nationwide(
        ctx,
        ctx.t("of.nationwide_broadcast", province=province, count=count)
        if province
        else ctx.t("of.nationwide_broadcast_any", count=count),
        do.SendBroadcastNationwide(),
        do.BroadcastHomeOnly(),
        do.DiscardBroadcast(),
    )


async def on_action(ctx: Context, msg: Incoming, action: Action) -> list[Reply]:
    """Broadcast buttons; every one re-checks the role (callback data can be forged)."""
    if not is_officer(ctx):
        return refuse(ctx, msg.action or "")
    step = ctx.state.step if ctx.state.flow == FLOW else ""
    draft = _draft(ctx)
    match action:
        case do.NewBroadcast():
            return await new_broadcast(ctx, msg)
        case do.ToggleRole(role) if step == Step.AUDIENCE:
            if role == "all":
                draft.roles = []
            elif role in draft.roles:
                draft.roles = [r for r in draft.roles if r != role]
            else:
                draft.roles = [r for r in audience.ROLES if r in draft.roles or r == role]
            return [await _audience_panel(ctx, draft)]
        case do.BroadcastWhere(code) if step == Step.AUDIENCE and code >= 0:
            draft.provinces = [] if code == 0 else [code]
            return [await _audience_panel(ctx, draft)]
        case do.AskBroadcastGroup() if step == Step.AUDIENCE:
            ctx.state.go(FLOW, Step.GROUP)
            return [audience.ask_group(ctx, do.BroadcastGroup)]
        case do.BroadcastGroup(choice) if step == Step.GROUP and audience.group_choice(choice):
            draft.choose_group(choice)
            return [await _audience_panel(ctx, draft)]
        case do.ChangeAudience() if step in (Step.CONFIRM, Step.NATIONWIDE):
            return [await _audience_panel(ctx, draft)]
        case do.PreviewBroadcast() if step == Step.AUDIENCE:
            return await _confirm(ctx, draft)
        case do.SendBroadcast() if step == Step.CONFIRM and not draft.provinces:
            return [await _ask_nationwide(ctx, draft)]
        case do.SendBroadcast() | do.SendBroadcastNationwide() if step in (
            Step.CONFIRM,
            Step.NATIONWIDE,
        ):
            return await _send(ctx, draft)
        case do.BroadcastHomeOnly() if step == Step.NATIONWIDE and ctx.user.province_code:
            draft.provinces = [ctx.user.province_code]
            return await _confirm(ctx, draft)
        case do.DiscardBroadcast():
            ctx.state.clear()
            return [with_menu(ctx, ctx.t("of.discarded"))]
        case do.BroadcastProgress(broadcast_id):
            counts = await ctx.read(partial(repo.outbox_counts, broadcast_id=broadcast_id))
            return [_progress(ctx, broadcast_id, counts)]
        case do.StopBroadcast(broadcast_id):
            stop = Button(ctx.t("of.stop_yes"), do.ConfirmStopBroadcast(broadcast_id).encode())
            keep = Button(ctx.t("of.stop_keep"), do.BroadcastProgress(broadcast_id).encode())
            return [
                Reply(text=ctx.t("of.stop_sure"), buttons=((stop, keep), (menu_button(ctx.t),)))
            ]
        case do.ConfirmStopBroadcast(broadcast_id):
            ctx.write(lambda c, _uid: repo.cancel_broadcast(c, broadcast_id=broadcast_id))
            return [
                Reply(
                    text=ctx.t("of.broadcast_stopped"),
                    buttons=(
                        (
                            Button(
                                ctx.t("of.progress"), do.BroadcastProgress(broadcast_id).encode()
                            ),
                        ),
                        (menu_button(ctx.t),),
                    ),
                )
            ]
    return await stale_button(ctx, msg)


async def _send(ctx: Context, draft: Draft) -> list[Reply]:
    people = await audience.recipients(ctx, draft)
    if not people:
        return [await _audience_panel(ctx, draft)]
    broadcast_id = secrets.randbits(31)
    ctx.write(
        lambda connection, uid: queue_announcement(
            connection,
            broadcast_id=broadcast_id,
            officer_id=uid,
            province=ctx.user.province_code,
            text=draft.text,
            photo=draft.photo,
            people=people,
            now=ctx.now,
        )
    )
    ctx.state.clear()
    return [_progress(ctx, broadcast_id, {"pending": len(people)})]


def queue_announcement(
    connection: Connection,
    *,
    broadcast_id: int,
    officer_id: int,
    province: int | None,
    text: str,
    people: list[repo.Recipient],
    now: datetime,
    photo: str = "",
) -> None:
    """Record a broadcast and queue it to `people` (in the chat or from the dashboard): each in
    their language, under the header naming who sends it, with a way on (ask an officer about
    it, the menu)."""
    repo.add_broadcast(
        connection,
        broadcast_id=broadcast_id,
        officer_id=officer_id,
        text=text,
        recipients=len(people),
        now=now,
    )
    by_locale: dict[str, list[repo.Recipient]] = defaultdict(list)
    for person in people:
        by_locale[translator(person.locale).locale].append(person)
    for locale, group in by_locale.items():
        t = translator(locale)
        reply = Reply(
            text=audience.header(locale, province) + "\n" + escape(text),
            photo=Photo(file_id=photo) if photo else None,
            buttons=((ask_officer_button(t, broadcast_id), menu_button(t)),),
        )
        repo.enqueue_many(
            connection,
            kind="broadcast",
            payload=[reply_to_dict(reply)],
            now=now,
            recipients=group,
            broadcast_id=broadcast_id,
        )


_COUNTS = (
    ("sent", N_("of.count.sent")),
    ("pending", N_("of.count.pending")),
    ("failed", N_("of.count.failed")),
    ("blocked", N_("of.count.blocked")),
    ("undeliverable", N_("of.count.undeliverable")),
    ("cancelled", N_("of.count.cancelled")),
)
"""A broadcast's outcomes in the order the officer reads them ("sending" counts as pending)."""


def counts_text(t: Translator, counts: dict[str, int]) -> str:
    """ "đã gửi 12 · đang chờ 3": what was sent, then only the other outcomes that happened."""
    numbers = {**counts, "pending": counts.get("pending", 0) + counts.get("sending", 0)}
    return " · ".join(
        t(message, count=numbers.get(status, 0))
        for status, message in _COUNTS
        if status == "sent" or numbers.get(status, 0)
    )


def done_report(locale: str, counts: dict[str, int]) -> Reply:
    """The officer's word that their announcement went out, with the way on."""
    t = translator(locale)
    return Reply(
        t("of.broadcast_done", counts=counts_text(t, counts)), buttons=((menu_button(t),),)
    )


def _progress(ctx: Context, broadcast_id: int, counts: dict[str, int]) -> Reply:
    """Where the sending stands; "stop" only while some are still waiting."""
    text = ctx.t("of.broadcast_report", counts=counts_text(ctx.t, counts))
    row = [Button(ctx.t("of.progress"), do.BroadcastProgress(broadcast_id).encode())]
    if counts.get("pending", 0) + counts.get("sending", 0):
        row.append(Button(ctx.t("of.stop"), do.StopBroadcast(broadcast_id).encode()))
    return Reply(text=text, buttons=(tuple(row), (menu_button(ctx.t),)))


CONVERSATION = Conversation(
    name="broadcasts",
    commands={"thongbao": new_broadcast},
    actions=do.broadcasts,
    on_action=on_action,
    flow=FLOW,
    on_text=on_text,
    prompt=prompt,
)
