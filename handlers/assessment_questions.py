"""The questions of a self-assessment: the rejection conditions (yes / no) then each criterion,
with back, skip, pause, the walk through skipped (or changed) questions, a jump by criterion
code, and the end that hands the answers to the result."""

from __future__ import annotations

from bot.context import Context
from bot.i18n import N_
from bot.markup import escape
from bot.messages import Button, Reply
from db import repo
from handlers import assessment_result as result_view
from handlers.menu import menu_button
from handlers.sheets import sheet_by_key
from knowledge.criteria import Criterion, Disqualifier, Sheet

FLOW = "assess"


def questions(sheet: Sheet) -> list[Disqualifier | Criterion]:
    """What is asked, in order: the disqualifying conditions, then every criterion."""
    return [*sheet.disqualifiers, *sheet.criteria]


def is_current(ctx: Context, index: str) -> bool:
    """A question button counts only on the question it was sent with (no stale answers)."""
    return (
        ctx.state.flow == FLOW and ctx.state.step == "q" and index == str(ctx.state.data.get("i"))
    )


async def review(ctx: Context) -> list[Reply]:
    sheet = await current_sheet(ctx)
    data = ctx.state.data
    changed = data.get("changed", [])
    kept = len(sheet.criteria) - len(changed)
    key = N_("assess.review_moved") if data.get("moved") else N_("assess.review")
    text = ctx.t(
        key,
        product=data["product"],
        decision=sheet.edition.decision,
        kept=kept,
        total=len(sheet.criteria),
        changed=", ".join(changed[:20]) + (" …" if len(changed) > 20 else "") or "—",
    )
    rows: list[tuple[Button, ...]] = [(Button(ctx.t("assess.review_walk"), "as:review:walk"),)]
    if changed or sheet.disqualifiers:
        rows.insert(0, (Button(ctx.t("assess.review_changed"), "as:walk"),))
    rows.append((Button(ctx.t("assess.review_finish"), "as:finish:0"),))
    rows.append((menu_button(ctx.t),))
    return [Reply(text=text, buttons=tuple(rows))]


async def jump(ctx: Context, text: str) -> list[Reply] | None:
    """A typed criterion code ("5.1") jumps to that question."""
    sheet = await current_sheet(ctx)
    codes = [q.code for q in questions(sheet)]
    typed = text.strip().rstrip(".").upper()
    if typed not in [c.upper() for c in codes]:
        return None
    ctx.state.step = "q"
    ctx.state.data["i"] = [c.upper() for c in codes].index(typed)
    return await question(ctx)


async def current_sheet(ctx: Context) -> Sheet:
    sheet = await sheet_by_key(ctx.db, ctx.state.data["key"])
    if sheet is None:  # a sheet is never deleted, so this means a corrupted state
        raise LookupError(f"sheet {ctx.state.data['key']} not found")
    return sheet


async def question(ctx: Context) -> list[Reply]:
    sheet = await current_sheet(ctx)
    asked = questions(sheet)
    index = min(ctx.state.data["i"], len(asked) - 1)
    ctx.state.data["i"] = index
    item = asked[index]
    if isinstance(item, Disqualifier):
        return _condition(ctx, sheet, index, item)
    part = sheet.part_of(item.code)
    chosen = ctx.state.data["answers"].get(item.code)
    lines = [
        ctx.t(
            "assess.progress",
            number=index + 1,
            total=len(asked),
            part=part.code,
            part_name=sheet.part_name(part.code, ctx.user.locale),
        ),
        f"<b>{escape(item.code)}. {escape(item.text)}</b>",
    ]
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
    if item.kind == "one_of_cases":
        lines.append(ctx.t("assess.one_of_cases"))
    if item.note:
        lines.append(ctx.t("assess.note", note=item.note))
    evidence = item.evidence_en if ctx.user.locale == "en" else item.evidence_vi
    if evidence:
        lines.append(ctx.t("assess.evidence", evidence=evidence))
    numbers = [Button(str(n), f"as:a:{index}:{n - 1}") for n in range(1, len(item.options) + 1)]
    rows = [tuple(numbers[i : i + 5]) for i in range(0, len(numbers), 5)]
    rows.append(
        (
            Button(ctx.t("assess.back"), f"as:back:{index}"),
            Button(ctx.t("assess.skip"), f"as:skip:{index}"),
            Button(ctx.t("assess.pause"), f"as:pause:{index}"),
        )
    )
    return [Reply(text="\n".join(lines), buttons=tuple(rows))]


def _condition(ctx: Context, sheet: Sheet, index: int, item: Disqualifier) -> list[Reply]:
    """A disqualifying condition, asked as yes / no before the scored questions."""
    chosen = ctx.state.data["answers"].get(item.code)
    text = ctx.t(
        "assess.condition",
        number=index + 1,
        count=len(sheet.disqualifiers),
        total=len(questions(sheet)),
        condition=item.text_en if ctx.user.locale == "en" and item.text_en else item.text,
    )
    no = ctx.t("assess.condition_no") + (" ✓" if chosen == 0 else "")
    yes = ctx.t("assess.condition_yes") + (" ✓" if chosen == 1 else "")
    rows = (
        (Button(no, f"as:a:{index}:0"), Button(yes, f"as:a:{index}:1")),
        (
            Button(ctx.t("assess.back"), f"as:back:{index}"),
            Button(ctx.t("assess.pause"), f"as:pause:{index}"),
        ),
    )
    return [Reply(text=text, buttons=rows)]


