"""A vote or skip is checked again when it arrives (floor_reach.py): an entry withdrawn, or with which the
judge now has a confirmed conflict or a team membership, since they were sent there does not count, and
the walk is repaired so the judge is sent elsewhere, not stuck."""

from __future__ import annotations

from datetime import datetime

import pytest

from eventhub.accounts.models import User
from eventhub.contests import entries as entry_services
from eventhub.contests import floor_judging as fj
from eventhub.contests.floor_models import PairwiseVisit, PairwiseVote, PairwiseWalk, VisitOutcome
from eventhub.contests.models import Entry, EntryMember
from eventhub.errors import EventHubError
from tests.contests.floor_world import NOW, confirm_conflict, later, pairwise_world
from tests.contests.test_floor_pages import entry_at, floor, page, post, target
from tests.factories import login, token_headers
from tests.support.api import assert_error


def _pair(contest, judge):
    """The judge at their second entry: (previous, current)."""
    fj.next_stop(contest, judge, now=NOW)
    stop = fj.next_stop(contest, judge, now=later(10))
    return stop.previous, stop.entry


def _refused(call) -> EventHubError:
    with pytest.raises(EventHubError) as caught:
        call()
    return caught.value


def _walk_row(db, contest, judge) -> PairwiseWalk:
    db.session.expire_all()
    return db.session.scalar(db.select(PairwiseWalk).filter_by(contest_id=contest.id, user_id=judge.id))


def _votes(db) -> int:
    return db.session.scalar(db.select(db.func.count(PairwiseVote.id)))


def _withdraw(db, entry) -> None:
    """Its team withdraws the entry while a judge walks to it."""
    entry_services.withdraw(entry, user=db.session.get(User, entry.created_by_id))


def _join_team(db, entry, user) -> None:
    """The judge accepted a place on the entry's team after being sent there."""
    db.session.add(EntryMember(entry_id=entry.id, user_id=user.id, full_name=user.full_name, email=user.email,
                               email_normalized=user.email.lower(), accepted_at=datetime.now(NOW.tzinfo)))
    db.session.commit()


@pytest.mark.parametrize("how", ["conflict", "team"])
def test_a_vote_on_an_entry_now_conflicted_is_403_and_the_judge_goes_elsewhere(db, how):
    contest, _entries, (judge, _other) = pairwise_world(entries=4)
    previous, current = _pair(contest, judge)
    if how == "conflict":
        confirm_conflict(contest, current, judge)
    else:
        _join_team(db, current, judge)
    error = _refused(lambda: fj.vote(contest, judge, current.id, previous.id, now=later(20)))
    assert (error.status, error.code) == (403, "conflict_of_interest")
    assert _votes(db) == 0
    row = _walk_row(db, contest, judge)
    assert (row.previous_entry_id, row.current_entry_id) == (previous.id, None)  # it left the walk
    after = fj.next_stop(contest, judge, now=later(30))
    assert after.previous.id == previous.id and after.entry.id not in {previous.id, current.id}
    assert fj.vote(contest, judge, after.entry.id, previous.id, now=later(40)) is not None


def test_a_vote_naming_a_withdrawn_previous_entry_is_422_on_its_field(db):
    contest, _entries, (judge, _other) = pairwise_world(entries=4)
    previous, current = _pair(contest, judge)
    _withdraw(db, previous)
    error = _refused(lambda: fj.vote(contest, judge, current.id, previous.id, now=later(20)))
    assert (error.status, list(error.fields)) == (422, ["loser"])
    assert _votes(db) == 0
    # the judge is at the current entry and has seen it: the next booth is compared with it (a fresh pair)
    row = _walk_row(db, contest, judge)
    assert (row.previous_entry_id, row.current_entry_id) == (current.id, None)
    after = fj.next_stop(contest, judge, now=later(30))
    assert after.previous.id == current.id and after.entry.id not in {previous.id, current.id}
    error = _refused(lambda: fj.vote(contest, judge, previous.id, current.id, now=later(35)))  # sent again
    assert (error.status, list(error.fields)) == (422, ["winner"])
    assert _walk_row(db, contest, judge).current_entry_id == after.entry.id  # the new pair is untouched


