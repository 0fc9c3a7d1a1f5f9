"""The national calendar of QĐ 26/2026/QĐ-TTg Điều 5 built into `/lich` for every province:
commune cut-offs 30/4 and 30/10, provincial rounds before 30/6 and 30/12, and for 5-star
candidates the Ministry's rounds (requests before 30/7 and 30/1, rounds before 30/9 and 30/3);
rolling yearly, with reminders, muting and unmuting, and officers' rounds on top."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from functools import partial

import pytest
from sqlalchemy import Connection, select

from bot.dispatch import Dispatcher
from bot.messages import Reply
from bot.scheduler import enqueue_due_reminders
from bot.settings import Settings
from db import repo
from db.models import Outbox
from db.session import Database
from knowledge import calendar
from knowledge.reminders import VIETNAM
from tests.conftest import console_msg

NOW = datetime(2026, 11, 29, 1, 0, tzinfo=UTC)  # 08:00 on 29/11/2026 in Vietnam


def test_next_occurrences_from_the_rule() -> None:
    dates = calendar.upcoming(NOW)
    assert [(d.key, d.before) for d in dates] == [
        ("province_2", date(2026, 12, 30)),
        ("ministry_request_2", date(2027, 1, 30)),
        ("ministry_2", date(2027, 3, 30)),
        ("commune_1", date(2027, 4, 30)),
        ("province_1", date(2027, 6, 30)),
        ("ministry_request_1", date(2027, 7, 30)),
        ("ministry_1", date(2027, 9, 30)),
        ("commune_2", date(2027, 10, 30)),
    ]
    assert {d.key: d.cite for d in dates}["commune_1"] == "Điều 5.1"
    assert {d.key for d in dates if d.five_star} == {
        "ministry_request_1",
        "ministry_1",
        "ministry_request_2",
        "ministry_2",
    }
    # "Trước ngày 30/4": the last hours in time are 17:00 on 29/4.
    commune = next(d for d in dates if d.key == "commune_1")
    assert commune.due_at == datetime(2027, 4, 29, 17, 0, tzinfo=VIETNAM)


def test_the_calendar_rolls_over_by_itself() -> None:
    after = datetime(2026, 12, 29, 11, 0, tzinfo=UTC)  # 18:00 on 29/12/2026: round 2 is past
    befores = {d.key: d.before for d in calendar.upcoming(after)}
    assert befores["province_2"] == date(2027, 12, 30)
    assert befores["ministry_request_2"] == date(2027, 1, 30)


@pytest.fixture
async def core(settings: Settings) -> AsyncIterator[Dispatcher]:
    db = Database(settings.DATABASE_URL)
    await db.upgrade()
    yield Dispatcher(db, settings, clock=lambda: NOW)
    await db.dispose()


async def onboard(core: Dispatcher, user: str, province: int, locale: str = "vi") -> None:
    await core.process(console_msg("/start", user=user))
    for action in ("ob:role:producer", f"ob:lang:{locale}", f"ob:prov:{province}"):
        await core.process(console_msg(action=action, user=user))


async def lich(core: Dispatcher, user: str, action: str | None = None) -> Reply:
    msg = console_msg(action=action, user=user) if action else console_msg("/lich", user=user)
    return (await core.process(msg)).replies[0]


async def test_every_province_sees_the_national_dates(core: Dispatcher) -> None:
    await onboard(core, "hanoi", 1)
    await onboard(core, "camau", 33, locale="en")
    hanoi, camau = await lich(core, "hanoi"), await lich(core, "camau")
    assert (
        "• trước 30/12/2026 — Tỉnh đánh giá, phân hạng đợt 2 (hồ sơ xã gửi trước 30/10) "
        "(toàn quốc, Điều 5.1 QĐ 26/2026/QĐ-TTg)" in hanoi.text
    )
    assert "• trước 30/04/2027 — Hạn UBND xã gửi hồ sơ lên tỉnh cho đợt 1" in hanoi.text
    assert "trước 30/10/2027 — Hạn UBND xã gửi hồ sơ lên tỉnh cho đợt 2" in hanoi.text
    assert "before 30/06/2027 — Provincial evaluation, round 1" in camau.text
    assert "(nationwide, Điều 5.1 QĐ 26/2026/QĐ-TTg)" in camau.text
    # Not a 5-star candidate: the Ministry's rounds are not listed, and it says when they are.
    assert "Bộ NN&amp;MT đánh giá 5 sao" not in hanoi.text
    assert "Điều 5.2" in hanoi.text and "90 điểm" in hanoi.text


async def test_five_star_candidates_see_the_ministry_rounds(core: Dispatcher) -> None:
    await onboard(core, "tra", 12)
    for text in ("/chungnhan", "Tra Shan tuyet", "5", "20/12/2024"):
        await core.process(console_msg(text, user="tra"))
    await core.process(console_msg(action="ct:level:central", user="tra"))
    text = (await lich(core, "tra")).text
    assert "trước 30/01/2027 — Hạn UBND tỉnh đề nghị Bộ NN&amp;MT đánh giá 5 sao, đợt 2" in text
    assert "trước 30/03/2027 — Bộ NN&amp;MT đánh giá 5 sao đợt 2" in text
    assert "(toàn quốc, Điều 5.2 QĐ 26/2026/QĐ-TTg)" in text


async def test_an_officers_round_is_added_for_its_province_only(core: Dispatcher) -> None:
    await onboard(core, "hanoi", 1)
    await onboard(core, "camau", 33)
    await core.db.run(
        partial(
            repo.add_deadline,
            title="Đợt bổ sung của Hà Nội",
            due_at=datetime(2027, 2, 15, 10, 0, tzinfo=UTC),
            provinces=[1],
            link="",
            created_by=None,
            now=NOW,
        )
    )
    hanoi = (await lich(core, "hanoi")).text
    lines = hanoi.splitlines()
    ours = next(i for i, line in enumerate(lines) if "Đợt bổ sung của Hà Nội" in line)
    assert lines[ours] == "• 15/02/2027 17:00 — Đợt bổ sung của Hà Nội (Hà Nội)"
    assert "trước 30/12/2026" in lines[ours - 1]  # in date order among the national dates
    assert "Đợt bổ sung" not in (await lich(core, "camau")).text


async def test_lich_mutes_and_unmutes_what_it_muted(core: Dispatcher) -> None:
    await onboard(core, "lan", 1)
    first = await lich(core, "lan")
    mute = next(b for b in first.all_buttons if "Tỉnh đánh giá đợt 2" in b.label)
    assert mute.label == "🔕 Tắt nhắc: Tỉnh đánh giá đợt 2 (30/12)"
    muted = await lich(core, "lan", mute.action)
    assert muted.text.startswith("Đã tắt nhắc cho mốc này.")
    line = next(x for x in muted.text.splitlines() if "Tỉnh đánh giá, phân hạng đợt 2" in x)
    assert line.endswith("🔕")
    unmute = next(b for b in muted.all_buttons if "Tỉnh đánh giá đợt 2" in b.label)
    assert unmute.label == "🔔 Bật lại: Tỉnh đánh giá đợt 2 (30/12)"
    assert (await lich(core, "lan")).all_buttons[0].label.startswith("🔔 Bật lại")  # stored
    back = await lich(core, "lan", unmute.action)
    assert back.text.startswith("Đã bật lại nhắc hạn.")
    assert "🔕" not in back.text.split("\n", 1)[1]
    # Mute all, then one button turns every reminder back on.
    all_off = await lich(core, "lan", "rm:off:0")
    assert [b.action for b in all_off.all_buttons] == ["rm:on:0", "m:menu"]
    all_on = await lich(core, "lan", "rm:on:0")
    assert "🔕" not in all_on.text.split("\n", 1)[1]
    assert await core.db.run(partial(repo.muted, user_id=1)) == set()


async def national_rows(db: Database) -> list[tuple[str, int | None, str]]:
    def read(connection: Connection) -> list[tuple[str, int | None, str]]:
        table = Outbox.__table__
        rows = connection.execute(
            select(table.c.dedupe_key, table.c.user_id, table.c.payload)
            .where(table.c.dedupe_key.like("national:%"))
            .order_by(table.c.id)
        ).all()
        return [(r[0], r[1], r[2][0]["text"]) for r in rows]

    return await db.run(read)


async def test_national_reminders_skip_the_muted_and_reach_5_star_candidates_only(
    core: Dispatcher,
) -> None:
    await onboard(core, "a", 1)
    await onboard(core, "b", 33)
    await onboard(core, "c", 12)
    await lich(core, "b", "rm:off:-4")  # b mutes the provincial round 2
    uid = {
        name: await core.db.run(partial(repo.find_user, platform="console", external_id=name))
        for name in "abc"
    }

    def five_star_result(connection: Connection) -> None:
        repo.start_assessment(
            connection,
            assessment_id="x1",
            user_id=uid["c"],
            sheet_key="148-tuong-nuoc-mam",
            set_code="tuong-nuoc-mam",
            product_name="Nước mắm",
            now=NOW,
        )
        repo.finish_assessment(
            connection,
            assessment_id="x1",
            user_id=uid["c"],
            answers={},
            total=91.0,
            stars=5,
            parts={},
            now=NOW,
        )

    await core.db.run(five_star_result)
    # 7 days before the provincial round 2 (due 29/12/2026 17:00): only its 7-day reminder.
    week_before = datetime(2026, 12, 22, 10, 0, tzinfo=UTC)
    assert await enqueue_due_reminders(core.db, week_before) == 2
    assert await enqueue_due_reminders(core.db, week_before + timedelta(hours=1)) == 0
    rows = await national_rows(core.db)
    assert sorted(user for _, user, _ in rows) == sorted([uid["a"], uid["c"]])
    assert rows[0][0].startswith("national:province_2:2026-12-30:")
    assert "⏰ Còn 7 ngày: <b>Tỉnh đánh giá, phân hạng đợt 2" in rows[0][2]
    assert "(hạn trước 30/12/2026)" in rows[0][2] and "Điều 5.1" in rows[0][2]
    # 30 days before the province's 5-star request of 30/01/2027: the candidate only.
    month_before = datetime(2026, 12, 30, 11, 0, tzinfo=UTC)
    assert await enqueue_due_reminders(core.db, month_before) == 1
    last = (await national_rows(core.db))[-1]
    assert last[0].startswith("national:ministry_request_2:2027-01-30:") and last[1] == uid["c"]


@pytest.mark.parametrize(
    "typed",
    [
        # A producer's words (helper remind8, 2026-11-30), before the reading changed: each
        # got "em chưa hiểu" and the menu.
        "tat nhac",
        "tắt nhắc hạn",
        "tat het nhac nhe",
        "bat lai nhac",
        "danh sach nhac hen cua toi",
        "xem cac nhac nho cua em",
        "khong muon nhan nhac nua",
        "stop reminders",
        "turn off reminders",
        "show my reminders",
    ],
)
async def test_reminders_asked_in_words_show_the_list_with_its_switches(
    core: Dispatcher, typed: str
) -> None:
    await onboard(core, "cantho", 4)
    shown = (await core.process(console_msg(typed, user="cantho"))).replies[0]
    labels = [b.label for b in shown.all_buttons]
    assert "30/04/2027" in shown.text, typed
    assert {"🔕 Tắt mọi nhắc hạn", "🔕 Mute all"} & set(labels), typed  # English when typed so


@pytest.mark.parametrize(
    ("typed", "english"),
    [
        # A producer's words (helper remind8, 2026-11-30), before the answer changed: each got
        # the rule of Điều 5.1 (before 30/4 and 30/10 every year) with no date of its own and
        # no way to the calendar; on 29/11/2026 the next cut-off is 30/04/2027.
        ("khi nao thi han nop ho so dot toi o tinh em a", False),
        ("dot danh gia tiep theo cua tinh Vinh Long la khi nao", False),
        ("han chot nop ho so sap toi la ngay nao", False),
        ("đợt chấm OCOP gần nhất là khi nào ạ", False),
        ("nam nay con kip nop ho so ocop khong", False),  # got the dossier's contents
        ("bây giờ nộp hồ sơ còn kịp đợt nào không ạ", False),
        ("when is the next evaluation round", True),
        ("can I still apply in time this year?", True),
        ("what's the next OCOP deadline in Can Tho", True),
    ],
)
async def test_the_next_round_asked_names_its_cut_off(
    core: Dispatcher, typed: str, english: bool
) -> None:
    await onboard(core, "cantho", 4, "en" if english else "vi")
    shown = (await core.process(console_msg(typed, user="cantho"))).replies[0]
    assert "30/04/2027" in shown.text and "30/06/2027" in shown.text, typed
    assert ("Art. 5.1" if english else "Điều 5.1") in shown.text
    labels = [b.label for b in shown.all_buttons]
    assert ("📅 OCOP deadlines" if english else "📅 Lịch OCOP") in labels, typed


async def test_the_next_cut_off_moves_with_the_day(settings: Settings) -> None:
    """After 30/4 the next cut-off is 30/10 of the same year; the rule's own question keeps
    its answer without a date of the day."""
    db = Database(settings.DATABASE_URL)
    await db.upgrade()
    core = Dispatcher(db, settings, clock=lambda: datetime(2027, 5, 2, 1, 0, tzinfo=UTC))
    await onboard(core, "hue", 2)
    shown = (await core.process(console_msg("dot toi la khi nao", user="hue"))).replies[0]
    assert "30/10/2027" in shown.text and "30/12/2027" in shown.text
    rule = (await core.process(console_msg("moi nam may dot cham OCOP", user="hue"))).replies[0]
    assert "2027" not in rule.text
    await db.dispose()


async def test_their_certificates_window_is_among_their_reminders(core: Dispatcher) -> None:
    """ "show my reminders" listed the national dates only, not the re-evaluation window of the
    certificate recorded just before (helper remind8, 2026-11-30). Issued 31/03/2024: it
    expires 31/03/2027 (Điều 4.3), filing closes 01/12/2026 (120 days before, Điều 7.6.a)."""
    await onboard(core, "dalat", 5)
    for step in ("/chungnhan", "Ca phe Cau Dat", "4", "31/03/2024"):
        await core.process(console_msg(step, user="dalat"))
    await core.process(console_msg(action="ct:level:province", user="dalat"))
    shown = await lich(core, "dalat")
    lines = shown.text.splitlines()
    window = next(line for line in lines if "Ca phe Cau Dat" in line)
    assert "01/12/2026" in window and "Điều 7.6.a" in window
    assert lines.index(window) < next(i for i, x in enumerate(lines) if "30/12/2026" in x)
    assert "📜 Giấy chứng nhận của tôi" in [b.label for b in shown.all_buttons]
    # Filed late (after 01/12/2026): Điều 12.3, valid at most to 27/09/2027 (180 days on).
    late = Dispatcher(core.db, core.settings, clock=lambda: datetime(2026, 12, 5, 1, tzinfo=UTC))
    window = next(x for x in (await lich(late, "dalat")).text.splitlines() if "Cau Dat" in x)
    assert "27/09/2027" in window and "Điều 12.3" in window
