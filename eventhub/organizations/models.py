"""One record per organization across the series: a startup, a fund, a registrant's employer.

Exhibitor applications, contest entries, matchmaking profiles and registrations each point to one
(`organization_id`); they keep the name as typed, the organization keeps the name people see.

A merged organization is kept (`merged_into_id` set): the names and tax codes it was known by still lead
new rows to the survivor, so a merge also teaches the matching. Only organizations not merged are
unique by tax code, and – among those without a tax code – by folded name (`name_key`): two people
registering the same new startup at once get one record (services.resolve retries on the conflict).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Enum, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db


class OrganizationKind(enum.StrEnum):
    """What the organization is to the series (api.md `kind`); a startup or investor outranks `other`."""

    startup = "startup"
    investor = "investor"
    other = "other"  # a registrant's employer, a university, an agency


# Column lengths. The name key is matching.fold_name(name), which can be longer than the name ("ﬃ" folds
# to "ffi", "⑽" to "10"): services cut it to NAME_KEY_LENGTH wherever a key is stored or looked up.
NAME_LENGTH = 200
NAME_KEY_LENGTH = 200
SEARCH_TEXT_LENGTH = 400

_LIVE = text("merged_into_id IS NULL")
_LIVE_TAXED = text("merged_into_id IS NULL AND tax_code IS NOT NULL")
_LIVE_UNTAXED = text("merged_into_id IS NULL AND tax_code IS NULL")


class Organization(db.Model):
    __tablename__ = "organizations"
    __table_args__ = (
        Index("uq_organizations_tax_code", "tax_code", unique=True,
              sqlite_where=_LIVE_TAXED, postgresql_where=_LIVE_TAXED),
        Index("uq_organizations_name_key", "name_key", unique=True,
              sqlite_where=_LIVE_UNTAXED, postgresql_where=_LIVE_UNTAXED),
        Index("ix_organizations_name_key", "name_key"),
        Index("ix_organizations_live_search", "search_text", sqlite_where=_LIVE, postgresql_where=_LIVE),
        CheckConstraint("merged_into_id IS NULL OR merged_into_id != id", name="not_merged_into_itself"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    kind: Mapped[OrganizationKind] = mapped_column(
        Enum(OrganizationKind, name="organization_kind", native_enum=False, create_constraint=True,
             length=20),
        default=OrganizationKind.other)
    # Normalized by matching.normalize_tax_code: "0314409058" or "0314409058-002".
    tax_code: Mapped[str | None] = mapped_column(String(14))
    name_key: Mapped[str] = mapped_column(String(NAME_KEY_LENGTH))  # services.name_key_of(name)
    # The folded name, tax code and former names, " | " between them (services.search_text_of).
    search_text: Mapped[str] = mapped_column(String(SEARCH_TEXT_LENGTH), default="")
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="SET NULL"),
                                                       index=True)
    merged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    merged_into: Mapped[Organization | None] = relationship(remote_side=[id])

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None


class DistinctPair(db.Model):
    """Two organizations an organizer looked at and said are not one: no longer shown as likely
    duplicates. Stored with the lower id first."""

    __tablename__ = "organization_distinct_pairs"
    __table_args__ = (
        UniqueConstraint("low_id", "high_id"),
        CheckConstraint("low_id < high_id", name="ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    low_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    high_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
