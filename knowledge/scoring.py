"""Scoring a self-assessment: points per part, the star a total earns under its edition's
thresholds and mandatory rules, and what would lift the product to the next star."""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.criteria import Criterion, Option, Sheet


class AnswerError(ValueError):
    """An answer names a criterion or option the sheet does not have."""


@dataclass(frozen=True, slots=True)
class Fix:
    """Moving one criterion from its current option to a better one."""

    criterion: Criterion
    part: str
    current_points: float
    target: Option
    gain: float


@dataclass(frozen=True, slots=True)
class NextStar:
    """What stands between the product and the next star level."""

    stars: int
    points_needed: float
    mandatory: tuple[Criterion, ...]
    """Mandatory criteria of that level not yet met (they block it whatever the total)."""
    fixes: tuple[Fix, ...]
    """The fewest largest fixes that cover `points_needed` (and the mandatory ones)."""


@dataclass(frozen=True, slots=True)
class Score:
    """The result of scoring answers against a sheet."""

    sheet: Sheet
    parts: dict[str, float]
    total: float
    stars: int
    """0 below the lowest threshold of the edition."""
    held_back_by: tuple[Criterion, ...]
    """Mandatory criteria that keep the total from earning a higher star."""
    missing: tuple[str, ...]
    """Criteria with no answer (counted as 0)."""
    fixes: tuple[Fix, ...]
    """Every possible improvement, largest gain first."""
    next_star: NextStar | None


def _points(criterion: Criterion, answers: dict[str, int]) -> float:
    index = answers.get(criterion.code)
    return 0.0 if index is None else criterion.options[index].points


def _unmet(criterion: Criterion, stars: int, answers: dict[str, int]) -> bool:
    """True when a requirement of `stars` or a lower level is not met by the answer."""
    return any(
        level <= stars and (criterion.code not in answers or _points(criterion, answers) < minimum)
        for level, minimum in criterion.requirements
    )


def validate_answers(sheet: Sheet, answers: dict[str, int]) -> None:
    """Raise AnswerError naming the first unknown criterion or out-of-range option."""
    for code, index in answers.items():
        criterion = sheet.criterion(code)
        if criterion is None:
            raise AnswerError(f"unknown criterion {code!r} in sheet {sheet.set_code}")
        if (
            not isinstance(index, int)
            or isinstance(index, bool)
            or not 0 <= index < len(criterion.options)
        ):
            raise AnswerError(
                f"criterion {code!r} has options 0-{len(criterion.options) - 1}, not {index!r}"
            )


def score(sheet: Sheet, answers: dict[str, int]) -> Score:
    """Score `answers` (criterion code → option index, 0-based) against `sheet`."""
    validate_answers(sheet, answers)
    parts = {part.code: sum(_points(c, answers) for c in part.criteria) for part in sheet.parts}
    total = sum(parts.values())
    by_points = next((s for s, minimum in sheet.star_thresholds if total >= minimum), 0)
    stars = by_points
    held_back: list[Criterion] = []
    while stars > 0:
        unmet = [c for c in sheet.criteria if _unmet(c, stars, answers)]
        if not unmet:
            break
        held_back = unmet
        stars = next((s for s, _ in sheet.star_thresholds if s < stars), 0)
    fixes = sorted(
        (
            Fix(
                criterion=c,
                part=sheet.part_of(c.code).code,
                current_points=_points(c, answers),
                target=max(c.options, key=lambda o: o.points),
                gain=c.max_points - _points(c, answers),
            )
            for c in sheet.criteria
            if c.max_points > _points(c, answers)
        ),
        key=lambda f: (-f.gain, f.criterion.code),
    )
    return Score(
        sheet=sheet,
        parts=parts,
        total=total,
        stars=stars,
        held_back_by=tuple(held_back),
        missing=tuple(c.code for c in sheet.criteria if c.code not in answers),
        fixes=tuple(fixes),
        next_star=_next_star(sheet, answers, total, stars, fixes),
    )


def _next_star(
    sheet: Sheet, answers: dict[str, int], total: float, stars: int, fixes: list[Fix]
) -> NextStar | None:
    higher = [(s, m) for s, m in sheet.star_thresholds if s > stars]
    if not higher:
        return None
    target, minimum = min(higher)
    mandatory = tuple(c for c in sheet.criteria if _unmet(c, target, answers))
    needed = max(0.0, minimum - total)
    chosen = [f for f in fixes if f.criterion in mandatory]
    covered = sum(f.gain for f in chosen)
    for fix in fixes:
        if covered >= needed:
            break
        if fix not in chosen:
            chosen.append(fix)
            covered += fix.gain
    return NextStar(stars=target, points_needed=needed, mandatory=mandatory, fixes=tuple(chosen))
