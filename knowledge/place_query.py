"""A tourist's question understood: which place, product or kind, near where, in which province
or region — in any word order, Vietnamese with or without accents, typos, English — and an
honest "no such place" below the relevance threshold.

    understand("where can I buy silk near Hanoi") → places about silk, measured from Hoàn Kiếm
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np

from knowledge.gazetteer import (
    Mention,
    Scope,
    Spot,
    find_mentions,
    narrowed,
    outside_vietnam,
    province_point,
)
from knowledge.place_search import (
    CONCEPTS,
    FILLER,
    GENERIC,
    KIND_PHRASES,
    STOP,
    PlaceIndex,
    Scored,
    Term,
    parse_terms,
    repair,
    tokens,
)
from knowledge.places import (
    EARTH_KM,
    GeoIndex,
    Nearby,
    Place,
    bearing_deg,
    haversine_km,
    places,
)
from knowledge.text import fold

NAME_MATCH = 0.8
"""Share of the question's words a place must hold (its name holding one) to be the answer."""
TOPIC_MATCH = 0.75
"""Share of the product/kind words a place must hold to count as being about them."""
TOWN_KM = 30.0
"""How far around a town a list reaches ("near Hội An", "Hội An pottery")."""
TOPIC_KM = 150.0
LIST_MAX = 20
"""Longest list an answer carries (the chat shows five at a time)."""
SCORED_MAX = 50
"""At most this many places are scored for one reading of a question: those holding most of
its words (a bound on their score), so a question stays fast over tens of thousands."""
"""How far a list of a product or kind reaches around a point."""

NEAR_WORDS = (
    "o gan",
    "gan",
    "near",
    "around",
    "quanh",
    "xung quanh",
    "close to",
    "nearby",
    "khu vuc",
    "gan voi",
)
HERE_WORDS = (
    "gan day",
    "quanh day",
    "gan toi",
    "gan minh",
    "o day",
    "xung quanh day",
    "khu nay",
    "near me",
    "nearby",
    "around here",
    "close to me",
    "around me",
    "near here",
    "close by",
    "nearest",
    "gan nhat",
    "quanh toi",
    "cho nay",
    "o gan day",
    "gan cho toi",
)
CANNOT: dict[str, tuple[str, ...]] = {
    "booking": (
        "dat phong",
        "khach san",
        "hotel",
        "hotels",
        "book",
        "booking",
        "reserve",
        "dat tour",
        "dat ve",
        "ve may bay",
        "flight",
        "flights",
        "ticket",
        "tickets",
        "ve tau",
        "gia ve",
        "ve vao cong",
        "train",
        "resort",
        "reservation",
    ),
    "weather": (
        "thoi tiet",
        "weather",
        "nhiet do",
        "temperature",
        "forecast",
        "du bao",
        "troi mua",
        "co mua ko",
        "co mua khong",
        "mua khong",
        "rain",
        "raining",
        "nang nong",
    ),
    "transport": (
        "taxi",
        "grab",
        "thue xe",
        "xe may",
        "rent",
        "rental",
        "cho thue",
        "bus",
        "xe buyt",
        "airport",
        "san bay",
    ),
    "money": ("doi tien", "exchange", "currency", "atm", "ngan hang", "bank"),
    "food": (
        "nha hang",
        "restaurant",
        "restaurants",
        "quan an",
        "an uong",
        "banh mi",
        "pho bo",
        "cafe",
        "bar",
        "quan bar",
    ),
}
"""What visitors ask that the bot does not do: said so, never answered with places."""
_ABOUT_OCOP = (
    "ocop la gi",
    "what is ocop",
    "what does ocop",
    "ocop mean",
    "nghia la gi",
    "co nghia",
    "y nghia",
    "mean",
    "la sao",
    "hieu luc",
    "what do the",
    "meaning",
)


@dataclass(frozen=True, slots=True)
class Answer:
    """What the bot makes of a question."""

    kind: str
    """places (the places named), near (a list measured from `origin`), decline, outside,
    need_location, ask (which of `options`?) or pass (not a question about places)."""
    places: tuple[Place, ...] = ()
    scores: tuple[float, ...] = ()
    nearby: tuple[Nearby, ...] = ()
    origin: Spot | None = None
    scope: Scope | None = None
    topic: str = ""
    """The product or kind words asked for, as typed (folded)."""
    place_kind: str | None = None
    reason: str = ""
    """For a decline: no_match, unknown_place, or what the bot does not do (CANNOT keys)."""
    others: tuple[Nearby, ...] = ()
    """For a decline: other places near the point asked about, shown as *other* places."""
    options: tuple[Spot, ...] = field(default=())


