"""Reminders and broadcasts: the outbox delivered through the fake Bot API within its limits,
reminders queued once however often the clock ticks, officers' flows and their guard."""

from __future__ import annotations

import itertools
import logging
from datetime import UTC, datetime, timedelta
from functools import partial

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from bot import metrics
from bot import telegram as tg
from bot.delivery import Delivery, RateLimiter
from bot.dispatch import Dispatcher
from bot.scheduler import enqueue_due_reminders
from bot.settings import Settings
from db import repo
from db.models import Outbox
from db.session import Database
from knowledge.reminders import VIETNAM, deadline_reminder
from knowledge.typed_dates import parse_when
from tests.conftest import console_msg, post_update
from tests.factories import tg_callback, tg_message
from tests.fakes.telegram_api import FakeTelegram

NOW = datetime(2026, 11, 29, 1, 0, tzinfo=UTC)


def test_reminder_offsets() -> None:
    due = datetime(2026, 12, 29, 10, 0, tzinfo=UTC)  # 17:00 in Vietnam
    assert deadline_reminder(due, datetime(2026, 11, 28, tzinfo=UTC)) is None  # 31 days before
    assert deadline_reminder(due, datetime(2026, 11, 29, 10, tzinfo=UTC)) == "30d"
    assert deadline_reminder(due, datetime(2026, 12, 23, tzinfo=UTC)) == "7d"
    assert deadline_reminder(due, datetime(2026, 12, 28, 11, tzinfo=UTC)) == "1d"
    assert deadline_reminder(due, datetime(2026, 12, 29, 1, tzinfo=UTC)) == "day"  # 08:00 local
    assert deadline_reminder(due, due) is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        pytest.param(
            "30/6", datetime(2027, 6, 30, 17, 0, tzinfo=VIETNAM), id="day-month-next-year"
        ),
        pytest.param("15/12/2026 8h30", datetime(2026, 12, 15, 8, 30, tzinfo=VIETNAM), id="full"),
        pytest.param("ngày mai", datetime(2026, 11, 30, 17, 0, tzinfo=VIETNAM), id="tomorrow"),
        pytest.param("mai 9:00", datetime(2026, 11, 30, 9, 0, tzinfo=VIETNAM), id="tomorrow-time"),
        pytest.param("1/1/2020", None, id="past"),
        pytest.param("32/1", None, id="no-such-day"),
        pytest.param("sometime", None, id="words"),
    ],
)
def test_parse_when(typed: str, expected: datetime | None) -> None:
    assert parse_when(typed, NOW) == expected


def test_rate_limiter_spaces_sends_globally_and_per_chat() -> None:
    now = [0.0]
    limiter = RateLimiter(10, per_chat_gap=1.0, clock=lambda: now[0], headroom=1.0)
    waits = [limiter.reserve(f"chat{i}") for i in range(5)]
    assert waits == pytest.approx([0.0, 0.1, 0.2, 0.3, 0.4])
    assert limiter.reserve("chat0") == pytest.approx(1.0)  # one a second to the same chat
    limiter.pause(5)
    assert limiter.reserve("chat9") == pytest.approx(5.0)


_numbers = itertools.count(5000)


async def producers(db: Database, count: int, province: int = 1) -> list[int]:
    def add(connection) -> list[int]:  # type: ignore[no-untyped-def]
        ids = []
        for _ in range(count):
            number = str(next(_numbers))
            user = repo.new_user(
                platform="telegram", external_id=number, chat_id=number, locale="vi", now=NOW
            )
            user.role, user.province_code = "producer", province
            ids.append(repo.insert_user(connection, user=user))
        return ids

    return await db.run(add)


