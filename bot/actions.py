"""Button actions: typed values that travel as short ASCII strings, encoded and decoded here.

An action is a frozen dataclass declared with its conversation's `Codec` and a tag
(`class ChooseSet(Action, codec=assessment, tag="set"): code: str`); on the wire it is
`prefix:tag:field:field` (`as:a:12:1` = assessment, answer question 12 with option 1). Field
types: `int`, `str` (no `:`), a `Literal` of strings, `float` (four decimals, about 11 m for a
map point). The 64-byte limit is `messages.well_formed_action`'s, on encoding and decoding
alike. Whatever does not decode to a registered action (forged, from an older version, cut
short) decodes to None, which the router answers as a stale button.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any, ClassVar, Literal, dataclass_transform

from bot.messages import MAX_ACTION_BYTES, well_formed_action

_FLOAT = re.compile(r"-?\d{1,3}\.\d{1,6}")


@dataclass_transform(frozen_default=True)
@dataclass(frozen=True)
class Action:
    """Base of every button action: a subclass names its codec and tag, and becomes a frozen
    dataclass registered there."""

    codec: ClassVar[Codec]
    tag: ClassVar[tuple[str, ...]]

    def __init_subclass__(cls, *, codec: Codec, tag: str, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        dataclass(frozen=True)(cls)
        codec.register(cls, tag)

    def encode(self) -> str:
        """The string the button carries (actions are values: each is encoded once)."""
        return _encoded(self)


@lru_cache(maxsize=4096)
def _encoded(action: Action) -> str:
    return action.codec.encode(action)


_Parse = Callable[[str], object]


def _parser(kind: object) -> tuple[_Parse, Callable[[Any], str]]:
    """How a field of this type reads from and writes to the wire (ValueError when it cannot)."""
    if kind is int:
        return _read_int, _write_int
    if kind is str:
        return _read_str, _write_str
    if kind is float:
        return _read_float, _write_float
    if typing.get_origin(kind) is Literal:
        allowed = frozenset(typing.get_args(kind))
        if not all(isinstance(v, str) for v in allowed):
            raise TypeError(f"only string literals travel in actions: {kind}")

        def read(value: str) -> str:
            if value not in allowed:
                raise ValueError(value)
            return value

        return read, _write_str
    raise TypeError(f"unsupported action field type: {kind}")


def _read_int(value: str) -> int:
    digits = value.removeprefix("-")
    if not (digits.isascii() and digits.isdigit()):
        raise ValueError(value)
    return int(value)


def _write_int(value: int) -> str:
    return str(value)


def _read_str(value: str) -> str:
    return value


def _write_str(value: str) -> str:
    if ":" in value:
        raise ValueError(f"a `:` cannot travel inside an action field: {value!r}")
    return value


def _read_float(value: str) -> float:
    if _FLOAT.fullmatch(value) is None:
        raise ValueError(value)
    return float(value)


def _write_float(value: float) -> str:
    return f"{value:.4f}"


class Codec:
    """The actions of one conversation, all starting with its `prefix`."""

    def __init__(self, prefix: str) -> None:
        if not (prefix.isascii() and prefix.isalnum()):
            raise ValueError(f"an action prefix is one ASCII word: {prefix!r}")
        self.prefix = prefix
        self._kinds: dict[tuple[tuple[str, ...], int], tuple[type[Action], list[_Parse]]] = {}
        self._writers: dict[type[Action], list[Callable[[Any], str]]] = {}

    def register(self, cls: type[Action], tag: str) -> None:
        """Make `cls` (a frozen dataclass) the action `prefix:tag:<its fields>`."""
        hints = typing.get_type_hints(cls)
        readers, writers = [], []
        for f in fields(cls):
            read, write = _parser(hints[f.name])
            readers.append(read)
            writers.append(write)
        words = tuple(tag.split(":"))
        key = (words, len(readers))
        if key in self._kinds:
            raise ValueError(f"{self.prefix}:{tag} with {len(readers)} fields registered twice")
        self._kinds[key] = (cls, readers)
        self._writers[cls] = writers
        cls.codec, cls.tag = self, words

    def encode(self, action: Action) -> str:
        """`prefix:tag:fields`; ValueError when it is not one of ours or would not fit."""
        writers = self._writers.get(type(action))
        if writers is None:
            raise ValueError(f"{type(action).__name__} is not an action of {self.prefix!r}")
        values = [getattr(action, f.name) for f in fields(action)]
        data = ":".join(
            (self.prefix, *action.tag, *(w(v) for w, v in zip(writers, values, strict=True)))
        )
        if not well_formed_action(data):
            raise ValueError(f"action is not 1-{MAX_ACTION_BYTES} bytes of ASCII: {data!r}")
        return data

    def decode(self, data: str) -> Action | None:
        """The action `data` carries, or None when it is not one this codec made."""
        if not well_formed_action(data):
            return None
        prefix, *parts = data.split(":")
        if prefix != self.prefix:
            return None
        for size in range(len(parts), -1, -1):
            kind = self._kinds.get((tuple(parts[:size]), len(parts) - size))
            if kind is None:
                continue
            cls, readers = kind
            try:
                return cls(*(read(v) for read, v in zip(readers, parts[size:], strict=True)))
            except ValueError:
                return None
        return None
