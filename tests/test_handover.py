"""Hand-over to an officer: the request reaches the province's officers through the outbox, the
first claim wins, the bot is silent while an officer answers, either side closes, the clock
reminds once after office hours, Zalo's window is respected and broadcasts wait."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, update

from bot import telegram as tg
from bot.delivery import Delivery, RateLimiter
from bot.dispatch import Dispatcher
from bot.messages import Incoming, Reply
from bot.settings import Settings, SettingsError, load_settings
from db import office, repo
from db.models import Handover, Outbox, User, utcnow
from db.session import Database
from handlers.handover import claim, clock_tick
from knowledge.office_hours import OfficeHours
from knowledge.officer_request import asks_for_officer
from tests.conftest import console_msg, post_update
from tests.factories import tg_callback, tg_message
from tests.fakes.telegram_api import FakeTelegram
from tests.officer_requests import CASES
from webhook import create_app

HANOI, HUE = 1, 20


async def onboard(
    dispatcher: Dispatcher, user: str, role: str, province: int = HANOI, locale: str = "vi"
) -> None:
    for msg in (
        console_msg("/start", user=user),
        console_msg(action=f"ob:role:{role}", user=user),
        console_msg(action=f"ob:lang:{locale}", user=user),
        console_msg(action=f"ob:prov:{province}", user=user),
    ):
        await dispatcher.process(msg)
    if role == "officer":
        uid = await dispatcher.db.run(
            partial(repo.find_user, platform="console", external_id=user)
        )
        await dispatcher.db.run(
            partial(repo.set_officer, user_id=uid, approved=True, by="test", now=utcnow())
        )


async def say(
    dispatcher: Dispatcher, user: str, text: str = "", action: str | None = None
) -> list[Reply]:
    return (await dispatcher.process(console_msg(text, action=action, user=user))).replies


async def pending_to(db: Database, user: str) -> list[dict[str, Any]]:
    """The payloads queued for a console user, oldest first."""

    def read(connection):  # type: ignore[no-untyped-def]
        rows = connection.execute(
            select(Outbox.payload)
            .where(Outbox.chat_id == user, Outbox.status == "pending")
            .order_by(Outbox.id)
        ).scalars()
        return [reply for payload in rows for reply in payload]

    return await db.run(read)


def actions(stored: dict[str, Any]) -> list[str]:
    return [b[1] for row in stored.get("buttons", []) for b in row]


def test_typed_requests_for_a_person_are_recognised() -> None:
    misses = [
        (category, text)
        for category, cases in CASES.items()
        for text, expected in cases
        if asks_for_officer(text) != expected
    ]
    assert misses == []


async def test_handover_reaches_province_officers_first_claim_wins_bot_silent_then_resumes(
    dispatcher: Dispatcher,
) -> None:
    db = dispatcher.db
    await onboard(dispatcher, "lan", "producer")
    await onboard(dispatcher, "an", "officer")
    await onboard(dispatcher, "binh", "officer")
    await onboard(dispatcher, "hue", "officer", province=HUE)
    # An unanswered question first: it travels with the request as recent context.
    declined = await say(dispatcher, "lan", "ocop co ho tro vay von khong")
    assert "ho:start" in [b.action for r in declined for b in r.all_buttons]
    asked = await say(dispatcher, "lan", "gap can bo")
    assert "câu hỏi" in asked[0].text
    queued = await say(dispatcher, "lan", "Hồ sơ đánh giá lại 4 sao cần bản gốc không?")
    assert queued[0].text.startswith("✅")
    notices = await pending_to(db, "an")
    request = notices[-1]
    assert "Hồ sơ đánh giá lại 4 sao" in request["text"] and "Hà Nội" in request["text"]
    assert "ocop co ho tro vay von khong" in request["text"]
    assert "Nhà sản xuất" in request["text"] or "Chủ thể" in request["text"]
    number = int(actions(request)[0].split(":")[2])
    assert actions(request) == [f"ho:claim:{number}"]
    assert await pending_to(db, "binh")  # the other Hà Nội officer too
    assert await pending_to(db, "hue") == []  # not Huế's officers: Hà Nội has its own
    # Both officers press Claim at once: exactly one wins, the other sees who took it.
    first, second = await asyncio.gather(
        say(dispatcher, "an", action=f"ho:claim:{number}"),
        say(dispatcher, "binh", action=f"ho:claim:{number}"),
    )
    won = [r for r in (first, second) if r[0].text.startswith("✋")]
    lost = [r for r in (first, second) if "đã được" in r[0].text]
    assert len(won) == 1 and len(lost) == 1
    owner, other = ("an", "binh") if won[0] is first else ("binh", "an")
    assert owner in lost[0][0].text
    told = await pending_to(db, "lan")
    assert "Văn phòng OCOP đang trả lời" in told[-1]["text"]
    # The bot stays silent for the user's free text; the officer receives it.
    assert await say(dispatcher, "lan", "Em gửi thêm: sản phẩm là mật ong rừng") == []
    assert await say(dispatcher, "lan", "ho so gom nhung gi") == []  # not answered by the FAQ
    relayed = await pending_to(db, owner)
    assert "sản phẩm là mật ong rừng" in relayed[-2]["text"]
    assert f"ho:reply:{number}" in actions(relayed[-1])
    # Commands still work, with a note that an officer is answering.
    menu = await say(dispatcher, "lan", "/menu")
    assert "Cán bộ OCOP đang trả lời" in menu[0].text and len(menu) > 1
    # The officer's reply reaches the user labelled as the OCOP office.
    sent = await say(dispatcher, owner, "Cần bản sao có chứng thực, không cần bản gốc.")
    assert sent[0].text.startswith("✓")
    answer = (await pending_to(db, "lan"))[-1]
    assert answer["text"].startswith("🏛 <b>Văn phòng OCOP</b>: Cần bản sao")
    assert actions(answer) == [f"ho:close:{number}"]
    # The other officer can neither answer nor close it.
    refused = await say(dispatcher, other, action=f"ho:reply:{number}")
    assert "cán bộ khác" in refused[0].text
    # The user closes; the officer is told and the bot answers again.
    closed = await say(dispatcher, "lan", action=f"ho:close:{number}")
    assert closed[0].text.startswith("Đã kết thúc cuộc trò chuyện với cán bộ")
    assert "đã kết thúc cuộc trò chuyện" in (await pending_to(db, owner))[-1]["text"]
    assert await say(dispatcher, "lan", "ho so gom nhung gi") != []
    late = await say(dispatcher, owner, "Thêm một ý nữa")
    assert "đã kết thúc" in late[0].text
    record = await db.run(partial(office.get_handover, handover_id=number))
    assert record is not None and record.status == "closed" and record.closed_by == "user"
    assert record.claimed_at is not None and record.closed_at is not None
    messages = await db.run(partial(office.handover_messages, handover_id=number))
    assert [m[0] for m in messages] == ["user", "user", "user", "officer"]


async def test_officer_closes_and_the_user_is_told(dispatcher: Dispatcher) -> None:
    await onboard(dispatcher, "lan", "producer", locale="en")
    await onboard(dispatcher, "an", "officer")
    await say(dispatcher, "lan", "talk to an officer")
    await say(dispatcher, "lan", "When is the next evaluation round?")
    number = int(actions((await pending_to(dispatcher.db, "an"))[-1])[0].split(":")[2])
    await say(dispatcher, "an", action=f"ho:claim:{number}")
    closed = await say(dispatcher, "an", action=f"ho:close:{number}")
    assert closed[0].text.startswith(f"Đã kết thúc yêu cầu #{number}; người hỏi đã được báo")
    told = (await pending_to(dispatcher.db, "lan"))[-1]
    assert told["text"].startswith("The OCOP officer ended conversation")
    again = await say(dispatcher, "lan", action=f"ho:close:{number}")
    assert again[0].text == "This conversation has already ended."


async def test_the_update_read_carries_only_the_open_handover(dispatcher: Dispatcher) -> None:
    await onboard(dispatcher, "lan", "producer")
    load = partial(repo.load_for_update, platform="console", external_id="lan")
    loaded = await dispatcher.db.run(load)
    assert loaded is not None and loaded[2] is None
    now = utcnow()

    def open_two(connection: Any) -> list[int]:
        opened = [
            office.open_handover(
                connection, user_id=loaded[0].id, province_code=None, question=q, now=now
            )
            for q in ("first", "second")
        ]
        office.close_handover(connection, handover_id=opened[0], by="an", now=now)
        return opened

    first, second = await dispatcher.db.run(open_two)
    assert (await dispatcher.db.run(load))[2] == (second, "open")
    await dispatcher.db.run(partial(office.close_handover, handover_id=second, by="an", now=now))
    assert (await dispatcher.db.run(load))[2] is None


async def test_without_officers_in_the_province_every_officer_is_asked(
    dispatcher: Dispatcher,
) -> None:
    await onboard(dispatcher, "lan", "producer", province=HUE)
    await onboard(dispatcher, "an", "officer")
    await say(dispatcher, "lan", action="ho:start")
    await say(dispatcher, "lan", "Xin hỏi về hội chợ")
    assert "Xin hỏi về hội chợ" in (await pending_to(dispatcher.db, "an"))[-1]["text"]
    # A second request while one is queued says where the first stands.
    again = await say(dispatcher, "lan", "gặp cán bộ")
    assert "đang chờ cán bộ nhận" in again[0].text
    # The officer it reached finds it in their queue (it said "no request is waiting").
    listed = await say(dispatcher, "an", "/hangdoi")
    assert "Xin hỏi về hội chợ" in listed[0].text


async def test_without_any_officer_the_user_is_told_the_question_waits(
    dispatcher: Dispatcher,
) -> None:
    await onboard(dispatcher, "lan", "producer")
    await say(dispatcher, "lan", "gap can bo")
    queued = await say(dispatcher, "lan", "Câu hỏi khi chưa có cán bộ nào")
    assert queued[0].text.startswith("Hiện chưa có cán bộ OCOP nào")
    await onboard(dispatcher, "an", "officer")
    listed = await say(dispatcher, "an", "/hangdoi")
    assert "Câu hỏi khi chưa có cán bộ nào" in listed[0].text


async def test_the_question_just_declined_goes_to_an_officer_with_one_tap(
    dispatcher: Dispatcher,
) -> None:
    """ "Hỏi cán bộ" right after "I have no answer" offers to send the question just asked,
    without typing it again; the officer's card shows it once (not again among the recent)."""
    await onboard(dispatcher, "lan", "producer")
    await onboard(dispatcher, "an", "officer")
    await say(dispatcher, "lan", "ocop co ho tro vay von khong")
    asked = await say(dispatcher, "lan", action="ho:start")
    offered = [b for r in asked for b in r.all_buttons if b.action == "ho:last"]
    assert offered and "ocop co ho tro vay von khong" in offered[0].label
    queued = await say(dispatcher, "lan", action="ho:last")
    assert queued[0].text.startswith("✅")
    request = (await pending_to(dispatcher.db, "an"))[-1]
    assert request["text"].count("ocop co ho tro vay von khong") == 1
    assert "Tin nhắn gần đây" not in request["text"]
    again = await say(dispatcher, "lan", action="ho:last")  # a second tap joins nothing new
    assert again[0].text.startswith("Yêu cầu #1 của anh/chị đang chờ cán bộ nhận.")


