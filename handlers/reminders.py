"""`/lich`: the dates ahead for a producer — the national calendar of QĐ 26/2026/QĐ-TTg Điều 5
(built in, every province) and the rounds their province's officers published — each with a
button to mute or unmute its reminders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from functools import partial

from bot.actions import Action
from bot.context import Context
from bot.conversation import Conversation
from bot.i18n import N_, Safe, Translator, format_date, format_datetime
from bot.messages import Button, Incoming, Reply
from db import repo
from handlers import actions as do
from handlers import certificates
from handlers.menu import menu_button, stale_button
from knowledge import calendar
from knowledge.certificates import schedule
from knowledge.regions import by_code
from knowledge.reminders import VIETNAM
from knowledge.text import clip

_SHOWN = 12
_CERTIFICATE_LINES = {False: N_("rm.certificate"), True: N_("rm.certificate_late")}
"""A certificate's line: its filing deadline, or past it, the latest day it stays valid."""


@dataclass(frozen=True, slots=True)
class Entry:
    """A line of `/lich`: a national date or a published deadline."""

    mute_id: int | None
    """The deadline's id, the national date's negative id, or None: a certificate's window
    (silenced only with every reminder, Điều 7.6.a)."""
    due_at: datetime
    line: str
    label: str
    """Short title for its button."""


async def _entries(ctx: Context) -> tuple[list[Entry], bool]:
    """The user's dates ahead, soonest first, and whether they are a 5-star candidate."""
    t, locale = ctx.t, ctx.locale
    five_star = ctx.user.id is not None and await ctx.read(
        partial(repo.is_five_star_candidate, user_id=ctx.user.id)
    )
    entries = []
    for national in calendar.upcoming(ctx.now):
        if national.five_star and not five_star:
            continue
        before = Safe(t("rm.before", day=format_date(national.before)))
        rule = Safe(t("rm.national_rule", cite=national.cite))
        line = t("rm.line", when=before, title=national.title(locale), scope=rule)
        entries.append(
            Entry(national.mute_id, national.due_at, line, national.title(locale, short=True))
        )
    for d in await ctx.read(partial(repo.open_deadlines, after=ctx.now)):
        if d.provinces and ctx.user.province_code not in d.provinces:
            continue
        names = ", ".join(p.name for p in map(by_code, d.provinces) if p)
        scope = names or t("rm.national")
        line = t("rm.line", when=format_datetime(d.due_at), title=d.title, scope=scope)
        entries.append(Entry(d.id, d.due_at, line, clip(d.title, 28)))
    entries += await _certificate_entries(ctx)
    return sorted(entries, key=lambda e: e.due_at)[:_SHOWN], five_star


async def _certificate_entries(ctx: Context) -> list[Entry]:
    """Each recorded certificate's re-evaluation filing deadline (Điều 7.6.a), or once it has
    passed, the latest day it stays valid (Điều 12.3); none once that has passed too."""
    if ctx.user.id is None:
        return []
    today = ctx.now.astimezone(VIETNAM).date()
    entries = []
    for c in await ctx.read(partial(repo.certificates, user_id=ctx.user.id)):
        dates = schedule(c.decided_on)
        phase = dates.phase(today)
        if phase == "ended":
            continue
        late = phase == "late"
        until = dates.late_until if late else dates.window_closes
        title = ctx.t(_CERTIFICATE_LINES[late], product=c.product)
        when = Safe(ctx.t("rm.until", day=format_date(until)))
        cite = "Điều 12.3" if late else "Điều 7.6.a"
        line = ctx.t("rm.line", when=when, title=title, scope=f"{cite} QĐ 26/2026/QĐ-TTg")
        entries.append(Entry(None, _end_of(until), line, clip(c.product, 28)))
    return entries


def _end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59), tzinfo=VIETNAM)


