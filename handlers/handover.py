"""Hand-over to an OCOP officer: the user writes a question, the officers of their province get
it with a Claim button, the first to claim owns the conversation and the bot stays silent for
the user's free text until either side closes it."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from functools import partial

from sqlalchemy import Connection

from bot.actions import Action
from bot.context import Context, FlowData, key
from bot.conversation import Conversation
from bot.i18n import N_, translator
from bot.markup import escape
from bot.messages import Button, Incoming, Reply
from bot.settings import Settings, load_settings
from db import office, repo
from db.session import Database
from handlers import actions as do

# answer, claim and close are the dashboard's too (`bot/dashboard/handovers.py` calls them here)
from handlers.handover_ops import answer as answer
from handlers.handover_ops import claim as claim
from handlers.handover_ops import close as close
from handlers.handover_ops import notice
from handlers.menu import ROLE_LABELS, menu_button, stale_button
from knowledge.office_hours import OfficeHours
from knowledge.officer_request import asks_for_officer
from knowledge.regions import by_code
from knowledge.reminders import VIETNAM
from knowledge.text import clip, fold

logger = logging.getLogger(__name__)

FLOW = "handover"
_RECENT = timedelta(days=1)
_JUST_ASKED = timedelta(minutes=30)
"""How recent a declined question is offered to be sent to an officer as it is."""


class Step(StrEnum):
    ASK = "ask"
    """The user writes their question."""
    REPLY = "reply"
    """An officer writes the answer to a hand-over they own."""


@dataclass(slots=True)
class Answering(FlowData):
    """The hand-over an officer is answering."""

    handover: int = field(default=0, metadata=key("id"))
    draft: str = ""
    """What the officer was writing when they claimed it (JSON of the flow, step and state: an
    announcement, a deadline), given back where they left it when the hand-over ends."""


@dataclass(slots=True)
class Asking(FlowData):
    """What the user's question is about: the first line of the announcement it was asked
    under ("" for none), and the province of the office that sent it (0: the user's own)."""

    about: str = ""
    office: int = 0


_TITLE = 80
"""At most this many characters of an announcement name it."""


def _kept_draft(ctx: Context) -> str:
    """The draft to keep while the officer answers: the flow they are in, or the one already
    kept when they move from one hand-over to another."""
    state = ctx.state
    if state.flow == FLOW:
        return state.load(Answering).draft if state.step == Step.REPLY else ""
    kept = {"flow": state.flow, "step": state.step, "data": state.data}
    return json.dumps(kept, ensure_ascii=False) if state.flow else ""


def _leave(ctx: Context) -> bool:
    """Leave the hand-over; True when the officer's kept draft is open again."""
    draft = ctx.state.load(Answering).draft if ctx.state.step == Step.REPLY else ""
    ctx.state.clear()
    kept = json.loads(draft) if draft else None
    if not isinstance(kept, dict) or not kept.get("flow"):
        return False
    ctx.state.go(str(kept["flow"]), str(kept.get("step", "")))
    ctx.state.data = dict(kept.get("data") or {})
    return True


def _is_officer(ctx: Context) -> bool:
    return ctx.user.role == "officer" and ctx.user.officer_approved


async def routed(
    ctx: Context,
    msg: Incoming,
    route: Callable[[Context, Incoming], Awaitable[list[Reply]]],
    found: tuple[int, str] | None,
) -> list[Reply]:
    """The dispatcher's way in, given the user's open hand-over (id, status) it read with the
    user: while an officer owns it, free text goes to the officer and the bot says nothing;
    commands work with a note that an officer answers."""
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


async def start(ctx: Context, msg: Incoming, *, about: str = "", sender: int = 0) -> list[Reply]:
    """Ask for the question (or say where the user's open request stands); `about`: the
    announcement it is about, `sender`: the province whose officers sent it (0: the user's)."""
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
                    (
                        Button(ctx.t("ho.close"), do.CloseHandover(active.id).encode()),
                        menu_button(ctx.t),
                    ),
                ),
            )
        ]
    ctx.state.go(FLOW, Step.ASK, Asking(about=about, office=sender))
    asked = await prompt(ctx)
    last = await _last_declined(ctx)
    if last:
        send = Button(
            ctx.t("ho.send_last", question=clip(last, 40)), do.AskLastQuestion().encode()
        )
        asked[0] = replace(asked[0], buttons=((send,), *asked[0].buttons))
    return asked


