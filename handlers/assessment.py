"""Producers' self-assessment against the sheet in force: find the product set (typed, or browsed
sector → group → set), answer the disqualifying conditions first, then one criterion at a time
(back, skip, pause, resume days later, walk the skipped ones), and re-assess from earlier answers
— including moving a result made under a lapsed edition to the one in force."""

from __future__ import annotations

import html
import secrets
from functools import partial

from bot.context import Context
from bot.i18n import N_
from bot.messages import Button, Incoming, Reply
from db import repo
from handlers import assessment_result as result_view
from handlers.menu import menu_button, stale_button
from handlers.sheets import sheet_by_key, sheet_for_set
from knowledge.criteria import (
    Criterion,
    Disqualifier,
    ProductSet,
    Sheet,
    current_edition,
    find_sets,
    in_force_set,
    product_sets,
    sectors,
)
from knowledge.text import fold

FLOW = "assess"
PREFIX = "as"
_LISTED = 4


def _name(ctx: Context, product_set: ProductSet) -> str:
    return product_set.name_en if ctx.user.locale == "en" else product_set.name


def _label(ctx: Context, vi: str, en: str) -> str:
    return en if ctx.user.locale == "en" else vi


def _edition(ctx: Context) -> str:
    return current_edition(ctx.now.date()).code


def questions(sheet: Sheet) -> list[Disqualifier | Criterion]:
    """What is asked, in order: the disqualifying conditions, then every criterion."""
    return [*sheet.disqualifiers, *sheet.criteria]


async def start(ctx: Context, msg: Incoming) -> list[Reply]:
    """Entry (menu button, `/danhgia`): unfinished assessments to resume, or find a product."""
    return await _entry(ctx)


async def _entry(ctx: Context) -> list[Reply]:
    notices = await _sheets_now_loaded(ctx)
    ongoing = []
    if ctx.user.id is not None:
        ongoing = await ctx.read(partial(repo.in_progress_assessments, user_id=ctx.user.id))
    rows: list[tuple[Button, ...]] = []
    for item in ongoing[:_LISTED]:
        sheet = await sheet_by_key(ctx.db, item.sheet_key)
        total = len(questions(sheet)) if sheet else 0
        rows.append(
            (
                Button(
                    ctx.t(
                        "assess.resume",
                        product=item.product_name,
                        number=min(item.position + 1, total),
                        total=total,
                    ),
                    f"as:resume:{item.id}",
                ),
            )
        )
    lapsed = await _lapsed_result(ctx)
    if lapsed is not None:
        rows.append((Button(ctx.t("assess.move_button"), f"as:move:{lapsed.id}"),))
    if not rows:
        return notices + ask_product(ctx)
    rows.append((Button(ctx.t("assess.other_product"), "as:new"),))
    rows.append((menu_button(ctx.t),))
    text = ctx.t("assess.ongoing") if ongoing else ctx.t("assess.lapsed_offer")
    return [*notices, Reply(text=text, buttons=tuple(rows))]


async def _lapsed_result(ctx: Context) -> repo.AssessmentRecord | None:
    """The user's latest result made under an edition no longer in force, if any."""
    if ctx.user.id is None:
        return None
    done = await ctx.read(partial(repo.finished_assessments, user_id=ctx.user.id, limit=10))
    edition = _edition(ctx)
    return next((a for a in done if not a.sheet_key.split("#")[0].endswith(f"@{edition}")), None)


def ask_product(ctx: Context) -> list[Reply]:
    """Ask for the product by name, or a sector to browse (the edition in force)."""
    ctx.state.go(FLOW, "find")
    rows = [
        (Button(_label(ctx, name, name_en), f"as:sec:{index}"),)
        for index, (_, name, name_en, _) in enumerate(sectors(_edition(ctx)))
    ]
    rows.append((menu_button(ctx.t),))
    decision = current_edition(ctx.now.date()).decision
    return [Reply(text=ctx.t("assess.ask_product", decision=decision), buttons=tuple(rows))]


async def prompt(ctx: Context) -> list[Reply]:
    """Re-ask the current step (after a restart, a language change, a stale button)."""
    if ctx.state.step == "q":
        return await _question(ctx)
    if ctx.state.step == "review":
        return await _review(ctx)
    return ask_product(ctx)


async def on_text(ctx: Context, msg: Incoming) -> list[Reply]:
    """A typed product name while looking for a set; a criterion code while reviewing."""
    if ctx.state.step in ("q", "review"):
        jumped = await _jump(ctx, msg.text)
        if jumped is not None:
            return jumped
        if ctx.state.step == "review":
            return [Reply(text=ctx.t("assess.review_unknown_code")), *await _review(ctx)]
        return [Reply(text=ctx.t("assess.use_buttons")), *await _question(ctx)]
    matches = find_sets(msg.text, today=ctx.now.date())
    if not matches:
        return [Reply(text=ctx.t("assess.no_set", said=msg.text.strip()[:60])), *ask_product(ctx)]
    return [_set_choice(ctx, ctx.t("assess.pick_set"), [m.product_set for m in matches])]


