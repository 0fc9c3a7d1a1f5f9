"""The self-assessment conversation on a real database: find, answer, back, skip, pause,
restart, resume, result, /ketqua; on the console door and the Telegram door."""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path

import httpx
import pytest

from bench.result_length import SHORT
from bot.dispatch import Dispatcher
from bot.i18n import format_date
from bot.markup import plain
from bot.messages import Reply
from db import repo
from db.models import utcnow
from db.session import Database
from knowledge.criteria import Sheet, bundled_sheets
from knowledge.language import reply_language
from knowledge.text import fold
from knowledge.typed_commands import criterion_asked, part_asked, plan_asked, result_asked
from tests.conftest import OcopBot, console_msg, post_update
from tests.factories import tg_callback, tg_message
from tests.fakes.telegram_api import FakeTelegram
from tests.sheets import tiny26
from tests.stray_cases import (
    CRITERION_CASES,
    PART_CASES,
    PLAN_CASES,
    RESULT_CASES,
    SO_FAR_CASES,
)


async def load_tiny(db: Database, **changes: object) -> Sheet:
    """Import the test sheet for 26-mat-ong-mat-khac, as `ocop-bot criteria import` would."""
    document = tiny26(**changes)
    sheet = Sheet.from_dict(document)
    await db.run(
        partial(
            repo.store_sheet,
            key=sheet.key,
            set_code=sheet.set_code,
            edition=sheet.edition.code,
            body=document,
            now=utcnow(),
        )
    )
    return sheet


async def producer(dispatcher: Dispatcher, user: str = "u1") -> None:
    for step in ("/start", "ob:role:producer", "ob:lang:vi", "ob:prov:1"):
        msg = (
            console_msg(step, user=user)
            if step.startswith("/")
            else console_msg(action=step, user=user)
        )
        await dispatcher.process(msg)


async def say(
    dispatcher: Dispatcher, text: str = "", action: str | None = None, user: str = "u1"
) -> list[Reply]:
    return (await dispatcher.process(console_msg(text, action=action, user=user))).replies


def actions(replies: list[Reply]) -> list[str]:
    return [b.action for r in replies for b in r.all_buttons]


async def answer_all(dispatcher: Dispatcher, options: list[int], start: int = 0) -> list[Reply]:
    """Answer question `start`, `start + 1`, … with these option indexes; the last replies."""
    replies: list[Reply] = []
    for offset, option in enumerate(options):
        replies = await say(dispatcher, action=f"as:a:{start + offset}:{option}")
    return replies


async def test_typed_product_leads_to_the_rejection_conditions_then_the_criteria(
    dispatcher: Dispatcher,
) -> None:
    await load_tiny(dispatcher.db)
    await producer(dispatcher)
    asked = await say(dispatcher, action="as:start")
    assert "gõ tên sản phẩm" in asked[0].text and "QĐ 26/2026/QĐ-TTg" in asked[0].text
    assert len([a for a in actions(asked) if a.startswith("as:sec:")]) == 6  # six sectors
    offered = await say(dispatcher, "mat ong")
    assert actions(offered)[0] == "as:set:26-mat-ong-mat-khac"
    first = await say(dispatcher, action="as:set:26-mat-ong-mat-khac")
    assert "1 câu về điều kiện loại hồ sơ, rồi 5 tiêu chí" in first[0].text
    condition = first[-1].text
    assert condition.startswith("Câu 1/6 · Điều kiện loại hồ sơ (1/1)")
    assert "Giả mạo hồ sơ" in condition
    assert actions(first)[:2] == ["as:a:0:0", "as:a:0:1"]
    question = (await say(dispatcher, action="as:a:0:0"))[-1]
    assert question.text.startswith("Câu 2/6 · Phần A – Sản phẩm và sức mạnh cộng đồng")
    assert "<b>A1. Nguồn gốc</b>" in question.text
    assert "2. Địa phương (5 đ) ⭐ mức tối thiểu cho 3 sao" in question.text
    assert [b.action for b in question.all_buttons][:3] == ["as:a:1:0", "as:a:1:1", "as:a:1:2"]


async def test_browsing_sector_group_set_reaches_every_set_in_force(
    dispatcher: Dispatcher,
) -> None:
    await producer(dispatcher)
    await say(dispatcher, action="as:start")
    food = await say(dispatcher, action="as:sec:0")
    assert "Thực phẩm" in food[0].text and len(actions(food)) == 6 + 2  # 6 groups, browse, menu
    tea = await say(dispatcher, action="as:grp:0:4")
    assert actions(tea)[:2] == ["as:set:26-che-tuoi-che-bien", "as:set:26-tra-tu-thuc-vat-khac"]
    tourism = await say(dispatcher, action="as:sec:5")  # one group: its sets at once
    assert actions(tourism)[0] == "as:set:26-du-lich-cong-dong"
    started = await say(dispatcher, action="as:set:26-du-lich-cong-dong")
    # the tourism sheet has no rejection conditions: no "0 câu về điều kiện" shown
    assert ": 32 tiêu chí chấm điểm." in started[0].text and "0 câu" not in started[0].text
    assert started[-1].text.startswith("Câu 1/32 · Phần A")


