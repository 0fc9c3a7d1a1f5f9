"""OCOP officers: publish and withdraw deadlines, broadcast announcements, approve new officers.
Every step checks the officer role; anyone else is refused politely and the attempt is logged.

A broadcast's audience is roles × provinces × product groups, each chosen on one panel whose
text shows the count; typing province names there narrows it (`handlers.audience`). A provincial
officer publishing to the whole country is asked to confirm. Granting and withdrawing rights
lives in `handlers.officer_rights`."""

from __future__ import annotations

import logging
import secrets
from collections import defaultdict
from datetime import datetime
from functools import partial

from sqlalchemy import Connection

from bot.context import Context
from bot.i18n import N_, format_date, format_datetime, translator
from bot.markup import escape
from bot.messages import Button, Incoming, Photo, Reply, reply_to_dict
from db import repo
from handlers import audience
from handlers.menu import menu_button, stale_button
from handlers.officer_rights import decide_officer
from knowledge.reminders import read_when
from knowledge.text import clip, fold

logger = logging.getLogger(__name__)

PREFIX = "of"
FLOW = "officer"
_WHEN_PROBLEMS = {
    "unreadable": N_("of.bad_when"),
    "no_such_day": N_("of.no_such_day"),
    "no_such_time": N_("of.no_such_time"),
}
"""What to say about a typed date that cannot be read ("past" names the moment instead)."""


def is_officer(ctx: Context) -> bool:
    """True for an approved officer."""
    return ctx.user.role == "officer" and ctx.user.officer_approved


def _refuse(ctx: Context, what: str) -> list[Reply]:
    logger.warning(
        "refused %s to %s:%s (not an officer)", what, ctx.user.platform, ctx.user.external_id
    )
    return [
        Reply(
            text=ctx.t("of.refused"), notice=ctx.t("of.refused"), buttons=((menu_button(ctx.t),),)
        )
    ]


def _with_menu(ctx: Context, text: str) -> Reply:
    return Reply(text=text, buttons=((menu_button(ctx.t),),))


async def new_deadline(ctx: Context, msg: Incoming) -> list[Reply]:
    """`/hanchot`: publish a deadline (title, date, scope, group, link, confirm)."""
    if not is_officer(ctx):
        return _refuse(ctx, "/hanchot")
    ctx.state.go(FLOW, "d_title")
    return [_with_menu(ctx, ctx.t("of.ask_title"))]


async def new_broadcast(ctx: Context, msg: Incoming) -> list[Reply]:
    """`/thongbao`: compose an announcement, choose who gets it, preview, confirm."""
    if not is_officer(ctx):
        return _refuse(ctx, "/thongbao")
    ctx.state.go(FLOW, "b_text")
    return [_with_menu(ctx, ctx.t("of.ask_broadcast"))]


async def manage(ctx: Context, msg: Incoming) -> list[Reply]:
    """`/huyhan`: the open deadlines, each with a button to withdraw it."""
    if not is_officer(ctx):
        return _refuse(ctx, "/huyhan")
    deadlines = await ctx.read(partial(repo.open_deadlines, after=ctx.now))
    if not deadlines:
        return [_with_menu(ctx, ctx.t("rm.none"))]
    rows = tuple(
        (
            Button(
                ctx.t(
                    "of.cancel_one",
                    title=clip(d.title, 30),
                    when=format_date(d.due_at),
                ),
                f"of:dcancel:{d.id}",
            ),
            Button(ctx.t("of.move_one"), f"of:dmove:{d.id}"),
        )
        for d in deadlines[:15]
    )
    return [Reply(text=ctx.t("of.manage"), buttons=(*rows, (menu_button(ctx.t),)))]


