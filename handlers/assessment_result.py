"""What a producer gets from a self-assessment: the result, first in a reply short enough for a
cheap phone (the total, the star band, who certifies it, the first steps to the next star), then
behind its buttons the points per part with what holds the band back and the chart, the plan to
each star above, the legal basis, the dossier checklist for this product and these answers; and
`/ketqua`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

from bot.context import Context
from bot.i18n import N_, Safe, format_date
from bot.markup import plain
from bot.messages import Button, Photo, Reply
from db import repo
from handlers import actions as do
from handlers.chart import score_chart
from handlers.menu import menu_button
from handlers.sheets import sheet_by_key
from knowledge.criteria import Sheet
from knowledge.scoring import (
    MINISTRY,
    PROVINCE,
    Score,
    StarGap,
    Step,
    asks_export,
    counted,
    producer_form,
    score,
)
from knowledge.text import clip

_KEY_MOVES = 3
"""Moves a plan's first reply names: the minimums the star requires, then the largest gains."""
_SHORT = 400
"""Characters of a first reply that fit a cheap phone's screen (`bench.result_length.SHORT`)."""
_PAGE_CHARS = 900
"""Characters of one page of a whole plan or dossier (a line longer than that is a page)."""
_FIRST_STEPS = 2
"""Moves of the next star's plan the result's first reply names."""
_CODES_NAMED = 2
"""Criterion codes a first reply names; more are counted."""
_TITLE_CHARS = 48
_STEP_CHARS = 34
_CERTIFIER_KEYS = {PROVINCE: N_("assess.by_province"), MINISTRY: N_("assess.by_ministry")}
_CERTIFIES = {
    PROVINCE: N_("assess.by_province_certifies"),
    MINISTRY: N_("assess.by_ministry_certifies"),
}
_CERTIFIES_SHORT = {
    PROVINCE: N_("assess.short_by_province"),
    MINISTRY: N_("assess.short_by_ministry"),
}
_FORMS = {
    "household": N_("assess.form_household"),
    "cooperative": N_("assess.form_cooperative"),
    "company": N_("assess.form_company"),
}
_BANDS = {
    1: N_("assess.band_1"),
    2: N_("assess.band_2"),
    3: N_("assess.band_3"),
    4: N_("assess.band_4"),
    5: N_("assess.band_5"),
}


def _stars(ctx: Context, stars: int) -> str:
    return ctx.t("assess.stars", stars=stars) if stars else ctx.t("assess.no_stars")


def _date(ctx: Context) -> str:
    return format_date(ctx.now)


def finish(
    ctx: Context, sheet: Sheet, assessment_id: str, product: str, answers: dict[str, int]
) -> list[Reply]:
    """Score, store and show a finished assessment."""
    result = score(sheet, answers)
    ctx.write(
        lambda c, uid: repo.finish_assessment(
            c,
            assessment_id=assessment_id,
            user_id=uid,
            answers=answers,
            total=result.total,
            stars=result.stars,
            parts=result.parts,
            now=ctx.now,
        )
    )
    return result_replies(ctx, result, product, assessment_id, _date(ctx))


def _codes(ctx: Context, codes: list[str], *, short: bool) -> str:
    """Criterion codes; `short`: more than a few only counted (the plan names them)."""
    if short and len(codes) > _CODES_NAMED:
        return ctx.t("assess.codes_count", count=len(codes))
    return ", ".join(codes)


def _certified(ctx: Context, result: Score, *, short: bool = False) -> str:
    """Who certifies the band reached, or that it gets no certificate (Điều 4.1)."""
    if result.certifier:
        keys = _CERTIFIES_SHORT if short else _CERTIFIES
        return ctx.t(keys[result.certifier], stars=result.stars)
    if not result.stars:
        return ""
    key = N_("assess.short_not_certified") if short else N_("assess.not_certified")
    return ctx.t(key, stars=result.stars)


def _band_line(ctx: Context, result: Score) -> str:
    t = ctx.t
    if result.disqualified_by:
        return _disqualified(ctx, result)
    lines = [_total(ctx, result)]
    if result.stars and result.sheet.edition.bands_article:
        lines.append(t(_BANDS[result.stars]))
    if result.held_back_by:
        codes = ", ".join(c.code for c in result.held_back_by)
        lines.append(t("assess.held_back", band=result.band, codes=codes))
    lines.append(_certified(ctx, result))
    return "\n".join(line for line in lines if line)


