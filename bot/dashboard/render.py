"""What every dashboard page shares: the templates, the signed-in officer, the database, and a
page rendered in the officer's language."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from bot.dashboard.auth import Officer, signed_in
from bot.i18n import translator
from db.session import Database
from knowledge.regions import by_code
from knowledge.reminders import VIETNAM

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
SignedIn = Annotated[Officer, Depends(signed_in)]


def database(request: Request) -> Database:
    """The app's database."""
    db: Database = request.app.state.db
    return db


def page(
    request: Request, officer: Officer | None, name: str, status: int = 200, **context: Any
) -> HTMLResponse:
    """The template `name` in the officer's language (Vietnamese before sign-in)."""
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


def back(path: str) -> RedirectResponse:
    """Go to `path` after a form post (303: the browser then GETs it)."""
    return RedirectResponse(path, status_code=303)
