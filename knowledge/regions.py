"""The 34 provinces of 2025 and every name users type for them: old provinces, aliases, typos."""

from __future__ import annotations

import csv
import io
import json
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


def find_province(text: str, *, limit: int = 3) -> list[ProvinceMatch]:
    """Provinces matching a typed name, best first; an exact (folded) name gives one match."""
    key = _strip_prefix(fold(text))
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
class Commune:
    """A commune, ward or special zone of 2025, with its official point."""

    code: int
    province_code: int
    kind: str
    name: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class NamedPoint:
    """Where a typed place name points: the label to show and the point to search from."""

    label: str
    lat: float
    lon: float
    level: str
    """province, old_province, commune (2025), old_district or old_commune (pre-2025: the middle
    of their 2025 successor communes)."""


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


@cache
def _commune_by_code() -> dict[int, Commune]:
    return {c.code: c for c in communes()}


@cache
def _commune_index() -> dict[str, list[Commune]]:
    index: dict[str, list[Commune]] = {}
    for commune in communes():
        index.setdefault(fold(commune.name), []).append(commune)
    return index


@cache
def _legacy_index() -> tuple[dict[str, tuple[str, set[int]]], dict[str, tuple[str, set[int]]]]:
    """Folded old district and old commune names → (name, codes of the 2025 successor communes)."""
    text = resources.files("knowledge").joinpath("data/legacy_units_2025.csv").read_text("utf-8")
    districts: dict[str, tuple[str, set[int]]] = {}
    old_communes: dict[str, tuple[str, set[int]]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        code = int(row["new_code"])
        for index, name in ((districts, row["old_district"]), (old_communes, row["old_commune"])):
            index.setdefault(fold(name), (name, set()))[1].add(code)
    return districts, old_communes


def _province_hint(key: str) -> tuple[str, int | None]:
    """Split "hoi an quang nam" into ("hoi an", code of the province named at the end)."""
    words = key.split()
    for cut in range(1, min(4, len(words))):
        tail = " ".join(words[-cut:])
        matches = find_province(tail)
        if matches and matches[0].score == 100:
            return " ".join(words[:-cut]), matches[0].province.code
    return key, None


def _centre(codes: set[int], province: int | None) -> tuple[float, float, int] | None:
    """The mean point of the successor communes, when they lie in one province (else None)."""
    chosen = [_commune_by_code()[c] for c in codes if c in _commune_by_code()]
    if province is not None:
        chosen = [c for c in chosen if c.province_code == province]
    provinces_seen = {c.province_code for c in chosen}
    if not chosen or len(provinces_seen) != 1:
        return None
    return (
        sum(c.lat for c in chosen) / len(chosen),
        sum(c.lon for c in chosen) / len(chosen),
        provinces_seen.pop(),
    )


def _old_province_centre(name: str) -> tuple[float, float] | None:
    """The middle of the 2025 communes that replaced a pre-2025 province's communes."""
    codes = _legacy_provinces().get(fold(name), set())
    chosen = [_commune_by_code()[c] for c in codes if c in _commune_by_code()]
    if not chosen:
        return None
    return sum(c.lat for c in chosen) / len(chosen), sum(c.lon for c in chosen) / len(chosen)


@cache
def _legacy_provinces() -> dict[str, set[int]]:
    text = resources.files("knowledge").joinpath("data/legacy_units_2025.csv").read_text("utf-8")
    index: dict[str, set[int]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        index.setdefault(fold(row["old_province"]), set()).add(int(row["new_code"]))
    return index


def find_named_point(text: str) -> NamedPoint | None:
    """The point to search from for a typed place name; None when unknown or ambiguous.

    Tried in order: a province (new, or old: the middle of what replaced it), a 2025 commune,
    a pre-2025 district, a pre-2025 commune (the middle of the communes that replaced them).
    A trailing province name narrows the search ("Sơn Tây Hà Nội").
    """
    key = _strip_prefix(fold(text))
    for prefix in ("xa ", "phuong ", "thi tran ", "huyen ", "quan ", "thi xa ", "dac khu "):
        key = key.removeprefix(prefix)
    if sum(ch.isalpha() for ch in key) < 2:  # "5" is Quận 5 in three cities: ask for a name
        return None
    matches = find_province(key)
    if matches and matches[0].score == 100:
        match = matches[0]
        if match.old_name:
            middle = _old_province_centre(match.old_name)
            if middle is not None:
                label = f"{match.old_name} ({match.province.name})"
                return NamedPoint(label, middle[0], middle[1], "old_province")
        return NamedPoint(match.province.name, match.province.lat, match.province.lon, "province")
    key, province = _province_hint(key) if " " in key else (key, None)
    found = [
        c for c in _commune_index().get(key, []) if province is None or c.province_code == province
    ]
    if len(found) == 1:
        commune = found[0]
        home = by_code(commune.province_code)
        label = f"{commune.kind} {commune.name}, {home.name}" if home else commune.name
        return NamedPoint(label, commune.lat, commune.lon, "commune")
    # Several communes of that name: a pre-2025 district of the name may still settle it
    # ("Hội An" the old city); else the user has to name the province.
    districts, old_communes = _legacy_index()
    for level, index in (("old_district", districts), ("old_commune", old_communes)):
        if key in index:
            name, codes = index[key]
            centre = _centre(codes, province)
            if centre is None:
                return None
            home = by_code(centre[2])
            label = f"{name} ({home.name})" if home else name
            return NamedPoint(label, centre[0], centre[1], level)
    return None
