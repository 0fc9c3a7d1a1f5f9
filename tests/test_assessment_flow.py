"""The self-assessment conversation on a real database: find, answer, back, skip, pause,
restart, resume, result, /ketqua; on the console door and the Telegram door."""

from __future__ import annotations

import os
import subprocess
import sys
from functools import partial
from pathlib import Path

import httpx

from bot.dispatch import Dispatcher
from bot.messages import Reply
from db import repo
from db.models import utcnow
from db.session import Database
from knowledge.criteria import Sheet
from tests.conftest import console_msg, post_update
from tests.factories import tg_callback, tg_message
from tests.fakes.telegram_api import FakeTelegram
from tests.sheets import tiny


async def load_tiny(db: Database, **changes: object) -> Sheet:
    """Import the test sheet for 148-mat-ong-mat-khac, as `ocop-bot criteria import` would."""
    document = tiny(**changes)
    sheet = Sheet.from_dict(document)
    await db.run(
        partial(
            repo.store_sheet,
            key=sheet.key,
            set_code=sheet.set_code,
            edition="148",
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


async def test_typed_product_leads_to_questions_with_progress_and_evidence(
    dispatcher: Dispatcher,
) -> None:
    await load_tiny(dispatcher.db)
    await producer(dispatcher)
    asked = await say(dispatcher, action="as:start")
    assert "gõ tên sản phẩm" in asked[0].text
    offered = await say(dispatcher, "mat ong")
    assert actions(offered)[0] == "as:set:148-mat-ong-mat-khac"
    first = await say(dispatcher, action="as:set:148-mat-ong-mat-khac")
    assert "5 câu" in first[0].text
    question = first[-1].text
    assert question.startswith("Câu 1/5 · Phần A – Sản phẩm và sức mạnh cộng đồng")
    assert "<b>A1. Nguồn gốc</b>" in question and "3. Địa phương, có liên kết (20 đ)" in question
    assert actions(first)[:3] == ["as:a:0:0", "as:a:0:1", "as:a:0:2"]
    assert actions(first)[3:] == ["as:back:0", "as:skip:0", "as:pause:0"]


async def test_full_assessment_with_back_skip_pause_restart_and_resume(
    settings, dispatcher: Dispatcher
) -> None:  # type: ignore[no-untyped-def]
    await load_tiny(dispatcher.db)
    await producer(dispatcher)
    await say(dispatcher, action="as:set:148-mat-ong-mat-khac")
    await say(dispatcher, action="as:a:0:0")  # A1 → "Không rõ" (changed below)
    back = await say(dispatcher, action="as:back:1")  # back to A1, the chosen option ticked
    assert "1. Không rõ (0 đ) ✓" in back[0].text
    await say(dispatcher, action="as:a:0:1")  # A1 → "Địa phương" 5
    await say(dispatcher, action="as:skip:1")  # A2 skipped for now
    stale = await say(dispatcher, action="as:a:1:1")  # an old A2 button: not counted
    assert stale[0].text.startswith("Nút này đã cũ")
    paused = await say(dispatcher, action="as:pause:2")
    assert paused[0].text.startswith("Đã lưu tiến độ (đang ở câu 3)")

    # A restart: a new process on the same database.
    fresh = Dispatcher(Database(settings.DATABASE_URL), settings)
    entry = await say(fresh, action="as:start")
    assert entry[0].text.startswith("Anh/chị đang tự đánh giá dở")
    resume_action = actions(entry)[0]
    assert resume_action.startswith("as:resume:")
    resumed = await say(fresh, action=resume_action)
    assert resumed[0].text.startswith("Câu 3/5 · Phần B")
    await say(fresh, action="as:a:2:1")  # B1 "Cả nước" 25
    await say(fresh, action="as:a:3:1")  # C1 "Có" 15
    left = await say(fresh, action="as:a:4:0")  # C2 "Không" 0 → A2 still skipped
    assert left[0].text.startswith("Còn 1 câu anh/chị đã bỏ qua")
    again = await say(fresh, action="as:show")
    assert again[0].text.startswith("Câu 2/5")
    result = await say(fresh, action="as:a:1:1")  # A2 "HTX" 20
    text = result[0].text
    # A 5 + 20 = 25, B 25, C 15 + 0 = 15 → 65 → 3★; 4★ needs 5 more: C2 (+20) first.
    assert "Phần A: 25/40 · Phần B: 25/25 · Phần C: 15/35" in text
    assert "Tổng: <b>65/100</b> → ước tính <b>3 sao</b>" in text
    assert "Để lên 4 sao cần thêm 5 điểm" in text
    assert "1. C2 Tiêu chuẩn (+20 đ): đạt “Có”." in text
    assert "⚠️" not in text  # a current, official-looking sheet: no superseded warning
    assert result[1].photo is not None and result[1].photo.data.startswith(b"\x89PNG")
    await fresh.db.dispose()


async def test_superseded_sheet_is_flagged_before_and_after(dispatcher: Dispatcher) -> None:
    await producer(dispatcher)
    chosen = await say(dispatcher, action="as:set:1048-rau-cu-qua-hat-tuoi")
    assert (
        "QĐ 1048/QĐ-TTg" in chosen[0].text
        and "đã được thay thế bởi QĐ 148/QĐ-TTg" in chosen[0].text
    )
    assert actions(chosen)[:2] == ["as:go:1048-rau-cu-qua-hat-tuoi", "as:ready"]
    assert "as:wait:148-rau-cu-qua-hat-tuoi" in actions(chosen)
    await say(dispatcher, action="as:go:1048-rau-cu-qua-hat-tuoi")
    replies: list[Reply] = []
    for index in range(31):
        replies = await say(dispatcher, action=f"as:a:{index}:0")
    assert "⚠️ Bộ tiêu chí này thuộc QĐ 1048/QĐ-TTg" in replies[0].text
    assert "bản chép không chính thức" in replies[0].text


async def test_set_without_sheet_offers_checklist_and_a_reminder_when_loaded(
    dispatcher: Dispatcher,
) -> None:
    await producer(dispatcher)
    chosen = await say(dispatcher, action="as:set:148-du-lich-cong-dong")
    assert "chưa được nạp" in chosen[0].text
    assert actions(chosen)[:2] == ["as:ready", "as:wait:148-du-lich-cong-dong"]
    checklist = await say(dispatcher, action="as:ready")
    assert "QĐ 1489/QĐ-TTg" in checklist[0].text
    await say(dispatcher, action="as:wait:148-du-lich-cong-dong")
    nothing_yet = await say(dispatcher, action="as:start")
    assert "đã được nạp" not in nothing_yet[0].text
    await load_tiny(
        dispatcher.db,
        set="148-du-lich-cong-dong",
        name="Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch",
    )
    told = await say(dispatcher, action="as:start")
    assert told[0].text.startswith("🔔 Bộ tiêu chí cho Dịch vụ du lịch cộng đồng")
    assert actions(told)[0] == "as:go:148-du-lich-cong-dong"
    once = await say(dispatcher, action="as:start")
    assert "🔔" not in once[0].text


async def test_results_list_and_compare_the_latest_two_even_after_a_sheet_is_replaced(
    dispatcher: Dispatcher,
) -> None:
    await load_tiny(dispatcher.db)
    await producer(dispatcher)
    for answers in ([1, 0, 0, 0, 0], [2, 1, 1, 1, 0]):
        await say(dispatcher, action="as:set:148-mat-ong-mat-khac")
        for index, option in enumerate(answers):
            await say(dispatcher, action=f"as:a:{index}:{option}")
    await load_tiny(dispatcher.db, source="replaced later")  # an office re-imports the sheet
    listed = await say(dispatcher, "/ketqua")
    text = listed[0].text
    # First: 5 + 10 + 5 + 0 + 0 = 20. Second: 20 + 20 + 25 + 15 + 0 = 80 (4★).
    assert "20 điểm, chưa đạt hạng sao" in text and "80 điểm, 4 sao" in text
    assert "So với lần trước: tổng +60 điểm (A +25, B +20, C +15)." in text
    shown = await say(dispatcher, action=actions(listed)[0])
    assert "Tổng: <b>80/100</b>" in shown[0].text  # read with the sheet it was made with


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
        tg_callback("as:set:148-mat-ong-mat-khac"),
    ):
        assert (await post_update(client, update)).status_code == 200
    assert telegram_api.of("sendMessage")[-1].params["text"].startswith("Bắt đầu tự đánh giá")
    for index, option in enumerate([2, 1, 1, 1, 1]):
        await post_update(client, tg_callback(f"as:a:{index}:{option}"))
    result = telegram_api.of("sendMessage")[-1].params["text"]
    assert "Tổng: <b>100/100</b> → ước tính <b>5 sao</b>" in result
    [photo] = telegram_api.of("sendPhoto")
    assert photo.params["photo"]["filename"].endswith(".png")
    assert photo.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "as:dossier"
    assert len(telegram_api.of("answerCallbackQuery")) == 8  # every button press answered


def test_console_assessment_survives_quitting_midway(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/console.db"}

    def chat(lines: str) -> str:
        return subprocess.run(
            [sys.executable, "-m", "bot.cli", "chat"],
            input=lines,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout

    chat(
        "1\n1\n1\nha noi\n1\nrau\n2\n1\n" + "2\n" * 10
    )  # agrees; 1048 sheet, 10 answers, then quit
    out = chat("2\n" * 21)
    assert "Câu 11/31" in out.split(">")[0]  # resumed on the first unanswered question
    assert "Tổng: 40/100 → ước tính 2 sao" in out
    assert "QĐ 1048/QĐ-TTg, đã được thay thế" in out
