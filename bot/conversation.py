"""A conversation declared once: its commands, its button actions, its flow and prompt.

Each handler module ends with one `Conversation`; the router builds its tables from the list
of them (and refuses two that claim the same command, button prefix or flow). Steps are a
`StrEnum` per flow, actions are `bot.actions` dataclasses, state is a `context.FlowData`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from bot.actions import Action, Codec
from bot.context import Context
from bot.messages import Incoming, Reply

Handler = Callable[[Context, Incoming], Awaitable[list[Reply]]]
"""Answers a command or a text."""
ActionHandler = Callable[[Context, Incoming, Action], Awaitable[list[Reply]]]
"""Answers a button press, given the action it decoded to."""
Prompt = Callable[[Context], Awaitable[list[Reply]]]
"""Asks the flow's current step again."""


@dataclass(frozen=True, slots=True)
class Conversation:
    """What the router needs to know of one handler module."""

    name: str
    commands: Mapping[str, Handler] = field(default_factory=dict)
    """Slash commands it answers, valid from any step."""
    actions: Codec | None = None
    """Its buttons (their prefix routes presses here)."""
    on_action: ActionHandler | None = None
    flow: str = ""
    """The flow name stored in the user's state while they are inside it ("" for none)."""
    on_text: Handler | None = None
    """Free text while the user is inside the flow."""
    questions: bool = False
    """Its free text is questions, like the menu's: one confidently in the other language is
    answered in that language (data typed at a step, a date or a draft, never is)."""
    prompt: Prompt | None = None
    """How the flow re-asks its current step."""

    def __post_init__(self) -> None:
        if (self.actions is None) != (self.on_action is None):
            raise ValueError(f"{self.name}: actions and on_action go together")
        if not self.flow and (self.on_text or self.prompt):
            raise ValueError(f"{self.name}: on_text and prompt need a flow")