def _fields(place: Place) -> tuple[str, str, str, str]:
    where = " ".join(
        (
            place.commune_old,
            place.district_old,
            place.province_old,
            place.commune_2025,
            place.province,
        )
    )
    return (
        f"{place.name} {place.name_en}",
        f"{place.specialties} {place.description_en}",
        where,
        place.kind,
    )


class Catalogue:
    """Places with their word index, their point index and what filters need, built once."""

    def __init__(self, chosen: tuple[Place, ...]) -> None:
        self.places = chosen
        self.words = PlaceIndex(_fields(p) for p in chosen)
        self.located: list[int] = []
        points: list[tuple[float, float]] = []
        for i, place in enumerate(chosen):
            if place.lat is not None and place.lon is not None:
                self.located.append(i)
                points.append((place.lat, place.lon))
        self.geo = GeoIndex(points)
        self._lat = np.radians([lat for lat, _ in points])
        self._lon = np.radians([lon for _, lon in points])
        self._located = np.array(self.located, dtype=np.int64)
        codes = _province_codes()
        self.province_code = [codes.get(p.province, 0) for p in chosen]
        self.old_province = [_old_key(p.province_old) for p in chosen]
        self.by_kind: dict[str, list[int]] = {}
        for i, place in enumerate(chosen):
            self.by_kind.setdefault(place.kind, []).append(i)

    def knows(self, word: str) -> bool:
        """Whether some place holds this word."""
        return self.words.knows(word)

    def by_distance(self, lat: float, lon: float, reach: float) -> list[int]:
        """Located places within `reach` km of the point, nearest first (vectorised)."""
        p1, l1 = math.radians(lat), math.radians(lon)
        a = (
            np.sin((self._lat - p1) / 2) ** 2
            + math.cos(p1) * np.cos(self._lat) * np.sin((self._lon - l1) / 2) ** 2
        )
        km = 2 * EARTH_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
        inside = np.nonzero(km <= reach)[0]
        nearest: list[int] = self._located[inside[np.argsort(km[inside], kind="stable")]].tolist()
        return nearest


@cache
def catalogue() -> Catalogue:
    """The bundled places."""
    return Catalogue(places())


def _has(words: list[str], phrase: str) -> int:
    """Position of a phrase (folded words) in the words, or -1."""
    target = phrase.split()
    n = len(target)
    for i in range(len(words) - n + 1):
        if words[i : i + n] == target:
            return i
    return -1


def _remove(words: list[str], phrases: tuple[str, ...]) -> tuple[list[str], bool]:
    found = False
    for phrase in sorted(phrases, key=lambda p: -len(p.split())):
        while (at := _has(words, phrase)) >= 0:
            words = words[:at] + words[at + len(phrase.split()) :]
            found = True
    return words, found


@cache
def _control_words() -> frozenset[str]:
    """Words of the near/here/cannot phrases (never "repaired" into product words)."""
    phrases = [*NEAR_WORDS, *HERE_WORDS, *_ABOUT_OCOP, *FILLER]
    phrases += [p for v in CANNOT.values() for p in v]
    return frozenset(w for p in phrases for w in p.split())


@cache
def _skip_words() -> frozenset[str]:
    words = set(STOP) | set(GENERIC)
    for phrases in (*CONCEPTS.values(), *KIND_PHRASES.values()):
        for phrase in phrases:
            words.update(phrase.split())
    return frozenset(words)


