"""OCOP criteria as data: editions, product sets, scoring sheets, and the checks a sheet must pass.

Bundled files (this folder) hold what cited sources state; an OCOP office loads official sheets
with `ocop-bot criteria import`, which the bot stores in its database and reads through
`Sheet.from_dict` like the bundled ones.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from rapidfuzz import fuzz, process

from knowledge.text import fold


class SheetError(ValueError):
    """A sheet is malformed; the message lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Option:
    """One answer to a criterion and the points it earns."""

    text: str
    points: float


@dataclass(frozen=True, slots=True)
class Criterion:
    """One scored question of a sheet.

    `requirements`: (stars, minimum points) pairs: to earn that star level (or higher) the
    answer must score at least that much here. In the sheets they come from marked options
    ("***" = 3 sao: at least this option) and marked criteria (at least its lowest scoring option).
    """

    code: str
    text: str
    options: tuple[Option, ...]
    note: str = ""
    evidence_vi: str = ""
    evidence_en: str = ""
    requirements: tuple[tuple[int, float], ...] = ()

    @property
    def max_points(self) -> float:
        """The most this criterion can earn."""
        return max(o.points for o in self.options)

    @property
    def mandatory_for(self) -> int | None:
        """The lowest star level with a requirement on this criterion."""
        return min((stars for stars, _ in self.requirements), default=None)


@dataclass(frozen=True, slots=True)
class Part:
    """A part (A, B, C) of a sheet with its criteria."""

    code: str
    name: str
    max_points: float
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True, slots=True)
class Edition:
    """A decision that defines criteria: its date, status and scoring frame."""

    code: str
    decision: str
    date: str
    status: str
    star_thresholds: tuple[tuple[int, float], ...]
    """(stars, minimum total), highest first."""
    parts: tuple[tuple[str, str, float], ...]
    """(code, name, max points) of each part."""
    superseded_by: str = ""

    @property
    def current(self) -> bool:
        """True for the edition in force."""
        return self.status == "current"


@dataclass(frozen=True, slots=True)
class ProductSet:
    """A product set (phân nhóm / bộ sản phẩm) of an edition."""

    code: str
    name: str
    name_en: str
    group: str
    group_en: str
    edition: str
    keywords: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Sheet:
    """The scoring sheet of one product set under one edition."""

    set_code: str
    name: str
    edition: Edition
    source: str
    parts: tuple[Part, ...]
    star_thresholds: tuple[tuple[int, float], ...]
    uncertain: bool
    key: str
    """Names this exact content (set, edition, hash), so old assessments stay readable."""

    @property
    def criteria(self) -> list[Criterion]:
        """Every criterion in sheet order."""
        return [c for part in self.parts for c in part.criteria]

    def part_of(self, criterion_code: str) -> Part:
        """The part a criterion belongs to."""
        return next(p for p in self.parts if any(c.code == criterion_code for c in p.criteria))

    def criterion(self, code: str) -> Criterion | None:
        """The criterion with this code, if any."""
        return next((c for c in self.criteria if c.code == code), None)

    @staticmethod
    def from_dict(data: dict[str, Any]) -> Sheet:
        """Build and check a sheet; raise SheetError listing every problem."""
        problems = check_sheet(data)
        if problems:
            raise SheetError(problems)
        edition = editions()[data["edition"]["code"]]
        parts = tuple(
            Part(
                code=p["code"],
                name=p["name"],
                max_points=float(p["max_points"]),
                criteria=tuple(
                    Criterion(
                        code=c["code"],
                        text=c["text"],
                        note=c.get("note", ""),
                        options=tuple(Option(o["text"], float(o["points"])) for o in c["options"]),
                        evidence_vi=(c.get("evidence") or {}).get("vi", ""),
                        evidence_en=(c.get("evidence") or {}).get("en", ""),
                        requirements=_requirements(c),
                    )
                    for c in p["criteria"]
                ),
            )
            for p in data["parts"]
        )
        thresholds = tuple(
            sorted(
                ((th["stars"], float(th["min"])) for th in data["star_thresholds"]), reverse=True
            )
        )
        digest = hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode())
        return Sheet(
            set_code=data["set"],
            name=data["name"],
            edition=edition,
            source=data["source"],
            parts=parts,
            star_thresholds=thresholds,
            uncertain=bool(data.get("uncertain")),
            key=f"{data['set']}@{edition.code}#{digest.hexdigest()[:12]}",
        )


