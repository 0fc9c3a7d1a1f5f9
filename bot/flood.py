"""Per-user limits, so one user's flood cannot become a flood of replies.

- `Budget`: a token bucket per user: a burst of a few updates is answered at once, then about
  one a second; the dispatcher coalesces what comes beyond into one deferred reply.
- `LiveThrottle`: a live location sends a position every few seconds; it is answered first,
  then only when the nearest places changed, and at most once a minute.

Both live in the process (a second process keeps its own), which is enough to bound replies.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable

from bot.messages import GeoPoint
from handlers.tourism import PAGE, RADIUS_KM
from knowledge.places import nearby

_FORGET_AFTER = 10_000
"""Entries kept before the idle ones are forgotten."""


class Budget:
    """Token buckets by key: `burst` updates at once, refilled at `per_second`."""

    def __init__(
        self,
        burst: int,
        per_second: float,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.burst = burst
        self.per_second = per_second
        self.clock = clock
        self._buckets: dict[Hashable, tuple[float, float]] = {}
        """key → (tokens, when they were counted)."""

    def take(self, key: Hashable) -> float:
        """Spend a token: 0.0 when there was one, else the seconds until the next one."""
        now = self.clock()
        tokens, then = self._buckets.get(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - then) * self.per_second)
        if tokens >= 1.0:
            self._buckets[key] = (tokens - 1.0, now)
            self._forget_idle(now)
            return 0.0
        self._buckets[key] = (tokens, now)
        return (1.0 - tokens) / self.per_second

    def _forget_idle(self, now: float) -> None:
        if len(self._buckets) > _FORGET_AFTER:
            full_after = self.burst / self.per_second
            self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < full_after}


def _nearest(point: GeoPoint) -> frozenset[str]:
    """The ids of the places a location answer lists first."""
    return frozenset(
        n.place.id for n in nearby(point.lat, point.lon, limit=PAGE, radius_km=RADIUS_KM)
    )


class LiveThrottle:
    """Decides which positions of a live location are worth an answer."""

    def __init__(
        self, *, every: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.every = every
        self.clock = clock
        self._answered: dict[Hashable, tuple[float, frozenset[str]]] = {}
        """key → (when the last answer went, the places it listed)."""

    def should_answer(self, key: Hashable, point: GeoPoint, *, update: bool) -> bool:
        """True for a location the user sent (`update` False); for a new position of a live
        location only when a minute has passed since the last location answer and the nearest
        places differ from that answer's."""
        now = self.clock()
        last = self._answered.get(key)
        if update and last is not None:
            if now - last[0] < self.every:
                return False
            places = _nearest(point)
            if places == last[1]:
                return False
        else:
            places = _nearest(point)
        self._answered[key] = (now, places)
        if len(self._answered) > _FORGET_AFTER:
            self._answered = {k: v for k, v in self._answered.items() if now - v[0] < 3600}
        return True
