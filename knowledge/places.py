"""Places for visitors: craft villages, community- and eco-tourism sites, heritage villages, OCOP
showrooms; nearest to a point, and found by name, product or place name, in vi or en."""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is imported when the first index is built: most processes never ask
    import numpy as np

EARTH_KM = 6371.0088
_OPENED = re.compile(r"\bopened (\d{1,2}/\d{1,2}/\d{4})")
"""How `specialties` gives the day a place (a showroom) opened: "…; opened 05/12/2021"."""
KINDS = ("craft_village", "community_tourism", "eco_tourism", "heritage_village", "ocop_showroom")


@dataclass(frozen=True, slots=True)
class Place:
    """A place from `knowledge/data/places.csv` (facts cited in its `source`)."""

    id: str
    name: str
    kind: str
    specialties: str
    province: str
    province_old: str
    district_old: str
    commune_old: str
    commune_2025: str
    lat: float | None
    lon: float | None
    precision: str
    """exact, commune_2025 (the official 2025 commune point: the village is somewhere in it),
    commune (a Wikipedia commune point) or none (no coordinate with clean provenance yet)."""
    ocop_stars: int | None
    ocop_note: str
    source: str
    notes: str
    name_en: str = ""
    description_en: str = ""
    """One line in English, written from the sources."""
    opening_hours: str = ""
    entry_fee: str = ""
    getting_there: str = ""
    activities: str = ""
    checked_on: str = ""
    """When the visitor facts (hours, fee, getting there, activities) were read in a source."""
    opening_hours_vi: str = ""
    entry_fee_vi: str = ""
    getting_there_vi: str = ""
    activities_vi: str = ""
    """The visitor facts in Vietnamese (those above are in English): a card shows its own
    language's, never the other's."""

    def opened_on(self) -> str:
        """The day the place opened, as its source gives it ("05/12/2021"), or ""."""
        found = _OPENED.search(self.specialties)
        return found.group(1) if found else ""

    def visitor_facts(self, english: bool) -> tuple[str, str, str, str]:
        """Opening hours, entry fee, getting there and activities in one language."""
        if english:
            return self.opening_hours, self.entry_fee, self.getting_there, self.activities
        return self.opening_hours_vi, self.entry_fee_vi, self.getting_there_vi, self.activities_vi


@dataclass(frozen=True, slots=True)
class Nearby:
    """A place and how far it is, and in which direction, from the asked point."""

    place: Place
    km: float
    bearing: float


@dataclass(frozen=True, slots=True)
class Found:
    """A place matching a text query."""

    place: Place
    score: float


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


