"""A programme ("đề án") and its yearly targets: one number per (indicator, year)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db


class Programme(db.Model):
    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    start_year: Mapped[int] = mapped_column(Integer)
    end_year: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    targets: Mapped[list[ProgrammeTarget]] = relationship(
        back_populates="programme", cascade="all, delete-orphan", passive_deletes=True,
        order_by="(ProgrammeTarget.indicator, ProgrammeTarget.year)")

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))


class ProgrammeTarget(db.Model):
    __tablename__ = "programme_targets"
    __table_args__ = (
        UniqueConstraint("programme_id", "indicator", "year"),
        CheckConstraint("target >= 0", name="target_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    indicator: Mapped[str] = mapped_column(String(60))
    year: Mapped[int] = mapped_column(Integer)
    target: Mapped[float] = mapped_column(Float)

    programme: Mapped[Programme] = relationship(back_populates="targets")
