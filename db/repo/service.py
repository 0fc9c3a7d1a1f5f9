"""Rows about the service itself, not its users: the Zalo token pair and the heartbeat."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import Connection, Table, insert, select, update

from db.models import Heartbeat, ZaloToken

_heartbeat = cast(Table, Heartbeat.__table__)
_zalo_tokens = cast(Table, ZaloToken.__table__)


def zalo_token(connection: Connection) -> tuple[str, str, datetime] | None:
    """(access token, refresh token, expiry) stored, if any."""
    row = connection.execute(
        select(
            _zalo_tokens.c.access_token, _zalo_tokens.c.refresh_token, _zalo_tokens.c.expires_at
        )
        .order_by(_zalo_tokens.c.id.desc())
        .limit(1)
    ).first()
    return None if row is None else (row[0], row[1], row[2])


def store_zalo_token(
    connection: Connection,
    *,
    access_token: str,
    refresh_token: str,
    expires_at: datetime,
    now: datetime,
) -> None:
    """Replace the token pair in one transaction (the refresh token is single-use)."""
    connection.execute(_zalo_tokens.delete())
    connection.execute(
        insert(_zalo_tokens).values(
            access_token=access_token,
            refresh_token=refresh_token,
            expires_at=expires_at,
            updated_at=now,
        )
    )


def heartbeat(connection: Connection, *, now: datetime) -> None:
    """Rewrite the heartbeat row: fails when the database cannot write (read-only, full)."""
    if not connection.execute(update(_heartbeat).values(at=now)).rowcount:
        connection.execute(insert(_heartbeat).values(id=1, at=now))
