"""Service rules: rubric versions, conflict detection, rounds, the deadline, people's choice."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from eventhub.checkin import services as checkin
from eventhub.contests import assigning, conflicts, entries, judging, rounds, setup, voting
from eventhub.contests.errors import AlreadyVoted, ConflictLocked, SubmissionClosed
from eventhub.contests.models import Assignment, Conflict, ConflictStatus, Score
from eventhub.contests.results import contest_results
from eventhub.errors import EventHubError, ValidationError
from tests.contests.factories import (
    AFTER_DEADLINE,
    BEFORE_DEADLINE,
    CRITERIA,
    DEADLINE,
    make_contest,
    make_entry,
    make_judges,
)
from tests.factories import HCMC, make_type, make_user, open_event, register


def test_the_deadline_is_an_instant_in_the_events_time_zone(db):
    contest = make_contest(submission_deadline="2026-12-10T17:00:00")  # no offset: the event's zone
    assert contest.submission_deadline == DEADLINE
    make_entry(contest, now=DEADLINE - timedelta(seconds=1))
    with pytest.raises(SubmissionClosed):
        make_entry(contest, now=AFTER_DEADLINE)
    with pytest.raises(SubmissionClosed):
        make_entry(contest, now=DEADLINE)  # the deadline itself is already too late
    # 10:00:01 UTC is 17:00:01 in Ho Chi Minh City
    from datetime import UTC

    with pytest.raises(SubmissionClosed):
        make_entry(contest, now=datetime(2026, 12, 10, 10, 0, 1, tzinfo=UTC))
    make_entry(contest, now=datetime(2026, 12, 10, 9, 59, 59, tzinfo=UTC))


def test_editing_the_rubric_after_scoring_makes_a_new_version(db):
    contest = make_contest(submission_deadline=None, judges_per_entry=1)
    entry = make_entry(contest)
    judge = make_judges(contest, 1)[0]
    assigning.run_assignment(contest)
    # before any score: edited in place
    setup.update_contest(contest, {"criteria": CRITERIA[:1]})
    assert contest.first_round.criteria_version == 1 and len(contest.first_round.criteria) == 1
    judging.save_scores(entry, judge, {"team": 8})
    setup.update_contest(contest, {"criteria": CRITERIA})
    round_ = contest.first_round
    assert round_.criteria_version == 2 and [c.key for c in round_.criteria] == ["team", "market"]
    old = db.session.scalar(db.select(Score))
    assert old.criteria_version == 1 and old.values == {"team": 8.0}  # kept
    assert contest_results(contest).results[0].scores_count == 0       # but not counted
    assert judging.judge_items(judge, contest)[0].state == "rescore"
    judging.save_scores(entry, judge, {"team": 8, "market": 4})
    assert contest_results(contest).results[0].scores_count == 1


def test_conflicts_are_detected_by_team_email_organization_and_company_domain(db):
    contest = make_contest(submission_deadline=None)
    on_team = make_user("judge", email="an@cty-abc.vn", full_name="Lý Văn An")
    same_org = make_user("judge", email="binh@khac.vn", full_name="Hà Thị Bình",
                         organization="cong ty sao viet")
    same_domain = make_user("judge", email="chi@saoviet.vn", full_name="Mai Chi")
    gmail = make_user("judge", email="dung@gmail.com", full_name="Đỗ Dũng")
    setup.add_judges(contest, [u.email for u in (on_team, same_org, same_domain, gmail)])
    entry = make_entry(contest, make_user(email="ceo@saoviet.vn"), organization="Công ty Sao Việt",
                       team=[{"full_name": "Lý Văn An", "email": "an@cty-abc.vn"},
                             {"full_name": "Phí Gia", "email": "gia@gmail.com"}])
    found = {c.user_id: c for c in conflicts.contest_conflicts(contest)}
    assert set(found) == {on_team.id, same_org.id, same_domain.id}
    # detected ones wait for an organizer and keep nobody away until confirmed (issue 13.12)
    assert all(c.status == ConflictStatus.pending and not c.blocks for c in found.values())
    from eventhub.contests.access import blocked_pairs

    assert {u for e, u in blocked_pairs(contest) if e == entry.id} == set()
    organizer = make_user("organizer")
    conflicts.decide(found[same_domain.id], "dismissed", actor=organizer)
    conflicts.decide(found[on_team.id], "confirmed", actor=organizer)
    assert not found[same_domain.id].blocks and found[on_team.id].blocks
    assert {u for e, u in blocked_pairs(contest) if e == entry.id} == {on_team.id}


def test_a_locked_declaration_cannot_be_withdrawn_by_the_judge(db):
    contest = make_contest(submission_deadline=None)
    entry = make_entry(contest)
    judge = make_judges(contest, 1)[0]
    conflict = conflicts.declare(contest, entry.id, judge, reason="Em họ của trưởng nhóm")
    conflicts.decide(conflict, "confirmed", actor=make_user("organizer"), locked=True)
    with pytest.raises(ConflictLocked):
        conflicts.withdraw_declaration(conflict, judge=judge)


def test_conflicted_judges_lose_the_assignment_and_their_scores_stop_counting(db):
    contest = make_contest(submission_deadline=None, judges_per_entry=1)
    entry = make_entry(contest)
    judge = make_judges(contest, 1)[0]
    assigning.run_assignment(contest)
    judging.save_scores(entry, judge, {"team": 5, "market": 5})
    assert contest_results(contest).results[0].scores_count == 1
    conflicts.add_by_organizer(contest, entry.id, judge.email, actor=make_user("organizer"))
    assert db.session.scalar(db.select(Assignment.id)) is None
    assert contest_results(contest).results[0].scores_count == 0


def test_assignment_is_refused_once_scoring_started(db):
    contest = make_contest(submission_deadline=None, judges_per_entry=1)
    entry = make_entry(contest)
    judge = make_judges(contest, 1)[0]
    assigning.run_assignment(contest)
    judging.save_scores(entry, judge, {"team": 1}, submit=False)
    with pytest.raises(EventHubError) as info:
        assigning.run_assignment(contest)
    assert info.value.code == "scoring_started"


def test_a_final_round_with_its_own_criteria_panel_and_entries(db):
    contest = make_contest(submission_deadline=None, judges_per_entry=2)
    made = [make_entry(contest) for _ in range(4)]
    judges = make_judges(contest, 3)
    assigning.run_assignment(contest)
    for a in db.session.scalars(db.select(Assignment)).all():
        judging.save_scores(a.entry, a.user, {"team": a.entry_id % 10, "market": 2})
    final_criteria = [{"key": "pitch", "name": "Thuyết trình", "weight": 1, "max_score": 100}]
    new = rounds.promote(contest, top_n=2, judge_ids=[judges[0].id, judges[1].id], criteria=final_criteria,
                        judges_per_entry=2)
    assert contest.current_round == 2 and [c.key for c in new.criteria] == ["pitch"]
    ranked = [r.entry_id for r in contest_results(contest, contest.first_round).results[:2]]
    assigning.run_assignment(contest)
    finals = db.session.scalars(db.select(Assignment).where(Assignment.round_id == new.id)).all()
    assert {a.entry_id for a in finals} == set(ranked) and {a.user_id for a in finals} == {
        judges[0].id, judges[1].id}
    with pytest.raises(ValidationError):
        judging.save_scores(finals[0].entry, finals[0].user, {"team": 5, "market": 2})
    judging.save_scores(finals[0].entry, finals[0].user, {"pitch": 88.5})
    assert contest_results(contest).results[0].scores_count == 1
    # the API's contract still speaks of the first round's criteria
    from eventhub.api.contest_schemas import contest_view

    assert [c["key"] for c in contest_view(contest)["criteria"]] == ["team", "market"]
    assert made


def test_judging_closes_at_the_round_deadline(db):
    contest = make_contest(submission_deadline=None, judges_per_entry=1,
                           judging_deadline="2026-12-12T12:00:00+07:00")
    entry = make_entry(contest)
    judge = make_judges(contest, 1)[0]
    assigning.run_assignment(contest)
    with pytest.raises(EventHubError) as info:
        judging.save_scores(entry, judge, {"team": 5, "market": 5},
                            now=datetime(2026, 12, 12, 12, 0, tzinfo=HCMC))
    assert info.value.code == "judging_closed"
    judging.save_scores(entry, judge, {"team": 5, "market": 5}, now=BEFORE_DEADLINE)


def test_peoples_choice_one_vote_per_checked_in_visitor(db, client):
    event = open_event()
    contest = make_contest(event, submission_deadline=None, peoples_choice=True,
                           vote_closes_at="2099-01-01T00:00:00+07:00")
    first, second = make_entry(contest), make_entry(contest)
    rtype = make_type(event)
    reg, token = register(event, rtype)
    with pytest.raises(EventHubError) as info:
        voting.cast_vote(contest, reg, first.id)
    assert info.value.code == "not_checked_in"
    # on the event's day: a scan before it is a scanner test, which gives no vote
    checkin.check_in(event, reg.ticket_code, gate="Cổng A", staff=None,
                     now=datetime(2026, 12, 14, 9, 0, tzinfo=HCMC))
    voting.cast_vote(contest, reg, first.id)
    with pytest.raises(AlreadyVoted):
        voting.cast_vote(contest, reg, second.id)
    # tallies hidden until the vote closes
    assert client.get(f"/api/v1/contests/{contest.id}/votes").status_code == 403
    page = client.get(f"/r/{token}/vote")
    assert page.status_code == 200 and contest.name in page.get_data(as_text=True)
    contest.vote_closes_at = datetime(2020, 1, 1, tzinfo=HCMC)
    db.session.commit()
    tally = client.get(f"/api/v1/contests/{contest.id}/votes").get_json()["items"]
    assert tally == [{"entry_id": first.id, "title": first.title, "votes": 1}]


def test_team_members_see_their_entry_once_they_have_an_account_and_accepted(db):
    from eventhub.contests.access import entries_of_user
    from tests.contests.factories import accept_invitation

    contest = make_contest(submission_deadline=None)
    entry = make_entry(contest, team=[{"full_name": "Tô Thị Mới", "email": "moi@nhom.vn"}])
    late = make_user(email="moi@nhom.vn", full_name="Tô Thị Mới")
    assert entries_of_user(late) == []  # the address alone opens nothing
    accept_invitation(entry, late)
    assert entries_of_user(late) == [entry]


def test_a_non_pdf_or_too_big_deck_stores_nothing(db):
    contest = make_contest(submission_deadline=None)
    entry = make_entry(contest)
    user = make_user()
    with pytest.raises(ValidationError):
        entries.upload_deck(entry, b"GIF89a....", "x.pdf", user=user)
    with pytest.raises(EventHubError) as info:
        entries.upload_deck(entry, b"%PDF-" + b"0" * (20 * 1024 * 1024), "x.pdf", user=user)
    assert info.value.status == 413
    assert entry.deck_key is None
    assert db.session.scalar(db.select(Conflict.id)) is None
