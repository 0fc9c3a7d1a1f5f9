"""Where a place name in a question points: a town's centre, a landmark, a commune, a former
district's seat, a province or a region — every point an official 2025 commune point.

Sources: `data/gazetteer.csv` (towns, tourist centres, landmarks and regions, each with its
source), `data/district_seats_2025.csv` (the 2025 unit that took in each former district's town),
`communes_2025.csv`, `legacy_units_2025.csv` and `provinces_2025.json` (see `data/README.md`).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources

from knowledge.place_words import NAMING_NOTHING, table_phrases
from knowledge.places import GeoIndex, haversine_km
from knowledge.regions import (
    LOCAL_UNITS,
    Commune,
    ProvinceMatch,
    by_code,
    communes,
    province_in,
    provinces,
    squeezed,
    typo_of,
)
from knowledge.text import fold

SAME_PLACE_KM = 5.0
"""Candidate points closer than this are one place (a former district and its seat)."""
OUTSIDE_KM = 30.0
"""A point farther than this from every 2025 commune point is outside Vietnam."""


@dataclass(frozen=True, slots=True)
class Spot:
    """A point a name stands for, with what to call it."""

    label: str
    label_en: str
    lat: float
    lon: float
    level: str
    """city, town, landmark (gazetteer), province, old_province, commune, district_seat,
    district (middle of its successors) or old_commune (middle of its successors)."""
    province_code: int


@dataclass(frozen=True, slots=True)
class Scope:
    """An area that filters places: a province (new or former) or a region."""

    label: str
    label_en: str
    province_code: int | None
    old_provinces: frozenset[str]
    """Folded former province names: for a former province or a region (empty = whole province)."""
    bounds_known: bool = True
    """False for a province merged in before 2025 ("Hà Tây"), whose former bounds the data
    lacks: no place can be said to be inside it."""


@dataclass(frozen=True, slots=True)
class Mention:
    """A place name found in a question: words `start`–`end`, what it may point to."""

    start: int
    end: int
    text: str
    spots: tuple[Spot, ...]
    """One point, several (ambiguous: ask), or none (a region)."""
    scope: Scope | None
    town: bool
    """A curated town, city or landmark (not only a commune or district of that name)."""
    settled: bool = False
    """A commune's name settled by the former district typed with it ("Vạn Phúc Thanh Trì"):
    a place elsewhere bearing the name is not meant."""


@dataclass(frozen=True, slots=True)
class Town:
    """A curated entry of `gazetteer.csv` with a point."""

    id: str
    spot: Spot
    quick_pick: int | None


@cache
def _communes_by_code() -> dict[int, Commune]:
    return {c.code: c for c in communes()}


def commune_by_code(code: int) -> Commune | None:
    """The 2025 commune with this official code."""
    return _communes_by_code().get(code)


def _unit_label(commune: Commune, english: bool) -> str:
    province = by_code(commune.province_code)
    where = province.name if province else ""
    if english:
        unit = {"Xã": "commune", "Phường": "ward", "Đặc khu": "special zone"}.get(
            commune.kind, commune.kind
        )
        return f"{commune.name} {unit}, {where}"
    return f"{commune.kind} {commune.name}, {where}"


def _commune_spot(commune: Commune, level: str) -> Spot:
    return Spot(
        _unit_label(commune, False),
        _unit_label(commune, True),
        commune.lat,
        commune.lon,
        level,
        commune.province_code,
    )


def _read(name: str) -> list[dict[str, str]]:
    text = resources.files("knowledge").joinpath(f"data/{name}").read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _find_commune(name: str, province: str) -> Commune:
    codes = {p.code for p in provinces() if p.name == province}
    found = [c for c in communes() if c.name == name and c.province_code in codes]
    if len(found) != 1:
        raise ValueError(f"gazetteer: no single 2025 commune {name!r} in {province!r}")
    return found[0]


@cache
def towns() -> tuple[Town, ...]:
    """The curated towns, cities and landmarks, in file order."""
    found = []
    for row in _read("gazetteer.csv"):
        if row["kind"] == "region":
            continue
        commune = _find_commune(row["commune"], row["province"])
        spot = Spot(
            row["name"],
            row["name_en"],
            commune.lat,
            commune.lon,
            row["kind"],
            commune.province_code,
        )
        pick = int(row["quick_pick"]) if row["quick_pick"] else None
        found.append(Town(row["id"], spot, pick))
    return tuple(found)


def town_by_id(town_id: str) -> Town | None:
    """The curated entry with this id."""
    return next((t for t in towns() if t.id == town_id), None)


def quick_picks() -> list[Town]:
    """The towns offered as buttons, in their order."""
    return sorted((t for t in towns() if t.quick_pick), key=lambda t: t.quick_pick or 0)


def _plain_name(name: str) -> str:
    """A name without its dashes ("Bà Rịa - Vũng Tàu" as typed: "Bà Rịa Vũng Tàu")."""
    return " ".join(name.replace("-", " ").split())


def _keys(name: str) -> set[str]:
    """The folded name, without a parenthesis, and without spaces ("Sa Pa" → "sapa")."""
    key = fold(name.split(" (")[0])
    for prefix in ("tinh ", "thanh pho ", "tp ", "thu do ", "xa ", "phuong ", "thi tran "):
        key = key.removeprefix(prefix)
    return {key, key.replace(" ", "")} if key else set()


@dataclass
class _Entry:
    towns: list[Spot]
    scopes: list[Scope]
    local: list[Spot]
    """Communes, former district seats and districts of the name."""
    old_communes: list[Spot]


@cache
def _index() -> dict[str, _Entry]:
    index: dict[str, _Entry] = {}

    def entry(key: str) -> _Entry:
        return index.setdefault(key, _Entry([], [], [], []))

    for row in _read("gazetteer.csv"):
        names = [row["name"], row["name_en"], *row["aliases"].split("|")]
        if row["kind"] == "region":
            members = frozenset(fold(m) for m in row["members"].split("|"))
            scope = Scope(row["name"], row["name_en"], None, members)
            for name in names:
                for key in _keys(name):
                    entry(key).scopes.append(scope)
    for town, row in zip(
        towns(), (r for r in _read("gazetteer.csv") if r["kind"] != "region"), strict=True
    ):
        for name in [row["name"], row["name_en"], *row["aliases"].split("|")]:
            for key in _keys(name):
                if town.spot not in entry(key).towns:
                    entry(key).towns.append(town.spot)
    for province in provinces():
        whole = Scope(province.name, province.name, province.code, frozenset())
        former = [old for old in province.merged_from if fold(old) != fold(province.name)]
        former_keys = {key for old in former for key in _keys(_plain_name(old))}
        absorbed = {fold(name) for name in province.absorbed}
        for name in (province.name, *province.aliases):
            if fold(name) in absorbed:
                continue
            for key in _keys(name):
                if name == province.name or _plain_name(key) not in former_keys:
                    entry(key).scopes.append(whole)  # "Dak Nong" is former Đắk Nông, not all
        for name in province.absorbed:
            part = Scope(name, name, province.code, frozenset({fold(name)}), bounds_known=False)
            for key in _keys(name):
                entry(key).scopes.append(part)
        for old in former:
            scope = Scope(old, old, province.code, frozenset({fold(old)}))
            for key in _keys(old) | _keys(_plain_name(old)):
                entry(key).scopes.append(scope)
    for commune in communes():
        for key in _keys(commune.name):
            entry(key).local.append(_commune_spot(commune, "commune"))
    seats = {(r["old_province"], r["old_district"]): r for r in _read("district_seats_2025.csv")}
    districts: dict[tuple[str, str], set[int]] = {}
    for unit in _read("legacy_units_2025.csv"):
        code = int(unit["new_code"])
        old_province, old_district = unit["old_province"], unit["old_district"]
        districts.setdefault((old_province, old_district), set()).add(code)
    for (old_province, district), codes in districts.items():
        found = seats.get((old_province, district))
        seat = commune_by_code(int(found["new_code"])) if found else None
        spot = (
            _seat_spot(seat, found["district_type"], district)
            if seat is not None and found
            else _middle(codes, *_district_labels(district, old_province), "district")
        )
        if spot is not None:
            for key in _keys(district):
                entry(key).local.append(spot)
    for row in seats.values():  # "Mỏ Cày": the town of Mỏ Cày Nam district
        seat_town = row["seat"].removeprefix("Thị trấn ")
        seat = commune_by_code(int(row["new_code"]))
        if (
            seat_town != row["seat"]
            and fold(seat_town) != fold(row["old_district"])
            and seat is not None
        ):
            for key in _keys(seat_town):
                entry(key).local.append(_seat_spot(seat, "Thị trấn", seat_town))
    for (_, _, name), spot in _old_commune_spots().items():
        for key in _keys(name):
            entry(key).old_communes.append(spot)
    return index


@cache
def _old_commune_spots() -> dict[tuple[str, str, str], Spot]:
    """The point of each former commune, by (former province, district, name): the middle of
    the 2025 units that replaced it."""
    old_communes: dict[tuple[str, str, str], set[int]] = {}
    for unit in _read("legacy_units_2025.csv"):
        key = (unit["old_province"], unit["old_district"], unit["old_commune"])
        old_communes.setdefault(key, set()).add(int(unit["new_code"]))
    namesakes = Counter((old_province, name) for old_province, _, name in old_communes)
    spots = {}
    for (old_province, district, name), codes in old_communes.items():
        # Two former communes of one name in one province ("Vạn Phúc" of Thanh Trì and of Hà
        # Đông) are told apart by their district, so "which one?" never offers one label twice.
        within = (
            f"{district}, {old_province}" if namesakes[old_province, name] > 1 else old_province
        )
        spot = _middle(codes, f"{name} ({within})", f"{name} ({within})", "old_commune")
        if spot is not None:
            spots[old_province, district, name] = spot
    return spots


def _in_district(commune: Mention, district: Mention) -> Spot | None:
    """The one former commune a commune's name typed with its former district's names ("Vạn
    Phúc Thanh Trì"), or None."""
    found = {
        spot
        for (_, old_district, name), spot in _old_commune_spots().items()
        if commune.text in _keys(name) and district.text in _keys(old_district)
    }
    return found.pop() if len(found) == 1 else None


def _settled(mentions: list[Mention]) -> list[Mention]:
    """The mentions with a commune's name followed by its former district's ("lang nghe Van Phuc
    Thanh Tri") read as that one former commune, not asked "which one?"."""
    kept: list[Mention] = []
    for mention in mentions:
        last = kept[-1] if kept else None
        spot = (
            _in_district(last, mention)
            if last is not None and last.end == mention.start and len(last.spots) > 1
            else None
        )
        if last is not None and spot is not None:
            kept[-1] = Mention(
                last.start, mention.end, last.text, (spot,), last.scope, False, True
            )
        else:
            kept.append(mention)
    return kept


_FORMER_EN = {"Huyện": "district", "Quận": "district", "Thị xã": "town", "Thành phố": "city"}


def _seat_spot(seat: Commune, unit: str, name: str) -> Spot:
    """A former district (`unit` "Huyện", "Thị xã"…) or district town ("Thị trấn") named as the
    area, measured from the 2025 unit that took in its town, which the label names."""
    now = _unit_label(seat, False)
    english = _FORMER_EN.get(unit, "town")
    return Spot(
        f"{unit} {name} cũ – {now[:1].lower()}{now[1:]}",
        f"former {name} {english} – {_unit_label(seat, True)}",
        seat.lat,
        seat.lon,
        "district_seat",
        seat.province_code,
    )


def _district_labels(district: str, old_province: str) -> tuple[str, str]:
    """A former district's labels without a seat, Vietnamese and English: a numbered one with
    its unit ("Quận 1 cũ", "former District 1"), as the number alone says nothing."""
    where = f"({old_province})"
    if district.isdigit():
        return f"Quận {district} cũ {where}", f"former District {district} {where}"
    return f"{district} {where}", f"{district} {where}"


def _middle(codes: set[int], label: str, label_en: str, level: str) -> Spot | None:
    """The middle of the 2025 units that replaced a former unit (None across provinces)."""
    chosen = [c for c in (commune_by_code(code) for code in codes) if c is not None]
    if not chosen or len({c.province_code for c in chosen}) != 1:
        return None
    lat = sum(c.lat for c in chosen) / len(chosen)
    lon = sum(c.lon for c in chosen) / len(chosen)
    return Spot(label, label_en, lat, lon, level, chosen[0].province_code)


def _distinct(spots: list[Spot]) -> list[Spot]:
    """Spots with those closer than SAME_PLACE_KM to an earlier one dropped."""
    kept: list[Spot] = []
    for spot in spots:
        if all(haversine_km(spot.lat, spot.lon, k.lat, k.lon) > SAME_PLACE_KM for k in kept):
            kept.append(spot)
    return kept


def _prominent(spots: list[Spot]) -> tuple[Spot, ...]:
    """Distinct points of a name; when only one of them is (the seat of) a former district or
    city, that one ("Hà Đông": the Hà Nội ward, not the commune in Hải Phòng)."""
    kept = _distinct(sorted(spots, key=lambda s: s.level not in ("district_seat", "district")))
    seats = [s for s in kept if s.level in ("district_seat", "district")]
    return (seats[0],) if len(seats) == 1 else tuple(kept)


def find_mentions(
    words: list[str],
    *,
    phrases: frozenset[str] = frozenset(),
    function_words: frozenset[str] = frozenset(),
) -> list[Mention]:
    """Place names in a question's folded words, not overlapping: curated towns, provinces and
    regions first, then communes and former districts; longest first. One-word spans, spans
    that are one of `phrases` (products, kinds: "sơn mài"; one word, never a name: "longan")
    or cut one in two ("thái Bình" in "sinh thái Bình Phước") and spans made only of
    `function_words` ("tớ mua") are never communes; a product syllable with another word may
    be one ("Củ Chi", "Đông Anh"). A unit word typed with a name is part of its mention
    ("huyện Gia Lâm", "Ninh Binh province"). Last, a province's name with one word mistyped
    ("Nghe Ann")."""
    index = _index()
    runs = []  # every run of words that names something, longest first, looked up once
    for size in range(min(7, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            after_unit = start > 0 and words[start - 1] in LOCAL_UNITS
            span = words[start : start + size]
            if (named := _name_in(span, index, squeeze=not after_unit)) is not None:
                runs.append((start, size, *named))
    cut = _phrase_cuts(words, phrases)
    mentions: list[Mention] = []
    taken = [False] * len(words)
    for curated_pass in (True, False):  # "Sơn Tây Hà Nội": the province first, then the rest
        for start, size, key, length, found in runs:
            if any(taken[start : start + size]) or (start, start + size) in cut:
                continue
            curated = bool(found.towns or found.scopes)
            if curated != curated_pass:
                continue
            if curated and length == 1 and _inside_local(words, start, index):
                continue  # "Vinh" inside "Phú Vinh", a commune of its own
            if curated and length == 1 and key in phrases:
                continue  # "longan" is the fruit, not "Long An" typed as one word
            if not curated and (
                (length == 1 and not _numbered_district(words[start : start + size], key))
                or key in phrases
                or all(w in function_words for w in key.split())
            ):
                continue
            spots = tuple(found.towns) or _prominent(found.local or found.old_communes)
            unit = " ".join(words[start : start + size - length]) + " "  # "thị xã Sơn Tây"
            spots = tuple(s for s in spots if fold(s.label).startswith(unit)) or spots
            mentions.append(
                Mention(
                    start,
                    start + size,
                    key,
                    spots,
                    _scope(found),
                    bool(found.towns),
                )
            )
            for i in range(start, start + size):
                taken[i] = True
    for start, size, key, found in _typo_runs(
        words, taken, index, _known(phrases, function_words)
    ):
        mentions.append(
            Mention(start, start + size, key, _province_spots(found), _scope(found), False)
        )
        taken[start : start + size] = [True] * size
    return _settled(sorted(mentions, key=lambda m: m.start))


def _numbered_district(span: list[str], key: str) -> bool:
    """Whether a span is a numbered former district typed with its unit ("quận 1", "district
    3"): the number alone names nothing ("phường 1" is in many towns)."""
    return key.isdigit() and not {"quan", "district"}.isdisjoint(span)


def _phrase_cuts(words: list[str], phrases: frozenset[str]) -> set[tuple[int, int]]:
    """The spans of words that would cut a phrase of several words in two ("sinh thái" in "du
    lịch sinh thái Bình Phước": "thái Bình" is no name there; "làng nghề An Giang": nor "Nghệ
    An"): a name that shares one word with the phrase and goes on past it."""
    found = [
        (i, i + n)
        for n in (2, 3, 4)
        for i in range(len(words) - n + 1)
        if " ".join(words[i : i + n]) in phrases
    ]
    return {
        (start, end)
        for a, b in found
        for start in range(len(words))
        for end in range(start + 2, min(len(words), start + 7) + 1)
        if a < start < b < end or start < a < end < b
    }


def _typo_runs(
    words: list[str], taken: list[bool], index: dict[str, _Entry], known: frozenset[str]
) -> list[tuple[int, int, str, _Entry]]:
    """Runs of words no other name took that are a province's name with one word mistyped
    (`regions.typo_of`: "lang nghe o Nghe Ann"), longest first. The mistyped word must be no
    word the bot knows (`known`): "nghề gần" is not Nghệ An,
    "làng nón" not Lạng Sơn, "dạ vâng" not Đà Nẵng; never after a commune's or district's word."""
    runs = []
    for size in range(min(4, len(words)), 1, -1):
        for start in range(len(words) - size + 1):
            span = words[start : start + size]
            if any(taken[start : start + size]) or (start and words[start - 1] in LOCAL_UNITS):
                continue
            if all(word in known for word in span):
                continue  # no mistyped word: looked up no further
            key = typo_of(" ".join(span))
            found = index.get(key) if key else None
            if key is None or found is None or not found.scopes:
                continue
            changed = [
                typed for typed, name in zip(span, key.split(), strict=False) if typed != name
            ]
            if len(key.split()) == size and len(changed) == 1 and changed[0] not in known:
                runs.append((start, size, key, found))
                taken = [*taken[:start], *([True] * size), *taken[start + size :]]
    return runs


@cache
def _known(phrases: frozenset[str], function_words: frozenset[str]) -> frozenset[str]:
    """The words of `phrases`, `function_words` and every name the gazetteer knows (communes,
    former ones, districts, towns): a word of these is never a typo."""
    named = (word for key in (*_index(), *phrases) for word in key.split())
    return function_words | frozenset(named)


def _province_spots(found: _Entry) -> tuple[Spot, ...]:
    return tuple(found.towns) or _prominent(found.local or found.old_communes)


def _scope(found: _Entry) -> Scope | None:
    """The area a name filters by; none for a city that only stands for its province
    elsewhere ("Đà Lạt", "Vũng Tàu" name Lâm Đồng, TP. Hồ Chí Minh when asked where one
    lives) and is not the province's namesake ("Huế", "Cần Thơ"): the city itself is meant."""
    if not found.scopes:
        return None
    scope = found.scopes[0]
    if found.towns and not any(_namesake(town, scope) for town in found.towns):
        return None
    return scope


def _namesake(town: Spot, scope: Scope) -> bool:
    """Whether a curated town bears the name of the province it is in (its capital)."""
    return town.province_code == scope.province_code and bool(
        _keys(scope.label) & _keys(town.label)
    )


def place_mentions(words: list[str]) -> list[Mention]:
    """The places named in a text's folded words, the product and question words of the place
    tables not taken for names."""
    return find_mentions(words, phrases=table_phrases(), function_words=NAMING_NOTHING)


_WHERE = frozenset(("o", "tai", "in", "at", "from", "tu", "den", "visiting", "near"))
"""Words after which a town names where the writer is ("ở Hội An", "in Phu Quoc")."""


def province_said(text: str) -> ProvinceMatch | None:
    """The province a sentence places its writer in ("tôi ở Hội An, làm nông dân", "I'm a
    tourist in Phu Quoc"): one named (`province_in`) or the one 2025 province of the towns,
    former districts and communes named after "ở", "tại", "in"… or with their unit ("huyện Bát
    Xát"); None when none, or more than one, is meant ("nước mắm Phú Quốc" is a product, "Hội
    An và Nghệ An" two provinces)."""
    words = fold(text).split()
    codes: set[int] = set()
    for mention in place_mentions(words):
        unit_typed = mention.end - mention.start > len(mention.text.split())
        if not unit_typed and (mention.start == 0 or words[mention.start - 1] not in _WHERE):
            continue
        if mention.scope is not None and mention.scope.province_code is not None:
            codes.add(mention.scope.province_code)
        else:
            codes |= {spot.province_code for spot in mention.spots} or {0}
    named = province_in(text)
    if named is not None:
        return named if codes <= {named.province.code} else None
    province = by_code(codes.pop()) if len(codes) == 1 else None
    return None if province is None else ProvinceMatch(province, 100.0)


def names_a_place(text: str) -> bool:
    """Whether `text` names a province, region, town or commune ("Bát Tràng mấy sao" does,
    "mấy sao" does not)."""
    return bool(place_mentions(fold(text).split()))


UNIT_BEFORE = (
    ("thanh", "pho"),
    ("thi", "xa"),
    ("thi", "tran"),
    ("dac", "khu"),
    ("huyen",),
    ("quan",),
    ("tinh",),
    ("tp",),
    ("xa",),
    ("phuong",),
    ("district",),  # "District 1", as the numbered ones are written in English
)
UNIT_AFTER = (("district",), ("city",), ("province",), ("town",), ("commune",), ("ward",))
"""The unit words typed with a name ("huyện Gia Lâm", "Gia Lam district"), folded."""


_UNIT_FIRST = frozenset(unit[0] for unit in UNIT_BEFORE)
_UNIT_LAST = frozenset(unit[-1] for unit in UNIT_AFTER)
"""The words a unit before or after a name starts or ends with: a run of words without them
needs no other look-up."""


@cache
def _spaced() -> dict[str, tuple[str, ...]]:
    """A name typed as one word ("hanoi", "sapa") → its names in words ("ha noi", "sa pa")."""
    found: dict[str, list[str]] = {}
    for key in _index():
        if " " in key:
            found.setdefault(key.replace(" ", ""), []).append(key)
    return {joined: tuple(keys) for joined, keys in found.items()}


def is_a_name(word: str) -> bool:
    """Whether one folded word is a place's name as typed ("halong", "hanoi", "saigon"): never
    a typo of another word."""
    return word in _index() or word in _spaced()


def name_forms(text: str) -> tuple[tuple[str, ...], ...]:
    """A place name as typed (folded) and, when typed as one word, as its words: the forms a
    place's own name may hold it in ("Bat Trang Hanoi" names the place of "… Hà Nội")."""
    return (tuple(text.split()), *(tuple(k.split()) for k in _spaced().get(text, ())))


def _name_in(
    span: list[str], index: dict[str, _Entry], *, squeeze: bool = True
) -> tuple[str, int, _Entry] | None:
    """The name a run of words holds, its length in words and its entry: the run itself when
    it is a name ("Quan Hoa"), or with `squeeze` its letters typed twice once ("hanoii"), else
    the run without the unit word before or after it ("huyện Gia Lâm" → "gia lam"); None when
    neither is a name. A slip is not read after a commune's or district's word, as a typo is
    not (`_typo_runs`): "xã Thái Bìnhh" is no former province."""
    key = " ".join(span)
    found = index.get(key)
    if found is None and squeeze and span[0] not in LOCAL_UNITS:
        key = squeezed(key)
        found = index.get(key)
    if found is not None:
        return key, len(span), found
    name = _without_unit(span)
    if not name or (found := index.get(key := " ".join(name))) is None:
        return None
    return key, len(name), found


def _without_unit(span: list[str]) -> list[str]:
    """The run of words without the unit word before or after it (empty without one)."""
    if span[0] in _UNIT_FIRST:
        for unit in UNIT_BEFORE:
            if tuple(span[: len(unit)]) == unit:
                return span[len(unit) :]
    if span[-1] in _UNIT_LAST:
        for unit in UNIT_AFTER:
            if tuple(span[-len(unit) :]) == unit:
                return span[: -len(unit)]
    return []


def _inside_local(words: list[str], at: int, index: dict[str, _Entry]) -> bool:
    """Whether the word at `at` is part of a longer local place name in the words."""
    for size in (2, 3):
        for start in range(max(0, at - size + 1), min(at, len(words) - size) + 1):
            found = index.get(" ".join(words[start : start + size]))
            if found is not None and found.local:
                return True
    return False


def narrowed(mention: Mention, province_code: int) -> Mention:
    """The mention with only the points inside a province (when the question names one)."""
    index = _index().get(mention.text)
    pool = [*mention.spots]
    if index is not None and not mention.text.isdigit():  # "quận 3" is no "phường 3"
        pool += index.local + index.old_communes
    inside = _distinct([s for s in pool if s.province_code == province_code])
    return Mention(mention.start, mention.end, mention.text, tuple(inside), mention.scope, False)


def province_point(scope: Scope) -> Spot | None:
    """Where to measure from for a province: its curated capital when the gazetteer has one
    named like it, else its official point; for a former province ("Bình Thuận", now in Lâm Đồng),
    the middle of the 2025 communes that replaced its communes, a point inside it."""
    if scope.province_code is None:
        return None
    if scope.old_provinces and scope.bounds_known:
        codes = set().union(*(_former_province_units().get(o, set()) for o in scope.old_provinces))
        middle = _middle(codes, scope.label, scope.label, "old_province")
        if middle is not None:
            return middle
    for town in towns():
        if _namesake(town.spot, scope):
            return town.spot
    province = by_code(scope.province_code)
    assert province is not None
    return Spot(
        province.name, province.name, province.lat, province.lon, "province", province.code
    )


@cache
def _former_province_units() -> dict[str, set[int]]:
    """The 2025 units that replaced each former province's communes, by its folded name."""
    units: dict[str, set[int]] = {}
    for unit in _read("legacy_units_2025.csv"):
        units.setdefault(fold(unit["old_province"]), set()).add(int(unit["new_code"]))
    return units


@cache
def _commune_points() -> GeoIndex:
    return GeoIndex([(c.lat, c.lon) for c in communes()])


def outside_vietnam(lat: float, lon: float) -> bool:
    """True when no 2025 commune point is within OUTSIDE_KM of the point."""
    return not _commune_points().any_within(lat, lon, OUTSIDE_KM)
