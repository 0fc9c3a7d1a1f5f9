"""Producers' self-assessment against the sheet in force: find the product set (typed, or browsed
sector → group → set), start, resume days later, list what is unfinished, and re-assess from
earlier answers — including moving a result made under a lapsed edition to the one in force.
The questions themselves are in `assessment_questions`, the result in `assessment_result`."""

from __future__ import annotations

import secrets
from functools import partial

from bot.actions import Action
from bot.context import Context
from bot.conversation import Conversation
from bot.i18n import N_
from bot.messages import Button, Incoming, Reply
from db import repo
from handlers import actions as do
from handlers import assessment_questions as asked
from handlers import assessment_result as result_view
from handlers import faq
from handlers.menu import menu_button, stale_button
from handlers.sheets import sheet_by_key
from knowledge.criteria import (
    ProductSet,
    Sheet,
    bundled_documents,
    bundled_sheets,
    current_edition,
    find_sets,
    in_force_set,
    product_sets,
    sectors,
)
from knowledge.criteria.carry import carry_over
from knowledge.small_talk import yes_or_no
from knowledge.typed_commands import part_asked, result_asked

FLOW = asked.FLOW
Step = asked.Step
_LISTED = 4


def _name(ctx: Context, product_set: ProductSet) -> str:
    return product_set.name_en if ctx.locale == "en" else product_set.name


def _label(ctx: Context, vi: str, en: str) -> str:
    return en if ctx.locale == "en" else vi


def _edition(ctx: Context) -> str:
    return current_edition(ctx.now.date()).code


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
        sheet = await sheet_by_key(ctx, item.sheet_key)
        total = len(asked.questions(sheet)) if sheet else 0
        rows.append(
            (
                Button(
                    ctx.t(
                        "assess.resume",
                        product=item.product_name,
                        number=min(item.position + 1, total),
                        total=total,
                    ),
                    do.ResumeAssessment(item.id).encode(),
                ),
            )
        )
    lapsed = await _lapsed_result(ctx)
    if lapsed is not None:
        rows.append((Button(ctx.t("assess.move_button"), do.MoveToEdition(lapsed.id).encode()),))
    if not rows:
        return notices + ask_product(ctx)
    rows.append((Button(ctx.t("assess.other_product"), do.OtherProduct().encode()),))
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
    ctx.state.go(FLOW, Step.FIND)
    rows = [
        (Button(_label(ctx, name, name_en), do.BrowseSector(index).encode()),)
        for index, (_, name, name_en, _) in enumerate(sectors(_edition(ctx)))
    ]
    rows.append((menu_button(ctx.t),))
    decision = current_edition(ctx.now.date()).decision
    return [Reply(text=ctx.t("assess.ask_product", decision=decision), buttons=tuple(rows))]


async def prompt(ctx: Context) -> list[Reply]:
    """Re-ask the current step (after a restart, a language change, a stale button)."""
    if ctx.state.step == Step.QUESTION:
        return await asked.question(ctx)
    if ctx.state.step == Step.REVIEW:
        return await asked.review(ctx)
    return ask_product(ctx)


async def on_text(ctx: Context, msg: Incoming) -> list[Reply]:
    """A typed product name while looking for a set; a criterion code while reviewing; the
    points so far asked ("my score so far"), then the step again."""
    if ctx.state.step in (Step.QUESTION, Step.REVIEW):
        yes = yes_or_no(msg.text) if ctx.state.step == Step.QUESTION else None
        answered = None if yes is None else await asked.said(ctx, yes)
        if answered is not None:  # "ko" typed at "Hồ sơ … có rơi vào trường hợp này không?"
            return answered
        jumped = await asked.jump(ctx, msg.text)
        if jumped is not None:
            return jumped
        if ctx.state.step == Step.QUESTION:
            pressed = await asked.typed(ctx, msg.text)  # "2", "cái thứ 2", "bo qua"
            if pressed is not None:
                return pressed
        part = part_asked(msg.text)
        if part is not None or result_asked(msg.text):  # "phần A tôi được bao nhiêu điểm"
            return [await asked.so_far(ctx, part), *await prompt(ctx)]
        meanwhile = await faq.answered_meanwhile(ctx, msg, prompt)  # "hồ sơ gồm những gì"
        if meanwhile is not None:
            return meanwhile
        if ctx.state.step == Step.REVIEW:
            return [Reply(text=ctx.t("assess.review_unknown_code")), *await asked.review(ctx)]
        return [Reply(text=ctx.t("assess.use_buttons")), *await asked.question(ctx)]
    matches = find_sets(msg.text, today=ctx.now.date())
    if not matches:
        return [Reply(text=ctx.t("assess.no_set", said=msg.text.strip()[:60])), *ask_product(ctx)]
    return [_set_choice(ctx, ctx.t("assess.pick_set"), [m.product_set for m in matches])]


