"""Scoring a self-assessment: disqualifying conditions, points per part, the star band and the
minimums that hold it back, whether that band is certified and by whom, and a plan to each star
above it.

Answers map a criterion code to an option index (0-based). A disqualifier code ("L1") maps to
1 when the condition applies (the dossier is rejected) and 0 when it does not.
"""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.criteria import Criterion, Disqualifier, Option, Sheet
from knowledge.text import fold

PROVINCE = "province"
MINISTRY = "ministry"
_WHO_THE_PRODUCER_IS = ("loai hinh to chuc", "dai dien phap luat")
"""Criteria that say who the producer is (3.1 its legal form, 3.2 its legal representative in
every QĐ 26 sheet), not what it does: a plan changes them only when nothing else is left."""
_FORMS = (("ho ", "household"), ("htx", "cooperative"), ("cong ty", "company"))
"""How the options of 3.1 "Loại hình tổ chức sản xuất - kinh doanh" begin, by the producer's
legal form (every QĐ 26 sheet: household first, then company, then cooperative)."""
_ONLY_WITH_STORY = "chi ap dung khi co cau chuyen san pham"
"""The note of 5.2 "Cấu trúc câu chuyện sản phẩm" in 25 sheets: it counts only with a story."""
_EXPORT = ("xuat khau", "quoc te")
"""Words of the options that ask for export or international standards: what a 5★ product has
("hội tụ điều kiện để xuất khẩu", Điều 3.3.a; 3★ and 4★ ask no such thing, 3.3.b–c)."""


class AnswerError(ValueError):
    """An answer names a criterion or option the sheet does not have."""


@dataclass(frozen=True, slots=True)
class Step:
    """Moving one criterion to a better option."""

    criterion: Criterion
    part: str
    from_points: float
    target: Option
    minimum_for: int | None = None
    """The star level whose minimum this step meets, when it is one."""
    minimum_points: float | None = None
    """The points of that minimum (a merged move may go further than the minimum)."""

    @property
    def gain(self) -> float:
        """Points the step adds."""
        return self.target.points - self.from_points


@dataclass(frozen=True, slots=True)
class StarGap:
    """What stands between the product and one star level above its band."""

    stars: int
    points_needed: float
    """Points short of the band's minimum (0 when the total already reaches it)."""
    minimums: tuple[Step, ...]
    """Starred minimums of this level (or a lower one) not met, each with the least option that
    meets it: they block the level whatever the total."""
    steps: tuple[Step, ...]
    """The plan: the minimums, then one option up at a time until the points suffice (see
    `plan` for the order)."""
    certifier: str
    """Who evaluates and certifies this level: PROVINCE, MINISTRY, or "" (not certified)."""

    @property
    def adds(self) -> float:
        """Points the plan adds."""
        return sum(step.gain for step in self.steps)

    @property
    def moves(self) -> tuple[Step, ...]:
        """The plan with the steps on one criterion merged (from its answer to its last target),
        in the order each criterion first appears."""
        merged: dict[str, Step] = {}
        for step in self.steps:
            first = merged.get(step.criterion.code)
            merged[step.criterion.code] = (
                step
                if first is None
                else Step(
                    step.criterion,
                    step.part,
                    first.from_points,
                    step.target,
                    first.minimum_for or step.minimum_for,
                    first.minimum_points if first.minimum_for else step.minimum_points,
                )
            )
        return tuple(merged.values())


@dataclass(frozen=True, slots=True)
class Score:
    """The result of scoring answers against a sheet."""

    sheet: Sheet
    parts: dict[str, float]
    total: float
    band: int
    """The band by points alone."""
    stars: int
    """The band reached: points and every starred minimum up to it; 0 when disqualified, or
    below the lowest band of an edition without 1★/2★ bands."""
    disqualified_by: tuple[Disqualifier, ...]
    held_back_by: tuple[Criterion, ...]
    """Criteria whose starred minimum keeps the product below its band by points."""
    missing: tuple[str, ...]
    """Criteria with no answer (counted as 0)."""
    gaps: tuple[StarGap, ...]
    """One per star level above `stars`, lowest first (none when disqualified)."""

    @property
    def certifier(self) -> str:
        """Who certifies the band reached: PROVINCE (3–4★), MINISTRY (5★) or "" (none)."""
        return certifier(self.sheet, self.stars)

    @property
    def certifiable(self) -> bool:
        """True when the band is recognised and certified (QĐ 26/2026 Điều 4.1.a: from 3★)."""
        return bool(self.certifier)

    @property
    def next_star(self) -> StarGap | None:
        """The gap to the next star level, if there is one."""
        return self.gaps[0] if self.gaps else None