def _set_choice(ctx: Context, text: str, sets: list[ProductSet]) -> Reply:
    rows: list[tuple[Button, ...]] = [(Button(_name(ctx, s), f"as:set:{s.code}"),) for s in sets]
    rows.append((Button(ctx.t("assess.browse"), "as:new"), menu_button(ctx.t)))
    return Reply(text=text, buttons=tuple(rows))


def _browse_sector(ctx: Context, index: int) -> list[Reply]:
    _, name, name_en, sector_groups = sectors(_edition(ctx))[index]
    if len(sector_groups) == 1:
        return [_set_choice(ctx, ctx.t("assess.pick_set"), sector_groups[0][3])]
    rows: list[tuple[Button, ...]] = [
        (Button(_label(ctx, g_name, g_name_en), f"as:grp:{index}:{number}"),)
        for number, (_, g_name, g_name_en, _) in enumerate(sector_groups)
    ]
    rows.append((Button(ctx.t("assess.browse"), "as:new"), menu_button(ctx.t)))
    return [
        Reply(
            text=ctx.t("assess.pick_group", sector=_label(ctx, name, name_en)), buttons=tuple(rows)
        )
    ]


async def on_action(ctx: Context, msg: Incoming) -> list[Reply]:
    """Every `as:` button."""
    parts = (msg.action or "").split(":")[1:]
    sector_count = len(sectors(_edition(ctx)))
    match parts:
        case ["start"]:
            return await _entry(ctx)
        case ["new"]:
            return ask_product(ctx)
        case ["sec", index] if index.isdigit() and int(index) < sector_count:
            return _browse_sector(ctx, int(index))
        case ["grp", sec, grp] if sec.isdigit() and grp.isdigit() and int(sec) < sector_count:
            groups_of = sectors(_edition(ctx))[int(sec)][3]
            if int(grp) < len(groups_of):
                return [_set_choice(ctx, ctx.t("assess.pick_set"), groups_of[int(grp)][3])]
        case ["set", code] if code in product_sets():
            return await _chosen(ctx, product_sets()[code])
        case ["resume", assessment_id]:
            return await _resume(ctx, assessment_id)
        case ["show"] if ctx.state.step == "q":
            return await _question(ctx)
        case ["walk"] if ctx.state.step in ("q", "review"):
            return await _walk_skipped(ctx)
        case ["a", index, option] if _is_current(ctx, index) and option.isdigit():
            return await _answer(ctx, int(option))
        case ["skip", index] if _is_current(ctx, index):
            return await _skip(ctx)
        case ["back", index] if _is_current(ctx, index):
            ctx.state.data["i"] = max(0, ctx.state.data["i"] - 1)
            return await _question(ctx)
        case ["pause", index] if _is_current(ctx, index):
            return _pause(ctx)
        case ["finish", index] if _is_current(ctx, index) or ctx.state.step == "review":
            return await _finish(ctx)
        case ["dq_go", index] if _is_current(ctx, index):
            return await _advance(ctx, await _sheet(ctx), after_disqualifier=True)
        case ["again", assessment_id]:
            return await _reassess(ctx, assessment_id)
        case ["move", assessment_id]:
            return await _reassess(ctx, assessment_id, move=True)
        case ["review", "walk"] if ctx.state.step == "review":
            ctx.state.data["i"] = 0
            ctx.state.step = "q"
            return await _question(ctx)
        case ["ready"]:
            return result_view.readiness(ctx)
        case ["dossier", assessment_id]:
            return await result_view.dossier(ctx, assessment_id)
        case ["plan", assessment_id, stars] if stars.isdigit():
            return await result_view.plan_for(ctx, assessment_id, int(stars))
        case ["results"]:
            return await result_view.results_list(ctx)
        case ["res", assessment_id]:
            return await result_view.show_result(ctx, assessment_id)
        case ["wait", code] if code in product_sets():
            ctx.write(
                lambda c, uid: repo.add_sheet_wait(c, user_id=uid, set_code=code, now=ctx.now)
            )
            return [
                Reply(
                    text=ctx.t("assess.wait_saved", product=_name(ctx, product_sets()[code])),
                    buttons=((menu_button(ctx.t),),),
                )
            ]
    return await stale_button(ctx, msg)


