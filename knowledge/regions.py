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
from rapidfuzz.distance import OSA

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


_DOUBLED = re.compile(r"([a-z])\1+")


def squeezed(key: str) -> str:
    """A folded text with each letter typed twice or more in a row once ("hanoii", "hueee",
    "quang ninhh"): no Vietnamese name doubles a letter within a word, so a doubled one is a
    slip (read only where the text as typed is no name: "tt huế" stays)."""
    return _DOUBLED.sub(r"\1", key)


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
    """Folded key → (province, former name or None: merged in 2025, or before, "Hà Tây"). Keys
    are also indexed without spaces."""
    index: dict[str, tuple[Province, str | None]] = {}
    for province in provinces():
        names: list[tuple[str, str | None]] = [(province.name, None)]
        names += [(old, old) for old in province.merged_from if fold(old) != fold(province.name)]
        absorbed = {fold(name): name for name in province.absorbed}
        names += [(alias, absorbed.get(fold(alias))) for alias in province.aliases]
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


@dataclass(frozen=True, slots=True)
class ProvinceReading:
    """What a typed province name is taken for: one province for sure, or provinces to ask
    about ("which one?"), or neither (not recognised: decline)."""

    sure: ProvinceMatch | None
    choices: tuple[ProvinceMatch, ...] = ()


LOCAL_UNITS = frozenset({"xa", "phuong", "huyen", "quan", "tran", "thon", "ap"})
"""Words before a commune's or district's name (xã, phường, huyện, quận, thị xã, thị trấn, thôn,
ấp): "xã Thái Bình" is a commune of Tuyên Quang or Lạng Sơn, not the former province."""
_TYPO_MIN = 5
"""Names shorter than this (folded, with spaces) are never read through a typo."""


def read_province(text: str, *, limit: int = 3) -> ProvinceReading:
    """A typed province name read where a province is asked. Sure for a name typed whole
    (new or former, any accents, alone or in a sentence: "dạ em ở tỉnh Nghệ An", "Hue city"),
    for a sentence naming one province only ("Hà Giang, giờ là Tuyên Quang") and for one typo
    away from one province with no other two edits near ("Nghe Ann"); several provinces named
    or close are asked about; a region ("Tây Nguyên") or nothing close is declined."""
    folded = fold(text)
    key = _strip_prefix(_name_said(folded))
    if not key:
        return ProvinceReading(None)
    index = _index()
    for variant in (key, key.replace(" ", ""), squeezed(key), squeezed(key).replace(" ", "")):
        if variant in index:
            province, old = index[variant]
            return ProvinceReading(ProvinceMatch(province=province, score=100.0, old_name=old))
    named = _named(folded.split())
    if named:
        return ProvinceReading(named[0]) if len(named) == 1 else ProvinceReading(None, named)
    if key in _region_names():
        return ProvinceReading(None)
    if (typo := _one_typo(key)) is not None:
        return ProvinceReading(typo)
    if key in _initials():
        return ProvinceReading(None, _initials()[key][:limit])
    return ProvinceReading(None, _close(key, limit))


def find_province(text: str, *, limit: int = 3) -> list[ProvinceMatch]:
    """Provinces matching a typed name, best first: the one `read_province` is sure of, else
    those it would ask about."""
    reading = read_province(text, limit=limit)
    return [reading.sure] if reading.sure else list(reading.choices)