async def test_a_draft_announcement_waits_while_its_officer_answers_a_handover(
    dispatcher: Dispatcher,
) -> None:
    """An officer who claims a hand-over in the middle of writing an announcement gets the
    draft back, where they left it, when they end the conversation (it was lost)."""
    await onboard(dispatcher, "an", "officer")
    await onboard(dispatcher, "farmer", "producer")
    await say(dispatcher, "farmer", "/gapcanbo")
    await say(dispatcher, "farmer", "Hội chợ tháng 12 thuê gian hàng bao nhiêu?")
    await say(dispatcher, "an", "/thongbao")
    await say(dispatcher, "an", "Hội chợ OCOP mở cửa từ 8h đến 21h.")
    number = 1
    await say(dispatcher, "an", action=f"ho:claim:{number}")
    await say(dispatcher, "an", "Hai triệu đồng một gian.")
    closed = await say(dispatcher, "an", action=f"ho:close:{number}")
    assert "Anh/chị đang soạn dở" in closed[0].text
    assert closed[-1].text.startswith("Gửi cho ai?")  # the announcement's audience panel
    preview = await say(dispatcher, "an", action="bc:preview")
    assert "Hội chợ OCOP mở cửa từ 8h đến 21h." in preview[0].text


async def test_non_officers_cannot_claim(dispatcher: Dispatcher) -> None:
    await onboard(dispatcher, "lan", "producer")
    await onboard(dispatcher, "mai", "producer")
    await say(dispatcher, "lan", "gap can bo")
    await say(dispatcher, "lan", "Câu hỏi")
    for action in ("ho:claim:1", "ho:reply:1", "ho:list"):
        refused = await say(dispatcher, "mai", action=action)
        assert refused[0].text.startswith("Xin lỗi, chức năng này chỉ dành cho cán bộ OCOP")
    assert (await say(dispatcher, "mai", action="ho:close:1"))[0].text.startswith("Cuộc trò")
    handover = await dispatcher.db.run(partial(office.get_handover, handover_id=1))
    assert handover is not None and handover.status == "open"


