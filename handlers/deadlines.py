"""Deadlines officers publish (`/hanchot`: title, date, provinces, product group, link, confirm),
move and withdraw (`/huyhan`; a withdrawal is confirmed first). A provincial officer publishing
to the whole country is asked to confirm. Every step checks the officer role
(`handlers.officer_rights`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import partial

from sqlalchemy import Connection

from bot.actions import Action
from bot.context import Context
from bot.conversation import Conversation
from bot.i18n import N_, format_date, format_datetime, translator
from bot.messages import Button, Incoming, Reply, reply_to_dict
from db import repo
from handlers import actions, audience
from handlers import officer_actions as do
from handlers.audience import Audience
from handlers.menu import menu_button, stale_button
from handlers.officer_rights import is_officer, refuse, too_long, with_menu
from knowledge.reminders import VIETNAM, reminders_ahead
from knowledge.text import clip, fold
from knowledge.typed_commands import OfficerWish
from knowledge.typed_dates import read_when

FLOW = "deadline"
_BARE_ADDRESS = re.compile(r"(?:www\.)?(?:[a-z0-9-]+\.)+[a-z]{2,6}(?:/\S*)?", re.IGNORECASE)
"""A web address typed without its scheme: a host of two labels or more (after "www.")."""
TITLE_LIMIT = 200
LINK_LIMIT = 500
"""The longest title and link a deadline keeps (a longer one is refused, never cut)."""
_WHEN_PROBLEMS = {
    "unreadable": N_("of.bad_when"),
    "no_such_day": N_("of.no_such_day"),
    "no_such_month": N_("of.no_such_month"),
    "no_such_time": N_("of.no_such_time"),
    "month_first": N_("of.month_first"),
    "vague": N_("of.vague_when"),
    "ambiguous": N_("of.ambiguous_when"),
    "ambiguous_week": N_("of.ambiguous_week"),
    "weekday_mismatch": N_("of.weekday_mismatch"),
}
"""What to say about a typed date that cannot be read ("past" names the moment instead)."""
_REMINDER_POINTS = {
    "now": N_("of.remind.now"),
    "30d": N_("of.remind.30d"),
    "7d": N_("of.remind.7d"),
    "1d": N_("of.remind.1d"),
    "day": N_("of.remind.day"),
}
"""How the published note names each reminder still ahead (`reminders_ahead`)."""
_WEEKDAYS = (
    N_("of.weekday.0"),
    N_("of.weekday.1"),
    N_("of.weekday.2"),
    N_("of.weekday.3"),
    N_("of.weekday.4"),
    N_("of.weekday.5"),
    N_("of.weekday.6"),
)
"""Monday to Sunday: a deadline's date is shown with its weekday, so a misread one shows."""


def _when(ctx: Context, moment: datetime) -> str:
    """A deadline's moment with its weekday: "Thứ Sáu 11/12/2026 17:00"."""
    weekday = moment.astimezone(VIETNAM).weekday()
    return ctx.t(_WEEKDAYS[weekday]) + " " + format_datetime(moment)


class Step(StrEnum):
    TITLE = "d_title"
    WHEN = "d_when"
    SCOPE = "d_scope"
    GROUP = "d_group"
    LINK = "d_link"
    CONFIRM = "d_confirm"
    NATIONWIDE = "d_national"
    """A provincial officer confirms the whole country."""
    MOVE = "d_move"
    """A new date for a published deadline."""
    MOVE_TO = "d_move_to"
    """The open deadlines listed with the new date typed in the wish ("đổi hạn sang 15/12")."""


@dataclass(slots=True)
class Draft(Audience):
    """A deadline being written (or the one being moved)."""

    title: str = ""
    due: str = ""
    """When it falls due (ISO 8601)."""
    link: str = ""
    deadline: int = 0
    """The deadline being moved."""
    reviewed: bool = False
    """Shown for review already: a title or date typed again goes back to the review."""

    def due_at(self) -> datetime | None:
        """The due moment, when it was given."""
        try:
            return datetime.fromisoformat(self.due) if self.due else None
        except ValueError:
            return None


