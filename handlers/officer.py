"""OCOP officers: publish and withdraw deadlines, broadcast announcements, approve new officers.
Every step checks the officer role; anyone else is refused politely and the attempt is logged."""

from __future__ import annotations

import html
import logging
import secrets
from datetime import datetime
from functools import partial

from bot.context import Context
from bot.i18n import N_, translator
from bot.messages import Button, Incoming, Photo, Reply, reply_to_dict
from db import repo
from handlers.menu import menu_button, stale_button
from knowledge.criteria import current_edition, groups, in_force_set, product_sets
from knowledge.regions import by_code, find_province
from knowledge.reminders import VIETNAM, parse_when

logger = logging.getLogger(__name__)

PREFIX = "of"
FLOW = "officer"
_AUDIENCES = {
    "all": [],
    "producers": ["producer"],
    "tourists": ["tourist"],
    "officers": ["officer"],
}


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


async def new_deadline(ctx: Context, msg: Incoming) -> list[Reply]:
    """`/hanchot`: publish a deadline (title, date, scope, link, confirm)."""
    if not is_officer(ctx):
        return _refuse(ctx, "/hanchot")
    ctx.state.go(FLOW, "d_title")
    return [Reply(text=ctx.t("of.ask_title"), buttons=((menu_button(ctx.t),),))]


async def new_broadcast(ctx: Context, msg: Incoming) -> list[Reply]:
    """`/thongbao`: compose an announcement, choose who gets it, preview, confirm."""
    if not is_officer(ctx):
        return _refuse(ctx, "/thongbao")
    ctx.state.go(FLOW, "b_text")
    return [Reply(text=ctx.t("of.ask_broadcast"), buttons=((menu_button(ctx.t),),))]


