"""The one way any "I don't have an answer" reply offers a person: the `ho:start` button."""

from __future__ import annotations

from bot.i18n import Translator
from bot.messages import Button

ASK_OFFICER = "ho:start"


def ask_officer_button(t: Translator) -> Button:
    """ "Ask an OCOP officer": starts a hand-over (handlers/handover.py)."""
    return Button(t("ho.start_button"), ASK_OFFICER)
