"""Free questions about the OCOP rules, answered from the sourced FAQ: first shortly with the
article, then in full with the legal basis when the user asks for the details.

A confident match is answered; a question about the producer's own product leads into the
self-assessment or their last result; an OCOP question the FAQ cannot answer is declined with
what the bot can do instead (topics, an officer's contact, the self-assessment)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from functools import partial

from bot.actions import Action
from bot.context import Context
from bot.conversation import Conversation
from bot.i18n import N_, format_date
from bot.messages import Button, Incoming, Reply
from db import repo
from handlers import actions as do
from handlers.ask_officer import ask_officer_button
from handlers.learning import record_unanswered
from handlers.menu import menu_button, product_offer, stale_button
from handlers.office_faq import officer_answer
from knowledge import calendar
from knowledge.certificates import expiring
from knowledge.criteria import ProductSet, current_edition, find_sets, set_asked
from knowledge.faq import FaqEntry, Reading, entries, frame_words
from knowledge.faq_checks import MAX_SHORT
from knowledge.faq_parts import first_reply
from knowledge.faq_words import MONTHS_EN, QUESTION_WORDS
from knowledge.gazetteer import names_a_place
from knowledge.place_query import CANNOT, understand
from knowledge.regions import ProvinceMatch, by_code, province_in
from knowledge.reminders import VIETNAM
from knowledge.text import fold
from knowledge.typed_commands import product_then_question, stars_asked

_OFFERS: dict[str, tuple[str, Action]] = {
    "near_me": ("menu.near_me", do.AskWhere()),
    "assess": ("menu.assess", do.StartAssessment()),
    "certificate": ("menu.certificate", do.OpenCertificates()),
    "calendar": ("menu.deadlines", do.Upcoming()),
}
"""An entry's `offers`: the features its answer talks about, as (label, action) buttons; and
`officer`, the hand-over to an OCOP officer, where the decision leaves the answer to them."""


def _topics_button(ctx: Context) -> Button:
    return Button(ctx.t("faq.topics"), do.FaqTopics().encode())


def _answer(
    ctx: Context,
    entry: FaqEntry,
    others: list[FaqEntry],
    reading: Reading | None = None,
) -> list[Reply]:
    """The entry's short answer (the direct answer and its article, for a cheap phone's screen),
    with the part of the full answer the question's own words ask about when the short one
    leaves it out ("nộp trễ": the late filing rule); the button for the details, and the
    buttons of the features it names. A question narrower than the entry gets its own answer
    (`_lead`) first, with the short answer when both fit a cheap phone's screen."""
    text = first_reply(entry, reading.words if reading else (), ctx.locale)
    lead = _lead(ctx, entry, reading) if reading else ""
    if lead:  # the short answer too when both fit a phone's screen, else a tap away
        text = f"{lead}\n{text}" if len(lead) + len(text) < MAX_SHORT else lead
    if entry.confidence == "secondary":
        text += "\n" + ctx.t("faq.secondary")
    return [Reply(text=text, buttons=_answer_rows(ctx, entry, others, details=True))]


_ROUND_OF_MONTH = (
    (N_("faq.month_round_1"),) * 4
    + (N_("faq.month_round_2"),) * 6
    + (N_("faq.month_round_next"),) * 2
)
"""The round a dossier the commune forwards in each month, January first, is in (Điều 5.1:
before 30/4, before 30/10); November's and December's: the next year's first."""