def _is_current(ctx: Context, index: str) -> bool:
    """A question button counts only on the question it was sent with (no stale answers)."""
    return (
        ctx.state.flow == FLOW and ctx.state.step == "q" and index == str(ctx.state.data.get("i"))
    )


async def _chosen(ctx: Context, product_set: ProductSet) -> list[Reply]:
    """A set was picked: the set in force that it has become, and its sheet."""
    target = in_force_set(product_set, ctx.now.date())
    if target is None:
        return [
            Reply(text=ctx.t("assess.no_set", said=_name(ctx, product_set))),
            *ask_product(ctx),
        ]
    sheet = await sheet_for_set(ctx.db, target.code)
    if sheet is None:
        text = ctx.t("assess.no_sheet", product=_name(ctx, target))
        buttons = (
            (Button(ctx.t("assess.readiness_button"), "as:ready"),),
            (Button(ctx.t("assess.wait"), f"as:wait:{target.code}"),),
            (menu_button(ctx.t),),
        )
        return [Reply(text=text, buttons=buttons)]
    return await _begin(ctx, target, sheet, answers={})


async def _begin(
    ctx: Context, product_set: ProductSet, sheet: Sheet, *, answers: dict[str, int]
) -> list[Reply]:
    assessment_id = secrets.token_hex(8)
    product = _name(ctx, product_set)
    ctx.write(
        lambda c, uid: repo.start_assessment(
            c,
            assessment_id=assessment_id,
            user_id=uid,
            sheet_key=sheet.key,
            set_code=product_set.code,
            product_name=product,
            now=ctx.now,
            answers=answers,
        )
    )
    ctx.state.go(
        FLOW,
        "q",
        aid=assessment_id,
        key=sheet.key,
        product=product,
        i=0,
        answers=answers,
        skipped=[],
    )
    if answers:
        return []
    intro = ctx.t(
        "assess.intro",
        product=product,
        count=len(sheet.criteria),
        decision=sheet.edition.decision,
        conditions=len(sheet.disqualifiers),
    )
    return [Reply(text=intro), *await _question(ctx)]


async def _resume(ctx: Context, assessment_id: str) -> list[Reply]:
    if ctx.user.id is None:
        return ask_product(ctx)
    found = await ctx.read(
        partial(repo.get_assessment, assessment_id=assessment_id, user_id=ctx.user.id)
    )
    if found is None or found.status != "in_progress":
        return await _entry(ctx)
    sheet = await sheet_by_key(ctx.db, found.sheet_key)
    if sheet is not None and not sheet.edition.in_force(ctx.now.date()):
        # begun under a decision that has lapsed since: go on under the one in force
        ctx.write(
            lambda c, uid: repo.close_assessment(
                c, assessment_id=found.id, user_id=uid, status="moved", now=ctx.now
            )
        )
        return await _reassess(ctx, found.id, move=True)
    ctx.state.go(
        FLOW,
        "q",
        aid=found.id,
        key=found.sheet_key,
        product=found.product_name,
        i=found.position,
        answers=found.answers,
        skipped=found.skipped,
    )
    return await _question(ctx)


async def _reassess(ctx: Context, assessment_id: str, *, move: bool = False) -> list[Reply]:
    """A new assessment pre-filled from an earlier one. Moving to the edition in force keeps the
    answers of criteria whose text and options carry over unchanged, and names the rest."""
    if ctx.user.id is None:
        return ask_product(ctx)
    found = await ctx.read(
        partial(repo.get_assessment, assessment_id=assessment_id, user_id=ctx.user.id)
    )
    old_sheet = None if found is None else await sheet_by_key(ctx.db, found.sheet_key)
    old_set = None if found is None else product_sets().get(found.set_code)
    target = None if old_set is None else in_force_set(old_set, ctx.now.date())
    sheet = None if target is None else await sheet_for_set(ctx.db, target.code)
    if found is None or old_sheet is None or target is None or sheet is None:
        return ask_product(ctx)
    answers = {**found.answers}
    if ctx.state.flow == FLOW and ctx.state.data.get("aid") == found.id:
        answers = {**answers, **ctx.state.data.get("answers", {})}
    carried, changed = carry_over(old_sheet, sheet, answers)
    await _begin(ctx, target, sheet, answers=carried)
    ctx.state.go(FLOW, "review", **ctx.state.data)
    ctx.state.data["moved"] = move or old_sheet.edition.code != sheet.edition.code
    ctx.state.data["changed"] = changed
    return await _review(ctx)