def understand(
    text: str, here: tuple[float, float] | None = None, *, within: Catalogue | None = None
) -> Answer:
    """Read a tourist's question (with the location they shared, if any); `within` another
    catalogue than the bundled places (benchmarks)."""
    index = within or catalogue()
    words = repair(tokens(text), lambda w: index.knows(w) or w in _control_words())
    if not words:
        return Answer("pass")
    joined = " ".join(words)
    if "ocop" in words and any(f" {p} " in f" {joined} " for p in _ABOUT_OCOP):
        return Answer("pass")  # a question about the programme: the FAQ answers it
    words, _ = _remove(words, FILLER)
    words, near_me = _remove(words, HERE_WORDS)
    mentions = find_mentions(words, skip=_skip_words())
    near_at = {i for p in NEAR_WORDS for i in _positions(words, p)}
    for several_words in (True, False):  # "đổi tiền" first; a lone "train" after names
        if not several_words and not near_me and not any(_near(m, near_at) for m in mentions):
            marked = {
                i - n + k
                for p in NEAR_WORDS
                for n in [len(p.split())]
                for i in _positions(words, p)
                for k in range(n)
            }
            named = _named(
                index, [w if i not in marked else "" for i, w in enumerate(words)], mentions
            )
            if named is not None:  # a place's own name, even with "resort" in it
                return named
        for reason, phrases in CANNOT.items():
            if any((" " in p) == several_words and _has(words, p) >= 0 for p in phrases):
                return Answer("decline", reason=reason)
    rest = [w for i, w in enumerate(words) if not any(m.start <= i < m.end for m in mentions)]
    rest, _ = _remove(rest, NEAR_WORDS)
    terms, kinds = parse_terms(rest)
    place_kind = next(iter(kinds)) if len(kinds) == 1 else None
    topic = " ".join(t.text for t in terms if t.weight >= 1)

    if near_me:
        if here is None:
            return Answer("need_location", topic=topic, place_kind=place_kind)
        if outside_vietnam(*here):
            return Answer("outside")
        origin = Spot("", "", here[0], here[1], "here", 0)
        return _around(origin, terms, place_kind, topic, index, TOPIC_KM)

    province = next((m.scope for m in mentions if m.scope and m.scope.province_code), None)
    spots = [
        m for m in mentions if m.spots and not (m.scope and not m.town and not _near(m, near_at))
    ]
    scope = next((m.scope for m in mentions if m.scope), None)
    if spots:
        mention = spots[0]
        if (
            province
            and province is not mention.scope
            and not mention.town
            or (
                province
                and mention.town
                and mention.scope is None
                and province.province_code not in {s.province_code for s in mention.spots}
            )
        ):
            mention = narrowed(mention, province.province_code or 0)
        if len(mention.spots) > 1:
            if not terms and not place_kind and not _near(mention, near_at):
                return Answer("decline", reason="no_match", options=mention.spots)
            if terms or place_kind:  # the product may settle which one ("kẹo dừa Mỏ Cày")
                fits = [
                    a
                    for a in (
                        _around(s, terms, place_kind, topic, index, TOWN_KM) for s in mention.spots
                    )
                    if a.kind == "near"
                ]
                if len(fits) == 1:
                    return fits[0]
            return Answer("ask", options=mention.spots, topic=topic, place_kind=place_kind)
        if not mention.spots:
            return Answer("decline", reason="unknown_place", topic=topic)
        origin = mention.spots[0]
        if _near(mention, near_at) or not mention.scope:
            if not terms and not place_kind and not _near(mention, near_at) and not mention.town:
                others = _nearby_places(origin, None, TOWN_KM, index)
                return Answer("decline", reason="no_match", origin=origin, others=others)
            reach = TOWN_KM if not terms and not place_kind else TOPIC_KM
            if not _near(mention, near_at) and (terms or place_kind):
                reach = TOWN_KM
            return _around(origin, terms, place_kind, topic, index, reach)
        scope = mention.scope
    if scope is not None:
        return _within(scope, terms, place_kind, topic, index)
    if any(_near(m, near_at) for m in mentions) or near_at:
        return Answer("decline", reason="unknown_place", topic=topic)
    if not place_kind and not any(t.concept for t in terms):
        return Answer("pass")  # only words no place knows: the FAQ or the menu answers
    return _anywhere(terms, place_kind, topic, index)


def _positions(words: list[str], phrase: str) -> list[int]:
    target = phrase.split()
    n = len(target)
    return [i + n for i in range(len(words) - n + 1) if words[i : i + n] == target]


def _near(mention: Mention, near_at: set[int]) -> bool:
    """Whether "near"/"gần" comes right before the mention (one filler word allowed)."""
    return mention.start in near_at or mention.start - 1 in near_at


