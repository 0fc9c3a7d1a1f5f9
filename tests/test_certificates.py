"""Certificates under QĐ 26/2026/QĐ-TTg, checked against the decision's text with dates worked
by hand: 36 months of validity (Điều 4.3), the filing window 180–120 days before expiry
(Điều 7.6.a) and its reminders, the transition rule (Điều 12.3), who may issue what (Điều 4.1;
districts ceased 1/7/2025), and `/chungnhan` recording, listing, correcting and deleting."""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from functools import partial

import pytest
from sqlalchemy import Connection, select

from bot.console import Console, to_incoming
from bot.dispatch import Dispatcher
from bot.i18n import translator
from bot.messages import Button, Reply
from bot.scheduler import enqueue_due_reminders
from bot.settings import Settings
from db import repo
from db.models import Certificate, Outbox
from db.session import Database
from handlers.certificate_texts import standing
from knowledge.certificates import (
    expiring,
    issuer_problem,
    month_typed,
    parse_date,
    parse_stars,
    schedule,
)
from knowledge.typed_commands import certificate_asked
from tests.conftest import console_msg

NOW = datetime(2026, 11, 29, 1, 0, tzinfo=UTC)  # 08:00 on 29/11/2026 in Vietnam


def at(day: date) -> datetime:
    """08:00 in Vietnam on `day`."""
    return datetime(day.year, day.month, day.day, 1, 0, tzinfo=UTC)


# --- the rule, worked by hand ------------------------------------------------------------


def test_a_certificate_of_15_3_2024_and_its_window() -> None:
    dates = schedule(date(2024, 3, 15))
    assert dates.expiry == date(2027, 3, 15)  # 36 months, Điều 4.3
    # Not earlier than 180 days before expiry: 16/9/2026 is 180 days before (Sep 16→30 is 14,
    # then 31+30+31+31+28+15); 15/9/2026 would be 181. Not later than 120: 15/11/2026.
    assert (dates.window_opens, dates.window_closes) == (date(2026, 9, 16), date(2026, 11, 15))
    assert dates.reminders == (
        ("open", date(2026, 9, 16)),  # the window opens
        ("half", date(2026, 10, 16)),  # 150 days before expiry
        ("last", date(2026, 11, 8)),  # 127 days before: 7 days before the window closes
        ("late", date(2026, 11, 16)),  # the day after it closed: Điều 12.3
    )
    assert dates.late_until == date(2027, 9, 11)  # at most 180 days past expiry (Điều 12.3)
    assert not dates.transition
    assert dates.phase(date(2026, 9, 15)) == "before"
    assert dates.phase(date(2026, 9, 16)) == "open"
    assert dates.phase(date(2026, 11, 15)) == "open"
    assert dates.phase(date(2026, 11, 29)) == "late"  # past the window on 29/11/2026
    assert dates.phase(date(2027, 9, 11)) == "late"
    assert dates.phase(date(2027, 9, 12)) == "ended"


def test_a_certificate_known_by_its_expiry_has_the_same_dates() -> None:
    """A producer types the expiry ("hết hạn 15/3/2027"), not the issue day."""
    assert expiring(date(2027, 3, 15)) == schedule(date(2024, 3, 15))


def test_only_the_latest_due_reminder_and_none_before_the_record() -> None:
    dates = schedule(date(2024, 3, 15))
    long_ago = date(2024, 3, 20)
    assert dates.due_stage(date(2026, 9, 15), long_ago) is None
    assert dates.due_stage(date(2026, 9, 16), long_ago) == "open"
    assert dates.due_stage(date(2026, 10, 20), long_ago) == "half"
    assert dates.due_stage(date(2026, 11, 8), long_ago) == "last"
    # After an outage spanning the last call and the close, only the Điều 12.3 reminder.
    assert dates.due_stage(date(2026, 11, 29), long_ago) == "late"
    # Recorded on 20/10/2026: the reply said where it stood; the next reminder is the last call.
    assert dates.due_stage(date(2026, 10, 25), date(2026, 10, 20)) is None
    assert dates.due_stage(date(2026, 11, 8), date(2026, 10, 20)) == "last"
    assert dates.due_stage(date(2027, 9, 12), long_ago) is None  # the certificate has ended