def _disqualified(ctx: Context, result: Score, *, short: bool = False) -> str:
    reasons = "; ".join(
        d.text_en if ctx.locale == "en" and d.text_en else d.text for d in result.disqualified_by
    )
    if short:  # no points below it: the total said in the sentence
        return ctx.t("assess.short_disqualified", reasons=reasons, total=f"{result.total:g}")
    return ctx.t("assess.disqualified", reasons=reasons)


def _total(ctx: Context, result: Score) -> str:
    stars = Safe(_stars(ctx, result.stars))
    return ctx.t("assess.result_total", total=f"{result.total:g}", stars=stars)


def _gap_line(ctx: Context, gap: StarGap, *, short: bool = False) -> str:
    t = ctx.t
    minimums = _codes(ctx, [s.criterion.code for s in gap.minimums], short=short)
    if gap.points_needed and minimums:
        return t(
            "assess.gap_both", stars=gap.stars, points=f"{gap.points_needed:g}", codes=minimums
        )
    if minimums:
        return t("assess.gap_minimums", stars=gap.stars, codes=minimums)
    return t("assess.gap_points", stars=gap.stars, points=f"{gap.points_needed:g}")


def plan_lines(ctx: Context, gap: StarGap) -> list[str]:
    """The plan to one star: the header, then one line per criterion to move."""
    t = ctx.t
    who = t(_CERTIFIER_KEYS[gap.certifier]) if gap.certifier else t("assess.by_nobody")
    lines = [t("assess.plan_title", stars=gap.stars, adds=f"{gap.adds:g}", who=who)]
    for number, move in enumerate(gap.moves, 1):
        evidence = move.criterion.evidence_en if ctx.locale == "en" else move.criterion.evidence_vi
        line = t(
            "assess.plan_step",
            number=number,
            code=move.criterion.code,
            text=move.criterion.text,
            before=f"{move.from_points:g}",
            after=f"{move.target.points:g}",
            target=move.target.text,
        )
        if move.minimum_for and move.minimum_points == move.target.points:
            line += " " + t("assess.plan_minimum", stars=move.minimum_for)
        elif move.minimum_for:
            line += " " + t(
                "assess.plan_minimum_points",
                stars=move.minimum_for,
                points=f"{move.minimum_points:g}",
            )
        if evidence:
            line += t("assess.fix_evidence", evidence=evidence)
        lines.append(line)
    return lines


def _first_steps(ctx: Context, gap: StarGap) -> list[str]:
    """What the next star lacks, and the first moves of its plan, one short line each."""
    lines = [ctx.t("assess.first_steps", gap=Safe(_gap_line(ctx, gap, short=True)))]
    for number, move in enumerate(gap.moves[:_FIRST_STEPS], 1):
        lines.append(
            ctx.t(
                "assess.first_step",
                number=number,
                code=move.criterion.code,
                text=clip(move.criterion.text, _STEP_CHARS),
                before=f"{move.from_points:g}",
                after=f"{move.target.points:g}",
            )
        )
    return lines


