"""The floor walk's service (floor_judging.py): the GET /next states, who is never sent where, busy
booths, booths found by code or organization, votes, skips, undo and retries."""

from __future__ import annotations

import itertools

import pytest

from eventhub.booths import allocation
from eventhub.booths.models import Booth
from eventhub.contests import floor_judging as fj
from eventhub.contests import publishing, rounds, setup
from eventhub.contests.floor_models import PairwiseVisit, PairwiseVote, PairwiseWalk, VisitOutcome
from eventhub.errors import EventHubError
from tests.booths.factories import apply, hall_event
from tests.contests.factories import accept_invitation, make_contest, make_entry, make_judges
from tests.contests.floor_world import NOW, confirm_conflict, later, pairwise_world, walk
from tests.factories import make_user


def _walk_row(db, contest, judge):
    db.session.expire_all()
    return db.session.scalar(db.select(PairwiseWalk).filter_by(contest_id=contest.id, user_id=judge.id))


def _code(call) -> tuple[int, str]:
    with pytest.raises(EventHubError) as caught:
        call()
    return caught.value.status, caught.value.code


def test_the_four_states_of_next(db):
    contest, _entries, (judge, _other) = pairwise_world(entries=4)
    first = fj.next_stop(contest, judge, now=NOW)  # 1: a first entry, nothing to compare with
    assert first.previous is None and first.votes == 0 and first.remaining == 4
    assert fj.current_stop(contest, judge, now=NOW).entry.id == first.entry.id
    second = fj.next_stop(contest, judge, now=later(60))  # 2: asked again – done with the first
    assert second.previous.id == first.entry.id and second.entry.id != first.entry.id
    assert second.remaining == 3
    assert [(v.entry_id, v.outcome) for v in db.session.scalars(db.select(PairwiseVisit))] == [
        (first.entry.id, VisitOutcome.seen)]
    again = fj.next_stop(contest, judge, now=later(90))  # 3: the pending pair, unchanged
    assert (again.previous.id, again.entry.id) == (first.entry.id, second.entry.id)
    fj.vote(contest, judge, second.entry.id, first.entry.id, now=later(120))
    row = _walk_row(db, contest, judge)
    assert (row.previous_entry_id, row.current_entry_id, row.votes) == (second.entry.id, None, 1)
    assert fj.current_stop(contest, judge, now=later(120)) is None
    fourth = fj.next_stop(contest, judge, now=later(130))  # 4: after a vote, the next against it
    assert fourth.previous.id == second.entry.id
    assert fourth.entry.id not in {first.entry.id, second.entry.id}
    assert fourth.votes == 1 and fourth.undo_until == later(120 + fj.UNDO_SECONDS)


def test_finish_first_without_choosing_leaves_the_next_to_the_event_walk(db):
    contest, entries, (judge, _other) = pairwise_world(entries=3)
    first = fj.next_stop(contest, judge, now=NOW)
    assert fj.finish_first(contest, judge, now=later(10), choose=False) is None
    row = _walk_row(db, contest, judge)
    assert (row.previous_entry_id, row.current_entry_id) == (first.entry.id, None)
    target = next(e for e in entries if e.id != first.entry.id)
    stop = fj.send_to(contest, judge, target, now=later(20))
    assert (stop.previous.id, stop.entry.id) == (first.entry.id, target.id)
    gain = fj.candidates_gain(contest, judge, None)
    assert gain is not None and gain[1] > 0


def test_conflicts_and_own_team_are_never_sent(db):
    contest, entries, (judge, _other) = pairwise_world(entries=4)
    confirm_conflict(contest, entries[0], judge)
    own = make_entry(contest, user=judge)  # the judge submitted it: on its team
    teammate = make_user(email="dongdoi@saoviet.vn", full_name="Trần Đồng Đội")
    shared = make_entry(contest, team=[{"full_name": teammate.full_name, "email": teammate.email}])
    accept_invitation(shared, teammate)
    setup.add_judges(contest, [teammate.email])
    sent = walk(contest, judge, 12)
    assert sent and not {entries[0].id, own.id} & set(sent)
    assert shared.id not in walk(contest, teammate, 12)
    with pytest.raises(EventHubError) as caught:
        fj.send_to(contest, judge, entries[0], now=later(minutes=30))
    assert caught.value.code == "conflict_of_interest"


def test_seen_entries_come_again_only_once_all_are_seen(db):
    contest, entries, (judge, _other) = pairwise_world(entries=5)
    sent = walk(contest, judge, 8)
    assert sorted(sent[:5]) == sorted(e.id for e in entries)  # each once before any again
    assert len(sent) == 8 and set(sent[5:]) <= set(sent[:5])
    assert all(a != b for a, b in itertools.pairwise(sent))  # never the same twice in a row