async def _last_declined(ctx: Context) -> str:
    """The question the bot could not answer in the last `_JUST_ASKED` ("" when none)."""
    if ctx.user.id is None:
        return ""
    recent = await ctx.read(
        partial(
            office.recent_unanswered_of,
            user_id=ctx.user.id,
            since=ctx.now - _JUST_ASKED,
            limit=1,
        )
    )
    return recent[-1] if recent else ""


async def prompt(ctx: Context) -> list[Reply]:
    """Re-ask the current step: the question, or (officers) the answer being written."""
    if ctx.state.step == Step.REPLY:
        number = ctx.state.load(Answering).handover
        close_it = Button(ctx.t("ho.close"), do.CloseHandover(number).encode())
        return [
            Reply(
                text=ctx.t("ho.type_answer", number=number),
                buttons=((close_it, menu_button(ctx.t)),),
            )
        ]
    asking = ctx.state.load(Asking)
    office_code = asking.office or ctx.user.province_code
    province = by_code(office_code) if office_code else None
    where = province.name if province else ctx.t("rm.national")
    text = ctx.t("ho.ask_question", province=where)
    about = asking.about
    if about:
        text = ctx.t("ho.about", title=escape(about)) + "\n" + text
    return [Reply(text=text, buttons=((menu_button(ctx.t),),))]


async def _about_announcement(ctx: Context, msg: Incoming, broadcast_id: int) -> list[Reply]:
    """Ask for a question about an announcement, named by its first line, for the office that
    sent it (the user's own when it is not known)."""
    text = await ctx.read(partial(repo.broadcast_text, broadcast_id=broadcast_id))
    first = next((line for line in (text or "").splitlines() if line.strip()), "")
    office_code = await ctx.read(partial(repo.broadcast_office, broadcast_id=broadcast_id))
    return await start(ctx, msg, about=clip(first, _TITLE), sender=office_code or 0)


async def on_text(ctx: Context, msg: Incoming) -> list[Reply]:
    """The user's question, or an officer's answer."""
    text = msg.text.strip()
    if not text:
        return await prompt(ctx)
    if ctx.state.step == Step.REPLY:
        return await _answer(ctx, ctx.state.load(Answering).handover, text)
    return await _open(ctx, text)


async def _open(ctx: Context, question: str) -> list[Reply]:
    user = ctx.user
    now = ctx.now
    province = by_code(user.province_code) if user.province_code else None
    name = user.display_name or user.external_id
    asking = ctx.state.load(Asking) if ctx.state.flow == FLOW else Asking()
    about = asking.about
    office_code = asking.office or user.province_code  # whose officers are asked

    def queue(connection: Connection, uid: int) -> None:
        if office.active_for_user(connection, user_id=uid) is not None:
            return  # a second request while one is open joins it below
        recent = office.recent_unanswered_of(connection, user_id=uid, since=now - _RECENT)
        # each shown once, and not again when it is the question itself
        recent = list({fold(r): r for r in recent if fold(r) != fold(question)}.values())
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
            connection, user_id=uid, province_code=office_code, question=question, now=now
        )
        office.add_message(connection, handover_id=number, sender="user", text=question, now=now)
        for officer in office.officers_for(connection, province_code=office_code):
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
            if about:
                text += "\n" + t("ho.about", title=escape(about))
            if recent:
                text += "\n" + t("ho.recent") + "".join(f"\n• {escape(r)}" for r in recent)
            claim_it = Button(t("ho.claim"), do.ClaimHandover(number).encode())
            reply = Reply(text=text, buttons=((claim_it,),))
            notice(connection, officer, reply, now, f"handover:{number}:{officer.user_id}")

    ctx.write(queue)
    ctx.state.clear()
    officers = await ctx.read(partial(office.officers_for, province_code=office_code))
    asked = by_code(office_code) if office_code else None
    where = asked.name if asked else ctx.t("rm.national")
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
                    Button(t("ho.reply"), do.ReplyToHandover(handover.id).encode()),
                    Button(t("ho.close"), do.CloseHandover(handover.id).encode()),
                ),
            ),
        )
        notice(connection, contact, reply, now, None)

    ctx.write(relay)


