"""The answers a question about places gets, once it is read: the places it names, places
about a topic around a point, inside a province or region, or anywhere — or an honest decline
with the other places near the point asked about."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from knowledge.gazetteer import SAME_PLACE_KM, Mention, Scope, Spot, name_forms, province_point
from knowledge.place_catalogue import Catalogue
from knowledge.place_search import Scored, Term, parse_terms, single_concepts
from knowledge.place_words import STOP
from knowledge.places import Nearby, Place, bearing_deg, haversine_km
from knowledge.text import fold

NAME_MATCH = 0.8
"""Share of the question's words a place must hold (its name holding one) to be the answer."""
TOPIC_MATCH = 0.75
"""Share of the product/kind words a place must hold to count as being about them."""
TOWN_KM = 30.0
"""How far around a town a list reaches ("near Hội An", "Hội An pottery")."""
TOPIC_KM = 150.0
"""How far a list of a product or kind reaches around a point."""
ANYWHERE_KM = 20_000.0
"""Farther than any two points of Vietnam: the nearest places, however far."""
LIST_MAX = 20
"""Longest list an answer carries (the chat shows five at a time)."""
SCORED_MAX = 50
"""At most this many places are scored for one reading of a question: those holding most of
its words (a bound on their score), so a question stays fast over tens of thousands."""


@dataclass(frozen=True, slots=True)
class Answer:
    """What the bot makes of a question."""

    kind: str
    """places (the places named), near (a list measured from `origin`), distance (from
    `origin` to `target`, `km`), decline, outside, need_location, ask (which of `options`?,
    or, with `scope` a province merged before 2025, which part of it) or pass (not a question
    about places)."""
    places: tuple[Place, ...] = ()
    scores: tuple[float, ...] = ()
    nearby: tuple[Nearby, ...] = ()
    origin: Spot | None = None
    scope: Scope | None = None
    topic: str = ""
    """The product or kind words asked for, as typed (folded)."""
    place_kind: str | None = None
    reason: str = ""
    """For a decline: no_match, unknown_place, or what the bot does not do (a key of
    `place_query.CANNOT`)."""
    others: tuple[Nearby, ...] = ()
    """For a decline: other places near the point asked about, shown as *other* places."""
    others_inside: bool = False
    """The other places are inside the province asked about (`scope`), nearest its middle
    first: their distances from that middle are no distance a visitor would travel."""
    options: tuple[Spot, ...] = field(default=())
    practical: bool = False
    """Hours or a phone were asked of the places found, which the data does not hold."""
    unplaced: tuple[Place, ...] = ()
    """For a list around a town, its places about the topic the data has no point for ("du
    lịch cộng đồng ở Sa Pa": Cát Cát), listed at `unplaced_at`: after those of the town's
    province, before any of another."""
    unplaced_at: int = 0
    opened: bool = False
    """Since when the places found are open was asked (the reply gives what the data says)."""
    target: Spot | None = None
    """For a distance, the point measured to (the place of `places`, when it is one)."""
    km: float = 0.0
    """For a distance, the straight-line kilometres from `origin` to `target`."""


def named(
    index: Catalogue,
    words: list[str],
    mentions: list[Mention],
    plain: frozenset[str] = frozenset(),
    typed: Mapping[str, frozenset[str]] | None = None,
) -> Answer | None:
    """Places the question names (a strong whole-word match in their own names, with two
    words of one of them or all of it: "bạn là *ai*" does not name "Xóm Lũy Ai"). A place
    name found in the question is one phrase ("Ninh Bình" never matches "Tây Ninh"); `plain`
    words are read as common words (`place_search.Term.plain`), `typed` words as typed
    (`place_search.parse_terms`)."""
    best_of: dict[int, Scored] = {}
    memo: dict[Any, Any] = {}
    readings: list[list[Term]] = []
    in_names = index.words.in_names
    may_be_names = any(in_names(w) for w in single_concepts(words))  # else one reading only
    for as_name in (None, in_names) if may_be_names else (None,):  # "Trà Quế", "lụa"
        all_terms: list[Term] = []
        at = 0
        for mention in [*mentions, None]:
            end = mention.start if mention else len(words)
            part = words[at:end]
            found = parse_terms(
                [w for w in part if w], kind_terms=True, as_name=as_name, plain=plain, typed=typed
            )
            all_terms += found[0]
            all_terms += [Term(w, ((w,),), True, 0.0) for w in part if w in STOP]
            if mention:
                forms = name_forms(mention.text)  # "hanoi" is also "ha noi"
                all_terms.append(Term(mention.text, forms, True, 1.0, proper=True))
                at = mention.end
        if not any(t.weight >= 1 for t in all_terms) or all_terms in readings:
            continue
        readings.append(all_terms)
        named_by = index.words.named_by(all_terms)
        for i in index.words.candidates(all_terms, NAME_MATCH, cap=SCORED_MAX, among=named_by):
            scored = index.words.score(i, all_terms, memo)
            if i not in best_of or scored.coverage > best_of[i].coverage:
                best_of[i] = scored
    strong = [s for s in best_of.values() if s.in_name and s.coverage >= NAME_MATCH and s.names_it]
    strong = [s for s in strong if not _named_by_town(index, s.index, words, mentions)]
    if not strong:
        return None
    spots = [spot for mention in mentions for spot in mention.spots]
    away = {s.index for s in strong if _away(index.places[s.index], spots)}
    if len(away) < len(strong):  # "Hoi An": in Hội An, not "bánh hỏi An Nhứt" 600 km off
        strong = [s for s in strong if s.index not in away]
    settled = [spot for mention in mentions if mention.settled for spot in mention.spots]
    strong = [s for s in strong if not _away(index.places[s.index], settled, SAME_PLACE_KM)]
    if not strong:  # "Vạn Phúc Thanh Trì": that former commune, not Hà Đông's silk village
        return None
    strong.sort(key=lambda s: (-round(s.coverage, 3), s.extra))
    best = strong[0].coverage
    chosen = [s for s in strong if s.coverage >= best - 0.1][:LIST_MAX]
    return Answer(
        "places",
        places=tuple(index.places[s.index] for s in chosen),
        scores=tuple(round(s.coverage * 100, 1) for s in chosen),
    )