def result_replies(
    ctx: Context, result: Score, product: str, assessment_id: str, when: str
) -> list[Reply]:
    """The first reply: the score, the star band, who certifies it and the first steps to the
    next star, short enough for a cheap phone's screen (`bench.result_length`); the points per
    part, the whole plan, the dossier and the legal basis behind its buttons."""
    t, sheet = ctx.t, result.sheet
    lines = [t("assess.short_title", product=clip(product, _TITLE_CHARS), date=when)]
    if result.disqualified_by:
        lines.append(_disqualified(ctx, result, short=True))
    else:
        lines.append(_total(ctx, result))  # a band held back: the next star's gap says why
        lines.append(_certified(ctx, result, short=True))
    if result.missing:
        lines.append(t("assess.missing", count=len(result.missing)))
    if result.next_star is not None:
        lines.extend(_first_steps(ctx, result.next_star))
    if _lapsed(ctx, sheet):
        lines.append(t("assess.short_superseded", decision=sheet.edition.decision))
    caveat = N_("assess.short_unofficial") if sheet.uncertain else N_("assess.short_estimate")
    lines.append(t(caveat))
    rows: list[tuple[Button, ...]] = [
        (
            Button(t("assess.parts_button"), do.ResultParts(assessment_id).encode()),
            Button(t("assess.law_button"), do.ResultLaw(assessment_id).encode()),
        )
    ]
    if result.next_star is not None:
        rows.append((_plan_button(ctx, assessment_id, result.next_star.stars),))
    rows.append((Button(t("assess.dossier_button"), do.Dossier(assessment_id).encode()),))
    if not sheet.edition.in_force(ctx.now.date()):
        rows.append((Button(t("assess.move_button"), do.MoveToEdition(assessment_id).encode()),))
    rows.append(
        (
            Button(t("assess.again"), do.Reassess(assessment_id).encode()),
            Button(t("assess.my_results"), do.MyResults().encode()),
        )
    )
    rows.append((menu_button(t),))
    return [Reply(text="\n".join(line for line in lines if line), buttons=tuple(rows))]


def _lapsed(ctx: Context, sheet: Sheet) -> bool:
    """True when the sheet's edition is no longer in force (its result is for reference)."""
    return not sheet.edition.in_force(ctx.now.date()) and sheet.edition.lapses_on is not None


def _plan_button(ctx: Context, assessment_id: str, stars: int) -> Button:
    return Button(
        ctx.t("assess.plan_button", stars=stars), do.StarPlan(assessment_id, stars).encode()
    )


def _detail_buttons(
    ctx: Context, assessment_id: str, *more: Button
) -> tuple[tuple[Button, ...], ...]:
    """Under a result's detail: its other buttons, the way back to the result, the menu."""
    back = Button(ctx.t("assess.back_to_result"), do.ShowResult(assessment_id).encode())
    return (*((button,) for button in more), (back,), (menu_button(ctx.t),))


def parts_replies(
    ctx: Context, result: Score, product: str, assessment_id: str, when: str
) -> list[Reply]:
    """The points per part, the band and who certifies it, what each higher star lacks; the
    chart."""
    t, sheet = ctx.t, result.sheet
    lines = [
        t("assess.result_title", product=product, date=when),
        " · ".join(
            t(
                "assess.result_part",
                part=p.code,
                points=f"{result.parts[p.code]:g}",
                maximum=f"{p.max_points:g}",
            )
            for p in sheet.parts
        ),
        _band_line(ctx, result),
    ]
    if result.gaps:
        lines.append(t("assess.gaps_title"))
        lines.extend("• " + _gap_line(ctx, gap) for gap in result.gaps)
    if result.missing:
        lines.append(t("assess.missing", count=len(result.missing)))
    held = [
        (level, ", ".join(c.code for c in result.held_back_by))
        for level in [result.band]
        if result.held_back_by
    ]
    chart = score_chart(
        title=f"{product} · {when}",
        parts=[
            (p.code, sheet.part_name(p.code, ctx.locale), result.parts[p.code], p.max_points)
            for p in sheet.parts
        ],
        total=result.total,
        thresholds=[(stars, minimum) for stars, minimum in sheet.star_thresholds if minimum > 0],
        stars=result.stars,
        held_back=held[0] if held else None,
        labels=(t("chart.total"), t("chart.held_back")),
    )
    plans = [_plan_button(ctx, assessment_id, gap.stars) for gap in result.gaps]
    return [
        Reply(text="\n".join(lines)),
        Reply(
            text=t("assess.chart_caption"),
            photo=Photo(chart, f"ocop-{assessment_id}.png"),
            buttons=_detail_buttons(ctx, assessment_id, *plans),
        ),
    ]


