"""The office answering people: the hand-over queue and one conversation (claim, answer,
close), through the chat's own hand-over functions."""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from bot.dashboard.auth import check_csrf
from bot.dashboard.render import SignedIn, back, database, page
from bot.i18n import N_
from db import office
from db.models import utcnow
from handlers import handover

router = APIRouter(prefix="/dashboard", include_in_schema=False)
_NOTICES = {
    "sent": N_("dash.notice_sent"),
    "undeliverable": N_("dash.notice_undeliverable"),
    "taken": N_("dash.notice_taken"),
    "closed": N_("dash.notice_closed"),
}


@router.get("", response_class=HTMLResponse)
async def queue(request: Request, officer: SignedIn) -> HTMLResponse:
    """The hand-over queue of the officer's province, then the latest closed ones."""
    items = await database(request).run(
        partial(office.handover_queue, province_code=officer.user.province_code, closed_limit=10)
    )
    return page(request, officer, "queue.html", items=items)


@router.get("/handovers/{number}", response_class=HTMLResponse)
async def conversation(request: Request, officer: SignedIn, number: int) -> HTMLResponse:
    """One hand-over with its messages and, for its owner, the answer form."""
    db = database(request)
    item = await db.run(partial(office.get_handover, handover_id=number))
    if item is None:
        return page(request, officer, "message.html", status=404, key=N_("dash.not_found"))
    history = await db.run(partial(office.handover_messages, handover_id=number))
    notice = request.query_params.get("notice", "")
    return page(
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
        database(request),
        handover_id=number,
        officer_id=officer.id,
        officer_name=name,
        now=utcnow(),
    )
    return back(f"/dashboard/handovers/{number}" + ("" if won else "?notice=taken"))


@router.post("/handovers/{number}/answer")
async def answer(
    request: Request, officer: SignedIn, number: int, csrf: str = Form(""), text: str = Form("")
) -> Response:
    """Send an answer to the user, labelled as the OCOP office."""
    check_csrf(officer, csrf)
    if not text.strip():
        return back(f"/dashboard/handovers/{number}")
    outcome = await handover.answer(
        database(request),
        handover_id=number,
        officer_id=officer.id,
        text=text.strip()[:3500],
        now=utcnow(),
    )
    notice = {"sent": "sent", "undeliverable": "undeliverable"}.get(outcome, "taken")
    return back(f"/dashboard/handovers/{number}?notice={notice}")


@router.post("/handovers/{number}/close")
async def close(
    request: Request, officer: SignedIn, number: int, csrf: str = Form("")
) -> Response:
    """Close the conversation; the user is told and the bot answers them again."""
    check_csrf(officer, csrf)
    await handover.close(database(request), handover_id=number, by_user=officer.id, now=utcnow())
    return back(f"/dashboard/handovers/{number}?notice=closed")
