"""The background worker: the reminder clock and the outbox delivery, in `serve` by default or
alone as `ocop-bot worker`. On PostgreSQL an advisory lock keeps a second worker passive."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.delivery import Delivery, Sender
from bot.retention import schedule_retention
from bot.scheduler import start_clock
from bot.senders import open_senders
from bot.settings import Settings
from db.session import Database

logger = logging.getLogger(__name__)
_WORKER_LOCK = 7_242_026


class Worker:
    """Starts the clock and the delivery loop once it holds the worker lock."""

    def __init__(self, db: Database, senders: dict[str, Sender], settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self.delivery = Delivery(db, senders, per_second=settings.SEND_RATE)
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._lock_connection: AsyncConnection | None = None

    async def start(self) -> None:
        """Run in the background until `stop`."""
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        """Finish the current pass and stop."""
        self._stop.set()
        if self._task is not None:
            await self._task

    async def _run(self) -> None:
        while not self._stop.is_set() and not await self._acquire():
            logger.info("another worker holds the lock; waiting")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), timeout=30)
        if self._stop.is_set():
            return
        await self.delivery.recover()
        clock = start_clock(self.db)
        schedule_retention(clock, self.db, self.settings)
        try:
            await self.delivery.run_forever(self._stop)
        finally:
            clock.shutdown(wait=False)
            await self._release()

    async def _release(self) -> None:
        """Give the lock up (a pooled connection would otherwise keep holding it)."""
        if self._lock_connection is not None:
            await self._lock_connection.execute(
                text("SELECT pg_advisory_unlock(:id)"), {"id": _WORKER_LOCK}
            )
            await self._lock_connection.close()
            self._lock_connection = None

    async def _acquire(self) -> bool:
        engine = self.db.async_engine
        if engine is None:  # SQLite: one process by design
            return True
        connection = await engine.connect()
        held = (
            await connection.execute(
                text("SELECT pg_try_advisory_lock(:id)"), {"id": _WORKER_LOCK}
            )
        ).scalar()
        if held:
            self._lock_connection = connection  # the lock lives as long as this connection
            return True
        await connection.close()
        return False


async def run_worker(settings: Settings) -> None:
    """`ocop-bot worker`: the clock and the delivery, until interrupted."""
    db = Database(settings.DATABASE_URL)
    await db.upgrade()
    senders = await open_senders(settings, db)
    worker = Worker(db, senders.outbox, settings)
    await worker.start()
    try:
        await asyncio.Event().wait()
    finally:
        await worker.stop()
        await senders.close()
        await db.dispose()