def bearing_deg(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Initial compass bearing from the first point to the second (0 = north, 90 = east)."""
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    x = math.sin(dl) * math.cos(p2)
    y = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return (math.degrees(math.atan2(x, y)) + 360) % 360


def distances_km(
    lat_half: np.ndarray, lon_half: np.ndarray, cos_lat: np.ndarray, p1: float, l1: float
) -> np.ndarray:
    """Great-circle km from the point (`p1`, `l1` in radians) to many points, given by their
    latitudes and longitudes in radians halved and the cosines of their latitudes (kept at
    index time: fewer array operations per question; halving is exact, so the distances are
    those of halving each difference)."""
    import numpy as np

    sin_lat = np.sin(lat_half - p1 / 2)
    sin_lon = np.sin(lon_half - l1 / 2)
    a = sin_lat * sin_lat + math.cos(p1) * cos_lat * (sin_lon * sin_lon)
    distances: np.ndarray = 2 * EARTH_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
    return distances


_SMALL = 2048


class GeoIndex:
    """Nearest-neighbour search over fixed points: sorted by latitude, a latitude window is
    cut with two binary searches and only that slice is measured (numpy), widening until enough
    points are inside the asked radius or the window covers everything."""

    def __init__(self, points: list[tuple[float, float]]) -> None:
        import numpy as np

        order = sorted(range(len(points)), key=lambda i: points[i][0])
        self._ids = np.array(order, dtype=np.int64)
        self._lat = np.array([points[i][0] for i in order])
        self._lon = np.array([points[i][1] for i in order])
        self._lat_list = self._lat.tolist()
        lat_rad = np.radians(self._lat)
        self._cos_lat = np.cos(lat_rad)
        self._lat_half = lat_rad / 2
        self._lon_half = np.radians(self._lon) / 2

    def __len__(self) -> int:
        return len(self._ids)

    def nearest(
        self, lat: float, lon: float, k: int, *, within_km: float | None = None
    ) -> list[tuple[int, float]]:
        """(point index, km) of the k nearest points, nearest first; with `within_km`, only those
        inside it (fewer than k when there are fewer)."""
        import numpy as np

        n = len(self._ids)
        if n == 0 or k <= 0:
            return []
        window = (within_km if within_km is not None else 25.0) / 111.0
        if n <= _SMALL and within_km is None:
            window = 180.0  # a few thousand points: measuring all is cheaper than widening
        while True:
            lo = bisect_left(self._lat_list, lat - window)
            hi = bisect_right(self._lat_list, lat + window)
            km = self._distances(lat, lon, lo, hi)
            covered = lo == 0 and hi == n
            if within_km is not None:
                inside = np.nonzero(km <= within_km)[0]
                if covered or window * 111.0 >= within_km:
                    return self._take(lo, km, inside, k)
            elif len(km) >= k:
                kth = np.partition(km, k - 1)[k - 1]
                if covered or kth <= window * 111.0:  # nothing outside the window can be nearer
                    return self._take(lo, km, np.nonzero(km <= kth)[0], k)
            elif covered:
                return self._take(lo, km, np.arange(len(km)), k)
            window *= 2

    def any_within(self, lat: float, lon: float, km: float) -> bool:
        """Whether some point is within `km` of the point: one latitude window is measured
        (a point farther in latitude alone is farther away), nothing is sorted."""
        window = km / 111.0
        lo = bisect_left(self._lat_list, lat - window)
        hi = bisect_right(self._lat_list, lat + window)
        return bool((self._distances(lat, lon, lo, hi) <= km).any())

    def _distances(self, lat: float, lon: float, lo: int, hi: int) -> np.ndarray:
        p1, l1 = math.radians(lat), math.radians(lon)
        return distances_km(
            self._lat_half[lo:hi], self._lon_half[lo:hi], self._cos_lat[lo:hi], p1, l1
        )

    def _take(
        self, lo: int, km: np.ndarray, candidates: np.ndarray, k: int
    ) -> list[tuple[int, float]]:
        import numpy as np

        if len(candidates) > k:  # sort only the k nearest (and any tied with the kth)
            kth = np.partition(km[candidates], k - 1)[k - 1]
            candidates = candidates[km[candidates] <= kth]
        chosen = candidates[np.argsort(km[candidates], kind="stable")][:k]
        return list(zip(self._ids[lo + chosen].tolist(), km[chosen].tolist(), strict=True))


def _stars(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


@cache
def places() -> tuple[Place, ...]:
    """Every place in the data file, in file order."""
    text = resources.files("knowledge").joinpath("data/places.csv").read_text("utf-8")
    return tuple(
        Place(
            id=r["id"],
            name=r["name"],
            kind=r["kind"],
            specialties=r["specialties"],
            province=r["province_2025"],
            province_old=r["province"],
            district_old=r["district"],
            commune_old=r["commune"],
            commune_2025=r["commune_2025"],
            lat=float(r["lat"]) if r["lat"] else None,
            lon=float(r["lon"]) if r["lon"] else None,
            precision=r["coord_precision"],
            ocop_stars=_stars(r["ocop_stars"]),
            ocop_note=r["ocop_note"],
            source=r["source"],
            notes=r["notes"],
            name_en=r.get("name_en", ""),
            description_en=r.get("description_en", ""),
            opening_hours=r.get("opening_hours", ""),
            entry_fee=r.get("entry_fee", ""),
            getting_there=r.get("getting_there", ""),
            activities=r.get("activities", ""),
            checked_on=r.get("checked_on", ""),
            opening_hours_vi=r.get("opening_hours_vi", ""),
            entry_fee_vi=r.get("entry_fee_vi", ""),
            getting_there_vi=r.get("getting_there_vi", ""),
            activities_vi=r.get("activities_vi", ""),
        )
        for r in csv.DictReader(io.StringIO(text))
    )


def by_id(place_id: str) -> Place | None:
    """The place with this id."""
    return _by_id().get(place_id)


@cache
def _by_id() -> dict[str, Place]:
    return {p.id: p for p in places()}


def short_key(place: Place) -> str:
    """A stable 8-character key for a place (ids can be longer than button data allows)."""
    return _short_key(place.id)


@lru_cache(maxsize=4096)  # every list of places puts one on each place's button
def _short_key(place_id: str) -> str:
    return hashlib.sha1(place_id.encode()).hexdigest()[:8]


def by_short_key(key: str) -> Place | None:
    """The place with this short key."""
    return _by_short_key().get(key)


@cache
def _by_short_key() -> dict[str, Place]:
    return {short_key(p): p for p in places()}


@cache
def _located() -> tuple[tuple[Place, ...], GeoIndex]:
    located = tuple(p for p in places() if p.lat is not None and p.lon is not None)
    # `located` holds only places with both coordinates
    return located, GeoIndex([(p.lat, p.lon) for p in located])  # type: ignore[misc]


def nearby(
    lat: float,
    lon: float,
    *,
    limit: int = 5,
    radius_km: float | None = None,
    kind: str | None = None,
    offset: int = 0,
) -> list[Nearby]:
    """Places nearest to a point, nearest first (only those inside `radius_km` when given)."""
    located, index = _located()
    want = offset + limit
    hits: list[tuple[int, float]] = []
    k = want
    while True:
        hits = index.nearest(lat, lon, k, within_km=radius_km)
        matching = [(i, km) for i, km in hits if kind is None or located[i].kind == kind]
        if len(matching) >= want or len(hits) < k:
            break
        k *= 4
    return [
        # `located` holds only places with both coordinates
        Nearby(located[i], km, bearing_deg(lat, lon, located[i].lat, located[i].lon))  # type: ignore[arg-type]
        for i, km in matching[offset:want]
    ]


def search(query: str, *, limit: int = 5, kind: str | None = None) -> list[Found]:
    """Places a question asks for, best first, each with a 0–100 score; [] below the relevance
    threshold (the chat's honest "no such place" and the REST search agree)."""
    from knowledge.place_query import understand

    answer = understand(query)
    if answer.kind == "places":
        found = [Found(p, s) for p, s in zip(answer.places, answer.scores, strict=True)]
    elif answer.kind == "near":
        found = [Found(n.place, 100.0) for n in answer.nearby]
    else:
        found = []
    return [f for f in found if kind is None or f.place.kind == kind][:limit]


def _is_date(text: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _unbacked_glosses(place: Place) -> list[str]:
    """The products of the English description's "Known for:" that the row's Vietnamese name
    and specialties do not name as written: a gloss of a word read without its diacritics
    ("hát then" is no "nón", conical hats; "ngồi" is no "ngói", roof tiles)."""
    from knowledge.place_words import CONCEPTS

    said = re.search(r"Known for: (.*?)\.?$", place.description_en)
    if said is None:
        return []
    written = f"{place.name} {place.specialties}".lower()
    slips = []
    for item in (i.strip().lower() for i in said.group(1).split(",")):
        concepts = [c for c, phrases in CONCEPTS.items() if item in phrases]
        backed = any(
            re.search(rf"(?<!\w){re.escape(phrase.lower())}(?!\w)", written)
            for concept in concepts
            for phrase in CONCEPTS[concept]
        )
        if concepts and not backed:
            slips.append(f"English description names {item!r}, the Vietnamese text does not")
    return slips


def check_places() -> list[str]:
    """Problems of the places file, each naming the place; [] when it is sound."""
    from knowledge.gazetteer import outside_vietnam
    from knowledge.regions import by_code, communes, find_province

    problems: list[str] = []
    seen: set[str] = set()
    commune_index = GeoIndex([(c.lat, c.lon) for c in communes()])
    all_communes = communes()
    for place in places():
        where = f"place {place.id!r}"
        if place.id in seen:
            problems.append(f"{where}: id used twice")
        seen.add(place.id)
        if place.kind not in KINDS:
            problems.append(f"{where}: unknown kind {place.kind!r}")
        if not place.source.strip().startswith("http"):
            problems.append(f"{where}: no source URL")
        if not place.name_en or not place.description_en:
            problems.append(f"{where}: no English name or description")
        problems += [f"{where}: {slip}" for slip in _unbacked_glosses(place)]
        english, vietnamese = place.visitor_facts(True), place.visitor_facts(False)
        if any(english + vietnamese) and not _is_date(place.checked_on):
            problems.append(f"{where}: visitor facts without a 'checked on' date (YYYY-MM-DD)")
        if [bool(f) for f in english] != [bool(f) for f in vietnamese]:
            problems.append(f"{where}: a visitor fact in one language only (English and _vi)")
        if place.precision not in ("exact", "commune_2025", "commune", "none"):
            problems.append(f"{where}: unknown precision {place.precision!r}")
        if (place.lat is None) != (place.precision == "none"):
            problems.append(f"{where}: coordinates and precision {place.precision!r} disagree")
        matches = find_province(place.province)
        if len(matches) != 1 or matches[0].score < 100:
            problems.append(f"{where}: province {place.province!r} is not a 2025 province")
            continue
        if place.lat is None or place.lon is None:
            continue
        if outside_vietnam(place.lat, place.lon):
            problems.append(f"{where}: {place.lat}, {place.lon} is outside Vietnam")
            continue
        if place.precision == "commune_2025":
            unit = place.commune_2025.split(" (")[0]
            official = [
                (c.lat, c.lon)
                for c in all_communes
                if f"{c.kind} {c.name}" == unit and c.province_code == matches[0].province.code
            ]
            if (place.lat, place.lon) not in official:
                problems.append(f"{where}: not the official point of {unit!r}")
        [(nearest, _)] = commune_index.nearest(place.lat, place.lon, 1)
        home = by_code(all_communes[nearest].province_code)
        if home is None or home.code != matches[0].province.code:
            problems.append(
                f"{where}: listed in {matches[0].province.name} but its point's nearest commune "
                f"({all_communes[nearest].name}) is in {home.name if home else '?'}"
            )
    return problems
