"""The per-update path's batched write: marking many handled updates' replies as sent in one
statement (the webhook doors note this after each answer; under load many answers finish
together, and one transaction for all of them spares a commit each)."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import Connection, Table, bindparam, update

from db.models import ProcessedUpdate

_processed = cast(Table, ProcessedUpdate.__table__)

_MARK_MANY_SENT = (
    update(_processed)
    .where(
        _processed.c.platform == bindparam("p"),
        _processed.c.update_id.in_(bindparam("ids", expanding=True)),
    )
    .values(sent_at=bindparam("at"))
)


def mark_many_sent(
    connection: Connection, *, platform: str, update_ids: list[str], now: datetime
) -> None:
    """Note that the replies of these handled updates (of one platform) reached it."""
    connection.execute(_MARK_MANY_SENT, {"p": platform, "ids": update_ids, "at": now})