def test_office_hours_count_only_working_time() -> None:
    hours = OfficeHours.parse("07:30-11:30,13:30-17:00", "1-5")
    friday_4pm = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # 16:00 in Vietnam
    # One hour left on Friday, then Monday 07:30 + 1 hour.
    assert hours.add(friday_4pm, 2) == datetime(2026, 11, 30, 1, 30, tzinfo=UTC)
    saturday = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)
    assert hours.add(saturday, 2) == datetime(2026, 11, 30, 2, 30, tzinfo=UTC)
    lunch = datetime(2026, 11, 30, 5, 0, tzinfo=UTC)  # Monday 12:00
    assert hours.add(lunch, 1) == datetime(2026, 11, 30, 7, 30, tzinfo=UTC)
    assert hours.next_day_close(friday_4pm) == datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    with pytest.raises(ValueError):
        OfficeHours.parse("17:00-07:30", "1-5")
    with pytest.raises(ValueError):
        OfficeHours.parse("07:30-11:30", "0-5")
    with pytest.raises(SettingsError, match="OFFICE_HOURS is invalid"):
        load_settings(OFFICE_HOURS="8-17")


async def test_unclaimed_request_reminds_officers_once_and_tells_the_user_when(
    dispatcher: Dispatcher,
) -> None:
    db = dispatcher.db
    await onboard(dispatcher, "lan", "producer")
    await onboard(dispatcher, "an", "officer")
    opened = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # Friday 16:00 in Vietnam
    dispatcher.clock = lambda: opened
    await say(dispatcher, "lan", "gap can bo")
    await say(dispatcher, "lan", "Câu hỏi lúc chiều thứ Sáu")
    settings = Settings(HANDOVER_CLAIM_HOURS=2)
    before = len(await pending_to(db, "an"))
    # Saturday: only one working hour has passed.
    assert await clock_tick(db, datetime(2026, 11, 28, 3, 0, tzinfo=UTC), settings) == 0
    monday = datetime(2026, 11, 30, 1, 31, tzinfo=UTC)  # Monday 08:31
    assert await clock_tick(db, monday, settings) == 2
    assert await clock_tick(db, monday + timedelta(hours=3), settings) == 0  # once
    reminder = (await pending_to(db, "an"))[before]
    assert reminder["text"].startswith("⏰ Nhắc: yêu cầu #1")
    assert actions(reminder) == ["ho:claim:1"]
    waiting = (await pending_to(db, "lan"))[-1]
    assert "17:00 01/12/2026" in waiting["text"]  # end of the next working day
    handover = await db.run(partial(office.get_handover, handover_id=1))
    assert handover is not None and handover.status == "open"  # still in the queue