def _draft(ctx: Context) -> Draft:
    return ctx.state.load(Draft) if ctx.state.flow == FLOW else Draft()


async def new_deadline(
    ctx: Context, msg: Incoming, wish: OfficerWish | None = None
) -> list[Reply]:
    """`/hanchot`: publish a deadline (title, date, scope, group, link, confirm). Asked for in
    words with a date ("đăng hạn chót nộp hồ sơ 15/12"), the date is kept and not asked again."""
    if not is_officer(ctx):
        return refuse(ctx, "/hanchot")
    draft, told = Draft(), ""
    if wish is not None and wish.due:  # said at once, so a misread hour shows before the title
        when, problem = read_when(wish.due, ctx.now)
        if when is not None and not problem:
            draft.due = when.isoformat()
            told = ctx.t("of.wished_when", when=_when(ctx, when)) + "\n"
        else:
            told = _problem(ctx, wish.due, when, problem) + " " + ctx.t("of.when_later") + "\n"
    ctx.state.go(FLOW, Step.TITLE, draft)
    return [with_menu(ctx, told + ctx.t("of.ask_title"))]


def _yours(ctx: Context, deadline: repo.DeadlineRecord) -> bool:
    """Whether the officer may withdraw or move a deadline: they published it, it concerns only
    their province, or they are of no province (the national office)."""
    home = ctx.user.province_code
    return (
        not home
        or deadline.created_by == ctx.user.id
        or bool(deadline.provinces)
        and set(deadline.provinces) <= {home}
    )


async def _open_deadline(ctx: Context, deadline_id: int) -> tuple[repo.DeadlineRecord | None, str]:
    """The open deadline a button names, or why it cannot be acted on (gone, not theirs)."""
    deadlines = await ctx.read(partial(repo.open_deadlines, after=ctx.now))
    found = next((d for d in deadlines if d.id == deadline_id), None)
    if found is None:
        return None, N_("of.deadline_gone")
    return (found, "") if _yours(ctx, found) else (None, N_("of.not_your_deadline"))


async def manage(ctx: Context, msg: Incoming, wish: OfficerWish | None = None) -> list[Reply]:
    """`/huyhan`: the open deadlines the officer may change (`_yours`), each with a button to
    withdraw it and one to move it; a new date typed in the wish ("đổi hạn chót sang 15/12") is
    said once and taken by the "move" button."""
    if not is_officer(ctx):
        return refuse(ctx, "/huyhan")
    told = ""
    if wish is not None and wish.due:
        when, problem = read_when(wish.due, ctx.now)
        if when is not None and not problem:
            ctx.state.go(FLOW, Step.MOVE_TO, Draft(due=when.isoformat()))
            told = ctx.t("of.manage_to", when=_when(ctx, when)) + "\n"
        else:
            told = _problem(ctx, wish.due, when, problem) + "\n"
    return [await _listed(ctx, told)]


async def _listed(ctx: Context, told: str = "") -> Reply:
    """The open deadlines the officer may change, after `told`."""
    deadlines = await ctx.read(partial(repo.open_deadlines, after=ctx.now))
    deadlines = [d for d in deadlines if _yours(ctx, d)]
    if not deadlines:
        ctx.state.clear()
        return with_menu(ctx, ctx.t("rm.none"))
    rows = tuple(
        (
            Button(
                ctx.t("of.cancel_one", title=clip(d.title, 30), when=format_date(d.due_at)),
                do.CancelDeadline(d.id).encode(),
            ),
            Button(ctx.t("of.move_one"), do.MoveDeadline(d.id).encode()),
        )
        for d in deadlines[:15]
    )
    return Reply(text=told + ctx.t("of.manage"), buttons=(*rows, (menu_button(ctx.t),)))