def _set_choice(ctx: Context, text: str, sets: list[ProductSet]) -> Reply:
    rows: list[tuple[Button, ...]] = [
        (Button(_name(ctx, s), do.ChooseSet(s.code).encode()),) for s in sets
    ]
    rows.append((Button(ctx.t("assess.browse"), do.OtherProduct().encode()), menu_button(ctx.t)))
    return Reply(text=text, buttons=tuple(rows))


def _browse_sector(ctx: Context, index: int) -> list[Reply]:
    _, name, name_en, sector_groups = sectors(_edition(ctx))[index]
    if len(sector_groups) == 1:
        return [_set_choice(ctx, ctx.t("assess.pick_set"), sector_groups[0][3])]
    rows: list[tuple[Button, ...]] = [
        (Button(_label(ctx, g_name, g_name_en), do.BrowseGroup(index, number).encode()),)
        for number, (_, g_name, g_name_en, _) in enumerate(sector_groups)
    ]
    rows.append((Button(ctx.t("assess.browse"), do.OtherProduct().encode()), menu_button(ctx.t)))
    return [
        Reply(
            text=ctx.t("assess.pick_group", sector=_label(ctx, name, name_en)), buttons=tuple(rows)
        )
    ]


async def on_action(ctx: Context, msg: Incoming, action: Action) -> list[Reply]:
    """Every assessment button."""
    sector_count = len(sectors(_edition(ctx)))
    in_flow = ctx.state.flow == FLOW
    match action:
        case do.StartAssessment():
            return await _entry(ctx)
        case do.OtherProduct():
            return ask_product(ctx)
        case do.BrowseSector(index) if 0 <= index < sector_count:
            return _browse_sector(ctx, index)
        case do.BrowseGroup(sec, grp) if 0 <= sec < sector_count:
            groups_of = sectors(_edition(ctx))[sec][3]
            if 0 <= grp < len(groups_of):
                return [_set_choice(ctx, ctx.t("assess.pick_set"), groups_of[grp][3])]
        case do.ChooseSet(code) if code in product_sets():
            return await _chosen(ctx, product_sets()[code])
        case do.ResumeAssessment(assessment_id):
            return await _resume(ctx, assessment_id)
        case do.ShowQuestion() if in_flow and ctx.state.step == Step.QUESTION:
            return await asked.question(ctx)
        case do.WalkSkipped() if in_flow and ctx.state.step in (Step.QUESTION, Step.REVIEW):
            return await asked.walk_skipped(ctx)
        case do.AnswerQuestion(index, option) if asked.is_current(ctx, index):
            return await asked.answer(ctx, option)
        case do.SkipQuestion(index) if asked.is_current(ctx, index):
            return await asked.skip(ctx)
        case do.PreviousQuestion(index) if asked.is_current(ctx, index):
            return await asked.back(ctx)
        case do.PauseAssessment(index) if asked.is_current(ctx, index):
            return asked.pause(ctx)
        case do.FinishAssessment(index) if asked.is_current(ctx, index) or (
            in_flow and ctx.state.step == Step.REVIEW
        ):
            return await asked.finish(ctx)
        case do.GoOnRejected(index) if asked.is_current(ctx, index):
            return await asked.advance(
                ctx, await asked.current_sheet(ctx), after_disqualifier=True
            )
        case do.Reassess(assessment_id):
            return await _reassess(ctx, assessment_id)
        case do.MoveToEdition(assessment_id):
            return await _reassess(ctx, assessment_id, move=True)
        case do.ReviewAll() if in_flow and ctx.state.step == Step.REVIEW:
            state = asked.current(ctx)
            state.index = 0
            asked.keep(ctx, state, Step.QUESTION)
            return await asked.question(ctx)
        case do.Readiness():
            return result_view.readiness(ctx)
        case do.Dossier(assessment_id):
            return await result_view.dossier(ctx, assessment_id)
        case do.DossierPage(assessment_id, page):
            return await result_view.dossier(ctx, assessment_id, page)
        case do.StarPlan(assessment_id, stars):
            return await result_view.plan_for(ctx, assessment_id, stars)
        case do.StarPlanPage(assessment_id, stars, page):
            return await result_view.plan_for(ctx, assessment_id, stars, page)
        case do.ResultParts(assessment_id):
            return await result_view.parts(ctx, assessment_id)
        case do.ResultLaw(assessment_id):
            return await result_view.legal_basis(ctx, assessment_id)
        case do.MyResults():
            return await result_view.results_list(ctx)
        case do.ShowResult(assessment_id):
            return await result_view.show_result(ctx, assessment_id)
        case do.WaitForSheet(code) if code in product_sets():
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


