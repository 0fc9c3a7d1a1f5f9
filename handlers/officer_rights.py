"""Officer rights: who is an officer (every officer step checks it; anyone else is refused
politely and the attempt logged), granting and withdrawing the rights (with a record of who
decided, and a word to the user), asking the approved officers to decide on a request, and
their approve / refuse buttons."""

from __future__ import annotations

import logging
from datetime import datetime
from functools import partial

from sqlalchemy import Connection

from bot.actions import Action
from bot.context import Context
from bot.conversation import Conversation
from bot.i18n import N_, translator
from bot.messages import Button, Incoming, Reply, reply_to_dict
from db import repo
from handlers import officer_actions as do
from handlers.menu import menu_button, stale_button

logger = logging.getLogger(__name__)


def is_officer(ctx: Context) -> bool:
    """True for an approved officer."""
    return ctx.user.role == "officer" and ctx.user.officer_approved


def refuse(ctx: Context, what: str) -> list[Reply]:
    """The answer to someone not an officer trying an officer's step (logged)."""
    logger.warning(
        "refused %s to %s:%s (not an officer)", what, ctx.user.platform, ctx.user.external_id
    )
    return [
        Reply(
            text=ctx.t("of.refused"), notice=ctx.t("of.refused"), buttons=((menu_button(ctx.t),),)
        )
    ]


def with_menu(ctx: Context, text: str) -> Reply:
    """A text with the way back to the menu."""
    return Reply(text=text, buttons=((menu_button(ctx.t),),))


def too_long(ctx: Context, text: str, limit: int) -> str:
    """Why a text longer than `limit` is refused, with its length ("" when it fits): never
    cut without a word."""
    return ctx.t("of.too_long", length=len(text), limit=limit) if len(text) > limit else ""


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
                        Button(t("of.approve"), do.ApproveOfficer(uid).encode()),
                        Button(t("of.refuse"), do.RefuseOfficer(uid).encode()),
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


async def on_action(ctx: Context, msg: Incoming, action: Action) -> list[Reply]:
    """Approve or refuse a request; the role is checked again (callback data can be forged)."""
    if not is_officer(ctx):
        return refuse(ctx, msg.action or "")
    match action:
        case do.ApproveOfficer(user_id) | do.RefuseOfficer(user_id):
            return await _decide(ctx, user_id, approve=isinstance(action, do.ApproveOfficer))
    return await stale_button(ctx, msg)


async def _decide(ctx: Context, user_id: int, *, approve: bool) -> list[Reply]:
    """Acts only on a request still waiting (decided meanwhile, or the id now someone else's
    after an erasure: nothing changes)."""
    if not await ctx.read(partial(repo.officer_request_pending, user_id=user_id)):
        return [with_menu(ctx, ctx.t("of.request_gone"))]
    ctx.write(
        lambda c, uid: decide_officer(
            c, user_id=user_id, approve=approve, by=f"officer:{uid}", now=ctx.now
        )
    )
    return [with_menu(ctx, ctx.t("of.approved") if approve else ctx.t("of.refused_request"))]


CONVERSATION = Conversation(name="officer_rights", actions=do.officer_rights, on_action=on_action)
