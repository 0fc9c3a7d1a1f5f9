"""The records repositories return: plain dataclasses, shared by every repository and by
the callers (handlers read a `UserRecord`, the clock a `Recipient`)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from operator import attrgetter
from typing import Any


@dataclass(slots=True)
class UserRecord:
    """A user as handlers see it; the dispatcher writes back the fields they change."""

    id: int | None
    """None until a new user is first saved."""
    platform: str
    external_id: str
    chat_id: str
    display_name: str
    role: str | None
    officer_approved: bool
    locale: str
    province_code: int | None
    active: bool
    created_at: datetime
    last_seen_at: datetime
    consent_version: str | None = None
    consent_given: bool = False

    def snapshot(self) -> tuple[Any, ...]:
        """The fields' values now, for `changes_since`."""
        return _user_values(self)

    def changes_since(self, before: tuple[Any, ...]) -> dict[str, Any]:
        """The fields whose values differ from a `snapshot`."""
        return {
            name: value
            for name, value, old in zip(_USER_FIELDS, _user_values(self), before, strict=True)
            if value != old
        }


_USER_FIELDS = tuple(f.name for f in fields(UserRecord))
_user_values = attrgetter(*_USER_FIELDS)


@dataclass(frozen=True, slots=True)
class ConversationRecord:
    """A stored conversation state and the version it was read at."""

    flow: str
    step: str
    data: dict[str, Any]
    version: int


@dataclass(frozen=True, slots=True)
class AssessmentRecord:
    """A stored self-assessment."""

    id: str
    user_id: int
    sheet_key: str
    set_code: str
    product_name: str
    answers: dict[str, int]
    skipped: list[str]
    position: int
    status: str
    total: float | None
    stars: int | None
    parts: dict[str, float]
    started_at: datetime
    updated_at: datetime
    finished_at: datetime | None


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """A claimed outbox row."""

    id: int
    platform: str
    chat_id: str
    user_id: int | None
    payload: list[dict[str, Any]]
    attempts: int


@dataclass(frozen=True, slots=True)
class DeadlineRecord:
    """A published deadline."""

    id: int
    title: str
    due_at: datetime
    provinces: list[int]
    link: str
    status: str
    product_sets: list[str]
    created_by: int | None = None
    """The officer who published it (None once they are erased)."""


@dataclass(frozen=True, slots=True)
class Recipient:
    """Someone a reminder or broadcast can reach."""

    user_id: int
    platform: str
    chat_id: str
    locale: str


@dataclass(frozen=True, slots=True)
class CertificateRecord:
    """A recorded OCOP certificate and its owner."""

    id: int
    user_id: int
    product: str
    stars: int
    decided_on: date
    level: str
    updated_at: datetime
    """When the producer recorded or last edited it."""