def _requirements(criterion: dict[str, Any]) -> tuple[tuple[int, float], ...]:
    pairs = [
        (o["required_for"], float(o["points"]))
        for o in criterion["options"]
        if o.get("required_for")
    ]
    if criterion.get("required_for"):
        positive = [float(o["points"]) for o in criterion["options"] if o["points"] > 0]
        pairs.append((criterion["required_for"], min(positive, default=0.0)))
    return tuple(sorted(pairs))


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
    if data["edition"].get("status") != edition.status:
        problems.append(
            f"edition status {data['edition'].get('status')!r} differs from {edition.decision}'s "
            f"{edition.status!r}"
        )
    if data["set"] not in product_sets():
        problems.append(f"unknown product set {data['set']!r}")
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
        total += max(o["points"] for o in options)
    if maximum is not None and not problems and abs(total - maximum) > 1e-9:
        problems.append(f"part {code}: best options sum to {total:g}, not its maximum {maximum:g}")
    return problems


@cache
def _catalogue() -> dict[str, Any]:
    text = resources.files("knowledge.criteria").joinpath("catalogue.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


@cache
def editions() -> dict[str, Edition]:
    """Every known edition by code ("148", "1048")."""
    return {
        e["code"]: Edition(
            code=e["code"],
            decision=e["decision"],
            date=e["date"],
            status=e["status"],
            star_thresholds=tuple(
                sorted(
                    ((th["stars"], float(th["min"])) for th in e["star_thresholds"]), reverse=True
                )
            ),
            parts=tuple((p["code"], p["name"], float(p["max_points"])) for p in e["parts"]),
            superseded_by=e.get("superseded_by", ""),
        )
        for e in _catalogue()["editions"]
    }


def current_edition() -> Edition:
    """The edition in force."""
    return next(e for e in editions().values() if e.current)


@cache
def product_sets() -> dict[str, ProductSet]:
    """Every product set of every edition, by code, current edition first."""
    sets: dict[str, ProductSet] = {}
    ordered = sorted(_catalogue()["editions"], key=lambda e: e["status"] != "current")
    for edition in ordered:
        for group in edition["groups"]:
            for item in group["sets"]:
                sets[item["code"]] = ProductSet(
                    code=item["code"],
                    name=item["name"],
                    name_en=item["name_en"],
                    group=group["name"],
                    group_en=group["name_en"],
                    edition=edition["code"],
                    keywords=tuple(item.get("keywords", ())),
                )
    return sets


def groups(edition_code: str) -> list[tuple[str, str, str, list[ProductSet]]]:
    """(code, name, English name, sets) of each group of an edition, in catalogue order."""
    edition = next(e for e in _catalogue()["editions"] if e["code"] == edition_code)
    sets = product_sets()
    return [
        (g["code"], g["name"], g["name_en"], [sets[s["code"]] for s in g["sets"]])
        for g in edition["groups"]
    ]


@cache
def bundled_documents() -> dict[str, dict[str, Any]]:
    """The sheet documents shipped in `knowledge/criteria/sheets/`, by product set code."""
    folder = resources.files("knowledge.criteria").joinpath("sheets")
    documents = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            document = json.loads(entry.read_text("utf-8"))
            documents[document["set"]] = document
    return documents


@cache
def bundled_sheets() -> dict[str, Sheet]:
    """The bundled sheets, by product set code."""
    return {code: Sheet.from_dict(doc) for code, doc in bundled_documents().items()}


def check_bundled() -> dict[str, list[str]]:
    """Problems of each bundled sheet file, by file name (empty lists when all are sound)."""
    folder = resources.files("knowledge.criteria").joinpath("sheets")
    report: dict[str, list[str]] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            try:
                report[entry.name] = check_sheet(json.loads(entry.read_text("utf-8")))
            except json.JSONDecodeError as exc:
                report[entry.name] = [f"not valid JSON: {exc}"]
    return report


@dataclass(frozen=True, slots=True)
class SetMatch:
    """A product set found for a typed product name."""

    product_set: ProductSet
    score: float


def find_sets(text: str, *, limit: int = 5) -> list[SetMatch]:
    """Product sets for a typed product ("mật ong", "nuoc mam", "tea"), best first; sets of the
    current edition rank before superseded ones of the same score."""
    query = fold(text)
    if not query:
        return []
    keys: list[tuple[str, str]] = []
    for item in product_sets().values():
        for name in (item.name, item.name_en, *item.keywords):
            keys.append((fold(name), item.code))
    found = process.extract(
        query, [k for k, _ in keys], scorer=fuzz.WRatio, score_cutoff=80, limit=limit * 6
    )
    best: dict[str, float] = {}
    for _, score, index in found:
        code = keys[index][1]
        best[code] = max(best.get(code, 0.0), float(score))
    sets = product_sets()
    ranked = sorted(
        best.items(), key=lambda kv: (-kv[1], sets[kv[0]].edition != current_edition().code)
    )
    return [SetMatch(sets[code], score) for code, score in ranked[:limit]]
