"""Changing how a contest is judged once judging started (issue 20): to or from "pairwise" is refused (409
scoring_locked) as soon as a vote on the floor or a score sheet exists – neither would count any more –
while zscore ↔ raw (only a ranking rule) stays allowed. The settings page says so next to the field."""

from __future__ import annotations

import pytest

from eventhub.contests import assigning, judging, setup
from eventhub.contests import floor_judging as fj
from eventhub.contests.errors import ScoringLocked
from eventhub.contests.models import Contest, Scoring
from tests.contests.factories import CRITERIA, make_contest, make_entry, make_judges
from tests.contests.floor_world import NOW, later, pairwise_world, walk
from tests.factories import login, make_user, token_headers
from tests.support.api import assert_error


@pytest.fixture
def organizer(db):
    return make_user("organizer", email="bantochuc20@sokhcn.vn", full_name="Phan Thị Ban Tổ Chức")


def _voted():
    contest, _entries, (judge, _other) = pairwise_world(entries=3)
    walk(contest, judge, 2)  # one vote
    return contest


def _scored():
    contest = make_contest(submission_deadline=None, judges_per_entry=1)
    entry = make_entry(contest)
    (judge,) = make_judges(contest, 1)
    assigning.run_assignment(contest)
    judging.save_scores(entry, judge, {"team": 6, "market": 3})
    return contest


def _scoring(db, contest) -> Scoring:
    db.session.expire_all()
    return db.session.get(Contest, contest.id).scoring


def test_a_pairwise_contest_with_a_vote_keeps_its_scoring(db):
    contest = _voted()
    with pytest.raises(ScoringLocked):
        setup.update_contest(contest, {"scoring": "zscore", "criteria": CRITERIA})
    assert _scoring(db, contest) == Scoring.pairwise
    setup.update_contest(contest, {"scoring": "pairwise", "name": "Giải Nông nghiệp số"})  # the same: fine


def test_a_rubric_contest_with_a_sheet_cannot_become_pairwise_but_may_change_its_ranking(db):
    contest = _scored()
    with pytest.raises(ScoringLocked):
        setup.update_contest(contest, {"scoring": "pairwise"})
    assert _scoring(db, contest) == Scoring.zscore
    setup.update_contest(contest, {"scoring": "raw"})
    assert _scoring(db, contest) == Scoring.raw


def test_before_judging_started_the_scoring_may_change(db):
    contest, _entries, (judge, _other) = pairwise_world(entries=3)
    fj.next_stop(contest, judge, now=NOW)
    stop = fj.next_stop(contest, judge, now=later(10))
    fj.vote(contest, judge, stop.entry.id, stop.previous.id, now=later(20))
    fj.undo_last(contest, judge, now=later(30))  # taken back: no vote counts
    setup.update_contest(contest, {"scoring": "zscore", "criteria": CRITERIA})
    assert _scoring(db, contest) == Scoring.zscore
    setup.update_contest(contest, {"scoring": "pairwise"})
    assert _scoring(db, contest) == Scoring.pairwise


def test_the_api_patch_answers_409_with_a_sentence(client, db, organizer):
    contest = _voted()
    url = f"/api/v1/contests/{contest.id}"
    refused = client.patch(url, json={"scoring": "raw", "criteria": CRITERIA},
                           headers=token_headers(organizer))
    error = assert_error(refused, 409, "scoring_locked")
    assert "so sánh từng cặp" in error["message"]
    assert _scoring(db, contest) == Scoring.pairwise


def test_the_settings_page_says_it_next_to_the_scoring_field(client, db, organizer):
    contest = _scored()
    login(client, organizer)
    posted = client.post(f"/contests/{contest.id}/settings", data={
        "code": contest.code, "name": contest.name, "scoring": "pairwise", "judges_per_entry": "1",
        "criteria": "team | Đội ngũ | 2 | 10\nmarket | Thị trường | 1 | 5"})
    html = posted.get_data(as_text=True)
    assert posted.status_code == 200
    feedback = html.split('id="scoring-error"', 1)[1].split("</div>", 1)[0]
    assert "không thể chuyển giữa so sánh từng cặp" in feedback
    assert _scoring(db, contest) == Scoring.zscore