async def prompt(ctx: Context) -> list[Reply]:
    """Re-ask the current step."""
    step = ctx.state.step
    texts = {
        "d_title": "of.ask_title",
        "d_when": "of.ask_when",
        "d_move": "of.ask_when",
        "b_text": "of.ask_broadcast",
    }
    if step in texts:
        return [_with_menu(ctx, ctx.t(texts[step]))]
    if step == "d_scope":
        return [_askscope(ctx)]
    if step == "d_link":
        return [_ask_link(ctx)]
    if step in ("d_group", "b_group"):
        return [audience.ask_group(ctx, "dgrp" if step == "d_group" else "bgrp")]
    if step == "b_audience":
        return [await _audience_panel(ctx)]
    if step in ("d_national", "b_national"):
        return [await _ask_nationwide(ctx)]
    return await _confirm(ctx)


async def on_text(ctx: Context, msg: Incoming) -> list[Reply]:
    """Typed answers of the deadline and broadcast flows."""
    if not is_officer(ctx):
        ctx.state.clear()
        return _refuse(ctx, "officer text")
    text = msg.text.strip()
    step = ctx.state.step
    if step == "d_title" and text:
        ctx.state.go(FLOW, "d_when", title=text[:200])
        return [_with_menu(ctx, ctx.t("of.ask_when"))]
    if step in ("d_when", "d_move"):
        when, problem = read_when(text, ctx.now)
        if problem or when is None:
            return [_with_menu(ctx, _when_problem(ctx, text, when, problem))]
        if step == "d_when":
            ctx.state.go(FLOW, "d_scope", due=when.isoformat())
            return [_askscope(ctx)]
        deadline_id = ctx.state.data["deadline"]
        ctx.write(lambda c, _uid: repo.move_deadline(c, deadline_id=deadline_id, due_at=when))
        ctx.state.clear()
        return [_with_menu(ctx, ctx.t("of.moved", when=format_datetime(when)))]
    if step in ("d_scope", "b_audience"):
        codes = [] if fold(text) in audience.NATIONWIDE else audience.typed_provinces(text)
        if codes is None:
            retry = _askscope(ctx) if step == "d_scope" else await _audience_panel(ctx)
            return [Reply(text=ctx.t("of.bad_provinces", said=text[:60])), retry]
        ctx.state.data["provinces"] = codes
        if step == "d_scope":
            ctx.state.go(FLOW, "d_group")
            return [audience.ask_group(ctx, "dgrp")]
        return [await _audience_panel(ctx)]
    if step == "d_link":
        if not text.startswith(("http://", "https://")):
            return [Reply(text=ctx.t("of.bad_link")), _ask_link(ctx)]
        ctx.state.go(FLOW, "d_confirm", link=text[:500])
        return await _confirm(ctx)
    if step == "b_text" and (text or msg.photo_id):
        # With a photo the text is its caption, which Telegram limits to 1,024 characters.
        limit = 1000 if msg.photo_id else 3500
        ctx.state.go(
            FLOW, "b_audience", text=text[:limit], photo=msg.photo_id or "", roles=[], provinces=[]
        )
        return [await _audience_panel(ctx)]
    return [Reply(text=ctx.t("start.use_buttons")), *await prompt(ctx)]


def _when_problem(ctx: Context, text: str, when: datetime | None, problem: str) -> str:
    """Which part of a typed date is wrong: not a date, not on the calendar, or past."""
    if problem == "past" and when is not None:
        message = ctx.t("of.past_when", when=format_datetime(when), now=format_datetime(ctx.now))
    else:
        message = ctx.t(_WHEN_PROBLEMS.get(problem, "of.bad_when"), said=text[:40])
    return message + "\n" + ctx.t("of.ask_when")


def _askscope(ctx: Context) -> Reply:
    rows = [(Button(ctx.t("of.nationwide"), "of:scope:0"),)]
    if audience.home(ctx):
        rows.append((Button("📍 " + audience.home(ctx), f"of:scope:{ctx.user.province_code}"),))
    rows.append((menu_button(ctx.t),))
    return Reply(text=ctx.t("of.ask_scope"), buttons=tuple(rows))


def _ask_link(ctx: Context) -> Reply:
    return Reply(
        text=ctx.t("of.ask_link"),
        buttons=((Button(ctx.t("start.province_skip"), "of:nolink"), menu_button(ctx.t)),),
    )


