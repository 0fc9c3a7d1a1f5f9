"""Producers' self-assessment: find the product set, answer one criterion at a time (back, skip,
pause, resume days later), then the score per part, the estimated stars, what blocks the next
star, the first fixes, a chart, and the dossier to prepare."""

from __future__ import annotations

import html
import secrets
from functools import partial

from bot.context import Context
from bot.i18n import Safe
from bot.messages import Button, Incoming, Photo, Reply
from db import repo
from handlers.chart import score_chart
from handlers.menu import menu_button, stale_button
from handlers.sheets import current_counterpart, sheet_by_key, sheet_for_set
from knowledge.criteria import Criterion, ProductSet, Sheet, find_sets, groups, product_sets
from knowledge.scoring import Score, score

FLOW = "assess"
PREFIX = "as"
_TOP_FIXES = 3


def _name(ctx: Context, product_set: ProductSet) -> str:
    return product_set.name_en if ctx.user.locale == "en" else product_set.name


def _stars(ctx: Context, stars: int) -> str:
    return ctx.t("assess.stars", stars=stars) if stars else ctx.t("assess.no_stars")


async def start(ctx: Context, msg: Incoming) -> list[Reply]:
    """Entry (menu button, `/danhgia`): resume the unfinished assessment, or find a product."""
    return await _entry(ctx)


async def _entry(ctx: Context) -> list[Reply]:
    notices = await _sheets_now_loaded(ctx)
    ongoing = None
    if ctx.user.id is not None:
        ongoing = await ctx.read(partial(repo.latest_in_progress, user_id=ctx.user.id))
    if ongoing is None:
        return notices + ask_product(ctx)
    sheet = await sheet_by_key(ctx.db, ongoing.sheet_key)  # type: ignore[arg-type]
    total = len(sheet.criteria) if sheet else 0
    rows = (
        (
            Button(
                ctx.t(
                    "assess.resume",
                    product=ongoing.product_name,
                    number=ongoing.position + 1,
                    total=total,
                ),
                f"as:resume:{ongoing.id}",
            ),
        ),
        (Button(ctx.t("assess.other_product"), "as:new"),),
        (menu_button(ctx.t),),
    )
    return [*notices, Reply(text=ctx.t("assess.ongoing"), buttons=rows)]


def ask_product(ctx: Context) -> list[Reply]:
    """Ask for the product by name, or a group to browse."""
    ctx.state.go(FLOW, "find")
    rows = [
        (Button(name_en if ctx.user.locale == "en" else name, f"as:g:{index}"),)
        for index, (_, name, name_en, _) in enumerate(groups("148"))
    ]
    rows.append((menu_button(ctx.t),))
    return [Reply(text=ctx.t("assess.ask_product"), buttons=tuple(rows))]


async def prompt(ctx: Context) -> list[Reply]:
    """Re-ask the current step (after a restart, a language change, a stale button)."""
    if ctx.state.step == "q":
        return await _question(ctx)
    return ask_product(ctx)


async def on_text(ctx: Context, msg: Incoming) -> list[Reply]:
    """A typed product name while looking for a set; anything else re-asks."""
    if ctx.state.step == "q":
        return [Reply(text=ctx.t("assess.use_buttons")), *await _question(ctx)]
    matches = find_sets(msg.text)
    if not matches:
        return [Reply(text=ctx.t("assess.no_set", said=msg.text.strip()[:60])), *ask_product(ctx)]
    return [_set_choice(ctx, ctx.t("assess.pick_set"), [m.product_set for m in matches])]


def _set_choice(ctx: Context, text: str, sets: list[ProductSet]) -> Reply:
    rows: list[tuple[Button, ...]] = [
        (Button(_name(ctx, s) + ("" if s.edition == "148" else " (1048)"), f"as:set:{s.code}"),)
        for s in sets
    ]
    rows.append((Button(ctx.t("assess.browse"), "as:new"), menu_button(ctx.t)))
    return Reply(text=text, buttons=tuple(rows))