async def prompt(ctx: Context) -> list[Reply]:
    """Re-ask the current step."""
    match ctx.state.step:
        case Step.TITLE:
            return [with_menu(ctx, ctx.t("of.ask_title"))]
        case Step.WHEN | Step.MOVE:
            return [with_menu(ctx, ctx.t("of.ask_when"))]
        case Step.SCOPE:
            return [_ask_scope(ctx)]
        case Step.GROUP:
            return [audience.ask_group(ctx, do.DeadlineGroup)]
        case Step.LINK:
            return [_ask_link(ctx)]
        case Step.NATIONWIDE:
            return [_ask_nationwide(ctx)]
        case Step.MOVE_TO:
            return [await _listed(ctx)]
    return await _confirm(ctx)


async def on_text(ctx: Context, msg: Incoming) -> list[Reply]:
    """Typed answers: the title, the date, the provinces, the link."""
    if not is_officer(ctx):
        ctx.state.clear()
        return refuse(ctx, "officer text")
    text = msg.text.strip()
    step = ctx.state.step
    draft = _draft(ctx)
    if step == Step.TITLE and text:
        if refused := too_long(ctx, text, TITLE_LIMIT):
            return [with_menu(ctx, refused + "\n" + ctx.t("of.ask_title"))]
        draft.title = text
        if draft.reviewed:  # corrected at the review
            ctx.state.go(FLOW, Step.CONFIRM, draft)
            return await _confirm(ctx)
        due = draft.due_at()
        if due is not None:  # typed with the wish (and said then): not asked again
            ctx.state.go(FLOW, Step.SCOPE, draft)
            return [_ask_scope(ctx)]
        ctx.state.go(FLOW, Step.WHEN, draft)
        return [with_menu(ctx, ctx.t("of.ask_when"))]
    if step in (Step.WHEN, Step.MOVE):
        when, problem = read_when(text, ctx.now)
        if problem or when is None:
            return [with_menu(ctx, _when_problem(ctx, text, when, problem))]
        if step == Step.WHEN:
            draft.due = when.isoformat()
            ctx.state.go(FLOW, Step.CONFIRM if draft.reviewed else Step.SCOPE, draft)
            return await _confirm(ctx) if draft.reviewed else [_ask_scope(ctx)]
        ctx.state.clear()
        deadline, refused = await _open_deadline(ctx, draft.deadline)
        if deadline is None:
            return [with_menu(ctx, ctx.t(refused))]
        ctx.write(partial(_move, deadline=deadline, due_at=when, now=ctx.now))
        return [_with_list(ctx, ctx.t("of.moved", when=_when(ctx, when)))]
    if step == Step.SCOPE:
        codes = [] if fold(text) in audience.NATIONWIDE else audience.typed_provinces(text)
        if codes is None:
            return [_typed_date_at_scope(ctx, text, draft), _ask_scope(ctx)]
        draft.provinces = codes
        ctx.state.go(FLOW, Step.GROUP, draft)
        former = audience.former_names(ctx, text) if codes else ""
        return [
            *([Reply(text=former)] if former else []),
            audience.ask_group(ctx, do.DeadlineGroup),
        ]
    if step == Step.LINK:
        if _BARE_ADDRESS.fullmatch(text):  # "www.quangtri.gov.vn": a web address all the same
            text = "https://" + text
        if not text.startswith(("http://", "https://")):
            return [Reply(text=ctx.t("of.bad_link")), _ask_link(ctx)]
        if refused := too_long(ctx, text, LINK_LIMIT):
            return [Reply(text=refused), _ask_link(ctx)]
        draft.link = text
        ctx.state.go(FLOW, Step.CONFIRM, draft)
        return await _confirm(ctx)
    return [Reply(text=ctx.t("start.use_buttons")), *await prompt(ctx)]


