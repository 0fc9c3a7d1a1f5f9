"""Officer rights: granting and withdrawing them (with a record of who decided, and a word to
the user), and asking the approved officers to decide on a request."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from bot.context import Context
from bot.i18n import N_, translator
from bot.messages import Button, Reply, reply_to_dict
from db import repo


def decide_officer(
    connection: Connection, *, user_id: int, approve: bool, by: str, now: datetime
) -> bool:
    """Grant or withdraw a user's officer rights, record who decided, and tell the user (an
    officer losing rights hears so; a refused request hears it was not approved)."""
    was_officer = repo.officer_contact(connection, user_id=user_id) is not None
    if not repo.set_officer(connection, user_id=user_id, approved=approve, by=by, now=now):
        return False
    contact = repo.user_contact(connection, user_id=user_id)
    if contact is not None and approve != was_officer:
        verdict = N_("of.you_approved") if approve else N_("of.you_refused")
        if was_officer:
            verdict = N_("of.you_removed")
        repo.enqueue(
            connection,
            platform=contact.platform,
            chat_id=contact.chat_id,
            user_id=user_id,
            kind="notice",
            payload=[reply_to_dict(Reply(text=translator(contact.locale)(verdict)))],
            now=now,
        )
    return True


def notify_officers(ctx: Context) -> None:
    """Ask every approved officer to approve or refuse this user's request, with one tap."""
    name = ctx.user.display_name or ctx.user.external_id

    def ask(connection: Connection, uid: int) -> None:
        for officer in repo.officer_contacts(connection):
            t = translator(officer.locale)
            reply = Reply(
                text=t("of.request", name=name, platform=ctx.user.platform),
                buttons=(
                    (
                        Button(t("of.approve"), f"of:ok:{uid}"),
                        Button(t("of.refuse"), f"of:no:{uid}"),
                    ),
                ),
            )
            repo.enqueue(
                connection,
                platform=officer.platform,
                chat_id=officer.chat_id,
                user_id=officer.user_id,
                kind="notice",
                payload=[reply_to_dict(reply)],
                now=ctx.now,
                dedupe_key=f"officer-request:{uid}:{officer.user_id}",
            )

    ctx.write(ask)
