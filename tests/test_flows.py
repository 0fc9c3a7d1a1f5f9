"""Flows without dead ends (issue 12): /stop then /start keeps the profile and officer rights,
approval by the CLI is announced, /help by role, stray inputs answered for the user's role, the
console's numbers kept while a reminder prints, its log lines kept out of the chat, the README."""

from __future__ import annotations

import getpass
import io
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Connection, select

from bot import console
from bot.console import Console
from bot.dispatch import Dispatcher
from bot.messages import Button, Reply, reply_to_dict
from db import repo
from db.models import Mute
from knowledge.criteria import named_sets
from knowledge.language import reply_language
from knowledge.typed_commands import product_then_question, stars_asked, typed_command
from tests.conftest import CliRun, OcopBot, post_update
from tests.factories import tg_message
from tests.stray_cases import PRODUCT_LEAD_CASES, ROLE_CASES, TYPED_COMMAND_CASES
from tests.test_officers import actions, join, make_officer, say

ROOT = Path(__file__).resolve().parent.parent


async def test_stop_then_start_keeps_the_profile_and_officer_rights(
    dispatcher: Dispatcher,
) -> None:
    await make_officer(dispatcher, "boss")
    stopped = await say(dispatcher, "boss", "/stop")
    assert stopped[0].text.startswith("Em sẽ không gửi")
    back = await say(dispatcher, "boss", "/start")
    assert back[0].text.startswith("Chào mừng anh/chị quay lại! Hồ sơ của anh/chị vẫn được giữ")
    assert "Em sẽ gửi lại nhắc hạn và thông báo" in back[0].text
    assert "Vai trò: 🏛" in back[1].text and "Tỉnh/thành: Hà Nội" in back[1].text
    assert back[1].buttons[0][0].label == "✅ Đúng, tiếp tục"
    menu = await say(dispatcher, "boss", f"act:{back[1].buttons[0][0].action}")
    assert "dl:new" in actions(menu) and "bc:new" in actions(menu)
    loaded = await dispatcher.db.run(
        partial(repo.load_user, platform="console", external_id="boss")
    )
    assert loaded is not None
    user = loaded[0]
    assert (user.active, user.role, user.officer_approved) == (True, "officer", True)
    again = await say(dispatcher, "boss", "/start")  # without /stop: the same, no "back on"
    assert "Em sẽ gửi lại" not in again[0].text and again[1].text.startswith("<b>Hồ sơ")


async def test_a_listed_officer_writing_for_the_first_time_is_greeted_not_welcomed_back(
    officer_http: httpx.AsyncClient,
) -> None:
    first = (await post_update(officer_http, tg_message("/start", user_id=4242))).json()
    assert first["text"].startswith("Xin chào anh/chị!")
    roles = [b[0]["text"] for b in first["reply_markup"]["inline_keyboard"]]
    assert "🏛 Cán bộ OCOP ✓" in roles


