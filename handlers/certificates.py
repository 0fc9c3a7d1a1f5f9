"""`/chungnhan`: the producer's OCOP certificates — list, record, correct, delete — and what each
one means under QĐ 26/2026/QĐ-TTg: expiry (Điều 4.3), the re-evaluation window (Điều 7.6.a),
the dossier (Điều 6.1.c) and the transition rule (Điều 12.3).

A record that cannot be right is refused with the reason: 1–2 stars get no certificate
(Điều 4.1.a), 5 stars are national (the Ministry), 3–4 stars the province, and district
councils ceased on 1/7/2025.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import partial

from bot.actions import Action
from bot.context import Context, FlowData
from bot.conversation import Conversation
from bot.i18n import N_, Safe, format_date
from bot.messages import Button, Incoming, Reply
from db import repo
from handlers import actions as do
from handlers.certificate_texts import LEVEL_NAMES, card, month_only, standing
from handlers.menu import menu_button, stale_button
from knowledge.certificates import (
    LEVELS,
    issuer_problem,
    month_typed,
    parse_date,
    parse_stars,
    schedule,
)
from knowledge.reminders import VIETNAM
from knowledge.text import fold
from knowledge.typed_commands import asks_instead

FLOW = "certificate"


class Step(StrEnum):
    PRODUCT = "product"
    STARS = "stars"
    DATE = "date"
    LEVEL = "level"
    FIELD = "field"
    """Which field of a recorded certificate to change."""


@dataclass(slots=True)
class Recording(FlowData):
    """A certificate being recorded or edited (None: not answered yet)."""

    edit: int | None = None
    """The id of the certificate edited (None: a new one)."""
    product: str | None = None
    stars: int | None = None
    decided: str | None = None
    """The date of the decision (ISO 8601)."""
    level: str | None = None

    def decided_on(self) -> date | None:
        """The date of the decision, when known."""
        try:
            return None if self.decided is None else date.fromisoformat(self.decided)
        except ValueError:
            return None


_ISSUER_PROBLEMS = {
    ("central", "stars"): N_("ct.issuer.central_stars"),
    ("province", "stars"): N_("ct.issuer.five_star"),
    ("district", "stars"): N_("ct.issuer.district_stars"),
    ("district", "ended"): N_("ct.issuer.district_ended"),
}
_SAVED = {True: N_("ct.saved"), False: N_("ct.updated")}


def _today(ctx: Context) -> date:
    return ctx.now.astimezone(VIETNAM).date()


async def show_list(ctx: Context) -> list[Reply]:
    """`/chungnhan`: the user's certificates with edit and delete buttons (or start one)."""
    mine = (
        []
        if ctx.user.id is None
        else await ctx.read(partial(repo.certificates, user_id=ctx.user.id))
    )
    if not mine:
        return [Reply(text=ctx.t("ct.none")), *start_recording(ctx)]
    ctx.state.clear()
    today = _today(ctx)
    lines = [ctx.t("ct.title")]
    rows: list[tuple[Button, ...]] = []
    for number, c in enumerate(mine, 1):
        lines.append(f"{number}. {card(ctx.t, c)}\n{standing(ctx.t, c, today, dossier=False)}")
        rows.append(
            (
                Button(ctx.t("ct.edit", n=number), do.EditCertificate(c.id).encode()),
                Button(ctx.t("ct.delete", n=number), do.AskDeleteCertificate(c.id).encode()),
            )
        )
    if any(schedule(c.decided_on).phase(today) in ("open", "late") for c in mine):
        lines.append(ctx.t("ct.dossier"))  # once, for every certificate it is time for
    rows.append((Button(ctx.t("ct.add"), do.AddCertificate().encode()), menu_button(ctx.t)))
    return [Reply(text="\n\n".join(lines), buttons=tuple(rows))]


async def in_words(ctx: Context, *, lead: bool) -> list[Reply]:
    """Their certificates, asked about in words ("bao giờ hết hạn"); a reminder so long before
    ("nhắc tôi trước 3 tháng", `lead`) is told first when reminders come (they are fixed)."""
    listed = await show_list(ctx)
    return [Reply(text=ctx.t("ct.fixed_reminders")), *listed] if lead else listed


def start_recording(ctx: Context) -> list[Reply]:
    """Record a new certificate: ask for the certified product's name."""
    ctx.state.clear()
    ctx.state.go(FLOW, Step.PRODUCT)
    return [_ask_product(ctx)]


def _ask_product(ctx: Context) -> Reply:
    return Reply(text=ctx.t("ct.ask_product"), buttons=((menu_button(ctx.t),),))


