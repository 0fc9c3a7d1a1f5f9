"""Hand-over operations shared by the chat (`handlers.handover`) and the dashboard: claim one
(first claim wins), answer the user, close it; each tells the other side through the outbox."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from bot.i18n import N_, translator
from bot.messages import REPLY_WINDOWS, Button, Reply, reply_to_dict
from db import office, repo
from db.session import Database
from handlers import actions as do
from handlers.menu import menu_button


def notice(
    connection: Connection, contact: repo.Recipient, reply: Reply, now: datetime, key: str | None
) -> None:
    """Queue one message to a user or an officer (`key` keeps it from going twice)."""
    repo.enqueue(
        connection,
        platform=contact.platform,
        chat_id=contact.chat_id,
        user_id=contact.user_id,
        kind="notice",
        payload=[reply_to_dict(reply)],
        now=now,
        dedupe_key=key,
    )


def _reachable(user: repo.UserRecord, now: datetime) -> bool:
    """Whether a free message can reach the user now (Zalo: 48 hours after their last one)."""
    window = REPLY_WINDOWS.get(user.platform)
    return window is None or now - user.last_seen_at <= window


async def answer(
    db: Database, *, handover_id: int, officer_id: int, text: str, now: datetime
) -> str:
    """Send an officer's answer to the user: "sent", "undeliverable" (Zalo's window) or
    "not_owner" (closed, or claimed by someone else). Used by the chat and the dashboard."""

    def send(connection: Connection) -> str:
        handover = office.get_handover(connection, handover_id=handover_id)
        if handover is None or handover.status != "claimed" or handover.officer_id != officer_id:
            return "not_owner"
        found = office.user_by_id(connection, user_id=handover.user_id)
        if found is None or not found.active:
            office.add_message(
                connection,
                handover_id=handover_id,
                sender="officer",
                text=text,
                now=now,
                delivered=False,
            )
            return "undeliverable"
        if not _reachable(found, now):
            office.add_message(
                connection,
                handover_id=handover_id,
                sender="officer",
                text=text,
                now=now,
                delivered=False,
            )
            return "undeliverable"
        office.add_message(
            connection, handover_id=handover_id, sender="officer", text=text, now=now
        )
        t = translator(found.locale)
        reply = Reply(
            text=t("ho.from_office", text=text),
            buttons=((Button(t("ho.close"), do.CloseHandover(handover_id).encode()),),),
        )
        contact = repo.Recipient(found.id or 0, found.platform, found.chat_id, found.locale)
        notice(connection, contact, reply, now, None)
        return "sent"

    return await db.run(send)


async def claim(
    db: Database, *, handover_id: int, officer_id: int, officer_name: str, now: datetime
) -> tuple[bool, office.HandoverRecord | None]:
    """Claim a hand-over for an officer (first claim wins); the user and the other officers are
    told. Returns (won, the hand-over as it now stands)."""

    def apply(connection: Connection) -> tuple[bool, office.HandoverRecord | None]:
        won = office.claim_handover(
            connection, handover_id=handover_id, officer_id=officer_id, now=now
        )
        handover = office.get_handover(connection, handover_id=handover_id)
        if not won or handover is None:
            return False, handover
        contact = repo.user_contact(connection, user_id=handover.user_id)
        if contact is not None:
            t = translator(contact.locale)
            reply = Reply(
                text=t("ho.claimed_user"),
                buttons=((Button(t("ho.close"), do.CloseHandover(handover_id).encode()),),),
            )
            notice(connection, contact, reply, now, f"handover-claimed:{handover_id}")
        for other in office.officers_for(connection, province_code=handover.province_code):
            if other.user_id != officer_id:
                text = translator(other.locale)("ho.taken", number=handover_id, name=officer_name)
                notice(
                    connection,
                    other,
                    Reply(text=text),
                    now,
                    f"handover-taken:{handover_id}:{other.user_id}",
                )
        return True, handover

    return await db.run(apply)


async def close(db: Database, *, handover_id: int, by_user: int, now: datetime) -> str:
    """Close a hand-over as its user or its owner (any officer may close a queued one); the
    other side is told and the bot answers the user again. Returns the side that closed it
    ("user" or "officer"), or "" when it was closed already or is not theirs."""

    def apply(connection: Connection) -> str:
        handover = office.get_handover(connection, handover_id=handover_id)
        if handover is None or handover.status == "closed":
            return ""
        closer = office.user_by_id(connection, user_id=by_user)
        is_officer = closer is not None and closer.role == "officer" and closer.officer_approved
        if by_user == handover.user_id:
            side = "user"
        elif is_officer and handover.officer_id in (None, by_user):
            side = "officer"
        else:
            return ""
        if not office.close_handover(connection, handover_id=handover_id, by=side, now=now):
            return ""
        told = handover.officer_id if side == "user" else handover.user_id
        contact = None if told is None else repo.user_contact(connection, user_id=told)
        if contact is not None:
            t = translator(contact.locale)
            key = N_("ho.closed_by_user") if side == "user" else N_("ho.closed_by_office")
            reply = Reply(text=t(key, number=handover_id), buttons=((menu_button(t),),))
            notice(connection, contact, reply, now, f"handover-closed:{handover_id}")
        return side

    return await db.run(apply)