@pytest.fixture
def chat(
    ocop_bot: OcopBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., CliRun]:
    """`ocop-bot chat` on the SQLite file `db` with `lines` typed; its files (the log, any
    photo) go to the test's directory."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(console, "LOG_FILE", tmp_path / "ocop-bot-chat.log")

    def run(db: Path, lines: str) -> CliRun:
        done = ocop_bot("chat", env={"DATABASE_URL": f"sqlite:///{db}"}, input=lines)
        assert done.returncode == 0, done.stderr
        return done

    return run


def test_cli_approval_is_announced_to_the_user(
    tmp_path: Path, chat: Callable[..., CliRun], ocop_bot: OcopBot
) -> None:
    db = tmp_path / "ocop.db"
    chat(db, "1\n3\nha noi\n")  # agrees, asks for officer rights
    added = ocop_bot(
        "officer", "add", f"console:{getpass.getuser()}", env={"DATABASE_URL": f"sqlite:///{db}"}
    )
    assert added.returncode == 0, added.stderr
    out = chat(db, "").stdout
    assert "Anh/chị đã được duyệt quyền cán bộ OCOP" in out


async def test_help_lists_the_commands_of_the_role(dispatcher: Dispatcher) -> None:
    await join(dispatcher, "farmer", "producer")
    await join(dispatcher, "visitor", "tourist", lang="en")
    await join(dispatcher, "asker", "officer")
    await make_officer(dispatcher, "boss")
    farmer = (await say(dispatcher, "farmer", "/help"))[0].text
    assert "/danhgia" in farmer and "/chungnhan" in farmer and "/lich" in farmer
    assert "/thongbao" not in farmer and "/hanchot" not in farmer
    visitor = (await say(dispatcher, "visitor", "/help"))[0].text
    assert visitor.startswith("For visitors:") and "/danhgia" not in visitor
    assert "/thongbao" not in visitor and "/menu – main menu" in visitor
    asker = (await say(dispatcher, "asker", "/help"))[0].text
    assert "/danhgia" in asker and "/thongbao" not in asker and "đang chờ duyệt" in asker
    boss = (await say(dispatcher, "boss", "/help"))[0].text
    assert all(c in boss for c in ("/danhgia", "/hanchot", "/huyhan", "/thongbao", "/stop"))


async def test_stray_inputs_get_a_reply_for_the_role(dispatcher: Dispatcher) -> None:
    await join(dispatcher, "farmer", "producer")
    number = await say(dispatcher, "farmer", "7")
    assert number[0].text.startswith("Số “7” không ứng với lựa chọn nào")
    assert "as:start" in actions(number) and not any(a.startswith("tp:") for a in actions(number))
    date = await say(dispatcher, "farmer", "ngày mai")
    assert date[0].text.startswith("Em hiểu “ngày mai” là một ngày")
    assert actions(date) == ["rm:list", "m:menu"]
    product = await say(dispatcher, "farmer", "nuoc mam")
    assert product[0].text.startswith("Anh/chị muốn tự đánh giá sản phẩm này")
    assert actions(product)[0] == "as:set:26-tuong-nuoc-mam"
    started = await say(dispatcher, "farmer", f"act:{actions(product)[0]}")
    assert any(a.startswith("as:a:0:") for a in actions(started))  # the first criterion
    await make_officer(dispatcher, "boss")
    officer_date = await say(dispatcher, "boss", "15/12")
    assert actions(officer_date) == ["rm:list", "dl:new", "m:menu"]
    await join(dispatcher, "visitor", "tourist")
    visitor = await say(dispatcher, "visitor", "ngay mai")
    assert visitor[0].text.startswith("Xin lỗi, em chưa hiểu “ngay mai”")
    assert not any(a.startswith("tp:d:") for a in actions(visitor))


@pytest.mark.parametrize(("category", "typed", "expected"), PRODUCT_LEAD_CASES)
async def test_a_product_name_at_the_menu_leads_to_its_self_assessment(
    dispatcher: Dispatcher, category: str, typed: str, expected: str | None
) -> None:
    await join(dispatcher, "farmer", "producer")
    replies = await say(dispatcher, "farmer", typed)
    offered = [a for a in actions(replies) if a.startswith("as:set:")]
    if expected is None:
        assert not offered, category
    else:
        assert offered and offered[0] == f"as:set:{expected}", (
            category,
            [r.text for r in replies],
        )


@pytest.mark.parametrize(("category", "typed", "expected"), ROLE_CASES)
async def test_a_role_typed_in_words_is_understood_or_asked_again(
    dispatcher: Dispatcher, category: str, typed: str, expected: str | None
) -> None:
    await say(dispatcher, "newcomer", "/start")
    replies = await say(dispatcher, "newcomer", typed)
    loaded = await dispatcher.db.run(
        partial(repo.load_user, platform="console", external_id="newcomer")
    )
    assert loaded is not None
    assert loaded[0].role == expected, category
    if expected is None:
        assert replies[0].text == "Anh/chị vui lòng bấm một nút bên dưới."
        assert [a for a in actions(replies) if a.startswith("ob:role:")]


@pytest.mark.parametrize(
    ("typed", "role", "province"),
    [
        ("toi o Hoi An, lam nong dan", "producer", 21),
        ("I'm a tourist in Phu Quoc", "tourist", 32),
        ("toi la can bo OCOP huyen Bat Xat", "officer", 9),
        ("em lam ca phe o buon me thuot", "producer", 25),
    ],
)
async def test_a_role_said_with_a_town_sets_the_town_s_province(
    dispatcher: Dispatcher, typed: str, role: str, province: int
) -> None:
    """A role sentence naming a town, former district or commune sets its 2025 province too:
    the province is not asked and the user is told which one was saved."""
    await say(dispatcher, "newcomer", "/start")
    replies = await say(dispatcher, "newcomer", typed)
    loaded = await dispatcher.db.run(
        partial(repo.load_user, platform="console", external_id="newcomer")
    )
    assert loaded is not None
    assert (loaded[0].role, loaded[0].province_code) == (role, province)
    assert "Đã lưu tỉnh/thành" in "\n".join(r.text for r in replies)
    assert not any(a.startswith("ob:prov:") for a in actions(replies))


async def test_a_reminder_printed_mid_question_keeps_the_question_numbers(
    dispatcher: Dispatcher,
) -> None:
    reminder = Reply(
        text="⏰ Còn 7 ngày: Nộp hồ sơ",
        buttons=(
            (Button("🔕 Tắt nhắc mốc này", "rm:mute:7"), Button("🔕 Tắt mọi nhắc", "rm:mute:0")),
        ),
    )
    await dispatcher.db.run(
        partial(
            repo.enqueue,
            platform="console",
            chat_id="tester",
            user_id=None,
            kind="reminder",
            payload=[reply_to_dict(reminder)],
            now=datetime.now(UTC),
        )
    )
    out = io.StringIO()
    await Console(dispatcher, "tester", out).run(io.StringIO("1\n"))
    shown = out.getvalue()
    # The role question (three roles, two languages) is numbered 1-5; the reminder printed
    # after it goes on with 6 and 7.
    assert "  1. 🧑‍🌾 Chủ thể sản xuất" in shown and "  6. 🔕 Tắt nhắc mốc này" in shown
    assert "Anh/chị muốn dùng ngôn ngữ nào?" in shown  # "1" chose the producer role
    assert "Đã tắt" not in shown

    def mutes(connection: Connection) -> list[int]:
        return list(connection.execute(select(Mute.deadline_id)).scalars())

    assert await dispatcher.db.run(mutes) == []
    loaded = await dispatcher.db.run(
        partial(repo.load_user, platform="console", external_id="tester")
    )
    assert loaded is not None and loaded[0].role == "producer"


def test_console_log_lines_go_to_a_file_not_the_chat(
    tmp_path: Path, chat: Callable[..., CliRun]
) -> None:
    done = chat(tmp_path / "ocop.db", "1\n/hanchot\n")  # agrees; refused, logged
    assert "Xin lỗi, chức năng này chỉ dành cho cán bộ OCOP" in done.stdout
    assert done.stderr == ""
    assert "refused" not in done.stdout
    log = (tmp_path / "ocop-bot-chat.log").read_text(encoding="utf-8")
    assert f"refused /hanchot to console:{getpass.getuser()}" in log
    assert f"(log: {tmp_path / 'ocop-bot-chat.log'})" in done.stdout


def test_readme_tells_a_newcomer_how_to_resume_and_who_the_console_user_is() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "`.venv/bin/ocop-bot chat`" in readme  # how to resume without an activated venv
    assert "the next `ocop-bot chat`" not in readme
    assert "`console:<login name>`" in readme
    assert "directory it was started in" in readme


@pytest.mark.parametrize(("category", "typed", "expected"), TYPED_COMMAND_CASES)
async def test_a_command_typed_in_words_at_the_menu_runs_as_typed(
    dispatcher: Dispatcher, category: str, typed: str, expected: str | None
) -> None:
    """ "xóa dữ liệu của tôi" is /delete (it once got the stars FAQ answer); a longer question
    with the same words is not a command. Typed in English, it is answered as the command is
    for an English setting."""
    assert typed_command(typed) == expected, category
    if expected is None:
        return
    await join(dispatcher, "farmer", "producer")
    replies = await say(dispatcher, "farmer", typed)
    await join(dispatcher, "twin", "producer", lang=reply_language(typed, "vi") or "vi")
    command_replies = await say(dispatcher, "twin", f"/{expected}")
    assert [r.text for r in replies] == [r.text for r in command_replies], category


@pytest.mark.parametrize(
    ("typed", "product"),
    [
        ("nuoc mam phu quoc dc may sao", "26-tuong-nuoc-mam"),  # no comma (was declined)
        ("mat ong ha giang duoc bao nhieu diem", "26-mat-ong-mat-khac"),
        ("fish sauce from phu quoc how many stars", "26-tuong-nuoc-mam"),
        ("HTX em lam che, duoc may sao", "26-che-tuoi-che-bien"),
        ("lang gom bat trang may sao", None),  # a place's stars, no product of theirs
        ("bao nhieu diem thi duoc 3 sao", None),
    ],
)
def test_a_product_then_its_stars_in_one_message_is_split_with_or_without_a_comma(
    typed: str, product: str | None
) -> None:
    split = product_then_question(typed)
    if product is None:
        assert split is None
        return
    assert split is not None and stars_asked(split[1])
    assert named_sets(split[0])[0].code == product
