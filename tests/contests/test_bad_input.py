"""No body a client can send to the contest API gives a 500: every field of every write gets values of
the wrong type (lists and objects where text or numbers belong, huge numbers, NUL), and the answer is
a refusal in the error shape of api.md (or a success where the value happens to be acceptable)."""

from __future__ import annotations

import pytest

from tests.contests.factories import CRITERIA, make_contest, make_entry, make_judges
from tests.factories import make_user, token_headers
from tests.support.api import assert_error

ODD = [None, True, 0, -1, 10**30, 1e308, "", "x" * 5000, "\x00", [], ["a"], [1, 2], {}, {"a": 1},
       [{"key": "a"}], "zscore", 2**31, -(2**63)]


def _check(response):
    assert response.status_code != 500, response.get_data(as_text=True)[:500]
    if response.status_code >= 400:
        assert_error(response)


@pytest.fixture
def world(db):
    organizer = make_user("organizer", email="bantochuc@sokhcn.vn")
    contest = make_contest(submission_deadline=None)
    judges = make_judges(contest, 2)
    member = make_user(email="doi@khoinghiep.vn")
    entry = make_entry(contest, member)
    return contest, entry, judges, organizer, member


CONTEST_FIELDS = {"code": "pitch", "name": "Thi", "criteria": CRITERIA, "judges_per_entry": 1,
                  "blind": True, "scoring": "raw", "submission_deadline": "2099-01-01T00:00:00+07:00"}


@pytest.mark.parametrize("field", [*sorted(CONTEST_FIELDS), "judging_deadline", "peoples_choice",
                                   "vote_closes_at", "description", "rules"])
def test_contest_create_and_patch_fields(client, world, field):
    contest, _entry, _judges, organizer, _member = world
    headers = token_headers(organizer)
    for value in ODD:
        body = dict(CONTEST_FIELDS, **{field: value})
        _check(client.post(f"/api/v1/events/{contest.event.slug}/contests", json=body, headers=headers))
        _check(client.patch(f"/api/v1/contests/{contest.id}", json={field: value}, headers=headers))


@pytest.mark.parametrize("part", ["key", "name", "weight", "max_score", "description"])
def test_criterion_parts(client, world, part):
    contest, _entry, _judges, organizer, _member = world
    headers = token_headers(organizer)
    for value in ODD:
        criterion = dict(CRITERIA[0], **{part: value})
        body = dict(CONTEST_FIELDS, criteria=[criterion], code="c-" + part.replace("_", "-"))
        _check(client.post(f"/api/v1/events/{contest.event.slug}/contests", json=body, headers=headers))


def test_other_writes(client, world):
    contest, entry, judges, organizer, member = world
    org, judge, team = token_headers(organizer), token_headers(judges[0]), token_headers(member)
    calls = [
        ("post", f"/api/v1/contests/{contest.id}/judges", org, ["emails"]),
        ("post", f"/api/v1/contests/{contest.id}/entries", team, ["title", "summary", "organization", "team",
                                                                  "links"]),
        ("patch", f"/api/v1/entries/{entry.id}", team, ["title", "summary", "organization", "team", "links"]),
        ("post", f"/api/v1/contests/{contest.id}/conflicts", judge, ["entry_id", "reason"]),
        ("post", f"/api/v1/contests/{contest.id}/conflicts", org, ["entry_id", "judge_email", "locked"]),
        ("put", f"/api/v1/entries/{entry.id}/award", org, ["award_level"]),
        ("post", f"/api/v1/contests/{contest.id}/assignments", org, ["entry_id", "judge_email"]),
        ("delete", f"/api/v1/contests/{contest.id}/assignments", org, ["entry_id", "judge_email"]),
        ("post", f"/api/v1/contests/{contest.id}/rounds", org, ["top_n", "entry_ids", "judge_emails",
                                                                "criteria", "judges_per_entry"]),
    ]
    for method, url, headers, names in calls:
        for name in names:
            for value in ODD:
                _check(getattr(client, method)(url, json={name: value}, headers=headers))
        for body in (None, [], "x", 1, {}):
            _check(getattr(client, method)(url, json=body, headers=headers))
        _check(getattr(client, method)(url, data="{not json", headers={**headers,
                                                                       "Content-Type": "application/json"}))


