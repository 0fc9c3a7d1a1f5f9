"""Officers' flows as an officer meets them (issue 12 "Officers") and who their messages reach
(issue 10, item 1): approval checked wherever an audience is resolved, a recorded removal wins
over OFFICER_TELEGRAM_IDS, the audience panel, dates, confirmations, the sender's header."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Connection, select
from sqlalchemy import update as update_rows

from bot.dispatch import Dispatcher
from bot.i18n import translator
from bot.messages import Reply
from bot.scheduler import enqueue_due_reminders
from bot.settings import Settings
from db import repo
from db.models import Deadline, Outbox, User
from handlers.broadcasts import counts_text
from handlers.officer_rights import decide_officer
from knowledge.reminders import VIETNAM
from knowledge.text import clip
from knowledge.typed_commands import officer_wish
from tests.conftest import OcopBot, console_msg, post_update
from tests.factories import tg_callback, tg_message
from tests.stray_cases import OFFICER_WISH_CASES

THANH_HOA, NGHE_AN = 16, 17


async def say(dispatcher: Dispatcher, user: str, *steps: str) -> list[Reply]:
    """Send texts (or `act:`-prefixed button actions) as console user `user`; the last replies."""
    replies: list[Reply] = []
    for step in steps:
        msg = (
            console_msg(action=step.removeprefix("act:"), user=user)
            if step.startswith("act:")
            else console_msg(step, user=user)
        )
        replies = (await dispatcher.process(msg)).replies
    return replies


async def join(
    dispatcher: Dispatcher, user: str, role: str, province: int | None = 1, lang: str = "vi"
) -> None:
    """Onboard `user` in `role` (`province` None: the province skipped)."""
    await say(dispatcher, user, "/start", f"act:ob:role:{role}", f"act:ob:lang:{lang}")
    if role != "tourist":
        await say(dispatcher, user, f"act:ob:prov:{province}" if province else "act:ob:skip")


async def user_id(dispatcher: Dispatcher, user: str, platform: str = "console") -> int:
    found = await dispatcher.db.run(partial(repo.find_user, platform=platform, external_id=user))
    assert found is not None
    return found


async def make_officer(dispatcher: Dispatcher, user: str, province: int | None = 1) -> None:
    """An approved officer, granted the way `ocop-bot officer add` does it."""
    await join(dispatcher, user, "officer", province)
    uid = await user_id(dispatcher, user)
    now = datetime.now(UTC)
    await dispatcher.db.run(partial(decide_officer, user_id=uid, approve=True, by="cli", now=now))


def outbox_rows(connection: Connection) -> list[tuple[Any, ...]]:
    """(user id, kind, first text, buttons of the first reply) of every queued message."""
    rows = connection.execute(
        select(Outbox.user_id, Outbox.kind, Outbox.payload).order_by(Outbox.id)
    ).all()
    return [(r[0], r[1], r[2][0]["text"], r[2][0].get("buttons", [])) for r in rows]


def actions(replies: list[Reply]) -> list[str]:
    return [b.action for r in replies for b in r.all_buttons]


async def test_an_officer_request_alone_reaches_no_officers_only_audience(
    dispatcher: Dispatcher,
) -> None:
    await make_officer(dispatcher, "boss")
    await join(dispatcher, "asker", "officer")  # asked for rights, nobody approved them
    await join(dispatcher, "farmer", "producer")
    asker = await user_id(dispatcher, "asker")
    officers = await dispatcher.db.run(partial(repo.audience, roles=["officer"], provinces=[]))
    assert asker not in [o.user_id for o in officers] and len(officers) == 1
    panel = await say(
        dispatcher, "boss", "/thongbao", "Họp cán bộ", "act:bc:role:officer", "act:bc:where:0"
    )
    assert "Cán bộ · toàn quốc</b> — 1 người nhận" in panel[0].text
    preview = await say(dispatcher, "boss", "act:bc:where:1", "act:bc:preview")
    assert preview[0].text.startswith("<b>Xem trước</b> — 1 người nhận (Cán bộ · Hà Nội)")
    await say(dispatcher, "boss", "act:bc:go")
    sent = [r for r in await dispatcher.db.run(outbox_rows) if r[1] == "broadcast"]
    assert [r[0] for r in sent] == [await user_id(dispatcher, "boss")]
    # Reminders: producers only, never a pending officer.
    deadline = await dispatcher.db.run(
        partial(
            repo.add_deadline,
            title="Nộp hồ sơ",
            due_at=datetime.now(UTC) + timedelta(days=3),
            provinces=[],
            link="",
            created_by=None,
            now=datetime.now(UTC),
        )
    )
    [record] = await dispatcher.db.run(partial(repo.open_deadlines, after=datetime.now(UTC)))
    assert record.id == deadline
    reached = await dispatcher.db.run(partial(repo.reminder_recipients, deadline=record))
    assert [r.user_id for r in reached] == [await user_id(dispatcher, "farmer")]


async def test_broadcast_report_goes_only_to_an_officer_still_approved(
    dispatcher: Dispatcher,
) -> None:
    await make_officer(dispatcher, "boss")
    await say(dispatcher, "boss", "/thongbao", "Tin", "act:bc:where:1", "act:bc:preview")
    await say(dispatcher, "boss", "act:bc:go")
    boss = await user_id(dispatcher, "boss")
    broadcast = await dispatcher.db.run(
        lambda c: c.execute(select(Outbox.broadcast_id).where(Outbox.kind == "broadcast")).scalar()
    )
    await dispatcher.db.run(partial(repo.cancel_broadcast, broadcast_id=broadcast))
    await dispatcher.db.run(
        partial(decide_officer, user_id=boss, approve=False, by="cli", now=datetime.now(UTC))
    )
    await enqueue_due_reminders(dispatcher.db, datetime.now(UTC))
    texts = [r[2] for r in await dispatcher.db.run(outbox_rows) if r[0] == boss]
    assert not any("Thông báo hoàn tất" in t for t in texts)
    assert texts[-1].startswith("Quyền cán bộ OCOP của anh/chị đã được thu hồi")


async def test_officer_remove_sticks_for_a_listed_id_and_is_announced(
    officer_settings: Settings,
    officer_app: FastAPI,
    officer_http: httpx.AsyncClient,
    ocop_bot: OcopBot,
) -> None:
    env = {"DATABASE_URL": officer_settings.DATABASE_URL}

    for update in (
        tg_message("/start", user_id=4242),
        tg_callback("ob:role:officer", user_id=4242),
        tg_callback("ob:lang:vi", user_id=4242),
        tg_callback("ob:prov:1", user_id=4242),
    ):
        await post_update(officer_http, update)
    asked = (await post_update(officer_http, tg_message("/thongbao", user_id=4242))).json()
    assert asked["text"].startswith("Nội dung thông báo?")  # listed: an officer at once
    removed = ocop_bot("officer", "remove", "4242", env=env)
    assert removed.returncode == 0, removed.stderr
    for _ in range(2):  # the list no longer grants it, message after message
        refused = (await post_update(officer_http, tg_message("/thongbao", user_id=4242))).json()
        assert refused["text"].startswith("Xin lỗi, chức năng này chỉ dành cho cán bộ OCOP")
    # Choosing the officer role again is a new request, not the rights back.
    await post_update(officer_http, tg_callback("ob:edit:role", user_id=4242))
    asked = (await post_update(officer_http, tg_callback("ob:role:officer", user_id=4242))).json()
    assert asked["text"].startswith("Em đã ghi nhận yêu cầu quyền cán bộ")
    refused = (await post_update(officer_http, tg_message("/thongbao", user_id=4242))).json()
    assert refused["text"].startswith("Xin lỗi, chức năng này chỉ dành cho cán bộ OCOP")
    listed = ocop_bot("officer", "list", env=env).stdout
    assert "telegram\t4242\trequested" in listed
    db = officer_app.state.db
    uid = await db.run(partial(repo.find_user, platform="telegram", external_id="4242"))
    told = [r[2] for r in await db.run(outbox_rows) if r[0] == uid]
    assert told[-1].startswith("Quyền cán bộ OCOP của anh/chị đã được thu hồi")
    added = ocop_bot("officer", "add", "4242", env=env)
    assert added.returncode == 0, added.stderr
    again = (await post_update(officer_http, tg_message("/thongbao", user_id=4242))).json()
    assert again["text"].startswith("Nội dung thông báo?")
    told = [r[2] for r in await db.run(outbox_rows) if r[0] == uid]
    assert told[-1].startswith("Anh/chị đã được duyệt quyền cán bộ OCOP")


async def test_typing_a_province_at_who_gets_it_narrows_the_audience(
    dispatcher: Dispatcher,
) -> None:
    await make_officer(dispatcher, "boss", province=THANH_HOA)
    await join(dispatcher, "th1", "producer", THANH_HOA)
    await join(dispatcher, "th2", "tourist")
    await join(dispatcher, "na1", "producer", NGHE_AN)
    panel = await say(dispatcher, "boss", "/thongbao", "Hội chợ", "thanh hoa")
    assert "Tất cả · Thanh Hóa</b> — 2 người nhận" in panel[0].text  # the officer and th1
    panel = await say(dispatcher, "boss", "Thanh Hoa, nghe an")
    assert "Tất cả · Thanh Hóa, Nghệ An</b> — 3 người nhận" in panel[0].text
    panel = await say(dispatcher, "boss", "tỉnh Thanh Hóa và Nghệ An")  # no comma: both named
    assert "Tất cả · Thanh Hóa, Nghệ An</b> — 3 người nhận" in panel[0].text
    bad = await say(dispatcher, "boss", "Thanh Hoas")  # one typo, but Khánh Hòa is close too
    assert bad[0].text.startswith("Em chưa nhận ra tỉnh")
    bad = await say(dispatcher, "boss", "Atlantis")
    assert bad[0].text.startswith("Em chưa nhận ra tỉnh trong “Atlantis”")
    assert "bc:preview" in actions(bad)  # the panel again, not a dead end
    panel = await say(dispatcher, "boss", "toan quoc")
    assert "Tất cả · toàn quốc</b> — 4 người nhận" in panel[0].text


async def test_roles_provinces_and_groups_combine_and_the_panel_counts_them(
    dispatcher: Dispatcher,
) -> None:
    await make_officer(dispatcher, "boss", province=THANH_HOA)
    for name, role, province in (
        ("honey", "producer", THANH_HOA),
        ("craft", "producer", THANH_HOA),
        ("far", "producer", NGHE_AN),
        ("visitor", "tourist", THANH_HOA),
    ):
        await join(dispatcher, name, role, province)
    # one assessed under the lapsed 148 set, one under the set in force: both count
    for name, code in (("honey", "148-mat-ong-mat-khac"), ("craft", "26-thu-cong-my-nghe")):
        await dispatcher.db.run(
            partial(
                repo.start_assessment,
                assessment_id=name,
                user_id=await user_id(dispatcher, name),
                sheet_key="k",
                set_code=code,
                product_name=name,
                now=datetime.now(UTC),
            )
        )
    await say(dispatcher, "boss", "/thongbao", "Hội chợ")
    panel = await say(dispatcher, "boss", "act:bc:role:producer", f"act:bc:where:{THANH_HOA}")
    assert "Nhà sản xuất · Thanh Hóa</b> — 2 người nhận" in panel[0].text
    panel = await say(dispatcher, "boss", "act:bc:grp", "act:bc:grp:1")  # raw, semi-processed
    assert "Nhà sản xuất · Thanh Hóa · Thực phẩm thô, sơ chế</b> — 1 người nhận" in panel[0].text
    panel = await say(dispatcher, "boss", "act:bc:grp", "act:bc:grp:all", "act:bc:role:tourist")
    assert "Nhà sản xuất, Du khách · Thanh Hóa</b> — 2 người nhận" in panel[0].text
    assert "✓ Nhà sản xuất" in [b.label for b in panel[0].all_buttons]
    panel = await say(dispatcher, "boss", "act:bc:where:0")  # visitors give no province
    assert "Nhà sản xuất, Du khách · toàn quốc</b> — 4 người nhận" in panel[0].text
    panel = await say(dispatcher, "boss", "act:bc:role:producer")  # a second tap removes it
    assert "Du khách · toàn quốc</b> — 1 người nhận" in panel[0].text
    await say(dispatcher, "boss", "act:bc:preview", "act:bc:go", "act:bc:go:all")
    sent = [r[0] for r in await dispatcher.db.run(outbox_rows) if r[1] == "broadcast"]
    assert sent == [await user_id(dispatcher, "visitor")]


async def test_an_audience_of_nobody_offers_another_choice_not_send(
    dispatcher: Dispatcher,
) -> None:
    await make_officer(dispatcher, "boss", province=THANH_HOA)
    preview = await say(
        dispatcher, "boss", "/thongbao", "Tin", "act:bc:role:producer", "act:bc:preview"
    )
    assert preview[0].text.endswith(
        "Chưa có ai nhận với lựa chọn này. Anh/chị bấm “Đổi người nhận” để chọn lại."
    )
    assert actions(preview) == ["bc:aud", "bc:discard"]
    panel = await say(dispatcher, "boss", "act:bc:go:all")  # an older button: nothing sent
    assert panel[0].text.startswith("Gửi cho ai?")
    assert [r for r in await dispatcher.db.run(outbox_rows) if r[1] == "broadcast"] == []


async def test_everyone_means_every_active_user_who_agreed_onboarded_or_not(
    dispatcher: Dispatcher,
) -> None:
    await make_officer(dispatcher, "boss")
    await say(dispatcher, "newcomer", "/start")  # never finished onboarding
    await join(dispatcher, "visitor", "tourist")
    await join(dispatcher, "quiet", "producer")
    await say(dispatcher, "quiet", "/stop")
    panel = await say(dispatcher, "boss", "/thongbao", "Chào mọi người", "act:bc:where:0")
    assert "Tất cả · toàn quốc</b> — 3 người nhận" in panel[0].text
    await say(dispatcher, "boss", "act:bc:preview", "act:bc:go", "act:bc:go:all")
    sent = {r[0] for r in await dispatcher.db.run(outbox_rows) if r[1] == "broadcast"}
    assert sent == {
        await user_id(dispatcher, "boss"),
        await user_id(dispatcher, "newcomer"),
        await user_id(dispatcher, "visitor"),
    }


async def test_broadcast_reaches_each_user_with_a_header_in_their_language(
    dispatcher: Dispatcher,
) -> None:
    await make_officer(dispatcher, "boss", province=THANH_HOA)
    await join(dispatcher, "vi_user", "producer", THANH_HOA)
    await join(dispatcher, "en_user", "producer", THANH_HOA, lang="en")
    await say(dispatcher, "boss", "/thongbao", "Hội chợ <OCOP>", f"act:bc:where:{THANH_HOA}")
    preview = await say(dispatcher, "boss", "act:bc:preview")
    assert "📣 <b>Thông báo từ cán bộ OCOP Thanh Hóa</b>\nHội chợ &lt;OCOP&gt;" in preview[0].text
    await say(dispatcher, "boss", "act:bc:go")
    texts = {r[0]: r[2] for r in await dispatcher.db.run(outbox_rows) if r[1] == "broadcast"}
    assert texts[await user_id(dispatcher, "vi_user")] == (
        "📣 <b>Thông báo từ cán bộ OCOP Thanh Hóa</b>\nHội chợ &lt;OCOP&gt;"
    )
    assert texts[await user_id(dispatcher, "en_user")] == (
        "📣 <b>Announcement from the OCOP officers of Thanh Hóa</b>\nHội chợ &lt;OCOP&gt;"
    )


async def test_a_bad_link_keeps_the_skip_button(dispatcher: Dispatcher) -> None:
    await make_officer(dispatcher, "boss")
    await say(dispatcher, "boss", "/hanchot", "Nộp hồ sơ", "20/12/2099", "act:dl:scope:1")
    asked = await say(dispatcher, "boss", "act:dl:grp:all")
    assert "dl:nolink" in actions(asked)
    bad = await say(dispatcher, "boss", "www.example")
    assert bad[0].text.startswith("Đường dẫn cần bắt đầu bằng http:// hoặc https://")
    assert "dl:nolink" in actions(bad) and "m:menu" in actions(bad)
    review = await say(dispatcher, "boss", "act:dl:nolink")
    assert review[0].text.startswith("<b>Xem lại</b>")


async def test_a_web_address_typed_without_https_is_taken_with_it(dispatcher: Dispatcher) -> None:
    """ "www.quangtri.gov.vn" or "ocop.quangtri.gov.vn/ho-so" is a web address: taken with
    https:// (shown at the review), not refused; a word with a dot is still refused."""
    await make_officer(dispatcher, "boss")
    await say(dispatcher, "boss", "/hanchot", "Nộp hồ sơ", "20/12/2099", "act:dl:scope:1")
    await say(dispatcher, "boss", "act:dl:grp:all")
    review = await say(dispatcher, "boss", "www.quangtri.gov.vn/ocop")
    assert "Đường dẫn: https://www.quangtri.gov.vn/ocop" in review[0].text