async def test_deadline_reminders_are_queued_once_and_delivered(
    settings: Settings, telegram_api: FakeTelegram
) -> None:
    db = Database(settings.DATABASE_URL)
    await db.upgrade()
    users = await producers(db, 3)
    await producers(db, 1, province=2)  # out of scope
    due = NOW + timedelta(days=20)
    await db.run(
        partial(
            repo.add_deadline,
            title="Nộp hồ sơ đợt 2",
            due_at=due,
            provinces=[1],
            link="",
            created_by=None,
            now=NOW,
        )
    )
    await db.run(partial(repo.mute, user_id=users[0], deadline_id=0))
    # 20 days before: the 30-day reminder is the latest due (it says the 20 days really left);
    # ticking twice queues it once.
    assert await enqueue_due_reminders(db, NOW) == 2
    assert await enqueue_due_reminders(db, NOW + timedelta(minutes=1)) == 0
    bot = tg.make_bot(settings)
    async with bot:
        delivery = Delivery(db, {"telegram": tg.TelegramSender(bot)}, per_second=50)
        assert await delivery.run_once() == 2
    sent = telegram_api.of("sendMessage")
    contacts = [await db.run(partial(repo.user_contact, user_id=u)) for u in users[1:]]
    assert sorted(c.params["chat_id"] for c in sent) == sorted(c.chat_id for c in contacts if c)
    assert sent[0].params["text"].startswith("⏰ Còn 20 ngày: <b>Nộp hồ sơ đợt 2</b>")
    # After an outage spanning the 7-day and 1-day marks, only "1 day left" goes out.
    assert await enqueue_due_reminders(db, due - timedelta(hours=20)) == 2
    counts = await db.run(repo.outbox_counts)
    assert counts == {"sent": 2, "pending": 2}
    await db.dispose()


@pytest.mark.parametrize(
    "ptb_timedelta",
    [
        # python-telegram-bot 22 gives retry_after in seconds and warns that it will become a
        # timedelta (a DeprecationWarning: Python shows none outside tests)
        pytest.param(
            "false",
            id="seconds",
            marks=pytest.mark.filterwarnings(
                "ignore:.*attribute `retry_after` will be of type:DeprecationWarning"
            ),
        ),
        pytest.param("true", id="timedelta"),  # PTB_TIMEDELTA=true: the coming default
    ],
)
async def test_429_is_honoured_403_deactivates_and_errors_are_retried(
    settings: Settings,
    telegram_api: FakeTelegram,
    monkeypatch: pytest.MonkeyPatch,
    ptb_timedelta: str,
) -> None:
    """A 429's retry_after (30 s, longer than an error's first back-off of 2 s) holds its
    message and pauses every send; it costs no attempt. A 403 deactivates; a 500 is retried."""
    monkeypatch.setenv("PTB_TIMEDELTA", ptb_timedelta)
    db = Database(settings.DATABASE_URL)
    await db.upgrade()
    users = await producers(db, 3)
    for user_id in users:
        contact = await db.run(partial(repo.user_contact, user_id=user_id))
        assert contact is not None
        await db.run(
            partial(
                repo.enqueue,
                platform="telegram",
                chat_id=contact.chat_id,
                user_id=user_id,
                kind="broadcast",
                payload=[{"text": "Thông báo"}],
                now=NOW,
                broadcast_id=7,
            )
        )
    telegram_api.fail_next("sendMessage", 429, "Too Many Requests: retry after 30", retry_after=30)
    telegram_api.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    telegram_api.fail_next("sendMessage", 500, "Internal Server Error")
    clock = [NOW]
    bot = tg.make_bot(settings)
    async with bot:
        delivery = Delivery(
            db, {"telegram": tg.TelegramSender(bot)}, per_second=100, clock=lambda: clock[0]
        )
        delivery.limiter = RateLimiter(100, clock=lambda: clock[0].timestamp())
        await delivery.run_once()
        counts = await db.run(partial(repo.outbox_counts, broadcast_id=7))
        assert counts == {"blocked": 1, "pending": 2}
        waiting = await db.run(
            lambda c: c.execute(
                select(Outbox.last_error, Outbox.attempts, Outbox.next_attempt_at)
                .where(Outbox.status == "pending")
                .order_by(Outbox.attempts)
            ).all()
        )
        assert [tuple(row) for row in waiting] == [
            ("retry after 30.0 s", 0, NOW + timedelta(seconds=30)),  # the 429: no attempt spent
            ("Internal Server Error", 1, NOW + timedelta(seconds=2)),
        ]
        assert await delivery.run_once() == 0  # nothing due before retry_after / backoff
        clock[0] = NOW + timedelta(seconds=5)
        assert delivery.limiter.reserve("any chat") == 25  # everyone waits out the 429
        clock[0] = NOW + timedelta(seconds=31)
        assert await delivery.run_once() == 2
    assert await db.run(partial(repo.outbox_counts, broadcast_id=7)) == {"blocked": 1, "sent": 2}
    blocked = await db.run(partial(repo.audience, roles=["producer"], provinces=[]))
    assert len(blocked) == 2  # the user who blocked the bot is inactive now
    await db.dispose()


