"""The questions of a self-assessment: the rejection conditions (yes / no) then each criterion,
with back, skip, pause, the walk through skipped (or changed) questions, a jump by criterion
code, and the end that hands the answers to the result."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial

from bot.context import Context, FlowData, key
from bot.i18n import N_
from bot.markup import escape
from bot.messages import Button, Reply
from db import repo
from handlers import actions as do
from handlers import assessment_result as result_view
from handlers.menu import menu_button
from handlers.sheets import sheet_by_key
from knowledge.criteria import Criterion, Disqualifier, Sheet
from knowledge.scoring import counted
from knowledge.typed_commands import typed_option, typed_step

FLOW = "assess"


class Step(StrEnum):
    FIND = "find"
    """Looking for the product set (typed or browsed)."""
    QUESTION = "q"
    REVIEW = "review"
    """A re-assessment's summary, before walking its questions."""


@dataclass(slots=True)
class Answering(FlowData):
    """An assessment under way (stored under the keys it had before it was typed)."""

    assessment: str = field(default="", metadata=key("aid"))
    sheet: str = field(default="", metadata=key("key"))
    product: str = ""
    index: int = field(default=0, metadata=key("i"))
    """The question shown (its buttons carry it, so a stale one answers nothing)."""
    answers: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    walk: bool = False
    """Walking the skipped questions (not the unanswered ones)."""
    moved: bool = False
    """A re-assessment onto another edition."""
    changed: list[str] = field(default_factory=list)
    """Criteria whose answer did not carry over to the new sheet."""


def current(ctx: Context) -> Answering:
    """The assessment under way."""
    return ctx.state.load(Answering)


def keep(ctx: Context, answering: Answering, step: Step | None = None) -> None:
    """Store the assessment's state (moving to `step` when given)."""
    ctx.state.go(FLOW, step or ctx.state.step, answering)


def questions(sheet: Sheet) -> list[Disqualifier | Criterion]:
    """What is asked, in order: the disqualifying conditions, then every criterion."""
    return [*sheet.disqualifiers, *sheet.criteria]


def is_current(ctx: Context, index: int) -> bool:
    """A question button counts only on the question it was sent with (no stale answers)."""
    return (
        ctx.state.flow == FLOW and ctx.state.step == Step.QUESTION and index == current(ctx).index
    )


async def review(ctx: Context) -> list[Reply]:
    sheet = await current_sheet(ctx)
    state = current(ctx)
    changed = state.changed
    kept = len(sheet.criteria) - len(changed)
    text = ctx.t(
        N_("assess.review_moved") if state.moved else N_("assess.review"),
        product=state.product,
        decision=sheet.edition.decision,
        kept=kept,
        total=len(sheet.criteria),
        changed=", ".join(changed[:20]) + (" …" if len(changed) > 20 else "") or "—",
    )
    rows: list[tuple[Button, ...]] = [
        (Button(ctx.t("assess.review_walk"), do.ReviewAll().encode()),)
    ]
    if changed or sheet.disqualifiers:
        rows.insert(0, (Button(ctx.t("assess.review_changed"), do.WalkSkipped().encode()),))
    rows.append((Button(ctx.t("assess.review_finish"), do.FinishAssessment(0).encode()),))
    rows.append((menu_button(ctx.t),))
    return [Reply(text=text, buttons=tuple(rows))]


async def jump(ctx: Context, text: str) -> list[Reply] | None:
    """A typed criterion code ("5.1") jumps to that question."""
    sheet = await current_sheet(ctx)
    codes = [q.code for q in questions(sheet)]
    typed = text.strip().rstrip(".").upper()
    if typed not in [c.upper() for c in codes]:
        return None
    state = current(ctx)
    state.index = [c.upper() for c in codes].index(typed)
    keep(ctx, state, Step.QUESTION)
    return await question(ctx)


async def said(ctx: Context, yes: bool) -> list[Reply] | None:
    """Yes or no typed at a condition (asked as Không / Có): that answer; None at a scored
    question, whose options are numbered."""
    sheet = await current_sheet(ctx)
    if not isinstance(questions(sheet)[current(ctx).index], Disqualifier):
        return None
    return await answer(ctx, 1 if yes else 0)