async def test_impossible_and_past_dates_are_told_apart(dispatcher: Dispatcher) -> None:
    await make_officer(dispatcher, "boss")
    await say(dispatcher, "boss", "/hanchot", "Nộp hồ sơ")
    impossible = await say(dispatcher, "boss", "31/2")
    assert impossible[0].text.startswith("Không có ngày “31/2” trên lịch: tháng 2 chỉ có 28 ngày")
    no_month = await say(dispatcher, "boss", "32/13")  # not about February
    assert no_month[0].text.startswith("Không có ngày “32/13” trên lịch: một năm chỉ có 12 tháng")
    late = await say(dispatcher, "boss", "20/12/2099 25h")
    assert late[0].text.startswith("Không có giờ “20/12/2099 25h”: giờ từ 0 đến 23")
    past = await say(dispatcher, "boss", "01/01/2020 09:00")
    assert past[0].text.startswith("Thời điểm Thứ Tư 01/01/2020 09:00 đã qua (bây giờ là ")
    unreadable = await say(dispatcher, "boss", "sớm nhất có thể")
    assert unreadable[0].text.startswith("Em chưa đọc được “sớm nhất có thể” là ngày giờ nào.")
    for reply in (impossible, past, unreadable):
        assert "Ví dụ: 15/12, ngày 15 tháng 12" in reply[0].text and "m:menu" in actions(reply)
    scope = await say(dispatcher, "boss", "20/12/2099 17:00")
    assert scope[0].text.startswith("Áp dụng cho đâu?")