def certifier(sheet: Sheet, stars: int) -> str:
    """Who evaluates and certifies `stars` under the sheet's edition (QĐ 26/2026 Điều 4.1)."""
    if stars < sheet.edition.certified_from:
        return ""
    return MINISTRY if stars >= 5 else PROVINCE


def _points(criterion: Criterion, answers: dict[str, int]) -> float:
    index = answers.get(criterion.code)
    return 0.0 if index is None else criterion.options[index].points


def _story(sheet: Sheet, criterion: Criterion) -> Criterion | None:
    """The story criterion (5.1, the one before it) that `criterion` counts only with, when its
    note says "Chỉ áp dụng khi có câu chuyện sản phẩm"."""
    if not fold(criterion.note).startswith(_ONLY_WITH_STORY):
        return None
    criteria = sheet.part_of(criterion.code).criteria
    at = criteria.index(criterion)
    return criteria[at - 1] if at else None


def counted(sheet: Sheet, answers: dict[str, int]) -> dict[str, float]:
    """The points each criterion counts: its answer's, but 0 for a criterion that applies only
    with a story (5.2) while the story criterion (5.1) earns nothing."""
    points = {c.code: _points(c, answers) for c in sheet.criteria}
    for criterion in sheet.criteria:
        story = _story(sheet, criterion)
        if story is not None and points[story.code] <= 0:
            points[criterion.code] = 0.0
    return points


def _case(criterion: Criterion, answers: dict[str, int]) -> str | None:
    """The case the producer answered in, for "one of two cases" criteria (None: any case)."""
    index = answers.get(criterion.code)
    return (
        None
        if index is None or criterion.kind != "one_of_cases"
        else criterion.options[index].case
    )


def _unmet(
    criterion: Criterion, stars: int, answers: dict[str, int], points: dict[str, float]
) -> bool:
    """True when a requirement of `stars` or a lower level is not met by the answer."""
    return points[criterion.code] < criterion.minimum_for(stars) or (
        criterion.minimum_for(stars) > 0 and criterion.code not in answers
    )


def validate_answers(sheet: Sheet, answers: dict[str, int]) -> None:
    """Raise AnswerError naming the first unknown criterion or out-of-range option."""
    conditions = {d.code for d in sheet.disqualifiers}
    for code, index in answers.items():
        if not isinstance(index, int) or isinstance(index, bool):
            raise AnswerError(f"answer to {code!r} must be an option index, not {index!r}")
        if code in conditions:
            if index not in (0, 1):
                raise AnswerError(f"condition {code!r} takes 0 (does not apply) or 1 (applies)")
            continue
        criterion = sheet.criterion(code)
        if criterion is None:
            raise AnswerError(f"unknown criterion {code!r} in sheet {sheet.set_code}")
        if not 0 <= index < len(criterion.options):
            raise AnswerError(
                f"criterion {code!r} has options 0-{len(criterion.options) - 1}, not {index!r}"
            )


def score(sheet: Sheet, answers: dict[str, int]) -> Score:
    """Score `answers` against `sheet`."""
    validate_answers(sheet, answers)
    points = counted(sheet, answers)
    parts = {part.code: sum(points[c.code] for c in part.criteria) for part in sheet.parts}
    total = sum(parts.values())
    band = sheet.band(total)
    disqualified = tuple(d for d in sheet.disqualifiers if answers.get(d.code) == 1)
    stars = 0 if disqualified else band
    held_back: list[Criterion] = []
    while stars > 0:
        unmet = [c for c in sheet.criteria if _unmet(c, stars, answers, points)]
        if not unmet:
            break
        held_back = held_back or unmet
        stars = next((s for s, _ in sheet.star_thresholds if s < stars), 0)
    gaps = (
        ()
        if disqualified
        else tuple(
            plan(sheet, answers, level)
            for level, _ in sorted(sheet.star_thresholds)
            if level > stars
        )
    )
    return Score(
        sheet=sheet,
        parts=parts,
        total=total,
        band=band,
        stars=stars,
        disqualified_by=disqualified,
        held_back_by=tuple(held_back),
        missing=tuple(c.code for c in sheet.criteria if c.code not in answers),
        gaps=gaps,
    )


def _options_in_case(criterion: Criterion, case: str | None) -> list[Option]:
    return [o for o in criterion.options if case is None or o.case == case]


