"""The office's web dashboard over HTTP: sign-in through a one-time link from `/dashboard`,
session and officer role re-checked on every page, CSRF on forms, the hand-over queue, the
unanswered questions, deadlines and broadcasts, certificates and province insight."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Connection, select, update

from bot.dashboard.views import bar_chart, window_state
from bot.settings import Settings
from db import office, repo
from db.models import DashboardLogin, Outbox, utcnow
from db.session import Database
from handlers.handover import clock_tick
from knowledge.criteria import bundled_sheets
from knowledge.reminders import VIETNAM
from knowledge.scoring import score
from tests.conftest import post_update
from tests.factories import tg_callback, tg_message
from webhook import create_app

OFFICER, PRODUCER = 4242, 7


@pytest.fixture
async def office_app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings.model_copy(update={"OFFICER_TELEGRAM_IDS": (OFFICER,)}))
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def bot_http(office_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """Telegram's side: webhook calls whose answers carry the replies."""
    transport = httpx.ASGITransport(app=office_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        yield client


@pytest.fixture
async def browser(office_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """An officer's browser (keeps cookies)."""
    transport = httpx.ASGITransport(app=office_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://ocop.test") as client:
        yield client


async def onboard(http: httpx.AsyncClient, user: int, role: str, province: int = 1) -> None:
    for update_ in (
        tg_message("/start", user_id=user),
        tg_callback(f"ob:role:{role}", user_id=user),
        tg_callback("ob:lang:vi", user_id=user),
        tg_callback(f"ob:prov:{province}", user_id=user),
    ):
        await post_update(http, update_)


async def link(http: httpx.AsyncClient, user: int = OFFICER) -> str:
    text = (await post_update(http, tg_message("/dashboard", user_id=user))).json()["text"]
    found = re.search(r"/dashboard/login\?token=([\w-]+)", text)
    assert found, text
    return found.group(1)


async def sign_in(http: httpx.AsyncClient, browser: httpx.AsyncClient) -> str:
    """Sign the browser in; returns the CSRF token of its session."""
    token = await link(http)
    assert (await browser.get(f"/dashboard/login?token={token}")).status_code == 200
    response = await browser.post("/dashboard/login", data={"token": token})
    assert response.status_code == 303 and response.headers["location"] == "/dashboard"
    return csrf(await browser.get("/dashboard"))


def csrf(page: httpx.Response) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
    assert found, page.text[:500]
    return found.group(1)


async def test_one_time_link_session_and_role_are_checked(
    office_app: FastAPI, bot_http: httpx.AsyncClient, browser: httpx.AsyncClient
) -> None:
    await onboard(bot_http, OFFICER, "officer")
    await onboard(bot_http, PRODUCER, "producer")
    refused = (await post_update(bot_http, tg_message("/dashboard", user_id=PRODUCER))).json()
    assert refused["text"].startswith("Xin lỗi, chức năng này chỉ dành cho cán bộ OCOP")
    anonymous = await browser.get("/dashboard")
    assert anonymous.status_code == 401 and "/dashboard" in anonymous.text
    token = await link(bot_http)
    assert (await browser.get("/dashboard/login?token=forged")).status_code == 403
    assert (await browser.post("/dashboard/login", data={"token": "forged"})).status_code == 403
    # Opening the link (as a link preview would) spends nothing: it shows a Sign-in button.
    for _ in range(2):
        shown = await browser.get(f"/dashboard/login?token={token}")
        assert shown.status_code == 200 and f'name="token" value="{token}"' in shown.text
    opened = await browser.post("/dashboard/login", data={"token": token})
    assert opened.status_code == 303
    cookie = opened.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/dashboard" in cookie
    assert (await browser.get("/dashboard")).status_code == 200
    again = await httpx.AsyncClient(
        transport=httpx.ASGITransport(app=office_app), base_url="http://x"
    ).post("/dashboard/login", data={"token": token})
    assert again.status_code == 403 and "đã được dùng" in again.text  # single use
    assert (await browser.get(f"/dashboard/login?token={token}")).status_code == 403
    # A link older than 10 minutes is refused.
    stale = await link(bot_http)
    db: Database = office_app.state.db

    async def age_links() -> None:
        def apply(connection):  # type: ignore[no-untyped-def]
            connection.execute(
                update(DashboardLogin)
                .where(DashboardLogin.kind == "link", DashboardLogin.used_at.is_(None))
                .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
            )

        await db.run(apply)

    await age_links()
    assert (await browser.post("/dashboard/login", data={"token": stale})).status_code == 403
    # Every page re-checks the role: withdrawn rights end the session's access at once.
    officer_id = await db.run(partial(repo.find_user, platform="telegram", external_id="4242"))
    assert officer_id is not None
    await db.run(
        partial(repo.set_officer, user_id=officer_id, approved=False, by="test", now=utcnow())
    )
    assert (await browser.get("/dashboard/insight")).status_code == 401


async def test_forms_need_the_csrf_token_and_logout_ends_the_session(
    bot_http: httpx.AsyncClient, browser: httpx.AsyncClient
) -> None:
    await onboard(bot_http, OFFICER, "officer")
    token = await sign_in(bot_http, browser)
    form = {"title": "Nộp hồ sơ", "due": "2030-01-10T17:00", "scope": "province"}
    assert (await browser.post("/dashboard/deadlines", data=form)).status_code == 403
    bad = {**form, "csrf": "0" * 64}
    assert (await browser.post("/dashboard/deadlines", data=bad)).status_code == 403
    assert (await browser.post("/dashboard/logout", data={"csrf": token})).status_code == 303
    assert (await browser.get("/dashboard")).status_code == 401


async def test_queue_claim_answer_close_from_the_browser(
    office_app: FastAPI, bot_http: httpx.AsyncClient, browser: httpx.AsyncClient
) -> None:
    await onboard(bot_http, OFFICER, "officer")
    await onboard(bot_http, PRODUCER, "producer")
    await post_update(bot_http, tg_message("gặp cán bộ", user_id=PRODUCER))
    await post_update(
        bot_http, tg_message("Tem truy xuất nguồn gốc có bắt buộc không?", user_id=PRODUCER)
    )
    token = await sign_in(bot_http, browser)
    queue = await browser.get("/dashboard")
    assert "Tem truy xuất nguồn gốc" in queue.text and "/dashboard/handovers/1/claim" in queue.text
    claimed = await browser.post("/dashboard/handovers/1/claim", data={"csrf": token})
    assert claimed.headers["location"] == "/dashboard/handovers/1"
    page = await browser.get("/dashboard/handovers/1")
    assert 'name="text"' in page.text  # the owner gets the answer form
    silent = await post_update(bot_http, tg_message("Em chờ ạ", user_id=PRODUCER))
    assert "text" not in silent.json()
    sent = await browser.post(
        "/dashboard/handovers/1/answer", data={"csrf": token, "text": "Có, từ 2026. <b>x</b>"}
    )
    assert sent.headers["location"].endswith("notice=sent")
    page = await browser.get("/dashboard/handovers/1?notice=sent")
    assert "Đã gửi câu trả lời." in page.text and "Em chờ ạ" in page.text
    assert "&lt;b&gt;x&lt;/b&gt;" in page.text  # escaped

    def to_user(connection):  # type: ignore[no-untyped-def]
        from sqlalchemy import select

        return [
            reply["text"]
            for payload in connection.execute(
                select(Outbox.payload).where(Outbox.chat_id == str(PRODUCER))
            ).scalars()
            for reply in payload
        ]

    texts = await office_app.state.db.run(to_user)
    assert "🏛 <b>Văn phòng OCOP</b>: Có, từ 2026. &lt;b&gt;x&lt;/b&gt;" in texts
    await browser.post("/dashboard/handovers/1/close", data={"csrf": token})
    record = await office_app.state.db.run(partial(office.get_handover, handover_id=1))
    assert record is not None and record.status == "closed" and record.closed_by == "officer"
    answered = await post_update(bot_http, tg_message("/menu", user_id=PRODUCER))
    assert "Cán bộ OCOP đang trả lời" not in answered.json()["text"]


async def test_deadline_broadcast_questions_pages(
    office_app: FastAPI, bot_http: httpx.AsyncClient, browser: httpx.AsyncClient
) -> None:
    await onboard(bot_http, OFFICER, "officer")
    for user in (7, 8):
        await onboard(bot_http, user, "producer")
    await onboard(bot_http, 9, "producer", province=2)
    for user in (7, 8):
        await post_update(bot_http, tg_message("ocop co ho tro vay von khong", user_id=user))
    token = await sign_in(bot_http, browser)
    past = await browser.post(
        "/dashboard/deadlines",
        data={"csrf": token, "title": "Cũ", "due": "2020-01-01T08:00", "scope": "province"},
    )
    assert past.status_code == 422 and "đã qua" in past.text
    done = await browser.post(
        "/dashboard/deadlines",
        data={
            "csrf": token,
            "title": "Nộp hồ sơ đợt 1",
            "due": "2030-03-01T17:00",
            "scope": "province",
        },
    )
    assert done.status_code == 303
    listed = (await browser.get("/dashboard/deadlines")).text
    assert "17:00 01/03/2030 — Nộp hồ sơ đợt 1" in listed
    deadline = (
        await office_app.state.db.run(partial(repo.open_deadlines, after=datetime.now(UTC)))
    )[0]
    assert deadline.provinces == [1] and deadline.due_at == datetime(
        2030, 3, 1, 17, tzinfo=VIETNAM
    )
    form = {"csrf": token, "text": "Tập huấn OCOP", "audience": "producers", "scope": "province"}
    preview = await browser.post("/dashboard/broadcasts/preview", data=form)
    assert "Thông báo sẽ đến 2 người." in preview.text  # Hà Nội's producers, not Bắc Ninh's
    sent = await browser.post("/dashboard/broadcasts", data=form)
    progress = await browser.get(sent.headers["location"])
    assert progress.text.count("<td>pending</td>") == 2
    assert "📣 Thông báo: đã gửi 0 · đang chờ 2</p>" in progress.text

    def payloads(connection: Connection) -> list[Any]:
        rows = connection.execute(select(Outbox.payload).where(Outbox.kind == "broadcast"))
        return [row[0][0] for row in rows]

    for payload in await office_app.state.db.run(payloads):  # as the chat sends it
        assert payload["text"] == "📣 <b>Thông báo từ cán bộ OCOP Hà Nội</b>\nTập huấn OCOP"
        ask, menu = (b[1] for row in payload["buttons"] for b in row)
        assert ask.startswith("ho:bc:") and menu == "m:menu"  # an officer, about it
    groups = await browser.get("/dashboard/questions")
    assert "2 lần hỏi" in groups.text
    ids = re.search(r'name="ids" value="([\d,]+)"', groups.text)
    assert ids is not None
    missing = await browser.post(
        "/dashboard/questions/answer",
        data={
            "csrf": token,
            "ids": ids.group(1),
            "questions": "khi nao co ket qua",
            "answer_vi": "x",
        },
    )
    assert missing.status_code == 422 and "căn cứ pháp lý" in missing.text
    saved = await browser.post(
        "/dashboard/questions/answer",
        data={
            "csrf": token,
            "ids": ids.group(1),
            "questions": "ocop co ho tro vay von khong\nocop co cho vay khong",
            "answer_vi": "Trong 15 ngày làm việc.",
            "legal_basis": "QĐ 26/2026/QĐ-TTg",
            "scope": "province",
        },
    )
    assert saved.status_code == 303
    reply = (await post_update(bot_http, tg_message("ocop co cho vay khong", user_id=7))).json()
    assert reply["text"].startswith("Trong 15 ngày làm việc.")
    exported = (await browser.get("/dashboard/faq.json")).json()
    assert (
        exported[0]["added_by"] == "officer" and exported[0]["legal_basis"] == "QĐ 26/2026/QĐ-TTg"
    )


def test_re_evaluation_window_is_180_to_120_days_before_expiry() -> None:
    expiry = date(2027, 6, 30)
    opens, closes = expiry - timedelta(days=180), expiry - timedelta(days=120)
    assert window_state(opens, closes, expiry - timedelta(days=181)) == "soon"
    assert window_state(opens, closes, expiry - timedelta(days=180)) == "inside"
    assert window_state(opens, closes, expiry - timedelta(days=120)) == "inside"
    assert window_state(opens, closes, expiry - timedelta(days=119)) == "passed"
    assert window_state(opens, closes, expiry - timedelta(days=271)) == "later"


async def test_certificates_and_insight_pages(
    office_app: FastAPI, bot_http: httpx.AsyncClient, browser: httpx.AsyncClient
) -> None:
    await onboard(bot_http, OFFICER, "officer")
    await onboard(bot_http, PRODUCER, "producer")
    db: Database = office_app.state.db
    producer = await db.run(partial(repo.find_user, platform="telegram", external_id="7"))
    assert producer is not None
    today = datetime.now(UTC).astimezone(VIETNAM).date()
    # Decided 36 months before an expiry 150 days from now: inside the window.
    inside = date(today.year - 3, today.month, 1) + timedelta(days=150)
    await db.run(
        partial(
            repo.add_certificate,
            user_id=producer,
            product="Mật ong bạc hà",
            stars=4,
            decided_on=inside,
            level="province",
            now=datetime.now(UTC),
        )
    )
    page = await browser.get("/dashboard/certificates")
    assert page.status_code == 401
    await sign_in(bot_http, browser)
    page = await browser.get("/dashboard/certificates")
    assert "Mật ong bạc hà (4★)" in page.text and "Đang trong thời hạn nộp" in page.text
    sheet = next(s for s in bundled_sheets().values() if "@26" in s.key)
    answers = {c.code: 0 for part in sheet.parts for c in part.criteria}
    result = score(sheet, answers)
    assert result.next_star is not None
    await db.run(
        partial(
            repo.start_assessment,
            assessment_id="a1",
            user_id=producer,
            sheet_key=sheet.key,
            set_code=sheet.set_code,
            product_name="Mật ong",
            now=datetime.now(UTC),
        )
    )
    await db.run(
        partial(
            repo.finish_assessment,
            assessment_id="a1",
            user_id=producer,
            answers=answers,
            total=result.total,
            stars=result.stars,
            parts=result.parts,
            now=datetime.now(UTC),
        )
    )
    insight = await browser.get("/dashboard/insight")
    assert "Số chủ thể đã tự đánh giá: 1" in insight.text
    assert "<svg" in insight.text and 'role="img"' in insight.text
    blocking = result.next_star.minimums or result.next_star.steps[:1]
    assert f"{blocking[0].criterion.code} " in insight.text
    english = await browser.post(
        "/dashboard/lang",
        data={"csrf": csrf(insight), "lang": "en"},
        headers={"referer": "http://ocop.test/dashboard/insight"},
    )
    assert english.headers["location"] == "/dashboard/insight"
    assert (
        "Criteria most often missing for the next star"
        in (await browser.get("/dashboard/insight")).text
    )


def test_bar_chart_escapes_labels_and_scales_bars() -> None:
    svg = bar_chart([("A <1>", 4), ("B", 2)], title="T & T")
    assert "A &lt;1&gt;" in svg and "T &amp; T" in svg
    widths = [int(w) for w in re.findall(r'<rect x="0" y="\d+" width="(\d+)"', svg)]
    assert widths == [580, 290]
    assert bar_chart([], title="x") == ""


async def test_expired_links_and_sessions_are_deleted_by_the_clock(
    office_app: FastAPI, bot_http: httpx.AsyncClient, browser: httpx.AsyncClient
) -> None:
    await onboard(bot_http, OFFICER, "officer")
    await sign_in(bot_http, browser)
    await link(bot_http)
    db: Database = office_app.state.db

    def count(connection):  # type: ignore[no-untyped-def]
        from sqlalchemy import func, select

        return connection.execute(select(func.count()).select_from(DashboardLogin)).scalar()

    assert await db.run(count) == 3  # a used link, its session, an unused link
    await clock_tick(db, datetime.now(UTC) + timedelta(hours=25), Settings())
    assert await db.run(count) == 1  # a day after the links (10 minutes), not the session (8 h)
    await clock_tick(db, datetime.now(UTC) + timedelta(days=2), Settings())
    assert await db.run(count) == 0