async def test_dates_in_words_are_read_and_shown_with_their_weekday(
    dispatcher: Dispatcher,
) -> None:
    """Typed "thứ 6 tuần sau" is next week's Friday, shown as such before publishing; what could be
    read two ways ("cuối tuần", "12/15", a weekday that is not the date's) is refused."""
    await make_officer(dispatcher, "boss")
    await say(dispatcher, "boss", "/hanchot", "Nộp hồ sơ")
    vague = await say(dispatcher, "boss", "cuoi tuan")
    assert vague[0].text.startswith("“cuoi tuan” chưa chỉ rõ một ngày.")
    month_first = await say(dispatcher, "boss", "12/15")
    assert month_first[0].text.startswith("Em đọc ngày theo thứ tự ngày/tháng")
    today = datetime.now(VIETNAM).date()
    friday = today - timedelta(days=today.weekday()) + timedelta(days=11)
    other = friday - timedelta(days=1)
    mismatch = await say(dispatcher, "boss", f"thu 6 ngay {other.day}/{other.month}")
    assert "thứ và ngày không khớp nhau" in mismatch[0].text
    week = await say(dispatcher, "boss", "next Friday")  # the week's reason only, not "trước"
    assert week[0].text.startswith("“next Friday” có thể là tuần này hoặc tuần sau")
    before = await say(dispatcher, "boss", f"truoc ngay {friday.day}/{friday.month}")
    said = before[0].text.split("\n")[0]
    assert "còn kịp hạn không" in said and "tuần sau" not in said
    await say(dispatcher, "boss", "thu 6 tuan sau 9h", "act:dl:scope:1", "act:dl:grp:all")
    review = await say(dispatcher, "boss", "act:dl:nolink")
    assert f"Hạn: Thứ Sáu {friday:%d/%m/%Y} 09:00" in review[0].text


async def test_an_officer_withdraws_or_moves_only_their_own_provinces_deadlines(
    dispatcher: Dispatcher,
) -> None:
    """/huyhan lists the deadlines of the officer's province (and those they published); one
    of another province, or the whole country's from another office, cannot be withdrawn or
    moved, even with a forged button; the reply names the deadline withdrawn."""
    await make_officer(dispatcher, "boss", THANH_HOA)
    await make_officer(dispatcher, "neighbour", NGHE_AN)
    for officer, title, scope in (
        ("boss", "Hồ sơ Thanh Hóa", f"act:dl:scope:{THANH_HOA}"),
        ("neighbour", "Hồ sơ Nghệ An", f"act:dl:scope:{NGHE_AN}"),
        ("neighbour", "Hồ sơ toàn quốc của Nghệ An", "act:dl:scope:0"),
    ):
        await say(dispatcher, officer, "/hanchot", title, "20/12/2099", scope)
        await say(dispatcher, officer, "act:dl:grp:all", "act:dl:nolink", "act:dl:go")
    await say(dispatcher, "neighbour", "act:dl:go:all")  # a provincial officer confirms
    deadlines = await dispatcher.db.run(partial(repo.open_deadlines, after=datetime.now(UTC)))
    ids = {d.title: d.id for d in deadlines}
    assert len(ids) == 3
    listed = await say(dispatcher, "boss", "/huyhan")
    labels = " ".join(b.label for r in listed for b in r.all_buttons)
    assert "Hồ sơ Thanh Hóa" in labels and "Nghệ An" not in labels
    for forged in (
        f"act:dl:cancel:{ids['Hồ sơ Nghệ An']}",
        f"act:dl:cancel:ok:{ids['Hồ sơ Nghệ An']}",
        f"act:dl:move:{ids['Hồ sơ Nghệ An']}",
    ):
        refused = await say(dispatcher, "boss", forged)
        assert "không thuộc tỉnh/thành của anh/chị" in refused[0].text
    national = await say(dispatcher, "boss", f"act:dl:cancel:{ids['Hồ sơ toàn quốc của Nghệ An']}")
    assert "không thuộc tỉnh/thành của anh/chị" in national[0].text
    still = await dispatcher.db.run(partial(repo.open_deadlines, after=datetime.now(UTC)))
    assert len(still) == 3
    own = await say(dispatcher, "neighbour", "/huyhan")
    assert len([b for r in own for b in r.all_buttons if b.action.startswith("dl:cancel")]) == 2
    own_id = ids["Hồ sơ Thanh Hóa"]
    done = await say(dispatcher, "boss", f"act:dl:cancel:{own_id}", f"act:dl:cancel:ok:{own_id}")
    assert done[0].text.startswith("Đã hủy “Hồ sơ Thanh Hóa”")
    again = await say(dispatcher, "boss", f"act:dl:cancel:ok:{own_id}")
    assert again[0].text.startswith("Mốc này đã được hủy hoặc đã qua")


async def test_producers_reminded_of_a_withdrawn_deadline_are_told(
    dispatcher: Dispatcher,
) -> None:
    """A producer who already got a reminder hears that the deadline was withdrawn; one never
    reminded of it (muted) hears nothing."""
    await make_officer(dispatcher, "boss")
    await join(dispatcher, "farmer", "producer")
    await join(dispatcher, "quiet", "producer")
    await say(dispatcher, "quiet", "/lich")
    await say(dispatcher, "quiet", "act:rm:off:0")
    due = datetime.now(VIETNAM) + timedelta(days=20)
    await say(dispatcher, "boss", "/hanchot", "Nộp hồ sơ", f"{due:%d/%m/%Y}", "act:dl:scope:1")
    await say(dispatcher, "boss", "act:dl:grp:all", "act:dl:nolink", "act:dl:go")
    assert await enqueue_due_reminders(dispatcher.db, datetime.now(UTC)) == 1

    def delivered(connection: Connection) -> None:
        connection.execute(
            update_rows(Outbox).where(Outbox.kind == "reminder").values(status="sent")
        )

    await dispatcher.db.run(delivered)
    [deadline] = await dispatcher.db.run(partial(repo.open_deadlines, after=datetime.now(UTC)))
    await say(
        dispatcher, "boss", f"act:dl:cancel:{deadline.id}", f"act:dl:cancel:ok:{deadline.id}"
    )
    notices = [r for r in await dispatcher.db.run(outbox_rows) if r[1] == "notice"]
    farmer, quiet = await user_id(dispatcher, "farmer"), await user_id(dispatcher, "quiet")
    told = [r for r in notices if r[0] in (farmer, quiet)]
    assert [r[0] for r in told] == [farmer]
    assert told[0][2].startswith(
        f"📅 Mốc “Nộp hồ sơ” (hạn {due:%d/%m/%Y} 17:00) đã được cán bộ OCOP hủy"
    )