def test_nothing_left_is_none(db):
    contest, entries, (judge, _other) = pairwise_world(entries=2)
    confirm_conflict(contest, entries[0], judge)
    first = fj.next_stop(contest, judge, now=NOW)
    assert first.entry.id == entries[1].id
    assert fj.next_stop(contest, judge, now=later(60)) is None  # seen it; the other is conflicted


def test_busy_booths_are_avoided_for_ten_minutes(db):
    contest, _entries, (a, b, c) = pairwise_world(entries=3, judges=3)
    at_a = fj.next_stop(contest, a, now=NOW).entry.id
    assert fj.next_stop(contest, b, now=later(minutes=1)).entry.id != at_a
    assert fj.next_stop(contest, c, now=later(minutes=fj.BUSY_MINUTES + 1)).entry.id == at_a


def test_booths_by_code_then_by_organization(db):
    event = hall_event()
    exhibitor = apply(event, organization="CÔNG TY TNHH SÁNG TẠO XANH")
    booth = db.session.scalar(db.select(Booth).filter_by(event_id=event.id, code="A3"))
    allocation.place(event, booth, exhibitor)
    contest, _entries, (judge, _other) = pairwise_world(entries=0, event=event)
    by_code = make_entry(contest, organization="Công ty TNHH Sáng tạo Xanh")
    by_code.booth_code = "b1"
    by_org = make_entry(contest, organization="công ty tnhh sang tao xanh")
    unknown_code = make_entry(contest, organization="Công ty TNHH Sáng Tạo Xanh")
    unknown_code.booth_code = "Z99"
    nowhere = make_entry(contest, organization="Hợp tác xã Nông nghiệp Bình Minh")
    db.session.commit()
    spots = fj.entry_spots(contest)
    assert spots[by_code.id].code == "B1" and spots[by_org.id].code == "A3"
    assert spots[unknown_code.id].code == "A3" and nowhere.id not in spots
    walk(contest, judge, 2)
    assert fj.where_is(event, judge) is not None


def test_bad_votes(db):
    contest, entries, (judge, _other) = pairwise_world(entries=4)
    other_contest, foreign, _judges = pairwise_world(entries=1)
    first = fj.next_stop(contest, judge, now=NOW)
    # nothing to compare yet: 422 naming both
    status, code = _code(lambda: fj.vote(contest, judge, first.entry.id, entries[3].id, now=NOW))
    assert (status, code) == (422, "validation_error")
    stop = fj.next_stop(contest, judge, now=later(10))
    third = next(e for e in entries if e.id not in {stop.entry.id, stop.previous.id})
    with pytest.raises(EventHubError) as caught:
        fj.vote(contest, judge, stop.entry.id, third.id, now=later(20))
    assert caught.value.status == 422 and list(caught.value.fields) == ["loser"]
    with pytest.raises(EventHubError) as caught:
        fj.vote(contest, judge, stop.entry.id, stop.entry.id, now=later(20))
    assert caught.value.status == 422 and "loser" in caught.value.fields
    assert _code(lambda: fj.vote(contest, judge, "x", True, now=later(20)))[0] == 422
    assert _code(lambda: fj.vote(contest, judge, foreign[0].id, stop.entry.id, now=later(20))) == (
        404, "entry_not_found")
    assert _code(lambda: fj.vote(contest, judge, 10**12, stop.entry.id, now=later(20)))[0] == 404
    outsider = make_user("judge")
    assert _code(lambda: fj.vote(contest, outsider, stop.entry.id, stop.previous.id, now=later(20)))[0] == 403
    assert db.session.scalar(db.select(db.func.count(PairwiseVote.id))) == 0
    assert other_contest.id != contest.id


@pytest.mark.parametrize("closing", ["deadline", "published", "final"])
def test_votes_after_the_floor_closed_are_403(db, closing):
    contest, entries, (judge, _other) = pairwise_world(entries=3)
    fj.next_stop(contest, judge, now=NOW)
    stop = fj.next_stop(contest, judge, now=later(10))
    if closing == "deadline":
        contest.judging_deadline = later(minutes=5)
        db.session.commit()
        when = later(minutes=5)
    else:
        when = later(30)
        if closing == "published":
            publishing.publish(contest)
        else:
            rounds.promote(contest, entry_ids=[e.id for e in entries[:2]], criteria=[
                {"key": "pitch", "name": "Thuyết trình", "weight": 1, "max_score": 10}])
    assert _code(lambda: fj.vote(contest, judge, stop.entry.id, stop.previous.id, now=when)) == (
        403, "judging_closed")
    assert _code(lambda: fj.next_stop(contest, judge, now=when)) == (403, "judging_closed")
    assert not fj.judging_open(contest, when)