def test_transition_for_a_window_that_opened_before_22_5_2026() -> None:
    # Issued 1/10/2023, expires 1/10/2026: its window (4/4/2026 – 3/6/2026) opened before
    # QĐ 26/2026 took effect on 22/5/2026, so Điều 12.3 applies from that day, even inside it.
    dates = schedule(date(2023, 10, 1))
    assert (dates.window_opens, dates.window_closes) == (date(2026, 4, 4), date(2026, 6, 3))
    assert dates.transition
    assert dates.reminders == (("late", date(2026, 5, 22)),)
    assert dates.phase(date(2026, 5, 25)) == "late"
    assert dates.late_until == date(2027, 3, 30)
    # A window opening on 22/5/2026 itself (expiry 18/11/2026) follows the new rule.
    assert not schedule(date(2023, 11, 18)).transition
    assert schedule(date(2023, 11, 18)).window_opens == date(2026, 5, 22)


def test_expiry_on_a_short_month() -> None:
    assert schedule(date(2024, 2, 29)).expiry == date(2027, 2, 28)  # no 29/2 in 2027


@pytest.mark.parametrize(
    ("typed", "stars"),
    [
        ("3", 3),
        ("3 sao", 3),
        ("3 Sao", 3),
        ("3*", 3),
        ("3★", 3),
        ("ba sao", 3),
        ("hạng 4 sao", 4),
        ("4 stars", 4),
        ("five", 5),
        ("1", 1),
        ("sao", None),
        ("6", None),
        ("mat ong", None),
        # Chat forms, from a helper playing users (2026-11-30), before the reading changed.
        ("3 sao a", 3),
        ("3 sao ạ", 3),
        ("được 4 sao nhé", 4),
        ("dat 5 sao", 5),
        ("la 4 sao", 4),
        ("3 sao a nhe", 3),
        ("bao nhieu sao", None),
    ],
)
def test_parse_stars(typed: str, stars: int | None) -> None:
    assert parse_stars(typed) == stars


@pytest.mark.parametrize(
    ("stars", "level", "issued", "problem"),
    [
        (3, "province", date(2026, 6, 1), None),
        (4, "province", date(2024, 3, 15), None),
        (5, "central", date(2024, 3, 15), None),  # before 2025: the central level
        (5, "province", date(2026, 6, 1), "stars"),  # 5★ is national (Điều 4.1.b)
        (4, "central", date(2026, 6, 1), "stars"),  # the Ministry certifies 5★ only
        (3, "district", date(2025, 6, 30), None),  # QĐ 148: the district certified 3★
        (3, "district", date(2025, 7, 1), "ended"),  # districts ceased on 1/7/2025
        (4, "district", date(2024, 3, 15), "stars"),
    ],
)
def test_issuer_must_fit_stars_and_date(
    stars: int, level: str, issued: date, problem: str | None
) -> None:
    assert issuer_problem(stars, level, issued) == problem


def test_console_number_that_is_a_label_picks_that_label() -> None:
    buttons = [Button(f"{n}★", f"ct:stars:{n}") for n in (3, 4, 5)] + [Button("Menu", "m:menu")]
    assert to_incoming("3", buttons, "u").action == "ct:stars:3"  # not the third button (5★)
    assert to_incoming("5", buttons, "u").action == "ct:stars:5"
    assert to_incoming("1", buttons, "u").action == "ct:stars:3"  # no label "1": the first one
    assert to_incoming("3 sao", buttons, "u").text == "3 sao"  # the flow reads it


# --- /chungnhan ----------------------------------------------------------------------------


@pytest.fixture
async def at_29_11(settings: Settings) -> AsyncIterator[Dispatcher]:
    """The conversation core with its clock fixed at 08:00 on 29/11/2026, a producer onboarded."""
    db = Database(settings.DATABASE_URL)
    await db.upgrade()
    dispatcher = Dispatcher(db, settings, clock=lambda: NOW)
    for step in ("/start", "ob:role:producer", "ob:lang:vi", "ob:prov:1"):
        await dispatcher.process(
            console_msg(step) if step.startswith("/") else console_msg(action=step)
        )
    yield dispatcher
    await db.dispose()


async def say(dispatcher: Dispatcher, text: str = "", action: str | None = None) -> list[Reply]:
    return (await dispatcher.process(console_msg(text, action=action))).replies


async def stored(db: Database) -> list[tuple[str, int, date, str]]:
    def read(connection: Connection) -> list[tuple[str, int, date, str]]:
        table = Certificate.__table__
        rows = connection.execute(
            select(table.c.product, table.c.stars, table.c.decided_on, table.c.level)
        ).all()
        return [tuple(r) for r in rows]  # type: ignore[misc]

    return await db.run(read)