async def upcoming(ctx: Context, msg: Incoming | None = None) -> list[Reply]:
    """`/lich`: dates ahead with a mute or unmute button each, and mute or unmute all."""
    muted = (
        set() if ctx.user.id is None else await ctx.read(partial(repo.muted, user_id=ctx.user.id))
    )
    return await _render(ctx, muted)


async def _render(ctx: Context, muted: set[int], note: str = "") -> list[Reply]:
    entries, five_star = await _entries(ctx)
    lines = [note, ctx.t("rm.title")] if note else [ctx.t("rm.title")]
    rows: list[tuple[Button, ...]] = []
    for entry in entries:
        off = entry.mute_id in muted or 0 in muted
        lines.append(entry.line + (" 🔕" if off else ""))
        if 0 in muted or entry.mute_id is None:
            continue
        if off:
            button = Button(
                ctx.t("rm.unmute_one", title=entry.label), do.Unmute(entry.mute_id).encode()
            )
        else:
            button = Button(
                ctx.t("rm.mute_one", title=entry.label), do.Mute(entry.mute_id).encode()
            )
        rows.append((button,))
    if not five_star:
        lines.append(ctx.t("rm.five_star_hint"))
    if any(entry.mute_id is None for entry in entries):
        rows.append((Button(ctx.t("menu.certificate"), do.OpenCertificates().encode()),))
    if 0 in muted:
        rows.append((Button(ctx.t("rm.unmute"), do.Unmute(0).encode()),))
    else:
        rows.append((Button(ctx.t("remind.mute_all"), do.Mute(0).encode()),))
    rows.append((menu_button(ctx.t),))
    return [Reply(text="\n".join(lines), buttons=tuple(rows), notice=note or None)]


def reminder_buttons(t: Translator, mute_id: int) -> tuple[tuple[Button, ...], ...]:
    """Under a reminder the clock sends: mute this date, mute them all, see the dates ahead."""
    return (
        (
            Button(t("remind.mute_this"), do.Mute(mute_id).encode()),
            Button(t("remind.mute_all"), do.Mute(0).encode()),
        ),
        (Button(t("menu.deadlines"), do.Upcoming().encode()),),
    )


async def on_action(ctx: Context, msg: Incoming, action: Action) -> list[Reply]:
    """The dates ahead; mute or unmute one date (0: all), also as older messages carry it;
    the certificates."""
    match action:
        case do.Upcoming():
            return await upcoming(ctx, msg)
        case do.Mute(number) | do.MuteOld(number):
            return await _toggle(ctx, number, mute=True)
        case do.Unmute(number):
            return await _toggle(ctx, number, mute=False)
        case do.UnmuteAllOld():
            return await _toggle(ctx, 0, mute=False)
        case do.OpenCertificates():
            return await certificates.show_list(ctx)
    return await stale_button(ctx, msg)


async def _toggle(ctx: Context, deadline_id: int, *, mute: bool) -> list[Reply]:
    """Mute or unmute, then show the list as it will stand (so it can be undone at once)."""
    muted = (
        set() if ctx.user.id is None else await ctx.read(partial(repo.muted, user_id=ctx.user.id))
    )
    if mute:
        ctx.write(lambda c, uid: repo.mute(c, user_id=uid, deadline_id=deadline_id))
        note = ctx.t("rm.muted_all") if deadline_id == 0 else ctx.t("rm.muted_one")
        muted.add(deadline_id)
    elif deadline_id == 0:  # "every reminder back on" lifts the single mutes too
        ctx.write(lambda c, uid: repo.unmute_all(c, user_id=uid))
        note = ctx.t("rm.unmuted")
        muted.clear()
    else:
        ctx.write(lambda c, uid: repo.unmute(c, user_id=uid, deadline_id=deadline_id))
        note = ctx.t("rm.unmuted")
        muted.discard(deadline_id)
    return await _render(ctx, muted, note)


CONVERSATION = Conversation(
    name="reminders", commands={"lich": upcoming}, actions=do.reminders, on_action=on_action
)