async def _audience_panel(ctx: Context) -> Reply:
    """Who gets the broadcast: role toggles, nationwide or the officer's province, a product
    group; the text names the choice and counts the people it reaches."""
    ctx.state.go(FLOW, "b_audience")
    data = ctx.state.data
    roles, provinces = data.get("roles", []), data.get("provinces", [])
    tick = "✓ "
    rows: list[tuple[Button, ...]] = [
        (Button(("" if roles else tick) + ctx.t("of.aud.all"), "of:role:all"),),
        tuple(
            Button((tick if role in roles else "") + ctx.t(label), f"of:role:{role}")
            for role, label in audience.ROLES.items()
        ),
    ]
    where = [Button(("" if provinces else tick) + ctx.t("of.nationwide"), "of:where:0")]
    if audience.home(ctx):
        mine = provinces == [ctx.user.province_code]
        where.append(
            Button(
                (tick if mine else "📍 ") + audience.home(ctx),
                f"of:where:{ctx.user.province_code}",
            )
        )
    rows.append(tuple(where))
    group = audience.group_name(ctx, data.get("group", "all"))
    rows.append((Button(ctx.t("of.group_button", group=group), "of:grp"),))
    count = len(await audience.recipients(ctx))
    rows.append(
        (
            Button(ctx.t("of.preview", count=count), "of:preview"),
            Button(ctx.t("of.discard"), "of:discard"),
        )
    )
    text = ctx.t("of.ask_audience", scope=audience.scope(ctx), count=count)
    return Reply(text=text, buttons=tuple(rows))


async def _confirm(ctx: Context) -> list[Reply]:
    data = ctx.state.data
    buttons = (
        (Button(ctx.t("of.publish"), "of:go"), Button(ctx.t("of.discard"), "of:discard")),
        (menu_button(ctx.t),),
    )
    if ctx.state.step.startswith("d_"):
        ctx.state.go(FLOW, "d_confirm")
        text = ctx.t(
            "of.confirm_deadline",
            title=data["title"],
            when=format_datetime(datetime.fromisoformat(data["due"])),
            scope=audience.scope(ctx),
            link=data.get("link") or "—",
        )
        return [Reply(text=text, buttons=buttons)]
    ctx.state.go(FLOW, "b_confirm")
    people = await audience.recipients(ctx)
    text = (
        ctx.t("of.confirm_broadcast", count=len(people), scope=audience.scope(ctx))
        + "\n\n"
        + audience.header(ctx.user.locale, ctx.user.province_code)
        + "\n"
        + escape(data["text"])
    )
    change = Button(ctx.t("of.change_audience"), "of:aud")
    if not people:  # nothing to send: the way out is another audience
        text += "\n\n" + ctx.t("of.nobody")
        return [
            Reply(text=text, buttons=((change,), (Button(ctx.t("of.discard"), "of:discard"),)))
        ]
    buttons = (
        (Button(ctx.t("of.send"), "of:go"), change),
        (Button(ctx.t("of.discard"), "of:discard"),),
    )
    return [Reply(text=text, buttons=buttons)]


def _nationwide_from_a_province(ctx: Context) -> bool:
    return bool(audience.home(ctx)) and not ctx.state.data.get("provinces")


async def _ask_nationwide(ctx: Context) -> Reply:
    """A provincial officer about to reach the whole country: confirm, or keep to the province."""
    deadline = ctx.state.step.startswith("d_")
    ctx.state.go(FLOW, "d_national" if deadline else "b_national")
    if deadline:
        text = ctx.t("of.nationwide_deadline", province=audience.home(ctx))
    else:
        text = ctx.t(
            "of.nationwide_broadcast",
            province=audience.home(ctx),
            count=len(await audience.recipients(ctx)),
        )
    return Reply(
        text=text,
        buttons=(
            (Button(ctx.t("of.nationwide_yes"), "of:go:all"),),
            (Button(ctx.t("of.only_home", province=audience.home(ctx)), "of:home"),),
            (Button(ctx.t("of.discard"), "of:discard"),),
        ),
    )


