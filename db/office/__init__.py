"""Queries of the officers-in-the-loop features, one module per concern; every name stays
importable from `db.office`. Each takes a `Connection` (see `db.repo`).

- `handovers`: a user's question queued for an officer, claimed, answered, closed
- `learning`: questions the bot could not answer, the FAQ entries officers write for them
- `dashboard`: sign-in links and sessions, the read-only views
"""

from __future__ import annotations

from db.office.dashboard import (
    add_login,
    broadcast_recipients,
    end_session,
    link_is_live,
    province_assessments,
    province_certificates,
    purge_logins,
    recent_broadcasts,
    session_user,
    use_link,
)
from db.office.handovers import (
    ACTIVE,
    HandoverRecord,
    active_for_user,
    add_message,
    claim_handover,
    close_handover,
    get_handover,
    handover_messages,
    handover_queue,
    mark_reminded,
    officers_for,
    open_handover,
    unreminded_open,
    user_by_id,
)
from db.office.learning import (
    OfficerFaqRecord,
    UnansweredRecord,
    add_officer_faq,
    add_unanswered,
    forget_askers,
    officer_faq,
    open_unanswered,
    recent_unanswered_of,
)

__all__ = [
    "ACTIVE",
    "HandoverRecord",
    "OfficerFaqRecord",
    "UnansweredRecord",
    "active_for_user",
    "add_login",
    "add_message",
    "add_officer_faq",
    "add_unanswered",
    "broadcast_recipients",
    "claim_handover",
    "close_handover",
    "end_session",
    "forget_askers",
    "get_handover",
    "handover_messages",
    "handover_queue",
    "link_is_live",
    "mark_reminded",
    "officer_faq",
    "officers_for",
    "open_handover",
    "open_unanswered",
    "province_assessments",
    "province_certificates",
    "purge_logins",
    "recent_broadcasts",
    "recent_unanswered_of",
    "session_user",
    "unreminded_open",
    "use_link",
    "user_by_id",
]