def _one_up(criterion: Criterion, part: str, points: float, case: str | None) -> Step | None:
    """Moving `criterion` from `points` to the least option above them (in `case`), if any."""
    higher = [o for o in _options_in_case(criterion, case) if o.points > points]
    if not higher:
        return None
    return Step(criterion, part, points, min(higher, key=lambda o: o.points))


def _level_of(criterion: Criterion, points: float) -> int:
    """The highest star level whose starred minimum on `criterion` these points reach (0: none).
    An answer at or above the "*****" option is a 5★ answer (Phụ lục II: "Dấu sao là yêu cầu
    tối thiểu phải đạt theo các cấp độ sao")."""
    return max((stars for stars, least in criterion.requirements if least <= points), default=0)


def _who(criterion: Criterion) -> bool:
    return fold(criterion.text).startswith(_WHO_THE_PRODUCER_IS)


def producer_form(sheet: Sheet, answers: dict[str, int]) -> str:
    """The producer's legal form by its answer to 3.1: "household", "cooperative", "company",
    or "" (not answered, or a sheet without it)."""
    for criterion in sheet.criteria:
        index = answers.get(criterion.code)
        if index is None or not fold(criterion.text).startswith(_WHO_THE_PRODUCER_IS[0]):
            continue
        words = fold(criterion.options[index].text)
        return next((form for start, form in _FORMS if words.startswith(start)), "")
    return ""


def asks_export(step: Step) -> bool:
    """True when the step's option asks for export or international standards."""
    words = fold(step.target.text)
    return any(word in words for word in _EXPORT)


def _beyond(step: Step, stars: int) -> bool:
    """True when the step's option belongs to a higher star than `stars`: at or above another
    level's star mark, or asking for export or international standards below 5★."""
    return _level_of(step.criterion, step.target.points) > stars or (
        stars < 5 and asks_export(step)
    )


def plan(sheet: Sheet, answers: dict[str, int], stars: int) -> StarGap:
    """A way from `answers` to `stars`: every unmet starred minimum of that level (and below)
    first, each at the least option that meets it; then one option up at a time until the total
    reaches the level: first the options within the level, then those beyond it (`_beyond`), then
    the producer's legal form or representative; the largest gain first within each (sheet
    order on ties)."""
    minimum_total = dict(sheet.star_thresholds)[stars]
    criteria = sheet.criteria
    points = counted(sheet, answers)
    total = sum(points.values())
    minimums: list[Step] = []
    for criterion in criteria:
        need = criterion.minimum_for(stars)
        if need <= 0 or (points[criterion.code] >= need and criterion.code in answers):
            continue
        choices = [
            o for o in _options_in_case(criterion, _case(criterion, answers)) if o.points >= need
        ]
        target = min(choices, key=lambda o: o.points)
        level = min(level for level, m in criterion.requirements if level <= stars and m == need)
        minimums.append(
            Step(
                criterion,
                sheet.part_of(criterion.code).code,
                points[criterion.code],
                target,
                level,
                target.points,
            )
        )
        points[criterion.code] = target.points
    steps = list(minimums)
    planned = {step.criterion.code: step.target for step in minimums}

    stories = {c.code: _story(sheet, c) for c in criteria}

    def one_up(criterion: Criterion) -> Step | None:
        story = stories[criterion.code]
        if story is not None and points[story.code] <= 0:
            return None  # nothing to structure before there is a story
        case = planned[criterion.code].case if criterion.code in planned else None
        case = case or _case(criterion, answers)
        part = sheet.part_of(criterion.code).code
        return _one_up(criterion, part, points[criterion.code], case or None)

    # Each criterion's next step changes only when that criterion (or its story) moves.
    candidates = [one_up(criterion) for criterion in criteria]
    running = sum(points.values())

    def rank(step: Step) -> tuple[bool, bool, float]:
        return (_who(step.criterion), _beyond(step, stars), -step.gain)

    while running < minimum_total:
        best: Step | None = None
        at = 0
        for n, step in enumerate(candidates):
            if step is not None and (best is None or rank(step) < rank(best)):
                best, at = step, n
        if best is None:
            break
        steps.append(best)
        planned[best.criterion.code] = best.target
        points[best.criterion.code] = best.target.points
        running += best.gain
        candidates[at] = one_up(best.criterion)
        for n, criterion in enumerate(criteria):
            story = stories[criterion.code]
            if story is not None and story.code == best.criterion.code:
                candidates[n] = one_up(criterion)
    return StarGap(
        stars=stars,
        points_needed=max(0.0, minimum_total - total),
        minimums=tuple(minimums),
        steps=tuple(steps),
        certifier=certifier(sheet, stars),
    )
