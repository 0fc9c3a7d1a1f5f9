"""Places: the nearest-neighbour index against brute force, search in any spelling, place names
old and new, the data check, and the REST API."""

from __future__ import annotations

import os
import random
import subprocess
import sys

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.places import GeoIndex, by_id, check_places, haversine_km, nearby, places, search
from knowledge.regions import find_named_point

coords = st.tuples(
    st.floats(min_value=8.5, max_value=23.3), st.floats(min_value=102.2, max_value=109.5)
)


@settings(max_examples=60, deadline=None)
@given(points=st.lists(coords, min_size=1, max_size=300), query=coords, k=st.integers(1, 8))
def test_nearest_equals_brute_force(
    points: list[tuple[float, float]], query: tuple[float, float], k: int
) -> None:
    index = GeoIndex(points)
    got = index.nearest(*query, k)
    brute = sorted(haversine_km(*query, *p) for p in points)[:k]
    assert [round(km, 6) for _, km in got] == [round(km, 6) for km in brute]
    assert all(abs(haversine_km(*query, *points[i]) - km) < 1e-6 for i, km in got)


@settings(max_examples=40, deadline=None)
@given(
    points=st.lists(coords, min_size=1, max_size=200),
    query=coords,
    radius=st.floats(min_value=1, max_value=400),
)
def test_radius_keeps_exactly_the_points_inside(
    points: list[tuple[float, float]], query: tuple[float, float], radius: float
) -> None:
    got = GeoIndex(points).nearest(*query, len(points), within_km=radius)
    inside = sorted(d for d in (haversine_km(*query, *p) for p in points) if d <= radius)
    assert [round(km, 6) for _, km in got] == [round(km, 6) for km in inside]


def test_nearby_on_the_real_data_with_kind_and_pages() -> None:
    hoan_kiem = (21.0285, 105.8542)
    first = nearby(*hoan_kiem, limit=5)
    assert [round(n.km, 3) for n in first] == sorted(round(n.km, 3) for n in first)
    located = [p for p in places() if p.lat is not None]
    brute = sorted(located, key=lambda p: haversine_km(*hoan_kiem, p.lat, p.lon))[:10]  # type: ignore[arg-type]
    second = nearby(*hoan_kiem, limit=5, offset=5)
    assert [n.place.id for n in first + second] == [p.id for p in brute]
    crafts = nearby(*hoan_kiem, limit=3, kind="craft_village")
    assert {n.place.kind for n in crafts} == {"craft_village"}
    assert nearby(*hoan_kiem, limit=5, radius_km=0.1) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param("Bát Tràng", "lang-gom-bat-trang", id="vi"),
        pytest.param("bat trang", "lang-gom-bat-trang", id="no-diacritics"),
        pytest.param("bat trag", "lang-gom-bat-trang", id="typo"),
        pytest.param("what to buy in Van Phuc", "lang-lua-van-phuc", id="english-question"),
        pytest.param("duong lam", "lang-co-duong-lam", id="heritage"),
        pytest.param("Bát Tràng có gì", "lang-gom-bat-trang", id="vi-question"),
    ],
)
def test_search_finds_the_intended_place(query: str, expected: str) -> None:
    assert expected in [f.place.id for f in search(query, limit=2)]


@pytest.mark.parametrize(
    ("query", "word"),
    [
        pytest.param("pottery", "gốm", id="pottery"),
        pytest.param("silk", "lụa", id="silk"),
        pytest.param("conical hat", "nón", id="conical-hat"),
        pytest.param("làng gốm ở đâu", "gốm", id="vi-where"),
    ],
)
def test_english_and_vietnamese_product_words_meet(query: str, word: str) -> None:
    found = search(query, limit=5)
    assert found and all(word in (f.place.name + f.place.specialties).lower() for f in found[:2])


def test_search_of_nonsense_finds_nothing() -> None:
    assert search("qwxz") == []


