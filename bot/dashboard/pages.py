"""The dashboard's pages, one module per concern: sign-in (`signin`), the hand-over queue
(`handovers`), unanswered questions (`questions`), deadlines and broadcasts (`announcements`),
certificates and province insight (`reports`). Routes read and write through `db` and reuse
the chat's hand-over and learning functions, so both doors behave the same."""

from __future__ import annotations

from fastapi import FastAPI

from bot.dashboard import announcements, handovers, questions, reports, signin
from bot.dashboard.auth import NotSignedIn


def install(app: FastAPI) -> None:
    """Mount the dashboard on the app."""
    for module in (signin, handovers, questions, announcements, reports):
        app.include_router(module.router)
    app.add_exception_handler(NotSignedIn, signin.not_signed_in)