async def test_producers_reminded_of_a_moved_deadline_are_told_the_new_date(
    dispatcher: Dispatcher,
) -> None:
    """Moved beyond the 30-day mark, a deadline sends no reminder for weeks: a producer already
    reminded of the old date hears the change at once."""
    await make_officer(dispatcher, "boss")
    await join(dispatcher, "farmer", "producer")
    due = datetime.now(VIETNAM) + timedelta(days=20)
    later = due + timedelta(days=40)
    await say(dispatcher, "boss", "/hanchot", "Nộp hồ sơ", f"{due:%d/%m/%Y}", "act:dl:scope:1")
    await say(dispatcher, "boss", "act:dl:grp:all", "act:dl:nolink", "act:dl:go")
    assert await enqueue_due_reminders(dispatcher.db, datetime.now(UTC)) == 1

    def delivered(connection: Connection) -> None:
        connection.execute(
            update_rows(Outbox).where(Outbox.kind == "reminder").values(status="sent")
        )

    await dispatcher.db.run(delivered)
    [deadline] = await dispatcher.db.run(partial(repo.open_deadlines, after=datetime.now(UTC)))
    moved = await say(
        dispatcher, "boss", f"act:dl:move:{deadline.id}", f"doi sang {later:%d/%m/%Y}"
    )
    assert actions(moved) == ["dl:list", "m:menu"]
    farmer = await user_id(dispatcher, "farmer")
    told = [r for r in await dispatcher.db.run(outbox_rows) if r[1] == "notice" and r[0] == farmer]
    assert len(told) == 1
    assert told[0][2].startswith(
        f"📅 Mốc “Nộp hồ sơ” đã đổi hạn: {due:%d/%m/%Y} 17:00 → {later:%d/%m/%Y} 17:00"
    )


async def test_discard_says_nothing_was_published(dispatcher: Dispatcher) -> None:
    await make_officer(dispatcher, "boss")
    await say(dispatcher, "boss", "/hanchot", "Nộp hồ sơ", "20/12/2099", "act:dl:scope:1")
    review = await say(dispatcher, "boss", "act:dl:grp:all", "act:dl:nolink")
    assert "dl:discard" in actions(review)
    dropped = await say(dispatcher, "boss", "act:dl:discard")
    assert dropped[0].text == "Đã bỏ: chưa có gì được đăng hay gửi đi."
    await say(dispatcher, "boss", "/thongbao", "Tin", "act:bc:preview")
    dropped = await say(dispatcher, "boss", "act:bc:discard")
    assert dropped[0].text == "Đã bỏ: chưa có gì được đăng hay gửi đi."

    def counts(connection: Connection) -> tuple[int, int]:
        deadlines = connection.execute(select(Deadline.id)).all()
        broadcasts = connection.execute(select(Outbox.id).where(Outbox.kind == "broadcast")).all()
        return len(deadlines), len(broadcasts)

    assert await dispatcher.db.run(counts) == (0, 0)


async def test_provincial_officer_publishing_nationwide_is_asked_to_confirm(
    dispatcher: Dispatcher,
) -> None:
    await make_officer(dispatcher, "boss", province=THANH_HOA)
    await say(dispatcher, "boss", "/hanchot", "Nộp hồ sơ", "20/12/2099", "act:dl:scope:0")
    await say(dispatcher, "boss", "act:dl:grp:all", "act:dl:nolink")
    asked = await say(dispatcher, "boss", "act:dl:go")
    assert asked[0].text.startswith("⚠️ Anh/chị là cán bộ Thanh Hóa, nhưng mốc này")
    assert actions(asked) == ["dl:go:all", "dl:home", "dl:discard"]
    review = await say(dispatcher, "boss", "act:dl:home")
    assert "Phạm vi: Thanh Hóa" in review[0].text
    await say(dispatcher, "boss", "act:dl:go")  # now provincial: published at once
    [deadline] = await dispatcher.db.run(partial(repo.open_deadlines, after=datetime.now(UTC)))
    assert deadline.provinces == [THANH_HOA]

    await join(dispatcher, "far", "producer", NGHE_AN)
    await say(dispatcher, "boss", "/thongbao", "Tin", "act:bc:where:0", "act:bc:preview")
    asked = await say(dispatcher, "boss", "act:bc:go")
    assert "sẽ gửi cho <b>2 người trên cả nước</b>" in asked[0].text
    await say(dispatcher, "boss", "act:bc:go:all")
    sent = [r[0] for r in await dispatcher.db.run(outbox_rows) if r[1] == "broadcast"]
    assert len(sent) == 2


async def test_button_labels_are_cut_at_a_word_boundary(dispatcher: Dispatcher) -> None:
    assert clip("Hạn nộp hồ sơ đánh giá OCOP đợt 2 năm 2026", 30) == "Hạn nộp hồ sơ đánh giá OCOP…"
    assert clip("Nộp hồ sơ", 30) == "Nộp hồ sơ"
    await make_officer(dispatcher, "boss")
    title = "Hạn nộp hồ sơ đánh giá phân hạng sản phẩm OCOP đợt 2"
    await say(dispatcher, "boss", "/hanchot", title, "20/12/2099", "act:dl:scope:1")
    await say(dispatcher, "boss", "act:dl:grp:all", "act:dl:nolink", "act:dl:go")
    [label, _] = [b.label for b in (await say(dispatcher, "boss", "/huyhan"))[0].buttons[0]]
    assert label == "✖ 20/12/2099 Hạn nộp hồ sơ đánh giá phân…"
    words = set(title.split())
    assert all(w in words for w in label.removesuffix("…").split()[2:])


async def test_dates_are_shown_day_month_year_in_chat(dispatcher: Dispatcher) -> None:
    await make_officer(dispatcher, "boss")
    await join(dispatcher, "farmer", "producer")
    await say(dispatcher, "boss", "/hanchot", "Nộp hồ sơ", "20/12/2099 9h", "act:dl:scope:1")
    review = await say(dispatcher, "boss", "act:dl:grp:all", "act:dl:nolink")
    assert "Hạn: Chủ Nhật 20/12/2099 09:00" in review[0].text
    await say(dispatcher, "boss", "act:dl:go")
    listed = await say(dispatcher, "farmer", "/lich")
    assert "• 20/12/2099 09:00 — Nộp hồ sơ (Hà Nội)" in listed[0].text
    [deadline] = await dispatcher.db.run(partial(repo.open_deadlines, after=datetime.now(UTC)))
    await say(dispatcher, "boss", "/huyhan", f"act:dl:move:{deadline.id}")
    moved = await say(dispatcher, "boss", "21/12/2099 10:30")
    assert moved[0].text.startswith("Đã đổi hạn sang Thứ Hai 21/12/2099 10:30.")
    near = datetime(2099, 12, 21, 3, 30, tzinfo=UTC) - timedelta(days=5)
    await enqueue_due_reminders(dispatcher.db, near)
    reminders = [r[2] for r in await dispatcher.db.run(outbox_rows) if r[1] == "reminder"]
    assert reminders and all("21/12/2099 10:30" in t for t in reminders)
    assert not any("2099-12" in t for t in [*reminders, review[0].text, listed[0].text])