async def test_a_rejection_condition_is_said_plainly_before_the_criteria(
    dispatcher: Dispatcher,
) -> None:
    await load_tiny(dispatcher.db)
    await producer(dispatcher)
    await say(dispatcher, action="as:set:26-mat-ong-mat-khac")
    rejected = await say(dispatcher, action="as:a:0:1")  # "Có": the dossier was forged
    assert "hồ sơ sẽ <b>bị loại</b> khi: Giả mạo hồ sơ" in rejected[0].text
    assert actions(rejected)[:2] == ["as:dq_go:0", "as:show"]
    await say(dispatcher, action="as:dq_go:0")
    result = await answer_all(dispatcher, [2, 1, 1, 1, 1], start=1)
    text = result[0].text
    assert "Hồ sơ sẽ bị loại</b> vì: Giả mạo hồ sơ" in text
    assert "Còn thiếu cho từng hạng" not in text  # no plan for a rejected dossier


async def test_full_assessment_with_back_skip_pause_restart_resume_and_every_skipped_one(
    settings, dispatcher: Dispatcher
) -> None:  # type: ignore[no-untyped-def]
    await load_tiny(dispatcher.db)
    await producer(dispatcher)
    await say(dispatcher, action="as:set:26-mat-ong-mat-khac")
    await say(dispatcher, action="as:a:0:0")  # L1 → "Không"
    await say(dispatcher, action="as:a:1:0")  # A1 → "Không rõ" (changed below)
    back = await say(dispatcher, action="as:back:2")  # back to A1, the chosen option ticked
    assert "1. Không rõ (0 đ) ✓" in back[0].text
    await say(dispatcher, action="as:a:1:1")  # A1 → "Địa phương" 5
    await say(dispatcher, action="as:skip:2")  # A2 skipped for now
    stale = await say(dispatcher, action="as:a:2:1")  # an old A2 button: not counted
    assert stale[0].text.startswith("Nút này đã cũ")
    await say(dispatcher, action="as:skip:3")  # B1 skipped too
    paused = await say(dispatcher, action="as:pause:4")
    assert paused[0].text.startswith("Đã lưu tiến độ (đang ở câu 5)")

    # A restart: a new process on the same database.
    fresh = Dispatcher(Database(settings.DATABASE_URL), settings)
    entry = await say(fresh, action="as:start")
    assert entry[0].text.startswith("Anh/chị có bài tự đánh giá đang làm dở")
    resume_action = actions(entry)[0]
    assert resume_action.startswith("as:resume:")
    resumed = await say(fresh, action=resume_action)
    assert resumed[0].text.startswith("Câu 5/6 · Phần C")
    await say(fresh, action="as:a:4:1")  # C1 "Có" 15
    left = await say(fresh, action="as:a:5:0")  # C2 "Không" 0 → A2 and B1 still skipped
    assert left[0].text.startswith("Còn 2 câu anh/chị đã bỏ qua")
    first_skipped = await say(fresh, action="as:walk")
    assert first_skipped[0].text.startswith("Câu 3/6")  # A2
    second_skipped = await say(fresh, action="as:a:2:1")  # A2 "HTX" 20
    assert second_skipped[0].text.startswith("Câu 4/6")  # B1: the walk goes on
    result = await say(fresh, action="as:a:3:1")  # B1 "Cả nước" 25
    text = result[0].text
    # A 5 + 20 = 25, B 25, C 15 + 0 = 15 → 65 → 3★ (từ 50 đến dưới 70); the first reply is
    # short: the total, who certifies, the next star's first step; the rest behind buttons
    assert "Tổng: <b>65/100</b> → ước tính <b>3 sao</b>" in text
    assert "UBND cấp tỉnh công nhận, cấp giấy chứng nhận (Điều 4.1.a)" in text
    assert "4 sao: cần thêm 5 điểm. Làm trước:\n1. C2 Tiêu chuẩn: 0 → 20 đ" in text
    assert len(result) == 1 and len(plain(text)) <= SHORT
    assessment_id = actions(result)[0].split(":")[2]
    parts = await say(fresh, action=f"as:parts:{assessment_id}")
    text = parts[0].text
    assert "Phần A: 25/40 · Phần B: 25/25 · Phần C: 15/35" in text
    assert "từ 50 đến dưới 70 điểm" in text
    assert "UBND cấp tỉnh đánh giá, công nhận và cấp giấy chứng nhận" in text
    assert "4 sao: cần thêm 5 điểm." in text and "5 sao: cần thêm 25 điểm." in text
    assert parts[1].photo is not None and parts[1].photo.data.startswith(b"\x89PNG")
    assert {f"as:plan:{assessment_id}:4", f"as:plan:{assessment_id}:5"} <= set(actions(parts))
    plan = (await say(fresh, action=f"as:plan:{assessment_id}:4"))[0]
    assert "1. C2 Tiêu chuẩn: +20 đ (0 → 20)" in plan.text and len(plain(plan.text)) <= SHORT
    assert f"as:plan:{assessment_id}:5" in [b.action for b in plan.all_buttons]  # the next one
    whole = (await say(fresh, action=f"as:planp:{assessment_id}:4:0"))[0]
    # the plan is one way, not a measure of effort: no "ít tốn công nhất" claimed
    assert "Gợi ý các bước lên 4 sao</b> (+20 điểm; Hội đồng cấp tỉnh đánh giá)" in whole.text
    assert "ít tốn công" not in whole.text
    assert "1. C2 Tiêu chuẩn: 0 → 20 đ, đạt “Có”" in whole.text
    assert f"as:plan:{assessment_id}:4" in [b.action for b in whole.all_buttons]  # the summary
    law = (await say(fresh, action=f"as:law:{assessment_id}"))[0].text
    assert "Bộ tiêu chí: QĐ 26/2026/QĐ-TTg" in law and "Điều 3.3" in law
    assert "bản chép không chính thức" not in law  # the test sheet is not marked uncertain
    await fresh.db.dispose()