def _typed_date_at_scope(ctx: Context, text: str, draft: Draft) -> Reply:
    """Text that is no province where the scope is asked: a date is the officer correcting the
    deadline's (taken and said back, or said wrong); anything else, no province recognised."""
    when, problem = read_when(text, ctx.now)
    if problem == "unreadable":
        return Reply(text=ctx.t("of.bad_provinces", said=audience.unread_names(text)[:60]))
    if problem or when is None:
        return Reply(text=_problem(ctx, text, when, problem))
    draft.due = when.isoformat()
    ctx.state.go(FLOW, Step.SCOPE, draft)
    return Reply(text=ctx.t("of.wished_when", when=_when(ctx, when)))


def _problem(ctx: Context, text: str, when: datetime | None, problem: str) -> str:
    """Which part of a typed date is wrong: not a date, not on the calendar, or past."""
    if problem == "past" and when is not None:
        return ctx.t("of.past_when", when=_when(ctx, when), now=format_datetime(ctx.now))
    return ctx.t(_WHEN_PROBLEMS.get(problem, "of.bad_when"), said=text[:40])


def _when_problem(ctx: Context, text: str, when: datetime | None, problem: str) -> str:
    """What is wrong with a typed date, and the question again."""
    return _problem(ctx, text, when, problem) + "\n" + ctx.t("of.ask_when")


def _ask_scope(ctx: Context) -> Reply:
    rows = [(Button(ctx.t("of.nationwide"), do.DeadlineScope(0).encode()),)]
    if audience.home(ctx) and ctx.user.province_code:
        home = do.DeadlineScope(ctx.user.province_code).encode()
        rows.append((Button("📍 " + audience.home(ctx), home),))
    rows.append((menu_button(ctx.t),))
    return Reply(text=ctx.t("of.ask_scope"), buttons=tuple(rows))


def _ask_link(ctx: Context) -> Reply:
    return Reply(
        text=ctx.t("of.ask_link"),
        buttons=(
            (Button(ctx.t("start.province_skip"), do.NoLink().encode()), menu_button(ctx.t)),
        ),
    )


async def _confirm(ctx: Context) -> list[Reply]:
    draft = _draft(ctx)
    due = draft.due_at()
    if not draft.title or due is None:  # a draft from before a deploy lost its way: start over
        ctx.state.go(FLOW, Step.TITLE, Draft())
        return [with_menu(ctx, ctx.t("of.ask_title"))]
    draft.reviewed = True
    ctx.state.go(FLOW, Step.CONFIRM, draft)
    text = ctx.t(
        "of.confirm_deadline",
        title=draft.title,
        when=_when(ctx, due),
        scope=audience.scope(ctx, draft, roles=False),
        link=draft.link or "—",
    )
    reached = await _reminded(ctx, draft, due)
    text += "\n" + (
        ctx.t("of.deadline_reach", count=reached) if reached else ctx.t("of.deadline_reach_none")
    )
    buttons = (
        (
            Button(ctx.t("of.publish"), do.PublishDeadline().encode()),
            Button(ctx.t("of.discard"), do.DiscardDeadline().encode()),
        ),
        (
            Button(ctx.t("of.edit_title"), do.EditDeadline("title").encode()),
            Button(ctx.t("of.edit_when"), do.EditDeadline("when").encode()),
        ),
        (menu_button(ctx.t),),
    )
    return [Reply(text=text, buttons=buttons)]


async def _reminded(ctx: Context, draft: Draft, due: datetime) -> int:
    """How many producers the draft's reminders would reach now (as the clock picks them)."""
    deadline = repo.DeadlineRecord(
        id=0,
        title=draft.title,
        due_at=due,
        provinces=draft.provinces,
        link=draft.link,
        status="open",
        product_sets=draft.sets,
    )
    return len(await ctx.read(partial(repo.reminder_recipients, deadline=deadline)))


