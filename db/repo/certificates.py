"""OCOP certificates producers record; editing or deleting one cancels its reminders not sent."""

from __future__ import annotations

from datetime import date, datetime
from typing import cast

from sqlalchemy import Connection, Table, insert, select, update

from db.models import Certificate, Mute, Outbox, User
from db.repo.records import CertificateRecord, Recipient

_users = cast(Table, User.__table__)
_mutes = cast(Table, Mute.__table__)
_outbox = cast(Table, Outbox.__table__)
_certificates = cast(Table, Certificate.__table__)


_CERTIFICATE_COLUMNS = (
    _certificates.c.id,
    _certificates.c.user_id,
    _certificates.c.product,
    _certificates.c.stars,
    _certificates.c.decided_on,
    _certificates.c.level,
    _certificates.c.updated_at,
)


def add_certificate(
    connection: Connection,
    *,
    user_id: int,
    product: str,
    stars: int,
    decided_on: date,
    level: str,
    now: datetime,
) -> int:
    """Record a certificate; returns its id."""
    return int(
        connection.execute(
            insert(_certificates)
            .values(
                user_id=user_id,
                product=product,
                stars=stars,
                decided_on=decided_on,
                level=level,
                created_at=now,
                updated_at=now,
            )
            .returning(_certificates.c.id)
        ).scalar_one()
    )


def _cancel_certificate_reminders(connection: Connection, certificate_id: int) -> None:
    connection.execute(
        update(_outbox)
        .where(
            _outbox.c.status == "pending",
            _outbox.c.dedupe_key.like(f"certificate:{certificate_id}:%"),
        )
        .values(status="cancelled")
    )


def update_certificate(
    connection: Connection,
    *,
    user_id: int,
    certificate_id: int,
    product: str,
    stars: int,
    decided_on: date,
    level: str,
    now: datetime,
) -> bool:
    """Correct one of the user's certificates; reminders not yet sent for it are cancelled (the
    clock queues those of the corrected dates, their keys carry the expiry)."""
    changed = connection.execute(
        update(_certificates)
        .where(_certificates.c.id == certificate_id, _certificates.c.user_id == user_id)
        .values(product=product, stars=stars, decided_on=decided_on, level=level, updated_at=now)
    ).rowcount
    if changed:
        _cancel_certificate_reminders(connection, certificate_id)
    return bool(changed)


def delete_certificate(connection: Connection, *, user_id: int, certificate_id: int) -> bool:
    """Delete one of the user's certificates and cancel its reminders not yet sent."""
    deleted = connection.execute(
        _certificates.delete().where(
            _certificates.c.id == certificate_id, _certificates.c.user_id == user_id
        )
    ).rowcount
    if deleted:
        _cancel_certificate_reminders(connection, certificate_id)
    return bool(deleted)


def certificates(connection: Connection, *, user_id: int) -> list[CertificateRecord]:
    """The user's certificates, in the order recorded."""
    rows = connection.execute(
        select(*_CERTIFICATE_COLUMNS)
        .where(_certificates.c.user_id == user_id)
        .order_by(_certificates.c.id)
    ).all()
    return [CertificateRecord(*r) for r in rows]


def certificate_contacts(connection: Connection) -> list[tuple[CertificateRecord, Recipient]]:
    """Every certificate whose owner is active and did not turn every reminder off (mute 0),
    with how to reach them (one query)."""
    rows = connection.execute(
        select(
            *_CERTIFICATE_COLUMNS,
            _users.c.id,
            _users.c.platform,
            _users.c.chat_id,
            _users.c.locale,
        )
        .join(_users, _users.c.id == _certificates.c.user_id)
        .where(_users.c.active.is_(True))
        .where(~_users.c.id.in_(select(_mutes.c.user_id).where(_mutes.c.deadline_id == 0)))
        .order_by(_certificates.c.id)
    ).all()
    return [(CertificateRecord(*r[:7]), Recipient(*r[7:])) for r in rows]
