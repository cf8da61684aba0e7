"""api.md "Pairwise judging at the exhibition", call by call: GET /next, POST /votes (vote, skip, undo),
the pairwise results, a pairwise contest made and an entry placed at a booth through the API."""

from __future__ import annotations

import pytest

from eventhub.contests import floor_judging as fj
from eventhub.contests import pairwise
from eventhub.contests.floor_models import PairwiseVote
from tests.contests.factories import make_contest, make_entry, make_judges
from tests.contests.floor_world import pairwise_world
from tests.factories import make_event, make_user, token_headers
from tests.support.api import assert_error

API = "/api/v1"


@pytest.fixture
def world(db):
    contest, entries, judges = pairwise_world(entries=4, judges=2)
    organizer = make_user("organizer", email="bantochuc@sokhcn.vn", full_name="Võ Thị Ban Tổ Chức")
    return contest, entries, judges, organizer


def _next(client, contest, judge):
    return client.get(f"{API}/contests/{contest.id}/next", headers=token_headers(judge))


def _post(client, contest, judge, body, path="votes"):
    return client.post(f"{API}/contests/{contest.id}/{path}", json=body, headers=token_headers(judge))


def test_a_judge_walks_votes_skips_and_undoes(client, world):
    contest, _entries, (judge, _other), _organizer = world
    first = _next(client, contest, judge)
    assert first.status_code == 200
    body = first.get_json()
    assert {"entry_id", "title", "votes", "remaining"} <= set(body) and "previous_entry_id" not in body
    second = _next(client, contest, judge).get_json()  # asking again: the first was seen, here is the second
    assert second["previous_entry_id"] == body["entry_id"] and second["entry_id"] != body["entry_id"]
    assert _next(client, contest, judge).get_json() == second  # pending pair: unchanged
    vote = _post(client, contest, judge, {"winner": second["entry_id"], "loser": body["entry_id"]})
    assert vote.status_code == 201, vote.get_json()
    made = vote.get_json()
    assert set(made) == {"id", "winner", "loser", "created_at"} and made["winner"] == second["entry_id"]
    again = _post(client, contest, judge, {"winner": second["entry_id"], "loser": body["entry_id"]})
    assert again.status_code == 201 and again.get_json()["id"] == made["id"]  # a retry: the same vote
    third = _next(client, contest, judge).get_json()
    assert third["previous_entry_id"] == second["entry_id"] and "undo_until" in third
    undone = _post(client, contest, judge, None, path="votes/undo")
    assert undone.status_code == 200, undone.get_json()
    assert (undone.get_json()["previous_entry_id"], undone.get_json()["entry_id"]) == (
        body["entry_id"], second["entry_id"])
    assert_error(_post(client, contest, judge, None, path="votes/undo"), 409, "nothing_to_undo")
    skipped = _post(client, contest, judge, {"skip": second["entry_id"]})
    assert skipped.status_code == 201 and skipped.get_json() == {"skipped": second["entry_id"]}
    assert _next(client, contest, judge).get_json()["previous_entry_id"] == body["entry_id"]


@pytest.mark.parametrize("body", [{}, {"winner": 1}, {"winner": 1, "loser": 2, "skip": 3}, {"loser": "a"},
                                  {"skip": None}, {"winner": None, "loser": None}, [1, 2]])
def test_bodies_that_are_neither_a_vote_nor_a_skip_are_422(client, world, body):
    contest, _entries, (judge, _other), _organizer = world
    _next(client, contest, judge)
    assert_error(_post(client, contest, judge, body), 422)


def test_refusals(client, world):
    contest, entries, (judge, _other), organizer = world
    other, foreign, _judges = pairwise_world(entries=1)
    assert_error(client.get(f"{API}/contests/{contest.id}/next"), 401)
    assert_error(_next(client, contest, organizer), 403, "forbidden")  # organizers have their own pages
    assert_error(_next(client, contest, make_user("judge")), 403, "forbidden")
    assert_error(client.get(f"{API}/contests/999999/next", headers=token_headers(judge)), 404)
    _next(client, contest, judge)
    stop = _next(client, contest, judge).get_json()
    wrong = next(e.id for e in entries if e.id not in {stop["entry_id"], stop["previous_entry_id"]})
    error = assert_error(_post(client, contest, judge, {"winner": stop["entry_id"], "loser": wrong}), 422)
    assert set(error["fields"]) == {"loser"}
    assert_error(_post(client, contest, judge, {"winner": foreign[0].id, "loser": stop["entry_id"]}), 404,
                 "entry_not_found")
    assert_error(_post(client, contest, make_user("judge"), {"winner": 1, "loser": 2}), 403)
    assert_error(_post(client, contest, judge, {"skip": wrong}), 422)
    rubric = make_contest()
    (rubric_judge,) = make_judges(rubric, 1)
    assert_error(_next(client, rubric, rubric_judge), 409, "not_pairwise")
    client.post(f"{API}/contests/{contest.id}/publish", headers=token_headers(organizer))
    pair = {"winner": stop["entry_id"], "loser": stop["previous_entry_id"]}
    assert_error(_post(client, contest, judge, pair), 403, "judging_closed")
    assert_error(_next(client, contest, judge), 403, "judging_closed")
    assert other.id != contest.id


