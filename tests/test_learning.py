"""Learning from unanswered questions: kept from every decline, grouped largest first, turned
by an officer into an FAQ entry that answers at once (in its province or nationally), the
asker forgotten after the retention period, officer entries exported and marked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial

from sqlalchemy import select

from bot.dispatch import Dispatcher
from bot.settings import Settings
from db import office, repo
from db.models import Unanswered
from db.session import Database
from handlers.handover import clock_tick
from handlers.learning import KEPT_FOR, answer_group, export_officer_faq, unanswered_groups
from knowledge.question_groups import group_questions
from tests.test_handover import HANOI, HUE, onboard, say


async def _teach_nationally(
    db: Database, questions: list[str], *, answer_vi: str, answer_en: str, legal_basis: str
) -> None:
    """An FAQ entry for every province, written from no group of declines, by no officer."""
    await answer_group(
        db,
        ids=[],
        questions=questions,
        answer_vi=answer_vi,
        answer_en=answer_en,
        legal_basis=legal_basis,
        province_code=None,
        officer_id=None,  # type: ignore[arg-type]
        now=datetime.now(UTC),
    )


def test_similar_questions_group_together_largest_first() -> None:
    texts = [
        "khi nao co ket qua danh gia",
        "thủ tục vay vốn ngân hàng cho HTX",
        "Khi nào có kết quả đánh giá OCOP?",
        "bao gio co ket qua danh gia ocop",
        "vay von ngan hang cho htx o dau",
        "khi nao co ket qa danh gia",  # typo
        "gia ve vao lang nghe bat trang",
    ]
    groups = group_questions(texts)
    assert [len(g.members) for g in groups] == [4, 2, 1]
    assert sorted(groups[0].members) == [0, 2, 3, 5]
    assert groups[0].label == "khi nao co ket qua danh gia"
    assert group_questions(["", "  ", "!!"]) == []


async def test_declines_are_kept_grouped_and_an_officer_answer_applies_at_once(
    dispatcher: Dispatcher,
) -> None:
    db = dispatcher.db
    await onboard(dispatcher, "lan", "producer")
    await onboard(dispatcher, "mai", "producer")
    await onboard(dispatcher, "hoa", "producer", province=HUE)
    await onboard(dispatcher, "an", "officer")
    for user, text in (
        ("lan", "ocop co ho tro vay von khong"),
        ("mai", "OCOP có hỗ trợ vay vốn không?"),
        ("lan", "/khongco"),  # an unknown command is not a question
    ):
        await say(dispatcher, user, text)
    await say(dispatcher, "mai", action="tp:start")
    await say(dispatcher, "mai", "zzqx village")  # no such place
    groups = await unanswered_groups(db, province_code=HANOI)
    assert [(g.count, g.sources) for g in groups] == [(2, {"faq": 2}), (1, {"place": 1})]
    assert groups[0].phrasings == ["OCOP có hỗ trợ vay vốn không?", "ocop co ho tro vay von khong"]
    officer = await db.run(partial(repo.find_user, platform="console", external_id="an"))
    assert officer is not None
    entry = await answer_group(
        db,
        ids=groups[0].ids,
        questions=[*groups[0].phrasings, "ocop co cho vay khong cua toi"],
        answer_vi="Chương trình OCOP không có khoản vay riêng; anh/chị hỏi ngân hàng nơi cư trú.",
        answer_en="The OCOP programme has no loans of its own; please ask a bank.",
        legal_basis="QĐ 26/2026/QĐ-TTg, Điều 8",
        province_code=HANOI,
        officer_id=officer,
        now=datetime.now(UTC),
    )
    answered = await say(dispatcher, "lan", "ocop co ho tro vay von khong a")
    assert answered[0].text.startswith("Chương trình OCOP không có khoản vay")
    assert "Điều 8" in answered[0].text and "Văn phòng OCOP bổ sung" in answered[0].text
    elsewhere = await say(dispatcher, "hoa", "ocop co ho tro vay von khong")
    assert "ho:start" in [b.action for r in elsewhere for b in r.all_buttons]  # Hà Nội's only
    remaining = await unanswered_groups(db, province_code=HANOI)
    assert [g.count for g in remaining] == [1]  # the answered group left the list
    exported = await export_officer_faq(db)
    assert exported[0]["id"] == f"office-{entry}" and exported[0]["added_by"] == "officer"
    assert exported[0]["province_code"] == HANOI


async def test_a_national_entry_answers_everywhere_in_english_too(dispatcher: Dispatcher) -> None:
    db = dispatcher.db
    await onboard(dispatcher, "hoa", "producer", province=HUE, locale="en")
    await _teach_nationally(
        db,
        ["phi danh gia ocop bao nhieu", "how much does the OCOP evaluation cost"],
        answer_vi="Không mất phí đánh giá.",
        answer_en="The evaluation is free of charge.",
        legal_basis="QĐ 26/2026/QĐ-TTg",
    )
    answered = await say(dispatcher, "hoa", "How much does the OCOP evaluation cost?")
    assert answered[0].text.startswith("The evaluation is free of charge.")
    unrelated = await say(dispatcher, "hoa", "ocop")
    assert not unrelated[0].text.startswith("The evaluation is free")


async def test_another_instance_s_entry_is_in_force_here_within_the_kept_window(
    dispatcher: Dispatcher,
) -> None:
    """Each process keeps the entries read for `KEPT_FOR`: an entry saved by another instance
    (its own Database) answers here once the window has passed, not before; one saved through
    this process answers at once (the test above)."""
    now = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)
    here = Dispatcher(dispatcher.db, dispatcher.settings, clock=lambda: now)
    await onboard(here, "lan", "producer")
    question = "ocop co ho tro vay von khong"
    assert not (await say(here, "lan", question))[0].text.startswith("Không có khoản vay")
    other = Database(dispatcher.db.url)  # another instance's connection
    try:
        await other.run(
            partial(
                office.add_officer_faq,
                questions=[question],
                answer_vi="Không có khoản vay riêng của OCOP.",
                answer_en="",
                legal_basis="QĐ 26/2026/QĐ-TTg",
                province_code=None,
                created_by=None,
                resolves=[],
                now=now,
            )
        )
    finally:
        await other.dispose()
    now += KEPT_FOR - timedelta(seconds=1)
    assert not (await say(here, "lan", question))[0].text.startswith("Không có khoản vay")
    now += timedelta(seconds=1)
    assert (await say(here, "lan", question))[0].text.startswith("Không có khoản vay")


async def test_answer_needs_a_question_an_answer_and_a_legal_basis(dispatcher: Dispatcher) -> None:
    for missing, kwargs in (
        ("questions", {"questions": [" "]}),
        ("answer_vi", {"answer_vi": ""}),
        ("legal_basis", {"legal_basis": " "}),
    ):
        values = {
            "questions": ["q"],
            "answer_vi": "a",
            "answer_en": "",
            "legal_basis": "b",
            **kwargs,
        }
        try:
            await answer_group(
                dispatcher.db,
                ids=[],
                province_code=None,
                officer_id=None,  # type: ignore[arg-type]
                now=datetime.now(UTC),
                **values,  # type: ignore[arg-type]
            )
        except ValueError as exc:
            assert str(exc) == missing
        else:
            raise AssertionError(f"accepted without {missing}")
    assert await export_officer_faq(dispatcher.db) == []


async def test_the_asker_is_forgotten_after_the_retention_period(dispatcher: Dispatcher) -> None:
    db = dispatcher.db
    await onboard(dispatcher, "lan", "producer")
    await say(dispatcher, "lan", "ocop co ho tro vay von khong")

    def askers(connection):  # type: ignore[no-untyped-def]
        return connection.execute(select(Unanswered.user_id, Unanswered.text)).all()

    assert (await db.run(askers))[0][0] is not None
    settings = Settings(UNANSWERED_RETENTION_DAYS=30)
    await clock_tick(db, datetime.now(UTC) + timedelta(days=29), settings)
    assert (await db.run(askers))[0][0] is not None
    await clock_tick(db, datetime.now(UTC) + timedelta(days=31), settings)
    assert [tuple(r) for r in await db.run(askers)] == [(None, "ocop co ho tro vay von khong")]
    assert await db.run(partial(office.open_unanswered, province_code=None))


async def test_an_entry_without_english_says_so_to_an_english_reader(
    dispatcher: Dispatcher,
) -> None:
    """An entry the office wrote in Vietnamese only reaches an English reader with a word that
    it is in Vietnamese, never as if it were the English answer."""
    await onboard(dispatcher, "tom", "tourist", province=HUE, locale="en")
    await _teach_nationally(
        dispatcher.db,
        ["cho phien ocop hue mo cua luc nao", "when does the hue ocop market open"],
        answer_vi="Chợ phiên OCOP Huế mở sáng Chủ nhật.",
        answer_en="",
        legal_basis="Thông báo của Văn phòng OCOP Huế",
    )
    answered = await say(dispatcher, "tom", "When does the Hue OCOP market open?")
    assert answered[0].text.startswith("The OCOP office wrote this answer in Vietnamese only:")
    assert "Chợ phiên OCOP Huế mở sáng Chủ nhật." in answered[0].text
