"""The core on a real database: state saved per user, races retried, failures leave no trace."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from functools import partial

import pytest
from sqlalchemy import select, update

from bot import router
from bot.context import Context
from bot.dispatch import Dispatcher
from bot.messages import Incoming, Reply
from db import repo
from db.models import Conversation, User
from db.session import Database
from tests.conftest import console_msg


async def user_and_state(
    dispatcher: Dispatcher, user: str = "u1"
) -> tuple[repo.UserRecord, repo.ConversationRecord]:
    loaded = await dispatcher.db.run(partial(repo.load_user, platform="console", external_id=user))
    assert loaded is not None and loaded[1] is not None
    return loaded[0], loaded[1]


async def test_onboarding_state_is_stored_per_platform_user(dispatcher: Dispatcher) -> None:
    await dispatcher.process(console_msg("/start"))
    await dispatcher.process(console_msg(action="ob:role:producer"))
    user, conv = await user_and_state(dispatcher)
    assert (user.role, conv.flow, conv.step) == ("producer", "onboarding", "lang")
    assert conv.version == 2


async def test_failing_handler_rolls_back_everything_and_apologises(
    dispatcher: Dispatcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    await dispatcher.process(console_msg("/start"))
    await dispatcher.process(console_msg(action="ob:role:producer"))

    async def broken(ctx: Context, msg: Incoming) -> list[Reply]:
        ctx.user.role = "tourist"
        ctx.state.go("onboarding", "province")
        raise RuntimeError("boom")

    monkeypatch.setitem(router.COMMANDS, "boom", broken)
    outcome = await dispatcher.process(console_msg("/boom"))
    assert "Xin lỗi, em gặp trục trặc" in outcome.replies[0].text
    assert outcome.replies[0].all_buttons[0].action == "m:menu"
    user, conv = await user_and_state(dispatcher)
    assert (user.role, conv.step, conv.version) == ("producer", "lang", 2)


async def test_concurrent_updates_of_one_user_are_serialised(
    dispatcher: Dispatcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ten updates of one user arrive together, each handled by a handler that waits midway
    (as on a network call): they run one at a time, each seeing the state the one before
    saved, while another user's update runs alongside them."""
    running: Counter[str] = Counter()
    most_at_once = 0

    async def tally(ctx: Context, msg: Incoming) -> list[Reply]:
        nonlocal most_at_once
        running[msg.user_id] += 1
        most_at_once = max(most_at_once, running["u1"])
        before = int(ctx.state.data.get("n", 0))
        if msg.user_id == "u2":  # not held up by u1's updates: it sees one of them running
            async with asyncio.timeout(5):
                while not running["u1"]:
                    await asyncio.sleep(0.001)
        await asyncio.sleep(0.005)  # lets every other task run
        ctx.state.go("tally", "counting")
        ctx.state.data["n"] = before + 1
        running[msg.user_id] -= 1
        return [Reply(text=str(before + 1))]

    monkeypatch.setitem(router.COMMANDS, "tally", tally)
    await dispatcher.process(console_msg("/start"))
    await dispatcher.process(console_msg("/start", user="u2"))
    results = await asyncio.gather(
        *(dispatcher.process(console_msg("/tally")) for _ in range(10)),
        dispatcher.process(console_msg("/tally", user="u2")),
    )
    assert most_at_once == 1  # never two of u1's at once
    assert [r.replies[0].text for r in results] == [*(str(n) for n in range(1, 11)), "1"]
    _, conv = await user_and_state(dispatcher)
    assert conv.data == {"n": 10}


async def test_stale_version_is_detected(dispatcher: Dispatcher) -> None:
    await dispatcher.process(console_msg("/start"))
    user, conv = await user_and_state(dispatcher)
    save = partial(
        repo.save_conversation,
        user_id=user.id,
        read_version=conv.version,
        step="y",
        data={},
        now=dispatcher.clock(),
    )
    await dispatcher.db.run(partial(save, flow="x"))
    with pytest.raises(repo.StaleState):
        await dispatcher.db.run(partial(save, flow="z"))
    _, after = await user_and_state(dispatcher)
    assert (after.flow, after.version) == ("x", conv.version + 1)


