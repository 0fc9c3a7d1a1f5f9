"""Learning from what the bot could not answer: questions are kept (the asker forgotten after
the retention period) and officers turn groups of them into FAQ entries in force at once."""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from bot.context import Context
from db import office
from db.office import OfficerFaqRecord
from db.session import Database
from knowledge.question_groups import group_questions
from knowledge.text import fold

SOURCES = ("faq", "place", "handover")


def record_unanswered(ctx: Context, text: str, source: str) -> None:
    """Keep a question the bot could not answer (`source`: faq, place or handover); written
    with the update, nothing when the text is empty or a command."""
    said = text.strip()
    if not said or said.startswith("/") or source not in SOURCES:
        return
    user = ctx.user
    ctx.write(
        lambda connection, uid: office.add_unanswered(
            connection,
            text=said,
            source=source,
            user_id=uid,
            province_code=user.province_code,
            locale=ctx.locale,  # the question's language
            now=ctx.now,
        )
    )


@dataclass(frozen=True, slots=True)
class QuestionGroup:
    """Unanswered questions alike: how many, a label, the distinct phrasings and their ids."""

    label: str
    count: int
    phrasings: list[str]
    ids: list[int]
    sources: dict[str, int]


async def unanswered_groups(db: Database, *, province_code: int | None) -> list[QuestionGroup]:
    """Open unanswered questions (of a province, when given) grouped by similarity, largest
    group first."""
    found = await db.run(partial(office.open_unanswered, province_code=province_code))
    out = []
    for group in group_questions([q.text for q in found]):
        members = [found[i] for i in group.members]
        phrasings = list(dict.fromkeys(m.text.strip() for m in members))
        sources: dict[str, int] = {}
        for m in members:
            sources[m.source] = sources.get(m.source, 0) + 1
        out.append(
            QuestionGroup(group.label, len(members), phrasings, [m.id for m in members], sources)
        )
    return out


KEPT_FOR = timedelta(seconds=30)
"""How long a process answers from the entries it read: another instance's new entry is in
force here within this time."""


@dataclass(frozen=True, slots=True)
class _Kept:
    read_at: datetime
    entries: list[tuple[OfficerFaqRecord, list[str]]]
    """Every active entry, with its questions folded."""


_kept: weakref.WeakKeyDictionary[Database, _Kept] = weakref.WeakKeyDictionary()


def _forget(db: Database) -> None:
    """Drop this process's copy of the entries: the next question reads them again."""
    _kept.pop(db, None)


async def in_force(ctx: Context, db: Database) -> list[tuple[OfficerFaqRecord, list[str]]]:
    """The entries in force, with their questions folded: every FAQ question is matched against
    them, so each process keeps them read for `KEPT_FOR` (by the update's clock)."""
    kept = _kept.get(db)
    if kept is None or not timedelta(0) <= ctx.now - kept.read_at < KEPT_FOR:
        found = await ctx.read(office.officer_faq)
        kept = _kept[db] = _Kept(ctx.now, [(e, [fold(q) for q in e.questions]) for e in found])
    return kept.entries


async def answer_group(
    db: Database,
    *,
    ids: list[int],
    questions: list[str],
    answer_vi: str,
    answer_en: str,
    legal_basis: str,
    province_code: int | None,
    officer_id: int,
    now: datetime,
) -> int:
    """Turn a group into an officer FAQ entry, in force at once; returns its id. ValueError
    names what is missing (a question, the Vietnamese answer, the legal basis)."""
    variants = list(dict.fromkeys(q.strip()[:300] for q in questions if q.strip()))
    if not variants:
        raise ValueError("questions")
    if not answer_vi.strip():
        raise ValueError("answer_vi")
    if not legal_basis.strip():
        raise ValueError("legal_basis")
    entry = await db.run(
        partial(
            office.add_officer_faq,
            questions=variants[:20],
            answer_vi=answer_vi.strip(),
            answer_en=answer_en.strip(),
            legal_basis=legal_basis.strip(),
            province_code=province_code,
            created_by=officer_id,
            resolves=ids,
            now=now,
        )
    )
    _forget(db)  # in force at once in this process, within `KEPT_FOR` in the others
    return entry


async def export_officer_faq(db: Database) -> list[dict[str, object]]:
    """Every entry officers added, marked as such, in the bundled FAQ's field names."""
    entries = await db.run(office.officer_faq)
    return [
        {
            "id": f"office-{e.id}",
            "added_by": "officer",
            "province_code": e.province_code,
            "questions": e.questions,
            "answer": {"vi": e.answer_vi, "en": e.answer_en},
            "legal_basis": e.legal_basis,
            "created_at": e.created_at.isoformat(),
        }
        for e in entries
    ]