async def test_typed_3_saves_3_stars_and_the_reply_applies_article_12_3(
    at_29_11: Dispatcher,
) -> None:
    first = await say(at_29_11, "/chungnhan")
    assert "chưa lưu giấy chứng nhận" in first[0].text
    assert "Tên sản phẩm" in first[-1].text
    await say(at_29_11, "Mat ong ban ha")
    asked = await say(at_29_11, "3")
    assert "cấp ngày nào" in asked[0].text
    await say(at_29_11, "15/03/2024")
    saved = (await say(at_29_11, action="ct:level:province"))[0].text
    assert "“Mat ong ban ha” — OCOP 3 sao, UBND tỉnh/thành phố (3–4 sao)" in saved
    assert "cấp ngày 15/03/2024, hết hạn 15/03/2027" in saved
    assert "đã qua thời gian nộp hồ sơ đánh giá lại (16/09/2026 – 15/11/2026" in saved
    assert "Điều 12.3" in saved and "đến 11/09/2027" in saved
    assert "Mẫu 01" in saved and "Mẫu 02" in saved and "Điều 6.1.c" in saved
    assert "2027-03-15" not in saved and "2024-03-15" not in saved  # never ISO
    assert await stored(at_29_11.db) == [("Mat ong ban ha", 3, date(2024, 3, 15), "province")]


async def test_typed_3_in_the_console_saves_3_stars_not_the_third_button(
    settings: Settings,
) -> None:
    db = Database(settings.DATABASE_URL)
    await db.upgrade()
    out = io.StringIO()
    lines = io.StringIO("1\n2\nha noi\n/chungnhan\nFish sauce\n3\n01/06/2025\n1\n")
    await Console(Dispatcher(db, settings), "lan", out).run(lines)
    assert "  1. 3★" in out.getvalue()
    assert "OCOP 3 stars" in out.getvalue()
    assert await stored(db) == [("Fish sauce", 3, date(2025, 6, 1), "province")]
    await db.dispose()


async def test_stars_that_get_no_certificate_or_cannot_be_read_are_asked_again(
    at_29_11: Dispatcher,
) -> None:
    await say(at_29_11, "/chungnhan")
    await say(at_29_11, "Gao")
    two = await say(at_29_11, "2 sao")
    assert "không được cấp giấy chứng nhận (Điều 4.1.a" in two[0].text
    assert [b.action for b in two[1].all_buttons][:3] == ["ct:stars:3", "ct:stars:4", "ct:stars:5"]
    assert "Em chưa hiểu số sao" in (await say(at_29_11, "nhieu sao"))[0].text
    assert "cấp ngày nào" in (await say(at_29_11, "4 sao"))[0].text


async def test_five_stars_from_a_province_is_refused_then_saved_with_the_ministry(
    at_29_11: Dispatcher,
) -> None:
    await say(at_29_11, "/chungnhan")
    await say(at_29_11, "Tra Shan tuyet")
    await say(at_29_11, action="ct:stars:5")
    await say(at_29_11, "20/12/2024")
    refused = await say(at_29_11, "tinh")  # typed issuer
    assert "5 sao là OCOP cấp quốc gia" in refused[0].text and "Điều 4.1.b" in refused[0].text
    assert await stored(at_29_11.db) == []
    saved = await say(at_29_11, action="ct:level:central")
    assert "OCOP 5 sao, Bộ Nông nghiệp và Môi trường / trung ương (5 sao)" in saved[0].text
    # Expires 20/12/2027: window 23/6/2027 – 22/8/2027, not yet open.
    assert "từ 23/06/2027 đến hết 22/08/2027" in saved[0].text
    assert "Em sẽ nhắc ngày 23/06/2027, 23/07/2027 và 15/08/2027" in saved[0].text


async def test_a_district_after_1_7_2025_is_refused_and_the_date_can_be_corrected(
    at_29_11: Dispatcher,
) -> None:
    await say(at_29_11, "/chungnhan")
    await say(at_29_11, "Non la")
    await say(at_29_11, "3")
    await say(at_29_11, "15/08/2025")
    refused = await say(at_29_11, action="ct:level:district")
    assert "chấm dứt hoạt động từ 1/7/2025" in refused[0].text
    assert "15/08/2025" in refused[0].text
    actions = [b.action for b in refused[1].all_buttons]
    assert "ct:field:date" in actions and "ct:level:province" in actions
    await say(at_29_11, action="ct:field:date")
    saved = await say(at_29_11, "15/03/2025")
    assert "UBND huyện (3 sao, trước 1/7/2025), cấp ngày 15/03/2025" in saved[0].text
    assert await stored(at_29_11.db) == [("Non la", 3, date(2025, 3, 15), "district")]