async def test_rows_left_sending_by_a_dead_worker_are_sent_again(
    settings: Settings, telegram_api: FakeTelegram
) -> None:
    db = Database(settings.DATABASE_URL)
    await db.upgrade()
    [user] = await producers(db, 1)
    await db.run(
        partial(
            repo.enqueue,
            platform="telegram",
            chat_id=str(user),
            user_id=user,
            kind="notice",
            payload=[{"text": "x"}],
            now=NOW,
        )
    )
    assert (
        len(await db.run(partial(repo.claim_due, now=NOW, limit=10))) == 1
    )  # then the process dies
    bot = tg.make_bot(settings)
    async with bot:
        delivery = Delivery(
            db, {"telegram": tg.TelegramSender(bot)}, clock=lambda: NOW + timedelta(minutes=5)
        )
        assert await delivery.run_once() == 1
    assert await db.run(repo.outbox_counts) == {"sent": 1}
    await db.dispose()


async def test_replies_queued_with_an_update_go_out_once_whoever_claims_them_first(
    settings: Settings, telegram_api: FakeTelegram
) -> None:
    db = Database(settings.DATABASE_URL)
    await db.upgrade()
    [user] = await producers(db, 1)
    queue = partial(
        repo.queue_replies,
        platform="telegram",
        chat_id=str(user),
        user_id=user,
        payload=[{"text": "xin chào"}],
        now=NOW,
    )
    first, second = await db.run(queue), await db.run(queue)
    bot = tg.make_bot(settings)
    async with bot:
        door = Delivery(db, {"telegram": tg.TelegramSender(bot)}, clock=lambda: NOW)
        assert await door.send_claimed(first)  # the door, right after its answer
        assert [item.id for item in await db.run(partial(repo.claim_due, now=NOW, limit=9))] == [
            second
        ]  # the delivery loop got there first for the other one
        assert not await door.send_claimed(second)
        assert not await door.send_claimed(first)  # sent already
    assert len(telegram_api.of("sendMessage")) == 1
    assert await db.run(repo.outbox_counts) == {"sent": 1, "sending": 1}
    await db.dispose()


async def test_non_officers_are_refused_whatever_they_send(dispatcher: Dispatcher) -> None:
    for step in ("/start", "ob:role:producer", "ob:lang:vi", "ob:skip"):
        await dispatcher.process(
            console_msg(step) if step.startswith("/") else console_msg(action=step)
        )
    for msg in (
        console_msg("/hanchot"),
        console_msg("/thongbao"),
        console_msg(action="dl:go"),
        console_msg(action="of:ok:1"),
        console_msg(action="dl:cancel:1"),
        console_msg(action="dl:cancel:ok:1"),
        console_msg(action="bc:stop:ok:1"),
    ):
        replies = (await dispatcher.process(msg)).replies
        assert replies[0].text.startswith("Xin lỗi, chức năng này chỉ dành cho cán bộ OCOP")


async def officer(client: httpx.AsyncClient, user_id: int = 4242) -> None:
    for update in (
        tg_message("/start", user_id=user_id),
        tg_callback("ob:role:officer", user_id=user_id),
        tg_callback("ob:lang:vi", user_id=user_id),
        tg_callback("ob:prov:1", user_id=user_id),
    ):
        await post_update(client, update)