def test_scores_and_conflict_decisions(client, world):
    contest, entry, judges, organizer, _member = world
    client.post(f"/api/v1/contests/{contest.id}/assign", headers=token_headers(organizer))
    judge = token_headers(judges[0])
    for value in ODD:
        _check(client.put(f"/api/v1/entries/{entry.id}/scores", json={"scores": value}, headers=judge))
        _check(client.put(f"/api/v1/entries/{entry.id}/scores", json={"scores": {"team": value, "market": 1}},
                          headers=judge))
        for name in ("comment", "draft"):
            _check(client.put(f"/api/v1/entries/{entry.id}/scores",
                              json={"scores": {"team": 1, "market": 1}, name: value}, headers=judge))
    conflict = client.post(f"/api/v1/contests/{contest.id}/conflicts", json={"entry_id": entry.id},
                           headers=judge).get_json()
    for value in ODD:
        for name in ("status", "locked"):
            _check(client.post(f"/api/v1/conflicts/{conflict['id']}", headers=token_headers(organizer),
                               json={"status": "confirmed", name: value}))


def test_list_values_where_choices_are_expected_are_422(client, world):
    contest, entry, _judges, organizer, _member = world
    org = token_headers(organizer)
    assert_error(client.put(f"/api/v1/entries/{entry.id}/award", json={"award_level": ["first"]},
                            headers=org), 422)
    body = dict(CONTEST_FIELDS, scoring=["raw"])
    error = assert_error(client.post(f"/api/v1/events/{contest.event.slug}/contests", json=body, headers=org),
                         422)
    assert "scoring" in error["fields"]
    assert "scoring" in assert_error(client.patch(f"/api/v1/contests/{contest.id}", json={"scoring": {}},
                                                  headers=org), 422)["fields"]


def test_a_patch_needs_only_the_fields_it_changes(client, world):
    contest, entry, _judges, organizer, member = world
    response = client.patch(f"/api/v1/contests/{contest.id}", json={"name": "Cuộc thi Đổi tên"},
                            headers=token_headers(organizer))
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["name"] == "Cuộc thi Đổi tên" and response.get_json()["code"] == contest.code
    response = client.patch(f"/api/v1/entries/{entry.id}", json={"summary": "Tóm tắt mới"},
                            headers=token_headers(member))
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["summary"] == "Tóm tắt mới" and response.get_json()["title"] == entry.title


@pytest.mark.parametrize("criteria, field", [
    ([], "criteria"),
    ([dict(CRITERIA[0], weight=0)], "criteria.0.weight"),
    ([dict(CRITERIA[0], weight=-2)], "criteria.0.weight"),
    ([dict(CRITERIA[0], max_score=0)], "criteria.0.max_score"),
    ([dict(CRITERIA[0], max_score="10")], "criteria.0.max_score"),
    ([CRITERIA[0], dict(CRITERIA[1], key=CRITERIA[0]["key"])], "criteria.1.key"),
    ([dict(CRITERIA[0], key="đội ngũ")], "criteria.0.key"),
])
def test_bad_rubrics_are_422_on_their_field(client, world, criteria, field):
    contest, _entry, _judges, organizer, _member = world
    body = dict(CONTEST_FIELDS, criteria=criteria)
    error = assert_error(client.post(f"/api/v1/events/{contest.event.slug}/contests", json=body,
                                     headers=token_headers(organizer)), 422)
    assert field in error["fields"]


def test_a_judge_declares_conflicts_for_themself_only(client, world, db):
    from eventhub.contests.models import Conflict

    contest, entry, judges, organizer, _member = world
    url = f"/api/v1/contests/{contest.id}/conflicts"
    other = client.post(url, json={"entry_id": entry.id, "judge_email": judges[1].email},
                        headers=token_headers(judges[0]))
    assert_error(other, 403)
    assert db.session.scalar(db.select(db.func.count(Conflict.id))) == 0
    own = client.post(url, json={"entry_id": entry.id, "judge_email": judges[0].email.upper()},
                      headers=token_headers(judges[0]))
    assert own.status_code == 201, own.get_json()
    assert own.get_json()["judge_email"] == judges[0].email and own.get_json()["source"] == "declared"
    nameless = client.post(url, json={"entry_id": entry.id}, headers=token_headers(organizer))
    assert "judge_email" in assert_error(nameless, 422)["fields"]
