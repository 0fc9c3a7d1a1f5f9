"""Dashboard login without passwords: `/dashboard` in the chat gives an officer a one-time link
(a random 256-bit token, valid 10 minutes, stored only as its SHA-256); opening it starts a
session (cookie, 8 hours). Every page re-reads the session's user and re-checks the officer
role; forms carry a CSRF token derived from the session token."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from fastapi import HTTPException, Request
from sqlalchemy import Connection

from db import office
from db.models import utcnow
from db.repo import UserRecord
from db.session import Database

LINK_TTL = timedelta(minutes=10)
SESSION_TTL = timedelta(hours=8)
COOKIE = "ocop_dashboard"


def digest(token: str) -> str:
    """What the database keeps of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token(session_token: str) -> str:
    """The CSRF token of a session: unforgeable without the (HttpOnly) session cookie."""
    return hmac.new(session_token.encode(), b"csrf", hashlib.sha256).hexdigest()


def new_token() -> str:
    """A fresh random token (256 bits)."""
    return secrets.token_urlsafe(32)


def store_link(connection: Connection, *, token: str, user_id: int, now: datetime) -> None:
    """Make `token` a login link of this officer for LINK_TTL."""
    office.add_login(
        connection,
        token_hash=digest(token),
        user_id=user_id,
        kind="link",
        expires_at=now + LINK_TTL,
        now=now,
    )


async def link_is_live(db: Database, link_token: str) -> bool:
    """Whether a link can still be used (nothing is spent)."""
    return await db.run(partial(office.link_is_live, token_hash=digest(link_token), now=utcnow()))


async def open_session(db: Database, link_token: str) -> str | None:
    """Spend a link and start a session; its token, or None for a bad, used or old link."""
    now = utcnow()

    def spend(connection: Connection) -> str | None:
        user_id = office.use_link(connection, token_hash=digest(link_token), now=now)
        if user_id is None:
            return None
        session = new_token()
        office.add_login(
            connection,
            token_hash=digest(session),
            user_id=user_id,
            kind="session",
            expires_at=now + SESSION_TTL,
            now=now,
        )
        return session

    return await db.run(spend)


@dataclass(frozen=True, slots=True)
class Officer:
    """The signed-in officer of a request."""

    user: UserRecord
    csrf: str
    session_hash: str

    @property
    def id(self) -> int:
        """The officer's user id."""
        assert self.user.id is not None
        return self.user.id


class NotSignedIn(HTTPException):
    """No live session of an approved officer: the page says how to sign in."""

    def __init__(self) -> None:
        super().__init__(status_code=401)


async def signed_in(request: Request) -> Officer:
    """The officer of this request (a FastAPI dependency); NotSignedIn otherwise."""
    token = request.cookies.get(COOKIE, "")
    if not token:
        raise NotSignedIn
    db: Database = request.app.state.db
    user_id = await db.run(partial(office.session_user, token_hash=digest(token), now=utcnow()))
    user = None if user_id is None else await db.run(partial(office.user_by_id, user_id=user_id))
    if user is None or user.role != "officer" or not user.officer_approved or not user.active:
        raise NotSignedIn
    return Officer(user, csrf_token(token), digest(token))


def check_csrf(officer: Officer, sent: str) -> None:
    """Refuse a form without this session's CSRF token (403)."""
    if not hmac.compare_digest(officer.csrf, sent or ""):
        raise HTTPException(status_code=403, detail="csrf")
