"""The checks a sheet document must pass before the bot scores with it."""

from __future__ import annotations

from typing import Any

from knowledge.criteria.catalogue import editions, product_sets
from knowledge.criteria.model import Edition

_KINDS = ("", "yes_no", "one_of_cases")


class SheetError(ValueError):
    """A sheet is malformed; the message lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def check_sheet(data: Any) -> list[str]:
    """Every problem of a sheet document, each naming where it is; [] when it is sound."""
    if not isinstance(data, dict):
        return ["the sheet is not a JSON object"]
    problems = [
        f"missing field '{name}'"
        for name in ("set", "name", "edition", "source", "parts", "star_thresholds")
        if not data.get(name)
    ]
    if problems:
        return problems
    edition = editions().get((data["edition"] or {}).get("code", ""))
    if edition is None:
        return [
            f"unknown edition {data['edition'].get('code')!r} (known: {', '.join(editions())})"
        ]
    product_set = product_sets().get(data["set"])
    if product_set is None:
        problems.append(f"unknown product set {data['set']!r}")
    elif product_set.edition != edition.code:
        problems.append(f"product set {data['set']!r} belongs to edition {product_set.edition}")
    problems += _check_thresholds(data["star_thresholds"], edition)
    expected = {code: maximum for code, _, maximum in edition.parts}
    seen_parts = [str(p.get("code")) for p in data["parts"] if isinstance(p, dict)]
    if sorted(seen_parts) != sorted(expected):
        problems.append(f"parts are {seen_parts}, {edition.decision} has {sorted(expected)}")
    codes: set[str] = set()
    for part in data["parts"]:
        if not isinstance(part, dict):
            problems.append("a part is not an object")
            continue
        problems += _check_part(part, expected.get(str(part.get("code"))), codes)
    problems += _check_disqualifiers(data.get("disqualifiers", []), codes)
    return problems


def _check_disqualifiers(items: Any, codes: set[str]) -> list[str]:
    if not isinstance(items, list):
        return ["disqualifiers must be a list of {code, text}"]
    problems = []
    for item in items:
        if not (isinstance(item, dict) and item.get("code") and item.get("text")):
            problems.append("a disqualifier needs code and text")
        elif item["code"] in codes:
            problems.append(f"disqualifier code {item['code']!r} used twice")
        else:
            codes.add(item["code"])
    return problems


def _check_thresholds(thresholds: Any, edition: Edition) -> list[str]:
    if not isinstance(thresholds, list) or not all(
        isinstance(th, dict) and isinstance(th.get("stars"), int) and _is_number(th.get("min"))
        for th in thresholds
    ):
        return ["star_thresholds must be a list of {stars, min}"]
    pairs = sorted(((th["stars"], th["min"]) for th in thresholds), reverse=True)
    problems = []
    if len({s for s, _ in pairs}) != len(pairs):
        problems.append("star_thresholds name a star level twice")
    if any(low >= high for (_, high), (_, low) in zip(pairs, pairs[1:], strict=False)):
        problems.append("star_thresholds must rise with the stars")
    if tuple((s, float(m)) for s, m in pairs) != edition.star_thresholds:
        problems.append(f"star_thresholds differ from {edition.decision}'s")
    return problems


def _check_part(part: dict[str, Any], maximum: float | None, codes: set[str]) -> list[str]:
    code = part.get("code")
    problems = []
    if maximum is not None and part.get("max_points") != maximum:
        problems.append(
            f"part {code}: max_points {part.get('max_points')} but the edition says {maximum}"
        )
    criteria = part.get("criteria")
    if not isinstance(criteria, list) or not criteria:
        return [*problems, f"part {code}: no criteria"]
    total = 0.0
    for criterion in criteria:
        where = f"part {code}, criterion {criterion.get('code')!r}"
        if not criterion.get("code") or not criterion.get("text"):
            problems.append(f"{where}: code and text are required")
            continue
        if criterion["code"] in codes:
            problems.append(f"{where}: code used twice")
        codes.add(criterion["code"])
        options = criterion.get("options")
        if not isinstance(options, list) or len(options) < 2:
            problems.append(f"{where}: needs at least two options")
            continue
        bad = [
            i
            for i, o in enumerate(options, 1)
            if not (
                isinstance(o, dict)
                and o.get("text")
                and _is_number(o.get("points"))
                and o["points"] >= 0
            )
        ]
        if bad:
            problems.append(f"{where}: option {bad[0]} needs text and points ≥ 0")
            continue
        marks = [criterion.get("required_for")] + [o.get("required_for") for o in options]
        if any(mark not in (None, 1, 2, 3, 4, 5) for mark in marks):
            problems.append(f"{where}: required_for must be a star level 1-5")
        kind = criterion.get("kind", "")
        if kind not in _KINDS:
            problems.append(
                f"{where}: kind must be one of {', '.join(k or '(none)' for k in _KINDS)}"
            )
        cases = {o.get("case", "") for o in options}
        if kind == "one_of_cases" and (len(cases) < 2 or "" in cases):
            problems.append(f"{where}: a one_of_cases criterion needs a case on every option")
        elif kind != "one_of_cases" and cases != {""}:
            problems.append(f"{where}: options name cases but kind is not one_of_cases")
        total += max(o["points"] for o in options)
    if maximum is not None and not problems and abs(total - maximum) > 1e-9:
        problems.append(f"part {code}: best options sum to {total:g}, not its maximum {maximum:g}")
    return problems
