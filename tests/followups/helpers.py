"""Follow-ups test data: a held meeting, an awarded entry with its team, answered rows."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from eventhub.contests.models import AwardLevel, EntryMember
from eventhub.extensions import db
from eventhub.followups.models import OutcomeFollowUp, Side, Subject
from tests.factories import HCMC, make_user
from tests.reports.factories import make_contest, make_entry, make_meeting, make_profile

_n = itertools.count(1)
MEETING_END = datetime(2026, 12, 14, 14, 20, tzinfo=HCMC)  # tests.reports.factories' meetings end then
PUBLISHED = datetime(2026, 12, 15, 10, 0, tzinfo=HCMC)


def held_meeting(event, *, investor=None, startup=None, held=True, cancelled=False):
    investor = investor or make_profile(event, "investor")
    startup = startup or make_profile(event, "startup", organization=f"Công ty CP Sao Khuê {next(_n)}")
    return make_meeting(event, investor, startup, investor_held=held or None, cancelled=cancelled)


def awarded_entry(event, *, level=AwardLevel.first, published=True, members=2, pending=1):
    """An entry with `members` accepted team members and `pending` invited but not accepted."""
    contest = make_contest(event)
    contest.published_at = PUBLISHED if published else None
    entry = make_entry(contest, title=f"Nông nghiệp thông minh Đồng Tháp {next(_n)}")
    entry.award_level = level
    for index in range(members + pending):
        user = make_user(full_name=f"Trần Thị Đội {next(_n)}") if index < members else None
        email = user.email if user else f"moi{next(_n)}@example.vn"
        db.session.add(EntryMember(entry_id=entry.id, user_id=user.id if user else None,
                                   full_name=user.full_name if user else "Người Được Mời", email=email,
                                   email_normalized=email.lower(),
                                   accepted_at=PUBLISHED - timedelta(days=30) if user else None))
    db.session.commit()
    return entry


def answered(meeting=None, *, entry=None, member=None, side="investor", days=30, pilot=False,
             investment=False, amount=None, follow_up_meeting=False):
    """A follow-up row as if asked and answered."""
    row = OutcomeFollowUp(
        event_id=meeting.event_id if meeting else entry.contest.event_id,
        subject=Subject.meeting if meeting else Subject.award, meeting_id=meeting.id if meeting else None,
        entry_id=entry.id if entry else None, member_id=member.id if member else None, side=Side(side),
        days=days, asked_at=MEETING_END + timedelta(days=days),
        answered_at=MEETING_END + timedelta(days=days + 1),
        pilot=pilot, investment=investment, amount=amount, follow_up_meeting=follow_up_meeting)
    db.session.add(row)
    db.session.commit()
    return row