def _named_by_town(index: Catalogue, i: int, words: list[str], mentions: list[Mention]) -> bool:
    """Whether a place's name holds, of a question asking for a product or kind, only the town
    or province it names ("dừa ở Hội An" is about coconuts in Hội An, not the OCOP centre named
    "… Hội An" that shows coconut paper; "làng nghề Hội An" about all its craft villages), not a
    word of the product asked for nor two of the kind ("Trung tâm OCOP Hội An")."""
    inside = {i for m in mentions if m.town or m.scope for i in range(m.start, m.end)}
    if not inside:
        return False
    rest = [w for k, w in enumerate(words) if w and k not in inside]
    terms, kinds = parse_terms(rest)
    if not kinds and not any(t.concept and t.weight >= 1 for t in terms):
        return False
    hits = index.words.own_name_words(i).intersection(rest)
    asked = {w for t in terms if t.weight >= 1 for w in t.text.split()}
    return hits.isdisjoint(asked) and len(hits) < 2  # a kind's one word ("nghề") names none


def _away(place: Place, spots: Sequence[Spot], km: float = TOWN_KM) -> bool:
    """Whether a located place lies farther than `km` from every point the question names
    (never, when it names none)."""
    if place.lat is None or place.lon is None:
        return False
    return bool(spots) and all(
        haversine_km(spot.lat, spot.lon, place.lat, place.lon) > km for spot in spots
    )


