"""What the bot learns from officers: the questions it could not answer, and the FAQ
entries officers write for them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Connection, Table, insert, select, update

from db.models import OfficerFaq, Unanswered

_unanswered = cast(Table, Unanswered.__table__)
_faq = cast(Table, OfficerFaq.__table__)


@dataclass(frozen=True, slots=True)
class UnansweredRecord:
    """A question the bot could not answer."""

    id: int
    text: str
    source: str
    province_code: int | None
    locale: str
    created_at: datetime


def add_unanswered(
    connection: Connection,
    *,
    text: str,
    source: str,
    user_id: int | None,
    province_code: int | None,
    locale: str,
    now: datetime,
) -> None:
    """Keep a question the bot could not answer."""
    connection.execute(
        insert(_unanswered).values(
            text=text[:500],
            source=source,
            user_id=user_id,
            province_code=province_code,
            locale=locale,
            created_at=now,
        )
    )


def recent_unanswered_of(
    connection: Connection, *, user_id: int, since: datetime, limit: int = 3
) -> list[str]:
    """The user's latest questions the bot could not answer (not those put to an officer),
    oldest first."""
    rows = connection.execute(
        select(_unanswered.c.text)
        .where(
            _unanswered.c.user_id == user_id,
            _unanswered.c.created_at >= since,
            _unanswered.c.source != "handover",
        )
        .order_by(_unanswered.c.id.desc())
        .limit(limit)
    ).scalars()
    return list(reversed(list(rows)))


def open_unanswered(
    connection: Connection, *, province_code: int | None, limit: int = 2000
) -> list[UnansweredRecord]:
    """Questions not yet turned into an FAQ entry (of a province, when given), newest first."""
    query = select(
        _unanswered.c.id,
        _unanswered.c.text,
        _unanswered.c.source,
        _unanswered.c.province_code,
        _unanswered.c.locale,
        _unanswered.c.created_at,
    ).where(_unanswered.c.resolved_by.is_(None))
    if province_code is not None:
        query = query.where(_unanswered.c.province_code == province_code)
    rows = connection.execute(query.order_by(_unanswered.c.id.desc()).limit(limit)).all()
    return [UnansweredRecord(*r) for r in rows]


def forget_askers(connection: Connection, *, before: datetime) -> int:
    """Drop the user id of questions older than `before` (the retention period)."""
    return int(
        connection.execute(
            update(_unanswered)
            .where(_unanswered.c.created_at < before, _unanswered.c.user_id.is_not(None))
            .values(user_id=None)
        ).rowcount
    )


@dataclass(frozen=True, slots=True)
class OfficerFaqRecord:
    """An FAQ entry written by an officer."""

    id: int
    questions: list[str]
    answer_vi: str
    answer_en: str
    legal_basis: str
    province_code: int | None
    created_at: datetime


_FAQ_COLUMNS = (
    _faq.c.id,
    _faq.c.questions,
    _faq.c.answer_vi,
    _faq.c.answer_en,
    _faq.c.legal_basis,
    _faq.c.province_code,
    _faq.c.created_at,
)


def add_officer_faq(
    connection: Connection,
    *,
    questions: list[str],
    answer_vi: str,
    answer_en: str,
    legal_basis: str,
    province_code: int | None,
    created_by: int | None,
    resolves: list[int],
    now: datetime,
) -> int:
    """Save an officer's FAQ entry and mark the questions it answers; returns its id."""
    entry_id = int(
        connection.execute(
            insert(_faq)
            .values(
                questions=questions,
                answer_vi=answer_vi[:4000],
                answer_en=answer_en[:4000],
                legal_basis=legal_basis[:500],
                province_code=province_code,
                created_by=created_by,
                created_at=now,
                active=True,
            )
            .returning(_faq.c.id)
        ).scalar_one()
    )
    if resolves:
        connection.execute(
            update(_unanswered).where(_unanswered.c.id.in_(resolves)).values(resolved_by=entry_id)
        )
    return entry_id


def officer_faq(connection: Connection) -> list[OfficerFaqRecord]:
    """Every active officer entry, national and provincial, oldest first."""
    query = select(*_FAQ_COLUMNS).where(_faq.c.active.is_(True)).order_by(_faq.c.id)
    return [OfficerFaqRecord(r[0], list(r[1]), *r[2:]) for r in connection.execute(query).all()]