async def test_list_edit_and_delete(at_29_11: Dispatcher) -> None:
    for step in ("/chungnhan", "Mat ong", "4", "01/12/2025"):
        await say(at_29_11, step)
    await say(at_29_11, action="ct:level:province")
    listing = await say(at_29_11, "/chungnhan")
    assert "1. “Mat ong” — OCOP 4 sao" in listing[0].text
    # Expires 01/12/2028; the window 04/06/2028 – 03/08/2028 is ahead.
    assert "từ 04/06/2028 đến hết 03/08/2028" in listing[0].text
    edit, delete = (b.action for b in listing[0].all_buttons[:2])
    asked = await say(at_29_11, action=edit)
    assert "muốn sửa thông tin nào" in asked[0].text
    await say(at_29_11, action="ct:field:stars")
    updated = await say(at_29_11, "3 sao")
    assert "Đã sửa: “Mat ong” — OCOP 3 sao" in updated[0].text
    assert await stored(at_29_11.db) == [("Mat ong", 3, date(2025, 12, 1), "province")]
    # Correcting to 5★ keeps the province: refused until the issuer fits.
    await say(at_29_11, action=edit)
    await say(at_29_11, action="ct:field:stars")
    refused = await say(at_29_11, "5")
    assert "5 sao là OCOP cấp quốc gia" in refused[0].text
    assert await stored(at_29_11.db) == [("Mat ong", 3, date(2025, 12, 1), "province")]
    await say(at_29_11, "/cancel")
    confirm = await say(at_29_11, action=delete)
    assert confirm[0].text.startswith("Xóa giấy chứng nhận này?")
    done = await say(at_29_11, action=confirm[0].all_buttons[0].action)
    assert "Đã xóa giấy chứng nhận “Mat ong”" in done[0].text
    assert await stored(at_29_11.db) == []


async def test_another_users_certificate_cannot_be_edited_or_deleted(
    at_29_11: Dispatcher,
) -> None:
    for step in ("/chungnhan", "Mat ong", "4", "01/12/2025"):
        await say(at_29_11, step)
    await say(at_29_11, action="ct:level:province")
    other = partial(console_msg, user="u2")
    for step in ("/start",):
        await at_29_11.process(other(step))
    for action in ("ob:role:producer", "ob:lang:vi", "ob:prov:2", "ct:delok:1", "ct:edit:1"):
        await at_29_11.process(other(action=action))
    assert await stored(at_29_11.db) == [("Mat ong", 4, date(2025, 12, 1), "province")]


# --- the clock -----------------------------------------------------------------------------


async def producer_with_certificate(db: Database, issued: date, recorded: datetime) -> int:
    def add(connection: Connection) -> int:
        user = repo.new_user(
            platform="telegram", external_id="77", chat_id="77", locale="vi", now=recorded
        )
        user.role, user.province_code = "producer", 1
        uid = repo.insert_user(connection, user=user)
        return repo.add_certificate(
            connection,
            user_id=uid,
            product="Nước mắm",
            stars=4,
            decided_on=issued,
            level="province",
            now=recorded,
        )

    return await db.run(add)


async def certificate_rows(db: Database) -> list[tuple[str, str, str]]:
    def read(connection: Connection) -> list[tuple[str, str, str]]:
        table = Outbox.__table__
        rows = connection.execute(
            select(table.c.dedupe_key, table.c.status, table.c.payload)
            .where(table.c.dedupe_key.like("certificate:%"))
            .order_by(table.c.id)
        ).all()
        return [(r[0], r[1], r[2][0]["text"]) for r in rows]

    return await db.run(read)


async def test_reminders_open_half_last_then_article_12_3(settings: Settings) -> None:
    db = Database(settings.DATABASE_URL)
    await db.upgrade()
    cid = await producer_with_certificate(db, date(2024, 3, 15), at(date(2024, 3, 20)))
    assert await enqueue_due_reminders(db, at(date(2026, 9, 15))) == 0
    assert await enqueue_due_reminders(db, at(date(2026, 9, 16))) == 1
    assert await enqueue_due_reminders(db, at(date(2026, 9, 17))) == 0  # queued once
    await enqueue_due_reminders(db, at(date(2026, 10, 16)))
    await enqueue_due_reminders(db, at(date(2026, 11, 8)))
    await enqueue_due_reminders(db, at(date(2026, 11, 16)))
    rows = await certificate_rows(db)
    assert [key for key, _, _ in rows] == [
        f"certificate:{cid}:2027-03-15:open",
        f"certificate:{cid}:2027-03-15:half",
        f"certificate:{cid}:2027-03-15:last",
        f"certificate:{cid}:2027-03-15:late",
    ]
    opened, half, last, late = (text for _, _, text in rows)
    assert "Từ hôm nay anh/chị có thể nộp hồ sơ đánh giá lại" in opened
    assert "từ 16/09/2026 đến hết 15/11/2026" in opened and "Điều 7.6.a" in opened
    assert "còn 30 ngày, đến hết 15/11/2026" in half
    assert "Nhắc lần cuối: còn 7 ngày" in last
    assert "Điều 12.3" in late and "đến 11/09/2027" in late
    for text in (opened, half, last, late):
        assert "Mẫu 01" in text and "nguyên liệu" in text and "giấy tờ pháp lý có thời hạn" in text
    await db.dispose()