def _named(index: Catalogue, words: list[str], mentions: list[Mention]) -> Answer | None:
    """Places the question names (a strong whole-word match in their own names). A place
    name found in the question is one phrase ("Ninh Bình" never matches "Tây Ninh")."""
    best_of: dict[int, Scored] = {}
    memo: dict[Any, Any] = {}
    readings: list[list[Term]] = []
    for as_name in (None, index.words.in_names):  # "Trà Quế" may be a name, "lụa" a product
        all_terms: list[Term] = []
        at = 0
        for mention in [*mentions, None]:
            end = mention.start if mention else len(words)
            part = words[at:end]
            all_terms += parse_terms([w for w in part if w], kind_terms=True, as_name=as_name)[0]
            all_terms += [Term(w, ((w,),), True, 0.0) for w in part if w in STOP]
            if mention:
                phrase = tuple(mention.text.split())
                all_terms.append(Term(mention.text, (phrase,), True, 1.0, proper=True))
                at = mention.end
        if not any(t.weight >= 1 for t in all_terms) or all_terms in readings:
            continue
        readings.append(all_terms)
        named_by = index.words.named_by(all_terms)
        for i in index.words.candidates(all_terms, NAME_MATCH, cap=SCORED_MAX, among=named_by):
            scored = index.words.score(i, all_terms, memo)
            if i not in best_of or scored.coverage > best_of[i].coverage:
                best_of[i] = scored
    strong = [s for s in best_of.values() if s.in_name and s.coverage >= NAME_MATCH]
    if not strong:
        return None
    strong.sort(key=lambda s: (-round(s.coverage, 3), s.extra))
    best = strong[0].coverage
    chosen = [s for s in strong if s.coverage >= best - 0.1][:LIST_MAX]
    return Answer(
        "places",
        places=tuple(index.places[s.index] for s in chosen),
        scores=tuple(round(s.coverage * 100, 1) for s in chosen),
    )


def _about(
    index: Catalogue,
    terms: list[Term],
    place_kind: str | None,
    order: list[int],
    limit: int = LIST_MAX,
) -> dict[int, Scored]:
    """The first `limit` places of `order` about the terms (all of them, allowing a typo)
    and of the kind; places are scored in that order, so a long list costs no more."""
    topical = [t for t in terms if t.weight >= 1]
    pool = index.words.candidates(topical, TOPIC_MATCH) if topical else None
    chosen: dict[int, Scored] = {}
    memo: dict[Any, Any] = {}
    for i in order:
        if place_kind and index.places[i].kind != place_kind:
            continue
        if pool is None:
            chosen[i] = Scored(i, 1.0, False, 0)
        elif i in pool:
            scored = index.words.score(i, topical, memo)
            if scored.coverage >= TOPIC_MATCH:
                chosen[i] = scored
        if len(chosen) >= limit:
            break
    return chosen


def _nearby_places(
    origin: Spot,
    allowed: dict[int, Scored] | None,
    reach: float,
    index: Catalogue,
    limit: int = 5,
) -> tuple[Nearby, ...]:
    """The nearest places (of `allowed`, when given) within `reach` km of the point."""
    found: list[tuple[float, int]] = []
    if allowed is not None and len(allowed) <= 256:
        for i in allowed:
            place = index.places[i]
            if place.lat is not None and place.lon is not None:
                km = haversine_km(origin.lat, origin.lon, place.lat, place.lon)
                if km <= reach:
                    found.append((km, i))
        found.sort()
    else:
        k = limit * 4
        while True:
            hits = index.geo.nearest(origin.lat, origin.lon, k, within_km=reach)
            found = [(km, index.located[j]) for j, km in hits]
            if allowed is not None:
                found = [(km, i) for km, i in found if i in allowed]
            if len(found) >= limit or len(hits) < k:
                break
            k *= 4
    chosen = [(km, index.places[i]) for km, i in found[:limit]]
    return tuple(
        # only located places reach here (`located` filters lat/lon None)
        Nearby(p, km, bearing_deg(origin.lat, origin.lon, p.lat, p.lon))  # type: ignore[arg-type]
        for km, p in chosen
    )


