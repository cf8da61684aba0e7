"""Certificates, the templates they are printed from, and the images organizers upload for them.

One certificate per person, event and kind (and, for awards, entry): `holder_key` names the person
(the normalized e-mail, or the folded name of a speaker nobody has an e-mail for) and a unique
constraint on (event, kind, holder_key) makes issuing again – or twice at once – keep one serial.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..dbtypes import UTCDateTime, utcnow
from ..events.models import Event
from ..extensions import db


class CertificateKind(enum.StrEnum):
    participation = "participation"
    award = "award"
    judge = "judge"
    speaker = "speaker"


class CertificateStatus(enum.StrEnum):
    valid = "valid"
    revoked = "revoked"


class AssetKind(enum.StrEnum):
    background = "background"
    signature = "signature"
    image = "image"


_KIND = Enum(CertificateKind, name="certificate_kind", native_enum=False, create_constraint=True, length=20)
LOCALES = ("vi", "en")
SIGNER_MAX = 120  # characters of a signer's name or title


class Certificate(db.Model):
    __tablename__ = "certificates"
    __table_args__ = (
        UniqueConstraint("event_id", "kind", "holder_key"),
        CheckConstraint("(status = 'revoked') = (revoked_at IS NOT NULL)", name="revoked_has_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    kind: Mapped[CertificateKind] = mapped_column(_KIND)
    status: Mapped[CertificateStatus] = mapped_column(
        Enum(
            CertificateStatus, name="certificate_status", native_enum=False, create_constraint=True, length=10
        ),
        default=CertificateStatus.valid,
    )
    serial: Mapped[str] = mapped_column(String(20), unique=True)
    holder_key: Mapped[str] = mapped_column(String(320))
    holder_name: Mapped[str] = mapped_column(String(200))
    holder_email: Mapped[str] = mapped_column(String(254), default="")
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="SET NULL"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    # Plain data printed on it: {"award", "award_level", "contest", "entry", "sessions", ...}.
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    locale: Mapped[str] = mapped_column(String(5), default="vi")
    file_key: Mapped[str | None] = mapped_column(String(300))  # the PDF in the file storage
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoke_reason: Mapped[str | None] = mapped_column(String(500))
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # the link was e-mailed

    event: Mapped[Event] = relationship()


class CertificateTemplate(db.Model):
    """An event's own layout of one kind of certificate; without one, the project's default is used."""

    __tablename__ = "certificate_templates"
    __table_args__ = (UniqueConstraint("event_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    kind: Mapped[CertificateKind] = mapped_column(_KIND)
    locale: Mapped[str] = mapped_column(String(5), default="vi")
    html: Mapped[str] = mapped_column(Text)
    css: Mapped[str] = mapped_column(Text, default="")
    background_asset_id: Mapped[int | None] = mapped_column(
        ForeignKey("certificate_assets.id", ondelete="SET NULL")
    )
    # Ids of signature images, in the order they are printed.
    signature_asset_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    # Who signs for the organizers, printed under "BAN TỔ CHỨC" (empty: a blank line to sign).
    signer_name: Mapped[str] = mapped_column(String(SIGNER_MAX), default="", server_default="")
    signer_title: Mapped[str] = mapped_column(String(SIGNER_MAX), default="", server_default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class CertificateAsset(db.Model):
    """An image an organizer uploaded for an event's certificates (checked to be an image)."""

    __tablename__ = "certificate_assets"
    __table_args__ = (
        UniqueConstraint("event_id", "name"),
        CheckConstraint("size >= 0", name="size_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))  # what templates write: asset:NAME
    kind: Mapped[AssetKind] = mapped_column(
        Enum(AssetKind, name="certificate_asset_kind", native_enum=False, create_constraint=True, length=12),
        default=AssetKind.image,
    )
    mimetype: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    storage_key: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


__all__ = [
    "AssetKind",
    "Certificate",
    "CertificateAsset",
    "CertificateKind",
    "CertificateStatus",
    "CertificateTemplate",
]