async def test_a_certificate_past_its_window_gets_one_reminder_after_an_outage(
    settings: Settings,
) -> None:
    db = Database(settings.DATABASE_URL)
    await db.upgrade()
    cid = await producer_with_certificate(db, date(2024, 3, 15), at(date(2024, 3, 20)))
    assert await enqueue_due_reminders(db, NOW) == 1
    assert await enqueue_due_reminders(db, NOW) == 0
    assert [k for k, _, _ in await certificate_rows(db)] == [f"certificate:{cid}:2027-03-15:late"]
    await db.dispose()


async def test_deleting_a_certificate_cancels_its_pending_reminder(settings: Settings) -> None:
    db = Database(settings.DATABASE_URL)
    await db.upgrade()
    cid = await producer_with_certificate(db, date(2024, 3, 15), at(date(2024, 3, 20)))
    await enqueue_due_reminders(db, NOW)
    uid = (await db.run(partial(repo.find_user, platform="telegram", external_id="77"))) or 0
    assert (
        await db.run(partial(repo.delete_certificate, user_id=uid + 1, certificate_id=cid))
        is False
    )
    assert await db.run(partial(repo.delete_certificate, user_id=uid, certificate_id=cid)) is True
    assert [status for _, status, _ in await certificate_rows(db)] == ["cancelled"]
    assert await enqueue_due_reminders(db, NOW) == 0
    await db.dispose()


async def test_a_transition_certificate_recorded_before_22_5_2026_is_told_once(
    settings: Settings,
) -> None:
    db = Database(settings.DATABASE_URL)
    await db.upgrade()
    cid = await producer_with_certificate(db, date(2023, 10, 1), at(date(2023, 10, 10)))
    assert await enqueue_due_reminders(db, NOW) == 1
    assert await enqueue_due_reminders(db, NOW) == 0
    [(key, _, text)] = await certificate_rows(db)
    assert key == f"certificate:{cid}:2026-10-01:late"
    assert "(04/04/2026 – 03/06/2026) đã bắt đầu trước khi QĐ 26/2026/QĐ-TTg có hiệu lực" in text
    assert "không quá 180 ngày sau khi hết hạn (đến 30/03/2027)" in text
    await db.dispose()


async def test_a_certificate_ended_more_than_180_days_ago_says_so(at_29_11: Dispatcher) -> None:
    for step in ("/chungnhan", "Gao tam", "4", "01/01/2023", "tinh"):
        replies = await say(at_29_11, step)
    assert "hết hạn 01/01/2026" in replies[0].text
    assert "⛔ Giấy chứng nhận đã hết hạn ngày 01/01/2026 và đã quá 180 ngày" in replies[0].text
    assert "Mẫu 01" not in replies[0].text


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("15/03/2024", date(2024, 3, 15)),
        ("15/3/2024", date(2024, 3, 15)),
        ("15-3-24", date(2024, 3, 15)),
        # Chat forms (a helper playing users, 2026-11-30), before the reading changed.
        ("ngay 15/3/2024", date(2024, 3, 15)),
        ("ngày 15/03/2024 ạ", date(2024, 3, 15)),
        ("ký ngày 15.3.2024", date(2024, 3, 15)),
        ("15/3/2024 nhé", date(2024, 3, 15)),
        ("31/2/2024", None),
        ("ngay 15 thang 3", None),
        ("2024", None),
        # Written before the reading changed (a helper's blind probe, 2026-11-30): the day
        # and month in words were refused.
        ("15 thang 3 2025", date(2025, 3, 15)),
        ("ngày 15 tháng 3 năm 2025", date(2025, 3, 15)),
        ("ky ngay 5 thg 12 nam 2024 a", date(2024, 12, 5)),
        ("15 March 2025", date(2025, 3, 15)),
        ("March 15, 2025", date(2025, 3, 15)),
        ("3/2025", None),  # no day: asked for it, never guessed
        ("thang 3 nam 2025", None),
        ("15 thang 3", None),
        ("31 thang 2 nam 2024", None),
        # A producer's forms (helper remind8, 2026-11-30), before the reading changed: an
        # English ordinal day was answered "em cần cả ngày", ISO and "15/3 năm 2024" refused.
        ("15th March 2024", date(2024, 3, 15)),
        ("issued on March 15th, 2024", date(2024, 3, 15)),
        ("1st of March 2024", date(2024, 3, 1)),
        ("2024-03-15", date(2024, 3, 15)),
        ("ngày 15/3 năm 2024", date(2024, 3, 15)),
        ("ky ngay 15-3 nam 2024 a", date(2024, 3, 15)),
        ("3/15/2024", None),  # month first: refused, never read as another day
        ("2024-02-30", None),
        ("March 2024", None),
    ],
)
def test_a_certificate_date_is_read_in_a_sentence(typed: str, day: date | None) -> None:
    assert parse_date(typed) == day


