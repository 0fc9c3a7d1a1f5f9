"""Signing in with a one-time link, signing out, and the dashboard's language."""

from __future__ import annotations

from functools import partial
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from bot.dashboard.auth import COOKIE, SESSION_TTL, check_csrf, link_is_live, open_session
from bot.dashboard.render import SignedIn, back, database, page
from db import office, repo
from db.models import utcnow
from knowledge.text import LOCALES

router = APIRouter(prefix="/dashboard", include_in_schema=False)


@router.get("/login")
async def login_page(request: Request, token: str = "") -> Response:
    """The page a link opens: a Sign-in button. Opening the link spends nothing, so a link
    preview (Telegram fetches links it shows) or a mail scanner cannot use it up."""
    valid = bool(token) and await link_is_live(database(request), token)
    status = 200 if valid else 401 if not token else 403
    return page(
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
    session = await open_session(database(request), token) if token else None
    if session is None:
        return page(request, None, "signin.html", status=403, token="", expired=True)
    response = back("/dashboard")
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
    await database(request).run(
        partial(office.end_session, token_hash=officer.session_hash, now=utcnow())
    )
    response = back("/dashboard/login")
    response.delete_cookie(COOKIE, path="/dashboard")
    return response


@router.post("/lang")
async def language(
    request: Request, officer: SignedIn, csrf: str = Form(""), lang: str = Form("vi")
) -> Response:
    """Switch the dashboard (and the officer's chat) language."""
    check_csrf(officer, csrf)
    if lang in LOCALES:
        await database(request).run(
            partial(repo.update_user, user_id=officer.id, changes={"locale": lang})
        )
    came_from = urlsplit(request.headers.get("referer", "")).path
    return back(came_from if came_from.startswith("/dashboard") else "/dashboard")


async def not_signed_in(request: Request, _exc: Exception) -> Response:
    """The sign-in page, for any page asked for without a session."""
    return page(request, None, "signin.html", status=401, token="", expired=False)