async def test_an_approval_button_acts_only_on_a_request_still_waiting(
    dispatcher: Dispatcher,
) -> None:
    await make_officer(dispatcher, "boss")
    await join(dispatcher, "asker", "officer")  # asks for rights
    await join(dispatcher, "grower", "producer")  # never asked
    asker, grower = await user_id(dispatcher, "asker"), await user_id(dispatcher, "grower")
    approved = await say(dispatcher, "boss", f"act:of:ok:{asker}")
    assert not approved[0].text.startswith("Yêu cầu này không còn")
    again = await say(dispatcher, "boss", f"act:of:no:{asker}")  # an older button, decided
    assert again[0].text.startswith("Yêu cầu này không còn chờ duyệt")
    stray = await say(dispatcher, "boss", f"act:of:ok:{grower}")  # an id that asked nothing
    assert stray[0].text.startswith("Yêu cầu này không còn chờ duyệt")

    def rights(connection: Connection) -> dict[int, tuple[str, bool]]:
        rows = connection.execute(select(User.id, User.role, User.officer_approved)).all()
        return {r[0]: (r[1], r[2]) for r in rows}

    found = await dispatcher.db.run(rights)
    assert found[asker] == ("officer", True) and found[grower] == ("producer", False)


async def test_a_draft_left_in_the_flow_before_the_split_gets_polite_answers(
    dispatcher: Dispatcher,
) -> None:
    """Deadlines and broadcasts were one "officer" flow with `of:` buttons: a draft stored then,
    and its buttons, are answered as stale (then the menu), never with an error."""
    await make_officer(dispatcher, "boss")
    uid = await user_id(dispatcher, "boss")

    def leave_old_draft(connection: Connection) -> None:
        loaded = repo.load_user(connection, platform="console", external_id="boss")
        assert loaded is not None
        read = None if loaded[1] is None else loaded[1].version
        repo.save_conversation(
            connection,
            user_id=uid,
            read_version=read,
            flow="officer",
            step="d_confirm",
            data={"title": "Nộp hồ sơ", "due": "2099-12-20T00:00:00+00:00"},
            now=datetime.now(UTC),
        )

    await dispatcher.db.run(leave_old_draft)
    pressed = await say(dispatcher, "boss", "act:of:go")
    assert pressed[0].text.startswith("Nút này đã cũ")
    assert "dl:new" in [b.action for r in pressed for b in r.all_buttons]  # the menu
    typed = await say(dispatcher, "boss", "Nộp hồ sơ")
    assert typed and not typed[0].text.startswith("Xin lỗi, em gặp trục trặc")
    assert await dispatcher.db.run(partial(repo.open_deadlines, after=datetime.now(UTC))) == []


async def test_an_announcement_goes_to_the_officers_own_province_unless_nationwide_is_confirmed(
    dispatcher: Dispatcher,
) -> None:
    """It went to the whole country unless the officer chose otherwise."""
    await make_officer(dispatcher, "boss", province=THANH_HOA)
    await join(dispatcher, "near", "producer", THANH_HOA)
    await join(dispatcher, "far", "producer", NGHE_AN)
    panel = await say(dispatcher, "boss", "/thongbao", "Hội chợ OCOP")
    assert "Tất cả · Thanh Hóa</b> — 2 người nhận" in panel[0].text  # the officer and "near"
    assert "✓ Thanh Hóa" in [b.label for b in panel[0].all_buttons]
    await say(dispatcher, "boss", "act:bc:preview", "act:bc:go")  # sent at once: their province
    sent = {r[0] for r in await dispatcher.db.run(outbox_rows) if r[1] == "broadcast"}
    assert await user_id(dispatcher, "far") not in sent and len(sent) == 2
    await say(dispatcher, "boss", "/thongbao", "Tin toàn quốc", "act:bc:where:0", "act:bc:preview")
    asked = await say(dispatcher, "boss", "act:bc:go")  # nationwide: asked first
    assert asked[0].text.startswith("⚠️ Anh/chị là cán bộ Thanh Hóa")
    assert actions(asked) == ["bc:go:all", "bc:home", "bc:discard"]


async def test_an_officer_with_no_province_confirms_a_nationwide_announcement(
    dispatcher: Dispatcher,
) -> None:
    await make_officer(dispatcher, "boss", province=None)
    panel = await say(dispatcher, "boss", "/thongbao", "Tin")
    assert "toàn quốc</b>" in panel[0].text
    asked = await say(dispatcher, "boss", "act:bc:preview", "act:bc:go")
    assert asked[0].text.startswith("⚠️ Thông báo này sẽ gửi cho <b>1 người trên cả nước</b>")
    assert actions(asked) == ["bc:go:all", "bc:discard"]


@pytest.mark.parametrize(("category", "typed", "expected"), OFFICER_WISH_CASES)
def test_an_officer_s_wish_in_words_is_read_or_left_alone(
    category: str, typed: str, expected: str | None
) -> None:
    """ "gửi thông báo tới các HTX" asks for /thongbao, "tạo mốc hạn cho xã" for /hanchot; a
    question about deadlines or a wish to be told is no such wish."""
    wish = officer_wish(typed)
    assert (wish.command if wish else None) == expected, category


async def test_an_officer_asking_in_words_gets_the_feature_with_the_audience_typed(
    dispatcher: Dispatcher,
) -> None:
    """Typed in words, an announcement opens /thongbao with the producers of Thái Nguyên already
    chosen (it was a decline, or a list of places); a deadline opens /hanchot, its date typed
    kept; a producer or a
    visitor typing the same is told it is an officer's feature, never shown places."""
    await make_officer(dispatcher, "boss")
    asked = await say(dispatcher, "boss", "e muon gui thong bao cho cac chu the o thai nguyen")
    assert "Nhà sản xuất · Thái Nguyên" in asked[0].text
    assert "Nội dung thông báo?" in asked[0].text
    panel = await say(dispatcher, "boss", "Hạn nộp hồ sơ đợt 2")
    assert "Nhà sản xuất · Thái Nguyên" in panel[0].text
    asked = await say(dispatcher, "boss", "/menu", "gui thong bao toi cac htx")
    assert "Nhà sản xuất" in asked[0].text
    titled = await say(dispatcher, "boss", "/menu", "dang han chot nop ho so 15/12")
    asked = (await say(dispatcher, "boss", "/hanchot"))[0].text
    assert titled[0].text.startswith("Hạn: ") and "15/12" in titled[0].text
    assert titled[0].text.endswith("\n" + asked)
    await say(dispatcher, "boss", "/menu", "dang han chot nop ho so 15/12")
    scoped = await say(dispatcher, "boss", "Hạn nộp hồ sơ đợt 2")  # the date is not asked again
    assert scoped[0].text == (await say(dispatcher, "boss", "/hanchot", "T", "15/12"))[0].text
    for role in ("producer", "tourist"):
        await join(dispatcher, role, role)
        for typed in ("e muon gui thong bao cho cac chu the o thai nguyen", "tao moc han cho xa"):
            refused = await say(dispatcher, role, typed)
            assert refused[0].text.startswith("Xin lỗi, chức năng này chỉ dành cho cán bộ OCOP")


async def test_withdrawing_a_deadline_or_stopping_an_announcement_is_confirmed_first(
    dispatcher: Dispatcher,
) -> None:
    """One tap on "withdraw" or "stop" only asks: one more tap confirms, the other keeps it as
    it was (the deadline open, the announcement still being sent)."""
    await make_officer(dispatcher, "boss")
    await join(dispatcher, "farmer", "producer")
    await say(dispatcher, "boss", "/hanchot", "Nộp hồ sơ", "20/12/2099", "act:dl:scope:1")
    published = await say(dispatcher, "boss", "act:dl:grp:all", "act:dl:nolink", "act:dl:go")
    assert actions(published) == ["dl:list", "m:menu"]
    [deadline] = await dispatcher.db.run(partial(repo.open_deadlines, after=datetime.now(UTC)))
    asked = await say(dispatcher, "boss", f"act:dl:cancel:{deadline.id}")
    assert asked[0].text.startswith("Hủy mốc “Nộp hồ sơ” (hạn Chủ Nhật 20/12/2099 17:00)?")
    assert actions(asked) == [f"dl:cancel:ok:{deadline.id}", f"dl:keep:{deadline.id}", "m:menu"]
    kept = await say(dispatcher, "boss", f"act:dl:keep:{deadline.id}")
    assert kept[0].text.startswith("Mốc “Nộp hồ sơ” vẫn giữ nguyên")
    assert await dispatcher.db.run(partial(repo.open_deadlines, after=datetime.now(UTC)))
    listed = await say(dispatcher, "boss", "act:dl:list")
    assert f"dl:cancel:{deadline.id}" in actions(listed)
    await say(dispatcher, "boss", f"act:dl:cancel:ok:{deadline.id}")
    assert not await dispatcher.db.run(partial(repo.open_deadlines, after=datetime.now(UTC)))

    await say(dispatcher, "boss", "/thongbao", "Tập huấn", "act:bc:preview")
    [progress] = await say(dispatcher, "boss", "act:bc:go")
    stop = next(b.action for b in progress.all_buttons if b.action.startswith("bc:stop:"))
    number = stop.rsplit(":", 1)[1]
    asked = await say(dispatcher, "boss", f"act:{stop}")
    assert asked[0].text.startswith("Dừng gửi thông báo này?")
    assert actions(asked) == [f"bc:stop:ok:{number}", f"bc:stat:{number}", "m:menu"]

    def statuses(connection: Connection) -> list[str]:
        rows = connection.execute(select(Outbox.status).where(Outbox.kind == "broadcast"))
        return sorted(row[0] for row in rows)

    assert await dispatcher.db.run(statuses) == ["pending", "pending"]
    going = await say(dispatcher, "boss", f"act:bc:stat:{number}")
    assert going[0].text.startswith("📣 Thông báo: đã gửi 0")
    await say(dispatcher, "boss", f"act:bc:stop:ok:{number}")
    assert await dispatcher.db.run(statuses) == ["cancelled", "cancelled"]
    settled = await say(dispatcher, "boss", f"act:bc:stat:{number}")  # nothing left to stop
    assert settled[0].text == "📣 Thông báo: đã gửi 0 · đã dừng 2"
    assert actions(settled) == [f"bc:stat:{number}", "m:menu"]


