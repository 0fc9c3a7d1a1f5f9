"""The dashboard's routes: sign-in, hand-over queue, unanswered questions, deadlines and
broadcasts, certificates, province insight. Handlers read and write through `db` and reuse the
chat's hand-over and learning functions, so both doors behave the same."""

from __future__ import annotations

import html
import json
import secrets
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from sqlalchemy import Connection

from bot.dashboard import views
from bot.dashboard.auth import (
    COOKIE,
    SESSION_TTL,
    NotSignedIn,
    Officer,
    check_csrf,
    link_is_live,
    open_session,
    signed_in,
)
from bot.i18n import N_, translator
from bot.messages import Reply, reply_to_dict
from db import office, repo
from db.models import utcnow
from db.session import Database
from handlers import handover, learning
from knowledge.regions import by_code
from knowledge.reminders import VIETNAM

router = APIRouter(prefix="/dashboard", include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
SignedIn = Annotated[Officer, Depends(signed_in)]
_NOTICES = {
    "sent": N_("dash.notice_sent"),
    "undeliverable": N_("dash.notice_undeliverable"),
    "taken": N_("dash.notice_taken"),
    "closed": N_("dash.notice_closed"),
}
_MISSING = {
    "questions": N_("dash.missing_questions"),
    "answer_vi": N_("dash.missing_answer_vi"),
    "legal_basis": N_("dash.missing_legal_basis"),
}
_AUDIENCES = {
    "all": [],
    "producers": ["producer"],
    "tourists": ["tourist"],
    "officers": ["officer"],
}


def _db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def _page(
    request: Request, officer: Officer | None, name: str, status: int = 200, **context: Any
) -> HTMLResponse:
    locale = officer.user.locale if officer else "vi"
    t = translator(locale)
    province = (
        by_code(officer.user.province_code) if officer and officer.user.province_code else None
    )
    return templates.TemplateResponse(
        request,
        name,
        {
            "t": lambda key, **kw: Markup(t(key, **kw)),
            "lang": locale,
            "officer": officer,
            "province": province.name if province else t("rm.national"),
            "local": lambda moment: (
                moment.astimezone(VIETNAM).strftime("%H:%M %d/%m/%Y") if moment else "—"
            ),
            **context,
        },
        status_code=status,
    )


def _back(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


@router.get("/login")
async def login_page(request: Request, token: str = "") -> Response:
    """The page a link opens: a Sign-in button. Opening the link spends nothing, so a link
    preview (Telegram fetches links it shows) or a mail scanner cannot use it up."""
    valid = bool(token) and await link_is_live(_db(request), token)
    status = 200 if valid else 401 if not token else 403
    return _page(
        request,
        None,
        "signin.html",
        status=status,
        token=token if valid else "",
        expired=bool(token) and not valid,
    )


@router.post("/login")
async def login(request: Request, token: str = Form("")) -> Response:
    """Spend the one-time link and set the session cookie."""
    session = await open_session(_db(request), token) if token else None
    if session is None:
        return _page(request, None, "signin.html", status=403, token="", expired=True)
    response = _back("/dashboard")
    response.set_cookie(
        COOKIE,
        session,
        max_age=int(SESSION_TTL.total_seconds()),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/dashboard",
    )
    return response


@router.post("/logout")
async def logout(request: Request, officer: SignedIn, csrf: str = Form("")) -> Response:
    """End the session."""
    check_csrf(officer, csrf)
    await _db(request).run(
        partial(office.end_session, token_hash=officer.session_hash, now=utcnow())
    )
    response = _back("/dashboard/login")
    response.delete_cookie(COOKIE, path="/dashboard")
    return response


@router.post("/lang")
async def language(
    request: Request, officer: SignedIn, csrf: str = Form(""), lang: str = Form("vi")
) -> Response:
    """Switch the dashboard (and the officer's chat) language."""
    check_csrf(officer, csrf)
    if lang in ("vi", "en"):
        await _db(request).run(
            partial(repo.update_user, user_id=officer.id, changes={"locale": lang})
        )
    back = urlsplit(request.headers.get("referer", "")).path
    return _back(back if back.startswith("/dashboard") else "/dashboard")


@router.get("", response_class=HTMLResponse)
async def queue(request: Request, officer: SignedIn) -> HTMLResponse:
    """The hand-over queue of the officer's province, then the latest closed ones."""
    items = await _db(request).run(
        partial(office.handover_queue, province_code=officer.user.province_code, closed_limit=10)
    )
    return _page(request, officer, "queue.html", items=items)


@router.get("/handovers/{number}", response_class=HTMLResponse)
async def conversation(request: Request, officer: SignedIn, number: int) -> HTMLResponse:
    """One hand-over with its messages and, for its owner, the answer form."""
    db = _db(request)
    item = await db.run(partial(office.get_handover, handover_id=number))
    if item is None:
        return _page(request, officer, "message.html", status=404, key=N_("dash.not_found"))
    history = await db.run(partial(office.handover_messages, handover_id=number))
    notice = request.query_params.get("notice", "")
    return _page(
        request,
        officer,
        "handover.html",
        item=item,
        history=history,
        notice=_NOTICES.get(notice, ""),
    )


@router.post("/handovers/{number}/claim")
async def claim(
    request: Request, officer: SignedIn, number: int, csrf: str = Form("")
) -> Response:
    """Claim from the browser (first claim wins, as in the chat)."""
    check_csrf(officer, csrf)
    name = officer.user.display_name or officer.user.external_id
    won, _ = await handover.claim(
        _db(request), handover_id=number, officer_id=officer.id, officer_name=name, now=utcnow()
    )
    return _back(f"/dashboard/handovers/{number}" + ("" if won else "?notice=taken"))


@router.post("/handovers/{number}/answer")
async def answer(
    request: Request, officer: SignedIn, number: int, csrf: str = Form(""), text: str = Form("")
) -> Response:
    """Send an answer to the user, labelled as the OCOP office."""
    check_csrf(officer, csrf)
    if not text.strip():
        return _back(f"/dashboard/handovers/{number}")
    outcome = await handover.answer(
        _db(request),
        handover_id=number,
        officer_id=officer.id,
        text=text.strip()[:3500],
        now=utcnow(),
    )
    notice = {"sent": "sent", "undeliverable": "undeliverable"}.get(outcome, "taken")
    return _back(f"/dashboard/handovers/{number}?notice={notice}")


@router.post("/handovers/{number}/close")
async def close(
    request: Request, officer: SignedIn, number: int, csrf: str = Form("")
) -> Response:
    """Close the conversation; the user is told and the bot answers them again."""
    check_csrf(officer, csrf)
    await handover.close(_db(request), handover_id=number, by_user=officer.id, now=utcnow())
    return _back(f"/dashboard/handovers/{number}?notice=closed")


@router.get("/questions", response_class=HTMLResponse)
async def questions(request: Request, officer: SignedIn) -> HTMLResponse:
    """Unanswered questions of the province, grouped, largest group first."""
    groups = await learning.unanswered_groups(
        _db(request), province_code=officer.user.province_code
    )
    saved = request.query_params.get("saved", "")
    return _page(request, officer, "questions.html", groups=groups[:30], saved=saved)


@router.post("/questions/answer")
async def answer_questions(
    request: Request,
    officer: SignedIn,
    csrf: str = Form(""),
    ids: str = Form(""),
    questions: str = Form(""),
    answer_vi: str = Form(""),
    answer_en: str = Form(""),
    legal_basis: str = Form(""),
    scope: str = Form("province"),
) -> Response:
    """Turn a group into an FAQ entry, in force at once."""
    check_csrf(officer, csrf)
    chosen = [int(i) for i in ids.split(",") if i.strip().isdigit()]
    try:
        entry = await learning.answer_group(
            _db(request),
            ids=chosen,
            questions=questions.splitlines(),
            answer_vi=answer_vi,
            answer_en=answer_en,
            legal_basis=legal_basis,
            province_code=officer.user.province_code if scope == "province" else None,
            officer_id=officer.id,
            now=utcnow(),
        )
    except ValueError as exc:
        return _page(request, officer, "message.html", status=422, key=_MISSING[str(exc)])
    return _back(f"/dashboard/questions?saved={entry}")


@router.get("/faq.json")
async def faq_export(request: Request, _officer: SignedIn) -> Response:
    """The FAQ entries officers added, as JSON (marked `added_by: officer`)."""
    body = json.dumps(
        await learning.export_officer_faq(_db(request)), ensure_ascii=False, indent=1
    )
    return Response(
        body,
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="ocop-faq-office.json"'},
    )


async def _deadlines_page(
    request: Request, officer: Officer, status: int = 200, **context: Any
) -> HTMLResponse:
    db = _db(request)
    deadlines = await db.run(partial(repo.open_deadlines, after=utcnow()))
    broadcasts = []
    for broadcast_id, text, recipients, created in await db.run(office.recent_broadcasts):
        counts = await db.run(partial(repo.outbox_counts, broadcast_id=broadcast_id))
        broadcasts.append((broadcast_id, text, recipients, created, counts))
    return _page(
        request,
        officer,
        "deadlines.html",
        status=status,
        deadlines=deadlines,
        broadcasts=broadcasts,
        **context,
    )


@router.get("/deadlines", response_class=HTMLResponse)
async def deadlines(request: Request, officer: SignedIn) -> HTMLResponse:
    """Open deadlines, the forms to publish one and to compose a broadcast, broadcast progress."""
    return await _deadlines_page(request, officer, published=request.query_params.get("ok", ""))


def _scope(officer: Officer, scope: str) -> list[int]:
    return (
        [officer.user.province_code] if scope == "province" and officer.user.province_code else []
    )


@router.post("/deadlines")
async def publish_deadline(
    request: Request,
    officer: SignedIn,
    csrf: str = Form(""),
    title: str = Form(""),
    due: str = Form(""),
    scope: str = Form("province"),
    link: str = Form(""),
) -> Response:
    """Publish a deadline (reminders follow from the clock)."""
    check_csrf(officer, csrf)
    try:
        when = datetime.fromisoformat(due).replace(tzinfo=VIETNAM)
    except ValueError:
        when = None
    error = ""
    if not title.strip():
        error = N_("dash.missing_title")
    elif when is None or when <= utcnow():
        error = N_("dash.bad_due")
    elif link and not link.startswith(("http://", "https://")):
        error = N_("of.bad_link")
    if error:
        return await _deadlines_page(request, officer, status=422, error=error)
    assert when is not None
    await _db(request).run(
        partial(
            repo.add_deadline,
            title=title.strip()[:200],
            due_at=when,
            provinces=_scope(officer, scope),
            link=link.strip()[:500],
            created_by=officer.id,
            now=utcnow(),
        )
    )
    return _back("/dashboard/deadlines?ok=deadline")


@router.post("/broadcasts/preview", response_class=HTMLResponse)
async def preview_broadcast(
    request: Request,
    officer: SignedIn,
    csrf: str = Form(""),
    text: str = Form(""),
    audience: str = Form("producers"),
    scope: str = Form("province"),
) -> HTMLResponse:
    """How many people the announcement would reach, before it is sent."""
    check_csrf(officer, csrf)
    if not text.strip() or audience not in _AUDIENCES:
        return await _deadlines_page(request, officer, status=422, error=N_("dash.missing_text"))
    people = await _db(request).run(
        partial(repo.audience, roles=_AUDIENCES[audience], provinces=_scope(officer, scope))
    )
    return _page(
        request,
        officer,
        "preview.html",
        text=text.strip()[:3500],
        audience=audience,
        scope=scope,
        count=len(people),
    )


@router.post("/broadcasts")
async def send_broadcast(
    request: Request,
    officer: SignedIn,
    csrf: str = Form(""),
    text: str = Form(""),
    audience: str = Form("producers"),
    scope: str = Form("province"),
) -> Response:
    """Freeze the recipients and queue the announcement (one statement, like the chat's)."""
    check_csrf(officer, csrf)
    if not text.strip() or audience not in _AUDIENCES:
        return await _deadlines_page(request, officer, status=422, error=N_("dash.missing_text"))
    now = utcnow()
    body = text.strip()[:3500]
    broadcast_id = secrets.randbits(31)
    payload = [reply_to_dict(Reply(text=html.escape(body, quote=False)))]

    def freeze(connection: Connection) -> None:
        people = repo.audience(
            connection, roles=_AUDIENCES[audience], provinces=_scope(officer, scope)
        )
        repo.add_broadcast(
            connection,
            broadcast_id=broadcast_id,
            officer_id=officer.id,
            text=body,
            recipients=len(people),
            now=now,
        )
        repo.enqueue_many(
            connection,
            kind="broadcast",
            payload=payload,
            now=now,
            recipients=people,
            broadcast_id=broadcast_id,
        )

    await _db(request).run(freeze)
    return _back(f"/dashboard/broadcasts/{broadcast_id}")


@router.get("/broadcasts/{broadcast_id}", response_class=HTMLResponse)
async def broadcast(request: Request, officer: SignedIn, broadcast_id: int) -> HTMLResponse:
    """Progress and per-recipient status of one broadcast."""
    db = _db(request)
    counts = await db.run(partial(repo.outbox_counts, broadcast_id=broadcast_id))
    recipients = await db.run(partial(office.broadcast_recipients, broadcast_id=broadcast_id))
    return _page(
        request,
        officer,
        "broadcast.html",
        counts=counts,
        recipients=recipients,
        broadcast_id=broadcast_id,
    )


@router.get("/certificates", response_class=HTMLResponse)
async def certificates(request: Request, officer: SignedIn) -> HTMLResponse:
    """The province's certificates against the re-evaluation window (QĐ 26/2026 Điều 7.6.a)."""
    today = utcnow().astimezone(VIETNAM).date()
    rows = await views.certificate_rows(
        _db(request), province_code=officer.user.province_code, today=today
    )
    return _page(request, officer, "certificates.html", rows=rows, states=views.STATES)


@router.get("/insight", response_class=HTMLResponse)
async def insight(request: Request, officer: SignedIn) -> HTMLResponse:
    """Self-assessments of the province: bands per product set, criteria most often missing."""
    found = await views.insight(
        _db(request), province_code=officer.user.province_code, locale=officer.user.locale
    )
    title = translator(officer.user.locale)("dash.chart_title")
    chart = Markup(views.bar_chart(found.missing, title=title))
    return _page(request, officer, "insight.html", insight=found, chart=chart, bands=range(6))


async def _not_signed_in(request: Request, _exc: Exception) -> Response:
    return _page(request, None, "signin.html", status=401, token="", expired=False)


def install(app: FastAPI) -> None:
    """Mount the dashboard on the app."""
    app.include_router(router)
    app.add_exception_handler(NotSignedIn, _not_signed_in)
