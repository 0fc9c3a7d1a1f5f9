"""Learning from what the bot could not answer: questions are kept (the asker forgotten after
the retention period) and officers turn groups of them into FAQ entries in force at once."""

from __future__ import annotations

from bot.context import Context
from db import office

SOURCES = ("faq", "place", "handover")


def record_unanswered(ctx: Context, text: str, source: str) -> None:
    """Keep a question the bot could not answer (`source`: faq, place or handover); written
    with the update, nothing when the text is empty or a command."""
    said = text.strip()
    if not said or said.startswith("/") or source not in SOURCES:
        return
    user = ctx.user
    ctx.write(
        lambda connection, uid: office.add_unanswered(
            connection,
            text=said,
            source=source,
            user_id=uid,
            province_code=user.province_code,
            locale=user.locale,
            now=ctx.now,
        )
    )
