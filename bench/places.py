"""Near-me and question-answering speed: the real places and synthetic sets, each beside a
brute force.

    python -m bench.places [--queries 1000]

Prints p50/p99 wall time per query in milliseconds, and the p99 of CPU time (on a shared,
busy machine the wall time also counts other processes' turns). Targets: nearest-5 over 100k
places p99 ≤ 2 ms; a tourist question (the evaluation set's phrasings) over 10,000 places
p99 ≤ 10 ms.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import replace

import numpy as np
from rapidfuzz import fuzz

from bench.search_quality import QUESTIONS
from knowledge.place_catalogue import Catalogue, catalogue
from knowledge.place_query import understand
from knowledge.places import GeoIndex, Place, places
from knowledge.text import fold


def timed(run: Callable[[object], object], queries: list) -> tuple[float, float, float]:  # type: ignore[type-arg]
    """p50 and p99 wall time, and p99 CPU time of this thread (what a busy machine's other
    processes do not add), in milliseconds."""
    wall, cpu = [], []
    for query in queries:
        began, began_cpu = time.perf_counter(), time.thread_time()
        run(query)
        wall.append((time.perf_counter() - began) * 1000)
        cpu.append((time.thread_time() - began_cpu) * 1000)
    cut = statistics.quantiles(wall, n=100)
    return cut[49], cut[98], statistics.quantiles(cpu, n=100)[98]


def line(name: str, figures: tuple[float, float, float]) -> None:
    print(
        f"{name:<46} p50 {figures[0]:8.3f} ms   p99 {figures[1]:8.3f} ms"
        f"   (CPU p99 {figures[2]:7.3f} ms)"
    )


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

    asked = [
        (q["q"], tuple(q["here"]) if "here" in q else None)
        for q in json.loads(QUESTIONS.read_text("utf-8"))["questions"]
    ]
    queries = [asked[i % len(asked)] for i in range(args.queries)]
    print(f"\nquestions, {args.queries} asked ({len(asked)} phrasings of the evaluation set)")
    bundled = catalogue()
    line(
        f"  real places ({len(places())}): understand()",
        timed(lambda q: understand(q[0], q[1], within=bundled), queries),
    )
    synthetic = Catalogue(synthetic_places(rng, 10_000))
    line(
        "  10,000 places: understand()",
        timed(lambda q: understand(q[0], q[1], within=synthetic), queries),
    )
    keys = [fold(p.name) for p in synthetic.places]
    line(
        "  10,000 names: brute force (Python loop, WRatio)",
        timed(lambda q: sorted((fuzz.WRatio(fold(q[0]), k), k) for k in keys)[-5:], queries[:200]),
    )


def synthetic_places(rng: random.Random, n: int) -> tuple[Place, ...]:
    """`n` places made from the real ones: their words shuffled into new names, their points
    moved up to 0.3° (a benchmark set, never data)."""
    real = places()
    words = sorted({w for p in real for w in p.name.split() if len(w) > 2})
    made = []
    for i in range(n):
        base = real[i % len(real)]
        lat = None if base.lat is None else base.lat + rng.uniform(-0.3, 0.3)
        lon = None if base.lon is None else base.lon + rng.uniform(-0.3, 0.3)
        name = " ".join(rng.sample(words, 3)) if i >= len(real) else base.name
        made.append(replace(base, id=f"{base.id}-{i}", name=name, lat=lat, lon=lon))
    return tuple(made)


if __name__ == "__main__":
    main()
