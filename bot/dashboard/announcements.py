"""Deadlines and broadcasts: publish a deadline (the clock sends its reminders), preview and
send an announcement, and follow its delivery."""

from __future__ import annotations

import secrets
from datetime import datetime
from functools import partial
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Connection

from bot.dashboard.auth import Officer, check_csrf
from bot.dashboard.render import SignedIn, back, database, page
from bot.i18n import N_, translator
from db import office, repo
from db.models import utcnow
from handlers.broadcasts import counts_text, queue_announcement
from knowledge.reminders import VIETNAM

router = APIRouter(prefix="/dashboard", include_in_schema=False)
_AUDIENCES = {
    "all": [],
    "producers": ["producer"],
    "tourists": ["tourist"],
    "officers": ["officer"],
}


async def _deadlines_page(
    request: Request, officer: Officer, status: int = 200, **context: Any
) -> HTMLResponse:
    db = database(request)
    deadlines = await db.run(partial(repo.open_deadlines, after=utcnow()))
    broadcasts = []
    for broadcast_id, text, recipients, created in await db.run(office.recent_broadcasts):
        counts = await db.run(partial(repo.outbox_counts, broadcast_id=broadcast_id))
        broadcasts.append((broadcast_id, text, recipients, created, counts))
    return page(
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
    await database(request).run(
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
    return back("/dashboard/deadlines?ok=deadline")


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
    people = await database(request).run(
        partial(repo.audience, roles=_AUDIENCES[audience], provinces=_scope(officer, scope))
    )
    return page(
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
    """Freeze the recipients and queue the announcement as the chat does (header, buttons)."""
    check_csrf(officer, csrf)
    if not text.strip() or audience not in _AUDIENCES:
        return await _deadlines_page(request, officer, status=422, error=N_("dash.missing_text"))
    now = utcnow()
    body = text.strip()[:3500]
    broadcast_id = secrets.randbits(31)

    def freeze(connection: Connection) -> None:
        people = repo.audience(
            connection, roles=_AUDIENCES[audience], provinces=_scope(officer, scope)
        )
        queue_announcement(
            connection,
            broadcast_id=broadcast_id,
            officer_id=officer.id,
            province=officer.user.province_code,
            text=body,
            people=people,
            now=now,
        )

    await database(request).run(freeze)
    return back(f"/dashboard/broadcasts/{broadcast_id}")


@router.get("/broadcasts/{broadcast_id}", response_class=HTMLResponse)
async def broadcast(request: Request, officer: SignedIn, broadcast_id: int) -> HTMLResponse:
    """Progress and per-recipient status of one broadcast."""
    db = database(request)
    counts = await db.run(partial(repo.outbox_counts, broadcast_id=broadcast_id))
    recipients = await db.run(partial(office.broadcast_recipients, broadcast_id=broadcast_id))
    return page(
        request,
        officer,
        "broadcast.html",
        outcome=counts_text(translator(officer.user.locale), counts),
        recipients=recipients,
        broadcast_id=broadcast_id,
    )
