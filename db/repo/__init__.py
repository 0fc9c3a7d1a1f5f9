"""The queries the bot makes, named for what they do, in one repository module per subject.

Each function takes a `Connection` and is run by `Database.run`, which owns the transaction.
Callers use them as `repo.load_user`, `repo.enqueue`, ...: this package keeps every name
importable from `db.repo` whichever module holds it.

- `records`: the dataclasses the repositories return (`UserRecord`, `Recipient`, ...)
- `updates`: one update's read and write (user and conversation, handled updates)
- `users`: finding and reaching users, officer rights
- `sheets`: the sheet that applies to a set or an assessment, imports, users waiting for one
- `assessments`: self-assessments
- `outbox`: queued messages, claimed and settled by the delivery loop
- `reminders`: deadlines, mutes, who the clock reminds
- `certificates`: certificates producers record
- `broadcasts`: officers' broadcasts and their audience
- `service`: the Zalo token pair, the heartbeat
"""

from __future__ import annotations

from db.repo.assessments import (
    close_assessment,
    finish_assessment,
    finished_assessments,
    get_assessment,
    in_progress_assessments,
    save_progress,
    start_assessment,
)
from db.repo.broadcasts import (
    add_broadcast,
    audience,
    broadcast_text,
    cancel_broadcast,
    mark_reported,
    settled_broadcasts,
)
from db.repo.certificates import (
    add_certificate,
    certificate_contacts,
    certificates,
    delete_certificate,
    update_certificate,
)
from db.repo.outbox import (
    COALESCED,
    REPLY,
    claim,
    claim_due,
    enqueue,
    enqueue_many,
    outbox_counts,
    queue_replies,
    queued_keys,
    release_stale,
    replace_coalesced,
    settle,
)
from db.repo.records import (
    AssessmentRecord,
    CertificateRecord,
    ConversationRecord,
    DeadlineRecord,
    OutboxItem,
    Recipient,
    UserRecord,
)
from db.repo.reminders import (
    add_deadline,
    calendar_recipients,
    cancel_deadline,
    is_five_star_candidate,
    move_deadline,
    mute,
    muted,
    open_deadlines,
    reminded_of,
    reminder_recipients,
    unmute,
    unmute_all,
)
from db.repo.service import (
    heartbeat,
    store_zalo_token,
    zalo_token,
)
from db.repo.sheets import (
    add_sheet_wait,
    archive_sheet,
    close_sheet_waits,
    current_sheet_body,
    imported_set_codes,
    known_sheet,
    open_sheet_waits,
    sheet_body,
    sheet_by_key,
    sheet_for_set,
    store_sheet,
)
from db.repo.updates import (
    Loaded,
    Saved,
    StaleState,
    fetch_for_update,
    get_processed_update,
    insert_user,
    load_for_update,
    load_user,
    mark_many_sent,
    new_user,
    record_update,
    save_conversation,
    save_update,
    update_user,
)
from db.repo.users import (
    deactivate_user,
    find_user,
    last_seen,
    list_officers,
    officer_contact,
    officer_contacts,
    officer_decided,
    officer_request_pending,
    record_officer_change,
    set_officer,
    user_contact,
)

__all__ = [
    "AssessmentRecord",
    "COALESCED",
    "CertificateRecord",
    "ConversationRecord",
    "DeadlineRecord",
    "OutboxItem",
    "Recipient",
    "StaleState",
    "UserRecord",
    "add_broadcast",
    "add_certificate",
    "add_deadline",
    "add_sheet_wait",
    "archive_sheet",
    "audience",
    "calendar_recipients",
    "broadcast_text",
    "cancel_broadcast",
    "cancel_deadline",
    "certificate_contacts",
    "certificates",
    "REPLY",
    "claim",
    "claim_due",
    "close_assessment",
    "close_sheet_waits",
    "current_sheet_body",
    "deactivate_user",
    "delete_certificate",
    "enqueue",
    "enqueue_many",
    "find_user",
    "fetch_for_update",
    "Saved",
    "save_update",
    "finish_assessment",
    "finished_assessments",
    "get_assessment",
    "get_processed_update",
    "heartbeat",
    "imported_set_codes",
    "in_progress_assessments",
    "insert_user",
    "is_five_star_candidate",
    "known_sheet",
    "last_seen",
    "list_officers",
    "Loaded",
    "load_for_update",
    "load_user",
    "mark_many_sent",
    "mark_reported",
    "move_deadline",
    "mute",
    "muted",
    "new_user",
    "officer_contact",
    "officer_contacts",
    "officer_decided",
    "officer_request_pending",
    "open_deadlines",
    "open_sheet_waits",
    "outbox_counts",
    "queue_replies",
    "queued_keys",
    "record_officer_change",
    "record_update",
    "release_stale",
    "reminded_of",
    "reminder_recipients",
    "replace_coalesced",
    "save_conversation",
    "save_progress",
    "set_officer",
    "settle",
    "settled_broadcasts",
    "sheet_body",
    "sheet_by_key",
    "sheet_for_set",
    "start_assessment",
    "store_sheet",
    "store_zalo_token",
    "unmute",
    "unmute_all",
    "update_certificate",
    "update_user",
    "user_contact",
    "zalo_token",
]
