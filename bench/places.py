"""Near-me and search speed: the real places and synthetic sets, each beside a brute force.

    python -m bench.places [--queries 1000]

Prints p50/p99 per query in milliseconds. Targets: nearest-5 over 100k places p99 ≤ 2 ms,
search p99 ≤ 10 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

import numpy as np
from rapidfuzz import fuzz

from knowledge.places import GeoIndex, TextIndex, alternatives, places, search
from knowledge.text import fold


def timed(run: Callable[[object], object], queries: list) -> tuple[float, float]:  # type: ignore[type-arg]
    samples = []
    for query in queries:
        began = time.perf_counter()
        run(query)
        samples.append((time.perf_counter() - began) * 1000)
    cut = statistics.quantiles(samples, n=100)
    return cut[49], cut[98]


def line(name: str, figures: tuple[float, float]) -> None:
    print(f"{name:<46} p50 {figures[0]:8.3f} ms   p99 {figures[1]:8.3f} ms")


def brute_nearest(
    lat_rad: np.ndarray, lon_rad: np.ndarray, k: int
) -> Callable[[tuple[float, float]], list[int]]:
    cos_lat = np.cos(lat_rad)

    def run(query: tuple[float, float]) -> list[int]:
        p1, l1 = np.radians(query[0]), np.radians(query[1])
        a = (
            np.sin((lat_rad - p1) / 2) ** 2
            + np.cos(p1) * cos_lat * np.sin((lon_rad - l1) / 2) ** 2
        )
        km = 2 * 6371.0088 * np.arcsin(np.sqrt(a))
        nearest = np.argpartition(km, k)[:k]
        return nearest[np.argsort(km[nearest])].tolist()

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=1000)
    args = parser.parse_args()
    rng = random.Random(2025)
    points_q = [(rng.uniform(8.6, 23.3), rng.uniform(102.2, 109.4)) for _ in range(args.queries)]

    located = [(p.lat, p.lon) for p in places() if p.lat is not None]
    print(f"nearest-5, {args.queries} random queries in Vietnam")
    for label, points in (
        (f"real places ({len(located)})", located),
        (
            "synthetic (100,000)",
            [(rng.uniform(8.6, 23.3), rng.uniform(102.2, 109.4)) for _ in range(100_000)],
        ),
    ):
        index = GeoIndex(points)  # type: ignore[arg-type]
        line(f"  {label}: GeoIndex", timed(lambda q, i=index: i.nearest(*q, 5), points_q))
        lat_rad, lon_rad = np.radians([p[0] for p in points]), np.radians([p[1] for p in points])
        line(
            f"  {label}: brute force (numpy, all points)",
            timed(brute_nearest(lat_rad, lon_rad, 5), points_q),
        )

    words = sorted(
        {w for p in places() for w in fold(p.name + " " + p.specialties).split() if len(w) > 2}
    )
    typed = [
        "bat trang",
        "van phuc silk",
        "lang gom o dau",
        "pottery",
        "duong lam",
        "non la",
        "homestay sa pa",
        "what to buy in hoi an",
        "tho cam",
        "bat trag",
    ]
    queries = [typed[i % len(typed)] for i in range(args.queries)]
    print(
        f"\nsearch, {args.queries} queries ({len(typed)} phrasings, typos and English among them)"
    )
    line(f"  real places ({len(places())}): search()", timed(lambda q: search(q), queries))
    keys = [fold(p.name) for p in places()]
    line(
        "  real places: brute force (Python loop, WRatio)",
        timed(lambda q: sorted((fuzz.WRatio(fold(q), k), k) for k in keys)[-5:], queries),
    )
    synthetic = [" ".join(rng.sample(words, 4)) for _ in range(10_000)]
    index = TextIndex(synthetic)
    line("  10,000 names: TextIndex", timed(lambda q: index.search(alternatives(q), 40), queries))
    line(
        "  10,000 names: brute force (Python loop, WRatio)",
        timed(
            lambda q: sorted((fuzz.WRatio(fold(q), k), k) for k in synthetic)[-5:], queries[:200]
        ),
    )


if __name__ == "__main__":
    main()
