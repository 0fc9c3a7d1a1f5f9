"""The console door as a user meets it: `ocop-bot chat` with scripted input (in-process; a
real process where it is killed)."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.console import render, to_incoming
from bot.messages import Button, GeoPoint, Reply, Venue
from tests import processes
from tests.conftest import OcopBot


@pytest.fixture
def run_chat(ocop_bot: OcopBot) -> Callable[[Path, str], str]:
    """`ocop-bot chat` on the SQLite file `db` with `lines` typed; what it printed."""

    def chat(db: Path, lines: str) -> str:
        done = ocop_bot("chat", env={"DATABASE_URL": f"sqlite:///{db}"}, input=lines)
        assert done.returncode == 0, done.stderr
        return done.stdout

    return chat


def test_first_run_creates_the_database_and_onboards_by_number_and_label(
    tmp_path: Path, run_chat: Callable[[Path, str], str]
) -> None:
    db = tmp_path / "new.db"
    # English chosen by its label on the privacy notice, agreed by label, producer by number
    out = run_chat(db, "English\nI agree\n1\nvinh phuc\n")
    assert db.exists()
    assert "Xin chào anh/chị" in out
    assert "  1. 🧑‍🌾 Producer (household, cooperative, firm)" in out
    assert "Which language would you like?" not in out  # chosen on the notice already
    assert "Vĩnh Phúc is now part of Phú Thọ" in out  # answered in English once chosen
    assert "Province saved: Phú Thọ." in out  # HTML tags removed for the terminal
    assert "What would you like to do?" in out


def test_unknown_input_gets_a_helpful_answer_with_choices(
    tmp_path: Path, run_chat: Callable[[Path, str], str]
) -> None:
    out = run_chat(tmp_path / "c.db", "1\n2\nasdfgh\n")
    assert "Xin lỗi, em chưa hiểu “asdfgh”" in out
    assert "❓ Trợ giúp" in out
    assert "Traceback" not in out


@pytest.mark.waits
def test_killed_mid_onboarding_resumes_at_the_same_step(
    tmp_path: Path, run_chat: Callable[[Path, str], str]
) -> None:
    db = tmp_path / "resume.db"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}"}
    typed, typing = os.pipe()
    screen = tmp_path / "screen.txt"
    proc = processes.start(["chat"], env, stdin=typed, output=screen)
    os.close(typed)
    os.write(typing, b"1\n1\n")  # agrees (Vietnamese), producer → asked the province
    deadline = time.monotonic() + 30
    while "tỉnh/thành nào" not in screen.read_text() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert "tỉnh/thành nào" in screen.read_text()
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    os.close(typing)
    out = run_chat(db, "ha tay\n")
    assert "Xin chào" not in out, "a restart must not start onboarding over"
    assert out.index("tỉnh/thành nào") < out.index("Đã lưu tỉnh/thành: Hà Nội")


def test_render_numbers_buttons_across_replies() -> None:
    text = render(
        Reply(text="<b>A</b> &amp; B", buttons=((Button("x", "a:1"), Button("y", "a:2")),)),
        first_number=3,
    )
    assert text == "A & B\n  3. x\n  4. y"


def test_a_venue_is_shown_with_a_map_link() -> None:
    venue = Venue(GeoPoint(20.983, 105.917), "Làng gốm Bát Tràng", "Gia Lâm, Hà Nội")
    assert render(Reply(venue=venue)) == (
        "📍 Làng gốm Bát Tràng — Gia Lâm, Hà Nội\n"
        "   https://www.openstreetmap.org/?mlat=20.983&mlon=105.917"
    )


def test_typed_number_label_or_location_become_the_right_incoming() -> None:
    options = [Button("🧳 Du khách", "ob:role:tourist"), Button("Bỏ qua", "ob:skip")]
    assert to_incoming("2", options, "me").action == "ob:skip"
    assert to_incoming("bo qua", options, "me").action == "ob:skip"
    assert to_incoming("3", options, "me").text == "3"
    assert to_incoming("/location 21.03, 105.85", options, "me").location == GeoPoint(
        21.03, 105.85
    )


def test_console_user_gets_due_reminders_before_the_prompt(
    tmp_path: Path, run_chat: Callable[[Path, str], str]
) -> None:
    import asyncio
    from datetime import UTC, datetime, timedelta
    from functools import partial

    from db import repo
    from db.session import Database

    db_path = tmp_path / "remind.db"
    run_chat(db_path, "1\n1\nha noi\n")  # agrees; a producer in Hà Nội

    async def publish() -> None:
        db = Database(f"sqlite:///{db_path}")
        now = datetime.now(UTC)
        await db.run(
            partial(
                repo.add_deadline,
                title="Nộp hồ sơ đợt 3",
                due_at=now + timedelta(days=10),
                provinces=[1],
                link="",
                created_by=None,
                now=now,
            )
        )
        await db.dispose()

    asyncio.run(publish())
    out = run_chat(db_path, "/lich\n")
    assert "⏰ Còn 10 ngày: Nộp hồ sơ đợt 3" in out  # the days left, not the 30-day mark's name
    assert out.count("⏰ Còn") == 1
    again = run_chat(db_path, "")
    assert "⏰" not in again  # delivered once


def test_console_user_made_officer_publishes_a_deadline(
    tmp_path: Path, run_chat: Callable[[Path, str], str], ocop_bot: OcopBot
) -> None:
    db_path = tmp_path / "officer.db"
    run_chat(db_path, "1\n3\nha noi\n")  # agrees; asks for officer rights
    import getpass

    env = {"DATABASE_URL": f"sqlite:///{db_path}"}
    done = ocop_bot("officer", "add", f"console:{getpass.getuser()}", env=env)
    assert done.returncode == 0, done.stderr
    listed = ocop_bot("officer", "list", env=env).stdout
    assert f"console\t{getpass.getuser()}\tofficer" in listed
    out = run_chat(
        db_path, "/hanchot\nHạn nộp hồ sơ đợt 4\n20/12/2099 17:00\n1\n1\n1\n1\n1\n/huyhan\n"
    )  # nationwide, group, no link, publish, and yes, nationwide (from a Hà Nội officer)
    assert "Xem lại" in out and "Hạn nộp hồ sơ đợt 4" in out
    assert "Anh/chị là cán bộ Hà Nội, nhưng mốc này đang đặt cho toàn quốc" in out
    assert "Đã đăng “Hạn nộp hồ sơ đợt 4”" in out
    assert "20/12/2099 Hạn nộp hồ sơ đợt 4" in out