def law_replies(ctx: Context, result: Score, product: str, assessment_id: str) -> list[Reply]:
    """What the result rests on: the decision and its date, the band's article, who certifies
    it, and how far the estimate goes."""
    t, sheet = ctx.t, result.sheet
    lines = [
        t("assess.law_title", product=product),
        t(
            "assess.result_edition",
            decision=sheet.edition.decision,
            date=format_date(date.fromisoformat(sheet.edition.signed_on)),
        ),
    ]
    if result.stars and sheet.edition.bands_article:
        lines.append(t(_BANDS[result.stars]))
    lines.append(_certified(ctx, result))
    lapsed = sheet.edition.lapses_on
    if _lapsed(ctx, sheet) and lapsed is not None:
        lines.append(
            t(
                "assess.warn_superseded",
                decision=sheet.edition.decision,
                replaced_by=sheet.edition.superseded_by,
                lapsed=format_date(lapsed),
            )
        )
    if sheet.uncertain:
        lines.append(t("assess.warn_unofficial", decision=sheet.edition.decision))
    lines.append(t("assess.estimate_only"))
    text = "\n".join(line for line in lines if line)
    return [Reply(text=text, buttons=_detail_buttons(ctx, assessment_id))]


async def _load(ctx: Context, assessment_id: str) -> tuple[repo.AssessmentRecord, Score] | None:
    if ctx.user.id is None:
        return None
    found = await ctx.read(
        partial(repo.get_assessment, assessment_id=assessment_id, user_id=ctx.user.id)
    )
    if found is None or found.status != "done":
        return None
    sheet = await sheet_by_key(ctx, found.sheet_key)
    if sheet is None:
        return None
    return found, score(sheet, found.answers)


async def show_result(ctx: Context, assessment_id: str) -> list[Reply]:
    """A stored result, read with the exact sheet it was made with."""
    return await _stored(
        ctx,
        assessment_id,
        lambda found, result: result_replies(
            ctx, result, found.product_name, found.id, _finished(found)
        ),
    )


def _finished(found: repo.AssessmentRecord) -> str:
    return format_date(found.finished_at) if found.finished_at else ""


async def _stored(
    ctx: Context,
    assessment_id: str,
    screen: Callable[[repo.AssessmentRecord, Score], list[Reply]],
) -> list[Reply]:
    """One screen of a stored result; the list of results when it is not the user's (gone,
    or another's)."""
    loaded = await _load(ctx, assessment_id)
    return await results_list(ctx) if loaded is None else screen(*loaded)


async def parts(ctx: Context, assessment_id: str) -> list[Reply]:
    """A stored result's points per part and what each higher star lacks, with the chart."""
    return await _stored(
        ctx,
        assessment_id,
        lambda found, result: parts_replies(
            ctx, result, found.product_name, found.id, _finished(found)
        ),
    )


async def legal_basis(ctx: Context, assessment_id: str) -> list[Reply]:
    """What a stored result rests on."""
    return await _stored(
        ctx,
        assessment_id,
        lambda found, result: law_replies(ctx, result, found.product_name, found.id),
    )


def _key_moves(gap: StarGap) -> list[Step]:
    """The moves that matter most: the minimums the star requires, then the largest gains
    (the plan's order on ties)."""
    return sorted(gap.moves, key=lambda m: (m.minimum_for is None, -m.gain))[:_KEY_MOVES]


def _realistic(ctx: Context, gap: StarGap, form: str, next_star: int) -> str:
    """What the star asks of a producer this size, from QĐ 26/2026 Điều 3.3: export only at
    5★ (the national level); below it, a plan that asks for none says so; a star beyond the
    next one, that the next comes first."""
    t = ctx.t
    prefix = t("assess.plan_for_who", who=t(_FORMS[form])) if form else ""
    first = " " + t("assess.plan_first", stars=next_star) if next_star < gap.stars else ""
    if gap.stars >= 5:
        return t("assess.plan_export", prefix=prefix) + first
    if any(asks_export(move) for move in gap.moves):
        return first.strip()
    return t("assess.plan_no_export", prefix=prefix, stars=gap.stars) + first


def _pages(lines: list[str]) -> list[list[str]]:
    """`lines` in pages of at most `_PAGE_CHARS` characters (never a line cut)."""
    pages: list[list[str]] = [[]]
    size = 0
    for line in lines:
        if pages[-1] and size + len(line) > _PAGE_CHARS:
            pages.append([])
            size = 0
        pages[-1].append(line)
        size += len(line) + 1
    return pages