async def test_a_question_or_a_month_alone_is_not_taken_for_the_certificate(
    at_29_11: Dispatcher,
) -> None:
    """A question typed where the product's name is asked ("bao gio het han") was saved as the
    name, and a month without its day ("3/2025") got "em chưa đọc được ngày này"."""
    await say(at_29_11, "/chungnhan")
    for question in ("bao gio het han", "nhac toi truoc 3 thang", "khi nao phai nop lai?"):
        asked = await say(at_29_11, question)
        assert "câu hỏi" in asked[0].text, question
        assert asked[-1].text == "Tên sản phẩm được công nhận OCOP là gì ạ?"
    await say(at_29_11, "Nem chua Thanh Hoa")  # "chua" (sour) is in names, no question
    await say(at_29_11, "ba sao")
    for typed in ("thang 3 nam 2025", "3/2025", "March 2025"):
        month = await say(at_29_11, typed)
        assert "ngày ký" in month[0].text and "Điều 7.6.a" in month[0].text, typed
    await say(at_29_11, "15 thang 3 2025")
    await say(at_29_11, action="ct:level:province")
    assert await stored(at_29_11.db) == [("Nem chua Thanh Hoa", 3, date(2025, 3, 15), "province")]


@pytest.mark.parametrize(
    "name", ["Cà phê không đường Buôn Ma Thuột", "Trà shan tuyết Tà Xùa", "Mắm tôm Hậu Lộc"]
)
async def test_product_names_stay_names(at_29_11: Dispatcher, name: str) -> None:
    await say(at_29_11, "/chungnhan")
    assert "mấy sao" in (await say(at_29_11, name))[0].text


async def test_their_certificate_asked_about_in_words_is_its_card(at_29_11: Dispatcher) -> None:
    """Just after recording, "bao gio het han" and "giay chung nhan cua e con han ko" got the
    FAQ's decline and "nhac toi truoc 3 thang" "em chưa hiểu"; a reminder's lead is fixed."""
    for step in ("/chungnhan", "Tra shan tuyet", "4", "20/03/2025"):
        await say(at_29_11, step)
    await say(at_29_11, action="ct:level:province")
    for typed in ("bao gio het han", "giay chung nhan cua e con han ko"):
        listed = await say(at_29_11, typed)
        assert "hết hạn 20/03/2028" in listed[0].text, typed
    lead = await say(at_29_11, "nhac toi truoc 3 thang")
    assert "mốc cố định" in lead[0].text and "hết hạn 20/03/2028" in lead[1].text
    general = await say(at_29_11, "giay chung nhan ocop co gia tri bao lau")  # the FAQ's
    assert "hết hạn 20/03/2028" not in general[0].text


def test_an_ordinal_day_is_a_day_not_a_month_alone() -> None:
    """ "15th March 2024" was answered "em cần cả ngày ký" (helper remind8, 2026-11-30)."""
    assert month_typed("15th March 2024") is None
    assert month_typed("March 2024") == month_typed("thang 3 nam 2024") == (2024, 3)