async def on_action(ctx: Context, msg: Incoming) -> list[Reply]:
    """Officer buttons; every one re-checks the role (callback data can be forged)."""
    parts = (msg.action or "").split(":")[1:]
    if not is_officer(ctx):
        return _refuse(ctx, msg.action or "")
    step = ctx.state.step if ctx.state.flow == FLOW else ""
    match parts:
        case ["newdl"]:
            return await new_deadline(ctx, msg)
        case ["newbc"]:
            return await new_broadcast(ctx, msg)
        case ["scope", code] if step == "d_scope" and code.isdigit():
            ctx.state.go(FLOW, "d_group", provinces=[] if code == "0" else [int(code)])
            return [audience.ask_group(ctx, "dgrp")]
        case ["dgrp", choice] if step == "d_group" and audience.group_choice(choice):
            ctx.state.go(
                FLOW,
                "d_link",
                sets=[] if choice == "all" else audience.group_sets(int(choice)),
                group=choice,
            )
            return [_ask_link(ctx)]
        case ["nolink"] if step == "d_link":
            ctx.state.go(FLOW, "d_confirm", link="")
            return await _confirm(ctx)
        case ["role", role] if step == "b_audience" and (role == "all" or role in audience.ROLES):
            chosen = ctx.state.data.get("roles", [])
            if role == "all":
                chosen = []
            elif role in chosen:
                chosen = [r for r in chosen if r != role]
            else:
                chosen = [r for r in audience.ROLES if r in chosen or r == role]
            ctx.state.data["roles"] = chosen
            return [await _audience_panel(ctx)]
        case ["where", code] if step == "b_audience" and code.isdigit():
            ctx.state.data["provinces"] = [] if code == "0" else [int(code)]
            return [await _audience_panel(ctx)]
        case ["grp"] if step == "b_audience":
            ctx.state.go(FLOW, "b_group")
            return [audience.ask_group(ctx, "bgrp")]
        case ["bgrp", choice] if step == "b_group" and audience.group_choice(choice):
            ctx.state.data["sets"] = [] if choice == "all" else audience.group_sets(int(choice))
            ctx.state.data["group"] = choice
            return [await _audience_panel(ctx)]
        case ["aud"] if step in ("b_confirm", "b_national"):
            return [await _audience_panel(ctx)]
        case ["preview"] if step == "b_audience":
            return await _confirm(ctx)
        case ["go"] if step in ("d_confirm", "b_confirm") and _nationwide_from_a_province(ctx):
            return [await _ask_nationwide(ctx)]
        case ["go"] | ["go", "all"] if step in ("d_confirm", "d_national"):
            return _publish_deadline(ctx)
        case ["go"] | ["go", "all"] if step in ("b_confirm", "b_national"):
            return await _send_broadcast(ctx)
        case ["home"] if step in ("d_national", "b_national") and audience.home(ctx):
            ctx.state.data["provinces"] = [ctx.user.province_code]
            ctx.state.step = "d_confirm" if step == "d_national" else "b_confirm"
            return await _confirm(ctx)
        case ["discard"]:
            ctx.state.clear()
            return [_with_menu(ctx, ctx.t("of.discarded"))]
        case ["dmove", deadline_id] if deadline_id.isdigit():
            ctx.state.go(FLOW, "d_move", deadline=int(deadline_id))
            return [_with_menu(ctx, ctx.t("of.ask_when"))]
        case ["dcancel", deadline_id] if deadline_id.isdigit():
            ctx.write(lambda c, _uid: repo.cancel_deadline(c, deadline_id=int(deadline_id)))
            return [_with_menu(ctx, ctx.t("of.cancelled"))]
        case ["bstat", broadcast_id] if broadcast_id.isdigit():
            counts = await ctx.read(partial(repo.outbox_counts, broadcast_id=int(broadcast_id)))
            return [_progress(ctx, int(broadcast_id), counts)]
        case ["bstop", broadcast_id] if broadcast_id.isdigit():
            ctx.write(lambda c, _uid: repo.cancel_broadcast(c, broadcast_id=int(broadcast_id)))
            return [
                Reply(
                    text=ctx.t("of.broadcast_stopped"),
                    buttons=(
                        (Button(ctx.t("of.progress"), f"of:bstat:{broadcast_id}"),),
                        (menu_button(ctx.t),),
                    ),
                )
            ]
        case [("ok" | "no") as verdict, user_id] if user_id.isdigit():
            return await _decide(ctx, int(user_id), approve=verdict == "ok")
    return await stale_button(ctx, msg)