async def test_asking_an_officer_under_an_announcement_tells_the_officer_which_one(
    dispatcher: Dispatcher,
) -> None:
    """ "Ask an officer" under an announcement opens a question about it: the user is told
    which announcement, and the officers get its first line with the question."""
    await make_officer(dispatcher, "boss")
    await join(dispatcher, "farmer", "producer")
    await join(dispatcher, "visitor", "tourist", lang="en")
    announcement = "Hội chợ OCOP Hà Nội 12/2026\nĐăng ký gian hàng trước 5/12."
    await say(dispatcher, "boss", "/thongbao", announcement, "act:bc:where:0", "act:bc:preview")
    await say(dispatcher, "boss", "act:bc:go", "act:bc:go:all")
    sent = [r for r in await dispatcher.db.run(outbox_rows) if r[1] == "broadcast"]
    farmer = await user_id(dispatcher, "farmer")
    [ask] = [row[3][0][0][1] for row in sent if row[0] == farmer]
    asked = await say(dispatcher, "farmer", f"act:{ask}")
    assert "Hội chợ OCOP Hà Nội 12/2026" in asked[0].text
    assert "Đăng ký gian hàng" not in asked[0].text  # the first line names it
    await say(dispatcher, "farmer", "Gian hàng có mất phí không ạ?")
    request = (await dispatcher.db.run(outbox_rows))[-1]
    assert request[1] == "notice" or "Yêu cầu gặp cán bộ" in request[2]
    assert "Gian hàng có mất phí" in request[2] and "Hội chợ OCOP Hà Nội 12/2026" in request[2]
    # in English for the visitor; an older announcement's plain button still opens a question
    visitor = await user_id(dispatcher, "visitor")
    [ask] = [row[3][0][0][1] for row in sent if row[0] == visitor]
    asked = await say(dispatcher, "visitor", f"act:{ask}")
    assert "announcement" in asked[0].text and "Hội chợ OCOP Hà Nội 12/2026" in asked[0].text
    await say(dispatcher, "visitor", "/menu")
    plain = await say(dispatcher, "visitor", "act:ho:start")
    assert "announcement" not in plain[0].text
    # an announcement no longer known (erased, forged) asks the plain question
    await say(dispatcher, "visitor", "/menu")
    unknown = await say(dispatcher, "visitor", "act:ho:bc:999999")
    assert "Write your question" in unknown[0].text and "announcement" not in unknown[0].text


def test_a_broadcast_s_counts_name_only_what_happened() -> None:
    t = translator("vi")
    counted = counts_text(t, {"sent": 5, "failed": 1, "sending": 2, "pending": 1})
    assert counted == "đã gửi 5 · đang chờ 3 · lỗi 1"
    assert counts_text(t, {}) == "đã gửi 0"
    assert counts_text(translator("en"), {"sent": 2, "blocked": 1}) == "sent 2 · blocked 1"


async def test_an_announcement_or_a_notice_received_is_never_a_dead_end(
    dispatcher: Dispatcher,
) -> None:
    """An announcement reaches each user with a way on: ask an officer about it, or the menu;
    a deadline withdrawn reaches the producers reminded of it with the calendar and the menu."""
    await make_officer(dispatcher, "boss")
    await join(dispatcher, "farmer", "producer")
    await join(dispatcher, "visitor", "tourist", lang="en")
    await say(dispatcher, "boss", "/thongbao", "Hội chợ OCOP", "act:bc:where:0", "act:bc:preview")
    await say(dispatcher, "boss", "act:bc:go", "act:bc:go:all")
    sent = [r for r in await dispatcher.db.run(outbox_rows) if r[1] == "broadcast"]
    assert len(sent) == 3
    for _uid, _kind, _text, buttons in sent:
        assert [b[1] for row in buttons for b in row][1:] == ["m:menu"]
        assert buttons[0][0][1].startswith("ho:bc:")  # ask an officer about this one
    labels = {b[0] for r in sent for row in r[3] for b in row}
    assert {"🙋 Hỏi cán bộ OCOP", "🙋 Ask an OCOP officer"} <= labels

    due = datetime.now(VIETNAM) + timedelta(days=20)
    await say(dispatcher, "boss", "/hanchot", "Nộp hồ sơ", f"{due:%d/%m/%Y}", "act:dl:scope:1")
    await say(dispatcher, "boss", "act:dl:grp:all", "act:dl:nolink", "act:dl:go")
    assert await enqueue_due_reminders(dispatcher.db, datetime.now(UTC)) == 1
    [deadline] = await dispatcher.db.run(partial(repo.open_deadlines, after=datetime.now(UTC)))

    def delivered(connection: Connection) -> None:
        connection.execute(
            update_rows(Outbox).where(Outbox.kind == "reminder").values(status="sent")
        )

    await dispatcher.db.run(delivered)
    await say(
        dispatcher, "boss", f"act:dl:cancel:{deadline.id}", f"act:dl:cancel:ok:{deadline.id}"
    )
    farmer = await user_id(dispatcher, "farmer")
    [notice] = [
        r for r in await dispatcher.db.run(outbox_rows) if r[1] == "notice" and r[0] == farmer
    ]
    assert [b[1] for row in notice[3] for b in row] == ["rm:list", "m:menu"]


async def test_a_deadline_asked_for_in_words_keeps_the_time_typed(dispatcher: Dispatcher) -> None:
    """ "đăng hạn chót nộp hồ sơ 9h sáng ngày 15/12": 09:00, not the 17:00 of a date alone; "trước
    17h ngày …" is that moment. The date is said back at once; one that cannot be read is said
    wrong at once too, and asked after the title."""
    await make_officer(dispatcher, "boss")
    due = datetime.now(VIETNAM) + timedelta(days=20)
    for typed, clock in (
        (f"dang han chot nop ho so 9h sang ngay {due:%d/%m/%Y}", "09:00"),
        (f"tao han nop ho so truoc 16h30 ngay {due:%d/%m/%Y}", "16:30"),
    ):
        told = await say(dispatcher, "boss", "/menu", typed)  # said before the title is asked
        assert told[0].text.startswith("Hạn: ") and f"{due:%d/%m/%Y} {clock}" in told[0].text
        scoped = await say(dispatcher, "boss", "Nộp hồ sơ")
        assert scoped[0].text.startswith("Áp dụng cho đâu?")
    refused = await say(dispatcher, "boss", "/menu", "dang han chot nop ho so 31/2 luc 9h")
    assert refused[0].text.startswith("Không có ngày “31/2 luc 9h” trên lịch")
    assert "Em sẽ hỏi lại ngày sau khi có tên.\nTên mốc thời gian" in refused[0].text
    asked = await say(dispatcher, "boss", "Nộp hồ sơ")
    assert asked[0].text.startswith("Hạn lúc nào?")