async def on_action(ctx: Context, msg: Incoming, action: Action) -> list[Reply]:
    """The list, add, edit (which field), delete (asked, then done), the stars, the issuer."""
    in_flow = ctx.state.flow == FLOW
    match action:
        case do.Certificates():
            return await show_list(ctx)
        case do.AddCertificate():
            return start_recording(ctx)
        case do.EditCertificate(certificate):
            return await _start_edit(ctx, certificate)
        case do.EditField(field) if in_flow:
            ctx.state.go(FLOW, Step(field))
            return await prompt(ctx)
        case do.AskDeleteCertificate(certificate):
            return await _confirm_delete(ctx, certificate)
        case do.DeleteCertificate(certificate):
            return await _delete(ctx, certificate)
        case do.CertificateStars(stars) if in_flow and ctx.state.step == Step.STARS:
            recording = ctx.state.load(Recording)
            recording.stars = int(stars)
            ctx.state.go(FLOW, Step.STARS, recording)
            return await _next(ctx)
        case do.CertificateLevel(level) if (
            in_flow and ctx.state.step == Step.LEVEL and level in LEVELS
        ):
            recording = ctx.state.load(Recording)
            recording.level = level
            ctx.state.go(FLOW, Step.LEVEL, recording)
            return await _next(ctx)
    return await stale_button(ctx, msg)


async def _mine(ctx: Context, certificate_id: int) -> repo.CertificateRecord | None:
    if ctx.user.id is None:
        return None
    mine = await ctx.read(partial(repo.certificates, user_id=ctx.user.id))
    return next((c for c in mine if c.id == certificate_id), None)


async def _start_edit(ctx: Context, certificate_id: int) -> list[Reply]:
    found = await _mine(ctx, certificate_id)
    if found is None:
        return await show_list(ctx)
    ctx.state.go(
        FLOW,
        Step.FIELD,
        Recording(
            edit=found.id,
            product=found.product,
            stars=found.stars,
            decided=found.decided_on.isoformat(),
            level=found.level,
        ),
    )
    return [_ask_field(ctx, found)]


def _ask_field(ctx: Context, found: repo.CertificateRecord) -> Reply:
    t = ctx.t
    return Reply(
        text=t("ct.ask_field", card=Safe(card(t, found))),
        buttons=(
            (
                Button(t("ct.field.product"), do.EditField("product").encode()),
                Button(t("ct.field.stars"), do.EditField("stars").encode()),
            ),
            (
                Button(t("ct.field.date"), do.EditField("date").encode()),
                Button(t("ct.field.level"), do.EditField("level").encode()),
            ),
            (Button(t("ct.back"), do.Certificates().encode()),),
        ),
    )


async def _confirm_delete(ctx: Context, certificate_id: int) -> list[Reply]:
    found = await _mine(ctx, certificate_id)
    if found is None:
        return await show_list(ctx)
    return [
        Reply(
            text=ctx.t("ct.confirm_delete", card=Safe(card(ctx.t, found))),
            buttons=(
                (
                    Button(ctx.t("ct.delete_yes"), do.DeleteCertificate(found.id).encode()),
                    Button(ctx.t("ct.delete_no"), do.Certificates().encode()),
                ),
            ),
        )
    ]


async def _delete(ctx: Context, certificate_id: int) -> list[Reply]:
    found = await _mine(ctx, certificate_id)
    if found is None:
        return await show_list(ctx)
    ctx.write(lambda c, uid: repo.delete_certificate(c, user_id=uid, certificate_id=found.id))
    ctx.state.clear()
    text = ctx.t("ct.deleted", product=found.product)
    return [
        Reply(
            text=text,
            notice=text,
            buttons=(
                (
                    Button(ctx.t("menu.certificate"), do.Certificates().encode()),
                    menu_button(ctx.t),
                ),
            ),
        )
    ]


async def certificate_command(ctx: Context, msg: Incoming) -> list[Reply]:
    """`/chungnhan`."""
    return await show_list(ctx)


async def prompt(ctx: Context) -> list[Reply]:
    """Re-ask the current question."""
    step = ctx.state.step
    if step == Step.STARS:
        return [_ask_stars(ctx)]
    if step == Step.DATE:
        return [Reply(text=ctx.t("ct.ask_date"), buttons=((menu_button(ctx.t),),))]
    if step == Step.LEVEL:
        return [_ask_level(ctx, fixes=_issuer_problem(ctx) is not None)]
    edited = ctx.state.load(Recording).edit
    if step == Step.FIELD and edited is not None:
        found = await _mine(ctx, edited)
        if found is not None:
            return [_ask_field(ctx, found)]
    if step == Step.PRODUCT:
        return [_ask_product(ctx)]
    return start_recording(ctx)


def _issuer_problem(ctx: Context) -> str | None:
    """The message id saying why the recorded issuer cannot be right, or None."""
    recording = ctx.state.load(Recording)
    decided = recording.decided_on()
    if recording.stars is None or recording.level is None or decided is None:
        return None
    problem = issuer_problem(recording.stars, recording.level, decided)
    return None if problem is None else _ISSUER_PROBLEMS[(recording.level, problem)]


def _ask_stars(ctx: Context) -> Reply:
    return Reply(
        text=ctx.t("ct.ask_stars"),
        buttons=(
            tuple(Button(f"{n}★", do.CertificateStars(n).encode()) for n in ("3", "4", "5")),
            (menu_button(ctx.t),),
        ),
    )