def _paged(
    ctx: Context,
    assessment_id: str,
    title: str,
    pages: list[list[str]],
    page: int,
    turn: Callable[[int], str],
    summary: Button,
) -> Reply:
    """One page of a whole plan or dossier: the pages before and after, its first reply, the
    result and the menu a button away (five buttons at most: Zalo's limit for a message)."""
    t = ctx.t
    page = min(max(page, 0), len(pages) - 1)
    header = t("assess.page_title", title=Safe(title), page=page + 1, pages=len(pages))
    turns = [
        Button(t("assess.page_previous"), turn(page - 1)) if page else None,
        Button(t("assess.page_next", page=page + 2), turn(page + 1))
        if page + 1 < len(pages)
        else None,
    ]
    row = tuple(b for b in turns if b is not None)
    back = _detail_buttons(ctx, assessment_id, summary)
    return Reply(text="\n".join([header, *pages[page]]), buttons=((row,) if row else ()) + back)


async def plan_for(ctx: Context, assessment_id: str, stars: int, page: int = -1) -> list[Reply]:
    """The plan to a star above the result's (the next one first, from the result's button):
    in short (`page` -1): what the star lacks, the criteria that matter most with the points
    they add, what the star asks of a producer this size; the whole plan page by page."""
    loaded = await _load(ctx, assessment_id)
    if loaded is None:
        return await results_list(ctx)
    found, result = loaded
    gap = next((g for g in result.gaps if g.stars == stars), None)
    if gap is None:
        return await show_result(ctx, assessment_id)
    t = ctx.t
    if page >= 0:

        def turn(to: int) -> str:
            return do.StarPlanPage(assessment_id, stars, to).encode()

        pages = _pages([_gap_line(ctx, gap), *plan_lines(ctx, gap)])
        summary = Button(
            t("assess.plan_summary", stars=stars), do.StarPlan(assessment_id, stars).encode()
        )
        title = t("assess.plan_pages", stars=stars)
        return [_paged(ctx, assessment_id, title, pages, page, turn, summary)]
    steps = [
        t(
            N_("assess.plan_key_minimum") if move.minimum_for else N_("assess.plan_key_step"),
            number=number,
            code=move.criterion.code,
            text=clip(move.criterion.text, _STEP_CHARS),
            gain=f"{move.gain:g}",
            before=f"{move.from_points:g}",
            after=f"{move.target.points:g}",
        )
        for number, move in enumerate(_key_moves(gap), 1)
    ]
    form = producer_form(result.sheet, found.answers)
    realistic = _realistic(ctx, gap, form, result.gaps[0].stars)
    while True:  # as many of the key steps as the phone's screen holds, one at least
        lines = [
            "🎯 " + _gap_line(ctx, gap, short=True),
            t("assess.plan_key", stars=stars, count=len(gap.moves), adds=f"{gap.adds:g}"),
            *steps,
            realistic,
        ]
        text = "\n".join(line for line in lines if line)
        if len(steps) == 1 or len(plain(text)) <= _SHORT:
            break
        steps.pop()
    whole = Button(
        t("assess.plan_whole", count=len(gap.moves)),
        do.StarPlanPage(assessment_id, stars, 0).encode(),
    )
    higher = [
        _plan_button(ctx, assessment_id, g.stars) for g in result.gaps if g.stars == stars + 1
    ]
    dossier = Button(t("assess.dossier_button"), do.Dossier(assessment_id).encode())
    buttons = _detail_buttons(ctx, assessment_id, whole, *higher, dossier)
    return [Reply(text=text, buttons=buttons)]


async def plan_in_words(ctx: Context, stars: int) -> list[Reply] | None:
    """The plan of the producer's latest result to `stars` (0: the next star), asked in words
    ("muốn lên 3 sao thì cần sửa gì", `knowledge.typed_commands.plan_asked`); the result itself
    when it has that star already; None for a producer with no result (the router offers the
    self-assessment, `handlers.faq.assessment_offer`)."""
    if ctx.user.id is None:
        return None
    done = await ctx.read(partial(repo.finished_assessments, user_id=ctx.user.id, limit=1))
    loaded = await _load(ctx, done[0].id) if done else None
    if loaded is None:
        return None
    found, result = loaded
    target = stars or (result.gaps[0].stars if result.gaps else 0)
    if target <= result.stars:
        return await show_result(ctx, found.id)
    return await plan_for(ctx, found.id, target)


