"""Recognising typed requests for an officer, on the evaluation set in tests/officer_requests.py.

    python -m bench.handover

Prints, per category, how many messages were classified right, and lists the misses; then
what the dispatcher's one read per update (the user, their conversation and open hand-over)
costs on SQLite, with 1,000 users and 200 hand-overs stored.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import Any

from db import office, repo
from db.session import Database
from knowledge.officer_request import asks_for_officer
from tests.officer_requests import CASES


async def query_costs(runs: int = 2000) -> None:
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{folder}/bench.db")
        await db.upgrade()

        def fill(connection: Any) -> None:
            for number in range(1000):
                user = repo.new_user(
                    platform="telegram",
                    external_id=str(number),
                    chat_id=str(number),
                    locale="vi",
                    now=now,
                )
                uid = repo.insert_user(connection, user=user)
                if number % 5 == 0:
                    office.open_handover(
                        connection, user_id=uid, province_code=1, question="q", now=now
                    )

        await db.run(fill)

        async def timed(work: Callable[[int], Any]) -> float:
            samples = []
            for index in range(runs):
                started = time.perf_counter()
                await db.run(work(index % 1000 + 1))
                samples.append(time.perf_counter() - started)
            return statistics.median(samples) * 1e6

        load = await timed(
            lambda uid: partial(
                repo.load_for_update, platform="telegram", external_id=str(uid - 1)
            )
        )
        print(f"load_for_update (user, conversation, open hand-over) p50 {load:.0f} µs")
        await db.dispose()


def main() -> None:
    total = right = 0
    for category, cases in CASES.items():
        misses = [text for text, expected in cases if asks_for_officer(text) != expected]
        total += len(cases)
        right += len(cases) - len(misses)
        print(f"{category:14} {len(cases) - len(misses):3}/{len(cases):<3}", *misses, sep="  ")
    print(f"{'all':14} {right:3}/{total:<3} ({100 * right / total:.0f} %)")
    asyncio.run(query_costs())


if __name__ == "__main__":
    main()
