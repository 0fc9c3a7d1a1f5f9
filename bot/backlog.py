"""Messages a door accepted but could not record yet (the database was unavailable).

Zalo does not promise to deliver an event again, so its door keeps such events here and
retries them in the background until the database takes them; a redelivery by Zalo, should
one come, is recognised by its message id and not handled twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable

from bot.messages import Incoming

logger = logging.getLogger(__name__)


class Backlog:
    """Retries `handle(msg)` every `every` seconds, oldest first, until it stops raising;
    a message still failing after `give_up_after` seconds is dropped with an error logged."""

    def __init__(
        self,
        handle: Callable[[Incoming], Awaitable[None]],
        *,
        limit: int = 1000,
        every: float = 5.0,
        give_up_after: float = 3600.0,
    ) -> None:
        self.handle = handle
        self.limit = limit
        self.every = every
        self.give_up_after = give_up_after
        self._waiting: deque[tuple[float, Incoming]] = deque()
        self._task: asyncio.Task[None] | None = None

    def __len__(self) -> int:
        return len(self._waiting)

    def add(self, msg: Incoming) -> bool:
        """Keep `msg` for a retry; False when the backlog is full."""
        if len(self._waiting) >= self.limit:
            logger.error("backlog full: update %s from %s not kept", msg.update_id, msg.platform)
            return False
        self._waiting.append((time.monotonic(), msg))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._drain())
        return True

    async def close(self) -> None:
        """Stop retrying (what is left is logged)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._waiting:
            logger.error("%d updates left unrecorded at shutdown", len(self._waiting))

    async def _drain(self) -> None:
        while self._waiting:
            await asyncio.sleep(self.every)
            while self._waiting:
                since, msg = self._waiting[0]
                try:
                    await self.handle(msg)
                except Exception as exc:  # still unavailable: wait for the next round
                    if time.monotonic() - since > self.give_up_after:
                        self._waiting.popleft()
                        logger.error("update %s given up after retries: %s", msg.update_id, exc)
                        continue
                    break
                self._waiting.popleft()