async def test_a_race_lost_on_save_is_retried(
    dispatcher: Dispatcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another writer bumps the version between our read and our write: we retry, once."""
    await dispatcher.process(console_msg("/start"))
    original = repo.save_conversation
    calls = 0

    def save_after_another_writer(connection, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == 1:
            connection.execute(
                update(Conversation)
                .where(Conversation.user_id == kwargs["user_id"])
                .values(version=Conversation.version + 1)
            )
        return original(connection, **kwargs)

    monkeypatch.setattr(repo, "save_conversation", save_after_another_writer)
    outcome = await dispatcher.process(console_msg(action="ob:role:tourist"))
    assert calls == 2
    assert outcome.replies[0].text.startswith("Anh/chị muốn dùng ngôn ngữ nào?")
    user, conv = await user_and_state(dispatcher)
    assert (user.role, conv.step, conv.version) == ("tourist", "lang", 2)


async def count(ctx: Context, msg: Incoming) -> list[Reply]:
    """A step that changes the state on every update: counts them."""
    ctx.state.go("counting", "on")
    ctx.state.data["n"] = ctx.state.data.get("n", 0) + 1
    return [Reply(text=str(ctx.state.data["n"]))]


async def test_updates_of_one_user_in_two_processes_are_all_recorded(
    dispatcher: Dispatcher, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two dispatchers on their own connections (two processes) get one user's updates at
    once: every update counts once, and on PostgreSQL an update that lost the race once wins
    the next try (it holds the per-user lock, which the other process's writes respect)."""
    monkeypatch.setitem(router.COMMANDS, "count", count)
    await dispatcher.process(console_msg("/menu"))
    other_db = Database(dispatcher.db.url)
    other = Dispatcher(other_db, dispatcher.settings)
    caplog.set_level(logging.INFO, logger="bot.dispatch")
    try:
        outcomes = await asyncio.gather(
            *(
                (dispatcher if i % 2 else other).process(
                    console_msg("/count", update_id=str(1000 + i))
                )
                for i in range(20)
            )
        )
    finally:
        await other_db.dispose()
    assert sorted(int(o.replies[0].text) for o in outcomes) == list(range(1, 21))
    _, conv = await user_and_state(dispatcher)
    assert conv.data == {"n": 20}
    if dispatcher.db.dialect == "postgresql":
        retried = [r for r in caplog.records if r.getMessage().startswith("retrying update")]
        assert [r.args[1] for r in retried if r.args[1] != 1] == []  # attempt 1 only


def _saved(user: repo.UserRecord, conv: repo.ConversationRecord, update_id: str) -> repo.Saved:
    """The usual update's writes: the state moved on, the update recorded."""
    return repo.Saved(
        user_id=user.id or 0,
        user_changes={},
        conversation=(conv.version, "x", "y", {}),
        lock_key="console:u1",
        platform="console",
        update_id=update_id,
        chat_id="u1",
        replies=[],
        queue=False,
        now=user.last_seen_at,
        flood_full_at=None,
    )


@pytest.mark.postgres
async def test_a_write_in_one_statement_yields_to_an_update_holding_the_users_lock(
    dispatcher: Dispatcher,
) -> None:
    """PostgreSQL: the usual update writes in one statement, which writes nothing (and asks
    for a retry) while another process's update holds the user's lock, and nothing either
    when the conversation moved on since it was read."""
    await dispatcher.process(console_msg("/start"))
    user, conv = await user_and_state(dispatcher)
    other = Database(dispatcher.db.url)
    try:
        async with other.transaction() as holding:
            await holding.serialize("console:u1")
            await holding.run(lambda c: c.execute(select(1)).all())  # begins, takes the lock
            async with dispatcher.db.transaction() as transaction:
                with pytest.raises(repo.StaleState):
                    await repo.save_update(transaction, _saved(user, conv, "w1"))
        async with dispatcher.db.transaction() as transaction:
            await repo.save_update(transaction, _saved(user, conv, "w1"))
        async with dispatcher.db.transaction() as transaction:  # read before that write
            with pytest.raises(repo.StaleState):
                await repo.save_update(transaction, _saved(user, conv, "w2"))
    finally:
        await other.dispose()
    _, after = await user_and_state(dispatcher)
    assert (after.flow, after.version) == ("x", conv.version + 1)
    recorded = [
        await dispatcher.db.run(
            partial(repo.get_processed_update, platform="console", update_id=update_id)
        )
        for update_id in ("w1", "w2")
    ]
    assert recorded[0] is not None and recorded[1] is None


async def test_many_updates_at_once_each_reading_in_a_second_transaction(
    dispatcher: Dispatcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As many updates at once as Telegram sends by default (40), each handler also reading in
    a transaction of its own: the updates' own transactions leave connections for those."""

    async def reads_aside(ctx: Context, msg: Incoming) -> list[Reply]:
        await asyncio.sleep(0.05)  # every update's transaction is open at once
        assert ctx.db is not None
        found = await ctx.db.run(lambda connection: connection.execute(select(1)).scalar())
        return [Reply(text=f"read {found}")]

    monkeypatch.setitem(router.COMMANDS, "aside", reads_aside)
    outcomes = await asyncio.wait_for(
        asyncio.gather(
            *(dispatcher.process(console_msg("/aside", user=f"u{i}")) for i in range(40))
        ),
        timeout=20,
    )
    assert [o.replies[0].text for o in outcomes] == ["read 1"] * 40


async def test_new_users_racing_to_be_created_become_one_user(dispatcher: Dispatcher) -> None:
    await asyncio.gather(
        *(dispatcher.process(console_msg("/start", user="new")) for _ in range(4))
    )
    rows = await dispatcher.db.run(
        lambda connection: connection.scalars(
            select(User.id).where(User.external_id == "new")
        ).all()
    )
    assert len(rows) == 1


async def test_resume_reasks_the_current_step(dispatcher: Dispatcher) -> None:
    await dispatcher.process(console_msg("/start"))
    await dispatcher.process(console_msg(action="ob:role:producer"))
    await dispatcher.process(console_msg(action="ob:lang:vi"))
    replies = await dispatcher.resume(console_msg())
    assert "tỉnh/thành nào" in replies[0].text


async def test_lang_in_the_middle_of_onboarding_keeps_the_step(dispatcher: Dispatcher) -> None:
    await dispatcher.process(console_msg("/start"))
    await dispatcher.process(console_msg(action="ob:role:producer"))
    await dispatcher.process(console_msg("/lang"))
    outcome = await dispatcher.process(console_msg(action="m:lang:en"))
    assert outcome.replies[0].text == "Switched to English."
    assert outcome.replies[1].text == "Which language would you like?"
    _, conv = await user_and_state(dispatcher)
    assert conv.step == "lang"


async def test_cancel_and_menu_work_from_any_step(dispatcher: Dispatcher) -> None:
    await dispatcher.process(console_msg("/start"))
    cancelled = await dispatcher.process(console_msg("/cancel"))
    assert cancelled.replies[0].text == "Đã hủy thao tác."
    _, conv = await user_and_state(dispatcher)
    assert conv.flow == ""
    menu = await dispatcher.process(console_msg("/menu"))
    assert menu.replies[0].all_buttons[0].action == "ob:start"  # not onboarded yet: offer to start


async def test_province_typo_offers_choices_then_saves(dispatcher: Dispatcher) -> None:
    for step in ("/start", None):
        await dispatcher.process(
            console_msg(step) if step else console_msg(action="ob:role:officer")
        )
    await dispatcher.process(console_msg(action="ob:lang:vi"))
    offered = await dispatcher.process(console_msg("quang"))
    actions = [b.action for b in offered.replies[0].all_buttons]
    assert "ob:prov:22" in actions or any(a.startswith("ob:prov:") for a in actions)
    done = await dispatcher.process(console_msg(action=actions[0]))
    assert done.replies[0].text.startswith("Đã lưu tỉnh/thành")
    user, _ = await user_and_state(dispatcher)
    assert (
        user.role == "officer"
        and user.officer_approved is False
        and user.province_code is not None
    )


async def test_province_typed_in_a_sentence_or_with_a_typo_is_saved_and_two_are_asked(
    dispatcher: Dispatcher,
) -> None:
    """bench.provinces classes at the province step: a sentence naming one province, one typo
    away from one province, two provinces named (which one?)."""
    await dispatcher.process(console_msg("/start"))
    await dispatcher.process(console_msg(action="ob:role:producer"))
    await dispatcher.process(console_msg(action="ob:lang:vi"))
    asked = await dispatcher.process(console_msg("em ở Hà Nội nhưng quê Nam Định"))
    actions = [b.action for b in asked.replies[0].all_buttons]
    assert actions[:2] == ["ob:prov:1", "ob:prov:6"]
    asked = await dispatcher.process(console_msg("Quang Bin"))  # Quảng Bình or Quảng Ninh
    labels = [b.label for b in asked.replies[0].all_buttons]
    assert labels[:2] == ["Quảng Trị (gồm Quảng Bình cũ)", "Quảng Ninh"]  # the name typed shows
    done = await dispatcher.process(console_msg("tôi ở Hà Giang, giờ là Tuyên Quang"))
    assert "Hà Giang" in done.replies[0].text and "Tuyên Quang" in done.replies[0].text
    user, _ = await user_and_state(dispatcher)
    assert user.province_code == 8
    await dispatcher.process(console_msg(action="ob:edit:province"))
    done = await dispatcher.process(console_msg("em ở Hà Tây"))  # merged in 2008, not 2025
    assert done.replies[0].text == "Tỉnh Hà Tây cũ nay thuộc Hà Nội."
    await dispatcher.process(console_msg(action="ob:edit:province"))
    done = await dispatcher.process(console_msg("Nghe Ann"))
    assert done.replies[0].text.startswith("Đã lưu tỉnh/thành")
    user, _ = await user_and_state(dispatcher)
    assert user.province_code == 17


async def test_a_question_typed_at_an_onboarding_step_is_answered_then_the_step_asked_again(
    dispatcher: Dispatcher,
) -> None:
    """A programme question typed where the role or the province was asked gets the FAQ's
    answer, then the same step again (it was "please tap a button", or a province not found and
    the list); anything else is still no province."""
    await dispatcher.process(console_msg("/start"))
    role = (await dispatcher.process(console_msg("ocop la gi"))).replies
    assert "OCOP" in role[0].text and "ob:role:producer" in [
        b.action for b in role[-1].all_buttons
    ]
    await dispatcher.process(console_msg(action="ob:role:producer"))
    await dispatcher.process(console_msg(action="ob:lang:vi"))
    asked = (await dispatcher.process(console_msg("ho so ocop gom nhung gi"))).replies
    assert "Mẫu 01" in asked[0].text and "không tìm thấy" not in asked[0].text.lower()
    assert any(b.action.startswith("ob:prov:") for b in asked[-1].all_buttons)
    _, conv = await user_and_state(dispatcher)
    assert conv is not None and (conv.flow, conv.step) == ("onboarding", "province")
    done = await dispatcher.process(console_msg("Thái Nguyên"))
    assert done.replies[0].text.startswith("Đã lưu tỉnh/thành")


async def test_province_list_pages_and_skip(dispatcher: Dispatcher) -> None:
    await dispatcher.process(console_msg("/start"))
    await dispatcher.process(console_msg(action="ob:role:producer"))
    first = await dispatcher.process(console_msg(action="ob:lang:vi"))
    labels = [b.label for b in first.replies[0].all_buttons]
    assert "An Giang" in labels and "2/3 ▶" in labels
    second = await dispatcher.process(console_msg(action="ob:page:1"))
    assert "◀ 1/3" in [b.label for b in second.replies[0].all_buttons]
    done = await dispatcher.process(console_msg(action="ob:skip"))
    assert done.replies[0].text == "Anh/chị muốn làm gì tiếp?"


async def test_an_update_whose_handler_failed_is_recorded_with_the_apology(
    dispatcher: Dispatcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Durably recorded: a redelivery gets the stored apology while it is not marked sent, and
    nothing once it is."""

    async def broken(ctx: Context, msg: Incoming) -> list[Reply]:
        raise RuntimeError("boom")

    monkeypatch.setitem(router.COMMANDS, "boom", broken)
    msg = console_msg("/boom", update_id="77")
    first = await dispatcher.process(msg)
    again = await dispatcher.process(msg)
    assert again.duplicate and again.replies == first.replies
    await dispatcher.mark_sent(msg)
    assert (await dispatcher.process(msg)).replies == []
    stored = await dispatcher.db.run(
        partial(repo.get_processed_update, platform="console", update_id="77")
    )
    assert stored is not None and "trục trặc" in stored[0][0]["text"]
