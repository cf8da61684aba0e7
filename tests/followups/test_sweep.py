"""The sweep asks both sides 30 and 90 days after a meeting held or an award given – not a day early, once
even when two sweeps run at once – and nobody it should not ask."""

from __future__ import annotations

from datetime import timedelta

from eventhub.extensions import db as _db
from eventhub.followups.models import OutcomeFollowUp
from eventhub.followups.sweep import KIND, ask_due_followups
from eventhub.mail.models import OutboundEmail
from eventhub.messaging.services import unsubscribe
from tests.factories import make_event
from tests.followups.helpers import MEETING_END, PUBLISHED, awarded_entry, held_meeting
from tests.support.racing import race


def _rows():
    return list(_db.session.scalars(_db.select(OutcomeFollowUp).order_by(OutcomeFollowUp.id)))


def _asked_emails() -> list[str]:
    return sorted(_db.session.scalars(_db.select(OutboundEmail.to).where(OutboundEmail.kind == KIND)))


def test_both_sides_are_asked_at_30_and_90_days_not_at_29(db):
    event = make_event()
    meeting = held_meeting(event)
    assert ask_due_followups(now=MEETING_END + timedelta(days=29, hours=23)) == 0
    assert ask_due_followups(now=MEETING_END + timedelta(days=30)) == 2
    assert ask_due_followups(now=MEETING_END + timedelta(days=31)) == 0  # asked already
    assert ask_due_followups(now=MEETING_END + timedelta(days=89)) == 0
    assert ask_due_followups(now=MEETING_END + timedelta(days=90, minutes=1)) == 2
    rows = _rows()
    assert sorted((row.side.value, row.days) for row in rows) == [
        ("investor", 30), ("investor", 90), ("startup", 30), ("startup", 90)]
    assert all(row.meeting_id == meeting.id and row.answered_at is None for row in rows)
    assert _asked_emails() == sorted([meeting.investor.user.email, meeting.startup.user.email] * 2)


def test_two_sweeps_at_once_ask_each_side_once(app, db):
    event = make_event()
    held_meeting(event)
    awarded_entry(event, members=2, pending=0)
    now = MEETING_END + timedelta(days=31)
    outcomes = race(app, [lambda: ask_due_followups(now=now)] * 2)
    assert not [o for o in outcomes if isinstance(o, str)], outcomes
    assert sum(outcomes) == 4  # two sides of the meeting, two members of the team
    assert len(_rows()) == 4
    assert len(_asked_emails()) == 4


def test_cancelled_or_not_held_meetings_are_not_asked(db):
    event = make_event()
    held_meeting(event, held=False)
    held_meeting(event, cancelled=True)
    assert ask_due_followups(now=MEETING_END + timedelta(days=30)) == 0
    assert _rows() == []


def test_an_award_asks_the_accepted_team_and_nobody_else(db):
    event = make_event()
    entry = awarded_entry(event, members=2, pending=1)
    awarded_entry(event, published=False)  # results not published: no award given yet
    not_awarded = awarded_entry(event)
    not_awarded.award_level = None
    _db.session.commit()
    assert ask_due_followups(now=PUBLISHED + timedelta(days=29)) == 0
    assert ask_due_followups(now=PUBLISHED + timedelta(days=30)) == 2
    accepted = sorted(m.email for m in entry.members if m.accepted_at is not None)
    assert _asked_emails() == accepted
    assert {row.entry_id for row in _rows()} == {entry.id}
    assert {row.side.value for row in _rows()} == {"team"}


def test_unsubscribed_addresses_are_skipped(db):
    event = make_event()
    meeting = held_meeting(event)
    unsubscribe(meeting.startup.user.email.upper())
    assert ask_due_followups(now=MEETING_END + timedelta(days=30)) == 1
    assert _asked_emails() == [meeting.investor.user.email]


def test_a_question_long_overdue_is_not_asked(db):
    """The feature started on years-old meetings: they are not asked "30 days on" years later."""
    event = make_event()
    held_meeting(event)
    assert ask_due_followups(now=MEETING_END + timedelta(days=400)) == 0