def _ask_nationwide(ctx: Context) -> Reply:
    """A provincial officer about to reach the whole country: confirm, or keep to the province."""
    ctx.state.go(FLOW, Step.NATIONWIDE)
    return audience.confirm_nationwide(
        ctx,
        ctx.t("of.nationwide_deadline", province=audience.home(ctx)),
        do.PublishDeadlineNationwide(),
        do.DeadlineHomeOnly(),
        do.DiscardDeadline(),
    )


async def on_action(ctx: Context, msg: Incoming, action: Action) -> list[Reply]:
    """Deadline buttons; every one re-checks the role (callback data can be forged)."""
    if not is_officer(ctx):
        return refuse(ctx, msg.action or "")
    step = ctx.state.step if ctx.state.flow == FLOW else ""
    draft = _draft(ctx)
    match action:
        case do.NewDeadline():
            return await new_deadline(ctx, msg)
        case do.DeadlineScope(code) if step == Step.SCOPE and code >= 0:
            draft.provinces = [] if code == 0 else [code]
            ctx.state.go(FLOW, Step.GROUP, draft)
            return [audience.ask_group(ctx, do.DeadlineGroup)]
        case do.DeadlineGroup(choice) if step == Step.GROUP and audience.group_choice(choice):
            draft.choose_group(choice)
            ctx.state.go(FLOW, Step.LINK, draft)
            return [_ask_link(ctx)]
        case do.NoLink() if step == Step.LINK:
            draft.link = ""
            ctx.state.go(FLOW, Step.CONFIRM, draft)
            return await _confirm(ctx)
        case do.PublishDeadline() if (
            step == Step.CONFIRM and audience.home(ctx) and not draft.provinces
        ):
            return [_ask_nationwide(ctx)]
        case do.PublishDeadline() | do.PublishDeadlineNationwide() if step in (
            Step.CONFIRM,
            Step.NATIONWIDE,
        ):
            return await _publish(ctx, draft)
        case do.DeadlineHomeOnly() if step == Step.NATIONWIDE and ctx.user.province_code:
            draft.provinces = [ctx.user.province_code]
            ctx.state.go(FLOW, Step.CONFIRM, draft)
            return await _confirm(ctx)
        case do.EditDeadline(field) if step == Step.CONFIRM:
            ctx.state.go(FLOW, Step.TITLE if field == "title" else Step.WHEN, draft)
            return await prompt(ctx)
        case do.DiscardDeadline():
            ctx.state.clear()
            return [with_menu(ctx, ctx.t("of.discarded"))]
        case do.ManageDeadlines():
            return await manage(ctx, msg)
        case (
            do.MoveDeadline(deadline_id)
            | do.CancelDeadline(deadline_id)
            | do.ConfirmCancelDeadline(deadline_id)
            | do.KeepDeadline(deadline_id)
        ):
            deadline, problem = await _open_deadline(ctx, deadline_id)
            if deadline is None:
                return [with_menu(ctx, ctx.t(problem))]
            return _on_published(ctx, action, deadline)
    return await stale_button(ctx, msg)


def _on_published(ctx: Context, action: Action, deadline: repo.DeadlineRecord) -> list[Reply]:
    """Move a published deadline, or withdraw it once the officer confirms (keeping it
    changes nothing)."""
    title, when = deadline.title, _when(ctx, deadline.due_at)
    match action:
        case do.MoveDeadline():
            typed = _draft(ctx).due_at() if ctx.state.step == Step.MOVE_TO else None
            if typed is not None and typed > ctx.now:  # the date typed with the wish
                ctx.state.clear()
                ctx.write(partial(_move, deadline=deadline, due_at=typed, now=ctx.now))
                return [_with_list(ctx, ctx.t("of.moved", when=_when(ctx, typed)))]
            ctx.state.go(FLOW, Step.MOVE, Draft(deadline=deadline.id))
            asked = ctx.t("of.ask_move", title=title, when=when)
            return [with_menu(ctx, asked + "\n" + ctx.t("of.ask_when"))]
        case do.CancelDeadline():
            yes = Button(ctx.t("of.cancel_yes"), do.ConfirmCancelDeadline(deadline.id).encode())
            keep = Button(ctx.t("of.cancel_keep"), do.KeepDeadline(deadline.id).encode())
            text = ctx.t("of.cancel_sure", title=title, when=when)
            return [Reply(text=text, buttons=((yes, keep), (menu_button(ctx.t),)))]
        case do.KeepDeadline():
            return [_with_list(ctx, ctx.t("of.cancel_kept", title=title, when=when))]
    ctx.write(partial(_withdraw, deadline=deadline, now=ctx.now))
    return [_with_list(ctx, ctx.t("of.cancelled", title=title))]


