"""Hand-over to an OCOP officer: the user writes a question, the officers of their province get
it with a Claim button, the first to claim owns the conversation and the bot stays silent for
the user's free text until either side closes it."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import Connection

from bot.context import Context
from bot.i18n import N_, translator
from bot.markup import escape
from bot.messages import REPLY_WINDOWS, Button, Incoming, Reply, reply_to_dict
from bot.settings import Settings, load_settings
from db import office, repo
from db.session import Database
from handlers.menu import ROLE_LABELS, menu_button, stale_button
from knowledge.office_hours import OfficeHours
from knowledge.officer_request import asks_for_officer
from knowledge.regions import by_code
from knowledge.reminders import VIETNAM

logger = logging.getLogger(__name__)

PREFIX = "ho"
FLOW = "handover"
_RECENT = timedelta(days=1)


def _is_officer(ctx: Context) -> bool:
    return ctx.user.role == "officer" and ctx.user.officer_approved


def _notice(
    connection: Connection, contact: repo.Recipient, reply: Reply, now: datetime, key: str | None
) -> None:
    repo.enqueue(
        connection,
        platform=contact.platform,
        chat_id=contact.chat_id,
        user_id=contact.user_id,
        kind="notice",
        payload=[reply_to_dict(reply)],
        now=now,
        dedupe_key=key,
    )


async def routed(
    ctx: Context, msg: Incoming, route: Callable[[Context, Incoming], Awaitable[list[Reply]]]
) -> list[Reply]:
    """The dispatcher's way in: while an officer owns the user's hand-over, free text goes to
    the officer and the bot says nothing; commands work with a note that an officer answers."""
    found = None
    if ctx.user.id is not None:
        found = await ctx.read(partial(office.active_status, user_id=ctx.user.id))
    active = None
    if found is not None and found[1] == "claimed":
        active = await ctx.read(partial(office.get_handover, handover_id=found[0]))
    if active is not None and active.status == "claimed":
        if msg.command is None and msg.action is None and msg.location is None:
            _relay_to_officer(ctx, active, msg.text.strip() or "📎")
            return []
        replies = await route(ctx, msg)
        if msg.command is not None:
            return [Reply(text=ctx.t("ho.officer_answering")), *replies]
        return replies
    if (
        msg.command is None
        and msg.action is None
        and ctx.user.role is not None
        and ctx.state.flow != FLOW
        and asks_for_officer(msg.text)
    ):
        return await start(ctx, msg)
    return await route(ctx, msg)


async def start(ctx: Context, msg: Incoming) -> list[Reply]:
    """Ask for the question (or say where the user's open request stands)."""
    if ctx.user.role is None:
        return await ctx.reprompt()
    active = None
    if ctx.user.id is not None:
        active = await ctx.read(partial(office.active_for_user, user_id=ctx.user.id))
    if active is not None:
        key = N_("ho.already_claimed") if active.status == "claimed" else N_("ho.already_queued")
        return [
            Reply(
                text=ctx.t(key, number=active.id),
                buttons=(
                    (Button(ctx.t("ho.close"), f"ho:close:{active.id}"), menu_button(ctx.t)),
                ),
            )
        ]
    ctx.state.go(FLOW, "ask")
    return await prompt(ctx)


async def prompt(ctx: Context) -> list[Reply]:
    """Re-ask the current step: the question, or (officers) the answer being written."""
    if ctx.state.step == "reply":
        number = ctx.state.data.get("id", 0)
        return [
            Reply(
                text=ctx.t("ho.type_answer", number=number),
                buttons=((Button(ctx.t("ho.close"), f"ho:close:{number}"), menu_button(ctx.t)),),
            )
        ]
    province = by_code(ctx.user.province_code) if ctx.user.province_code else None
    where = province.name if province else ctx.t("rm.national")
    return [Reply(text=ctx.t("ho.ask_question", province=where), buttons=((menu_button(ctx.t),),))]


async def on_text(ctx: Context, msg: Incoming) -> list[Reply]:
    """The user's question, or an officer's answer."""
    text = msg.text.strip()
    if not text:
        return await prompt(ctx)
    if ctx.state.step == "reply":
        return await _answer(ctx, int(ctx.state.data.get("id", 0)), text)
    return await _open(ctx, text)


async def _open(ctx: Context, question: str) -> list[Reply]:
    user = ctx.user
    now = ctx.now
    province = by_code(user.province_code) if user.province_code else None
    name = user.display_name or user.external_id

    def queue(connection: Connection, uid: int) -> None:
        if office.active_for_user(connection, user_id=uid) is not None:
            return  # a second request while one is open joins it below
        recent = office.recent_unanswered_of(connection, user_id=uid, since=now - _RECENT)
        office.add_unanswered(
            connection,
            text=question,
            source="handover",
            user_id=uid,
            province_code=user.province_code,
            locale=user.locale,
            now=now,
        )
        number = office.open_handover(
            connection, user_id=uid, province_code=user.province_code, question=question, now=now
        )
        office.add_message(connection, handover_id=number, sender="user", text=question, now=now)
        for officer in office.officers_for(connection, province_code=user.province_code):
            t = translator(officer.locale)
            text = t(
                "ho.request",
                number=number,
                name=name,
                platform=user.platform,
                province=province.name if province else "—",
                role=t(ROLE_LABELS[user.role]) if user.role else "—",
                language=user.locale,
                question=question,
            )
            if recent:
                text += "\n" + t("ho.recent") + "".join(f"\n• {escape(r)}" for r in recent)
            reply = Reply(text=text, buttons=((Button(t("ho.claim"), f"ho:claim:{number}"),),))
            _notice(connection, officer, reply, now, f"handover:{number}:{officer.user_id}")

    ctx.write(queue)
    ctx.state.clear()
    officers = await ctx.read(partial(office.officers_for, province_code=user.province_code))
    where = province.name if province else ctx.t("rm.national")
    text = ctx.t("ho.queued", province=where) if officers else ctx.t("ho.queued_nobody")
    return [Reply(text=text, buttons=((menu_button(ctx.t),),))]


def _relay_to_officer(ctx: Context, handover: office.HandoverRecord, text: str) -> None:
    """A user's message while an officer owns the conversation: kept and passed on."""
    now = ctx.now
    name = ctx.user.display_name or ctx.user.external_id

    def relay(connection: Connection, _uid: int) -> None:
        office.add_message(connection, handover_id=handover.id, sender="user", text=text, now=now)
        contact = (
            repo.user_contact(connection, user_id=handover.officer_id)
            if handover.officer_id
            else None
        )
        if contact is None:
            return
        t = translator(contact.locale)
        reply = Reply(
            text=t("ho.from_user", number=handover.id, name=name, text=text),
            buttons=(
                (
                    Button(t("ho.reply"), f"ho:reply:{handover.id}"),
                    Button(t("ho.close"), f"ho:close:{handover.id}"),
                ),
            ),
        )
        _notice(connection, contact, reply, now, None)

    ctx.write(relay)


def _reachable(user: repo.UserRecord, now: datetime) -> bool:
    """Whether a free message can reach the user now (Zalo: 48 hours after their last one)."""
    window = REPLY_WINDOWS.get(user.platform)
    return window is None or now - user.last_seen_at <= window


async def answer(
    db: Database, *, handover_id: int, officer_id: int, text: str, now: datetime
) -> str:
    """Send an officer's answer to the user: "sent", "undeliverable" (Zalo's window) or
    "not_owner" (closed, or claimed by someone else). Used by the chat and the dashboard."""

    def send(connection: Connection) -> str:
        handover = office.get_handover(connection, handover_id=handover_id)
        if handover is None or handover.status != "claimed" or handover.officer_id != officer_id:
            return "not_owner"
        found = office.user_by_id(connection, user_id=handover.user_id)
        if found is None or not found.active:
            office.add_message(
                connection,
                handover_id=handover_id,
                sender="officer",
                text=text,
                now=now,
                delivered=False,
            )
            return "undeliverable"
        if not _reachable(found, now):
            office.add_message(
                connection,
                handover_id=handover_id,
                sender="officer",
                text=text,
                now=now,
                delivered=False,
            )
            return "undeliverable"
        office.add_message(
            connection, handover_id=handover_id, sender="officer", text=text, now=now
        )
        t = translator(found.locale)
        reply = Reply(
            text=t("ho.from_office", text=text),
            buttons=((Button(t("ho.close"), f"ho:close:{handover_id}"),),),
        )
        contact = repo.Recipient(found.id or 0, found.platform, found.chat_id, found.locale)
        _notice(connection, contact, reply, now, None)
        return "sent"

    return await db.run(send)


async def _answer(ctx: Context, handover_id: int, text: str) -> list[Reply]:
    assert ctx.db is not None and ctx.user.id is not None
    outcome = await answer(
        ctx.db, handover_id=handover_id, officer_id=ctx.user.id, text=text, now=ctx.now
    )
    if outcome == "not_owner":
        ctx.state.clear()
        return [Reply(text=ctx.t("ho.not_yours"), buttons=((menu_button(ctx.t),),))]
    key = N_("ho.sent") if outcome == "sent" else N_("ho.undeliverable")
    return [
        Reply(
            text=ctx.t(key),
            buttons=((Button(ctx.t("ho.close"), f"ho:close:{handover_id}"), menu_button(ctx.t)),),
        )
    ]


async def claim(
    db: Database, *, handover_id: int, officer_id: int, officer_name: str, now: datetime
) -> tuple[bool, office.HandoverRecord | None]:
    """Claim a hand-over for an officer (first claim wins); the user and the other officers are
    told. Returns (won, the hand-over as it now stands)."""

    def apply(connection: Connection) -> tuple[bool, office.HandoverRecord | None]:
        won = office.claim_handover(
            connection, handover_id=handover_id, officer_id=officer_id, now=now
        )
        handover = office.get_handover(connection, handover_id=handover_id)
        if not won or handover is None:
            return False, handover
        contact = repo.user_contact(connection, user_id=handover.user_id)
        if contact is not None:
            t = translator(contact.locale)
            reply = Reply(
                text=t("ho.claimed_user"),
                buttons=((Button(t("ho.close"), f"ho:close:{handover_id}"),),),
            )
            _notice(connection, contact, reply, now, f"handover-claimed:{handover_id}")
        for other in office.officers_for(connection, province_code=handover.province_code):
            if other.user_id != officer_id:
                text = translator(other.locale)("ho.taken", number=handover_id, name=officer_name)
                _notice(
                    connection,
                    other,
                    Reply(text=text),
                    now,
                    f"handover-taken:{handover_id}:{other.user_id}",
                )
        return True, handover

    return await db.run(apply)


async def close(db: Database, *, handover_id: int, by_user: int, now: datetime) -> str:
    """Close a hand-over as its user or its owner (any officer may close a queued one); the
    other side is told and the bot answers the user again. Returns the side that closed it
    ("user" or "officer"), or "" when it was closed already or is not theirs."""

    def apply(connection: Connection) -> str:
        handover = office.get_handover(connection, handover_id=handover_id)
        if handover is None or handover.status == "closed":
            return ""
        closer = office.user_by_id(connection, user_id=by_user)
        is_officer = closer is not None and closer.role == "officer" and closer.officer_approved
        if by_user == handover.user_id:
            side = "user"
        elif is_officer and handover.officer_id in (None, by_user):
            side = "officer"
        else:
            return ""
        if not office.close_handover(connection, handover_id=handover_id, by=side, now=now):
            return ""
        told = handover.officer_id if side == "user" else handover.user_id
        contact = None if told is None else repo.user_contact(connection, user_id=told)
        if contact is not None:
            t = translator(contact.locale)
            key = N_("ho.closed_by_user") if side == "user" else N_("ho.closed_by_office")
            reply = Reply(text=t(key, number=handover_id), buttons=((menu_button(t),),))
            _notice(connection, contact, reply, now, f"handover-closed:{handover_id}")
        return side

    return await db.run(apply)


async def queue(ctx: Context, msg: Incoming) -> list[Reply]:
    """`/hangdoi` (officers): the open hand-overs of their province, each with its action."""
    if not _is_officer(ctx):
        return [Reply(text=ctx.t("of.refused"), buttons=((menu_button(ctx.t),),))]
    items = await ctx.read(partial(office.handover_queue, province_code=ctx.user.province_code))
    if not items:
        return [Reply(text=ctx.t("ho.queue_empty"), buttons=((menu_button(ctx.t),),))]
    rows = []
    lines = [ctx.t("ho.queue_title", count=len(items))]
    for item in items[:15]:
        waited = item.opened_at.astimezone(VIETNAM).strftime("%H:%M %d/%m")
        owner = item.officer_name if item.status == "claimed" else ctx.t("ho.unclaimed")
        lines.append(
            f"#{item.id} · {escape(item.user_name)} · {waited} · {escape(owner)}\n"
            f"   {escape(item.question[:120])}"
        )
        if item.status == "open":
            rows.append((Button(ctx.t("ho.claim_number", number=item.id), f"ho:claim:{item.id}"),))
        elif item.officer_id == ctx.user.id:
            rows.append((Button(ctx.t("ho.reply_number", number=item.id), f"ho:reply:{item.id}"),))
    rows.append((menu_button(ctx.t),))
    return [Reply(text="\n".join(lines), buttons=tuple(rows))]


async def on_action(ctx: Context, msg: Incoming) -> list[Reply]:
    """`ho:start`, `ho:close:<id>`, and for officers `ho:claim:<id>`, `ho:reply:<id>`,
    `ho:list`."""
    parts = (msg.action or "").split(":")[1:]
    match parts:
        case ["start"]:
            return await start(ctx, msg)
        case ["close", number] if number.isdigit() and ctx.user.id is not None:
            assert ctx.db is not None
            side = await close(ctx.db, handover_id=int(number), by_user=ctx.user.id, now=ctx.now)
            if ctx.state.flow == FLOW:
                ctx.state.clear()
            texts = {
                "user": N_("ho.closed"),
                "officer": N_("ho.closed_officer"),
                "": N_("ho.already_closed"),
            }
            text = ctx.t(texts[side], number=number)
            return [Reply(text=text, notice=text), *await ctx.reprompt()]
    if not _is_officer(ctx):
        return [Reply(text=ctx.t("of.refused"), buttons=((menu_button(ctx.t),),))]
    match parts:
        case ["list"]:
            return await queue(ctx, msg)
        case ["claim", number] if number.isdigit() and ctx.user.id is not None:
            return await _claim(ctx, msg, int(number))
        case ["reply", number] if number.isdigit():
            found = await ctx.read(partial(office.get_handover, handover_id=int(number)))
            if found is None or found.status != "claimed" or found.officer_id != ctx.user.id:
                return [Reply(text=ctx.t("ho.not_yours"), buttons=((menu_button(ctx.t),),))]
            ctx.state.go(FLOW, "reply", id=int(number))
            return await prompt(ctx)
    return await stale_button(ctx, msg)


async def _claim(ctx: Context, msg: Incoming, number: int) -> list[Reply]:
    assert ctx.db is not None and ctx.user.id is not None
    name = ctx.user.display_name or ctx.user.external_id
    won, handover = await claim(
        ctx.db, handover_id=number, officer_id=ctx.user.id, officer_name=name, now=ctx.now
    )
    if handover is None:
        return await stale_button(ctx, msg)
    if not won:
        text = (
            ctx.t("ho.already_closed")
            if handover.status == "closed"
            else ctx.t("ho.taken", number=number, name=handover.officer_name)
        )
        return [Reply(text=text, notice=text, buttons=((menu_button(ctx.t),),))]
    history = await ctx.read(partial(office.handover_messages, handover_id=number))
    lines = [ctx.t("ho.you_own", number=number, name=handover.user_name)]
    lines += [
        f"{'👤' if sender == 'user' else '🏛'} {escape(text)}" for sender, text, _, _ in history
    ]
    ctx.state.go(FLOW, "reply", id=number)
    return [Reply(text="\n".join(lines), notice=ctx.t("ho.claimed_notice")), *await prompt(ctx)]


async def remind_unclaimed(db: Database, now: datetime, settings: Settings | None = None) -> int:
    """The clock's part: a hand-over unclaimed after HANDOVER_CLAIM_HOURS of office time gets
    one reminder to officers, and its user is told when to expect an answer. Returns how many
    messages were queued."""
    settings = settings or load_settings()
    hours = OfficeHours.parse(settings.OFFICE_HOURS, settings.OFFICE_DAYS)

    def remind(connection: Connection) -> int:
        queued = 0
        for item in office.unreminded_open(connection):
            if hours.add(item.opened_at, settings.HANDOVER_CLAIM_HOURS) > now:
                continue
            if not office.mark_reminded(connection, handover_id=item.id, now=now):
                continue
            contact = repo.user_contact(connection, user_id=item.user_id)
            if contact is not None:
                by = hours.next_day_close(now).strftime("%H:%M %d/%m/%Y")
                t = translator(contact.locale)
                reply = Reply(text=t("ho.still_waiting", when=by), buttons=((menu_button(t),),))
                _notice(connection, contact, reply, now, f"handover-wait:{item.id}")
                queued += 1
            for officer in office.officers_for(connection, province_code=item.province_code):
                t = translator(officer.locale)
                reply = Reply(
                    text=t(
                        "ho.reminder",
                        number=item.id,
                        name=item.user_name,
                        question=item.question[:300],
                    ),
                    buttons=((Button(t("ho.claim"), f"ho:claim:{item.id}"),),),
                )
                _notice(
                    connection, officer, reply, now, f"handover-remind:{item.id}:{officer.user_id}"
                )
                queued += 1
        return queued

    return await db.run(remind)


async def clock_tick(db: Database, now: datetime, settings: Settings | None = None) -> int:
    """Every tick of the clock: reminders of unclaimed hand-overs, unanswered questions forget
    who asked them after UNANSWERED_RETENTION_DAYS, dashboard logins expired for a day are
    deleted. Returns the messages queued."""
    settings = settings or load_settings()
    before = now - timedelta(days=settings.UNANSWERED_RETENTION_DAYS)
    await db.run(partial(office.forget_askers, before=before))
    await db.run(partial(office.purge_logins, before=now - timedelta(days=1)))
    return await remind_unclaimed(db, now, settings)
