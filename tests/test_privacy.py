"""Personal data (Law 91/2025/QH15, Decree 356/2025/NĐ-CP): consent at first contact, /privacy,
/mydata and /delete on every door and from the command line, retention, backup and restore."""

from __future__ import annotations

import asyncio
import io
import json
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Connection, select, text

from bot.cli import main
from bot.console import Console
from bot.dispatch import Dispatcher
from bot.messages import Document, GeoPoint, Incoming, Reply
from bot.retention import apply_retention
from bot.settings import Settings
from bot.zalo import ZaloClient
from db import privacy, repo
from db.models import Base, Outbox, utcnow
from db.session import Database
from handlers.consent import NOTICE_VERSION
from knowledge.language import written_in
from tests.conftest import console_msg, post_update
from tests.factories import tg_callback, tg_message
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.zalo_api import FakeZalo
from tests.stray_cases import CONSENT_CASES, CONSENT_LANGUAGE_CASES
from tests.test_zalo import (  # noqa: F401 - the Zalo door's fixtures
    event,
    fake_zalo_server,
    http,
    zalo_api,
    zalo_app,
    zalo_settings,
)
from tests.test_zalo import post as zalo_post

pytestmark = pytest.mark.consent

T0 = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)
NAME = "Nguyễn Thị Xoá"
EXTERNAL = "erase-me-7731"