def _with_list(ctx: Context, text: str) -> Reply:
    """A text with the way to the open deadlines (`/huyhan`) and to the menu."""
    listed = Button(ctx.t("of.manage_button"), do.ManageDeadlines().encode())
    return Reply(text=text, buttons=((listed,), (menu_button(ctx.t),)))


def _withdraw(
    connection: Connection, _uid: int, *, deadline: repo.DeadlineRecord, now: datetime
) -> None:
    """Withdraw a deadline and tell whoever was already reminded of it."""
    if repo.cancel_deadline(connection, deadline_id=deadline.id):
        _tell_reminded(
            connection, deadline, N_("of.withdrawn_notice"), f"withdrawn:{deadline.id}", now
        )


def _move(
    connection: Connection,
    _uid: int,
    *,
    deadline: repo.DeadlineRecord,
    due_at: datetime,
    now: datetime,
) -> None:
    """Move a deadline and tell whoever was reminded of the old date (the new date's reminders
    may be weeks away)."""
    if repo.move_deadline(connection, deadline_id=deadline.id, due_at=due_at):
        key = f"moved:{deadline.id}:{int(due_at.timestamp())}"
        _tell_reminded(
            connection, deadline, N_("of.moved_notice"), key, now, new=format_datetime(due_at)
        )


def _tell_reminded(
    connection: Connection,
    deadline: repo.DeadlineRecord,
    message: str,
    key: str,
    now: datetime,
    **values: str,
) -> None:
    """Send `message` (about the deadline's title and date) to each active user a reminder of
    it was sent to, in their language, with the button of the calendar; once each per `key`."""
    for person in repo.reminded_of(connection, deadline_id=deadline.id):
        t = translator(person.locale)
        text = t(message, title=deadline.title, when=format_datetime(deadline.due_at), **values)
        calendar = ((Button(t("menu.deadlines"), actions.Upcoming().encode()), menu_button(t)),)
        repo.enqueue(
            connection,
            platform=person.platform,
            chat_id=person.chat_id,
            user_id=person.user_id,
            kind="notice",
            payload=[reply_to_dict(Reply(text=text, buttons=calendar))],
            now=now,
            dedupe_key=f"{key}:{person.user_id}",
        )


async def _publish(ctx: Context, draft: Draft) -> list[Reply]:
    due = draft.due_at()
    if due is None:
        return await _confirm(ctx)
    ctx.write(
        lambda c, uid: repo.add_deadline(
            c,
            title=draft.title,
            due_at=due,
            provinces=draft.provinces,
            link=draft.link,
            created_by=uid,
            now=ctx.now,
            product_sets=draft.sets,
        )
    )
    ctx.state.clear()
    ahead = [ctx.t(_REMINDER_POINTS[label]) for label in reminders_ahead(due, ctx.now)]
    points = ", ".join(ahead[:-1]) + ctx.t("of.remind.and") + ahead[-1] if len(ahead) > 1 else ""
    said = ctx.t("of.published", title=draft.title, points=points or "".join(ahead))
    return [_with_list(ctx, said)]


CONVERSATION = Conversation(
    name="deadlines",
    commands={"hanchot": new_deadline, "huyhan": manage},
    actions=do.deadlines,
    on_action=on_action,
    flow=FLOW,
    on_text=on_text,
    prompt=prompt,
)
