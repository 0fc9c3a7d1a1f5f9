"""Flood-proof: a user's burst is answered within a budget (the rest coalesced into one reply,
nothing dropped), and a live location is answered only when the answer would change."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from bot.delivery import Delivery
from bot.dispatch import Dispatcher, Outcome
from bot.flood import Flood, LiveThrottle
from bot.settings import Settings
from db.models import ProcessedUpdate, utcnow
from db.session import Database
from tests.conftest import console_msg, post_update
from tests.factories import tg_message
from tests.fakes.telegram_api import FakeTelegram


class StoppedClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The budget as deployed (the shared fixture lifts it for tests that post fast)."""
    defaults = Settings.model_fields
    return settings.model_copy(
        update={
            "FLOOD_BURST": defaults["FLOOD_BURST"].default,
            "FLOOD_PER_SECOND": defaults["FLOOD_PER_SECOND"].default,
        }
    )


class HeldTime:
    """The dispatcher's clock, moved by hand."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now


def deferred(outcome: Outcome) -> bool:
    """Whether the update's replies were held back for the coalesced reply."""
    return not outcome.replies


async def test_a_burst_is_answered_then_one_a_second_then_the_full_burst_again(
    dispatcher: Dispatcher,
) -> None:
    clock = HeldTime()
    dispatcher.clock = clock
    dispatcher.flood = Flood(3, 1.0)
    ids = itertools.count(1)

    async def send(user: str = "u1") -> Outcome:
        return await dispatcher.process(console_msg("/help", user=user, update_id=str(next(ids))))

    await send()  # a known user
    clock.now += timedelta(seconds=10)
    assert [deferred(await send()) for _ in range(4)] == [False, False, False, True]
    assert not deferred(await send("u2"))  # budgets are per chat
    clock.now += timedelta(seconds=1)
    assert not deferred(await send())  # a token came back
    assert deferred(await send())
    clock.now += timedelta(seconds=0.7)
    assert deferred(await send())  # not a whole token yet
    clock.now += timedelta(seconds=60)
    assert [deferred(await send()) for _ in range(4)] == [False, False, False, True]


async def test_a_burst_spread_over_two_processes_gets_one_budget(
    dispatcher: Dispatcher,
) -> None:
    """Two dispatchers on their own connections (two webhook instances behind a load
    balancer) share the chat's budget: it is counted from the updates the database
    recorded, not in either process."""
    clock = HeldTime()
    other_db = Database(dispatcher.db.url)
    other = Dispatcher(other_db, dispatcher.settings, clock=clock, flood=Flood(3, 1.0))
    dispatcher.clock, dispatcher.flood = clock, Flood(3, 1.0)
    try:
        await dispatcher.process(console_msg("/help", update_id="0"))
        clock.now += timedelta(seconds=10)
        outcomes = [
            await (dispatcher if i % 2 else other).process(console_msg("/help", update_id=str(i)))
            for i in range(1, 9)
        ]
    finally:
        await other_db.dispose()
    assert [deferred(o) for o in outcomes] == [False] * 3 + [True] * 5


async def coalesced_sends(app: FastAPI, seconds: float) -> int:
    """Run the outbox as it would run `seconds` from now; returns how many it sent."""
    later = utcnow() + timedelta(seconds=seconds)
    outbox = Delivery(app.state.db, {"telegram": app.state.telegram}, clock=lambda: later)
    return await outbox.run_once()


async def test_a_200_message_flood_gets_a_burst_and_one_coalesced_reply(
    app: FastAPI, client: httpx.AsyncClient, telegram_api: FakeTelegram, settings: Settings
) -> None:
    clock = HeldTime()  # the flood arrives at one instant
    app.state.dispatcher.clock = clock
    app.state.dispatcher.flood = Flood(settings.FLOOD_BURST, settings.FLOOD_PER_SECOND)
    texts = ["/help"] * 199 + ["/menu"]
    responses = [await post_update(client, tg_message(text, user_id=77)) for text in texts]
    assert {r.status_code for r in responses} == {200}
    assert len(telegram_api.of("sendMessage")) == settings.FLOOD_BURST
    assert await coalesced_sends(app, seconds=5) == 1
    sent = telegram_api.of("sendMessage")
    assert len(sent) == settings.FLOOD_BURST + 1
    last = sent[-1].params["text"]
    assert last.startswith("Anh/chị gửi nhiều tin liền nhau")
    assert "Anh/chị chưa bắt đầu" in last  # the answer to the latest message, /menu
    assert "Các lệnh dùng được ở mọi bước" not in last  # not 195 answers to /help
    # Nothing was dropped: every update was handled and recorded.
    recorded = await app.state.db.run(
        lambda c: c.scalar(select(func.count()).select_from(ProcessedUpdate))
    )
    assert recorded == 200
    # Once the user slows down, answers come straight back.
    clock.now += timedelta(seconds=10)
    await post_update(client, tg_message("/help", user_id=77))
    assert len(telegram_api.of("sendMessage")) == settings.FLOOD_BURST + 2
    assert await coalesced_sends(app, seconds=60) == 0


_ids = itertools.count(50_000)


def live_update(lat: float, lon: float, *, first: bool) -> dict[str, Any]:
    """A position of a live location: the first message, then edits of it."""
    update = tg_message(location=(lat, lon), user_id=88, update_id=next(_ids))
    message = update.pop("message")
    message["message_id"] = 7
    message["location"]["live_period"] = 900
    if first:
        update["message"] = message
    else:
        message["edit_date"] = message["date"] + 10
        update["edited_message"] = message
    return update


async def share_live(
    app: FastAPI, client: httpx.AsyncClient, path: list[tuple[float, float]], every: float
) -> None:
    clock = StoppedClock()
    app.state.dispatcher.live = LiveThrottle(clock=clock)
    for index, (lat, lon) in enumerate(path):
        response = await post_update(client, live_update(lat, lon, first=index == 0))
        assert response.status_code == 200
        clock.now += every


def near_lists(fake: FakeTelegram) -> list[str]:
    return [c.params["text"] for c in fake.of("sendMessage") if "Gần vị trí" in c.params["text"]]


async def test_a_live_location_standing_still_is_answered_once(
    app: FastAPI, client: httpx.AsyncClient, telegram_api: FakeTelegram
) -> None:
    await share_live(app, client, [(21.0285, 105.8542)] * 30, every=10.0)
    assert len(near_lists(telegram_api)) == 1


async def test_a_moving_live_location_is_answered_when_the_nearest_places_change(
    app: FastAPI, client: httpx.AsyncClient, telegram_api: FakeTelegram
) -> None:
    """30 positions, 10 s apart, driving 60 km from Hanoi to Ninh Binh."""
    start, end = (21.0285, 105.8542), (20.2506, 105.9745)
    path = [
        (start[0] + (end[0] - start[0]) * i / 29, start[1] + (end[1] - start[1]) * i / 29)
        for i in range(30)
    ]
    await share_live(app, client, path, every=10.0)
    answers = near_lists(telegram_api)
    # The first position, then at most one a minute: 290 s of driving allow 4 more.
    assert 2 <= len(answers) <= 1 + 4
    assert len(set(answers)) == len(answers)  # each answer lists something new


async def test_plain_locations_are_always_answered(
    app: FastAPI, client: httpx.AsyncClient, telegram_api: FakeTelegram
) -> None:
    """Sending a location again (not a live share) is a question: always answered."""
    app.state.dispatcher.live = LiveThrottle(clock=StoppedClock())
    for _ in range(3):
        await post_update(client, tg_message(location=(21.0285, 105.8542), user_id=89))
    assert len(near_lists(telegram_api)) == 3
