"""Questions the bot could not answer, grouped, and turned into FAQ entries by the office
(through the chat's learning functions); the entries officers added, as JSON."""

from __future__ import annotations

import json

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from bot.dashboard.auth import check_csrf
from bot.dashboard.render import SignedIn, back, database, page
from bot.i18n import N_
from db.models import utcnow
from handlers import learning

router = APIRouter(prefix="/dashboard", include_in_schema=False)
_MISSING = {
    "questions": N_("dash.missing_questions"),
    "answer_vi": N_("dash.missing_answer_vi"),
    "legal_basis": N_("dash.missing_legal_basis"),
}


@router.get("/questions", response_class=HTMLResponse)
async def questions(request: Request, officer: SignedIn) -> HTMLResponse:
    """Unanswered questions of the province, grouped, largest group first."""
    groups = await learning.unanswered_groups(
        database(request), province_code=officer.user.province_code
    )
    saved = request.query_params.get("saved", "")
    return page(request, officer, "questions.html", groups=groups[:30], saved=saved)


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
            database(request),
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
        return page(request, officer, "message.html", status=422, key=_MISSING[str(exc)])
    return back(f"/dashboard/questions?saved={entry}")


@router.get("/faq.json")
async def faq_export(request: Request, _officer: SignedIn) -> Response:
    """The FAQ entries officers added, as JSON (marked `added_by: officer`)."""
    body = json.dumps(
        await learning.export_officer_faq(database(request)), ensure_ascii=False, indent=1
    )
    return Response(
        body,
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="ocop-faq-office.json"'},
    )