async def on_action(ctx: Context, msg: Incoming) -> list[Reply]:
    """Every `as:` button."""
    parts = (msg.action or "").split(":")[1:]
    match parts:
        case ["start"]:
            return await _entry(ctx)
        case ["new"]:
            return ask_product(ctx)
        case ["g", index] if index.isdigit() and int(index) < len(groups("148")):
            _, name, name_en, sets = groups("148")[int(index)]
            if not sets:
                return [
                    Reply(
                        text=ctx.t(
                            "assess.group_unlisted",
                            group=name_en if ctx.user.locale == "en" else name,
                        )
                    ),
                    *ask_product(ctx),
                ]
            return [_set_choice(ctx, ctx.t("assess.pick_set"), sets)]
        case ["set", code] if code in product_sets():
            return await _chosen(ctx, product_sets()[code])
        case ["go", code] if code in product_sets():
            return await _begin(ctx, product_sets()[code])
        case ["resume", assessment_id]:
            return await _resume(ctx, assessment_id)
        case ["show"] if ctx.state.step == "q":
            return await _question(ctx)
        case ["a", index, option] if _is_current(ctx, index) and option.isdigit():
            return await _answer(ctx, int(option))
        case ["skip", index] if _is_current(ctx, index):
            return await _skip(ctx)
        case ["back", index] if _is_current(ctx, index):
            ctx.state.data["i"] = max(0, ctx.state.data["i"] - 1)
            return await _question(ctx)
        case ["pause", index] if _is_current(ctx, index):
            return _pause(ctx)
        case ["finish", index] if _is_current(ctx, index):
            return _finish(ctx, await _sheet(ctx))
        case ["ready"]:
            return [Reply(text=ctx.t("assess.readiness"), buttons=((menu_button(ctx.t),),))]
        case ["dossier"]:
            return [Reply(text=ctx.t("assess.dossier"), buttons=((menu_button(ctx.t),),))]
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
        case ["results"]:
            return await _results(ctx)
        case ["res", assessment_id]:
            return await _show_result(ctx, assessment_id)
    return await stale_button(ctx, msg)


def _is_current(ctx: Context, index: str) -> bool:
    """A question button counts only on the question it was sent with (no stale answers)."""
    return (
        ctx.state.flow == FLOW and ctx.state.step == "q" and index == str(ctx.state.data.get("i"))
    )


async def _chosen(ctx: Context, product_set: ProductSet) -> list[Reply]:
    sheet = await sheet_for_set(ctx.db, product_set.code)  # type: ignore[arg-type]
    counterpart = current_counterpart(product_set)
    wait = [(Button(ctx.t("assess.wait"), f"as:wait:{counterpart.code}"),)] if counterpart else []
    ready = (Button(ctx.t("assess.readiness_button"), "as:ready"),)
    if sheet is None:
        text = ctx.t("assess.no_sheet", product=_name(ctx, product_set))
        return [Reply(text=text, buttons=(ready, *wait, (menu_button(ctx.t),)))]
    if not sheet.edition.current:
        text = ctx.t(
            "assess.superseded_sheet",
            product=_name(ctx, product_set),
            decision=sheet.edition.decision,
            date=sheet.edition.date,
            replaced_by=sheet.edition.superseded_by,
        )
        go = (Button(ctx.t("assess.try_anyway"), f"as:go:{product_set.code}"),)
        return [Reply(text=text, buttons=(go, ready, *wait, (menu_button(ctx.t),)))]
    return await _begin(ctx, product_set)


async def _begin(ctx: Context, product_set: ProductSet) -> list[Reply]:
    sheet = await sheet_for_set(ctx.db, product_set.code)  # type: ignore[arg-type]
    if sheet is None:
        return await _chosen(ctx, product_set)
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
        )
    )
    ctx.state.go(
        FLOW, "q", aid=assessment_id, key=sheet.key, product=product, i=0, answers={}, skipped=[]
    )
    intro = ctx.t("assess.intro", product=product, count=len(sheet.criteria))
    return [Reply(text=intro), *await _question(ctx)]


async def _resume(ctx: Context, assessment_id: str) -> list[Reply]:
    if ctx.user.id is None:
        return ask_product(ctx)
    found = await ctx.read(
        partial(repo.get_assessment, assessment_id=assessment_id, user_id=ctx.user.id)
    )
    if found is None or found.status != "in_progress":
        return await _entry(ctx)
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


async def _sheet(ctx: Context) -> Sheet:
    sheet = await sheet_by_key(ctx.db, ctx.state.data["key"])  # type: ignore[arg-type]
    if sheet is None:  # a sheet is never deleted, so this means a corrupted state
        raise LookupError(f"sheet {ctx.state.data['key']} not found")
    return sheet