async def typed(ctx: Context, text: str) -> list[Reply] | None:
    """An option's number or a button's step typed at the question ("2", "cái thứ 2", "bo
    qua", "tam dung"; Telegram and Zalo send it as text), "không biết" (how to go on) or "chưa
    có" (the one 0-point option, named, never chosen for them); None for anything else."""
    sheet = await current_sheet(ctx)
    item = questions(sheet)[current(ctx).index]
    count = 2 if isinstance(item, Disqualifier) else len(item.options)
    number = typed_option(text)
    if number is not None:
        return await answer(ctx, number - 1) if number <= count else None
    match typed_step(text):
        case "back":
            return await back(ctx)
        case "skip" if not isinstance(item, Disqualifier):
            return await skip(ctx)
        case "pause":
            return pause(ctx)
        case "unsure":
            if isinstance(item, Disqualifier):
                return [Reply(text=ctx.t("assess.unsure_condition")), *await question(ctx)]
            return [Reply(text=ctx.t("assess.unsure")), *await question(ctx)]
        case "none" if isinstance(item, Criterion):
            nothing = [(n, o) for n, o in enumerate(item.options, 1) if o.points == 0]
            if len(nothing) == 1:  # "Không được cấp…" (0 đ); a least one is no "none"
                number, option = nothing[0]
                hint = ctx.t("assess.none_hint", number=number, text=option.text)
                return [Reply(text=hint), *await question(ctx)]
    return None


async def back(ctx: Context) -> list[Reply]:
    state = current(ctx)
    state.index = max(0, state.index - 1)
    keep(ctx, state)
    return await question(ctx)


async def current_sheet(ctx: Context) -> Sheet:
    sheet_key = current(ctx).sheet
    sheet = await sheet_by_key(ctx, sheet_key)
    if sheet is None:  # a sheet is never deleted, so this means a corrupted state
        raise LookupError(f"sheet {sheet_key!r} not found")
    return sheet


async def so_far(ctx: Context, part: str | None) -> Reply:
    """The points of the answers given so far ("phần A tôi được bao nhiêu điểm", "my score so
    far"): the part asked, or every part and the total; unanswered criteria count 0."""
    sheet = await current_sheet(ctx)
    answers = current(ctx).answers
    points = counted(sheet, answers)
    lines = [ctx.t("assess.so_far", product=current(ctx).product)]
    for item in sheet.parts:
        if part in (None, item.code):
            lines.append(
                ctx.t(
                    "assess.so_far_part",
                    part=item.code,
                    name=sheet.part_name(item.code, ctx.locale),
                    points=f"{sum(points[c.code] for c in item.criteria):g}",
                    maximum=f"{item.max_points:g}",
                    answered=sum(c.code in answers for c in item.criteria),
                    total=len(item.criteria),
                )
            )
    if part is None:
        lines.append(
            ctx.t(
                "assess.so_far_total",
                points=f"{sum(points.values()):g}",
                answered=sum(c.code in answers for c in sheet.criteria),
                total=len(sheet.criteria),
            )
        )
    return Reply(text="\n".join(lines))


def criterion_lines(ctx: Context, item: Criterion, chosen: int | None = None) -> list[str]:
    """A criterion as the producer reads it: its code and text, its options with their points
    and the star each is the minimum for (the chosen one ticked), its note and evidence."""
    lines = [f"<b>{escape(item.code)}. {escape(item.text)}</b>"]
    case = ""
    for number, option in enumerate(item.options, 1):
        if option.case and option.case != case:
            case = option.case
            lines.append(f"<i>{escape(case)}</i>")
        mark = " ✓" if chosen == number - 1 else ""
        if option.required_for:
            mark += " " + ctx.t("assess.required_for", stars=option.required_for)
        lines.append(
            ctx.t("assess.option", number=number, text=option.text, points=f"{option.points:g}")
            + mark
        )
    for stars, least in item.requirements:
        if not any(o.required_for == stars for o in item.options):  # on the criterion itself
            number = next(n for n, o in enumerate(item.options, 1) if o.points >= least)
            lines.append(ctx.t("assess.required_any", number=number, stars=stars))
    if item.kind == "one_of_cases":
        lines.append(ctx.t("assess.one_of_cases"))
    if item.note:
        lines.append(ctx.t("assess.note", note=item.note))
    evidence = item.evidence_en if ctx.locale == "en" else item.evidence_vi
    if evidence:
        lines.append(ctx.t("assess.evidence", evidence=evidence))
    return lines