async def test_paused_assessments_of_two_products_are_both_listed(dispatcher: Dispatcher) -> None:
    await load_tiny(dispatcher.db)
    await producer(dispatcher)
    await say(dispatcher, action="as:set:26-mat-ong-mat-khac")
    await say(dispatcher, action="as:pause:0")
    await say(dispatcher, action="as:set:26-tuong-nuoc-mam")
    await say(dispatcher, action="as:pause:0")
    entry = await say(dispatcher, action="as:start")
    listed = [b.label for r in entry for b in r.all_buttons if b.action.startswith("as:resume:")]
    assert len(listed) == 2 and any("Tương, nước mắm" in label for label in listed)


async def test_reassessment_starts_from_the_previous_answers(dispatcher: Dispatcher) -> None:
    await load_tiny(dispatcher.db)
    await producer(dispatcher)
    await say(dispatcher, action="as:set:26-mat-ong-mat-khac")
    first = await answer_all(dispatcher, [0, 1, 1, 1, 1, 0])  # 65 → 3★
    again = next(a for a in actions(first) if a.startswith("as:again:"))
    review = await say(dispatcher, action=again)
    assert "đã điền sẵn 5/5 câu trả lời" in review[0].text
    jumped = await say(dispatcher, "C2")  # change just that one
    assert jumped[0].text.startswith("Câu 6/6") and "1. Không (0 đ) ✓" in jumped[0].text
    result = await say(dispatcher, action="as:a:5:1")  # C2 "Có" → 85 → 4★
    assert "Tổng: <b>85/100</b> → ước tính <b>4 sao</b>" in result[0].text
    listed = await say(dispatcher, "/ketqua")
    text = listed[0].text
    assert "So với lần trước (Mật ong, mật khác và nông sản thực phẩm khác): tổng +20 điểm" in text
    assert "3 → 4 sao" in text and "Tiêu chí thay đổi: C2 +20." in text


async def test_a_result_under_the_lapsed_decision_moves_to_the_one_in_force(
    dispatcher: Dispatcher,
) -> None:
    await producer(dispatcher)
    old = bundled_sheets()["148-mat-ong-mat-khac"]
    best = {
        c.code: max(range(len(c.options)), key=lambda i: c.options[i].points) for c in old.criteria
    }
    user_id = await dispatcher.db.run(
        partial(repo.find_user, platform="console", external_id="u1")
    )
    assert user_id is not None
    when = utcnow()
    for step in (
        partial(
            repo.start_assessment,
            assessment_id="old148",
            user_id=user_id,
            sheet_key=old.key,
            set_code=old.set_code,
            product_name="Mật ong rừng",
            now=when,
        ),
        partial(
            repo.finish_assessment,
            assessment_id="old148",
            user_id=user_id,
            answers=best,
            total=100,
            stars=5,
            parts={"A": 40, "B": 25, "C": 35},
            now=when,
        ),
    ):
        await dispatcher.db.run(step)
    entry = await say(dispatcher, action="as:start")
    assert "as:move:old148" in actions(entry)
    shown = await say(dispatcher, action="as:res:old148")
    assert "Chấm theo QĐ 148/QĐ-TTg, đã hết hiệu lực: chỉ để tham khảo." in shown[0].text
    law = await say(dispatcher, action="as:law:old148")
    assert "đã hết hiệu lực từ 21/07/2026" in law[0].text
    assert "as:move:old148" in actions(shown)
    moved = await say(dispatcher, action="as:move:old148")
    text = moved[0].text
    assert (
        "Đã chuyển “Mật ong, mật khác và nông sản thực phẩm khác” sang QĐ 26/2026/QĐ-TTg" in text
    )
    new = bundled_sheets()["26-mat-ong-mat-khac"]
    kept = int(text.split("giữ ")[1].split("/")[0])
    assert 0 < kept < len(new.criteria)
    assert "2.4" in text.split("Cần trả lời lại:")[1]  # bilingual labelling is new in 2026
    walk = await say(dispatcher, action="as:walk")
    assert walk[0].text.startswith("Câu 1/") and "Giả mạo hồ sơ" in walk[0].text


async def test_results_compare_the_same_product_only(dispatcher: Dispatcher) -> None:
    await load_tiny(dispatcher.db)
    await producer(dispatcher)
    await say(dispatcher, action="as:set:26-mat-ong-mat-khac")
    await answer_all(dispatcher, [0, 1, 0, 0, 0, 0])  # 5 + 10 + 5 = 20
    await say(dispatcher, action="as:set:26-mat-ong-mat-khac")
    await answer_all(dispatcher, [0, 2, 1, 1, 1, 0])  # 20 + 20 + 25 + 15 = 80
    await load_tiny(dispatcher.db, source="replaced later")  # an office re-imports the sheet
    listed = await say(dispatcher, "/ketqua")
    text = listed[0].text
    today = format_date(utcnow())  # the day in Vietnam, as the chat shows it
    assert f"• {today} · Mật ong, mật khác và nông sản thực phẩm khác: 20 điểm, 1 sao" in text
    assert "80 điểm, 4 sao" in text
    assert "tổng +60 điểm (A +25, B +20, C +15); 1 → 4 sao" in text
    shown = await say(dispatcher, action=actions(listed)[0])
    assert "Tổng: <b>80/100</b>" in shown[0].text  # read with the sheet it was made with
    dossier = await say(
        dispatcher, action=next(a for a in actions(shown) if a.startswith("as:dossier:"))
    )
    assert "Mẫu số 01" in dossier[0].text and "05 sản phẩm mẫu" in dossier[0].text
    assert any(a.startswith("as:res:") for a in actions(dossier))  # a way back to the result


