"""The demo's contests: 8 over the 2020 events, judged and partly published; a second run adds nothing."""

from __future__ import annotations

from eventhub.contests.models import Contest, ContestJudge, Entry, Score, ScoreStatus
from eventhub.contests.recipients import award_recipients
from eventhub.events.models import Event


def test_the_demo_loads_eight_judged_contests_once(db, demo):
    count = db.session.scalar(db.select(db.func.count(Contest.id)))
    assert count == 8
    assert db.session.scalar(db.select(db.func.count(Entry.id))) >= 8 * 8
    judges = db.session.scalars(db.select(ContestJudge)).all()
    assert judges and all(j.user.email.endswith("@giamkhao.vn") for j in judges)
    assert db.session.scalar(db.select(db.func.count(Score.id)).where(
        Score.status == ScoreStatus.submitted)) >= 8 * 8 * 3
    published = db.session.scalars(db.select(Contest).where(Contest.published_at.is_not(None))).all()
    assert len(published) == 3
    week = db.session.scalar(db.select(Event).where(Event.slug == "startup-week-2020"))
    levels = {r.award_level for r in award_recipients(week.id)}
    assert levels == {"first", "second", "third", "consolation"}
    assert demo.added_by_second_run[Contest.__tablename__] == 0