async def criterion_in_words(ctx: Context, code: str) -> list[Reply] | None:
    """A criterion of the producer's latest result's sheet asked about by its code ("câu 2.2
    nghĩa là gì", `knowledge.typed_commands.criterion_asked`): its text, options and evidence,
    their answer ticked; None for a producer with no result, or a code not on that sheet."""
    if ctx.user.id is None:
        return None
    done = await ctx.read(partial(repo.finished_assessments, user_id=ctx.user.id, limit=1))
    sheet = await sheet_by_key(ctx, done[0].sheet_key) if done else None
    item = next((c for c in sheet.criteria if c.code.upper() == code), None) if sheet else None
    if item is None:
        return None
    buttons = (
        (Button(ctx.t("assess.back_to_result"), do.ShowResult(done[0].id).encode()),),
        (menu_button(ctx.t),),
    )
    lines = criterion_lines(ctx, item, done[0].answers.get(item.code))
    return [Reply(text="\n".join(lines), buttons=buttons)]


async def question(ctx: Context) -> list[Reply]:
    sheet = await current_sheet(ctx)
    asked = questions(sheet)
    state = current(ctx)
    index = state.index = min(state.index, len(asked) - 1)
    keep(ctx, state)
    item = asked[index]
    if isinstance(item, Disqualifier):
        return _condition(ctx, sheet, index, item, state.answers.get(item.code))
    part = sheet.part_of(item.code)
    chosen = state.answers.get(item.code)
    lines = [
        ctx.t(
            "assess.progress",
            number=index + 1,
            total=len(asked),
            part=part.code,
            part_name=sheet.part_name(part.code, ctx.locale),
        ),
        *criterion_lines(ctx, item, chosen),
    ]
    numbers = [
        Button(str(n), do.AnswerQuestion(index, n - 1).encode())
        for n in range(1, len(item.options) + 1)
    ]
    rows = [tuple(numbers[i : i + 5]) for i in range(0, len(numbers), 5)]
    rows.append(
        (
            Button(ctx.t("assess.back"), do.PreviousQuestion(index).encode()),
            Button(ctx.t("assess.skip"), do.SkipQuestion(index).encode()),
            Button(ctx.t("assess.pause"), do.PauseAssessment(index).encode()),
        )
    )
    return [Reply(text="\n".join(lines), buttons=tuple(rows))]


def _condition(
    ctx: Context, sheet: Sheet, index: int, item: Disqualifier, chosen: int | None
) -> list[Reply]:
    """A disqualifying condition, asked as yes / no before the scored questions."""
    text = ctx.t(
        "assess.condition",
        number=index + 1,
        count=len(sheet.disqualifiers),
        total=len(questions(sheet)),
        condition=item.text_en if ctx.locale == "en" and item.text_en else item.text,
    )
    no = ctx.t("assess.condition_no") + (" ✓" if chosen == 0 else "")
    yes = ctx.t("assess.condition_yes") + (" ✓" if chosen == 1 else "")
    rows = (
        (
            Button(no, do.AnswerQuestion(index, 0).encode()),
            Button(yes, do.AnswerQuestion(index, 1).encode()),
        ),
        (
            Button(ctx.t("assess.back"), do.PreviousQuestion(index).encode()),
            Button(ctx.t("assess.pause"), do.PauseAssessment(index).encode()),
        ),
    )
    return [Reply(text=text, buttons=rows)]


