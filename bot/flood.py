"""Per-user limits, so one user's flood cannot become a flood of replies.

- `Flood`: a token bucket per chat: a burst of a few updates is answered at once, then about
  one a second; the dispatcher coalesces what comes beyond into one deferred reply. The
  bucket is kept with the updates the database records (`processed_updates.flood_full_at`,
  read with the user), so the processes serving the bot share one budget per chat.
- `LiveThrottle`: a live location sends a position every few seconds; it is answered first,
  then only when the nearest places changed, and at most once a minute. It lives in the
  process (another process answers its own positions), which is enough to bound replies.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.messages import GeoPoint
from handlers.tourism import PAGE, RADIUS_KM
from knowledge.places import nearby

_FORGET_AFTER = 10_000
"""Live locations kept before the idle ones are forgotten."""


@dataclass(frozen=True, slots=True)
class Flood:
    """`burst` updates at once, refilled at `per_second`. The bucket is one instant: when it is
    full again (`full_at`; None or past: full now). Each answered update pushes it a token's
    time later; it only grows, so the latest is the largest."""

    burst: int
    per_second: float

    def take(self, full_at: datetime | None, now: datetime) -> tuple[float, datetime | None]:
        """Spend a token of the bucket left at `full_at`: (0.0, the bucket's new `full_at`)
        when there was one, else (seconds until the next one, `full_at` unchanged)."""
        spent = 0.0 if full_at is None else max((full_at - now).total_seconds(), 0.0)
        short = spent * self.per_second - (self.burst - 1)  # tokens missing for this one
        if short > 0:
            return short / self.per_second, full_at
        return 0.0, now + timedelta(seconds=spent + 1 / self.per_second)


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