def _lead(ctx: Context, entry: FaqEntry, reading: Reading) -> str:
    """The answer to a question narrower than the entry: the star band of the points stated;
    the province that evaluates, when one is named, old or new (Điều 4.1.a); the
    re-evaluation window of the certificate dated (Điều 7.6.a, 12.3); no, to a producer
    without a business registration (Điều 2.3);
    the points of the criterion named; the Ministry's 5-star rounds (Điều 5.2); the next
    commune cut-off and its round, asked "đợt tới" (Điều 5.1); the round of the month a
    dossier is sent in; the set
    of the product named ("mật ong thuộc bộ nào"), when the catalogue holds it whole and in
    one set only."""
    if reading.score is not None and entry.id == "star_thresholds":
        stars = current_edition().band(reading.score)
        return ctx.t("faq.score_band", points=f"{reading.score:g}", stars=stars)
    if entry.id == "who_recognises":
        province = province_in(reading.text)
        if province is not None:
            return _who_in(ctx, province)
    if reading.unregistered and entry.id == "who_can_apply":
        return ctx.t("faq.unregistered")
    if reading.expiry is not None and entry.id in ("rerecognition", "validity"):
        return _window(ctx, reading.expiry)
    if entry.id == "evaluation_rounds" and "central_round" in reading.concepts:
        return ctx.t("faq.central_rounds")
    if entry.id == "evaluation_rounds" and calendar.next_asked(fold(reading.text)):
        cut_off, held = calendar.next_cut_off(ctx.now)
        number = cut_off.key.removeprefix("commune_")
        return ctx.t(
            "faq.next_round",
            cut_off=format_date(cut_off.before),
            round=number,
            held=format_date(held.before),
        )
    if reading.month is not None and entry.id == "evaluation_rounds":
        month = MONTHS_EN[reading.month - 1] if ctx.locale == "en" else str(reading.month)
        return ctx.t(_ROUND_OF_MONTH[reading.month - 1], month=month)
    criterion = reading.criterion
    if criterion is not None and entry.id == "criteria_parts":
        low, high = f"{criterion.low:g}", f"{criterion.high:g}"
        return ctx.t(
            "faq.criterion_points",
            code=criterion.code,
            name=criterion.name,
            points=low if low == high else f"{low}–{high}",
            sets=criterion.sets,
            of=criterion.of,
        )
    if entry.id == "product_groups" and "group" in reading.concepts:
        named = set_asked(reading.text, english=ctx.locale == "en", today=ctx.now.date())
        if named is not None:
            en = ctx.locale == "en"
            return ctx.t(
                "faq.product_set",
                name=_set_name(ctx, named),
                group=named.group_en if en else named.group,
                sector=named.sector_en if en else named.sector,
            )
    return ""


def _who_in(ctx: Context, named: ProvinceMatch) -> str:
    """Who certifies 3 and 4 stars in the province named (Điều 4.1.a), under its 2025 name
    with the former one the user typed."""
    province = named.province
    where = province.name
    if named.old_name:
        where = ctx.t("faq.province_former", province=province.name, old=named.old_name)
    unit = province.name if province.name.startswith("TP.") else f"{province.kind} {province.name}"
    return ctx.t(
        "faq.who_province", where=where, unit=unit if ctx.locale == "vi" else province.name
    )


_WINDOW = {
    "before": N_("faq.window"),
    "open": N_("ct.phase.open"),
    "late": N_("faq.window_late"),
    "ended": N_("ct.phase.ended"),
}
"""What is said of a certificate's re-evaluation in each phase of its window."""


def _window(ctx: Context, expiry: date) -> str:
    """When the certificate expiring on `expiry` is re-evaluated: its window (Điều 7.6.a); once
    it cannot be met, how long the certificate stays valid (Điều 12.3); past that, ended."""
    dates, today = expiring(expiry), ctx.now.astimezone(VIETNAM).date()
    return ctx.t(
        _WINDOW[dates.phase(today)],
        expiry=format_date(dates.expiry),
        opens=format_date(dates.window_opens),
        closes=format_date(dates.window_closes),
        late_until=format_date(dates.late_until),
        days=(dates.window_closes - today).days,
    )


def _details(ctx: Context, entry: FaqEntry) -> list[Reply]:
    """The entry's full answer with its legal basis; for a producer, also what to do in the bot
    (a visitor is never told to self-assess)."""
    text = entry.answer(ctx.locale)
    note = entry.producer_note(ctx.locale)
    if ctx.user.role != "tourist" and note:
        text += "\n" + note
    text += "\n\n" + ctx.t("faq.basis", basis=entry.basis(ctx.locale))
    if entry.confidence == "secondary":
        text += "\n" + ctx.t("faq.secondary")
    return [Reply(text=text, buttons=_answer_rows(ctx, entry, [], details=False))]