def test_204_when_nothing_is_left(client, db):
    contest, (only,), (judge,) = pairwise_world(entries=1, judges=1)
    assert _next(client, contest, judge).get_json()["entry_id"] == only.id
    response = _next(client, contest, judge)
    assert response.status_code == 204 and response.get_data() == b""


def test_results_rank_by_score_and_equal_the_replayed_model(client, world):
    contest, entries, (a, b), organizer = world
    for judge in (a, b):  # each judge walks and votes for the entry they reach later
        for _ in range(4):
            stop = fj.next_stop(contest, judge)
            if stop.previous is not None:
                fj.vote(contest, judge, stop.entry.id, stop.previous.id)
    for who in (organizer, a):  # judges of a pairwise contest read the results before publishing
        response = client.get(f"{API}/contests/{contest.id}/results", headers=token_headers(who))
        assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["scoring"] == "pairwise" and body["round"] == 1 and body["published"] is False
    items = body["items"]
    votes = db_votes(contest)
    model = pairwise.replay(votes, [e.id for e in entries], sorted([a.id, b.id]))
    ranked = [i for i in items if i["rank"] is not None]
    assert [i["entry_id"] for i in ranked] == [e.id for e in pairwise.ranking(
        model.entries[i["entry_id"]] for i in ranked)]
    for item in ranked:
        assert item["score"] == pytest.approx(model.entries[item["entry_id"]].mu, abs=1e-12)
        assert item["votes"] == sum(item["entry_id"] in (v.winner_id, v.loser_id) for v in votes)
        assert {"rank", "entry_id", "title", "score", "votes", "sigma", "award_level"} <= set(item)
    assert_error(client.get(f"{API}/contests/{contest.id}/results"), 403, "results_not_published")


def db_votes(contest) -> list[pairwise.Vote]:
    from eventhub.extensions import db

    return [pairwise.Vote(v.user_id, v.winner_id, v.loser_id) for v in db.session.scalars(
        db.select(PairwiseVote).filter_by(contest_id=contest.id, undone_at=None).order_by(PairwiseVote.id))]


def test_pairwise_contest_without_criteria_booths_and_no_assignment(client, db):
    organizer = make_user("organizer")
    headers = token_headers(organizer)
    event = make_event()
    body = {"code": "san-trien-lam", "name": "Giải Triển lãm Đổi mới", "judges_per_entry": 1,
            "scoring": "pairwise"}
    created = client.post(f"{API}/events/{event.slug}/contests", json=body, headers=headers)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["scoring"] == "pairwise" and created.get_json()["criteria"] == []
    error = assert_error(client.post(f"{API}/events/{event.slug}/contests", headers=headers,
                                     json={**body, "code": "x", "scoring": "median"}), 422)
    assert "pairwise" in error["fields"]["scoring"][0]
    assert_error(client.post(f"{API}/events/{event.slug}/contests", headers=headers,
                             json={**body, "code": "y", "scoring": "zscore"}), 422)
    contest_id = created.get_json()["id"]
    from eventhub.contests.models import Contest
    contest = db.session.get(Contest, contest_id)
    entry = make_entry(contest)
    patched = client.patch(f"{API}/entries/{entry.id}", json={"booth": " ai05 "}, headers=headers)
    assert patched.status_code == 200 and patched.get_json()["booth"] == "AI05"
    assert client.get(f"{API}/entries/{entry.id}", headers=headers).get_json()["booth"] == "AI05"
    assert_error(client.patch(f"{API}/entries/{entry.id}", json={"booth": "bad code!"}, headers=headers), 422)
    team = token_headers(entry.members[0].user)
    assert "booth" not in client.get(f"{API}/entries/{entry.id}", headers=team).get_json()
    assert_error(client.patch(f"{API}/entries/{entry.id}", json={"booth": "B1"}, headers=team), 403)
    assert_error(client.post(f"{API}/contests/{contest_id}/assign", headers=headers), 422, "pairwise_contest")


def test_a_rubric_contest_becomes_pairwise_without_criteria(client, db):
    organizer = make_user("organizer")
    contest = make_contest(make_event(actor=organizer))
    headers = token_headers(organizer)
    response = client.patch(f"{API}/contests/{contest.id}", json={"scoring": "pairwise", "criteria": []},
                            headers=headers)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["scoring"] == "pairwise" and response.get_json()["criteria"] == []
    back = client.patch(f"{API}/contests/{contest.id}", json={"scoring": "zscore", "criteria": []},
                        headers=headers)
    assert "criteria" in assert_error(back, 422)["fields"]
    silent = client.patch(f"{API}/contests/{contest.id}", json={"scoring": "zscore"}, headers=headers)
    assert "criteria" in assert_error(silent, 422)["fields"]  # not a rubric contest without a rubric
