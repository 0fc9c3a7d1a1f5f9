"""What a handler gets: the user, their conversation state, settings, the clock, translations."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Connection

from bot.i18n import Translator, translator
from bot.messages import Reply
from bot.settings import Settings
from db.repo import UserRecord
from db.session import Database, Transaction

T = TypeVar("T")
Write = Callable[[Connection, int], object]
"""A deferred write: run in the update's transaction with the user's id."""


@dataclass(slots=True)
class State:
    """The user's place in a conversation; handlers change it, the dispatcher saves it."""

    flow: str = ""
    step: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    def go(self, flow: str, step: str, **data: Any) -> None:
        """Move to a step of a flow, replacing the flow's data when given."""
        if flow != self.flow:
            self.data = {}
        self.flow, self.step = flow, step
        self.data.update(data)

    def clear(self) -> None:
        """Leave every flow."""
        self.flow, self.step, self.data = "", "", {}


@dataclass(slots=True)
class Context:
    """Everything a handler may use; handlers never touch the database session directly."""

    user: UserRecord
    state: State
    settings: Settings
    now: datetime
    resumer: Callable[[Context], Awaitable[list[Reply]]] | None = field(default=None, repr=False)
    """Set by the dispatcher to the router's `resume`, so a handler can re-ask the current step."""
    db: Database | None = field(default=None, repr=False)
    transaction: Transaction | None = field(default=None, repr=False)
    """The update's transaction, when the dispatcher runs one: reads join it."""
    writes: list[Write] = field(default_factory=list, repr=False)
    erased: bool = False
    """Set by a handler whose write erases the user: nothing of them is written back."""

    async def read(self, work: Callable[[Connection], T]) -> T:
        """Run a query (a `db.repo` function) in the update's transaction, or in its own short
        one."""
        if self.transaction is not None:
            return await self.transaction.run(work)
        assert self.db is not None, "no database in this context"
        return await self.db.run(work)

    def write(self, work: Write) -> None:
        """Queue a write; it commits with the user's new state, or not at all."""
        self.writes.append(work)

    async def reprompt(self) -> list[Reply]:
        """Ask again whatever the user's current step asks (or show the menu)."""
        return [] if self.resumer is None else await self.resumer(self)

    @property
    def t(self) -> Translator:
        """Messages in the user's current language."""
        return translator(self.user.locale)