async def _question(ctx: Context) -> list[Reply]:
    sheet = await _sheet(ctx)
    criteria = sheet.criteria
    index = ctx.state.data["i"]
    criterion = criteria[index]
    part = sheet.part_of(criterion.code)
    chosen = ctx.state.data["answers"].get(criterion.code)
    lines = [
        ctx.t(
            "assess.progress",
            number=index + 1,
            total=len(criteria),
            part=part.code,
            part_name=part.name,
        ),
        f"<b>{_escape(criterion.code)}. {_escape(criterion.text)}</b>",
    ]
    for number, option in enumerate(criterion.options, 1):
        mark = " ✓" if chosen == number - 1 else ""
        levels = [stars for stars, minimum in criterion.requirements if minimum == option.points]
        if levels:
            mark += " " + ctx.t("assess.required_for", stars=min(levels))
        lines.append(
            ctx.t("assess.option", number=number, text=option.text, points=f"{option.points:g}")
            + mark
        )
    if criterion.note:
        lines.append(ctx.t("assess.note", note=criterion.note))
    evidence = criterion.evidence_en if ctx.user.locale == "en" else criterion.evidence_vi
    if evidence:
        lines.append(ctx.t("assess.evidence", evidence=evidence))
    numbers = [
        Button(str(n), f"as:a:{index}:{n - 1}") for n in range(1, len(criterion.options) + 1)
    ]
    rows = [tuple(numbers[i : i + 5]) for i in range(0, len(numbers), 5)]
    rows.append(
        (
            Button(ctx.t("assess.back"), f"as:back:{index}"),
            Button(ctx.t("assess.skip"), f"as:skip:{index}"),
            Button(ctx.t("assess.pause"), f"as:pause:{index}"),
        )
    )
    return [Reply(text="\n".join(lines), buttons=tuple(rows))]


def _escape(text: str) -> str:
    """HTML-escape sheet text (an imported sheet is as untrusted as user input)."""
    return html.escape(text, quote=False)


async def _answer(ctx: Context, option: int) -> list[Reply]:
    sheet = await _sheet(ctx)
    criterion = sheet.criteria[ctx.state.data["i"]]
    if option >= len(criterion.options):
        return await _question(ctx)
    ctx.state.data["answers"] = {**ctx.state.data["answers"], criterion.code: option}
    ctx.state.data["skipped"] = [c for c in ctx.state.data["skipped"] if c != criterion.code]
    return await _advance(ctx, sheet)


async def _skip(ctx: Context) -> list[Reply]:
    sheet = await _sheet(ctx)
    code = sheet.criteria[ctx.state.data["i"]].code
    if code not in ctx.state.data["skipped"]:
        ctx.state.data["skipped"] = [*ctx.state.data["skipped"], code]
    return await _advance(ctx, sheet)


async def _advance(ctx: Context, sheet: Sheet) -> list[Reply]:
    codes = [c.code for c in sheet.criteria]
    data = ctx.state.data
    following = [
        i
        for i in range(data["i"] + 1, len(codes))
        if codes[i] not in data["answers"] and codes[i] not in data["skipped"]
    ]
    if following:
        data["i"] = following[0]
    else:
        skipped = [i for i, code in enumerate(codes) if code in data["skipped"]]
        unanswered = [
            i
            for i, code in enumerate(codes)
            if code not in data["answers"] and code not in data["skipped"]
        ]
        if unanswered:
            data["i"] = unanswered[0]
        elif skipped and not data.get("asked_skipped"):
            data["asked_skipped"] = True
            data["i"] = skipped[0]
            _save_progress(ctx)
            return [
                Reply(
                    text=ctx.t("assess.skipped_left", count=len(skipped)),
                    buttons=(
                        (Button(ctx.t("assess.answer_skipped"), "as:show"),),
                        (Button(ctx.t("assess.finish_now"), f"as:finish:{data['i']}"),),
                    ),
                )
            ]
        else:
            return _finish(ctx, sheet)
    _save_progress(ctx)
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


def _finish(ctx: Context, sheet: Sheet) -> list[Reply]:
    data = dict(ctx.state.data)
    result = score(sheet, data["answers"])
    ctx.write(
        lambda c, uid: repo.finish_assessment(
            c,
            assessment_id=data["aid"],
            user_id=uid,
            answers=data["answers"],
            total=result.total,
            stars=result.stars,
            parts=result.parts,
            now=ctx.now,
        )
    )
    ctx.state.clear()
    return _result_replies(ctx, result, data["product"], data["aid"])


