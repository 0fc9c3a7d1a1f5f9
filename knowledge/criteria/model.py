"""The shapes of OCOP criteria: editions, product sets, sheets, criteria, options and the
conditions that reject a dossier."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True, slots=True)
class Option:
    """One answer to a criterion and the points it earns.

    `required_for`: the star level this option is the minimum for (the sheets' "***" marks);
    `case`: for "choose one of two cases" criteria, the case the option belongs to.
    """

    text: str
    points: float
    required_for: int | None = None
    case: str = ""


@dataclass(frozen=True, slots=True)
class Criterion:
    """One scored question of a sheet.

    `requirements`: (stars, minimum points) pairs: to earn that star level (or higher) the
    answer must score at least that much here ("***" = 3 sao: at least this option).
    `kind`: "" (options printed), "yes_no" (printed without options: Không 0 / Có max), or
    "one_of_cases" (options of two cases; the producer answers in the case that fits).
    """

    code: str
    text: str
    options: tuple[Option, ...]
    note: str = ""
    evidence_vi: str = ""
    evidence_en: str = ""
    requirements: tuple[tuple[int, float], ...] = ()
    kind: str = ""
    section: str = ""

    @property
    def max_points(self) -> float:
        """The most this criterion can earn."""
        return max(o.points for o in self.options)

    @property
    def mandatory_for(self) -> int | None:
        """The lowest star level with a requirement on this criterion."""
        return min((stars for stars, _ in self.requirements), default=None)

    def minimum_for(self, stars: int) -> float:
        """The least points this criterion needs for `stars` (0 when it has no requirement)."""
        return max((m for level, m in self.requirements if level <= stars), default=0.0)


@dataclass(frozen=True, slots=True)
class Disqualifier:
    """A condition that rejects the dossier outright ("Hồ sơ bị loại khi: …")."""

    code: str
    text: str
    text_en: str = ""


@dataclass(frozen=True, slots=True)
class Part:
    """A part (A, B, C) of a sheet with its criteria."""

    code: str
    name: str
    max_points: float
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True, slots=True)
class Edition:
    """A decision that defines criteria, the dates it holds between, and its scoring frame."""

    code: str
    decision: str
    signed_on: str
    """The day it was signed (ISO)."""
    in_force_from: date
    lapses_on: date | None
    star_thresholds: tuple[tuple[int, float], ...]
    """(stars, minimum total), highest first."""
    parts: tuple[tuple[str, str, float], ...]
    """(code, name, max points) of each part."""
    superseded_by: str = ""
    certified_from: int = 3
    """The lowest band that is recognised and certified (QĐ 26/2026 Điều 4.1.a: 3★)."""
    part_names_en: tuple[tuple[str, str], ...] = ()
    """(code, English name) of each part."""
    bands_article: str = ""
    """The article that words the bands ("từ 50 đến dưới 70"), when the edition has one."""

    def status_on(self, day: date) -> str:
        """ "current", "superseded" (lapsed by `day`) or "upcoming" (not yet in force)."""
        if day < self.in_force_from:
            return "upcoming"
        if self.lapses_on is not None and day >= self.lapses_on:
            return "superseded"
        return "current"

    def in_force(self, day: date) -> bool:
        """True when the edition applies on `day`."""
        return self.status_on(day) == "current"

    def band(self, total: float) -> int:
        """The star band a total falls in by points alone (0 below the lowest band)."""
        return next((s for s, minimum in self.star_thresholds if total >= minimum), 0)


@dataclass(frozen=True, slots=True)
class ProductSet:
    """A product set (bộ sản phẩm) of an edition, with its group (nhóm) and sector (ngành)."""

    code: str
    name: str
    name_en: str
    group: str
    group_en: str
    edition: str
    keywords: tuple[str, ...]
    sector: str = ""
    sector_en: str = ""
    successor: str = ""
    """The set of the next edition that replaces this one, if any."""
    made_from: tuple[str, ...] = ()
    """The sets of its raw materials ("Chế biến từ …", Phụ lục I): a product named with both
    ("xoài sấy", "chả cá") is this one."""


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
    disqualifiers: tuple[Disqualifier, ...] = ()
    readings: tuple[str, ...] = ()
    """Misprints of the source and how they were read."""
    _by_code: dict[str, tuple[Part, Criterion]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    """Each criterion and its part by code, built with the sheet (scoring looks them up often)."""

    def __post_init__(self) -> None:
        self._by_code.update({c.code: (p, c) for p in self.parts for c in p.criteria})

    @staticmethod
    def from_dict(data: dict[str, Any]) -> Sheet:
        """Build and check a sheet; raise SheetError listing every problem."""
        from knowledge.criteria.build import sheet_from_dict

        return sheet_from_dict(data)

    @property
    def criteria(self) -> list[Criterion]:
        """Every criterion in sheet order."""
        return [c for part in self.parts for c in part.criteria]

    def part_of(self, criterion_code: str) -> Part:
        """The part a criterion belongs to."""
        return self._by_code[criterion_code][0]

    def criterion(self, code: str) -> Criterion | None:
        """The criterion with this code, if any."""
        found = self._by_code.get(code)
        return None if found is None else found[1]

    def part_name(self, code: str, locale: str) -> str:
        """A part's name in the user's language (the sheet's own name in Vietnamese)."""
        if locale == "en":
            english = dict(self.edition.part_names_en).get(code)
            if english:
                return english
        return next(p.name for p in self.parts if p.code == code)

    def band(self, total: float) -> int:
        """The star band a total falls in by points alone (0 below the lowest band)."""
        return next((s for s, minimum in self.star_thresholds if total >= minimum), 0)
