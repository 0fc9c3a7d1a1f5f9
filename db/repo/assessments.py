"""Self-assessments: started, saved as the user answers, finished with a result."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, insert, select, update

from db.models import Assessment
from db.prepared import Prepared
from db.repo.records import AssessmentRecord

_assessments = cast(Table, Assessment.__table__)


_ASSESSMENT_COLUMNS = [_assessments.c[f.name] for f in fields(AssessmentRecord)]


def _assessment(row: Any) -> AssessmentRecord:
    values = dict(zip([f.name for f in fields(AssessmentRecord)], tuple(row), strict=True))
    values["answers"] = dict(values["answers"])
    values["skipped"] = list(values["skipped"])
    values["parts"] = dict(values["parts"])
    return AssessmentRecord(**values)


def get_assessment(
    connection: Connection, *, assessment_id: str, user_id: int
) -> AssessmentRecord | None:
    """One of the user's assessments."""
    row = connection.execute(
        select(*_ASSESSMENT_COLUMNS).where(
            _assessments.c.id == assessment_id, _assessments.c.user_id == user_id
        )
    ).one_or_none()
    return None if row is None else _assessment(row)


def _assessments_of(status: str, order: Any) -> Prepared:
    """The user's assessments in `status`, latest `order` first, at most `limit`."""
    return Prepared(
        select(*_ASSESSMENT_COLUMNS)
        .where(_assessments.c.user_id == bindparam("user_id"), _assessments.c.status == status)
        .order_by(order.desc())
        .limit(bindparam("limit"))
    )


_IN_PROGRESS = _assessments_of("in_progress", _assessments.c.updated_at)
_FINISHED = _assessments_of("done", _assessments.c.finished_at)


def in_progress_assessments(
    connection: Connection, *, user_id: int, limit: int = 5
) -> list[AssessmentRecord]:
    """The user's unfinished assessments, most recently touched first."""
    rows = _IN_PROGRESS.run(connection, {"user_id": user_id, "limit": limit}).rows
    return [_assessment(r) for r in rows]


def finished_assessments(
    connection: Connection, *, user_id: int, limit: int = 10
) -> list[AssessmentRecord]:
    """The user's finished assessments, newest first."""
    rows = _FINISHED.run(connection, {"user_id": user_id, "limit": limit}).rows
    return [_assessment(r) for r in rows]


def start_assessment(
    connection: Connection,
    *,
    assessment_id: str,
    user_id: int,
    sheet_key: str,
    set_code: str,
    product_name: str,
    now: datetime,
    answers: dict[str, int] | None = None,
) -> None:
    """Save a new assessment, empty or pre-filled (a re-assessment, a move to a new edition)."""
    connection.execute(
        insert(_assessments).values(
            id=assessment_id,
            user_id=user_id,
            sheet_key=sheet_key,
            set_code=set_code,
            product_name=product_name,
            answers=answers or {},
            skipped=[],
            position=0,
            status="in_progress",
            parts={},
            started_at=now,
            updated_at=now,
        )
    )


def save_progress(
    connection: Connection,
    *,
    assessment_id: str,
    user_id: int,
    answers: dict[str, int],
    skipped: list[str],
    position: int,
    now: datetime,
) -> None:
    """Store the answers so far and the question the user is at."""
    connection.execute(
        update(_assessments)
        .where(_assessments.c.id == assessment_id, _assessments.c.user_id == user_id)
        .values(answers=answers, skipped=skipped, position=position, updated_at=now)
    )


def close_assessment(
    connection: Connection, *, assessment_id: str, user_id: int, status: str, now: datetime
) -> None:
    """End an unfinished assessment without a result ("moved": continued under a newer sheet)."""
    connection.execute(
        update(_assessments)
        .where(_assessments.c.id == assessment_id, _assessments.c.user_id == user_id)
        .values(status=status, updated_at=now)
    )


def finish_assessment(
    connection: Connection,
    *,
    assessment_id: str,
    user_id: int,
    answers: dict[str, int],
    total: float,
    stars: int,
    parts: dict[str, float],
    now: datetime,
) -> None:
    """Mark an assessment done with its result."""
    connection.execute(
        update(_assessments)
        .where(_assessments.c.id == assessment_id, _assessments.c.user_id == user_id)
        .values(
            answers=answers,
            status="done",
            total=total,
            stars=stars,
            parts=parts,
            updated_at=now,
            finished_at=now,
        )
    )


def users_who_assessed(set_codes: list[str]) -> Any:
    """Users who assessed a product of one of these sets (how the bot knows what they make)."""
    return select(_assessments.c.user_id).where(_assessments.c.set_code.in_(set_codes))