def _named(words: list[str]) -> tuple[ProvinceMatch, ...]:
    """The provinces named word for word in a sentence, in the order typed: longest names
    first, not overlapping, none of two letters ("hn" may be "hôm nay"), nor after a commune's
    or district's word ("phường Phú Thọ" is in TP. Hồ Chí Minh), nor denied ("không phải Hà
    Nội mà Hà Nam")."""
    index = _index()
    taken = [False] * len(words)
    found: list[tuple[int, ProvinceMatch]] = []
    for size in range(min(4, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            key = _known_key(" ".join(words[start : start + size]), index)
            if len(key) < 3 or key not in index or any(taken[start : start + size]):
                continue
            if start and words[start - 1] in LOCAL_UNITS or _denied(words[:start]):
                continue
            taken[start : start + size] = [True] * size
            province, old = index[key]
            if all(m.province.code != province.code for _, m in found):
                found.append((start, ProvinceMatch(province=province, score=100.0, old_name=old)))
    return tuple(m for _, m in sorted(found, key=lambda f: f[0]))


def _known_key(key: str, index: dict[str, tuple[Province, str | None]]) -> str:
    """`key`, or its letters typed twice once (`squeezed`) when only that is a name."""
    return key if key in index else squeezed(key) if squeezed(key) in index else key


_NOT = frozenset({"khong", "ko", "k", "chang", "chua"})
"""Words that deny the verb after them: không, ko, k, chẳng, chưa ("à không, tỉnh Đồng Tháp"
corrects a slip: the name after it stands)."""


def _denied(before: list[str]) -> bool:
    """Whether the words before a name deny it: "không phải Hà Nội", "không ở Hà Nội", "chưa
    ở", "not"."""
    return before[-1:] == ["not"] or (
        len(before) >= 2 and before[-2] in _NOT and before[-1] in ("phai", "o")
    )


def _one_typo(key: str) -> ProvinceMatch | None:
    """The province of `typo_of(key)`, if any."""
    choice = typo_of(key)
    if choice is None:
        return None
    province, old = _index()[choice]
    return ProvinceMatch(province=province, score=fuzz.ratio(key, choice), old_name=old)


def typo_of(key: str) -> str | None:
    """The province name (folded) a text is one typo from (a letter wrong, missing, added or
    two swapped), when no other province's name is two edits near and the text is not the
    name of a commune or former district ("nghe ann" → "nghe an"; "quang bin": Quảng Bình or
    Quảng Ninh, None)."""
    if len(key) < _TYPO_MIN or key in _local_names():
        return None
    index = _index()
    near = process.extract(key, list(index), scorer=OSA.distance, score_cutoff=2, limit=None)
    closest = {index[choice][0].code for choice, distance, _ in near if distance <= 1}
    if len(closest) != 1 or any(index[choice][0].code not in closest for choice, _, _ in near):
        return None
    return str(min(near, key=lambda n: n[1])[0])


@cache
def _initials() -> dict[str, tuple[ProvinceMatch, ...]]:
    """The first letters of each new and former name's words ("dn": Đà Nẵng, Đồng Nai, Đắk
    Nông) → the provinces they may stand for: always asked about, never sure."""
    found: dict[str, list[ProvinceMatch]] = {}
    for province in provinces():
        for name in (province.name, *province.merged_from):
            letters = "".join(word[0] for word in _strip_prefix(fold(name)).split())
            matches = found.setdefault(letters, [])
            if all(m.province != province for m in matches):
                old = name if name in province.merged_from and name != province.name else None
                matches.append(ProvinceMatch(province=province, score=90.0, old_name=old))
    return {letters: tuple(matches) for letters, matches in found.items()}


def _close(key: str, limit: int) -> tuple[ProvinceMatch, ...]:
    """Provinces whose names are close to the text, or (a name cut short, "quang") start so."""
    index = _index()
    found = process.extract(
        key, list(index), scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF, limit=limit * 4
    )
    if not found and len(key) >= 3:
        found = [(choice, 90.0, 0) for choice in index if choice.startswith(key)]
    matches: list[ProvinceMatch] = []
    for choice, score, _ in found:
        province, old = index[choice]
        if all(m.province.code != province.code for m in matches):
            matches.append(ProvinceMatch(province=province, score=score, old_name=old))
    return tuple(matches[:limit])


def _read_data(name: str) -> list[dict[str, str]]:
    text = resources.files("knowledge").joinpath(f"data/{name}").read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@cache
def _region_names() -> frozenset[str]:
    """Folded names of the regions of `gazetteer.csv` ("Tây Nguyên", "miền Tây"), no province."""
    rows = [r for r in _read_data("gazetteer.csv") if r["kind"] == "region"]
    return frozenset(
        fold(name) for r in rows for name in (r["name"], r["name_en"], *r["aliases"].split("|"))
    )


@cache
def _local_names() -> frozenset[str]:
    """Folded names of the 2025 communes and the former districts: a typo is not read in them."""
    districts = {r["old_district"] for r in _read_data("legacy_units_2025.csv")}
    return frozenset(fold(name) for name in (*districts, *(c.name for c in communes())))


_CUES = frozenset(("tinh", "tp", "pho", "o", "tai", "in", "of", "from"))
"""Words after which a one-word name ("tỉnh Huế", "ở Hanoi") is read as a province."""


def province_in(text: str) -> ProvinceMatch | None:
    """The one province named inside a sentence ("tôi là cán bộ OCOP tỉnh Thái Nguyên", "I'm an
    officer in Nghe An"): a name of two words or more anywhere, one of one word only after
    "tỉnh", "ở", "in"…; None when none, or more than one, is named."""
    words = fold(text).split()
    index = _index()
    found: dict[int, ProvinceMatch] = {}
    start = 0
    while start < len(words):
        for size in range(min(5, len(words) - start), 0, -1):
            key = _known_key(" ".join(words[start : start + size]), index)
            cued = start > 0 and words[start - 1] in _CUES
            if key in index and (size > 1 or cued and len(key) > 2):
                province, old = index[key]
                found.setdefault(province.code, ProvinceMatch(province, 100.0, old))
                start += size - 1
                break
        start += 1
    return next(iter(found.values())) if len(found) == 1 else None


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
    return tuple(
        Commune(
            int(r["code"]),
            int(r["province_code"]),
            r["type"],
            r["name"],
            float(r["lat"]),
            float(r["lon"]),
        )
        for r in _read_data("communes_2025.csv")
    )