async def _answer(ctx: Context, handover_id: int, text: str) -> list[Reply]:
    assert ctx.db is not None and ctx.user.id is not None
    outcome = await answer(
        ctx.db, handover_id=handover_id, officer_id=ctx.user.id, text=text, now=ctx.now
    )
    if outcome == "not_owner":
        if _leave(ctx):  # the user ended it: back to the draft
            back = ctx.t("ho.not_yours") + "\n" + ctx.t("ho.draft_back")
            return [Reply(text=back), *await ctx.reprompt()]
        return [Reply(text=ctx.t("ho.not_yours"), buttons=((menu_button(ctx.t),),))]
    key = N_("ho.sent") if outcome == "sent" else N_("ho.undeliverable")
    return [
        Reply(
            text=ctx.t(key),
            buttons=(
                (
                    Button(ctx.t("ho.close"), do.CloseHandover(handover_id).encode()),
                    menu_button(ctx.t),
                ),
            ),
        )
    ]


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
            label = ctx.t("ho.claim_number", number=item.id)
            rows.append((Button(label, do.ClaimHandover(item.id).encode()),))
        elif item.officer_id == ctx.user.id:
            label = ctx.t("ho.reply_number", number=item.id)
            rows.append((Button(label, do.ReplyToHandover(item.id).encode()),))
    rows.append((menu_button(ctx.t),))
    return [Reply(text="\n".join(lines), buttons=tuple(rows))]


async def on_action(ctx: Context, msg: Incoming, action: Action) -> list[Reply]:
    """Ask an officer, close; for officers the queue, claim, reply."""
    match action:
        case do.AskOfficer():
            return await start(ctx, msg)
        case do.AskAboutAnnouncement(number):
            return await _about_announcement(ctx, msg, number)
        case do.AskLastQuestion():  # a second tap finds the request open: start says so
            last = await _last_declined(ctx)
            active = None
            if ctx.user.id is not None:
                active = await ctx.read(partial(office.active_for_user, user_id=ctx.user.id))
            return await _open(ctx, last) if last and active is None else await start(ctx, msg)
        case do.CloseHandover(number) if ctx.user.id is not None:
            assert ctx.db is not None
            side = await close(ctx.db, handover_id=number, by_user=ctx.user.id, now=ctx.now)
            resumed = ctx.state.flow == FLOW and _leave(ctx)
            texts = {
                "user": N_("ho.closed"),
                "officer": N_("ho.closed_officer"),
                "": N_("ho.already_closed"),
            }
            text = ctx.t(texts[side], number=number)
            shown = text + "\n" + ctx.t("ho.draft_back") if resumed else text
            return [Reply(text=shown, notice=text), *await ctx.reprompt()]
    if not _is_officer(ctx):
        return [Reply(text=ctx.t("of.refused"), buttons=((menu_button(ctx.t),),))]
    match action:
        case do.HandoverQueue():
            return await queue(ctx, msg)
        case do.ClaimHandover(number) if ctx.user.id is not None:
            return await _claim(ctx, msg, number)
        case do.ReplyToHandover(number):
            found = await ctx.read(partial(office.get_handover, handover_id=number))
            if found is None or found.status != "claimed" or found.officer_id != ctx.user.id:
                return [Reply(text=ctx.t("ho.not_yours"), buttons=((menu_button(ctx.t),),))]
            ctx.state.go(FLOW, Step.REPLY, Answering(handover=number, draft=_kept_draft(ctx)))
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
    ctx.state.go(FLOW, Step.REPLY, Answering(handover=number, draft=_kept_draft(ctx)))
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
                notice(connection, contact, reply, now, f"handover-wait:{item.id}")
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
                    buttons=((Button(t("ho.claim"), do.ClaimHandover(item.id).encode()),),),
                )
                notice(
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


CONVERSATION = Conversation(
    name="handover",
    commands={"gapcanbo": start, "hangdoi": queue},
    actions=do.handover,
    on_action=on_action,
    flow=FLOW,
    on_text=on_text,
    prompt=prompt,
)