async def answer(ctx: Context, option: int) -> list[Reply]:
    sheet = await current_sheet(ctx)
    item = questions(sheet)[ctx.state.data["i"]]
    count = 2 if isinstance(item, Disqualifier) else len(item.options)
    if option >= count:
        return await question(ctx)
    ctx.state.data["answers"] = {**ctx.state.data["answers"], item.code: option}
    ctx.state.data["skipped"] = [c for c in ctx.state.data["skipped"] if c != item.code]
    if isinstance(item, Disqualifier) and option == 1:
        _save_progress(ctx)
        index = ctx.state.data["i"]
        return [
            Reply(
                text=ctx.t(
                    "assess.rejected",
                    condition=item.text_en
                    if ctx.user.locale == "en" and item.text_en
                    else item.text,
                ),
                buttons=(
                    (Button(ctx.t("assess.rejected_continue"), f"as:dq_go:{index}"),),
                    (Button(ctx.t("assess.rejected_change"), "as:show"),),
                    (menu_button(ctx.t),),
                ),
            )
        ]
    return await advance(ctx, sheet)


async def skip(ctx: Context) -> list[Reply]:
    sheet = await current_sheet(ctx)
    item = questions(sheet)[ctx.state.data["i"]]
    if isinstance(item, Disqualifier):
        return await question(ctx)
    if item.code not in ctx.state.data["skipped"]:
        ctx.state.data["skipped"] = [*ctx.state.data["skipped"], item.code]
    return await advance(ctx, sheet)


async def advance(ctx: Context, sheet: Sheet, *, after_disqualifier: bool = False) -> list[Reply]:
    """The next question: the next unanswered one; in a walk of the skipped ones, the next
    skipped one; when none is left, the skipped ones are offered, then the result."""
    codes = [q.code for q in questions(sheet)]
    data = ctx.state.data
    here = data["i"]
    if data.get("walk"):
        following = [i for i, code in enumerate(codes) if code in data["skipped"] and i > here]
        if not following:
            following = [i for i, code in enumerate(codes) if code in data["skipped"]]
    else:
        following = [
            i
            for i in [*range(here + 1, len(codes)), *range(0, here + 1)]
            if codes[i] not in data["answers"] and codes[i] not in data["skipped"]
        ]
    if following:
        data["i"] = following[0]
        _save_progress(ctx)
        return await question(ctx)
    skipped = [i for i, code in enumerate(codes) if code in data["skipped"]]
    if skipped and not data.get("walk"):
        data["i"] = skipped[0]
        _save_progress(ctx)
        return [
            Reply(
                text=ctx.t("assess.skipped_left", count=len(skipped)),
                buttons=(
                    (Button(ctx.t("assess.answer_skipped"), "as:walk"),),
                    (Button(ctx.t("assess.finish_now"), f"as:finish:{data['i']}"),),
                ),
            )
        ]
    return await finish(ctx)


async def walk_skipped(ctx: Context) -> list[Reply]:
    """Walk every skipped question in turn (or, after a re-assessment, the changed ones)."""
    sheet = await current_sheet(ctx)
    data = ctx.state.data
    codes = [q.code for q in questions(sheet)]
    if ctx.state.step == "review":
        data["skipped"] = [
            code
            for code in codes
            if code in data.get("changed", []) or code not in data["answers"]
        ]
        ctx.state.step = "q"
    todo = [i for i, code in enumerate(codes) if code in data["skipped"]]
    if not todo:
        return await finish(ctx)
    data["walk"] = True
    data["i"] = todo[0]
    return await question(ctx)


def _save_progress(ctx: Context) -> None:
    data = dict(ctx.state.data)
    ctx.write(
        lambda c, uid: repo.save_progress(
            c,
            assessment_id=data["aid"],
            user_id=uid,
            answers=data["answers"],
            skipped=data["skipped"],
            position=data["i"],
            now=ctx.now,
        )
    )


def pause(ctx: Context) -> list[Reply]:
    _save_progress(ctx)
    number = ctx.state.data["i"] + 1
    ctx.state.clear()
    return [
        Reply(
            text=ctx.t("assess.paused", number=number),
            buttons=(
                (Button(ctx.t("assess.continue"), "as:start"),),
                (menu_button(ctx.t),),
            ),
        )
    ]


async def finish(ctx: Context) -> list[Reply]:
    sheet = await current_sheet(ctx)
    data = dict(ctx.state.data)
    ctx.state.clear()
    return result_view.finish(ctx, sheet, data["aid"], data["product"], data["answers"])
