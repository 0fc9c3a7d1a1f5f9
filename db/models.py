"""SQLAlchemy 2 typed models: users, their conversation state, and webhook updates handled."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import DateTime, TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes stored as UTC on every backend (SQLite has no time zones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:  # noqa: ARG002
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware one")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:  # noqa: ARG002
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Base of every table."""

    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class User(Base):
    """A person on one platform; (platform, external_id) identifies them."""

    __tablename__ = "users"
    __table_args__ = (
        UniqueConstraint("platform", "external_id", name="uq_users_platform_ext"),
        Index("ix_users_last_seen_at", "last_seen_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    chat_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(128), default="")
    role: Mapped[str | None] = mapped_column(String(16), default=None)
    """producer, tourist or officer (an officer's rights need approval)."""
    officer_approved: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str] = mapped_column(String(8), default="vi")
    province_code: Mapped[int | None] = mapped_column(Integer, default=None)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    consent_version: Mapped[str | None] = mapped_column(String(16), default=None)
    """The privacy notice the user last answered (None: not answered yet)."""
    consent_given: Mapped[bool] = mapped_column(default=False)
    """Their answer to that notice."""


class Conversation(Base):
    """Where a user is in a conversation: flow, step and the flow's data.

    `version` grows with every save; a save that finds another version lost a race and is retried.
    """

    __tablename__ = "conversations"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    flow: Mapped[str] = mapped_column(String(32), default="")
    step: Mapped[str] = mapped_column(String(64), default="")
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProcessedUpdate(Base):
    """A webhook update already handled, with the replies it produced.

    A redelivered update whose replies were sent is ignored; one whose replies were not yet
    marked sent (the process died in between) has them sent again.
    """

    __tablename__ = "processed_updates"
    __table_args__ = (
        Index("ix_processed_updates_created_at", "created_at"),
        # a chat's updates (erasure) and the latest of its flood budget (bot/flood.py)
        Index("ix_processed_updates_chat", "platform", "chat_id", "flood_full_at"),
    )

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    update_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    chat_id: Mapped[str] = mapped_column(String(64), default="")
    replies: Mapped[list[Any]] = mapped_column(default=list)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    flood_full_at: Mapped[datetime | None] = mapped_column(default=None)
    """When the chat's flood budget is full again, as this update left it (`bot/flood.py`):
    it only grows, so the chat's latest is its largest, read from the index."""


class CriteriaSheet(Base):
    """An official sheet loaded by an OCOP office (`ocop-bot criteria import`), or a copy of a
    bundled sheet an assessment was made with (stored as replaced: never in force).

    Rows are never deleted: a re-import marks the previous row replaced, so assessments made
    with it can still be read under their edition.
    """

    __tablename__ = "criteria_sheets"
    __table_args__ = (Index("ix_criteria_sheets_set_current", "set_code", "replaced_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(128), unique=True)
    set_code: Mapped[str] = mapped_column(String(64))
    edition: Mapped[str] = mapped_column(String(16))
    body: Mapped[dict[str, Any]] = mapped_column()
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    replaced_at: Mapped[datetime | None] = mapped_column(default=None)


class Assessment(Base):
    """A producer's self-assessment of one product against one sheet, in progress or done."""

    __tablename__ = "assessments"
    __table_args__ = (Index("ix_assessments_user_status", "user_id", "status"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    """Chosen by the handler (random), so a conversation can name it before it is saved."""
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    sheet_key: Mapped[str] = mapped_column(String(128))
    set_code: Mapped[str] = mapped_column(String(64))
    product_name: Mapped[str] = mapped_column(String(128), default="")
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    skipped: Mapped[list[Any]] = mapped_column(default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="in_progress")
    total: Mapped[float | None] = mapped_column(Float, default=None)
    stars: Mapped[int | None] = mapped_column(Integer, default=None)
    parts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)


class SheetWait(Base):
    """A producer who asked to hear when the sheet of a product set is loaded."""

    __tablename__ = "sheet_waits"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    set_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    notified_at: Mapped[datetime | None] = mapped_column(default=None)


class Outbox(Base):
    """A message waiting to be sent (reminders, broadcasts, notices to officers).

    The delivery worker claims due rows, sends them within the platform's rate limits and records
    the outcome; a row claimed by a process that died goes back to pending after a while, so
    nothing is lost and re-sends are bounded by the rows in flight.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_broadcast", "broadcast_id", "status"),
        Index("ix_outbox_chat", "platform", "chat_id"),
        Index("ix_outbox_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16))
    """reminder, broadcast or notice."""
    dedupe_key: Mapped[str | None] = mapped_column(String(128), unique=True, default=None)
    broadcast_id: Mapped[int | None] = mapped_column(Integer, default=None)
    payload: Mapped[list[Any]] = mapped_column(default=list)
    """The replies, as `reply_to_dict` stores them."""
    status: Mapped[str] = mapped_column(String(16), default="pending")
    """pending, sending, sent, failed, blocked or cancelled."""
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str] = mapped_column(String(256), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)


class Deadline(Base):
    """A date an OCOP office publishes (evaluation round, dossier submission...)."""

    __tablename__ = "deadlines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    due_at: Mapped[datetime] = mapped_column()
    provinces: Mapped[list[Any]] = mapped_column(default=list)
    """Province codes in scope; empty for the whole country."""
    product_sets: Mapped[list[Any]] = mapped_column(default=list)
    """Product set codes in scope (producers who assessed one of them); empty for all."""
    link: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Mute(Base):
    """A user who does not want reminders of one deadline (deadline_id 0: of every deadline;
    negative: of one national date of QĐ 26/2026 Điều 5, see `knowledge.calendar`)."""

    __tablename__ = "mutes"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    deadline_id: Mapped[int] = mapped_column(Integer, primary_key=True)


class Broadcast(Base):
    """An announcement an officer sent; its messages are outbox rows with its id."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(String(4000))
    recipients: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    reported_at: Mapped[datetime | None] = mapped_column(default=None)
    """When the officer was sent the final report (all messages settled)."""


class OfficerChange(Base):
    """A grant or withdrawal of officer rights, kept for good: the OFFICER_TELEGRAM_IDS bootstrap
    grants only to a user with no record here, so a recorded removal wins over the list."""

    __tablename__ = "officer_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    approved: Mapped[bool] = mapped_column()
    by: Mapped[str] = mapped_column(String(64))
    """Who decided: `settings` (the list), `cli`, or `officer:<user id>`."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Certificate(Base):
    """An OCOP certificate a producer recorded, to be reminded of its re-evaluation window."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    product: Mapped[str] = mapped_column(String(128))
    stars: Mapped[int] = mapped_column(Integer)
    decided_on: Mapped[date] = mapped_column(Date)
    level: Mapped[str] = mapped_column(String(16))
    """Who issued it: province, central (the Ministry) or district (until 30/6/2025)."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    """Recorded or last corrected: reminders due before then are not sent."""


__all__ = [
    "Assessment",
    "Base",
    "Broadcast",
    "Certificate",
    "ConsentLog",
    "Conversation",
    "CriteriaSheet",
    "DashboardLogin",
    "Deadline",
    "Erasure",
    "Handover",
    "HandoverMessage",
    "Heartbeat",
    "Mute",
    "OfficerChange",
    "OfficerFaq",
    "Outbox",
    "ProcessedUpdate",
    "SheetWait",
    "Unanswered",
    "User",
    "ZaloToken",
    "utcnow",
]


class ZaloToken(Base):
    """The Zalo OA access token and its single-use refresh token (one row, replaced whole)."""

    __tablename__ = "zalo_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    access_token: Mapped[str] = mapped_column(String(2000))
    refresh_token: Mapped[str] = mapped_column(String(2000))
    expires_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ConsentLog(Base):
    """Each answer a user gave to the privacy notice: which version, yes or no, when, where."""

    __tablename__ = "consent_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    version: Mapped[str] = mapped_column(String(16))
    given: Mapped[bool] = mapped_column()
    platform: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Erasure(Base):
    """That a user's data was erased, and why: no id, name or anything else of theirs."""

    __tablename__ = "erasures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(16))
    """request (the user), officer (`ocop-bot user delete`) or inactive (`ocop-bot db prune`)."""
    rows: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """How many rows of each table were erased."""
    erased_at: Mapped[datetime] = mapped_column(default=utcnow)


class Heartbeat(Base):
    """One row rewritten by every health check: proof that the database still takes writes."""

    __tablename__ = "heartbeat"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column()


class Handover(Base):
    """A user's request to talk to an OCOP officer: queued, claimed by one officer, closed."""

    __tablename__ = "handovers"
    __table_args__ = (
        Index("ix_handovers_user_status", "user_id", "status"),
        Index("ix_handovers_status_opened", "status", "opened_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    province_code: Mapped[int | None] = mapped_column(Integer, default=None)
    question: Mapped[str] = mapped_column(String(2000))
    status: Mapped[str] = mapped_column(String(16), default="open")
    """open (queued), claimed or closed."""
    officer_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(default=None)
    reminded_at: Mapped[datetime | None] = mapped_column(default=None)
    """When the user was told the wait and officers got their one reminder."""
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    closed_by: Mapped[str] = mapped_column(String(16), default="")
    """user or officer."""


class HandoverMessage(Base):
    """One message of a hand-over, from the user or the officer."""

    __tablename__ = "handover_messages"
    __table_args__ = (Index("ix_handover_messages_handover", "handover_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    handover_id: Mapped[int] = mapped_column(ForeignKey("handovers.id", ondelete="CASCADE"))
    sender: Mapped[str] = mapped_column(String(16))
    """user or officer."""
    text: Mapped[str] = mapped_column(String(4000))
    delivered: Mapped[bool] = mapped_column(default=True)
    """False when the platform's rules kept it from the user (Zalo outside 48 hours)."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Unanswered(Base):
    """A question the bot could not answer; the user id is dropped after the retention period."""

    __tablename__ = "unanswered"
    __table_args__ = (Index("ix_unanswered_created", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(String(500))
    source: Mapped[str] = mapped_column(String(16))
    """faq (nothing close enough), place (no place found) or handover (asked a person)."""
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    province_code: Mapped[int | None] = mapped_column(Integer, default=None)
    locale: Mapped[str] = mapped_column(String(8), default="vi")
    resolved_by: Mapped[int | None] = mapped_column(Integer, default=None)
    """The officer FAQ entry made from it, once an officer answered its group."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OfficerFaq(Base):
    """An FAQ entry an officer wrote from unanswered questions; in force at once."""

    __tablename__ = "officer_faq"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    questions: Mapped[list[Any]] = mapped_column(default=list)
    answer_vi: Mapped[str] = mapped_column(String(4000))
    answer_en: Mapped[str] = mapped_column(String(4000), default="")
    legal_basis: Mapped[str] = mapped_column(String(500))
    province_code: Mapped[int | None] = mapped_column(Integer, default=None)
    """None: national."""
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    active: Mapped[bool] = mapped_column(default=True)


class DashboardLogin(Base):
    """A one-time dashboard link (`/dashboard`) and the session it opens."""

    __tablename__ = "dashboard_logins"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    """link (single use, 10 minutes) or session."""
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
