"""The one way any "I don't have an answer" reply offers a person: the `AskOfficer` button."""

from __future__ import annotations

from bot.i18n import Translator
from bot.messages import Button
from handlers.actions import AskOfficer


def ask_officer_button(t: Translator) -> Button:
    """ "Ask an OCOP officer": starts a hand-over (handlers/handover.py)."""
    return Button(t("ho.start_button"), AskOfficer().encode())