async def test_a_province_said_with_the_role_is_kept_and_not_asked_again(
    dispatcher: Dispatcher,
) -> None:
    """ "tôi là cán bộ OCOP tỉnh Thái Nguyên" keeps Thái Nguyên: the province is not asked, and
    the officer's announcements go there unless they choose otherwise."""
    thai_nguyen = 10
    await say(dispatcher, "boss", "/start")
    said = await say(dispatcher, "boss", "toi la can bo OCOP tinh Thai Nguyen")
    assert said[0].text == "Đã lưu tỉnh/thành: <b>Thái Nguyên</b>."
    done = await say(dispatcher, "boss", "act:ob:lang:vi")
    assert "Anh/chị ở tỉnh/thành nào?" not in " ".join(r.text for r in done)
    uid = await user_id(dispatcher, "boss")
    await dispatcher.db.run(
        partial(decide_officer, user_id=uid, approve=True, by="cli", now=datetime.now(UTC))
    )
    await join(dispatcher, "farmer", "producer", thai_nguyen)
    panel = await say(dispatcher, "boss", "/thongbao", "Tập huấn")
    assert "<b>Tất cả · Thái Nguyên</b> — 2 người nhận" in panel[0].text
    await say(dispatcher, "grower", "/start")
    said = await say(dispatcher, "grower", "em lam che o Ha Giang")
    assert [r.text for r in said[:2]] == [
        "Tỉnh Hà Giang nay thuộc Tuyên Quang (sắp xếp đơn vị hành chính từ 1/7/2025).",
        "Đã lưu tỉnh/thành: <b>Tuyên Quang</b>.",
    ]


async def test_withdrawing_or_moving_a_deadline_asked_in_words_lists_the_open_ones(
    dispatcher: Dispatcher,
) -> None:
    """ "hủy hạn chót nộp hồ sơ" or "đổi hạn chót sang 20/12" at the menu is /huyhan, not the
    calendar's FAQ; a producer typing it hears it is an officer's feature."""
    await make_officer(dispatcher, "boss")
    await say(dispatcher, "boss", "/hanchot", "Nộp hồ sơ", "20/12/2099", "act:dl:scope:1")
    await say(dispatcher, "boss", "act:dl:grp:all", "act:dl:nolink", "act:dl:go")
    listed = await say(dispatcher, "boss", "/huyhan")
    assert await say(dispatcher, "boss", "/menu", "huy han chot nop ho so") == listed
    moving = await say(dispatcher, "boss", "/menu", "doi han chot sang 20/12")  # says the date
    assert moving[0].buttons == listed[0].buttons
    assert moving[0].text.endswith("\n" + listed[0].text)
    await join(dispatcher, "farmer", "producer")
    refused = await say(dispatcher, "farmer", "huy han chot nop ho so")
    assert refused[0].text.startswith("Xin lỗi, chức năng này chỉ dành cho cán bộ OCOP")


async def test_the_review_says_who_is_reminded_and_corrects_one_field_at_a_time(
    dispatcher: Dispatcher,
) -> None:
    """The review counts the producers the reminders reach (none: said plainly), and the title
    or the date can be typed again from it, back to the review with the rest kept."""
    await make_officer(dispatcher, "boss", THANH_HOA)
    await say(
        dispatcher, "boss", "/hanchot", "Nộp hồ sơ", "20/12/2099", f"act:dl:scope:{THANH_HOA}"
    )
    review = await say(dispatcher, "boss", "act:dl:grp:all", "act:dl:nolink")
    assert "⚠️ Chưa có nhà sản xuất nào đang dùng bot trong phạm vi này" in review[0].text
    assert {"dl:edit:title", "dl:edit:when"} <= set(actions(review))
    await join(dispatcher, "farmer", "producer", THANH_HOA)
    await join(dispatcher, "far", "producer", NGHE_AN)
    asked = await say(dispatcher, "boss", "act:dl:edit:when")
    assert asked[0].text.startswith("Hạn lúc nào?")
    review = await say(dispatcher, "boss", "21/12/2099 9h")
    assert "Hạn: Thứ Hai 21/12/2099 09:00" in review[0].text
    assert "Phạm vi: Thanh Hóa" in review[0].text
    assert "Sẽ nhắc: 1 nhà sản xuất đang dùng bot trong phạm vi này." in review[0].text
    await say(dispatcher, "boss", "act:dl:edit:title")
    review = await say(dispatcher, "boss", "Nộp hồ sơ đợt 2")
    assert "Tên: Nộp hồ sơ đợt 2" in review[0].text and "09:00" in review[0].text
    await say(dispatcher, "boss", "act:dl:go")
    [deadline] = await dispatcher.db.run(partial(repo.open_deadlines, after=datetime.now(UTC)))
    assert (deadline.title, deadline.provinces) == ("Nộp hồ sơ đợt 2", [THANH_HOA])
    assert deadline.due_at == datetime(2099, 12, 21, 9, tzinfo=VIETNAM)


async def test_an_officer_saying_their_province_at_the_menu_can_take_it_in_one_tap(
    dispatcher: Dispatcher,
) -> None:
    """ "tôi là cán bộ OCOP tỉnh Nghệ An" from an officer of Thanh Hóa offers the change (one tap
    takes it, one keeps Thanh Hóa); their own province shows the profile; a question about
    officers, or a producer saying it, is not read so."""
    await make_officer(dispatcher, "boss", THANH_HOA)
    same = await say(dispatcher, "boss", "toi la can bo OCOP tinh Thanh Hoa")
    assert "Thanh Hóa" in same[0].text and "ob:edit:province" in actions(same)
    offered = await say(dispatcher, "boss", "toi la can bo OCOP tinh Nghe An")
    assert offered[0].text == (
        "Hồ sơ của anh/chị đang ghi tỉnh/thành <b>Thanh Hóa</b>. Anh/chị muốn đổi sang "
        "<b>Nghệ An</b> không?"
    )
    assert actions(offered) == [f"ob:prov:{NGHE_AN}", "m:menu"]
    await say(dispatcher, "boss", f"act:ob:prov:{NGHE_AN}")
    panel = await say(dispatcher, "boss", "/thongbao", "Tập huấn")
    assert "<b>Tất cả · Nghệ An</b>" in panel[0].text
    asked = await say(dispatcher, "boss", "/menu", "can bo OCOP tinh Thanh Hoa la ai?")
    assert f"ob:prov:{THANH_HOA}" not in actions(asked)
    await join(dispatcher, "farmer", "producer", THANH_HOA)
    other = await say(dispatcher, "farmer", "toi la can bo OCOP tinh Nghe An")
    assert f"ob:prov:{NGHE_AN}" not in actions(other)


async def test_a_text_too_long_is_refused_with_its_length_never_cut_silently(
    dispatcher: Dispatcher,
) -> None:
    """An announcement, a deadline's title or link longer than a message holds is refused
    with its length and the limit, and asked again; it is never cut without a word."""
    await make_officer(dispatcher, "boss")
    said = await say(dispatcher, "boss", "/thongbao", "Hội chợ OCOP." * 300)
    assert said[0].text.startswith("Nội dung dài 3900 ký tự") and "3500" in said[0].text
    panel = await say(dispatcher, "boss", "Hội chợ OCOP ngày 20/12.")
    assert panel[0].text.startswith("Gửi cho ai?")
    await say(dispatcher, "boss", "/cancel")
    said = await say(dispatcher, "boss", "/hanchot", "Nộp hồ sơ." * 30)
    assert said[0].text.startswith("Nội dung dài 300 ký tự") and "200" in said[0].text
    asked = await say(dispatcher, "boss", "Nộp hồ sơ đợt 2")
    assert asked[0].text.startswith("Hạn lúc nào?")
    await join(dispatcher, "visitor", "officer", lang="en")
    uid = await user_id(dispatcher, "visitor")
    now = datetime.now(UTC)
    await dispatcher.db.run(partial(decide_officer, user_id=uid, approve=True, by="cli", now=now))
    said = await say(dispatcher, "visitor", "/thongbao", "Fair!!" * 700)
    assert said[0].text.startswith("The text is 4200 characters long")