async def manage(ctx: Context, msg: Incoming) -> list[Reply]:
    """`/huyhan`: the open deadlines, each with a button to withdraw it."""
    if not is_officer(ctx):
        return _refuse(ctx, "/huyhan")
    deadlines = await ctx.read(partial(repo.open_deadlines, after=ctx.now))
    if not deadlines:
        return [Reply(text=ctx.t("rm.none"), buttons=((menu_button(ctx.t),),))]
    rows = tuple(
        (
            Button(
                ctx.t(
                    "of.cancel_one",
                    title=d.title[:30],
                    when=d.due_at.astimezone(VIETNAM).strftime("%d/%m"),
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
        "d_link": "of.ask_link",
        "b_text": "of.ask_broadcast",
    }
    if step in texts:
        return [Reply(text=ctx.t(texts[step]), buttons=((menu_button(ctx.t),),))]
    if step == "d_scope":
        return [_ask_scope(ctx)]
    if step in ("d_group", "b_group"):
        return [_ask_group(ctx, "dgrp" if step == "d_group" else "bgrp")]
    if step == "b_audience":
        return [_ask_audience(ctx)]
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
        return [Reply(text=ctx.t("of.ask_when"))]
    if step == "d_when":
        when = parse_when(text, ctx.now)
        if when is None:
            return [Reply(text=ctx.t("of.bad_when"))]
        ctx.state.go(FLOW, "d_scope", due=when.isoformat())
        return [_ask_scope(ctx)]
    if step == "d_move":
        when = parse_when(text, ctx.now)
        if when is None:
            return [Reply(text=ctx.t("of.bad_when"))]
        deadline_id = ctx.state.data["deadline"]
        ctx.write(lambda c, _uid: repo.move_deadline(c, deadline_id=deadline_id, due_at=when))
        ctx.state.clear()
        shown = when.astimezone(VIETNAM).strftime("%H:%M %d/%m/%Y")
        return [Reply(text=ctx.t("of.moved", when=shown), buttons=((menu_button(ctx.t),),))]
    if step in ("d_scope", "b_audience"):
        codes = _provinces(text)
        if codes is None:
            return [Reply(text=ctx.t("of.bad_provinces", said=text[:60]))]
        ctx.state.data["provinces"] = codes
        if step == "d_scope":
            ctx.state.go(FLOW, "d_group")
            return [_ask_group(ctx, "dgrp")]
        return await _confirm(ctx)
    if step == "d_link":
        if not text.startswith(("http://", "https://")):
            return [Reply(text=ctx.t("of.bad_link"))]
        ctx.state.go(FLOW, "d_confirm", link=text[:500])
        return await _confirm(ctx)
    if step == "b_text" and (text or msg.photo_id):
        # With a photo the text is its caption, which Telegram limits to 1,024 characters.
        limit = 1000 if msg.photo_id else 3500
        ctx.state.go(FLOW, "b_audience", text=text[:limit], photo=msg.photo_id or "")
        return [_ask_audience(ctx)]
    return await prompt(ctx)


def _group_choice(choice: str) -> bool:
    return choice == "all" or (
        choice.isdigit() and int(choice) < len(groups(current_edition().code))
    )


def _provinces(text: str) -> list[int] | None:
    codes = []
    for part in text.replace(";", ",").split(","):
        if not part.strip():
            continue
        matches = find_province(part)
        if not matches or matches[0].score < 100:
            return None
        codes.append(matches[0].province.code)
    return sorted(set(codes)) or None


def _group_sets(index: int) -> list[str]:
    """Set codes of a group in force, with the lapsed sets that became one of them."""
    current = groups(current_edition().code)[index][3]
    codes = {s.code for s in current}
    codes |= {
        s.code
        for s in product_sets().values()
        if (twin := in_force_set(s)) is not None and twin.code in codes
    }
    return sorted(codes)


def _ask_group(ctx: Context, prefix: str) -> Reply:
    rows = [(Button(ctx.t("of.all_groups"), f"of:{prefix}:all"),)]
    rows += [
        (Button(name_en if ctx.user.locale == "en" else name, f"of:{prefix}:{index}"),)
        for index, (_, name, name_en, _) in enumerate(groups(current_edition().code))
    ]
    return Reply(text=ctx.t("of.ask_group"), buttons=tuple(rows))


def _ask_scope(ctx: Context) -> Reply:
    rows = [(Button(ctx.t("rm.national"), "of:scope:0"),)]
    home = by_code(ctx.user.province_code) if ctx.user.province_code else None
    if home is not None:
        rows.append((Button(home.name, f"of:scope:{home.code}"),))
    return Reply(text=ctx.t("of.ask_scope"), buttons=tuple(rows))


def _ask_audience(ctx: Context) -> Reply:
    return Reply(
        text=ctx.t("of.ask_audience"),
        buttons=(
            (
                Button(ctx.t("of.aud.all"), "of:aud:all"),
                Button(ctx.t("of.aud.producers"), "of:aud:producers"),
            ),
            (
                Button(ctx.t("of.aud.tourists"), "of:aud:tourists"),
                Button(ctx.t("of.aud.officers"), "of:aud:officers"),
            ),
        ),
    )


async def _confirm(ctx: Context) -> list[Reply]:
    data = ctx.state.data
    scope = ", ".join(p.name for p in map(by_code, data.get("provinces", [])) if p) or ctx.t(
        "rm.national"
    )
    if data.get("group", "all") != "all":
        _, name, name_en, _ = groups(current_edition().code)[int(data["group"])]
        scope += " · " + (name_en if ctx.user.locale == "en" else name)
    buttons = ((Button(ctx.t("of.publish"), "of:go"), Button(ctx.t("of.discard"), "m:menu")),)
    if ctx.state.step.startswith("d_"):
        ctx.state.go(FLOW, "d_confirm")
        when = data["due"][:16].replace("T", " ")
        text = ctx.t(
            "of.confirm_deadline",
            title=data["title"],
            when=when,
            scope=scope,
            link=data.get("link") or "—",
        )
        return [Reply(text=text, buttons=buttons)]
    ctx.state.go(FLOW, "b_confirm")
    people = await ctx.read(
        partial(
            repo.audience,
            roles=_AUDIENCES[data["audience"]],
            provinces=data.get("provinces", []),
            product_sets=data.get("sets", []),
        )
    )
    text = (
        ctx.t("of.confirm_broadcast", count=len(people), scope=scope)
        + "\n\n"
        + _escape_once(data["text"])
    )
    return [Reply(text=text, buttons=buttons)]


def _escape_once(text: str) -> str:
    return html.escape(text, quote=False)


async def on_action(ctx: Context, msg: Incoming) -> list[Reply]:
    """Officer buttons; every one re-checks the role (callback data can be forged)."""
    parts = (msg.action or "").split(":")[1:]
    if not is_officer(ctx):
        return _refuse(ctx, msg.action or "")
    match parts:
        case ["newdl"]:
            return await new_deadline(ctx, msg)
        case ["newbc"]:
            return await new_broadcast(ctx, msg)
        case ["scope", code] if ctx.state.step == "d_scope" and code.isdigit():
            ctx.state.go(FLOW, "d_group", provinces=[] if code == "0" else [int(code)])
            return [_ask_group(ctx, "dgrp")]
        case ["dgrp", choice] if ctx.state.step == "d_group" and _group_choice(choice):
            ctx.state.go(
                FLOW,
                "d_link",
                sets=[] if choice == "all" else _group_sets(int(choice)),
                group=choice,
            )
            return [
                Reply(
                    text=ctx.t("of.ask_link"),
                    buttons=((Button(ctx.t("start.province_skip"), "of:nolink"),),),
                )
            ]
        case ["bgrp", choice] if ctx.state.step == "b_group" and _group_choice(choice):
            ctx.state.data["sets"] = [] if choice == "all" else _group_sets(int(choice))
            ctx.state.data["group"] = choice
            return await _confirm(ctx)
        case ["nolink"] if ctx.state.step == "d_link":
            ctx.state.go(FLOW, "d_confirm", link="")
            return await _confirm(ctx)
        case ["aud", name] if ctx.state.step == "b_audience" and name in _AUDIENCES:
            ctx.state.data["audience"] = name
            ctx.state.data.setdefault("provinces", [])
            if name == "producers":
                ctx.state.go(FLOW, "b_group")
                return [_ask_group(ctx, "bgrp")]
            return await _confirm(ctx)
        case ["go"] if ctx.state.step == "d_confirm":
            return _publish_deadline(ctx)
        case ["go"] if ctx.state.step == "b_confirm":
            return await _send_broadcast(ctx)
        case ["dmove", deadline_id] if deadline_id.isdigit():
            ctx.state.go(FLOW, "d_move", deadline=int(deadline_id))
            return [Reply(text=ctx.t("of.ask_when"), buttons=((menu_button(ctx.t),),))]
        case ["dcancel", deadline_id] if deadline_id.isdigit():
            ctx.write(lambda c, _uid: repo.cancel_deadline(c, deadline_id=int(deadline_id)))
            return [Reply(text=ctx.t("of.cancelled"), buttons=((menu_button(ctx.t),),))]
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
            return _decide(ctx, int(user_id), approve=verdict == "ok")
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
    return [
        Reply(text=ctx.t("of.published", title=data["title"]), buttons=((menu_button(ctx.t),),))
    ]


async def _send_broadcast(ctx: Context) -> list[Reply]:
    data = dict(ctx.state.data)
    people = await ctx.read(
        partial(
            repo.audience,
            roles=_AUDIENCES[data["audience"]],
            provinces=data.get("provinces", []),
            product_sets=data.get("sets", []),
        )
    )
    broadcast_id = secrets.randbits(31)
    photo = Photo(file_id=data["photo"]) if data.get("photo") else None
    payload = [reply_to_dict(Reply(text=_escape_once(data["text"]), photo=photo))]

    def freeze(connection, uid: int) -> None:  # type: ignore[no-untyped-def]
        repo.add_broadcast(
            connection,
            broadcast_id=broadcast_id,
            officer_id=uid,
            text=data["text"],
            recipients=len(people),
            now=ctx.now,
        )
        repo.enqueue_many(
            connection,
            kind="broadcast",
            payload=payload,
            now=ctx.now,
            recipients=people,
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


def _decide(ctx: Context, user_id: int, *, approve: bool) -> list[Reply]:
    def apply(connection, _uid: int) -> None:  # type: ignore[no-untyped-def]
        repo.set_officer(connection, user_id=user_id, approved=approve)
        contact = repo.user_contact(connection, user_id=user_id)
        if contact is not None:
            verdict = N_("of.you_approved") if approve else N_("of.you_refused")
            text = translator(contact.locale)(verdict)
            repo.enqueue(
                connection,
                platform=contact.platform,
                chat_id=contact.chat_id,
                user_id=user_id,
                kind="notice",
                payload=[reply_to_dict(Reply(text=text))],
                now=ctx.now,
            )

    ctx.write(apply)
    return [
        Reply(
            text=ctx.t("of.approved") if approve else ctx.t("of.refused_request"),
            buttons=((menu_button(ctx.t),),),
        )
    ]


def notify_officers(ctx: Context) -> None:
    """Ask every approved officer to approve or refuse this user's request, with one tap."""
    name = ctx.user.display_name or ctx.user.external_id

    def ask(connection, uid: int) -> None:  # type: ignore[no-untyped-def]
        for officer in repo.officer_contacts(connection):
            t = translator(officer.locale)
            reply = Reply(
                text=t("of.request", name=name, platform=ctx.user.platform),
                buttons=(
                    (
                        Button(t("of.approve"), f"of:ok:{uid}"),
                        Button(t("of.refuse"), f"of:no:{uid}"),
                    ),
                ),
            )
            repo.enqueue(
                connection,
                platform=officer.platform,
                chat_id=officer.chat_id,
                user_id=officer.user_id,
                kind="notice",
                payload=[reply_to_dict(reply)],
                now=ctx.now,
                dedupe_key=f"officer-request:{uid}:{officer.user_id}",
            )

    ctx.write(ask)