def _publish_deadline(ctx: Context) -> list[Reply]:
    data = dict(ctx.state.data)
    due = datetime.fromisoformat(data["due"])
    ctx.write(
        lambda c, uid: repo.add_deadline(
            c,
            title=data["title"],
            due_at=due,
            provinces=data.get("provinces", []),
            link=data.get("link", ""),
            created_by=uid,
            now=ctx.now,
            product_sets=data.get("sets", []),
        )
    )
    ctx.state.clear()
    return [_with_menu(ctx, ctx.t("of.published", title=data["title"]))]


async def _send_broadcast(ctx: Context) -> list[Reply]:
    data = dict(ctx.state.data)
    people = await audience.recipients(ctx)
    if not people:
        return [await _audience_panel(ctx)]
    broadcast_id = secrets.randbits(31)
    photo = Photo(file_id=data["photo"]) if data.get("photo") else None
    by_locale: dict[str, list[repo.Recipient]] = defaultdict(list)
    for person in people:
        by_locale[translator(person.locale).locale].append(person)
    province = ctx.user.province_code

    def freeze(connection: Connection, uid: int) -> None:
        repo.add_broadcast(
            connection,
            broadcast_id=broadcast_id,
            officer_id=uid,
            text=data["text"],
            recipients=len(people),
            now=ctx.now,
        )
        for locale, group in by_locale.items():
            text = audience.header(locale, province) + "\n" + escape(data["text"])
            repo.enqueue_many(
                connection,
                kind="broadcast",
                payload=[reply_to_dict(Reply(text=text, photo=photo))],
                now=ctx.now,
                recipients=group,
                broadcast_id=broadcast_id,
            )

    ctx.write(freeze)
    ctx.state.clear()
    counts = {"pending": len(people)}
    return [_progress(ctx, broadcast_id, counts)]


def _progress(ctx: Context, broadcast_id: int, counts: dict[str, int]) -> Reply:
    text = ctx.t(
        "of.broadcast_report",
        sent=counts.get("sent", 0),
        failed=counts.get("failed", 0),
        blocked=counts.get("blocked", 0),
        undeliverable=counts.get("undeliverable", 0),
        pending=counts.get("pending", 0) + counts.get("sending", 0),
        cancelled=counts.get("cancelled", 0),
    )
    return Reply(
        text=text,
        buttons=(
            (
                Button(ctx.t("of.progress"), f"of:bstat:{broadcast_id}"),
                Button(ctx.t("of.stop"), f"of:bstop:{broadcast_id}"),
            ),
            (menu_button(ctx.t),),
        ),
    )


async def _decide(ctx: Context, user_id: int, *, approve: bool) -> list[Reply]:
    """An approval button: acts only on a request still waiting (decided meanwhile, or the id
    now someone else's after an erasure: nothing changes)."""
    if not await ctx.read(partial(repo.officer_request_pending, user_id=user_id)):
        return [Reply(text=ctx.t("of.request_gone"), buttons=((menu_button(ctx.t),),))]
    ctx.write(
        lambda c, uid: decide_officer(
            c, user_id=user_id, approve=approve, by=f"officer:{uid}", now=ctx.now
        )
    )
    return [
        Reply(
            text=ctx.t("of.approved") if approve else ctx.t("of.refused_request"),
            buttons=((menu_button(ctx.t),),),
        )
    ]