async def test_zalo_user_out_of_window_answer_is_reported_undeliverable(
    dispatcher: Dispatcher,
) -> None:
    db = dispatcher.db
    await onboard(dispatcher, "an", "officer")
    zalo = Incoming(platform="zalo", user_id="z1", chat_id="z1", text="/start")
    await dispatcher.process(zalo)
    for action in ("ob:role:producer", "ob:lang:vi", "ob:prov:1", "ho:start"):
        await dispatcher.process(
            Incoming(platform="zalo", user_id="z1", chat_id="z1", action=action)
        )
    await dispatcher.process(Incoming(platform="zalo", user_id="z1", chat_id="z1", text="Hỏi"))
    officer_id = await db.run(partial(repo.find_user, platform="console", external_id="an"))
    assert officer_id is not None
    won, _ = await claim(
        db, handover_id=1, officer_id=officer_id, officer_name="An", now=datetime.now(UTC)
    )
    assert won
    await say(dispatcher, "an", action="ho:reply:1")
    inside = await say(dispatcher, "an", "Trả lời trong 48 giờ")
    assert inside[0].text.startswith("✓")

    def age(connection):  # type: ignore[no-untyped-def]
        connection.execute(
            update(User)
            .where(User.external_id == "z1")
            .values(last_seen_at=datetime.now(UTC) - timedelta(hours=49))
        )

    await db.run(age)
    outside = await say(dispatcher, "an", "Trả lời sau 49 giờ")
    assert outside[0].text.startswith("⚠️ Không gửi được")
    messages = await db.run(partial(office.handover_messages, handover_id=1))
    assert [(m[1], m[2]) for m in messages[-2:]] == [
        ("Trả lời trong 48 giờ", True),
        ("Trả lời sau 49 giờ", False),
    ]