async def test_assessment_over_the_telegram_webhook(
    client: httpx.AsyncClient, telegram_api: FakeTelegram, app
) -> None:  # type: ignore[no-untyped-def]
    await load_tiny(app.state.db)
    for update in (
        tg_message("/start"),
        tg_callback("ob:role:producer"),
        tg_callback("ob:lang:vi"),
        tg_message("Hà Nội"),
        tg_message("/danhgia"),
        tg_message("mật ong"),
        tg_callback("as:set:26-mat-ong-mat-khac"),
    ):
        assert (await post_update(client, update)).status_code == 200
    assert "Câu 1/6" in telegram_api.of("sendMessage")[-1].params["text"]
    for index, option in enumerate([0, 2, 1, 1, 1, 1]):
        await post_update(client, tg_callback(f"as:a:{index}:{option}"))
    sent = telegram_api.of("sendMessage")[-1].params
    result = sent["text"]
    assert "Tổng: <b>100/100</b> → ước tính <b>5 sao</b>" in result
    assert "Bộ Nông nghiệp và Môi trường" in result
    # Điều 4.1.b: the ministry certifies 5★; Điều 7.3.e: the province sends it when it scores ≥ 90
    assert "Điều 4.1.b, 7.3.e" in result and "từ 90 điểm" in result
    assert not telegram_api.of("sendPhoto")  # one short message first: the chart is a detail
    parts = sent["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    assert parts.startswith("as:parts:")
    await post_update(client, tg_callback(parts))
    [photo] = telegram_api.of("sendPhoto")
    assert photo.params["photo"]["filename"].endswith(".png")
    buttons = photo.params["reply_markup"]["inline_keyboard"]
    assert buttons[-2][0]["callback_data"].startswith("as:res:")  # back to the result
    assert len(telegram_api.of("answerCallbackQuery")) == 10  # every button press answered


def test_console_assessment_survives_quitting_midway(tmp_path: Path, ocop_bot: OcopBot) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/console.db"}

    def chat(lines: str) -> str:
        done = ocop_bot("chat", env=env, input=lines)
        assert done.returncode == 0, done.stderr
        return done.stdout

    # agrees to the (Vietnamese) notice; producer, Hà Nội, self-assessment, "rau" → fresh
    # produce; three rejection conditions answered "Không", ten criteria answered, then quit
    chat("1\n" + "1\nha noi\n1\nrau\n1\n" + "1\n" * 3 + "2\n" * 10)
    out = chat("2\n" * 22)
    assert "Câu 14/35" in out.split(">")[0]  # resumed on the first unanswered question
    assert "Tổng: 49/100 → ước tính 2 sao" in out
    assert "Hạng 2 sao chưa được cấp giấy chứng nhận" in out


async def test_the_edition_in_force_follows_the_clock(settings, database_url: str) -> None:  # type: ignore[no-untyped-def]
    """Before QĐ 26/2026 took effect (22/5/2026) the bot assessed under QĐ 148; after, never."""
    from datetime import UTC, datetime

    db = Database(database_url)
    await db.upgrade()
    before = Dispatcher(db, settings, clock=lambda: datetime(2026, 5, 1, 9, tzinfo=UTC))
    await producer(before)
    asked = await say(before, action="as:start")
    assert "QĐ 148/QĐ-TTg" in asked[0].text
    started = await say(before, action="as:set:148-mat-ong-mat-khac")
    assert "theo QĐ 148/QĐ-TTg: 32 tiêu chí chấm điểm." in started[0].text
    after = Dispatcher(db, settings, clock=lambda: datetime(2026, 11, 29, 9, tzinfo=UTC))
    await say(after, action="as:pause:0")
    moved = await say(after, action="as:set:148-mat-ong-mat-khac")  # an old button
    assert "theo QĐ 26/2026/QĐ-TTg: 3 câu về điều kiện" in moved[0].text
    await db.dispose()


async def test_an_unfinished_assessment_begun_under_148_goes_on_under_26(
    settings, database_url: str
) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    db = Database(database_url)
    await db.upgrade()
    before = Dispatcher(db, settings, clock=lambda: datetime(2026, 5, 1, 9, tzinfo=UTC))
    await producer(before)
    await say(before, action="as:set:148-mat-ong-mat-khac")
    await say(before, action="as:a:0:2")  # 148 "1a" Nguồn gốc: 75–100 %
    await say(before, action="as:pause:1")
    after = Dispatcher(db, settings, clock=lambda: datetime(2026, 11, 29, 9, tzinfo=UTC))
    entry = await say(after, action="as:start")
    resumed = await say(
        after, action=next(a for a in actions(entry) if a.startswith("as:resume:"))
    )
    assert "Đã chuyển" in resumed[0].text and "QĐ 26/2026/QĐ-TTg" in resumed[0].text
    again = await say(after, action="as:start")  # the lapsed one is not listed any more
    assert len([a for a in actions(again) if a.startswith("as:resume:")]) == 1
    await db.dispose()


async def test_a_result_keeps_a_copy_of_the_bundled_sheet_it_was_scored_with(
    dispatcher: Dispatcher,
) -> None:
    """A later release may change a bundled sheet file; the result must stay readable."""
    await producer(dispatcher)
    await say(dispatcher, action="as:set:26-hoa")
    await say(dispatcher, action="as:pause:0")
    await say(dispatcher, action="as:set:26-hoa")  # the same sheet again: one copy only
    key = bundled_sheets()["26-hoa"].key
    body = await dispatcher.db.run(partial(repo.sheet_body, key=key))
    assert body is not None and Sheet.from_dict(body).key == key
    copies = await dispatcher.db.run(
        lambda c: c.exec_driver_sql("SELECT count(*) FROM criteria_sheets").scalar_one()
    )
    assert copies == 1
    # never in force: the bundled (or an office's imported) sheet still applies
    assert await dispatcher.db.run(partial(repo.current_sheet_body, set_code="26-hoa")) is None


@pytest.mark.parametrize(("category", "typed", "expected"), PLAN_CASES)
async def test_the_plan_asked_for_in_words_is_the_plan_of_the_last_result(
    dispatcher: Dispatcher, category: str, typed: str, expected: int | None
) -> None:
    """With a 65-point result (3★), "muốn lên 4 sao thì cần sửa gì" or the result screen's own
    "kế hoạch lên 5 sao" is that result's plan, as its button shows it (it once got the FAQ's
    upgrading answer, for certified products); a star held already shows the result; a
    question about the stars themselves stays the FAQ's; with no result, nothing changes. Asked
    in English (by a Vietnamese setting), all of it is in English, the buttons pressed too."""
    assert plan_asked(typed) == expected, category
    english = reply_language(typed, "vi") == "en"
    if expected is None:
        return
    await load_tiny(dispatcher.db)
    await producer(dispatcher)
    before = await say(dispatcher, typed)  # no result yet: not a plan
    assert not any(a.startswith(("as:plan:", "as:r:")) for a in actions(before))
    await say(dispatcher, action="as:set:26-mat-ong-mat-khac")
    result = await answer_all(dispatcher, [0, 1, 1, 1, 1, 0])  # 65 points, 3★
    assert ("estimated <b>3 stars" if english else "ước tính <b>3 sao</b>") in result[0].text
    assessment_id = next(a for a in actions(result) if a.startswith("as:plan:")).split(":")[2]
    replies = await say(dispatcher, typed)
    if expected in (1, 2, 3):  # held already: the result again
        assert replies[0].text == result[0].text
        return
    pressed = await say(dispatcher, action=f"as:plan:{assessment_id}:{expected or 4}")
    assert [r.text for r in replies] == [r.text for r in pressed]
    stars = expected or 4
    assert (f"to {stars} stars" if english else f"lên {stars} sao") in replies[0].text


async def _result_after_asking(dispatcher: Dispatcher, typed: str) -> list[Reply]:
    """`typed` by a new producer with no result gets the lead into the self-assessment; then the
    honey result (65 points, 3★), returned."""
    await load_tiny(dispatcher.db)
    await producer(dispatcher)
    before = await say(dispatcher, typed)
    assert "as:start" in actions(before) and not any(a.startswith("as:r") for a in actions(before))
    await say(dispatcher, action="as:set:26-mat-ong-mat-khac")
    return await answer_all(dispatcher, [0, 1, 1, 1, 1, 0])


@pytest.mark.parametrize(("category", "typed", "expected"), RESULT_CASES)
async def test_the_latest_result_asked_for_in_words_is_shown(
    dispatcher: Dispatcher, category: str, typed: str, expected: bool
) -> None:
    """Typed "điểm của em bao nhiêu" after a result is that result (it was told to self-assess to
    find out); with none yet, the lead into the self-assessment."""
    assert result_asked(typed) == expected, category
    if not expected:
        return
    result = await _result_after_asking(dispatcher, typed)
    assert (await say(dispatcher, typed))[0].text == result[0].text


@pytest.mark.parametrize(("category", "typed", "expected"), PART_CASES)
async def test_one_part_of_the_latest_result_asked_for_in_words_is_that_part(
    dispatcher: Dispatcher, category: str, typed: str, expected: str | None
) -> None:
    """Typed "phần C em được bao nhiêu" after a result is that part's points from it (it was the
    parts' rules, Điều 3.1); with none yet, the lead into the self-assessment."""
    assert part_asked(typed) == expected, category
    if expected is None:
        return
    result = await _result_after_asking(dispatcher, typed)
    by_part = next(a for a in actions(result) if a.startswith("as:parts:"))
    shown_text = (await say(dispatcher, action=by_part))[0].text  # the points by part, a tap away
    shown = dict(re.findall(r"(?:Phần|Part) ([ABC]): ([\d.]+)/", shown_text))
    part = (await say(dispatcher, typed))[0].text
    points = shown[expected]
    assert f" {expected} (" in part and f"<b>{points}/" in part, part  # "Part C" in English


@pytest.mark.parametrize(("category", "typed", "expected"), CRITERION_CASES)
def test_a_criterion_asked_by_its_code_is_read(
    category: str, typed: str, expected: str | None
) -> None:
    assert criterion_asked(typed) == expected, category


async def test_a_criterion_asked_by_its_code_is_shown_from_the_latest_sheet(
    dispatcher: Dispatcher,
) -> None:
    """ "tiêu chí A1 là gì" after a result is that criterion of its sheet, their answer ticked
    (it was the parts' rules, Điều 3.1; "câu 2.2 nghĩa là gì" was not understood); with none
    yet, the lead into the self-assessment."""
    await load_tiny(dispatcher.db)
    await producer(dispatcher)
    before = await say(dispatcher, "tieu chi A1 la gi")
    assert "as:start" in actions(before) and not any(a.startswith("as:r") for a in actions(before))
    await say(dispatcher, action="as:set:26-mat-ong-mat-khac")
    await answer_all(dispatcher, [0, 1, 1, 1, 1, 0])
    shown = await say(dispatcher, "tieu chi A1 la gi")
    assert shown[0].text.startswith("<b>A1. Nguồn gốc</b>")
    assert "2. Địa phương (5 đ) ✓" in shown[0].text  # the answer given
    assert any(a.startswith("as:res:") for a in actions(shown))
    unknown = await say(dispatcher, "cau 9.9 la gi")  # not on this sheet
    assert "as:start" in actions(unknown)


async def test_yes_or_no_typed_at_a_condition_answers_it(dispatcher: Dispatcher) -> None:
    """At a condition asked as Không / Có, "ko" or "có ạ" typed (on Telegram typing is all some
    users do) is that answer; at a numbered criterion "không" names the lowest option, never
    chooses it."""
    await load_tiny(dispatcher.db)
    await producer(dispatcher)
    await say(dispatcher, action="as:set:26-mat-ong-mat-khac")
    no = await say(dispatcher, "ko")
    assert no[0].text.startswith("Câu 2/6")  # the condition answered "Không": the first criterion
    back = await say(dispatcher, action="as:back:1")
    assert "✅ Không ✓" in str([b.label for r in back for b in r.all_buttons])
    yes = await say(dispatcher, "có ạ")
    assert yes[0].text.startswith("⛔")
    await say(dispatcher, action="as:back:0")
    await say(dispatcher, "khong")
    word = await say(dispatcher, "khong")  # at criterion A1: options are numbered
    assert word[0].text.startswith("Nếu chưa có, anh/chị chọn số 1")
    assert word[-1].text.startswith("Câu 2/6")


async def test_a_programme_question_typed_during_the_assessment_is_answered_then_asked_again(
    dispatcher: Dispatcher,
) -> None:
    """ "hồ sơ gồm những gì" typed at a criterion gets the FAQ's answer, then the same question
    (it got "press a number"); words that are no question still get the hint."""
    await load_tiny(dispatcher.db)
    await producer(dispatcher)
    await say(dispatcher, action="as:set:26-mat-ong-mat-khac")
    await say(dispatcher, "ko")  # the condition answered: criterion A1, "Câu 2/6"
    asked = await say(dispatcher, "ho so ocop gom nhung gi vay")
    assert "Mẫu 01" in asked[0].text and asked[-1].text.startswith("Câu 2/6")
    hint = await say(dispatcher, "abc xyz")
    assert hint[-1].text.startswith("Câu 2/6") and "Mẫu 01" not in hint[0].text


@pytest.mark.parametrize(("category", "typed", "expected"), SO_FAR_CASES)
async def test_the_score_so_far_asked_during_the_assessment_is_shown_then_the_question_again(
    dispatcher: Dispatcher, category: str, typed: str, expected: str | None
) -> None:
    """ "phần A tôi được bao nhiêu điểm", "my score so far" typed at a criterion: the points of
    the answers so far (by part, or that part), then the same question, the assessment kept (it
    got the FAQ's answer about the parts); what a part is worth stays the FAQ's."""
    await load_tiny(dispatcher.db)
    await producer(dispatcher)
    await say(dispatcher, action="as:set:26-mat-ong-mat-khac")
    await answer_all(dispatcher, [0, 1, 1])  # no condition met; A1 5, A2 20: part A 25/40
    replies = await say(dispatcher, typed)
    assert replies[-1].text.startswith("Câu 4/6"), category  # the next question, B1, again
    shown = replies[0].text
    if expected is None:
        assert "25/40" not in shown, category
        return
    assert "<b>25/40</b>" in shown and ("2/5" in shown) == (expected == "all"), shown
    assert ("<b>25/100</b>" in shown) == (expected == "all"), shown
    left = await answer_all(dispatcher, [0, 1, 1], start=3)  # B1 5, C1 15, C2 20
    assert "Tổng: <b>65/100</b>" in left[0].text  # the assessment went on where it was


async def assess_honey(dispatcher: Dispatcher, answers: dict[str, int]) -> list[Reply]:
    """Assess the bundled honey sheet with these answers (the others skipped); the result."""
    sheet = bundled_sheets()["26-mat-ong-mat-khac"]
    await say(dispatcher, action="as:set:26-mat-ong-mat-khac")
    codes = [*(d.code for d in sheet.disqualifiers), *(c.code for c in sheet.criteria)]
    replies: list[Reply] = []
    for index, code in enumerate(codes):
        action = f"as:a:{index}:{answers[code]}" if code in answers else f"as:skip:{index}"
        replies = await say(dispatcher, action=action)
    finish = [a for a in actions(replies) if a.startswith("as:finish:")]
    return await say(dispatcher, action=finish[0]) if finish else replies


async def test_the_dossier_lists_every_step_of_the_plan_the_result_refers_to(
    dispatcher: Dispatcher,
) -> None:
    # The plan's first reply names the steps that matter most and counts the rest; its whole,
    # page by page, and the dossier's whole both hold every step (the dossier once stopped at 8
    # of the household honey's 10). A household's 3★ plan asks for no export (Điều 3.3).
    from tests.test_qd26_scoring import _household_honey

    await producer(dispatcher)
    shown = await assess_honey(dispatcher, _household_honey())
    assert "Tổng: <b>34/100</b>" in shown[0].text
    plan = await say(
        dispatcher, action=next(a for a in actions(shown) if a.startswith("as:plan:"))
    )
    text = plan[0].text
    assert "Cả kế hoạch lên 3 sao: 10 tiêu chí" in text and len(plain(text)) <= SHORT
    assert "Với hộ sản xuất: 3 sao không đòi xuất khẩu hay chứng nhận quốc tế" in text
    assert "xuat khau" not in fold(text.split("Với hộ sản xuất")[0])
    assessment_id = next(a for a in actions(plan) if a.startswith("as:planp:")).split(":")[2]
    top = (await say(dispatcher, action=f"as:plan:{assessment_id}:5"))[0].text
    assert "hội tụ điều kiện để xuất khẩu (Điều 3.3.a). Nên đạt 3 sao trước." in top

    async def whole(first: list[Reply], prefix: str) -> str:
        """Every page of a whole, pressed from its first reply on."""
        texts, action = [], next(a for a in actions(first) if a.startswith(prefix))
        while action:
            page = await say(dispatcher, action=action)
            texts.append(page[0].text)
            action = next(
                (
                    a
                    for a in actions(page)
                    if a.startswith(prefix) and int(a.rsplit(":", 1)[1]) == len(texts)
                ),
                "",
            )
        return "\n".join(texts)

    steps = [line for line in (await whole(plan, "as:planp:")).split("\n") if " → " in line]
    assert len(steps) == 10
    dossier = await say(
        dispatcher, action=next(a for a in actions(plan) if a.startswith("as:dossier:"))
    )
    assert len(plain(dossier[0].text)) <= SHORT
    text = (await whole(dossier, "as:dossierp:")).split("Cần thêm để lên 3 sao:")[1]
    steps = [line for line in text.split("\n") if line.startswith("• ") and " → “" in line]
    assert len(steps) == 10


async def test_results_compare_the_points_each_criterion_counts(dispatcher: Dispatcher) -> None:
    # 5.2 counts only with a story ("Chỉ áp dụng khi có câu chuyện sản phẩm"): a story written
    # since (5.1 0 → 1) brings 5.2's points with it, and the changed criteria add up to the
    # total. Before: "5.1 +1" alone beside "tổng +3".
    from tests.test_qd26_scoring import _household_honey

    await producer(dispatcher)
    before = {**_household_honey(), "5.1": 0, "5.2": 2}  # no story; 5.2 answered, counts 0
    await assess_honey(dispatcher, before)
    await assess_honey(dispatcher, {**before, "5.1": 1})
    listed = await say(dispatcher, "/ketqua")
    text = listed[0].text
    assert "tổng +3 điểm (A +0, B +3, C +0)" in text
    assert "Tiêu chí thay đổi: 5.1 +1, 5.2 +2." in text


async def test_a_criterion_required_for_any_band_says_so_when_asked(
    dispatcher: Dispatcher,
) -> None:
    # 3.1 (Điều 2.3: only these producers may register) and bottled water's 6.1–6.4 ("Nếu được 0
    # điểm … sẽ không đánh giá các bước tiếp theo") carry no star mark on an option: the
    # question itself says that skipping it (none fits) leaves the product without a band.
    await producer(dispatcher)
    await say(dispatcher, action="as:set:26-mat-ong-mat-khac")
    asked = await say(dispatcher, "3.1")
    assert "3.1. Loại hình tổ chức sản xuất - kinh doanh" in asked[0].text
    assert "⭐ Cần đạt ít nhất phương án 1 mới được xếp từ 1 sao" in asked[0].text
    await say(dispatcher, action="as:set:26-nuoc-khoang-nuoc-uong-dong-chai")
    water = await say(dispatcher, "6.2")
    assert "⭐ Cần đạt ít nhất phương án 2 mới được xếp từ 1 sao" in water[0].text
    other = await say(dispatcher, "6.5")  # no requirement on the criterion itself
    assert "Cần đạt ít nhất" not in other[0].text


@pytest.mark.parametrize(
    ("typed", "option"),
    [
        ("2", 1),
        ("cai thu 2", 1),
        ("muc 3", 2),
        ("chon 1", 0),
        ("phương án 2 ạ", 1),
        ("cái thứ ba", 2),
    ],
)
async def test_an_option_typed_in_words_is_recorded_as_if_pressed(
    dispatcher: Dispatcher, typed: str, option: int
) -> None:
    """On Telegram and Zalo a typed "2" or "cái thứ 2" arrives as text, not as the button."""
    await load_tiny(dispatcher.db)
    await producer(dispatcher)
    await say(dispatcher, action="as:set:26-mat-ong-mat-khac")
    await say(dispatcher, "1")  # the condition's first option: "Không"
    moved = await say(dispatcher, typed)
    assert moved[-1].text.startswith("Câu 3/6"), moved[-1].text
    back = await say(dispatcher, "quay lai")
    assert back[-1].text.startswith("Câu 2/6")
    chosen = [line for line in back[-1].text.splitlines() if "✓" in line]
    assert [line.split(".")[0] for line in chosen] == [str(option + 1)]


async def test_skip_pause_and_unsure_typed_without_accents_act_on_the_question(
    dispatcher: Dispatcher,
) -> None:
    await load_tiny(dispatcher.db)
    await producer(dispatcher)
    await say(dispatcher, action="as:set:26-mat-ong-mat-khac")
    await say(dispatcher, "ko")
    unsure = await say(dispatcher, "khong biet")
    assert "Bỏ qua" in unsure[0].text and "vui lòng bấm" not in unsure[0].text
    assert unsure[-1].text.startswith("Câu 2/6")
    for lost in ("em k hieu cau nay", "khong hieu a", "I don't understand"):  # was "bấm số"
        unclear = await say(dispatcher, lost)
        assert "Bỏ qua" in unclear[0].text and "vui lòng bấm" not in unclear[0].text, lost
        assert unclear[-1].text.startswith("Câu 2/6")
    none = await say(dispatcher, "chua co")  # the hint names the lowest option, chooses none
    assert "1" in none[0].text and "Không rõ" in none[0].text
    assert none[-1].text.startswith("Câu 2/6")
    skipped = await say(dispatcher, "bo qua")
    assert skipped[-1].text.startswith("Câu 3/6")
    least = await say(dispatcher, "chua co")  # A2 has no 0-point option: no hint, no answer
    assert "vui lòng bấm" in least[0].text and least[-1].text.startswith("Câu 3/6")
    paused = await say(dispatcher, "tam dung nhe")
    assert "Đã lưu tiến độ (đang ở câu 3)" in paused[0].text
    resumed = await say(dispatcher, "lam tiep")  # the paused one offered to resume
    assert actions(resumed)[0].startswith("as:resume:"), actions(resumed)
    await say(dispatcher, action=actions(resumed)[0])
    for near_miss in ("9", "2 nam", "toi lam 3 nam roi"):  # no such option: nothing recorded
        refused = await say(dispatcher, near_miss)
        assert "vui lòng bấm" in refused[0].text, near_miss
        assert refused[-1].text.startswith("Câu 3/6")


_VIETNAMESE_LETTERS = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.IGNORECASE
)