def _answer_rows(
    ctx: Context, entry: FaqEntry, others: list[FaqEntry], *, details: bool
) -> tuple[tuple[Button, ...], ...]:
    """The buttons of the features an answer names (a visitor is never offered the producers'
    own), the details (when `details`), the other answers that may help, the topics, the menu."""
    producer = ctx.user.role != "tourist"
    rows: list[tuple[Button, ...]] = [
        (ask_officer_button(ctx.t),)
        if o == "officer"
        else (Button(ctx.t(_OFFERS[o][0]), _OFFERS[o][1].encode()),)
        for o in entry.offers
        if producer or o in ("near_me", "officer")
    ]
    if details:
        rows.append((Button(ctx.t("faq.details"), do.FaqDetails(entry.id).encode()),))
    rows += [
        (Button(ctx.t("faq.see_also", topic=o.title(ctx.locale)), do.FaqAnswer(o.id).encode()),)
        for o in others
    ]
    rows.append((_topics_button(ctx), menu_button(ctx.t)))
    return tuple(rows)


_STAR_RULES = ("star_thresholds", "mandatory_criteria")
"""What a producer asking about their own stars may also want to read."""


_NAMING_NOTHING = frozenset(QUESTION_WORDS.split()) | {
    *("toi", "em", "e", "minh", "tui", "chung", "cua", "nha", "htx"),
    *("duoc", "dc", "dat", "roi", "chua", "co", "du", "khong", "ko", "nao", "the", "may", "bao"),
}
"""Words of a question about one's own product that name none: "của tôi" is no "củ" (root
vegetables) nor "tỏi" (garlic) to the fuzzy product search."""


def _naming(rest: str) -> str:
    """What may name a product in a question's words left beside the programme's ("mật ong" in
    "mật ong nhà em đủ 3 sao chưa"; nothing in "điểm của tôi")."""
    return " ".join(w for w in rest.split() if w not in _NAMING_NOTHING)


async def _own_product(ctx: Context, related: list[FaqEntry], question: str) -> list[Reply]:
    """Lead into the self-assessment (of the product named in the question, when one is), or
    its last result, with the rules that may also help."""
    found = find_sets(question, limit=1, today=ctx.now.date()) if question else []
    named = [m for m in found if m.score >= 90]
    rows: list[tuple[Button, ...]] = [
        (
            Button(
                ctx.t("faq.assess_product", product=_set_name(ctx, m.product_set)),
                do.ChooseSet(m.product_set.code).encode(),
            ),
        )
        for m in named
    ]
    rows.append((Button(ctx.t("menu.assess"), do.StartAssessment().encode()),))
    if ctx.user.id is not None:
        done = await ctx.read(partial(repo.finished_assessments, user_id=ctx.user.id, limit=1))
        if done:
            rows.append((Button(ctx.t("faq.last_result"), do.ShowResult(done[0].id).encode()),))
    rows += [
        (Button(ctx.t("faq.see_also", topic=e.title(ctx.locale)), do.FaqAnswer(e.id).encode()),)
        for e in related[:2]
    ]
    rows.append((ask_officer_button(ctx.t),))  # a person can look at their own case
    rows.append((_topics_button(ctx), menu_button(ctx.t)))
    return [Reply(text=ctx.t("faq.own_product"), buttons=tuple(rows))]


async def assessment_offer(ctx: Context, msg: Incoming) -> list[Reply]:
    """A producer with no result yet asking what to fix ("cần sửa gì", "what should I fix"):
    the lead into the self-assessment, with the rules of the stars beside it; asking how many
    points a star needs ("em cần bao nhiêu điểm thì được 4 sao"), the star bands, with the
    self-assessment's button."""
    reading = ctx.question(msg.text, ctx.audience)
    if reading.threshold and reading.matches:
        found = [m.entry for m in reading.matches]
        return _answer(ctx, found[0], found[1:3], reading)
    known = {e.id: e for e in entries()}
    return await _own_product(ctx, [known[i] for i in _STAR_RULES], "")  # "sửa" is no "sữa"