def test_a_withdrawn_current_entry_leaves_the_pair_and_the_page_reads_no_stop(db):
    contest, _entries, (judge, _other) = pairwise_world(entries=4)
    previous, current = _pair(contest, judge)
    _withdraw(db, current)
    assert fj.current_stop(contest, judge, now=later(15)) is None  # the page does not show it
    error = _refused(lambda: fj.vote(contest, judge, previous.id, current.id, now=later(20)))
    assert (error.status, list(error.fields)) == (422, ["loser"])
    assert _walk_row(db, contest, judge).previous_entry_id == previous.id
    after = fj.next_stop(contest, judge, now=later(30))
    assert after.previous.id == previous.id and after.entry.id != current.id


def test_next_repairs_a_pair_gone_stale_without_a_vote(db):
    contest, _entries, (judge, _other) = pairwise_world(entries=4)
    previous, current = _pair(contest, judge)
    confirm_conflict(contest, previous, judge)
    after = fj.next_stop(contest, judge, now=later(20))  # (3) would repeat the pair: it cannot be voted
    assert after.previous.id == current.id and after.entry.id not in {previous.id, current.id}


def test_skipping_a_withdrawn_entry_just_leaves_the_walk(db):
    contest, _entries, (judge, _other) = pairwise_world(entries=4)
    previous, current = _pair(contest, judge)
    _withdraw(db, current)
    fj.skip(contest, judge, current.id, now=later(20))
    fj.skip(contest, judge, current.id, now=later(21))  # the same tap again: still fine
    assert db.session.scalar(db.select(db.func.count(PairwiseVisit.id)).filter_by(
        outcome=VisitOutcome.skipped)) == 0  # nothing to remember of an entry no longer judged
    after = fj.next_stop(contest, judge, now=later(30))
    assert after.previous.id == previous.id and after.entry.id != current.id


def test_skipping_the_current_entry_when_the_previous_was_withdrawn(db):
    contest, _entries, (judge, _other) = pairwise_world(entries=4)
    previous, current = _pair(contest, judge)
    _withdraw(db, previous)
    fj.skip(contest, judge, current.id, now=later(20))
    row = _walk_row(db, contest, judge)
    assert (row.previous_entry_id, row.current_entry_id) == (None, None)
    first = fj.next_stop(contest, judge, now=later(30))  # a fresh start: nothing to compare yet
    assert first.previous is None and first.entry.id not in {previous.id, current.id}


def test_through_the_api_403_then_the_next_booth_is_elsewhere(client, db):
    contest, _entries, (judge, _other) = pairwise_world(entries=4)
    api, headers = f"/api/v1/contests/{contest.id}", token_headers(judge)
    client.get(f"{api}/next", headers=headers)
    pair = client.get(f"{api}/next", headers=headers).get_json()
    previous, current = pair["previous_entry_id"], pair["entry_id"]
    confirm_conflict(contest, db.session.get(Entry, current), judge)
    refused = client.post(f"{api}/votes", json={"winner": current, "loser": previous}, headers=headers)
    assert_error(refused, 403, "conflict_of_interest")
    after = client.get(f"{api}/next", headers=headers).get_json()
    assert after["previous_entry_id"] == previous and after["entry_id"] not in {previous, current}
    _withdraw(db, db.session.get(Entry, after["entry_id"]))
    skipped = client.post(f"{api}/votes", json={"skip": after["entry_id"]}, headers=headers)
    assert skipped.status_code == 201, skipped.get_json()


def test_on_the_phone_page_the_refusal_is_said_and_another_booth_given(client, db):
    event, contest, entries, (judge,) = floor(4)
    login(client, judge)
    first = entry_at(entries, target(page(client, event)))
    post(client, event, "first", contest=contest.id, entry=first.id)
    second = entry_at(entries, target(page(client, event)))
    confirm_conflict(contest, second, judge)
    post(client, event, "vote", contest=contest.id, winner=second.id, loser=first.id)
    html = page(client, event)
    assert "xung đột lợi ích" in html  # the refusal in words
    assert target(html) not in {first.booth_code, second.booth_code} and "Gian nào tốt hơn?" in html
    assert f"Gian trước · {first.booth_code}" in html
    assert _votes(db) == 0