async def test_a_deadline_asked_for_in_english_words_keeps_the_date_typed(
    dispatcher: Dispatcher,
) -> None:
    """ "publish a deadline for the dossier cut-off on Dec 15 9am": the date said with an
    English month's name is kept (and said back) like "15/12", not asked again."""
    await make_officer(dispatcher, "boss")
    due = datetime.now(VIETNAM) + timedelta(days=20)
    for typed in (
        f"publish a deadline for the dossier cut-off on {due:%b} {due.day} 9am",
        f"post a deadline on {due.day} {due:%B} 9am",
    ):
        told = await say(dispatcher, "boss", "/menu", typed)  # answered in English
        assert told[0].text.startswith("Due: ") and f"{due:%d/%m/%Y} 09:00" in told[0].text


async def test_a_date_typed_where_the_provinces_are_asked_moves_the_deadline(
    dispatcher: Dispatcher,
) -> None:
    """A date typed at the step asking where a deadline applies is the officer correcting the
    date: it is taken (and said back), and where is asked again; never "not a province"."""
    await make_officer(dispatcher, "boss")
    first = datetime.now(VIETNAM) + timedelta(days=20)
    second = first + timedelta(days=3)
    await say(dispatcher, "boss", "/hanchot", "Nộp hồ sơ", f"{first:%d/%m/%Y}")
    said = await say(dispatcher, "boss", f"{second:%d/%m/%Y}")
    assert said[0].text.startswith("Hạn: ") and f"{second:%d/%m/%Y} 17:00" in said[0].text
    assert said[-1].text.startswith("Áp dụng cho đâu?")
    wrong = await say(dispatcher, "boss", "31/02")
    assert wrong[0].text.startswith("Không có ngày “31/02” trên lịch")
    await say(dispatcher, "boss", "act:dl:scope:1", "act:dl:grp:all")
    review = await say(dispatcher, "boss", "act:dl:nolink")
    assert f"{second:%d/%m/%Y} 17:00" in review[0].text


async def test_publishing_names_only_the_reminders_still_ahead(dispatcher: Dispatcher) -> None:
    """A deadline due in two days is not promised reminders 30 and 7 days before: the
    published note names what is still to come."""
    await make_officer(dispatcher, "boss")
    due = datetime.now(VIETNAM) + timedelta(days=2)
    await say(dispatcher, "boss", "/hanchot", "Nộp hồ sơ", f"{due:%d/%m/%Y} 23:00")
    await say(dispatcher, "boss", "act:dl:scope:1", "act:dl:grp:all", "act:dl:nolink")
    done = await say(dispatcher, "boss", "act:dl:go")
    assert "30" not in done[0].text and "7 ngày" not in done[0].text
    assert "được nhắc ngay bây giờ, 1 ngày trước và sáng ngày hạn." in done[0].text


async def test_the_audience_said_in_words_is_what_the_panel_will_use(
    dispatcher: Dispatcher,
) -> None:
    """ "gửi thông báo cho các HTX ở Tây Nguyên" (a region, no province) is said not
    recognised, never "toàn quốc" while the panel then keeps to the officer's province; a
    former province's name says the whole 2025 province is chosen."""
    await make_officer(dispatcher, "boss")  # Hà Nội
    asked = await say(dispatcher, "boss", "gui thong bao cho cac chu the o Tay Nguyen")
    assert asked[0].text.startswith("Em chưa nhận ra tỉnh trong “tay nguyen”")
    assert "Nhà sản xuất · Hà Nội" in asked[0].text and "toàn quốc" not in asked[0].text
    asked = await say(dispatcher, "boss", "/menu", "gui thong bao toi cac nha san xuat")
    assert "Nhà sản xuất · Hà Nội" in asked[0].text
    asked = await say(dispatcher, "boss", "/menu", "gui thong bao cho du khach o Ha Tay")
    assert asked[0].text.startswith("Hà Tây (tên cũ) nay thuộc Hà Nội: em chọn cả Hà Nội.")
    panel = await say(dispatcher, "boss", "Lễ hội", "Quang Binh, Hue")
    assert panel[0].text == "Quảng Bình (tên cũ) nay thuộc Quảng Trị: em chọn cả Quảng Trị."
    assert "Quảng Trị, Huế" in panel[1].text
    await say(dispatcher, "boss", "/cancel")
    due = datetime.now(VIETNAM) + timedelta(days=20)
    scoped = await say(dispatcher, "boss", "/hanchot", "Nộp hồ sơ", f"{due:%d/%m/%Y}", "Ha Giang")
    assert scoped[0].text == "Hà Giang (tên cũ) nay thuộc Tuyên Quang: em chọn cả Tuyên Quang."
    assert scoped[1].text.startswith("Nhóm sản phẩm nào?")


async def test_moving_a_deadline_in_words_keeps_the_new_date_typed(dispatcher: Dispatcher) -> None:
    """ "đổi hạn chót sang 15/12" lists the open deadlines saying the new date once; "Đổi
    ngày" on one moves it there without asking the date again (it was asked again)."""
    await make_officer(dispatcher, "boss")
    first = datetime.now(VIETNAM) + timedelta(days=20)
    later = first + timedelta(days=5)
    await say(dispatcher, "boss", "/hanchot", "Nộp hồ sơ", f"{first:%d/%m/%Y}", "act:dl:scope:1")
    await say(dispatcher, "boss", "act:dl:grp:all", "act:dl:nolink", "act:dl:go")
    [deadline] = await dispatcher.db.run(partial(repo.open_deadlines, after=datetime.now(UTC)))
    listed = await say(dispatcher, "boss", f"doi han chot sang {later:%d/%m/%Y}")
    assert listed[0].text.startswith("Ngày mới: ") and f"{later:%d/%m/%Y} 17:00" in listed[0].text
    moved = await say(dispatcher, "boss", f"act:dl:move:{deadline.id}")
    assert moved[0].text.startswith("Đã đổi hạn sang ") and f"{later:%d/%m/%Y}" in moved[0].text
    [deadline] = await dispatcher.db.run(partial(repo.open_deadlines, after=datetime.now(UTC)))
    assert f"{deadline.due_at.astimezone(VIETNAM):%d/%m/%Y}" == f"{later:%d/%m/%Y}"
    again = await say(dispatcher, "boss", "/huyhan", f"act:dl:move:{deadline.id}")
    assert again[0].text.startswith("Đổi ngày cho")  # no date typed: asked as before


async def test_of_several_provinces_typed_the_one_not_recognised_is_named(
    dispatcher: Dispatcher,
) -> None:
    """ "Hanoi, Sai Gon, xyz": the reply names “xyz”, not the whole list the officer must
    search for what went wrong; the choice is kept as it was."""
    await make_officer(dispatcher, "boss")
    await say(dispatcher, "boss", "/thongbao", "Hội chợ")
    said = await say(dispatcher, "boss", "Hanoi, Sai Gon, xyz")
    assert said[0].text.startswith("Em chưa nhận ra tỉnh trong “xyz”")
    await say(dispatcher, "boss", "/cancel")
    due = datetime.now(VIETNAM) + timedelta(days=20)
    said = await say(dispatcher, "boss", "/hanchot", "Nộp hồ sơ", f"{due:%d/%m/%Y}", "Hue; abc")
    assert said[0].text.startswith("Em chưa nhận ra tỉnh trong “abc”")


async def test_a_kind_of_producer_the_bot_cannot_tell_apart_is_said_so(
    dispatcher: Dispatcher,
) -> None:
    """ "gửi thông báo cho các hợp tác xã" / "to all cooperatives": profiles do not hold the
    kind of producer, so the officer is told every producer is reached, never led to believe
    only cooperatives are; "các chủ thể" needs no such word."""
    await make_officer(dispatcher, "boss")
    asked = await say(dispatcher, "boss", "gui thong bao cho cac hop tac xa o Ha Noi")
    assert asked[0].text.startswith(
        "Em chưa phân biệt được “hop tac xa” với các nhà sản xuất khác"
    )
    asked = await say(dispatcher, "boss", "/menu", "send an announcement to all cooperatives")
    assert asked[0].text.startswith("I can't tell “cooperatives” apart from other producers")
    asked = await say(dispatcher, "boss", "/menu", "gui thong bao cho cac chu the o Ha Noi")
    assert asked[0].text.startswith("Người nhận đã chọn: Nhà sản xuất · Hà Nội")