def carry_over(
    old: Sheet, new: Sheet, answers: dict[str, int]
) -> tuple[dict[str, int], list[str]]:
    """Answers that carry to `new`: a criterion with the same text and the same options (text and
    points) keeps its answer. Returns (answers, codes of `new` criteria that must be asked)."""
    by_text = {fold(c.text): c for c in old.criteria}
    carried: dict[str, int] = {}
    for criterion in new.criteria:
        before = by_text.get(fold(criterion.text))
        if before is None or before.code not in answers:
            continue
        same = [(fold(o.text), o.points) for o in before.options] == [
            (fold(o.text), o.points) for o in criterion.options
        ]
        if same:
            carried[criterion.code] = answers[before.code]
    if old.key == new.key:
        carried.update({d.code: answers[d.code] for d in new.disqualifiers if d.code in answers})
    changed = [c.code for c in new.criteria if c.code not in carried]
    return carried, changed


async def _review(ctx: Context) -> list[Reply]:
    sheet = await _sheet(ctx)
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


async def _jump(ctx: Context, text: str) -> list[Reply] | None:
    """A typed criterion code ("5.1") jumps to that question."""
    sheet = await _sheet(ctx)
    codes = [q.code for q in questions(sheet)]
    typed = text.strip().rstrip(".").upper()
    if typed not in [c.upper() for c in codes]:
        return None
    ctx.state.step = "q"
    ctx.state.data["i"] = [c.upper() for c in codes].index(typed)
    return await _question(ctx)


async def _sheet(ctx: Context) -> Sheet:
    sheet = await sheet_by_key(ctx.db, ctx.state.data["key"])
    if sheet is None:  # a sheet is never deleted, so this means a corrupted state
        raise LookupError(f"sheet {ctx.state.data['key']} not found")
    return sheet


def _escape(text: str) -> str:
    """HTML-escape sheet text (an imported sheet is as untrusted as user input)."""
    return html.escape(text, quote=False)


async def _question(ctx: Context) -> list[Reply]:
    sheet = await _sheet(ctx)
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
            part_name=part.name,
        ),
        f"<b>{_escape(item.code)}. {_escape(item.text)}</b>",
    ]
    case = ""
    for number, option in enumerate(item.options, 1):
        if option.case and option.case != case:
            case = option.case
            lines.append(f"<i>{_escape(case)}</i>")
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


async def _answer(ctx: Context, option: int) -> list[Reply]:
    sheet = await _sheet(ctx)
    item = questions(sheet)[ctx.state.data["i"]]
    count = 2 if isinstance(item, Disqualifier) else len(item.options)
    if option >= count:
        return await _question(ctx)
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
    return await _advance(ctx, sheet)


async def _skip(ctx: Context) -> list[Reply]:
    sheet = await _sheet(ctx)
    item = questions(sheet)[ctx.state.data["i"]]
    if isinstance(item, Disqualifier):
        return await _question(ctx)
    if item.code not in ctx.state.data["skipped"]:
        ctx.state.data["skipped"] = [*ctx.state.data["skipped"], item.code]
    return await _advance(ctx, sheet)


async def _advance(ctx: Context, sheet: Sheet, *, after_disqualifier: bool = False) -> list[Reply]:
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
        return await _question(ctx)
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
    return await _finish(ctx)


async def _walk_skipped(ctx: Context) -> list[Reply]:
    """Walk every skipped question in turn (or, after a re-assessment, the changed ones)."""
    sheet = await _sheet(ctx)
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
        return await _finish(ctx)
    data["walk"] = True
    data["i"] = todo[0]
    return await _question(ctx)


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


def _pause(ctx: Context) -> list[Reply]:
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


async def _finish(ctx: Context) -> list[Reply]:
    sheet = await _sheet(ctx)
    data = dict(ctx.state.data)
    ctx.state.clear()
    return result_view.finish(ctx, sheet, data["aid"], data["product"], data["answers"])


async def results(ctx: Context, msg: Incoming) -> list[Reply]:
    """`/ketqua`: the user's results, compared per product."""
    return await result_view.results_list(ctx)


async def _sheets_now_loaded(ctx: Context) -> list[Reply]:
    """Tell the user once when a product set they waited for has a sheet now."""
    if ctx.user.id is None:
        return []
    waiting = await ctx.read(partial(repo.open_sheet_waits, user_id=ctx.user.id))
    if not waiting:
        return []
    loaded = await ctx.read(repo.imported_set_codes)
    ready = [code for code in waiting if code in loaded]
    if not ready:
        return []
    ctx.write(lambda c, uid: repo.close_sheet_waits(c, user_id=uid, set_codes=ready, now=ctx.now))
    sets = product_sets()
    return [
        Reply(
            text=ctx.t(
                "assess.sheet_loaded", products=", ".join(_name(ctx, sets[c]) for c in ready)
            ),
            buttons=tuple((Button(_name(ctx, sets[c]), f"as:set:{c}"),) for c in ready),
        )
    ]