async def test_officer_publishes_a_deadline_producers_see_it(
    officer_app: FastAPI,
    officer_http: httpx.AsyncClient,
    telegram_api: FakeTelegram,
) -> None:
    await officer(officer_http)
    for update in (
        tg_message("/hanchot", user_id=4242),
        tg_message("Nộp hồ sơ OCOP đợt 2", user_id=4242),
        tg_message("15/12/2026 17:00", user_id=4242),
        tg_callback("dl:scope:1", user_id=4242),
        tg_callback("dl:grp:all", user_id=4242),
        tg_callback("dl:nolink", user_id=4242),
    ):
        response = await post_update(officer_http, update)
    review = response.json()["text"]
    assert "Nộp hồ sơ OCOP đợt 2" in review and "15/12/2026 17:00" in review and "Hà Nội" in review
    await post_update(officer_http, tg_callback("dl:go", user_id=4242))
    for update in (
        tg_message("/start", user_id=7),
        tg_callback("ob:role:producer", user_id=7),
        tg_callback("ob:lang:vi", user_id=7),
        tg_callback("ob:prov:1", user_id=7),
    ):
        await post_update(officer_http, update)
    listed = (await post_update(officer_http, tg_message("/lich", user_id=7))).json()["text"]
    assert "15/12/2026 17:00 — Nộp hồ sơ OCOP đợt 2 (Hà Nội)" in listed