@pytest.mark.parametrize(
    ("typed", "near_place", "km"),
    [
        pytest.param("Hội An", "trung-tam-ocop-thanh-pho-hoi-an", 10, id="old-city-new-province"),
        pytest.param("hoi an da nang", "trung-tam-ocop-thanh-pho-hoi-an", 10, id="with-province"),
        pytest.param("Gia Lâm", "lang-gom-bat-trang", 15, id="old-district"),
        pytest.param("xã Bát Tràng", "lang-gom-bat-trang", 2, id="2025-commune"),
        pytest.param("Vĩnh Phúc", "lang-banh-chung-diem-xuan", 60, id="old-province"),
    ],
)
def test_typed_place_names_resolve_near_the_right_places(
    typed: str, near_place: str, km: float
) -> None:
    point = find_named_point(typed)
    place = by_id(near_place)
    assert point is not None and place is not None
    if place.lat is not None:
        assert haversine_km(point.lat, point.lon, place.lat, place.lon) < km  # type: ignore[arg-type]
    else:  # a place without coordinates: its province at least
        assert place.province.endswith(point.label.split("(")[-1].rstrip(")").strip())


def test_ambiguous_or_unknown_names_do_not_guess() -> None:
    assert find_named_point("Sơn Tây") is None  # a town near Hà Nội and a district of Quảng Ngãi
    assert find_named_point("5") is None
    assert find_named_point("xyzzy") is None


def test_every_place_passes_the_check() -> None:
    assert check_places() == []
    assert len(places()) >= 193
    assert len({p.province for p in places()}) >= 33


def test_places_check_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "places", "check"],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ.copy(),
    )
    assert (done.returncode, done.stdout.strip()) == (0, f"ok\t{len(places())} places")


async def test_rest_nearby_sorted_with_distance(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/api/places/nearby",
        params={"lat": 21.0285, "lon": 105.8542, "limit": 4, "kind": "craft_village"},
    )
    assert response.status_code == 200
    body = response.json()
    assert len(body) == 4 and {b["kind"] for b in body} == {"craft_village"}
    assert [b["distance_km"] for b in body] == sorted(b["distance_km"] for b in body)


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        pytest.param({"lat": 48.85, "lon": 2.35}, "is outside Vietnam", id="paris"),
        pytest.param(
            {"lat": 21, "lon": 105.8, "kind": "castle"}, "unknown kind 'castle'", id="kind"
        ),
        pytest.param({"lat": 91, "lon": 105.8}, "less than or equal to 90", id="lat-range"),
        pytest.param({"lat": "abc", "lon": 105.8}, "valid number", id="not-a-number"),
        pytest.param(
            {"lat": 21, "lon": 105.8, "limit": 0}, "greater than or equal to 1", id="limit"
        ),
        pytest.param({"lon": 105.8}, "Field required", id="missing"),
    ],
)
async def test_rest_nearby_rejects_bad_parameters(
    client: httpx.AsyncClient, params: dict, detail: str
) -> None:
    response = await client.get("/api/places/nearby", params=params)
    assert response.status_code == 422
    assert detail in str(response.json()["detail"])


async def test_rest_search_and_detail(client: httpx.AsyncClient) -> None:
    found = (await client.get("/api/places/search", params={"q": "silk van phuc"})).json()
    assert found[0]["id"] in ("lang-lua-van-phuc", "diem-ocop-lang-lua-van-phuc")
    assert found[0]["score"] >= 85
    one = (await client.get("/api/places/lang-gom-bat-trang")).json()
    assert one["province"] == "Thành phố Hà Nội" and one["source"][0].startswith("http")
    assert (await client.get("/api/places/nope")).status_code == 404
    assert (await client.get("/api/places/search", params={"q": ""})).status_code == 422


def test_random_queries_never_fail() -> None:
    rng = random.Random(7)
    for _ in range(200):
        lat, lon = rng.uniform(8.5, 23.3), rng.uniform(102.2, 109.5)
        assert len(nearby(lat, lon, limit=5)) == 5
