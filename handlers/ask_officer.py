"""The one way any "I don't have an answer" reply offers a person: the `AskOfficer` button."""

from __future__ import annotations

from bot.i18n import Translator
from bot.messages import Button
from handlers.actions import AskAboutAnnouncement, AskOfficer


def ask_officer_button(t: Translator, announcement: int | None = None) -> Button:
    """ "Ask an OCOP officer": starts a hand-over (handlers/handover.py); under an
    announcement, one that tells the officers which `announcement` it is about."""
    action = AskOfficer() if announcement is None else AskAboutAnnouncement(announcement)
    return Button(t("ho.start_button"), action.encode())