async def test_broadcast_is_frozen_reported_and_can_be_stopped(
    officer_app: FastAPI,
    officer_http: httpx.AsyncClient,
    telegram_api: FakeTelegram,
) -> None:
    await officer(officer_http)
    await producers(officer_app.state.db, 4)
    await post_update(officer_http, tg_message("/thongbao", user_id=4242))
    await post_update(officer_http, tg_message("Hội chợ OCOP ngày 20/12", user_id=4242))
    await post_update(officer_http, tg_callback("bc:role:producer", user_id=4242))
    await post_update(officer_http, tg_callback("bc:where:1", user_id=4242))
    preview = (await post_update(officer_http, tg_callback("bc:preview", user_id=4242))).json()[
        "text"
    ]
    assert preview.startswith("<b>Xem trước</b> — 4 người nhận (Nhà sản xuất · Hà Nội):")
    report = (await post_update(officer_http, tg_callback("bc:go", user_id=4242))).json()
    assert report["text"].startswith("📣 Thông báo: đã gửi 0")
    stop = report["reply_markup"]["inline_keyboard"][0][1]["callback_data"]
    await producers(officer_app.state.db, 0)  # recipients are frozen: later users are not added
    sure = (await post_update(officer_http, tg_callback(stop, user_id=4242))).json()
    assert sure["text"].startswith("Dừng gửi thông báo này?")
    confirm = sure["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    stopped = (await post_update(officer_http, tg_callback(confirm, user_id=4242))).json()["text"]
    assert stopped.startswith("Đã dừng")
    counts = await officer_app.state.db.run(repo.outbox_counts)
    assert counts == {"cancelled": 4}


async def test_blocking_the_bot_marks_the_user_inactive(client: httpx.AsyncClient, app) -> None:  # type: ignore[no-untyped-def]
    await post_update(client, tg_message("/start", user_id=31))
    update = {
        "update_id": 777001,
        "my_chat_member": {
            "chat": {"id": 31, "type": "private"},
            "from": {"id": 31, "is_bot": False, "first_name": "A"},
            "date": 1764400000,
            "old_chat_member": {
                "status": "member",
                "user": {"id": 1000, "is_bot": True, "first_name": "OCOP"},
            },
            "new_chat_member": {
                "status": "kicked",
                "until_date": 0,
                "user": {"id": 1000, "is_bot": True, "first_name": "OCOP"},
            },
        },
    }
    assert (await post_update(client, update)).status_code == 200
    loaded = await app.state.db.run(partial(repo.load_user, platform="telegram", external_id="31"))
    assert loaded is not None and loaded[0].active is False


async def test_stop_marks_the_user_inactive(dispatcher: Dispatcher) -> None:
    for step in ("/start", "ob:role:producer", "ob:lang:vi", "ob:prov:1"):
        await dispatcher.process(
            console_msg(step) if step.startswith("/") else console_msg(action=step)
        )
    stopped = (await dispatcher.process(console_msg("/stop"))).replies
    assert stopped[0].text.startswith("Em sẽ không gửi")
    loaded = await dispatcher.db.run(partial(repo.load_user, platform="console", external_id="u1"))
    assert loaded is not None and loaded[0].active is False


async def test_officer_request_is_approved_with_one_tap(
    officer_settings: Settings,
    officer_app: FastAPI,
    officer_http: httpx.AsyncClient,
    telegram_api: FakeTelegram,
) -> None:
    await officer(officer_http)  # 4242 is listed in OFFICER_TELEGRAM_IDS: approved at once
    for update in (
        tg_message("/start", user_id=55),
        tg_callback("ob:role:officer", user_id=55),
    ):
        await post_update(officer_http, update)
    bot = tg.make_bot(officer_settings)
    async with bot:
        delivery = Delivery(
            officer_app.state.db, {"telegram": tg.TelegramSender(bot)}, per_second=100
        )
        await delivery.run_once()
        [request] = [
            c for c in telegram_api.of("sendMessage") if "xin quyền cán bộ" in c.params["text"]
        ]
        assert request.params["chat_id"] == "4242"
        approve = request.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        assert (await post_update(officer_http, tg_callback(approve, user_id=4242))).json()[
            "text"
        ] == "Đã duyệt."
        await delivery.run_once()
    told = [c for c in telegram_api.of("sendMessage") if c.params["chat_id"] == "55"]
    assert told[-1].params["text"].startswith("Anh/chị đã được duyệt quyền cán bộ OCOP")
    forged = (await post_update(officer_http, tg_callback(approve, user_id=56))).json()
    assert forged["text"].startswith("Xin lỗi, chức năng này chỉ dành cho cán bộ OCOP")


async def test_officer_gets_a_final_report_when_a_broadcast_is_done(
    officer_settings: Settings,
    officer_app: FastAPI,
    officer_http: httpx.AsyncClient,
    telegram_api: FakeTelegram,
) -> None:
    await officer(officer_http)
    await producers(officer_app.state.db, 3)
    for update in (
        tg_message("/thongbao", user_id=4242),
        tg_message("Tập huấn OCOP", user_id=4242),
        tg_callback("bc:role:producer", user_id=4242),
        tg_callback("bc:preview", user_id=4242),
        tg_callback("bc:go", user_id=4242),  # nationwide from Hà Nội: asked to confirm
        tg_callback("bc:go:all", user_id=4242),
    ):
        await post_update(officer_http, update)
    bot = tg.make_bot(officer_settings)
    async with bot:
        delivery = Delivery(
            officer_app.state.db, {"telegram": tg.TelegramSender(bot)}, per_second=100
        )
        assert await delivery.run_once() == 3
        assert await enqueue_due_reminders(officer_app.state.db, datetime.now(UTC)) == 1
        assert await enqueue_due_reminders(officer_app.state.db, datetime.now(UTC)) == 0  # once
        await delivery.run_once()
    report = telegram_api.of("sendMessage")[-1]
    assert report.params["chat_id"] == "4242"
    assert report.params["text"] == "📣 Thông báo hoàn tất: đã gửi 3."  # no list of zeros
    keyboard = report.params["reply_markup"]["inline_keyboard"]
    assert [b["callback_data"] for row in keyboard for b in row] == ["m:menu"]


async def test_producers_are_reached_by_the_product_group_they_assessed(
    officer_app: FastAPI,
    officer_http: httpx.AsyncClient,
    telegram_api: FakeTelegram,
) -> None:
    await officer(officer_http)
    honey, other = await producers(officer_app.state.db, 2)
    await officer_app.state.db.run(
        partial(
            repo.start_assessment,
            assessment_id="a1",
            user_id=honey,
            sheet_key="k",
            set_code="148-mat-ong-mat-khac",
            product_name="Mật ong",
            now=NOW,
        )
    )
    await officer_app.state.db.run(
        partial(
            repo.start_assessment,
            assessment_id="a2",
            user_id=other,
            sheet_key="k",
            set_code="148-thu-cong-my-nghe",
            product_name="Gốm",
            now=NOW,
        )
    )
    for update in (
        tg_message("/thongbao", user_id=4242),
        tg_message("Hội chợ thực phẩm", user_id=4242),
        tg_callback("bc:role:producer", user_id=4242),
        tg_callback("bc:where:0", user_id=4242),  # nationwide (their province by default)
        tg_callback("bc:grp", user_id=4242),
        tg_callback("bc:grp:1", user_id=4242),  # QĐ 26/2026 "Thực phẩm thô, sơ chế"
    ):
        await post_update(officer_http, update)
    preview = (await post_update(officer_http, tg_callback("bc:preview", user_id=4242))).json()[
        "text"
    ]
    assert preview.startswith(
        "<b>Xem trước</b> — 1 người nhận (Nhà sản xuất · toàn quốc · Thực phẩm thô, sơ chế):"
    )
    deadline = await officer_app.state.db.run(
        partial(
            repo.add_deadline,
            title="Chỉ thực phẩm",
            due_at=NOW + timedelta(days=10),
            provinces=[],
            link="",
            created_by=None,
            now=NOW,
            product_sets=["148-mat-ong-mat-khac"],
        )
    )
    [record] = [
        d
        for d in await officer_app.state.db.run(partial(repo.open_deadlines, after=NOW))
        if d.id == deadline
    ]
    reached = await officer_app.state.db.run(partial(repo.reminder_recipients, deadline=record))
    assert [r.user_id for r in reached] == [honey]


async def test_broadcast_with_a_photo(
    officer_settings: Settings,
    officer_app: FastAPI,
    officer_http: httpx.AsyncClient,
    telegram_api: FakeTelegram,
) -> None:
    await officer(officer_http)
    await producers(officer_app.state.db, 2)
    for update in (
        tg_message("/thongbao", user_id=4242),
        tg_message("Hội chợ <OCOP> 2026", user_id=4242, photo="AgADposter"),
        tg_callback("bc:role:producer", user_id=4242),
        tg_callback("bc:where:1", user_id=4242),
        tg_callback("bc:preview", user_id=4242),
        tg_callback("bc:go", user_id=4242),
    ):
        await post_update(officer_http, update)
    bot = tg.make_bot(officer_settings)
    async with bot:
        delivery = Delivery(
            officer_app.state.db, {"telegram": tg.TelegramSender(bot)}, per_second=100
        )
        assert await delivery.run_once() == 2
    photos = telegram_api.of("sendPhoto")
    assert len(photos) == 2
    assert {p.params["photo"] for p in photos} == {"AgADposter"}
    assert photos[0].params["caption"] == (
        "📣 <b>Thông báo từ cán bộ OCOP Hà Nội</b>\nHội chợ &lt;OCOP&gt; 2026"
    )


async def test_a_message_without_a_sender_is_logged_and_counted(
    dispatcher: Dispatcher, caplog: pytest.LogCaptureFixture
) -> None:
    """A worker without the Zalo door configured cannot send a Zalo message: it says so (one
    warning) and counts it, where it used to mark it failed silently."""
    await dispatcher.db.run(
        partial(
            repo.enqueue,
            platform="zalo",
            chat_id="z1",
            user_id=None,
            kind="broadcast",
            payload=[{"text": "Thông báo"}],
            now=NOW,
            broadcast_id=8,
        )
    )
    counted = metrics.NO_SENDER.labels("zalo")._value.get()
    caplog.set_level(logging.WARNING)
    assert await Delivery(dispatcher.db, {}, clock=lambda: NOW).run_once() == 1
    assert metrics.NO_SENDER.labels("zalo")._value.get() == counted + 1
    [warning] = [r for r in caplog.records if r.name == "bot.delivery"]
    assert "no zalo sender" in warning.getMessage()
    assert await dispatcher.db.run(partial(repo.outbox_counts, broadcast_id=8)) == {"failed": 1}