def _result_replies(ctx: Context, result: Score, product: str, assessment_id: str) -> list[Reply]:
    t, sheet = ctx.t, result.sheet
    lines = [
        t("assess.result_title", product=product),
        t("assess.result_edition", decision=sheet.edition.decision, date=sheet.edition.date),
        " · ".join(
            t(
                "assess.result_part",
                part=p.code,
                points=f"{result.parts[p.code]:g}",
                maximum=f"{p.max_points:g}",
            )
            for p in sheet.parts
        ),
        t("assess.result_total", total=f"{result.total:g}", stars=Safe(_stars(ctx, result.stars))),
    ]
    if result.held_back_by:
        lines.append(t("assess.held_back", codes=", ".join(c.code for c in result.held_back_by)))
    if result.next_star is not None:
        lines.append(
            t(
                "assess.next_star",
                stars=result.next_star.stars,
                points=f"{result.next_star.points_needed:g}",
            )
        )
        for number, fix in enumerate(result.next_star.fixes[:_TOP_FIXES], 1):
            lines.append(_fix_line(ctx, number, fix.criterion, fix.gain, fix.target.text))
    if result.missing:
        lines.append(t("assess.missing", count=len(result.missing)))
    if not sheet.edition.current:
        lines.append(
            t(
                "assess.warn_superseded",
                decision=sheet.edition.decision,
                replaced_by=sheet.edition.superseded_by,
            )
        )
    if sheet.uncertain:
        lines.append(t("assess.warn_unofficial"))
    lines.append(t("assess.estimate_only"))
    chart = score_chart(
        [(p.code, result.parts[p.code], p.max_points) for p in sheet.parts],
        result.total,
        [(stars, minimum) for stars, minimum in sheet.star_thresholds if minimum > 0],
    )
    buttons = (
        (Button(t("assess.dossier_button"), "as:dossier"),),
        (
            Button(t("assess.again"), f"as:set:{sheet.set_code}"),
            Button(t("assess.my_results"), "as:results"),
        ),
        (menu_button(t),),
    )
    return [
        Reply(text="\n".join(lines)),
        Reply(
            text=t("assess.chart_caption"),
            photo=Photo(chart, f"ocop-{assessment_id}.png"),
            buttons=buttons,
        ),
    ]


def _fix_line(ctx: Context, number: int, criterion: Criterion, gain: float, target: str) -> str:
    evidence = criterion.evidence_en if ctx.user.locale == "en" else criterion.evidence_vi
    line = ctx.t(
        "assess.fix",
        number=number,
        code=criterion.code,
        text=criterion.text,
        gain=f"{gain:g}",
        target=target,
    )
    return line + (ctx.t("assess.fix_evidence", evidence=evidence) if evidence else "")


async def results(ctx: Context, msg: Incoming) -> list[Reply]:
    """`/ketqua`: the user's finished assessments, and how the latest two compare."""
    return await _results(ctx)


async def _results(ctx: Context) -> list[Reply]:
    done = (
        []
        if ctx.user.id is None
        else await ctx.read(partial(repo.finished_assessments, user_id=ctx.user.id, limit=5))
    )
    if not done:
        return [
            Reply(
                text=ctx.t("assess.no_results"),
                buttons=(
                    (Button(ctx.t("menu.assess"), "as:start"),),
                    (menu_button(ctx.t),),
                ),
            )
        ]
    lines = [ctx.t("assess.results_title")]
    rows = []
    for item in done:
        when = item.finished_at.date().isoformat() if item.finished_at else ""
        lines.append(
            ctx.t(
                "assess.results_line",
                date=when,
                product=item.product_name,
                total=f"{item.total or 0:g}",
                stars=Safe(_stars(ctx, item.stars or 0)),
            )
        )
        rows.append((Button(f"{when} · {item.product_name}"[:60], f"as:res:{item.id}"),))
    if len(done) >= 2:
        latest, previous = done[0], done[1]
        deltas = ", ".join(
            f"{code} {latest.parts.get(code, 0) - previous.parts.get(code, 0):+g}"
            for code in sorted(set(latest.parts) | set(previous.parts))
        )
        lines.append(
            ctx.t(
                "assess.compare",
                total=f"{(latest.total or 0) - (previous.total or 0):+g}",
                parts=deltas,
            )
        )
        if latest.sheet_key.split("#")[0] != previous.sheet_key.split("#")[0]:
            lines.append(ctx.t("assess.compare_other_sheet"))
    rows.append((menu_button(ctx.t),))
    return [Reply(text="\n".join(lines), buttons=tuple(rows))]


async def _show_result(ctx: Context, assessment_id: str) -> list[Reply]:
    if ctx.user.id is None:
        return await _results(ctx)
    found = await ctx.read(
        partial(repo.get_assessment, assessment_id=assessment_id, user_id=ctx.user.id)
    )
    sheet = None if found is None else await sheet_by_key(ctx.db, found.sheet_key)  # type: ignore[arg-type]
    if found is None or sheet is None or found.status != "done":
        return await _results(ctx)
    return _result_replies(ctx, score(sheet, found.answers), found.product_name, found.id)


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
            buttons=tuple((Button(_name(ctx, sets[c]), f"as:go:{c}"),) for c in ready),
        )
    ]