async def _chosen(ctx: Context, product_set: ProductSet) -> list[Reply]:
    """A set was picked: the set in force that it has become, and its sheet."""
    target = in_force_set(product_set, ctx.now.date())
    if target is None:
        return [
            Reply(text=ctx.t("assess.no_set", said=_name(ctx, product_set))),
            *ask_product(ctx),
        ]
    sheet = await ctx.read(partial(repo.sheet_for_set, set_code=target.code))
    if sheet is None:
        text = ctx.t("assess.no_sheet", product=_name(ctx, target))
        buttons = (
            (Button(ctx.t("assess.readiness_button"), do.Readiness().encode()),),
            (Button(ctx.t("assess.wait"), do.WaitForSheet(target.code).encode()),),
            (menu_button(ctx.t),),
        )
        return [Reply(text=text, buttons=buttons)]
    return await _begin(ctx, target, sheet, answers={})


async def _begin(
    ctx: Context, product_set: ProductSet, sheet: Sheet, *, answers: dict[str, int]
) -> list[Reply]:
    assessment_id = secrets.token_hex(8)
    product = _name(ctx, product_set)
    bundled = bundled_documents().get(product_set.code)
    if bundled is not None and bundled_sheets()[product_set.code].key == sheet.key:
        ctx.write(
            lambda c, _uid: repo.archive_sheet(
                c,
                key=sheet.key,
                set_code=product_set.code,
                edition=sheet.edition.code,
                body=bundled,
                now=ctx.now,
            )
        )
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
        Step.QUESTION,
        asked.Answering(
            assessment=assessment_id, sheet=sheet.key, product=product, answers=dict(answers)
        ),
    )
    if answers:
        return []
    conditions = len(sheet.disqualifiers)  # none on the tourism-service sheet
    intro = ctx.t(
        N_("assess.intro") if conditions else N_("assess.intro_scored"),
        product=product,
        count=len(sheet.criteria),
        decision=sheet.edition.decision,
        conditions=conditions,
    )
    return [Reply(text=intro), *await asked.question(ctx)]


async def _resume(ctx: Context, assessment_id: str) -> list[Reply]:
    if ctx.user.id is None:
        return ask_product(ctx)
    found = await ctx.read(
        partial(repo.get_assessment, assessment_id=assessment_id, user_id=ctx.user.id)
    )
    if found is None or found.status != "in_progress":
        return await _entry(ctx)
    sheet = await sheet_by_key(ctx, found.sheet_key)
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
        Step.QUESTION,
        asked.Answering(
            assessment=found.id,
            sheet=found.sheet_key,
            product=found.product_name,
            index=found.position,
            answers=dict(found.answers),
            skipped=list(found.skipped),
        ),
    )
    return await asked.question(ctx)


async def _reassess(ctx: Context, assessment_id: str, *, move: bool = False) -> list[Reply]:
    """A new assessment pre-filled from an earlier one. Moving to the edition in force keeps the
    answers of criteria whose text and options carry over unchanged, and names the rest."""
    if ctx.user.id is None:
        return ask_product(ctx)
    found = await ctx.read(
        partial(repo.get_assessment, assessment_id=assessment_id, user_id=ctx.user.id)
    )
    old_sheet = None if found is None else await sheet_by_key(ctx, found.sheet_key)
    old_set = None if found is None else product_sets().get(found.set_code)
    target = None if old_set is None else in_force_set(old_set, ctx.now.date())
    sheet = (
        None
        if target is None
        else await ctx.read(partial(repo.sheet_for_set, set_code=target.code))
    )
    if found is None or old_sheet is None or target is None or sheet is None:
        return ask_product(ctx)
    answers = {**found.answers}
    if ctx.state.flow == FLOW and (under_way := asked.current(ctx)).assessment == found.id:
        answers = {**answers, **under_way.answers}
    carried, changed = carry_over(old_sheet, sheet, answers)
    await _begin(ctx, target, sheet, answers=carried)
    state = asked.current(ctx)
    state.moved = move or old_sheet.edition.code != sheet.edition.code
    state.changed = changed
    asked.keep(ctx, state, Step.REVIEW)
    return await asked.review(ctx)


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
            buttons=tuple((Button(_name(ctx, sets[c]), do.ChooseSet(c).encode()),) for c in ready),
        )
    ]


CONVERSATION = Conversation(
    name="assessment",
    commands={"danhgia": start, "ketqua": results},
    actions=do.assessment,
    on_action=on_action,
    flow=FLOW,
    on_text=on_text,
    prompt=prompt,
)