def _around(
    origin: Spot,
    terms: list[Term],
    place_kind: str | None,
    topic: str,
    index: Catalogue,
    reach: float,
) -> Answer:
    """Places about the topic around a point, nearest first; or an honest decline with the
    other places around it."""
    if not terms and not place_kind:
        found = _nearby_places(origin, None, TOWN_KM, index, limit=LIST_MAX)
        if not found:
            found = _nearby_places(origin, None, 20_000, index, limit=LIST_MAX)
        return Answer("near", nearby=found, origin=origin, topic=topic)
    allowed = _about(index, terms, place_kind, index.by_distance(origin.lat, origin.lon, reach))
    found = _nearby_places(origin, allowed, reach, index, limit=LIST_MAX)
    if found:
        return Answer("near", nearby=found, origin=origin, topic=topic, place_kind=place_kind)
    others = _nearby_places(origin, None, TOWN_KM, index)
    return Answer(
        "decline",
        reason="no_match",
        origin=origin,
        topic=topic,
        place_kind=place_kind,
        others=others,
    )


def _old_key(name: str) -> str:
    """A former province's name as compared ("TP Hồ Chí Minh" → "ho chi minh")."""
    key = fold(name)
    for prefix in ("tp ", "thanh pho ", "tinh "):
        key = key.removeprefix(prefix)
    return "hue" if key == "thua thien hue" else key


@cache
def _province_codes() -> dict[str, int]:
    from knowledge.regions import find_province

    codes = {}
    for place in places():
        match = find_province(place.province)
        if match:
            codes[place.province] = match[0].province.code
    return codes


def _within(
    scope: Scope,
    terms: list[Term],
    place_kind: str | None,
    topic: str,
    index: Catalogue,
) -> Answer:
    """Places about the topic inside a province or region, nearest its centre first."""
    if scope.old_provinces:
        area = {i for i, old in enumerate(index.old_province) if old in scope.old_provinces}
    else:
        area = {i for i, code in enumerate(index.province_code) if code == scope.province_code}
    centre = province_point(scope)
    order = (
        [i for i in index.by_distance(centre.lat, centre.lon, 20_000) if i in area]
        if (centre is not None)
        else sorted(area)
    )
    order += sorted(area.difference(order))  # places without a point last
    allowed = _about(index, terms, place_kind, order)
    inside = list(allowed)
    if not inside:
        others: tuple[Nearby, ...] = ()
        if centre is not None:
            others = _nearby_places(centre, None, TOWN_KM * 2, index)
        return Answer(
            "decline",
            reason="no_match",
            scope=scope,
            origin=centre,
            topic=topic,
            place_kind=place_kind,
            others=others,
        )

    def rank(i: int) -> tuple[float, float]:
        place = index.places[i]
        if centre is None or place.lat is None or place.lon is None:
            return (-allowed[i].coverage, 1e9)
        return (-allowed[i].coverage, haversine_km(centre.lat, centre.lon, place.lat, place.lon))

    chosen = sorted(inside, key=rank)
    return Answer(
        "places",
        places=tuple(index.places[i] for i in chosen),
        scores=tuple(round(allowed[i].coverage * 100, 1) for i in chosen),
        scope=scope,
        topic=topic,
        place_kind=place_kind,
    )


def _anywhere(terms: list[Term], place_kind: str | None, topic: str, index: Catalogue) -> Answer:
    """Places about the topic anywhere, best match first."""
    if not any(t.weight >= 1 for t in terms) and not place_kind:
        return Answer("decline", reason="no_match", topic=topic, place_kind=place_kind)
    topical = [t for t in terms if t.weight >= 1]
    order = (
        sorted(index.words.candidates(topical, TOPIC_MATCH, cap=SCORED_MAX))
        if topical
        else (list(range(len(index.places))))
    )
    allowed = _about(index, terms, place_kind, order, limit=len(order))
    if not allowed:
        return Answer("decline", reason="no_match", topic=topic, place_kind=place_kind)
    chosen = sorted(allowed, key=lambda i: (-allowed[i].coverage, allowed[i].extra, i))[:LIST_MAX]
    return Answer(
        "places",
        places=tuple(index.places[i] for i in chosen),
        scores=tuple(round(allowed[i].coverage * 100, 1) for i in chosen),
        topic=topic,
        place_kind=place_kind,
    )
