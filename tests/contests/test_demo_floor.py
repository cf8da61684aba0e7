"""The demo's pairwise judging at the 2026 exhibition (issue 20): two categories by sector on one floor,
their entries the exhibitors at their booths, votes made through the judges' service, a ranking and the
judges' progress; the demo judge is mid-walk and their phone page shows where to go; a second run adds
nothing."""

from __future__ import annotations

from eventhub.accounts.models import Role, User
from eventhub.contests import floor_judging as fj
from eventhub.contests.floor_models import PairwiseVisit, PairwiseVote, PairwiseWalk
from eventhub.contests.floor_results import pairwise_report
from eventhub.contests.models import Contest, Entry, EntryStatus, Scoring
from eventhub.dbtypes import utcnow
from eventhub.events.models import Event
from tests.factories import login
from tests.support.demo import PASSWORD

SLUG = "startup-week-2026"


def _floor_contests(db) -> list[Contest]:
    return list(db.session.scalars(db.select(Contest).join(Contest.event).where(
        Event.slug == SLUG, Contest.scoring == Scoring.pairwise).order_by(Contest.id)))


def _demo_judge(db) -> User:
    """The judge `flask demo` prints: the first judge account."""
    return db.session.scalar(db.select(User).where(User.role == Role.judge).order_by(User.id).limit(1))


def test_two_categories_share_the_2026_floor_with_votes_and_a_ranking(db, demo):
    contests = _floor_contests(db)
    assert [c.code for c in contests] == ["gian-hang-ai-2026", "gian-hang-fintech-agritech-2026"]
    zones = []
    for contest in contests:
        assert fj.judging_open(contest) and not contest.first_round.criteria
        entries = db.session.scalars(db.select(Entry).where(
            Entry.contest_id == contest.id, Entry.status == EntryStatus.submitted)).all()
        spots = fj.entry_spots(contest)
        assert len(entries) >= 12 and set(spots) == {e.id for e in entries}  # each at its exhibitor's booth
        assert all(spots[e.id].organization == e.organization for e in entries)
        zones.append({spot.zone for spot in spots.values()})
        report = pairwise_report(contest)
        assert report.votes_total >= len(entries)
        ranked = [row for row in report.rows if row.rank is not None]
        assert len(ranked) >= len(entries) // 2 and ranked[0].rank == 1
        assert [row.score for row in ranked] == sorted((row.score for row in ranked), reverse=True)
        assert ranked[0].booth == spots[ranked[0].entry_id].code
        assert len(report.judges) == 4 and all(j.votes >= 5 for j in report.judges)
        assert all(0 < j.reliability < 1 for j in report.judges)
    assert zones[0] == {"Trí tuệ nhân tạo"}  # one floor, a category per sector
    assert zones[1] == {"Tài chính số", "Nông nghiệp công nghệ cao"}
    times = db.session.scalars(db.select(PairwiseVote.created_at)).all()
    assert times and max(times) <= utcnow()  # nothing is dated ahead of the load
    for table in (Contest, Entry, PairwiseVote, PairwiseVisit, PairwiseWalk):
        assert demo.added_by_second_run[table.__tablename__] == 0


def test_the_demo_judge_is_mid_walk_and_the_phone_shows_the_booth(client, db, demo):
    judge = _demo_judge(db)
    pending = [stop for c in _floor_contests(db) if (stop := fj.current_stop(c, judge)) is not None]
    assert len(pending) == 1
    stop = pending[0]
    assert stop.previous is not None and stop.spot is not None and stop.votes >= 5
    login(client, judge, PASSWORD)
    page = client.get(f"/events/{SLUG}/floor-judging")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert stop.spot.code in html and stop.previous.organization.removeprefix("Công ty CP ") in html
    # the pair in front of the judge is the one the service takes a vote on
    fj.vote(stop.contest, judge, stop.entry.id, stop.previous.id)
    assert fj.current_stop(stop.contest, judge) is None