class Clock:
    """A clock the test moves."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def core(settings: Settings) -> AsyncIterator[tuple[Dispatcher, Clock]]:
    """The conversation core with a clock the test moves."""
    db = Database(settings.DATABASE_URL)
    await db.upgrade()
    clock = Clock()
    yield Dispatcher(db, settings, clock=clock), clock
    await db.dispose()


async def cli(argv: list[str]) -> int:
    """`ocop-bot ARGV` in-process (on a thread: it runs its own event loop)."""
    return await asyncio.to_thread(main, argv)


def texts(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


def actions(replies: list[Reply]) -> list[str]:
    return [b.action for r in replies for b in r.all_buttons]


def rows_per_table(connection: Connection) -> dict[str, int]:
    return {
        t.name: len(connection.execute(select(t)).all())
        for t in Base.metadata.sorted_tables
        if t.name not in ("alembic_version",)
    }


def user_of(db: Database, external_id: str) -> Any:
    return db.run(partial(repo.load_user, platform="console", external_id=external_id))


async def agree(dispatcher: Dispatcher, user: str = "u1", **kw: Any) -> list[Reply]:
    await dispatcher.process(console_msg("/start", user=user, **kw))
    return (
        await dispatcher.process(console_msg(action=f"cs:yes:{NOTICE_VERSION}", user=user, **kw))
    ).replies


# Consent ---------------------------------------------------------------------------------------


async def test_first_contact_asks_with_two_equal_buttons_and_keeps_only_the_question(
    core: tuple[Dispatcher, Clock],
) -> None:
    dispatcher, _ = core
    msg = console_msg("gan Hoi An", display_name=NAME, update_id="1")
    replies = (await dispatcher.process(msg)).replies
    notice = replies[-1]
    assert "Trước khi bắt đầu" in notice.text
    assert "Lưu gì" in notice.text and "Bao lâu" in notice.text and "Ai xem" in notice.text
    assert "60 phút" in notice.text and "30 ngày" in notice.text
    assert len(notice.buttons[0]) == 2  # side by side
    # the console does not tell the user's language: the only other row is the language choice
    assert [b.action for row in notice.buttons[1:] for b in row] == ["m:lang:vi", "m:lang:en"]
    agree_button, decline_button = notice.buttons[0]
    assert (agree_button.label, decline_button.label) == ("Đồng ý", "Không đồng ý")
    assert not any("✓" in b.label or "•" in b.label for b in notice.buttons[0])  # none chosen
    again = (await dispatcher.process(console_msg("/danhgia", update_id="2"))).replies
    assert "Trước khi bắt đầu" in texts(again)  # nothing else until answered
    typed = (await dispatcher.process(console_msg("toi muon danh gia", update_id="3"))).replies
    assert "bấm một nút bên dưới" in texts(typed) and "có đồng ý không" in texts(typed)
    user, conv = await user_of(dispatcher.db, "u1")
    assert (user.display_name, user.role, user.consent_version) == ("", None, None)
    assert (conv.flow, conv.step, conv.data) == (
        "consent",
        "ask",
        {"offer_language": True, "language_said": False, "held": "toi muon danh gia"},
    )  # the question, until the notice is answered
    counts = await dispatcher.db.run(rows_per_table)
    held = {name: n for name, n in counts.items() if n}
    assert held == {"users": 1, "conversations": 1, "processed_updates": 3}


FIRST_QUESTIONS = [
    # (typed as the very first message, a button of its answer, the language answered in)
    ("ocop la gi", "faq:d:what_is_ocop", "vi"),
    ("OCOP là gì vậy em", "faq:d:what_is_ocop", "vi"),
    ("lang gom gan Hue", "tp:d:", "vi"),
    ("what is OCOP", "faq:d:what_is_ocop", "en"),
    ("craft villages near Hoi An", "tp:d:", "en"),
]


@pytest.mark.parametrize(("typed", "answer", "language"), FIRST_QUESTIONS)
async def test_a_question_typed_before_the_notice_is_answered_once_agreed(
    core: tuple[Dispatcher, Clock], typed: str, answer: str, language: str
) -> None:
    """A first message that is a question gets the notice; the question waits in the
    conversation state only (nothing in the user's record) and is answered when the user
    agrees, after the thanks and before the first step; then it is gone."""
    dispatcher, _ = core
    notice = (await dispatcher.process(console_msg(typed, display_name=NAME))).replies
    assert "Trước khi bắt đầu" in texts(notice) or "Before we start" in texts(notice)
    assert "Em sẽ trả lời câu hỏi" in texts(notice) or "I will answer your" in texts(notice)
    user, conv = await user_of(dispatcher.db, "u1")
    assert (user.display_name, user.role, user.province_code) == ("", None, None)
    assert conv.flow == "consent"
    agreed = (await dispatcher.process(console_msg(action=actions(notice)[0]))).replies
    thanks = "ghi nhận sự đồng ý" if language == "vi" else "consent is recorded"
    assert thanks in agreed[0].text
    assert any(a.startswith(answer) for a in actions(agreed[1:-1])), texts(agreed)
    role = "Anh/chị là:" if language == "vi" else "Which best describes you?"
    assert role in agreed[-1].text and "ob:role:producer" in actions(agreed[-1:])
    _, conv = await user_of(dispatcher.db, "u1")
    assert typed not in json.dumps(conv.data, ensure_ascii=False)


async def test_the_notice_shown_again_in_another_language_still_promises_the_answer(
    core: tuple[Dispatcher, Clock],
) -> None:
    """Switching the notice's language shows it whole again: the question held is said to be
    answered there too, and it is, once agreed."""
    dispatcher, _ = core
    notice = (await dispatcher.process(console_msg("what is OCOP"))).replies
    switch = next(a for a in actions(notice) if a.endswith(":vi"))
    again = (await dispatcher.process(console_msg(action=switch))).replies
    assert "Trước khi bắt đầu" in texts(again) and "Em sẽ trả lời câu hỏi" in texts(again)
    agreed = (await dispatcher.process(console_msg(action=actions(again)[0]))).replies
    assert any(a.startswith("faq:d:what_is_ocop") for a in actions(agreed)), texts(agreed)


async def test_a_question_typed_at_the_notice_then_agreed_in_words_or_declined(
    core: tuple[Dispatcher, Clock],
) -> None:
    """On the console the notice comes first: the question typed at it waits too, answered
    when "đồng ý" is typed; a greeting or an "ok" typed after it does not replace it. Who
    declines gets it answered as well (it needs nothing stored), and it is not kept."""
    dispatcher, _ = core
    await dispatcher.process(console_msg("/start"))
    await dispatcher.process(console_msg("ho so dang ky ocop gom nhung gi"))
    await dispatcher.process(console_msg("ok"))
    agreed = (await dispatcher.process(console_msg("dong y"))).replies
    assert "Điều 6" in texts(agreed) and "ob:role:producer" in actions(agreed)

    await dispatcher.process(console_msg("/start", user="u2"))
    await dispatcher.process(console_msg("xin chao", user="u2"))
    await dispatcher.process(console_msg("lang gom gan Hue", user="u2"))
    await dispatcher.process(console_msg("chao em", user="u2"))
    declined = (await dispatcher.process(console_msg("khong dong y", user="u2"))).replies
    said = texts(declined)
    assert "tôn trọng lựa chọn" in said and "Huế" in said
    assert f"cs:yes:{NOTICE_VERSION}" in actions(declined)
    user, conv = await user_of(dispatcher.db, "u2")
    assert (user.consent_given, user.role) == (False, None)
    assert "gom" not in json.dumps(conv.data)
    # a plain notice agreed to has nothing waiting: the first step only
    await dispatcher.process(console_msg("/start", user="u3"))
    agreed = await dispatcher.process(console_msg(action=f"cs:yes:{NOTICE_VERSION}", user="u3"))
    assert texts(agreed.replies).count("\n") < 6


async def test_a_role_said_before_the_notice_is_taken_once_agreed(
    core: tuple[Dispatcher, Clock],
) -> None:
    """ "toi lam nong dan o Tay Ninh" as the first message: once agreed, it answers the role
    (and the province) instead of the question being asked."""
    dispatcher, _ = core
    notice = (await dispatcher.process(console_msg("toi lam nong dan o Tay Ninh"))).replies
    assert "Em sẽ trả lời câu hỏi" not in texts(notice)  # no question: a role, taken after
    agreed = (await dispatcher.process(console_msg(action=actions(notice)[0]))).replies
    assert "Anh/chị là:" not in texts(agreed)
    user, _ = await user_of(dispatcher.db, "u1")
    assert (user.role, user.province_code) == ("producer", 27)


async def test_a_location_sent_before_answering_is_not_kept(
    core: tuple[Dispatcher, Clock],
) -> None:
    dispatcher, _ = core
    replies = (
        await dispatcher.process(console_msg(location=GeoPoint(21.03, 105.85), update_id="9"))
    ).replies
    assert "Trước khi bắt đầu" in texts(replies)
    _, conv = await user_of(dispatcher.db, "u1")
    assert "here" not in conv.data
    stored = await dispatcher.db.run(
        lambda c: c.execute(text("SELECT replies FROM processed_updates")).scalar_one()
    )
    assert "21.03" not in stored and "105.85" not in stored


async def test_agreeing_records_version_time_and_door_then_onboards(
    core: tuple[Dispatcher, Clock],
) -> None:
    dispatcher, clock = core
    replies = await agree(dispatcher, display_name=NAME)
    assert "ghi nhận sự đồng ý" in texts(replies)
    assert "Xin chào anh/chị" in texts(replies)
    assert "ob:role:producer" in actions(replies)
    user, _ = await user_of(dispatcher.db, "u1")
    assert (user.consent_version, user.consent_given) == (NOTICE_VERSION, True)
    log = await dispatcher.db.run(partial(privacy.last_consent, user_id=user.id))
    assert log == (NOTICE_VERSION, True, clock.now)
    platform = await dispatcher.db.run(
        lambda c: c.execute(text("SELECT platform FROM consent_log")).scalar_one()
    )
    assert platform == "console"
    await dispatcher.process(console_msg(action="ob:role:producer", display_name=NAME))
    user, _ = await user_of(dispatcher.db, "u1")
    assert (user.role, user.display_name) == ("producer", NAME)  # kept once agreed


async def test_declining_is_polite_keeps_nothing_and_leaves_what_works(
    core: tuple[Dispatcher, Clock],
) -> None:
    dispatcher, _ = core
    await dispatcher.process(console_msg("/start", display_name=NAME))
    replies = (
        await dispatcher.process(console_msg(action=f"cs:no:{NOTICE_VERSION}", display_name=NAME))
    ).replies
    said = texts(replies)
    assert "tôn trọng lựa chọn" in said and "vẫn có thể" in said
    assert {f"cs:yes:{NOTICE_VERSION}", "faq:list", "pv:notice"} <= set(actions(replies))
    user, conv = await user_of(dispatcher.db, "u1")
    assert (user.consent_version, user.consent_given, user.display_name) == (
        NOTICE_VERSION,
        False,
        "",
    )
    assert await dispatcher.db.run(partial(privacy.last_consent, user_id=user.id)) == (
        NOTICE_VERSION,
        False,
        T0,
    )
    # What needs nothing stored still works: a FAQ question, a place by name, a location.
    faq = (await dispatcher.process(console_msg("ho so dang ky ocop gom nhung gi"))).replies
    assert "Điều 6" in texts(faq)  # the short answer, then its details
    details = (await dispatcher.process(console_msg(action="faq:d:dossier"))).replies
    assert "Căn cứ: QĐ 26/2026/QĐ-TTg" in texts(details)
    near = (await dispatcher.process(console_msg("gan Hoi An"))).replies
    assert "Hội An" in texts(near)
    here = (await dispatcher.process(console_msg(location=GeoPoint(21.0285, 105.8542)))).replies
    assert any(a.startswith("tp:d:") for a in actions(here))
    _, conv = await user_of(dispatcher.db, "u1")
    assert "here" not in conv.data
    # What needs storing answers with the choices again, never a dead end.
    refused = (await dispatcher.process(console_msg("/danhgia"))).replies
    assert "cần lưu thông tin của anh/chị nên em chưa làm được" in texts(refused)
    assert f"cs:yes:{NOTICE_VERSION}" in actions(refused)
    # Changing one's mind later onboards.
    later = (await dispatcher.process(console_msg(action=f"cs:yes:{NOTICE_VERSION}"))).replies
    assert "ob:role:producer" in actions(later)


async def test_announcements_reach_only_people_who_agreed(
    core: tuple[Dispatcher, Clock],
) -> None:
    """An officer's "everyone" leaves out who declined the notice and who has not answered."""
    dispatcher, _ = core
    officer = dispatcher.settings.model_copy(update={"OFFICER_TELEGRAM_IDS": (4242,)})
    bot = Dispatcher(dispatcher.db, officer, clock=dispatcher.clock)

    def tg(user: int, **kw: Any) -> Incoming:
        return Incoming(platform="telegram", user_id=str(user), chat_id=str(user), **kw)

    for user, answer in ((4242, "yes"), (1, "yes"), (2, "no")):
        await bot.process(tg(user, text="/start"))
        await bot.process(tg(user, action=f"cs:{answer}:{NOTICE_VERSION}"))
    await bot.process(tg(4242, action="ob:role:officer"))
    await bot.process(tg(3, text="/start"))  # reads the notice, answers nothing
    await bot.process(tg(4242, text="/thongbao"))
    panel = (await bot.process(tg(4242, text="Hội chợ OCOP tháng 12"))).replies
    assert "— 2 người nhận" in texts(panel)  # the officer and the one who agreed
    for step in ("bc:preview", "bc:go", "bc:go:all"):  # nationwide, so confirmed
        await bot.process(tg(4242, action=step))

    def chats(connection: Connection) -> set[str]:
        rows = connection.execute(select(Outbox.chat_id).where(Outbox.kind == "broadcast"))
        return {chat for (chat,) in rows}

    assert await dispatcher.db.run(chats) == {"4242", "1"}


async def test_a_button_of_an_older_notice_shows_the_current_one(
    core: tuple[Dispatcher, Clock],
) -> None:
    dispatcher, _ = core
    await dispatcher.process(console_msg("/start"))
    replies = (await dispatcher.process(console_msg(action="cs:yes:v0"))).replies
    assert f"cs:yes:{NOTICE_VERSION}" in actions(replies)
    user, _ = await user_of(dispatcher.db, "u1")
    assert user.consent_version is None


async def test_text_typed_at_the_notice_gets_the_question_again_not_the_notice(
    core: tuple[Dispatcher, Clock],
) -> None:
    """The notice is just above: typing what is no clear answer ("yes ok") is answered with the
    two buttons and a line, not the whole notice again (about 900 characters on a cheap phone)."""
    dispatcher, _ = core
    first = (await dispatcher.process(console_msg("/start"))).replies
    again = (await dispatcher.process(console_msg("yes ok"))).replies
    assert "Trước khi bắt đầu" in texts(first) and "Trước khi bắt đầu" not in texts(again)
    assert "bấm một nút" in texts(again) and "có đồng ý không" in texts(again)
    assert (
        actions(again)[:2]
        == actions(first)[:2]
        == [
            f"cs:yes:{NOTICE_VERSION}",
            f"cs:no:{NOTICE_VERSION}",
        ]
    )
    assert len(texts(again)) < 200
    replies = (await dispatcher.process(console_msg("/start"))).replies
    assert "Trước khi bắt đầu" in texts(replies)  # asked for: the whole notice


@pytest.mark.parametrize(("category", "typed", "expected"), CONSENT_CASES)
async def test_an_answer_typed_at_the_notice_counts_only_when_clear(
    core: tuple[Dispatcher, Clock], category: str, typed: str, expected: str | None
) -> None:
    """ "đồng ý ạ" agrees, "I don't agree" declines, both recorded as the buttons would; "ok"
    alone, "để sau" or a question gets the question again with the buttons, never the notice."""
    dispatcher, _ = core
    await dispatcher.process(console_msg("/start"))
    replies = (await dispatcher.process(console_msg(typed))).replies
    user, _ = await user_of(dispatcher.db, "u1")
    log = await dispatcher.db.run(partial(privacy.last_consent, user_id=user.id))
    if expected is None and written_in(typed) == "en":  # the notice, in English this time
        assert log is None and user.consent_version is None, category
        assert "Before we start" in texts(replies) and "Do you agree?" in texts(replies)
    elif expected is None:
        assert log is None and user.consent_version is None, category
        assert "bấm một nút" in texts(replies) and len(texts(replies)) < 200
        assert actions(replies)[:2] == [f"cs:yes:{NOTICE_VERSION}", f"cs:no:{NOTICE_VERSION}"]
    else:
        assert log is not None and log[:2] == (NOTICE_VERSION, expected == "agree"), category
        assert ("ob:role:producer" in actions(replies)) == (expected == "agree")


@pytest.mark.parametrize(("category", "typed", "language"), CONSENT_LANGUAGE_CASES)
async def test_a_first_message_at_the_notice_is_answered_in_its_language(
    core: tuple[Dispatcher, Clock], category: str, typed: str, language: str
) -> None:
    """On the console (no language from the door) a first message confidently in English gets
    the whole notice in English, and English is the setting until the user picks another; one
    in Vietnamese, or not clearly either, gets the short question in Vietnamese."""
    dispatcher, _ = core
    await dispatcher.process(console_msg("/start"))
    replies = (await dispatcher.process(console_msg(typed))).replies
    user, _ = await user_of(dispatcher.db, "u1")
    assert (user.locale, user.consent_version) == (language, None), category
    buttons = [b.label for b in replies[-1].buttons[0]]
    if language == "en":
        assert "Before we start" in texts(replies) and "Do you agree?" in texts(replies)
        assert buttons == ["I agree", "I don't agree"] and "m:lang:vi" in actions(replies)
        agreed = (await dispatcher.process(console_msg(action=actions(replies)[0]))).replies
        assert "Hello! I am the OCOP assistant" in texts(agreed)  # a role said is taken
    else:
        assert "bấm một nút" in texts(replies) and "có đồng ý không" in texts(replies)
        assert buttons == ["Đồng ý", "Không đồng ý"]


async def test_a_typed_yes_after_an_english_question_keeps_english_chosen(
    core: tuple[Dispatcher, Clock],
) -> None:
    """The console user's English question set the language: a bare "yes" (either language's)
    agrees, and neither the first screen nor the step after the role asks the language again
    (they did, and a question typed there got "Please tap one of the buttons"); the role said
    before the notice is taken."""
    dispatcher, _ = core
    await dispatcher.process(console_msg("hello, I am a tourist"))
    agreed = (await dispatcher.process(console_msg("yes"))).replies
    assert "What would you like to do?" in texts(agreed)
    assert not any(a.startswith(("ob:first:", "ob:lang:")) for a in actions(agreed))
    user, _ = await user_of(dispatcher.db, "u1")
    assert (user.locale, user.role) == ("en", "tourist")
    await dispatcher.process(console_msg("/start", user="u2"))
    await dispatcher.process(console_msg("hello, what can you do?", user="u2"))
    agreed = (await dispatcher.process(console_msg("yes", user="u2"))).replies
    assert "Which best describes you?" in texts(agreed)
    role = (await dispatcher.process(console_msg(action="ob:role:tourist", user="u2"))).replies
    assert "Which language" not in texts(role)


async def test_an_english_message_at_the_notice_with_a_vietnamese_door_is_answered_in_english(
    core: tuple[Dispatcher, Clock],
) -> None:
    """Where the door tells the language (Telegram: vi) an English message gets the notice in
    English without changing the setting, and the buttons pressed under it answer in English;
    the message is the first one (no /start before it)."""
    dispatcher, _ = core
    hinted = partial(console_msg, locale_hint="vi")
    replies = (await dispatcher.process(hinted("hello, what data do you keep?"))).replies
    assert "Before we start" in texts(replies)
    user, _ = await user_of(dispatcher.db, "u1")
    assert user.locale == "vi"
    agreed = (await dispatcher.process(hinted(action=actions(replies)[0]))).replies
    assert "Thank" in texts(agreed)


async def test_typed_all_the_way_the_notice_then_the_role_in_a_sentence(
    core: tuple[Dispatcher, Clock],
) -> None:
    """Without a button: "ok" is asked again; "ok em dong y" agrees in Vietnamese, "I agree" in
    English (the language the console could not tell), a bare "yes" leaves the language offered;
    then a sentence picks the role."""
    dispatcher, _ = core
    await dispatcher.process(console_msg("/start"))
    again = (await dispatcher.process(console_msg("ok"))).replies
    assert "có đồng ý không" in texts(again)
    agreed = (await dispatcher.process(console_msg("ok em dong y"))).replies
    assert "Anh/chị là:" in texts(agreed) and "ob:first:en" not in actions(agreed)
    await dispatcher.process(console_msg("e lam banh trang o tay ninh"))
    user, _ = await user_of(dispatcher.db, "u1")
    assert (user.consent_given, user.role, user.locale) == (True, "producer", "vi")

    await dispatcher.process(console_msg("/start", user="u2"))
    agreed = (await dispatcher.process(console_msg("I agree", user="u2"))).replies
    assert "Which best describes you?" in texts(agreed)
    await dispatcher.process(console_msg("I'm a tourist visiting Hanoi", user="u2"))
    user, _ = await user_of(dispatcher.db, "u2")
    assert (user.consent_given, user.role, user.locale) == (True, "tourist", "en")

    await dispatcher.process(console_msg("/start", user="u3"))
    agreed = (await dispatcher.process(console_msg("yes", user="u3"))).replies
    assert "ob:first:en" in actions(agreed)  # which language "yes" is in, nobody knows


async def test_agreement_typed_after_declining_counts_a_refusal_typed_again_does_not(
    core: tuple[Dispatcher, Clock],
) -> None:
    dispatcher, _ = core
    await dispatcher.process(console_msg("/start"))
    await dispatcher.process(console_msg("I don't agree"))
    still = (await dispatcher.process(console_msg("no"))).replies
    assert f"cs:yes:{NOTICE_VERSION}" in actions(still)
    user, _ = await user_of(dispatcher.db, "u1")
    assert (user.consent_version, user.consent_given) == (NOTICE_VERSION, False)
    await dispatcher.process(console_msg("I agree"))
    user, _ = await user_of(dispatcher.db, "u1")
    assert (user.consent_version, user.consent_given) == (NOTICE_VERSION, True)


async def test_language_can_change_before_answering(core: tuple[Dispatcher, Clock]) -> None:
    dispatcher, _ = core
    await dispatcher.process(console_msg("/start"))
    replies = (await dispatcher.process(console_msg(action="m:lang:en"))).replies
    assert "Before we start" in texts(replies) and "Do you agree?" in texts(replies)
    assert [b.label for b in replies[-1].buttons[0]] == ["I agree", "I don't agree"]


async def test_privacy_shows_the_notice_and_the_answer_given(
    core: tuple[Dispatcher, Clock],
) -> None:
    dispatcher, _ = core
    await agree(dispatcher)
    replies = (await dispatcher.process(console_msg("/privacy"))).replies
    said = texts(replies)
    assert "Lưu gì" in said and "đã đồng ý lúc 29/11/2026 08:00 UTC (phiên bản v1)" in said
    assert "Trước khi bắt đầu" not in said and "có đồng ý không" not in said
    assert {"pv:mydata", "pv:delete", "m:menu"} <= set(actions(replies))


async def test_tourism_asks_for_the_location_saying_why_and_for_how_long(
    core: tuple[Dispatcher, Clock],
) -> None:
    dispatcher, _ = core
    await agree(dispatcher)
    await dispatcher.process(console_msg(action="ob:role:tourist"))
    await dispatcher.process(console_msg(action="ob:lang:vi"))
    replies = (await dispatcher.process(console_msg(action="tp:start"))).replies
    assert "Vị trí chỉ dùng để tìm nơi gần anh/chị và được xoá sau 60 phút" in texts(replies)


# A user with something in every table -----------------------------------------------------------


async def full_user(dispatcher: Dispatcher, clock: Clock) -> int:
    """A producer who agreed, onboarded, assessed, recorded a certificate, muted reminders, is
    waiting for a sheet, has a reminder queued, published a deadline and a broadcast as an
    officer, and asked officers for approval (a notice in another officer's outbox)."""
    db = dispatcher.db
    await agree(dispatcher, user="boss", display_name="Cán bộ A")
    await dispatcher.process(console_msg(action="ob:role:producer", user="boss"))

    def make_boss_officer(c: Connection) -> None:
        uid = repo.find_user(c, platform="console", external_id="boss")
        repo.set_officer(c, user_id=uid, approved=True, by="test", now=utcnow())

    await db.run(make_boss_officer)
    kw = {"user": EXTERNAL, "display_name": NAME}
    await agree(dispatcher, **kw)
    await dispatcher.process(console_msg(action="ob:role:officer", **kw))  # asks for approval
    await dispatcher.process(console_msg(action="ob:lang:vi", **kw))
    await dispatcher.process(console_msg("ha noi", update_id="u-77", **kw))
    await dispatcher.process(console_msg(action="tp:start", **kw))
    await dispatcher.process(console_msg(location=GeoPoint(21.0285, 105.8542), **kw))
    uid = await db.run(partial(repo.find_user, platform="console", external_id=EXTERNAL))

    def everything(c: Connection) -> None:
        repo.set_officer(c, user_id=uid, approved=True, by="test", now=utcnow())
        repo.start_assessment(
            c,
            assessment_id="a1",
            user_id=uid,
            sheet_key="k",
            set_code="che",
            product_name="Chè Tân Cương",
            now=clock.now,
        )
        repo.save_progress(
            c, assessment_id="a1", user_id=uid, answers={"1a": 1}, skipped=[], position=1,
            now=clock.now,
        )  # fmt: skip
        repo.add_certificate(
            c, user_id=uid, product="Chè", stars=4, decided_on=date(2025, 1, 2), level="province",
            now=clock.now,
        )  # fmt: skip
        repo.mute(c, user_id=uid, deadline_id=0)
        repo.add_sheet_wait(c, user_id=uid, set_code="che", now=clock.now)
        repo.enqueue(
            c, platform="console", chat_id=EXTERNAL, user_id=uid, kind="reminder",
            payload=[{"text": "nhắc"}], now=clock.now, dedupe_key=f"deadline:1:1:{uid}:7d",
        )  # fmt: skip
        repo.add_deadline(
            c, title="Hạn", due_at=clock.now + timedelta(days=9), provinces=[], link="",
            created_by=uid, now=clock.now,
        )  # fmt: skip
        repo.add_broadcast(
            c, broadcast_id=5, officer_id=uid, text="Thông báo", recipients=0, now=clock.now
        )

    await db.run(everything)
    return int(uid)


def find_traces(connection: Connection, user_id: int) -> list[str]:
    """Every cell, in every table of the schema, that points at or names the user."""
    found = []
    for table in Base.metadata.sorted_tables:
        user_keys = {
            fk.parent.name for fk in table.foreign_keys if fk.column.table.name == "users"
        }
        for row in connection.execute(select(table)).mappings():
            for column, value in row.items():
                if table.name == "users" and column == "id" and value == user_id:
                    found.append(f"users.id={value}")
                if column in user_keys and value == user_id:
                    found.append(f"{table.name}.{column}={value}")
                shown = json.dumps(value, ensure_ascii=False, default=str)
                if EXTERNAL in shown or NAME in shown:
                    found.append(f"{table.name}.{column} names the user")
    return found


async def test_delete_asks_then_erases_every_row_everywhere_and_keeps_a_bare_record(
    core: tuple[Dispatcher, Clock],
) -> None:
    dispatcher, clock = core
    db = dispatcher.db
    uid = await full_user(dispatcher, clock)
    assert len(await db.run(partial(find_traces, user_id=uid))) > 10  # the test sees them
    kw = {"user": EXTERNAL, "display_name": NAME}
    asked = (await dispatcher.process(console_msg("/delete", **kw))).replies
    assert "không khôi phục được" in texts(asked)
    assert actions(asked) == ["pv:del:yes", "pv:del:no"]
    kept = (await dispatcher.process(console_msg(action="pv:del:no", **kw))).replies
    assert "không xoá gì" in texts(kept)
    assert await db.run(partial(repo.find_user, platform="console", external_id=EXTERNAL))
    done = await dispatcher.process(console_msg(action="pv:del:yes", update_id="del-1", **kw))
    assert "đã xoá toàn bộ dữ liệu" in texts(done.replies).lower()
    assert await db.run(partial(find_traces, user_id=uid)) == []
    erasures = await db.run(lambda c: c.execute(text("SELECT * FROM erasures")).mappings().all())
    assert len(erasures) == 1
    record = dict(erasures[0])
    assert (record["platform"], record["reason"]) == ("console", "request")
    rows = json.loads(record["rows"]) if isinstance(record["rows"], str) else record["rows"]
    for table in ("users", "assessments", "certificates", "mutes", "sheet_waits", "consent_log"):
        assert rows[table] >= 1, table
    # The other officer and the office's deadline and broadcast stay, unlinked.
    assert await db.run(partial(repo.find_user, platform="console", external_id="boss"))
    assert await db.run(lambda c: c.execute(text("SELECT created_by FROM deadlines")).all()) == [
        (None,)
    ]
    # A redelivery of the confirmation erases nothing more and creates nobody.
    again = await dispatcher.process(console_msg(action="pv:del:yes", update_id="del-1", **kw))
    assert again.duplicate
    assert await db.run(partial(repo.find_user, platform="console", external_id=EXTERNAL)) is None
    # An old confirmation button pressed later finds nobody to erase and says so.
    late = (await dispatcher.process(console_msg(action="pv:del:yes", user="stranger"))).replies
    assert "chưa lưu gì" in texts(late)
    assert await db.run(lambda c: c.execute(text("SELECT count(*) FROM erasures")).scalar()) == 1
    # Writing again makes a new user, asked for consent afresh.
    fresh = (await dispatcher.process(console_msg("/start", **kw))).replies
    assert "Trước khi bắt đầu" in texts(fresh)
    new, _ = await user_of(db, EXTERNAL)
    assert (new.consent_version, new.display_name, new.role) == (None, "", None)
    assert await db.run(partial(repo.finished_assessments, user_id=new.id)) == []


# /mydata on each door ---------------------------------------------------------------------------


async def test_mydata_on_the_console_writes_a_file_only_the_user_can_read(
    core: tuple[Dispatcher, Clock], tmp_path: Path
) -> None:
    dispatcher, clock = core
    uid = await full_user(dispatcher, clock)
    out = io.StringIO()
    console = Console(dispatcher, EXTERNAL, out)
    console.photos = tmp_path
    msg = console_msg("/mydata", user=EXTERNAL)
    console.show((await dispatcher.process(msg)).replies)
    shown = out.getvalue()
    path = Path(shown.split("📄 ", 1)[1].split("\n", 1)[0])
    assert path.parent == tmp_path and path.name.startswith("ocop-mydata-")
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    held = json.loads(path.read_text())
    assert held["profile"]["id"] == uid and held["profile"]["display_name"] == NAME
    assert held["assessments"][0]["answers"] == {"1a": 1}
    assert held["certificates"][0]["product"] == "Chè"
    assert held["mutes"] == [{"user_id": uid, "deadline_id": 0}]
    assert held["sheet_waits"][0]["set_code"] == "che"
    assert [c["given"] for c in held["consent_log"]] == [True]
    assert any(o["kind"] == "reminder" for o in held["outbox"])
    assert held["deadlines"][0]["title"] == "Hạn" and held["broadcasts"][0]["text"] == "Thông báo"
    assert held["conversations"][0]["user_id"] == uid
    assert held["processed_updates"]  # the replies stored for their messages
    # The copy itself is not kept: the stored reply names the file, without its content.
    stored = await dispatcher.db.run(
        lambda c: c.execute(text("SELECT replies FROM processed_updates")).scalars().all()
    )
    assert not any("Chè Tân Cương" in json.dumps(r, ensure_ascii=False) for r in stored)


async def test_mydata_on_telegram_is_a_document(
    client: httpx.AsyncClient, telegram_api: FakeTelegram
) -> None:
    await post_update(client, tg_message("/start", user_id=77))
    await post_update(client, tg_callback(f"cs:yes:{NOTICE_VERSION}", user_id=77))
    await post_update(client, tg_callback("ob:role:producer", user_id=77))
    telegram_api.reset()
    response = await post_update(client, tg_message("/mydata", user_id=77))
    assert response.status_code == 200
    [call] = telegram_api.of("sendDocument")
    assert call.params["chat_id"] == "77"
    assert call.params["document"]["filename"].endswith(".json")
    held = json.loads(call.params["document"]["data"])
    assert held["profile"]["external_id"] == "77" and held["profile"]["role"] == "producer"
    assert held["profile"]["display_name"] == "Lan"
    assert "toàn bộ dữ liệu" in call.params["caption"]


async def test_mydata_on_zalo_goes_as_text_the_json_reassembles(
    http: httpx.AsyncClient,  # noqa: F811 - the Zalo door's fixture
    zalo_api: FakeZalo,  # noqa: F811
) -> None:
    await zalo_post(http, event("user_send_text", user="zp1", text="xin chao"))
    await zalo_post(http, event("user_send_text", user="zp1", text=f"#a cs:yes:{NOTICE_VERSION}"))
    zalo_api.reset()
    await zalo_post(http, event("user_send_text", user="zp1", text="/mydata"))
    sent = zalo_api.texts("zp1")
    assert sent[0].startswith("Đây là toàn bộ dữ liệu")  # the caption, then the file's text
    body = "\n".join(sent[1:])
    held = json.loads(body[body.index("{") :])
    assert held["profile"]["external_id"] == "zp1" and held["consent_log"][0]["given"] is True
    assert all(len(t) <= 2000 for t in sent)


async def test_delete_through_telegram_leaves_nothing(
    client: httpx.AsyncClient, telegram_api: FakeTelegram, app: Any
) -> None:
    await post_update(client, tg_message("/start", user_id=88))
    await post_update(client, tg_callback(f"cs:yes:{NOTICE_VERSION}", user_id=88))
    await post_update(client, tg_message("/delete", user_id=88))
    await post_update(client, tg_callback("pv:del:yes", user_id=88))
    db: Database = app.state.db
    assert await db.run(partial(repo.find_user, platform="telegram", external_id="88")) is None
    chats = await db.run(
        lambda c: c.execute(text("SELECT chat_id FROM processed_updates")).scalars().all()
    )
    assert "88" not in chats
    assert "Em đã xoá toàn bộ dữ liệu" in telegram_api.of("sendMessage")[-1].params["text"]


# Officers: ocop-bot user export|delete ----------------------------------------------------------


async def test_officer_exports_and_erases_from_the_command_line(
    core: tuple[Dispatcher, Clock],
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    dispatcher, clock = core
    uid = await full_user(dispatcher, clock)
    await dispatcher.db.dispose()
    monkeypatch.setenv("DATABASE_URL", settings.DATABASE_URL)
    out = tmp_path / "copy.json"
    assert await cli(["user", "export", f"console:{EXTERNAL}", "--output", str(out)]) == 0
    assert json.loads(out.read_text())["profile"]["id"] == uid
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert await cli(["user", "delete", f"console:{EXTERNAL}"]) == 1  # asks for --yes
    assert "--yes" in capsys.readouterr().err
    assert await cli(["user", "delete", f"console:{EXTERNAL}", "--yes"]) == 0
    assert "erased" in capsys.readouterr().out
    assert await dispatcher.db.run(partial(find_traces, user_id=uid)) == []
    reason = await dispatcher.db.run(
        lambda c: c.execute(text("SELECT reason FROM erasures")).scalar_one()
    )
    assert reason == "officer"
    assert await cli(["user", "delete", f"console:{EXTERNAL}", "--yes"]) == 1  # already gone
    assert await cli(["user", "export", "nowhere"]) == 2


# Retention --------------------------------------------------------------------------------------


async def test_a_shared_location_is_dropped_after_the_hour_on_read_and_by_the_tick(
    core: tuple[Dispatcher, Clock], settings: Settings
) -> None:
    dispatcher, clock = core
    await agree(dispatcher)
    await dispatcher.process(console_msg(action="ob:role:tourist"))
    await dispatcher.process(console_msg(action="ob:lang:vi"))
    await dispatcher.process(console_msg(action="tp:start"))
    await dispatcher.process(console_msg(location=GeoPoint(21.0285, 105.8542)))
    _, conv = await user_of(dispatcher.db, "u1")
    assert conv.data["here"] == [21.0285, 105.8542]
    clock.now = T0 + timedelta(minutes=59)
    near = (await dispatcher.process(console_msg("mua lua o dau gan day"))).replies
    assert "gần" in texts(near).lower() and "Vạn Phúc" in texts(near)
    assert await apply_retention(dispatcher.db, settings, clock.now) == {
        "locations": 0,
        "sent_replies": 0,
        "processed_updates": 0,
        "outbox": 0,
        "held_questions": 0,
    }
    clock.now = T0 + timedelta(minutes=61)
    # On read: the follow-up no longer finds a position and asks again.
    asked = (await dispatcher.process(console_msg("gom gan day"))).replies
    assert "em cần vị trí của anh/chị" in texts(asked)
    _, conv = await user_of(dispatcher.db, "u1")
    assert "here" not in conv.data and "here_at" not in conv.data
    # By the tick, for a position nobody asked about again.
    await dispatcher.process(console_msg(location=GeoPoint(21.0285, 105.8542)))
    later = clock.now + timedelta(minutes=61)
    assert (await apply_retention(dispatcher.db, settings, later))["locations"] == 1
    _, conv = await user_of(dispatcher.db, "u1")
    assert "here" not in conv.data and conv.flow == "tour"


async def test_stored_replies_and_update_ids_are_pruned_after_the_period(
    core: tuple[Dispatcher, Clock], settings: Settings
) -> None:
    dispatcher, clock = core
    await agree(dispatcher, update_id="old-1")
    uid = (await user_of(dispatcher.db, "u1"))[0].id

    def queue(c: Connection) -> None:
        for key, status in (("a", "sent"), ("b", "pending"), ("c", "failed")):
            repo.enqueue(
                c, platform="console", chat_id="u1", user_id=uid, kind="notice",
                payload=[{"text": key}], now=clock.now, dedupe_key=key,
            )  # fmt: skip
            c.execute(
                text("UPDATE outbox SET status = :s WHERE dedupe_key = :k"),
                {"s": status, "k": key},
            )

    await dispatcher.db.run(queue)
    clock.now = T0 + timedelta(days=29)
    await dispatcher.process(console_msg("/menu", update_id="new-1"))
    counts = await apply_retention(dispatcher.db, settings, T0 + timedelta(days=30, minutes=1))
    assert (counts["processed_updates"], counts["outbox"]) == (1, 2)  # the pending one stays
    left = await dispatcher.db.run(
        lambda c: c.execute(text("SELECT update_id FROM processed_updates")).scalars().all()
    )
    assert left == ["new-1"]
    # A redelivery after the period is a new update, answered, not an error.
    again = await dispatcher.process(console_msg("/menu", update_id="old-1"))
    assert not again.duplicate and again.replies


async def test_a_question_held_at_a_notice_never_answered_goes_after_the_period(
    core: tuple[Dispatcher, Clock], settings: Settings
) -> None:
    """A question typed at the notice is kept for its answer only: left unanswered, it goes
    with the handled messages (30 days), the rest of the conversation stays."""
    dispatcher, clock = core
    await dispatcher.process(console_msg("lang gom gan Hue"))
    assert (await user_of(dispatcher.db, "u1"))[1].data[privacy.HELD_KEY] == "lang gom gan Hue"
    soon = await apply_retention(dispatcher.db, settings, T0 + timedelta(days=29))
    assert soon["held_questions"] == 0
    later = await apply_retention(dispatcher.db, settings, T0 + timedelta(days=30, minutes=1))
    assert later["held_questions"] == 1
    _, conv = await user_of(dispatcher.db, "u1")
    assert conv.flow == "consent" and privacy.HELD_KEY not in conv.data
    clock.now = T0 + timedelta(days=31)
    agreed = (await dispatcher.process(console_msg(action=f"cs:yes:{NOTICE_VERSION}"))).replies
    assert "ob:role:producer" in actions(agreed) and "Huế" not in texts(agreed)


async def test_db_prune_erases_inactive_users_only(
    core: tuple[Dispatcher, Clock],
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    dispatcher, clock = core
    clock.now = datetime.now(UTC) - timedelta(days=40)
    await agree(dispatcher, user="quiet")
    clock.now = datetime.now(UTC)
    await agree(dispatcher, user="busy")
    await dispatcher.db.dispose()
    monkeypatch.setenv("DATABASE_URL", settings.DATABASE_URL)
    monkeypatch.setenv("INACTIVE_USER_DAYS", "30")
    assert await cli(["db", "prune"]) == 0
    assert "inactive users erased: 1" in capsys.readouterr().out
    db = dispatcher.db
    assert await db.run(partial(repo.find_user, platform="console", external_id="quiet")) is None
    assert await db.run(partial(repo.find_user, platform="console", external_id="busy"))
    assert await db.run(
        lambda c: c.execute(text("SELECT reason FROM erasures")).scalars().all()
    ) == ["inactive"]


def test_retention_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.settings import SettingsError, load_settings

    monkeypatch.setenv("REPLY_RETENTION_DAYS", "7")
    monkeypatch.setenv("LOCATION_RETENTION_MINUTES", "15")
    loaded = load_settings()
    assert (loaded.REPLY_RETENTION_DAYS, loaded.LOCATION_RETENTION_MINUTES) == (7, 15)
    assert loaded.INACTIVE_USER_DAYS == 1095
    monkeypatch.setenv("LOCATION_RETENTION_MINUTES", "120")
    with pytest.raises(SettingsError, match="LOCATION_RETENTION_MINUTES"):
        load_settings()


# Backup and restore -----------------------------------------------------------------------------


async def test_backup_while_serving_then_restore_into_a_fresh_file_and_carry_on(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    source = tmp_path / "live.db"  # SQLite's own backup, whatever TEST_DATABASE_URL says
    settings = Settings(DATABASE_URL=f"sqlite:///{source}")
    live = Database(settings.DATABASE_URL)
    await live.upgrade()
    clock = Clock()
    await full_user(Dispatcher(live, settings, clock=clock), clock)
    # Another connection is in the middle of a write when the backup runs.
    writer = sqlite3.connect(source, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE users SET display_name = 'half-written'")
    monkeypatch.setenv("DATABASE_URL", settings.DATABASE_URL)
    copy = tmp_path / "backup" / "ocop-copy.db"
    copy.parent.mkdir()
    assert await cli(["db", "backup", str(copy)]) == 0
    writer.execute("ROLLBACK")
    writer.close()
    assert await cli(["db", "backup", str(copy)]) == 1  # never overwrites
    # Restore: the copy becomes the database of a fresh bot.
    restored = tmp_path / "restored.db"
    restored.write_bytes(copy.read_bytes())
    fresh = Settings(DATABASE_URL=f"sqlite:///{restored}")
    db = Database(fresh.DATABASE_URL)
    await db.upgrade()
    bot = Dispatcher(db, fresh, clock=clock)
    names = await db.run(lambda c: c.execute(text("SELECT display_name FROM users")).all())
    assert ("half-written",) not in names and (NAME,) in names
    results = (await bot.process(console_msg("/chungnhan", user=EXTERNAL))).replies
    assert results and "Trước khi bắt đầu" not in texts(results)
    mine = (await bot.process(console_msg("/mydata", user=EXTERNAL))).replies
    held = json.loads(mine[0].document.data)  # type: ignore[union-attr]
    assert held["assessments"][0]["product_name"] == "Chè Tân Cương"
    await db.dispose()
    await live.dispose()


def test_backup_on_postgresql_prints_the_pg_dump_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://ocop:secret@db.example/ocop")
    assert main(["db", "backup", "/backups/ocop.dump"]) == 1
    said = capsys.readouterr().out
    assert "pg_dump --format=custom --file=/backups/ocop.dump" in said
    assert "postgresql://ocop:***@db.example/ocop" in said and "secret" not in said
    assert "pg_restore" in said


def test_upgrade_keeps_existing_users_who_are_then_asked(tmp_path: Path) -> None:
    from importlib import resources

    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{tmp_path}/old.db")
    config = Config()
    config.set_main_option("script_location", str(resources.files("db").joinpath("migrations")))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
        connection.execute(
            text(
                "INSERT INTO users (id, platform, external_id, chat_id, display_name, role,"
                " officer_approved, locale, active, created_at, last_seen_at) VALUES (1,"
                " 'console', 'old', 'old', 'Lan', 'producer', 0, 'vi', 1, :t, :t)"
            ),
            {"t": T0},
        )
        connection.execute(
            text(
                "INSERT INTO conversations (user_id, flow, step, data, version, updated_at)"
                " VALUES (1, '', '', '{}', 1, :t)"
            ),
            {"t": T0},
        )
    with engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    with engine.begin() as connection:
        row = connection.execute(
            text("SELECT role, consent_version, consent_given FROM users")
        ).one()
        assert tuple(row) == ("producer", None, 0)  # kept, and not taken as agreeing
        assert connection.execute(text("SELECT count(*) FROM conversations")).scalar() == 1
    engine.dispose()


async def test_replies_carrying_a_position_are_emptied_once_sent_and_the_hour_is_over(
    core: tuple[Dispatcher, Clock], settings: Settings
) -> None:
    dispatcher, clock = core
    await agree(dispatcher)
    point = console_msg(location=GeoPoint(21.0285, 105.8542), update_id="loc-1")
    await dispatcher.process(point)
    await dispatcher.mark_sent(point)  # its replies went out (the door says so)
    unsent = console_msg(location=GeoPoint(21.0285, 105.8542), update_id="loc-2")
    await dispatcher.process(unsent)  # its replies never went out

    def stored(c: Connection) -> dict[str, str]:
        rows = c.execute(text("SELECT update_id, replies FROM processed_updates")).all()
        return {r[0]: str(r[1]) for r in rows}

    assert "21.0285" in (await dispatcher.db.run(stored))["loc-1"]
    counts = await apply_retention(dispatcher.db, settings, T0 + timedelta(minutes=61))
    assert counts["sent_replies"] == 1
    after = await dispatcher.db.run(stored)
    assert after["loc-1"] == "[]" and "21.0285" in after["loc-2"]  # kept until sent
    again = await dispatcher.process(point)
    assert again.duplicate and again.replies == []  # still recognised as handled


async def test_a_long_file_on_zalo_stops_at_six_messages_and_says_where_the_rest_is(
    zalo_settings: Settings,  # noqa: F811 - the Zalo door's fixture
    zalo_api: FakeZalo,  # noqa: F811
) -> None:
    db = Database(zalo_settings.DATABASE_URL)
    await db.upgrade()
    client = ZaloClient(zalo_settings, db)
    data = ("x" * 1500 + "\n") * 20  # twenty messages' worth
    await client.send("zp2", [Reply(text="Tệp", document=Document(data.encode(), "f.json"))])
    await client.close()
    await db.dispose()
    sent = zalo_api.texts("zp2")
    assert sent[0] == "Tệp" and len(sent) == 1 + 6
    assert "còn 15 phần nữa" in sent[-1] and "ocop-bot user export" in sent[-1]


async def test_a_listed_officer_is_asked_first_and_declining_grants_nothing(
    settings: Settings,
) -> None:
    db = Database(settings.DATABASE_URL)
    await db.upgrade()
    bot = Dispatcher(db, settings.model_copy(update={"OFFICER_TELEGRAM_IDS": (555,)}))

    def tg(**kw: Any) -> Incoming:
        return Incoming(platform="telegram", user_id="555", chat_id="555", **kw)

    first = (await bot.process(tg(text="/start"))).replies
    assert "Trước khi bắt đầu" in texts(first)
    loaded = await db.run(partial(repo.load_user, platform="telegram", external_id="555"))
    assert (loaded[0].role, loaded[0].officer_approved) == (None, False)
    await bot.process(tg(action=f"cs:no:{NOTICE_VERSION}"))
    await bot.process(tg(text="/menu"))
    loaded = await db.run(partial(repo.load_user, platform="telegram", external_id="555"))
    assert (loaded[0].role, loaded[0].officer_approved) == (None, False)
    await bot.process(tg(action=f"cs:yes:{NOTICE_VERSION}"))
    await bot.process(tg(action="ob:role:officer"))
    loaded = await db.run(partial(repo.load_user, platform="telegram", external_id="555"))
    assert (loaded[0].role, loaded[0].officer_approved) == ("officer", True)
    await db.dispose()