@pytest.fixture
def two_officers(settings: Settings) -> Settings:
    return settings.model_copy(update={"OFFICER_TELEGRAM_IDS": (4242,)})


@pytest.fixture
async def officer_app(two_officers: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(two_officers)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def http(officer_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=officer_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        yield client


async def test_on_telegram_the_claim_button_reaches_the_officer_and_broadcasts_wait(
    officer_app: FastAPI,
    http: httpx.AsyncClient,
    telegram_api: FakeTelegram,
    two_officers: Settings,
) -> None:
    for user in (4242, 7, 8):
        role = "officer" if user == 4242 else "producer"
        for update_ in (
            tg_message("/start", user_id=user),
            tg_callback(f"ob:role:{role}", user_id=user),
            tg_callback("ob:lang:vi", user_id=user),
            tg_callback("ob:prov:1", user_id=user),
        ):
            await post_update(http, update_)
    await post_update(http, tg_message("gặp cán bộ", user_id=7))
    await post_update(http, tg_message("Xin hỏi thủ tục đánh giá lại", user_id=7))
    db: Database = officer_app.state.db
    # A broadcast to producers while user 7 talks with the office: 8 gets it, 7 waits.
    await post_update(http, tg_message("/thongbao", user_id=4242))
    await post_update(http, tg_message("Hội chợ OCOP 20/12", user_id=4242))
    for action in ("bc:role:producer", "bc:preview", "bc:go", "bc:go:all"):
        await post_update(http, tg_callback(action, user_id=4242))
    bot = tg.make_bot(two_officers)
    async with bot:
        delivery = Delivery(db, {"telegram": tg.TelegramSender(bot)}, per_second=50)
        # no gap between two messages to one chat: pacing is test_outbox's subject
        delivery.limiter = RateLimiter(50, per_chat_gap=0)
        await delivery.run_once()
        sent = telegram_api.of("sendMessage")
        request = next(c for c in sent if str(c.params["chat_id"]) == "4242")
        assert "Xin hỏi thủ tục đánh giá lại" in request.params["text"]
        keyboard = request.params["reply_markup"]["inline_keyboard"]
        assert keyboard[0][0]["text"] == "✋ Nhận / Claim"
        broadcast_to = {str(c.params["chat_id"]) for c in sent if "Hội chợ" in c.params["text"]}
        assert broadcast_to == {"8"}
        claimed = await post_update(
            http, tg_callback(keyboard[0][0]["callback_data"], user_id=4242)
        )
        assert claimed.status_code == 200
        await post_update(
            http, tg_message("Anh/chị cần đơn đề nghị và bản tự đánh giá.", user_id=4242)
        )
        silent = await post_update(http, tg_message("Cảm ơn, còn gì nữa không?", user_id=7))
        assert silent.json() == {"ok": True} or not silent.content.strip(b" {}")
        await post_update(http, tg_callback("ho:close:1", user_id=7))
        telegram_api.reset()
        await delivery.run_once()
        to_user = [
            c.params["text"]
            for c in telegram_api.of("sendMessage")
            if str(c.params["chat_id"]) == "7"
        ]
        assert any(t.startswith("🏛 <b>Văn phòng OCOP</b>: Anh/chị cần đơn") for t in to_user)
        assert any(
            "Hội chợ OCOP 20/12" in t for t in to_user
        )  # the broadcast went out after closing
    record = await db.run(partial(office.get_handover, handover_id=1))
    assert record is not None and record.status == "closed"

    def handovers(connection):  # type: ignore[no-untyped-def]
        return connection.execute(select(Handover.status)).scalars().all()

    assert await db.run(handovers) == ["closed"]


async def test_menu_offers_an_officer_to_users_and_the_queue_to_officers(
    dispatcher: Dispatcher,
) -> None:
    await onboard(dispatcher, "lan", "tourist", locale="en")
    await onboard(dispatcher, "an", "officer")
    menu = await say(dispatcher, "lan", "/menu")
    assert "ho:start" in [b.action for b in menu[0].all_buttons]
    officer_menu = await say(dispatcher, "an", "/menu")
    assert "ho:list" in [b.action for b in officer_menu[0].all_buttons]
    empty = await say(dispatcher, "an", action="ho:list")
    assert empty[0].text == "Không có yêu cầu nào đang chờ."
    await say(dispatcher, "lan", action="ho:start")
    await say(dispatcher, "lan", "Where can I buy OCOP tea in Hanoi?")
    listed = await say(dispatcher, "an", "/hangdoi")
    assert "Where can I buy OCOP tea" in listed[0].text and "chưa ai nhận" in listed[0].text
    assert listed[0].all_buttons[0].action == "ho:claim:1"


async def test_a_question_about_an_announcement_goes_to_the_office_that_sent_it(
    dispatcher: Dispatcher,
) -> None:
    """A visitor in Huế asking about an announcement of Hà Nội's officers is asked for the
    question for Hà Nội's office and reaches it, not Huế's officers who know nothing of it."""
    await onboard(dispatcher, "an", "officer")  # Hà Nội
    await onboard(dispatcher, "hoa", "officer", province=HUE)
    await onboard(dispatcher, "tom", "tourist", province=HUE, locale="en")
    for step in ("/thongbao", "Hội chợ OCOP Hà Nội 20/12"):
        await say(dispatcher, "an", step)
    for action in ("bc:where:0", "bc:preview", "bc:go", "bc:go:all"):
        await say(dispatcher, "an", action=action)
    [announcement] = [p for p in await pending_to(dispatcher.db, "tom") if "Hội chợ" in p["text"]]
    asked = await say(dispatcher, "tom", action=actions(announcement)[0])
    assert "OCOP officers (Hà Nội)" in asked[0].text
    queued = await say(dispatcher, "tom", "Is entry free?")
    assert "(Hà Nội)" in queued[0].text
    assert "Is entry free?" in (await pending_to(dispatcher.db, "an"))[-1]["text"]
    assert not [p for p in await pending_to(dispatcher.db, "hoa") if "Is entry" in p["text"]]