@pytest.mark.parametrize(
    ("typed", "asked"),
    [
        # Written before the reading changed (helper remind8 playing producers, 2026-11-30):
        # each got the FAQ's general "36 tháng" although the producer had recorded theirs.
        ("khi nao giay chung nhan cua toi het han", "expiry"),
        ("bao gio gcn cua em het han a", "expiry"),
        ("gcn cua minh het han ngay nao", "expiry"),
        ("Giấy chứng nhận của tôi hết hạn khi nào?", "expiry"),
        ("chung nhan ocop cua em con han den bao gio", "expiry"),
        ("khi nao toi phai nop ho so danh gia lai", "expiry"),
        ("bao gio em nop ho so danh gia lai duoc a", "expiry"),
        ("han nop ho so danh gia lai cua em la khi nao", "expiry"),
        ("When does my OCOP certificate expire?", "expiry"),
        ("when do I need to apply for re-evaluation", "expiry"),
        ("when should I apply for re-evaluation?", "expiry"),
        ("gcn ocop cua toi con bao lau nua thi het han", "expiry"),
        ("bao lau nua thi gcn cua em het han", "expiry"),
        ("khi nao em can lam ho so danh gia lai", "expiry"),
        ("san pham cua em khi nao phai danh gia lai", "expiry"),
        ("em can nop ho so danh gia lai truoc ngay nao", "expiry"),
        ("how long is my certificate still valid", "expiry"),
        ("when does my certificate run out", "expiry"),
        ("nhac em truoc mot thang", "lead"),
        ("nhac truoc 1 thang nhe", "lead"),
        ("nhac toi truoc 1 thang khi het han", "lead"),
        ("co the nhac toi truoc 2 tuan duoc khong", "lead"),
        ("remind me a month before", "lead"),
        ("Remind me one month before it expires", "lead"),
        # Not about their certificate: the FAQ's general answer or another flow.
        ("giay chung nhan ocop co gia tri bao lau", None),
        ("het han giay chung nhan thi lam gi", None),
        ("bao gio het han nop ho so", None),
        ("giay phep kinh doanh cua toi khi nao het han", None),
        ("khi nao nop ho so danh gia lan dau", None),
        ("nhac toi han nop ho so", None),
        ("khi nao phai danh gia lai", None),
        ("san pham cua em khi nao duoc cham", None),
        ("toi co phai danh gia lai khong", None),
        ("how long is a certificate valid", None),
        # Dated: the FAQ answers with that date's window (window_of_date in free_text_routes).
        ("my certificate was issued on 10/01/2024, when must I apply for re-evaluation", None),
    ],
)
def test_their_certificate_asked_in_many_words(typed: str, asked: str | None) -> None:
    assert certificate_asked(typed) == asked


async def test_every_reminder_off_silences_the_certificate_too(settings: Settings) -> None:
    """ "🔕 Tắt mọi nhắc hạn" said every reminder was off, yet the re-evaluation reminders kept
    coming (helper remind8, 2026-11-30); back on, the next due one comes."""
    db = Database(settings.DATABASE_URL)
    await db.upgrade()
    cid = await producer_with_certificate(db, date(2024, 3, 15), at(date(2024, 3, 20)))
    uid = await db.run(partial(repo.find_user, platform="telegram", external_id="77"))
    assert uid is not None
    await db.run(lambda c: repo.mute(c, user_id=uid, deadline_id=0))
    await enqueue_due_reminders(db, at(date(2026, 9, 16)))
    assert await certificate_rows(db) == []
    await db.run(lambda c: repo.unmute_all(c, user_id=uid))
    await enqueue_due_reminders(db, at(date(2026, 10, 16)))
    assert [k for k, _, _ in await certificate_rows(db)] == [f"certificate:{cid}:2027-03-15:half"]
    await db.dispose()


@pytest.mark.parametrize(
    ("typed", "says", "urgent"),
    [
        # Written before the reply changed (helper remind8, 2026-11-30): a month alone got only
        # "em cần cả ngày ký". Issued in March 2024, a certificate expires 01/03–31/03/2027
        # (Điều 4.3) and its window closes 01/11–01/12/2026 (120 days before, Điều 7.6.a): on
        # 29/11/2026 it may have closed or close within days.
        ("3/2024", ("01/03/2027", "31/03/2027", "01/11/2026", "01/12/2026"), "⚠️"),
        ("thang 3 nam 2024", ("01/11/2026", "01/12/2026"), "⚠️"),
        # June 2024: expiry 01/06–30/06/2027, window opens 03/12/2026–01/01/2027: not yet.
        ("thang 6 nam 2024", ("03/12/2026", "01/01/2027", "01/02/2027", "02/03/2027"), None),
        # March 2023: expired 01/03–31/03/2026, more than 180 days ago (Điều 12.3).
        ("3/2023", ("01/03/2026", "31/03/2026", "Điều 12.3"), "⛔"),
        # August 2024: expiry 01/08–31/08/2027; the window closes
        # 03/04–03/05/2027, opening 02/02–04/03/2027 (typed in English).
        ("August 2024", ("01/08/2027", "31/08/2027", "02/02/2027", "03/05/2027"), None),
    ],
)
async def test_a_month_alone_gives_the_range_its_days_allow(
    at_29_11: Dispatcher, typed: str, says: tuple[str, ...], urgent: str | None
) -> None:
    for step in ("/chungnhan", "Mat ong", "4"):
        await say(at_29_11, step)
    text = "\n".join(r.text for r in await say(at_29_11, typed))
    for part in says:
        assert part in text, (typed, part, text)
    assert [mark for mark in ("⚠️", "⛔") if mark in text] == ([urgent] if urgent else []), text
    assert "ngày/tháng/năm" in text  # the exact day is still asked for
    assert await stored(at_29_11.db) == []


