"""Who gets a contest certificate: award winners' team members and judges (read by certificates)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from ..accounts.models import User
from ..extensions import db
from .models import AWARD_ORDER, AwardLevel, Contest, ContestJudge, Entry, EntryMember, EntryStatus


@dataclass(frozen=True)
class AwardRecipient:
    contest_id: int
    contest_name: str
    entry_id: int
    entry_title: str
    award_level: str          # 'first' | 'second' | 'third' | 'consolation'
    full_name: str
    email: str
    user_id: int | None


@dataclass(frozen=True)
class JudgeRecipient:
    user_id: int
    full_name: str
    email: str
    contest_names: tuple[str, ...]


def award_label(level: str) -> str:
    """The translated award name, e.g. "Giải Nhất"."""
    labels = {
        AwardLevel.first: _("First prize"),
        AwardLevel.second: _("Second prize"),
        AwardLevel.third: _("Third prize"),
        AwardLevel.consolation: _("Consolation prize"),
    }
    return labels.get(level, str(level))


def award_recipients(event_id: int) -> list[AwardRecipient]:
    """Team members of awarded, not withdrawn entries of the event's published contests."""
    rows = db.session.execute(
        db.select(Contest.id, Contest.name, Entry.id, Entry.title, Entry.award_level,
                  EntryMember.full_name, EntryMember.email, EntryMember.user_id)
        .join(Entry, Entry.contest_id == Contest.id)
        .join(EntryMember, EntryMember.entry_id == Entry.id)
        .where(Contest.event_id == event_id, Contest.published_at.is_not(None),
               Entry.award_level.is_not(None), Entry.status != EntryStatus.withdrawn)
        .order_by(Contest.id, Entry.id, EntryMember.id)
    ).all()
    rank = {level: i for i, level in enumerate(AWARD_ORDER)}
    recipients = [
        AwardRecipient(contest_id=c_id, contest_name=c_name, entry_id=e_id, entry_title=title,
                       award_level=str(level), full_name=name, email=email, user_id=user_id)
        for c_id, c_name, e_id, title, level, name, email, user_id in rows
    ]
    recipients.sort(key=lambda r: (r.contest_id, rank.get(r.award_level, 99), r.entry_id))
    return recipients


def judge_recipients(event_id: int) -> list[JudgeRecipient]:
    """Every judge of the event's contests, once, with the names of the contests they judged."""
    rows = db.session.execute(
        db.select(User.id, User.full_name, User.email, Contest.name)
        .join(ContestJudge, ContestJudge.user_id == User.id)
        .join(Contest, Contest.id == ContestJudge.contest_id)
        .where(Contest.event_id == event_id)
        .order_by(User.id, Contest.id)
    ).all()
    by_user: dict[int, tuple[str, str, list[str]]] = {}
    for user_id, full_name, email, contest_name in rows:
        by_user.setdefault(user_id, (full_name, email, []))[2].append(contest_name)
    return [JudgeRecipient(user_id=uid, full_name=name, email=email, contest_names=tuple(names))
            for uid, (name, email, names) in by_user.items()]
