"""The places a question is answered from, indexed once: their words (`PlaceIndex`), their
points (`GeoIndex`, and a vectorised distance to all of them), their provinces and kinds."""

from __future__ import annotations

import math
import re
from functools import cache

from knowledge.place_search import PlaceIndex
from knowledge.places import GeoIndex, Place, distances_km, places
from knowledge.regions import find_province
from knowledge.text import fold

_LOCATED = re.compile(r"^[^.]* in [^.()]*, [^.()]* province")
"""The English description's opening "… site in Đà Bắc, Phú Thọ province": where the place is
(its location words are matched as such), not what it offers ("Bắc" is not silver)."""


_MATERIAL = re.compile(
    r"\b(?:bọc|(?<!Cao )(?<![đĐ]ồng )bằng|covered (?:with|in)|made (?:of|from)|wrapped in)\b"
    r"[^,;()|.]*|\b(?:khung|thùng) (?:tre|gỗ|sắt|thép|nhôm)\b|\b(?:on|with) \w+ frames\b"
    r"|\b(?:wooden|bamboo|iron|steel) (?:vats?|barrels?|frames?)\b"
)
"""What a product is made of ("đèn lồng khung tre bọc vải lụa": the bamboo and the silk of a
lantern; "ủ thùng gỗ", "aged in wooden vats": the fish sauce's vats), which a question for
that material ("lụa ở Hội An", "gỗ ở Phú Quốc") must not find: the place does not offer it."""


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
        f"{place.name} | {place.name_en}",  # "|" parts the names (`PlaceIndex`)
        _MATERIAL.sub("", f"{place.specialties} {_LOCATED.sub('', place.description_en)}"),
        where,
        place.kind,
    )


class Catalogue:
    """Places with their word index, their point index and what filters need, built once."""

    def __init__(self, chosen: tuple[Place, ...]) -> None:
        import numpy as np  # here: most processes never build the catalogue

        self.places = chosen
        self.words = PlaceIndex(_fields(p) for p in chosen)
        self.located: list[int] = []
        points: list[tuple[float, float]] = []
        for i, place in enumerate(chosen):
            if place.lat is not None and place.lon is not None:
                self.located.append(i)
                points.append((place.lat, place.lon))
        self.geo = GeoIndex(points)
        lat_rad = np.radians([lat for lat, _ in points])
        self._lat_half = lat_rad / 2
        self._lon_half = np.radians([lon for _, lon in points]) / 2
        self._cos_lat = np.cos(lat_rad)
        self._located = np.array(self.located, dtype=np.int64)
        codes = _province_codes()
        self.province_code = [codes.get(p.province, 0) for p in chosen]
        self.old_province = [_old_key(p.province_old) for p in chosen]
        self.by_kind: dict[str, list[int]] = {}
        for i, place in enumerate(chosen):
            self.by_kind.setdefault(place.kind, []).append(i)
        self.unlocated: dict[str, list[int]] = {}
        """Places without a point by their former district, folded ("sa pa")."""
        for i, place in enumerate(chosen):
            if place.lat is None or place.lon is None:
                self.unlocated.setdefault(fold(place.district_old), []).append(i)

    def province_of(self, place: Place) -> int:
        """The code of the 2025 province a place is in (0: not known)."""
        return _province_codes().get(place.province, 0)

    def knows(self, word: str) -> bool:
        """Whether some place holds this word."""
        return self.words.knows(word)

    def by_distance(self, lat: float, lon: float, reach: float) -> list[int]:
        """Located places within `reach` km of the point, nearest first (vectorised)."""
        import numpy as np

        p1, l1 = math.radians(lat), math.radians(lon)
        km = distances_km(self._lat_half, self._lon_half, self._cos_lat, p1, l1)
        inside = np.nonzero(km <= reach)[0]
        nearest: list[int] = self._located[inside[np.argsort(km[inside], kind="stable")]].tolist()
        return nearest


@cache
def catalogue() -> Catalogue:
    """The bundled places."""
    return Catalogue(places())


def _old_key(name: str) -> str:
    """A former province's name as compared ("TP Hồ Chí Minh" → "ho chi minh"), without the
    source's note ("Bà Rịa - Vũng Tàu (2025: TP Hồ Chí Minh)")."""
    key = fold(name.split(" (")[0])
    for prefix in ("tp ", "thanh pho ", "tinh "):
        key = key.removeprefix(prefix)
    return "hue" if key == "thua thien hue" else key


@cache
def _province_codes() -> dict[str, int]:
    codes = {}
    for place in places():
        match = find_province(place.province)
        if match:
            codes[place.province] = match[0].province.code
    return codes