def _about(
    index: Catalogue,
    terms: list[Term],
    place_kind: str | None,
    order: Sequence[int],
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


def nearby_places(
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


def around(
    origin: Spot,
    terms: list[Term],
    place_kind: str | None,
    topic: str,
    index: Catalogue,
    reach: float,
) -> Answer:
    """Places about the topic around a point, nearest first (those beyond TOWN_KM are shown
    as farther away; around the location shared, the nearest anywhere when none is within
    `reach`); or an honest decline with the other places around it, or, around a
    town or area (not a commune a word happened to name), the nearest anywhere when none is."""
    if not place_kind and not any(t.weight >= 1 for t in terms):  # "du lịch Rạch Giá"
        found = nearby_places(origin, None, TOWN_KM, index, limit=LIST_MAX)
        if not found:
            found = nearby_places(origin, None, ANYWHERE_KM, index, limit=LIST_MAX)
        return Answer("near", nearby=found, origin=origin, topic=topic)
    allowed = _about(index, terms, place_kind, index.by_distance(origin.lat, origin.lon, reach))
    found = nearby_places(origin, allowed, reach, index, limit=LIST_MAX)
    if not found and origin.level == "here":  # none near the location shared ("where can I
        # buy silk" in Hội An): the nearest about it anywhere, said to be farther away; around
        # a place named, "none near it" is the answer (its others around it follow)
        farther = index.by_distance(origin.lat, origin.lon, ANYWHERE_KM)
        allowed = _about(index, terms, place_kind, farther, limit=len(farther))
        found = nearby_places(origin, allowed, ANYWHERE_KM, index, limit=LIST_MAX)
    if found:
        return Answer("near", nearby=found, origin=origin, topic=topic, place_kind=place_kind)
    others = nearby_places(origin, None, TOWN_KM, index)
    if not others and origin.level not in ("commune", "old_commune"):  # an area: the nearest
        others = nearby_places(origin, None, ANYWHERE_KM, index)
    return Answer(
        "decline",
        reason="no_match",
        origin=origin,
        topic=topic,
        place_kind=place_kind,
        others=others,
    )


def unlocated(
    name: str,
    spot: Spot,
    terms: list[Term],
    place_kind: str | None,
    topic: str,
    index: Catalogue,
) -> Answer | None:
    """The places about the topic the data has no point for, in the former district (or the
    town named as it) of that name in the spot's province ("dệt thổ cẩm Sapa": Cát Cát): no
    list around a point can hold them. None when there is none."""
    names = {" ".join(form) for form in name_forms(name)}  # "sapa" is also "sa pa"
    order = [
        i
        for area in names
        for i in index.unlocated.get(area, ())
        if index.province_code[i] == spot.province_code
    ]
    allowed = _about(index, terms, place_kind, order) if order else {}
    if not allowed:
        return None
    chosen = sorted(allowed, key=lambda i: _rank(allowed[i]))
    return Answer(
        "places",
        places=tuple(index.places[i] for i in chosen),
        scores=tuple(round(allowed[i].coverage * 100, 1) for i in chosen),
        topic=topic,
        place_kind=place_kind,
    )


def in_scope(
    scope: Scope,
    terms: list[Term],
    place_kind: str | None,
    topic: str,
    index: Catalogue,
) -> Answer:
    """Places about the topic inside a province or region, nearest its centre first."""
    centre, order, km = _scope_places(index, scope)
    allowed = _about(index, terms, place_kind, order)
    inside = list(allowed)
    if not inside:  # the province's own places, else those around its middle
        own = _own_places(index, centre, order, km)
        others = own or (nearby_places(centre, None, TOWN_KM * 2, index) if centre else ())
        return Answer(
            "decline",
            reason="no_match",
            scope=scope,
            origin=centre,
            topic=topic,
            place_kind=place_kind,
            others=others,
            others_inside=bool(own),
        )

    generic = {t.text for t in terms if t.weight < 1}

    def rank(i: int) -> tuple[float, int, float]:
        return (-allowed[i].coverage, -_calls_it(index.places[i], generic), km.get(i, 1e9))

    chosen = sorted(inside, key=rank)
    return Answer(
        "places",
        places=tuple(index.places[i] for i in chosen),
        scores=tuple(round(allowed[i].coverage * 100, 1) for i in chosen),
        scope=scope,
        topic=topic,
        place_kind=place_kind,
    )


def _own_places(
    index: Catalogue, centre: Spot | None, order: Sequence[int], km: Mapping[int, float]
) -> tuple[Nearby, ...]:
    """A province's located places nearest its middle, the first few."""
    if centre is None:
        return ()
    located = [i for i in order if i in km][:OTHERS]
    return tuple(
        Nearby(p, km[i], bearing_deg(centre.lat, centre.lon, p.lat or 0.0, p.lon or 0.0))
        for i in located
        for p in (index.places[i],)
    )


OTHERS = 5
"""How many other places a decline shows."""


@lru_cache(maxsize=512)  # a few hundred provinces, former provinces and regions
def _scope_places(
    index: Catalogue, scope: Scope
) -> tuple[Spot | None, tuple[int, ...], Mapping[int, float]]:
    """A scope's centre, its places nearest the centre first (those without a point last) and
    how far each located one is from the centre: the same for every question about it."""
    if scope.old_provinces:
        area = {i for i, old in enumerate(index.old_province) if old in scope.old_provinces}
    else:
        area = {i for i, code in enumerate(index.province_code) if code == scope.province_code}
    centre = province_point(scope)
    order = (
        [i for i in index.by_distance(centre.lat, centre.lon, ANYWHERE_KM) if i in area]
        if (centre is not None)
        else sorted(area)
    )
    order += sorted(area.difference(order))  # places without a point last
    km = {
        i: haversine_km(centre.lat, centre.lon, place.lat, place.lon)
        for i in order
        if centre is not None
        and (place := index.places[i]).lat is not None
        and place.lon is not None
    }
    return centre, tuple(order), km


def _calls_it(place: Place, generic: set[str]) -> int:
    """How many generic words of the question ("làng", "village") the place's names hold: at an
    equal match, "làng hoa" is the flower village before an orchid garden."""
    named = set(fold(f"{place.name} {place.name_en}").split())
    return len(generic & named)


def _rank(scored: Scored) -> tuple[float, bool, int, int]:
    """Best match first; at equal match, a place whose own name holds the product ("Làng chạm
    bạc Đồng Xâm" before a pottery village of Bắc Ninh for "bạc"), then the closest name."""
    return (-scored.coverage, not scored.in_name, scored.extra, scored.index)


def anywhere(terms: list[Term], place_kind: str | None, topic: str, index: Catalogue) -> Answer:
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
    chosen = sorted(allowed, key=lambda i: _rank(allowed[i]))[:LIST_MAX]
    return Answer(
        "places",
        places=tuple(index.places[i] for i in chosen),
        scores=tuple(round(allowed[i].coverage * 100, 1) for i in chosen),
        topic=topic,
        place_kind=place_kind,
    )