def _ask_level(ctx: Context, *, fixes: bool = False) -> Reply:
    """Who issued it; after a refused issuer, also a way to correct the stars or the date."""
    t = ctx.t
    rows: list[tuple[Button, ...]] = [
        (Button(t(LEVEL_NAMES[level]), do.CertificateLevel(level).encode()),) for level in LEVELS
    ]
    if fixes:
        rows.append(
            (
                Button(t("ct.field.stars"), do.EditField("stars").encode()),
                Button(t("ct.field.date"), do.EditField("date").encode()),
            )
        )
    rows.append((menu_button(t),))
    return Reply(text=t("ct.ask_level"), buttons=tuple(rows))


async def on_text(ctx: Context, msg: Incoming) -> list[Reply]:
    """Typed answers: the product name, the stars ("3", "3 sao"), the date (dd/mm/yyyy), the
    issuer ("tinh", "bo", "huyen")."""
    text = msg.text.strip()
    step = ctx.state.step
    recording = ctx.state.load(Recording)
    if step == Step.PRODUCT and text and asks_instead(text):  # "bao giờ hết hạn": no name
        said = text[:60]
        return [Reply(text=ctx.t("ct.question_not_name", said=said)), *await prompt(ctx)]
    if step == Step.PRODUCT and text:
        recording.product = text[:128]
    elif step == Step.STARS:
        stars = parse_stars(text)
        if stars is None:
            return [Reply(text=ctx.t("ct.bad_stars")), _ask_stars(ctx)]
        if stars < 3:
            return [Reply(text=ctx.t("ct.no_certificate", stars=stars)), _ask_stars(ctx)]
        recording.stars = stars
    elif step == Step.DATE:
        issued, month = parse_date(text), month_typed(text)
        if month is not None and date(*month, 1) <= _today(ctx):  # "3/2025": what it tells
            shown = month_only(ctx.t, *month, _today(ctx))
            return [Reply(text=shown, buttons=((menu_button(ctx.t),),))]
        if issued is None or issued > _today(ctx):
            return [Reply(text=ctx.t("ct.bad_date"), buttons=((menu_button(ctx.t),),))]
        recording.decided = issued.isoformat()
    elif step == Step.LEVEL and _typed_level(text) is not None:
        recording.level = _typed_level(text)
    else:
        return [Reply(text=ctx.t("start.use_buttons")), *await prompt(ctx)]
    ctx.state.go(FLOW, step, recording)
    return await _next(ctx)


_TYPED_LEVELS = (
    ("district", ("huyen", "district")),
    ("central", ("bo", "trung uong", "ministry", "central", "quoc gia", "national")),
    ("province", ("tinh", "thanh pho", "province", "city")),
)


def _typed_level(text: str) -> str | None:
    words = f" {fold(text)} "
    return next(
        (level for level, names in _TYPED_LEVELS if any(f" {n} " in words for n in names)), None
    )


async def _next(ctx: Context) -> list[Reply]:
    """Ask the first question not answered yet; once all are, check the issuer and save."""
    recording = ctx.state.load(Recording)
    decided = recording.decided_on()
    if recording.product is None:
        ctx.state.go(FLOW, Step.PRODUCT)
    elif recording.stars is None:
        ctx.state.go(FLOW, Step.STARS)
    elif decided is None:
        ctx.state.go(FLOW, Step.DATE)
    elif recording.level is None:
        ctx.state.go(FLOW, Step.LEVEL)
    elif (problem := _issuer_problem(ctx)) is not None:
        ctx.state.go(FLOW, Step.LEVEL)
        text = ctx.t(problem, stars=recording.stars, issued=format_date(decided))
        return [Reply(text=text), _ask_level(ctx, fixes=True)]
    else:
        return _save(ctx, recording.product, recording.stars, decided, recording.level)
    return await prompt(ctx)


def _save(ctx: Context, product: str, stars: int, decided_on: date, level: str) -> list[Reply]:
    edited = ctx.state.load(Recording).edit
    now = ctx.now
    if edited is None:
        ctx.write(
            lambda c, uid: repo.add_certificate(
                c,
                user_id=uid,
                product=product,
                stars=stars,
                decided_on=decided_on,
                level=level,
                now=now,
            )
        )
    else:
        ctx.write(
            lambda c, uid: repo.update_certificate(
                c,
                user_id=uid,
                certificate_id=edited,
                product=product,
                stars=stars,
                decided_on=decided_on,
                level=level,
                now=now,
            )
        )
    ctx.state.clear()
    record = repo.CertificateRecord(0, 0, product, stars, decided_on, level, ctx.now)
    head = ctx.t(_SAVED[edited is None], card=Safe(card(ctx.t, record)))
    return [
        Reply(
            text=head + "\n" + standing(ctx.t, record, _today(ctx)),
            buttons=(
                (
                    Button(ctx.t("menu.certificate"), do.Certificates().encode()),
                    menu_button(ctx.t),
                ),
            ),
        )
    ]


CONVERSATION = Conversation(
    name="certificates",
    commands={"chungnhan": certificate_command},
    actions=do.certificates,
    on_action=on_action,
    flow=FLOW,
    on_text=on_text,
    prompt=prompt,
)