async def latest_in_words(ctx: Context) -> list[Reply] | None:
    """The producer's latest result, asked in words ("điểm của em bao nhiêu",
    `knowledge.typed_commands.result_asked`); None for a producer with none."""
    if ctx.user.id is None:
        return None
    done = await ctx.read(partial(repo.finished_assessments, user_id=ctx.user.id, limit=1))
    return await show_result(ctx, done[0].id) if done else None


async def part_in_words(ctx: Context, part: str) -> list[Reply] | None:
    """One part of the producer's latest result, asked in words ("phần C em được bao nhiêu",
    `knowledge.typed_commands.part_asked`): its points, and the criteria of it still short of
    their best option; None for a producer with no result."""
    if ctx.user.id is None:
        return None
    done = await ctx.read(partial(repo.finished_assessments, user_id=ctx.user.id, limit=1))
    loaded = await _load(ctx, done[0].id) if done else None
    if loaded is None:
        return None
    found, result = loaded
    sheet, t = result.sheet, ctx.t
    chosen = next((p for p in sheet.parts if p.code == part), None)
    if chosen is None:  # a sheet without that part (none has fewer than A–C today)
        return await show_result(ctx, found.id)
    points = counted(sheet, found.answers)
    short = [
        f"{c.code} ({points[c.code]:g}/{best:g})"
        for c in chosen.criteria
        if points[c.code] < (best := max(o.points for o in c.options))
    ]
    lines = [
        t(
            "assess.part_in_words",
            product=found.product_name,
            date=format_date(found.finished_at) if found.finished_at else "",
            part=part,
            name=sheet.part_name(part, ctx.locale),
            points=f"{result.parts[part]:g}",
            maximum=f"{chosen.max_points:g}",
        ),
        t(
            "assess.result_total",
            total=f"{result.total:g}",
            stars=Safe(_stars(ctx, result.stars)),
        ),
    ]
    if short:
        lines.append(t("assess.part_short", codes=", ".join(short)))
    buttons = (
        (Button(t("assess.back_to_result"), do.ShowResult(found.id).encode()),),
        (menu_button(t),),
    )
    return [Reply(text="\n".join(lines), buttons=buttons)]


async def dossier(ctx: Context, assessment_id: str, page: int = -1) -> list[Reply]:
    """The dossier for this product and these answers: in short (`page` -1) the forms and
    where to file them (QĐ 26/2026 Điều 6, 7.1), how many criteria already have their evidence
    and which the next star still needs; page by page, the forms in full, the evidence for the
    options chosen, what the plan to the next star needs."""
    loaded = await _load(ctx, assessment_id)
    if loaded is None:
        return readiness(ctx)
    found, result = loaded
    t = ctx.t
    tourism = result.sheet.set_code.endswith("du-lich-cong-dong")
    english = ctx.locale == "en"
    have = []
    for criterion in result.sheet.criteria:
        index = found.answers.get(criterion.code)
        evidence = criterion.evidence_en if english else criterion.evidence_vi
        if index is not None and criterion.options[index].points > 0 and evidence:
            have.append(f"{criterion.code}: {evidence}")
    gap = result.next_star
    moves = gap.moves if gap is not None else ()
    plan = () if gap is None else (_plan_button(ctx, assessment_id, gap.stars),)
    if page >= 0:
        samples = N_("assess.dossier_samples_tourism") if tourism else N_("assess.dossier_samples")
        lines = [t("assess.dossier_forms"), t(samples)]
        if have:
            lines.append(t("assess.dossier_have"))
            lines.extend(f"• {line}" for line in have)
        if gap is not None and moves:
            lines.append(t("assess.dossier_next", stars=gap.stars))
            for move in moves:
                evidence = move.criterion.evidence_en if english else move.criterion.evidence_vi
                lines.append(
                    f"• {move.criterion.code} → “{move.target.text}”"
                    + (f" ({evidence})" if evidence else "")
                )
        lines.append(t("assess.dossier_where"))

        def turn(to: int) -> str:
            return do.DossierPage(assessment_id, to).encode()

        title = t("assess.dossier_title", product=found.product_name)
        summary = Button(t("assess.dossier_summary"), do.Dossier(assessment_id).encode())
        return [_paged(ctx, assessment_id, title, _pages(lines), page, turn, summary)]
    forms = N_("assess.dossier_short_tourism") if tourism else N_("assess.dossier_short")
    lines = [
        t("assess.dossier_title", product=clip(found.product_name, _TITLE_CHARS)),
        t(forms),
        t("assess.dossier_short_have", count=len(have)),
    ]
    if gap is not None and moves:
        codes = ", ".join(m.criterion.code for m in _key_moves(gap))
        lines.append(
            t("assess.dossier_short_next", stars=gap.stars, count=len(moves), codes=codes)
        )
    whole = Button(t("assess.dossier_whole"), do.DossierPage(assessment_id, 0).encode())
    buttons = _detail_buttons(ctx, assessment_id, whole, *plan)
    return [Reply(text="\n".join(lines), buttons=buttons)]