@pytest.mark.parametrize(
    ("today", "locale", "says"),
    [
        # Seen in the console (helper remind8, 2026-11-30), before the change: "1 days left";
        # on the window's last day, "còn 0 ngày". Issued 31/03/2024: the window closes
        # 01/12/2026, 120 days before expiry 31/03/2027 (Điều 7.6.a).
        (date(2026, 11, 30), "en", "1 day left"),
        (date(2026, 11, 30), "vi", "còn 1 ngày"),
        (date(2026, 12, 1), "en", "Today (01/12/2026) is the last day"),
        (date(2026, 12, 1), "vi", "Hôm nay (01/12/2026) là ngày cuối"),
        (date(2026, 11, 1), "en", "30 days left"),
    ],
)
def test_the_days_left_in_the_window_read_right(today: date, locale: str, says: str) -> None:
    record = repo.CertificateRecord(
        1, 1, "Cà phê", 4, date(2024, 3, 31), "province", datetime(2024, 4, 1, tzinfo=UTC)
    )
    shown = standing(translator(locale), record, today)
    assert says in shown, shown
    assert re.search(r"\b(?:1 days|0 days|còn 0 ngày)", shown) is None, shown


async def test_a_last_call_sent_late_never_says_0_days(settings: Settings) -> None:
    """After an outage from 7/11 to the window's last day (15/11/2026 for a certificate of
    15/3/2024, Điều 7.6.a), the last call said "còn 0 ngày" (helper remind8, 2026-11-30)."""
    db = Database(settings.DATABASE_URL)
    await db.upgrade()
    await producer_with_certificate(db, date(2024, 3, 15), at(date(2024, 3, 20)))
    assert await enqueue_due_reminders(db, at(date(2026, 11, 15))) == 1
    [(_, _, text)] = await certificate_rows(db)
    assert "Hôm nay (15/11/2026) là ngày cuối" in text and "còn 0 ngày" not in text
    await db.dispose()


@pytest.mark.parametrize(
    "typed",
    ["con kip nop ho so danh gia lai khong", "is it still in time to file for re-evaluation"],
)
async def test_the_re_evaluation_rule_leads_to_their_certificate(
    at_29_11: Dispatcher, typed: str
) -> None:
    """The re-evaluation window's rule (Điều 7.6.a) had no way to the feature that works out
    the days of one's own certificate (helper remind8, 2026-11-30)."""
    shown = (await say(at_29_11, typed))[0]
    assert "Điều 7.6" in shown.text or "Art. 7.6" in shown.text
    labels = [b.label for b in shown.all_buttons]
    assert {"📜 Giấy chứng nhận của tôi", "📜 My certificates"} & set(labels), labels


async def test_a_certificate_reminder_waits_for_the_morning(settings: Settings) -> None:
    """The window of a certificate of 15/3/2024 opens on 16/9/2026 (Điều 7.6.a); its reminder
    was queued at 00:00 that night (helper remind8, 2026-11-30): it waits for 08:00, as the
    deadlines' day-of reminder does."""
    db = Database(settings.DATABASE_URL)
    await db.upgrade()
    await producer_with_certificate(db, date(2024, 3, 15), at(date(2024, 3, 20)))
    midnight = datetime(2026, 9, 15, 17, 1, tzinfo=UTC)  # 00:01 on 16/9/2026 in Vietnam
    assert await enqueue_due_reminders(db, midnight) == 0
    assert await enqueue_due_reminders(db, datetime(2026, 9, 16, 0, 59, tzinfo=UTC)) == 0
    assert await enqueue_due_reminders(db, at(date(2026, 9, 16))) == 1  # 08:00
    await db.dispose()