async def answer(ctx: Context, option: int) -> list[Reply]:
    sheet = await current_sheet(ctx)
    state = current(ctx)
    item = questions(sheet)[state.index]
    count = 2 if isinstance(item, Disqualifier) else len(item.options)
    if not 0 <= option < count:
        return await question(ctx)
    state.answers[item.code] = option
    state.skipped = [c for c in state.skipped if c != item.code]
    keep(ctx, state)
    if isinstance(item, Disqualifier) and option == 1:
        _save_progress(ctx)
        return [
            Reply(
                text=ctx.t(
                    "assess.rejected",
                    condition=item.text_en if ctx.locale == "en" and item.text_en else item.text,
                ),
                buttons=(
                    (
                        Button(
                            ctx.t("assess.rejected_continue"),
                            do.GoOnRejected(state.index).encode(),
                        ),
                    ),
                    (Button(ctx.t("assess.rejected_change"), do.ShowQuestion().encode()),),
                    (menu_button(ctx.t),),
                ),
            )
        ]
    return await advance(ctx, sheet)


async def skip(ctx: Context) -> list[Reply]:
    sheet = await current_sheet(ctx)
    state = current(ctx)
    item = questions(sheet)[state.index]
    if isinstance(item, Disqualifier):
        return await question(ctx)
    if item.code not in state.skipped:
        state.skipped.append(item.code)
        keep(ctx, state)
    return await advance(ctx, sheet)


async def advance(ctx: Context, sheet: Sheet, *, after_disqualifier: bool = False) -> list[Reply]:
    """The next question: the next unanswered one; in a walk of the skipped ones, the next
    skipped one; when none is left, the skipped ones are offered, then the result."""
    codes = [q.code for q in questions(sheet)]
    state = current(ctx)
    here = state.index
    if state.walk:
        following = [i for i, code in enumerate(codes) if code in state.skipped and i > here]
        if not following:
            following = [i for i, code in enumerate(codes) if code in state.skipped]
    else:
        following = [
            i
            for i in [*range(here + 1, len(codes)), *range(0, here + 1)]
            if codes[i] not in state.answers and codes[i] not in state.skipped
        ]
    if following:
        state.index = following[0]
        keep(ctx, state)
        _save_progress(ctx)
        return await question(ctx)
    skipped = [i for i, code in enumerate(codes) if code in state.skipped]
    if skipped and not state.walk:
        state.index = skipped[0]
        keep(ctx, state)
        _save_progress(ctx)
        return [
            Reply(
                text=ctx.t("assess.skipped_left", count=len(skipped)),
                buttons=(
                    (Button(ctx.t("assess.answer_skipped"), do.WalkSkipped().encode()),),
                    (
                        Button(
                            ctx.t("assess.finish_now"), do.FinishAssessment(state.index).encode()
                        ),
                    ),
                ),
            )
        ]
    return await finish(ctx)


async def walk_skipped(ctx: Context) -> list[Reply]:
    """Walk every skipped question in turn (or, after a re-assessment, the changed ones)."""
    sheet = await current_sheet(ctx)
    state = current(ctx)
    codes = [q.code for q in questions(sheet)]
    if ctx.state.step == Step.REVIEW:
        state.skipped = [
            code for code in codes if code in state.changed or code not in state.answers
        ]
        keep(ctx, state, Step.QUESTION)
    todo = [i for i, code in enumerate(codes) if code in state.skipped]
    if not todo:
        return await finish(ctx)
    state.walk, state.index = True, todo[0]
    keep(ctx, state)
    return await question(ctx)


def _save_progress(ctx: Context) -> None:
    state = current(ctx)
    ctx.write(
        lambda c, uid: repo.save_progress(
            c,
            assessment_id=state.assessment,
            user_id=uid,
            answers=state.answers,
            skipped=state.skipped,
            position=state.index,
            now=ctx.now,
        )
    )


def pause(ctx: Context) -> list[Reply]:
    _save_progress(ctx)
    number = current(ctx).index + 1
    ctx.state.clear()
    return [
        Reply(
            text=ctx.t("assess.paused", number=number),
            buttons=(
                (Button(ctx.t("assess.continue"), do.StartAssessment().encode()),),
                (menu_button(ctx.t),),
            ),
        )
    ]


async def finish(ctx: Context) -> list[Reply]:
    sheet = await current_sheet(ctx)
    state = current(ctx)
    ctx.state.clear()
    return result_view.finish(ctx, sheet, state.assessment, state.product, state.answers)
