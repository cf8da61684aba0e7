"""Meeting outcomes: both sides recording theirs at once both count; a cancelled meeting refuses one."""

from __future__ import annotations

import threading

import pytest

from eventhub.extensions import db as _db
from eventhub.matchmaking import outcomes, scheduling
from eventhub.matchmaking.errors import MeetingCancelled
from eventhub.matchmaking.models import Meeting
from tests.matchmaking.factories import make_slots, scheduled
from tests.support.racing import race


def test_both_sides_recording_outcomes_at_once_both_count(app, match):
    event = match["event"]
    make_slots(event, count=2, tables=1)
    scheduled(event, (match["fund"], match["ai"]))
    meeting_id = _db.session.scalar(_db.select(Meeting.id))

    def say(profile_id, **values):
        def job():
            meeting = _db.session.get(Meeting, meeting_id)
            side = meeting.investor if meeting.investor_profile_id == profile_id else meeting.startup
            outcomes.record_outcome(meeting, side, **values)
            return "ok"
        return job

    for _round in range(3):
        assert race(app, [say(match["fund"].id, held=True, stage="due_diligence"),
                           say(match["ai"].id, held=False)]) == ["ok", "ok"]
        _db.session.expire_all()
        meeting = _db.session.get(Meeting, meeting_id)
        assert (meeting.investor_held, meeting.startup_held) == (True, False)
        assert meeting.held and meeting.stage.value == "due_diligence"
        outcomes.record_outcome(meeting, meeting.investor, held=False)  # back to the start
        assert meeting.stage is None


def test_an_outcome_for_a_meeting_cancelled_meanwhile_is_refused(app, match):
    event = match["event"]
    make_slots(event, count=1, tables=1)
    scheduled(event, (match["fund"], match["ai"]))
    stale = _db.session.scalar(_db.select(Meeting))  # loaded before the organizer cancels it

    def cancel():
        with app.app_context():
            scheduling.cancel_meeting(_db.session.get(Meeting, stale.id))
            _db.session.remove()

    thread = threading.Thread(target=cancel)
    thread.start()
    thread.join(timeout=60)
    assert stale.status.value == "scheduled"  # what this session still believes
    with pytest.raises(MeetingCancelled):
        outcomes.record_outcome(stale, match["fund"], held=True)
    _db.session.expire_all()
    assert _db.session.get(Meeting, stale.id).investor_held is None
