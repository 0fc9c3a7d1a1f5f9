"""What the province's figures say: certificates against the re-evaluation window, and
self-assessments by product set with the criteria most often missing."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from bot.dashboard import views
from bot.dashboard.render import SignedIn, database, page
from bot.i18n import translator
from db.models import utcnow
from knowledge.reminders import VIETNAM

router = APIRouter(prefix="/dashboard", include_in_schema=False)


@router.get("/certificates", response_class=HTMLResponse)
async def certificates(request: Request, officer: SignedIn) -> HTMLResponse:
    """The province's certificates against the re-evaluation window (QĐ 26/2026 Điều 7.6.a)."""
    today = utcnow().astimezone(VIETNAM).date()
    rows = await views.certificate_rows(
        database(request), province_code=officer.user.province_code, today=today
    )
    return page(request, officer, "certificates.html", rows=rows, states=views.STATES)


@router.get("/insight", response_class=HTMLResponse)
async def insight(request: Request, officer: SignedIn) -> HTMLResponse:
    """Self-assessments of the province: bands per product set, criteria most often missing."""
    found = await views.insight(
        database(request), province_code=officer.user.province_code, locale=officer.user.locale
    )
    title = translator(officer.user.locale)("dash.chart_title")
    chart = Markup(views.bar_chart(found.missing, title=title))
    return page(request, officer, "insight.html", insight=found, chart=chart, bands=range(6))
