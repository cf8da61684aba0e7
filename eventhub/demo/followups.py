"""Demo follow-ups: what came of the 2020 (and 2021) meetings and awards, asked 30 and 90 days on and
answered by about two in three – a few pilots, follow-up meetings, and three investments with amounts in
VND – so the report's follow-up figures and the organizers' page have something true to show.

Rows are written as the sweep would have left them, without e-mails (the questions are long past);
a row that exists already is left as it is, so a second run adds nothing.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from ..contests.models import Contest, Entry, EntryMember, EntryStatus
from ..dbtypes import utcnow
from ..extensions import db
from ..followups.models import DAYS, OutcomeFollowUp, Side, Subject
from ..matchmaking.models import Meeting

# (meeting index among the held ones, amount in VND): the investments the demo's funds report at 90 days.
INVESTMENTS = ((0, 3_500_000_000), (4, 1_200_000_000), (9, 800_000_000))


def _answer(rng: random.Random, row: OutcomeFollowUp, *, investment: int | None = None) -> None:
    """About two in three answer, a few days after being asked; `investment` makes it one."""
    if investment is None and rng.random() > 0.65:
        return
    row.answered_at = row.asked_at + timedelta(days=rng.randint(0, 6), hours=rng.randint(1, 10))
    if investment is not None:
        row.investment, row.amount, row.follow_up_meeting = True, investment, True
        return
    roll = rng.random()
    row.follow_up_meeting = roll < 0.45
    row.pilot = 0.38 < roll < 0.46 or (row.days == 90 and roll < 0.06)  # a pilot is rarer


def _meeting_rows(rng, now: datetime, existing: set) -> list[OutcomeFollowUp]:
    meetings = list(db.session.scalars(db.select(Meeting).where(Meeting.held).order_by(Meeting.id)))
    invested = {index: amount for index, amount in INVESTMENTS}
    rows = []
    for index, meeting in enumerate(meetings):
        for days in DAYS:
            asked = meeting.ends_at + timedelta(days=days)
            if asked > now:
                continue
            for side in (Side.investor, Side.startup):
                if (meeting.id, side.value, days) in existing:
                    continue
                row = OutcomeFollowUp(event_id=meeting.event_id, subject=Subject.meeting,
                                      meeting_id=meeting.id, side=side, days=days, asked_at=asked)
                amount = invested.get(index) if days == 90 else None
                # the investor reports the round; the startup says so too for the first one, a bit lower
                if amount is not None and side == Side.startup:
                    amount = amount if index == 0 else None
                _answer(rng, row, investment=amount)
                rows.append(row)
    return rows


def _award_rows(rng, now: datetime, existing: set) -> list[OutcomeFollowUp]:
    found = db.session.execute(
        db.select(Entry.id, Contest.event_id, Contest.published_at, EntryMember.id)
        .join(Contest, Contest.id == Entry.contest_id).join(EntryMember, EntryMember.entry_id == Entry.id)
        .where(Entry.award_level.is_not(None), Entry.status == EntryStatus.submitted,
               Contest.published_at.is_not(None), EntryMember.accepted_at.is_not(None))
        .order_by(Entry.id, EntryMember.id)).all()
    rows = []
    for entry_id, event_id, published_at, member_id in found:
        for days in DAYS:
            asked = published_at + timedelta(days=days)
            if asked > now or (entry_id, member_id, days) in existing:
                continue
            row = OutcomeFollowUp(event_id=event_id, subject=Subject.award, entry_id=entry_id,
                                  member_id=member_id, side=Side.team, days=days, asked_at=asked)
            _answer(rng, row)
            rows.append(row)
    return rows


def load_followups(*, now: datetime | None = None) -> str:
    """Adds the follow-ups of every held meeting and given award whose day has come; returns a summary."""
    now = now or utcnow()
    rng = random.Random(2020_30)
    existing = set()
    for meeting_id, entry_id, member_id, side, days in db.session.execute(
            db.select(OutcomeFollowUp.meeting_id, OutcomeFollowUp.entry_id, OutcomeFollowUp.member_id,
                      OutcomeFollowUp.side, OutcomeFollowUp.days)):
        existing.add((meeting_id, Side(side).value, days) if meeting_id else (entry_id, member_id, days))
    rows = _meeting_rows(rng, now, existing) + _award_rows(rng, now, existing)
    db.session.add_all(rows)
    db.session.commit()
    answered = sum(1 for row in rows if row.answered_at is not None)
    return f"{len(rows)} added, {answered} of them answered"
