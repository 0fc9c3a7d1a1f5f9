"""`/dashboard`: an officer gets a one-time link to the web dashboard (10 minutes, single use)."""

from __future__ import annotations

from bot.context import Context
from bot.conversation import Conversation
from bot.dashboard.auth import new_token, store_link
from bot.messages import Incoming, Reply
from handlers.menu import menu_button


async def send_link(ctx: Context, msg: Incoming) -> list[Reply]:
    """Answer an approved officer with a fresh sign-in link; anyone else is refused."""
    if ctx.user.role != "officer" or not ctx.user.officer_approved:
        return [Reply(text=ctx.t("of.refused"), buttons=((menu_button(ctx.t),),))]
    token = new_token()
    ctx.write(
        lambda connection, uid: store_link(connection, token=token, user_id=uid, now=ctx.now)
    )
    url = f"{ctx.settings.PUBLIC_URL.rstrip('/')}/dashboard/login?token={token}"
    return [Reply(text=ctx.t("dash.link_sent", url=url), buttons=((menu_button(ctx.t),),))]


CONVERSATION = Conversation(name="dashboard_link", commands={"dashboard": send_link})
