"""The 34 provinces of 2025 and every name users type for them: old provinces, aliases, typos."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from rapidfuzz import fuzz, process

from knowledge.text import fold

_PREFIXES = ("tinh ", "thanh pho ", "tp ", "thu do ", "province ", "city ")
_FUZZY_CUTOFF = 80.0


@dataclass(frozen=True, slots=True)
class Province:
    """A province-level unit in force since 1 July 2025."""

    code: int
    name: str
    kind: str
    merged_from: tuple[str, ...]
    aliases: tuple[str, ...]
    lat: float
    lon: float
    absorbed: tuple[str, ...] = ()
    """Provinces merged in before 2025 ("Hà Tây", 2008) whose former bounds the data lacks."""


@dataclass(frozen=True, slots=True)
class ProvinceMatch:
    """A province found for what the user typed; `old_name` is set when they used a former one."""

    province: Province
    score: float
    old_name: str | None = None


def _strip_prefix(key: str) -> str:
    for prefix in _PREFIXES:
        if key.startswith(prefix):
            return key.removeprefix(prefix)
    return key


@cache
def provinces() -> tuple[Province, ...]:
    """All 34 provinces, in the official code order."""
    raw = json.loads(
        resources.files("knowledge").joinpath("data/provinces_2025.json").read_text("utf-8")
    )
    return tuple(
        Province(
            code=item["code"],
            name=item["name"],
            kind=item["type"],
            merged_from=tuple(item["merged_from"]),
            aliases=tuple(item["aliases"]),
            lat=item["lat"],
            lon=item["lon"],
            absorbed=tuple(item.get("absorbed", ())),
        )
        for item in raw["provinces"]
    )


@cache
def _index() -> dict[str, tuple[Province, str | None]]:
    """Folded key → (province, former name or None). Keys are also indexed without spaces."""
    index: dict[str, tuple[Province, str | None]] = {}
    for province in provinces():
        names: list[tuple[str, str | None]] = [(province.name, None)]
        names += [(old, old) for old in province.merged_from if fold(old) != fold(province.name)]
        names += [(alias, None) for alias in province.aliases]
        for name, old in names:
            key = _strip_prefix(fold(name))
            for variant in (key, key.replace(" ", "")):
                index.setdefault(variant, (province, old))
    return index


def by_code(code: int) -> Province | None:
    """The province with this official code, if any."""
    return next((p for p in provinces() if p.code == code), None)


_SAID = re.compile(
    r"^(?:(?:(?:toi|em|e|minh|chung toi)|(?:que|nha) (?:toi|em|e|minh)) )?"
    r"(?:(?:dang |thi )?(?:o|song o|sinh song o|den tu|tu|la nguoi) )"
    r"|^(?:i am|im|i m|we are) from |^(?:i|we) live in |^from "
)
_PARTICLES = re.compile(r"(?: (?:a|nhe|nha|ne|nhe a))+$")


def _name_said(key: str) -> str:
    """The name in a sentence typed where a province is asked ("mình ở Bến Tre ạ", "quê em ở
    Hà Giang nhé", "I live in Hanoi"), or the text as it is."""
    return _PARTICLES.sub("", _SAID.sub("", key, count=1))


def find_province(text: str, *, limit: int = 3) -> list[ProvinceMatch]:
    """Provinces matching a typed name, said alone or in a sentence, best first; an exact
    (folded) name gives one match."""
    key = _strip_prefix(_name_said(fold(text)))
    if not key:
        return []
    index = _index()
    for variant in (key, key.replace(" ", "")):
        if variant in index:
            province, old = index[variant]
            return [ProvinceMatch(province=province, score=100.0, old_name=old)]
    found = process.extract(
        key, list(index), scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF, limit=limit * 4
    )
    if not found and len(key) >= 3:
        # A name cut short ("quang") suggests every province it starts.
        found = [(choice, 90.0, 0) for choice in index if choice.startswith(key)]
    matches: list[ProvinceMatch] = []
    for choice, score, _ in found:
        province, old = index[choice]
        if all(m.province.code != province.code for m in matches):
            matches.append(ProvinceMatch(province=province, score=score, old_name=old))
    return matches[:limit]


@dataclass(frozen=True, slots=True)
class ProvinceReading:
    """What a typed province name is taken for: one province for sure, or provinces to ask
    about ("which one?"), or neither (not recognised: decline)."""

    sure: ProvinceMatch | None
    choices: tuple[ProvinceMatch, ...] = ()


def read_province(text: str) -> ProvinceReading:
    """A typed province name read where a province is asked: sure only when it names one."""
    matches = find_province(text)
    if len(matches) == 1 and matches[0].score == 100:
        return ProvinceReading(matches[0])
    return ProvinceReading(None, tuple(matches))


@dataclass(frozen=True, slots=True)
class Commune:
    """A commune, ward or special zone of 2025, with its official point."""

    code: int
    province_code: int
    kind: str
    name: str
    lat: float
    lon: float


@cache
def communes() -> tuple[Commune, ...]:
    """The 3,321 communes of 2025 (sapnhap.bando.com.vn points)."""
    text = resources.files("knowledge").joinpath("data/communes_2025.csv").read_text("utf-8")
    return tuple(
        Commune(
            int(r["code"]),
            int(r["province_code"]),
            r["type"],
            r["name"],
            float(r["lat"]),
            float(r["lon"]),
        )
        for r in csv.DictReader(io.StringIO(text))
    )
