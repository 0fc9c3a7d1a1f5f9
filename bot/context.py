"""What a handler gets: the user, their conversation state, settings, the clock, translations.

A flow's state is a `FlowData` dataclass, stored as a JSON dict (`State.data`) and read back
tolerantly: a key missing, of the wrong type or left by an older version takes the field's
default, so a conversation stored before a deploy still loads after it.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, Literal, Self, TypeVar

from sqlalchemy import Connection

from bot.i18n import Translator, translator
from bot.messages import Reply
from bot.settings import Settings
from db.repo import UserRecord
from db.session import Database, Transaction
from knowledge.faq import Reading, read_question
from knowledge.place_query import Answer, understand_typed
from knowledge.text import Locale, as_locale

T = TypeVar("T")
D = TypeVar("D", bound="FlowData")
Write = Callable[[Connection, int], object]
"""A deferred write: run in the update's transaction with the user's id."""


def key(name: str) -> dict[str, str]:
    """Field metadata: the key this field is stored under (when it differs from its name)."""
    return {"key": name}


@dataclass(slots=True)
class FlowData:
    """Base of a flow's typed state: subclasses are dataclasses whose fields have defaults."""

    @classmethod
    def load(cls, raw: Mapping[str, Any]) -> Self:
        """The state stored as `raw`; what is missing or malformed takes its default."""
        values = {}
        for name, stored_as, fits in _layout(cls):
            stored = raw.get(stored_as)
            if stored is not None and fits(stored):
                values[name] = _copied(stored)
        return cls(**values)

    def dump(self) -> dict[str, Any]:
        """The JSON-ready dict stored for this state (a field that is None is left out)."""
        return {
            stored_as: _copied(value)
            for name, stored_as, _ in _layout(type(self))
            if (value := getattr(self, name)) is not None
        }


_Fits = Callable[[object], bool]
_LAYOUTS: dict[type, tuple[tuple[str, str, _Fits], ...]] = {}


def _layout(cls: type) -> tuple[tuple[str, str, _Fits], ...]:
    """A state class's fields: (name, the key stored under, the check of a stored value), made
    once per class (its annotations are strings, evaluated here)."""
    layout = _LAYOUTS.get(cls)
    if layout is None:
        hints = typing.get_type_hints(cls)
        layout = _LAYOUTS[cls] = tuple(
            (f.name, f.metadata.get("key", f.name), _fits(hints[f.name])) for f in fields(cls)
        )
    return layout


def _fits(kind: object) -> _Fits:
    """The check that a JSON value is of the declared type (bool is not an int here);
    TypeError for a type a state cannot hold."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if kind is bool:
        return lambda value: isinstance(value, bool)
    if kind is int:
        return lambda value: isinstance(value, int) and not isinstance(value, bool)
    if kind is float:
        return lambda value: isinstance(value, int | float) and not isinstance(value, bool)
    if kind is str:
        return lambda value: isinstance(value, str)
    if origin is Literal:
        return lambda value: value in args
    if origin in (typing.Union, types.UnionType):
        each = [_fits(a) for a in args]
        return lambda value: any(fits(value) for fits in each)
    if origin is list:
        item = _fits(args[0])
        return lambda value: isinstance(value, list) and all(item(v) for v in value)
    if origin is dict:
        key, item = _fits(args[0]), _fits(args[1])
        return lambda value: (
            isinstance(value, dict) and all(key(k) and item(v) for k, v in value.items())
        )
    if kind is type(None):
        return lambda value: value is None
    raise TypeError(f"unsupported state field type: {kind}")


def _copied(value: Any) -> Any:
    """A JSON value copied deep (its lists and dicts are the state's own, never shared)."""
    if isinstance(value, list):
        return [_copied(v) for v in value]
    if isinstance(value, dict):
        return {k: _copied(v) for k, v in value.items()}
    return value


@dataclass(slots=True)
class State:
    """The user's place in a conversation; handlers change it, the dispatcher saves it."""

    flow: str = ""
    step: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    def go(self, flow: str, step: str, data: FlowData | None = None) -> None:
        """Move to a step of a flow; its state is `data` when given, else kept within the flow
        (and emptied when the flow changes)."""
        if flow != self.flow:
            self.data = {}
        self.flow, self.step = flow, step
        if data is not None:
            self.data = data.dump()

    def load(self, kind: type[D]) -> D:
        """The flow's state, typed (defaults for anything missing)."""
        return kind.load(self.data)

    def clear(self, keep: Collection[str] = ()) -> None:
        """Leave every flow (the data under the `keep` keys stays, outside any flow)."""
        kept = {k: v for k, v in self.data.items() if k in keep}
        self.flow, self.step, self.data = "", "", kept


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
    reply_locale: Locale | None = None
    """Set by the router when a typed question is confidently in the other language than the
    user's setting (`knowledge.language`): this update is answered in it, and so are the
    buttons pressed under the answer until the next typed text."""
    readings: dict[tuple[str, str | None], Reading] = field(default_factory=dict, repr=False)
    """`question`'s readings of this update's text, by audience."""
    place_readings: dict[tuple[str, tuple[float, float] | None], Answer] = field(
        default_factory=dict, repr=False
    )
    """`place_search`'s readings of this update's text, by the location it is read around."""

    async def read(self, work: Callable[[Connection], T]) -> T:
        """Run a query (a `db.repo` function) in the update's transaction, or in its own short
        one."""
        if self.transaction is not None:
            return await self.transaction.run(work)
        assert self.db is not None, "no database in this context"
        return await self.db.run(work)

    @property
    def audience(self) -> str:
        """Whose FAQ entries serve the user first: a visitor's or a producer's (officers ask as
        producers do)."""
        return "tourist" if self.user.role == "tourist" else "producer"

    def question(self, text: str, audience: str | None = None) -> Reading:
        """`knowledge.faq.read_question` of `text`, read once per update: the router asks
        several handlers in turn, and each reads the question."""
        key = (text, audience)
        reading = self.readings.get(key)
        if reading is None:
            reading = self.readings[key] = read_question(text, audience=audience)
        return reading

    def place_search(self, text: str, here: tuple[float, float] | None = None) -> Answer:
        """`knowledge.place_query.understand_typed` of `text`, read once per update around a
        location: the visitors' and the producers' place handlers, and the FAQ that steps aside
        for places, read the same question."""
        key = (text, here)
        answer = self.place_readings.get(key)
        if answer is None:
            answer = self.place_readings[key] = understand_typed(text, here)
        return answer

    def write(self, work: Write) -> None:
        """Queue a write; it commits with the user's new state, or not at all."""
        self.writes.append(work)

    async def reprompt(self) -> list[Reply]:
        """Ask again whatever the user's current step asks (or show the menu)."""
        return [] if self.resumer is None else await self.resumer(self)

    def use_language(self, code: str) -> None:
        """Set the user's language: this update's replies, too, are in it from now on."""
        self.user.locale = code
        self.reply_locale = None

    @property
    def locale(self) -> Locale:
        """The language of this update's replies: the message's own, else the user's setting."""
        return self.reply_locale or as_locale(self.user.locale)

    @property
    def t(self) -> Translator:
        """Messages in the language of this update's replies."""
        return translator(self.locale)