def _set_name(ctx: Context, product_set: ProductSet) -> str:
    return product_set.name_en if ctx.locale == "en" else product_set.name


def _decline(ctx: Context) -> list[Reply]:
    rows: list[tuple[Button, ...]] = [
        (_topics_button(ctx),),
        (ask_officer_button(ctx.t),),
    ]
    visitor = ctx.user.role == "tourist"
    if not visitor:
        rows.append((Button(ctx.t("menu.assess"), do.StartAssessment().encode()),))
    rows.append((menu_button(ctx.t),))
    text = ctx.t("faq.decline_visitor") if visitor else ctx.t("faq.decline")
    return [Reply(text=text, buttons=tuple(rows))]


def _officer_contact(ctx: Context) -> list[Reply]:
    """Until questions can be handed to an officer: who to ask. No phone numbers are known."""
    province = by_code(ctx.user.province_code) if ctx.user.province_code else None
    where = ctx.t("faq.province_of", province=province.name) if province else ""
    return [
        Reply(
            text=ctx.t("faq.officer_contact", province=where),
            buttons=((_topics_button(ctx), menu_button(ctx.t)),),
        )
    ]


async def answer_text(ctx: Context, msg: Incoming) -> list[Reply] | None:
    """The reply to a typed question, or None when it is not about the FAQ's topics at all.
    Entries officers added come first (office_faq.py); an OCOP question the FAQ cannot answer is
    kept for the office to learn from, and declined."""
    added = await officer_answer(ctx, msg)
    if added is not None:
        return added
    reading = ctx.question(msg.text, ctx.audience)
    found = [m.entry for m in reading.matches]
    if reading.own_product:
        if reading.concepts & {"star", "points"}:
            known = {e.id: e for e in entries()}
            rules = [known[i] for i in _STAR_RULES]
            found = [*rules, *(e for e in found if e not in rules)]
        return await _own_product(ctx, found, _naming(reading.rest))
    if found:
        return _answer(ctx, found[0], found[1:3], reading)
    if reading.on_topic:
        record_unanswered(ctx, msg.text, "faq")
        return _decline(ctx)
    return None


async def programme_answer(ctx: Context, msg: Incoming) -> list[Reply] | None:
    """A question about the programme itself ("hồ sơ gồm những gì", "mấy sao", "QĐ 148"), from
    any role, before the place search and the product offer: the FAQ's confident answer (for a
    visitor, from the producers' entries too when "OCOP" or a word only the programme uses
    anchors it; "phí" alone may be an entrance fee, which the place search declines as a
    price);
    a visitor's question the place search reads as places near a place named ("villages round
    Mai Châu") is the place search's, whatever programme word it shares;
    for a visitor whose programme question names no place, no kind of place and no product
    ("mật ong 5 sao ở đâu" is for the place search), and for anyone asking about another
    administrative procedure ("giấy phép an toàn thực phẩm"), the honest decline (never a place
    that shares a syllable with it: "mấy sao" is not "Làng may", "an toàn" not An Toàn);
    otherwise None."""
    reading = ctx.question(msg.text, ctx.audience)
    if reading.own_product or not (reading.programme or reading.admin):
        return None
    visitor = ctx.user.role == "tourist"
    if visitor and not reading.admin and understand(msg.text).kind == "near":
        return None  # "villages round Mai Châu": places near a place named, not the rounds
    added = await officer_answer(ctx, msg)  # officers' entries first, as in `answer_text`
    if added is not None:
        return added
    if visitor and not (reading.anchored or "ocop" in reading.concepts):
        if understand(msg.text).reason in CANNOT:
            return None  # "entrance fee?": the place search's "I have no prices"
    elif visitor:
        reading = ctx.question(msg.text)  # every entry: "hồ sơ OCOP gồm gì" is the dossier
    # Between answers as good, a visitor reads the visitors' own first.
    ranked = sorted(reading.matches, key=lambda m: (-m.score, not m.entry.serves(ctx.audience)))
    found = [m.entry for m in ranked]
    if found:
        return _answer(ctx, found[0], found[1:3], reading)
    if reading.admin or (
        visitor
        and not (reading.places or names_a_place(msg.text) or _names_a_product(reading.rest))
        and not _asks_places(ctx, msg.text, reading.rest)
    ):
        record_unanswered(ctx, msg.text, "faq")
        return _decline(ctx)
    return None


