"""The background worker: the reminder clock and the outbox delivery, in `serve` by default or
alone as `ocop-bot worker`. Only the process holding the worker lock runs them, so the send
limits (one process's RateLimiter) hold for the whole deployment: on PostgreSQL an advisory
lock, checked every second (a worker whose lock connection died stops sending at once and
waits again); on SQLite an exclusive lock on a file next to the database (`serve --workers N`)."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
from typing import IO

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.delivery import Delivery, Sender
from bot.retention import schedule_retention
from bot.scheduler import start_clock
from bot.senders import open_senders
from bot.settings import Settings
from db.session import Database

logger = logging.getLogger(__name__)
_WORKER_LOCK = 7_242_026
_CHECK_EVERY = 1.0
"""Seconds between two checks that the PostgreSQL lock is still held."""
_TAKEOVER_WAIT = 2 * _CHECK_EVERY + 1.0
"""Seconds a worker that has just taken the PostgreSQL lock waits before it sends: a worker
whose lock went with its connection has noticed and stopped by then, and its last send is
settled, so the rows it leaves claimed can be put back without being sent twice."""


class Worker:
    """Starts the clock and the delivery loop once it holds the worker lock; a standby tries
    again every `retry_every` seconds."""

    def __init__(
        self,
        db: Database,
        senders: dict[str, Sender],
        settings: Settings,
        *,
        retry_every: float = 30.0,
    ) -> None:
        self.db = db
        self.settings = settings
        self.delivery = Delivery(db, senders, per_second=settings.SEND_RATE)
        self.retry_every = retry_every
        self.active = False
        """True while this worker holds the lock and runs the clock and the delivery."""
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._lock_connection: AsyncConnection | None = None
        self._lock_file: IO[bytes] | None = None

    async def start(self) -> None:
        """Run in the background until `stop`."""
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        """Finish the current sends and stop."""
        self._stop.set()
        if self._task is not None:
            await self._task

    async def _run(self) -> None:
        while not self._stop.is_set():
            try:
                acquired = await self._acquire()
            except Exception as exc:  # the database is down or restarting: try again later
                logger.warning("worker lock not available: %s", exc)
                acquired = False
            else:
                if not acquired:
                    logger.info("another worker holds the lock; waiting")
            if not acquired:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), timeout=self.retry_every)
                continue
            tenure = asyncio.Event()  # set on stop, or when the lock is lost
            watch = asyncio.create_task(self._watch(tenure))
            try:
                if self._lock_connection is not None:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(tenure.wait(), timeout=_TAKEOVER_WAIT)
                    if tenure.is_set():
                        continue
                self.active = True
                await self.delivery.recover()
                clock = start_clock(self.db)
                schedule_retention(clock, self.db, self.settings)
                try:
                    await self.delivery.run_forever(tenure)
                finally:
                    clock.shutdown(wait=False)
            except Exception:  # the database went away at the start: give the lock up, retry
                logger.exception("worker could not start sending")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), timeout=self.retry_every)
            finally:
                self.active = False
                watch.cancel()
                await self._release()

    async def _watch(self, tenure: asyncio.Event) -> None:
        """End the tenure on stop, or as soon as the lock's connection stops answering."""
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), timeout=_CHECK_EVERY)
            if self._stop.is_set():
                break
            if self._lock_connection is None:
                continue
            try:
                await asyncio.wait_for(self._lock_connection.execute(text("SELECT 1")), 5)
            except Exception as exc:  # the session, and with it the lock, is gone
                logger.error("lost the worker lock (%s); sending stops", exc)
                break
        tenure.set()

    async def _acquire(self) -> bool:
        engine = self.db.async_engine
        if engine is None:
            return self._lock_sqlite()
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

    def _lock_sqlite(self) -> bool:
        """An exclusive lock on `<database>.worker-lock`; an in-memory database is one
        process's alone."""
        path = make_url(self.db.url).database
        if not path or path == ":memory:":
            return True
        lock_file = open(f"{path}.worker-lock", "ab")  # noqa: SIM115 - held until _release
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock_file.close()
            return False
        self._lock_file = lock_file
        return True

    async def _release(self) -> None:
        """Give the lock up (a pooled connection would otherwise keep holding it)."""
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None
        if self._lock_connection is not None:
            with contextlib.suppress(Exception):  # a dead connection holds nothing
                await self._lock_connection.execute(
                    text("SELECT pg_advisory_unlock(:id)"), {"id": _WORKER_LOCK}
                )
            with contextlib.suppress(Exception):
                await self._lock_connection.close()
            self._lock_connection = None


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