def readiness(ctx: Context) -> list[Reply]:
    """What to prepare before an assessment, when no result exists yet."""
    return [Reply(text=ctx.t("assess.readiness"), buttons=((menu_button(ctx.t),),))]


async def results_list(ctx: Context) -> list[Reply]:
    """`/ketqua`: recent results labelled with product and date; the latest two results of the
    same product compared: points, star change, the criteria that changed."""
    done = (
        []
        if ctx.user.id is None
        else await ctx.read(partial(repo.finished_assessments, user_id=ctx.user.id, limit=10))
    )
    if not done:
        return [
            Reply(
                text=ctx.t("assess.no_results"),
                buttons=(
                    (Button(ctx.t("menu.assess"), do.StartAssessment().encode()),),
                    (menu_button(ctx.t),),
                ),
            )
        ]
    lines = [ctx.t("assess.results_title")]
    rows = []
    for item in done[:5]:
        when = format_date(item.finished_at) if item.finished_at else ""
        lines.append(
            ctx.t(
                "assess.results_line",
                date=when,
                product=item.product_name,
                total=f"{item.total or 0:g}",
                stars=Safe(_stars(ctx, item.stars or 0)),
            )
        )
        rows.append(
            (Button(clip(f"{when} · {item.product_name}", 60), do.ShowResult(item.id).encode()),)
        )
    latest = done[0]
    previous = next(
        (
            a
            for a in done[1:]
            if a.set_code == latest.set_code and a.product_name == latest.product_name
        ),
        None,
    )
    if previous is not None:
        lines.extend(await _compare(ctx, latest, previous))
    rows.append((menu_button(ctx.t),))
    return [Reply(text="\n".join(lines), buttons=tuple(rows))]


async def _compare(
    ctx: Context, latest: repo.AssessmentRecord, previous: repo.AssessmentRecord
) -> list[str]:
    deltas = ", ".join(
        f"{code} {latest.parts.get(code, 0) - previous.parts.get(code, 0):+g}"
        for code in sorted(set(latest.parts) | set(previous.parts))
    )
    lines = [
        ctx.t(
            "assess.compare",
            product=latest.product_name,
            total=f"{(latest.total or 0) - (previous.total or 0):+g}",
            parts=deltas,
            before=previous.stars or 0,
            after=latest.stars or 0,
        )
    ]
    if latest.sheet_key.split("#")[0] != previous.sheet_key.split("#")[0]:
        lines.append(ctx.t("assess.compare_other_sheet"))
        return lines
    sheet = await sheet_by_key(ctx, latest.sheet_key)
    old = await sheet_by_key(ctx, previous.sheet_key)
    if sheet is None or old is None:
        return lines
    now, was = counted(sheet, latest.answers), counted(old, previous.answers)
    changed = [
        f"{code} {now[code] - was[code]:+g}"
        for code in now
        if code in was and now[code] != was[code]
    ]
    if changed:
        lines.append(ctx.t("assess.compare_criteria", changes=", ".join(changed)))
    return lines