def _asks_places(ctx: Context, text: str, rest: str) -> bool:
    """Whether a question with words besides the programme's (`rest`) asks for places the
    search finds ("Cham brocade weaving village", "cham" read as "chấm"; "4-star OCOP tourist
    spots"); "lệ phí" alone never does, whatever place it spells like."""
    return bool(rest.strip()) and ctx.place_search(text).kind in ("places", "near")


async def about_their_product(ctx: Context, msg: Incoming) -> list[Reply] | None:
    """A producer's product named, then a question in the same message: its stars or score
    ("HTX em làm chè, được mấy sao", "we make fish sauce, how many stars could we get") get
    the offer to self-assess that product; another question ("tôi làm nước mắm, hồ sơ gồm
    những gì") the FAQ's confident answer to it alone; otherwise None."""
    split = product_then_question(msg.text)
    if split is None:
        return None
    said, question = split
    if stars_asked(question):
        offer = product_offer(ctx, said, N_("stray.product"))
        return None if offer is None else [offer]
    reading = ctx.question(question, ctx.audience)
    if reading.own_product or not reading.matches:
        return None
    found = [m.entry for m in reading.matches]
    return _answer(ctx, found[0], found[1:3], reading)


def _names_a_product(rest: str) -> bool:
    """Whether the place search reads a product or a kind of place in `rest`, in more than
    question words and "OCOP" ("mật ong … ở đâu"; not "gồm những gì", read as "gốm")."""
    answer = understand(rest)
    return bool(answer.place_kind) or bool(set(answer.topic.split()) - frame_words() - {"ocop"})


async def answer_known(ctx: Context, msg: Incoming) -> list[Reply] | None:
    """Only a confident answer ("what is OCOP"), else None: visitors' place search comes next."""
    reading = ctx.question(msg.text, ctx.audience)
    found = [m.entry for m in reading.matches]
    return _answer(ctx, found[0], found[1:3], reading) if found else None


async def answered_meanwhile(
    ctx: Context, msg: Incoming, again: Callable[[Context], Awaitable[list[Reply]]]
) -> list[Reply] | None:
    """A programme question typed where a flow's step asked something else ("hồ sơ OCOP gồm
    những gì" at the province, at a criterion): the FAQ's confident answer, then the step
    asked `again`; None for anything else."""
    answer = await answer_known(ctx, msg)
    return None if answer is None else [*answer, *await again(ctx)]


async def on_action(ctx: Context, msg: Incoming, action: Action) -> list[Reply]:
    """The topics, one answer, who to ask."""
    known = {e.id: e for e in entries()}
    match action:
        case do.FaqTopics():
            audience = ctx.audience
            rows = tuple(
                (Button(e.title(ctx.locale), do.FaqAnswer(e.id).encode()),)
                for e in entries()
                if e.serves(audience)
            )
            return [Reply(text=ctx.t("faq.ask"), buttons=(*rows, (menu_button(ctx.t),)))]
        case do.FaqAnswer(entry_id) if entry_id in known:
            return _answer(ctx, known[entry_id], [])
        case do.FaqDetails(entry_id) if entry_id in known:
            return _details(ctx, known[entry_id])
        case do.FaqOfficer():
            return _officer_contact(ctx)
    return await stale_button(ctx, msg)


CONVERSATION = Conversation(name="faq", actions=do.faq, on_action=on_action)