def test_skip_keeps_the_previous_entry(db):
    contest, entries, (judge, _other) = pairwise_world(entries=4)
    fj.next_stop(contest, judge, now=NOW)
    stop = fj.next_stop(contest, judge, now=later(10))
    wrong = next(e for e in entries if e.id not in {stop.entry.id, stop.previous.id})
    assert _code(lambda: fj.skip(contest, judge, wrong.id, now=later(15)))[0] == 422
    fj.skip(contest, judge, stop.entry.id, now=later(20))
    fj.skip(contest, judge, stop.entry.id, now=later(21))  # the same tap sent twice: one skip
    assert db.session.scalar(db.select(db.func.count(PairwiseVisit.id)).filter_by(
        outcome=VisitOutcome.skipped)) == 1
    after = fj.next_stop(contest, judge, now=later(30))
    assert after.previous.id == stop.previous.id and after.entry.id != stop.entry.id


def test_undo_within_a_minute_and_not_after(db):
    contest, _entries, (judge, _other) = pairwise_world(entries=4)
    assert _code(lambda: fj.undo_last(contest, judge, now=NOW)) == (409, "nothing_to_undo")
    fj.next_stop(contest, judge, now=NOW)
    stop = fj.next_stop(contest, judge, now=later(10))
    fj.vote(contest, judge, stop.previous.id, stop.entry.id, now=later(20))
    fj.next_stop(contest, judge, now=later(25))
    back = fj.undo_last(contest, judge, now=later(20 + fj.UNDO_SECONDS - 1))  # the minute's last second
    assert (back.previous.id, back.entry.id, back.votes) == (stop.previous.id, stop.entry.id, 0)
    assert db.session.scalar(db.select(PairwiseVote)).undone_at is not None
    assert db.session.scalar(db.select(PairwiseVisit).filter_by(entry_id=stop.entry.id)) is None
    fj.vote(contest, judge, stop.entry.id, stop.previous.id, now=later(100))
    # strictly within the minute, as the page (which hides the button at 60 s): at 60 s it is over
    assert _code(lambda: fj.undo_last(contest, judge, now=later(100 + fj.UNDO_SECONDS))) == (
        409, "undo_expired")


def test_an_undo_sent_twice_takes_back_only_the_last_vote(db):
    contest, _entries, (judge, _other) = pairwise_world(entries=4)
    fj.next_stop(contest, judge, now=NOW)
    stop = fj.next_stop(contest, judge, now=later(5))
    kept = fj.vote(contest, judge, stop.previous.id, stop.entry.id, now=later(10))
    stop = fj.next_stop(contest, judge, now=later(15))
    fj.vote(contest, judge, stop.previous.id, stop.entry.id, now=later(20))
    back = fj.undo_last(contest, judge, now=later(25))
    assert (back.previous.id, back.entry.id, back.votes) == (stop.previous.id, stop.entry.id, 1)
    assert back.undo_until is None  # nor is the vote before offered to take back
    # the same undo again (a double tap, a retry): the vote before, still within its minute, stays
    assert _code(lambda: fj.undo_last(contest, judge, now=later(26))) == (409, "nothing_to_undo")
    db.session.expire_all()
    assert db.session.get(PairwiseVote, kept.id).undone_at is None
    assert _walk_row(db, contest, judge).votes == 1


def test_a_retried_vote_is_recorded_once(db):
    contest, _entries, (judge, _other) = pairwise_world(entries=4)
    fj.next_stop(contest, judge, now=NOW)
    stop = fj.next_stop(contest, judge, now=later(10))
    first = fj.vote(contest, judge, stop.entry.id, stop.previous.id, now=later(20))
    again = fj.vote(contest, judge, stop.entry.id, stop.previous.id, now=later(25))
    assert again.id == first.id
    assert db.session.scalar(db.select(db.func.count(PairwiseVote.id))) == 1
    assert _walk_row(db, contest, judge).votes == 1
    # a minute later it is no longer a retry: no pair is pending, so it is refused
    assert _code(lambda: fj.vote(contest, judge, stop.entry.id, stop.previous.id,
                                 now=later(21 + fj.UNDO_SECONDS)))[0] == 422


def test_only_judges_of_a_pairwise_contest(db):
    contest, _entries, _judges = pairwise_world(entries=2)
    organizer = make_user("organizer")
    assert _code(lambda: fj.next_stop(contest, organizer, now=NOW)) == (403, "forbidden")
    rubric = make_contest()
    (judge,) = make_judges(rubric, 1)
    assert _code(lambda: fj.next_stop(rubric, judge, now=NOW)) == (409, "not_pairwise")
    assert fj.round_scoring(rubric, rubric.first_round) == "zscore"
    assert fj.round_scoring(contest, contest.first_round) == "pairwise"
    assert fj.is_pairwise_round(contest) and not fj.is_pairwise_round(rubric)