async def test_an_english_producer_reads_the_bot_in_english_and_the_criteria_as_quoted(
    dispatcher: Dispatcher,
) -> None:
    """Everything the self-assessment says in its own words (prompts, progress, buttons, the
    result and its details, the plan's lines) is English for an English user; the criteria are
    quoted in Vietnamese as QĐ 26/2026 words them, and the intro says so once, in English."""
    for step in ("/start", "ob:role:producer", "ob:lang:en", "ob:skip"):
        await say(dispatcher, step) if step.startswith("/") else await say(dispatcher, action=step)
    sheet = bundled_sheets()["26-mat-ong-mat-khac"]
    seen: list[Reply] = [*await say(dispatcher, "/danhgia"), *await say(dispatcher, "honey")]
    started = await say(dispatcher, action="as:set:26-mat-ong-mat-khac")
    assert "quoted in Vietnamese, as written in QĐ 26/2026/QĐ-TTg" in started[0].text
    seen += started
    seen += await say(dispatcher, "no")  # a condition answered in words
    seen += await say(dispatcher, action="as:a:1:0")
    seen += await say(dispatcher, "not sure")
    seen += await say(dispatcher, "blah blah")
    seen += await say(dispatcher, action="as:skip:2")
    seen += await say(dispatcher, action="as:back:3")
    seen += await say(dispatcher, action="as:pause:2")
    entry = await say(dispatcher, "/danhgia")
    seen += entry + await say(dispatcher, action=actions(entry)[0])
    count = len(sheet.disqualifiers) + len(sheet.criteria)
    for index in range(2, count):
        option = 0 if index < len(sheet.disqualifiers) or index % 4 == 0 else 1
        replies = await say(dispatcher, action=f"as:a:{index}:{option}")
        assert "out of date" not in replies[0].text, (index, [r.text for r in seen[-3:]])
        seen += replies
    result = replies  # the last answer: nothing was left skipped
    assert "Total:" in result[0].text and "as:parts:" in str(actions(result))
    seen += result
    details = ("as:parts:", "as:law:", "as:plan:", "as:dossier:", "as:again:")
    queue, pressed = [a for a in actions(result) if a.startswith(details)], set()
    while queue:  # the details, and the pages of the whole plan and dossier
        action = queue.pop(0)
        pressed.add(action)
        detail = await say(dispatcher, action=action)
        seen += detail
        pages = [a for a in actions(detail) if a.startswith(("as:planp:", "as:dossierp:"))]
        queue += [a for a in pages if a not in pressed and a not in queue]
    seen += await say(dispatcher, "/ketqua")
    assert len(seen) > 40 and "Suggested steps to" in str([r.text for r in seen])
    quoted = sorted(
        {
            *(c.text for c in sheet.criteria),
            *(c.note for c in sheet.criteria),
            *(c.section for c in sheet.criteria),
            *(o.text for c in sheet.criteria for o in c.options),
            "QĐ",
        },
        key=len,
        reverse=True,
    )
    for reply in seen:
        said = "\n".join([plain(reply.text or ""), *(b.label for b in reply.all_buttons)])
        for text in quoted:
            said = said.replace(text, "") if text else said
        assert not _VIETNAMESE_LETTERS.search(said), said
