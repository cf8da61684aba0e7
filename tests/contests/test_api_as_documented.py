"""An outside client that knows only api.md ("Contests and judging") walks the whole flow.

Accounts come from `flask users create` (here: make_user); everything else goes through /api/v1 with
the fields api.md states and nothing more. The results are checked against figures worked out by
hand from the formulas in api.md.
"""

from __future__ import annotations

import json
import math

import pytest

from tests.factories import PASSWORD, make_user
from tests.support.api import assert_error

API = "/api/v1"


def _token(client, user) -> dict[str, str]:
    response = client.post(f"{API}/auth/tokens", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 201, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


CRITERIA = [{"key": "team", "name": "Đội ngũ", "weight": 3, "max_score": 10},
            {"key": "market", "name": "Thị trường", "weight": 1, "max_score": 5}]


def _contest_body(code: str, **kw) -> dict:
    body = {"code": code, "name": "Cuộc thi Gọi vốn Khởi nghiệp", "criteria": CRITERIA,
            "judges_per_entry": 2, "blind": True, "scoring": "zscore",
            "submission_deadline": "2099-12-10T17:00:00+07:00"}
    body.update(kw)
    return body


@pytest.fixture
def people(db):
    organizer = make_user("organizer", email="bantochuc@sokhcn.vn", full_name="Võ Thị Ban Tổ Chức")
    judges = [make_user("judge", email=f"giamkhao{i}@quy-dau-tu.vn", full_name=f"Giám khảo Phạm Hồng {i}")
              for i in (1, 2)]
    teams = [make_user("participant", email=f"truongnhom{i}@khoinghiep{i}.vn",
                       full_name=f"Trần Thị Trưởng Nhóm {i}") for i in range(5)]
    return organizer, judges, teams


def _event(client, org) -> str:
    response = client.post(f"{API}/events", headers=org, json={
        "slug": "startup-week-2026", "name": "Tuần lễ Khởi nghiệp 2026", "kind": "startup_week",
        "starts_at": "2026-12-14T08:00:00+07:00", "ends_at": "2026-12-18T17:00:00+07:00",
        "venue": "Saigon Innovation Hub"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["slug"]


# (team score out of 10, market score out of 5) → total = 100·(3·t/10 + m/5)/4 = 7.5·t + 5·m
JUDGE1 = [(8, 4), (6, 2), (6, 2), (4, 0)]   # totals 80, 55, 55, 30: m = 55, s = √312.5
JUDGE2 = [(8, 2), (8, 2), (8, 2), (8, 2)]   # totals 70 everywhere: s = 0, so z = 0


def test_the_whole_contest_flow_as_api_md_states_it(client, people):
    organizer, judges, teams = people
    org = _token(client, organizer)
    slug = _event(client, org)

    created = client.post(f"{API}/events/{slug}/contests", headers=org, json=_contest_body("startup-pitch"))
    assert created.status_code == 201, created.get_json()
    contest_id = created.get_json()["id"]
    assert isinstance(contest_id, int)
    contest = client.get(f"{API}/contests/{contest_id}")
    assert contest.status_code == 200
    shown = contest.get_json()
    assert shown["code"] == "startup-pitch" and shown["name"] == "Cuộc thi Gọi vốn Khởi nghiệp"
    assert shown["blind"] is True and shown["scoring"] == "zscore" and shown["judges_per_entry"] == 2
    assert shown["submission_deadline"] == "2099-12-10T17:00:00+07:00"
    assert [(c["key"], c["name"], c["weight"], c["max_score"]) for c in shown["criteria"]] == [
        ("team", "Đội ngũ", 3, 10), ("market", "Thị trường", 1, 5)]

    added = client.post(f"{API}/contests/{contest_id}/judges", headers=org,
                        json={"emails": [j.email for j in judges]})
    assert added.status_code in (200, 201), added.get_json()

    entry_ids = []
    for n, member in enumerate(teams):
        response = client.post(f"{API}/contests/{contest_id}/entries", headers=_token(client, member), json={
            "title": f"Ứng dụng Nông nghiệp Thông minh {n}", "summary": "Giải pháp IoT cho nông dân.",
            "organization": f"Công ty Cổ phần Sao Việt {n}",
            "team": [{"full_name": f"Đặng Văn Đồng Đội {n}", "email": f"dongdoi{n}@khoinghiep{n}.vn"}]})
        assert response.status_code == 201, response.get_json()
        entry_ids.append(response.get_json()["id"])
    assert len(set(entry_ids)) == 5
    # the submitting account belongs to the team (the team itself sees its entry in full)
    own = client.get(f"{API}/entries/{entry_ids[0]}", headers=_token(client, teams[0])).get_json()
    assert {m["email"] for m in own["team"]} == {teams[0].email, "dongdoi0@khoinghiep0.vn"}

    assigned = client.post(f"{API}/contests/{contest_id}/assign", headers=org)
    assert assigned.status_code == 200, assigned.get_json()
    pairs = assigned.get_json()["assignments"]
    assert all(set(p) >= {"entry_id", "judge_email"} for p in pairs)
    assert sorted((p["entry_id"], p["judge_email"]) for p in pairs) == sorted(
        (e, j.email) for e in entry_ids for j in judges)

    judge_headers = [_token(client, j) for j in judges]
    for headers in judge_headers:
        mine = client.get(f"{API}/judge/assignments", headers=headers)
        assert mine.status_code == 200
        text = mine.get_data(as_text=True)
        items = mine.get_json()["items"]
        assert sorted(i["id"] for i in items) == sorted(entry_ids)
        assert sorted(i["entry_id"] for i in items) == sorted(entry_ids)
        assert {i["title"] for i in items} == {f"Ứng dụng Nông nghiệp Thông minh {n}" for n in range(5)}
        for n, member in enumerate(teams):  # blind: no team names, e-mails or organization
            for secret in (member.full_name, member.email, f"Đặng Văn Đồng Đội {n}",
                           f"dongdoi{n}@khoinghiep{n}.vn", f"Công ty Cổ phần Sao Việt {n}",
                           f"khoinghiep{n}.vn"):
                assert secret not in text and json.dumps(secret)[1:-1] not in text

    # the rules of PUT /entries/{id}/scores
    first = entry_ids[0]
    assert_error(client.put(f"{API}/entries/{first}/scores", headers=judge_headers[0],
                            json={"scores": {"team": 8}}), 422)
    assert_error(client.put(f"{API}/entries/{first}/scores", headers=judge_headers[0],
                            json={"scores": {"team": 11, "market": 4}}), 422)
    assert_error(client.put(f"{API}/entries/{first}/scores", headers=judge_headers[0],
                            json={"scores": {"team": -1, "market": 4}}), 422)
    assert_error(client.put(f"{API}/entries/{first}/scores", headers=_token(client, teams[1]),
                            json={"scores": {"team": 8, "market": 4}}), 403)
    # a later PUT replaces the judge's scores
    early = client.put(f"{API}/entries/{first}/scores", headers=judge_headers[0],
                       json={"scores": {"team": 1, "market": 1}, "comment": "Chưa rõ mô hình."})
    assert early.status_code == 200, early.get_json()
    for headers, sheet in zip(judge_headers, (JUDGE1, JUDGE2), strict=True):
        for entry_id, (team, market) in zip(entry_ids, sheet, strict=False):  # the fifth stays unscored
            response = client.put(f"{API}/entries/{entry_id}/scores", headers=headers,
                                  json={"scores": {"team": team, "market": market}})
            assert response.status_code == 200, response.get_json()

    assert_error(client.get(f"{API}/contests/{contest_id}/results"), 403)
    results = client.get(f"{API}/contests/{contest_id}/results", headers=org)
    assert results.status_code == 200, results.get_json()
    body = results.get_json()
    assert body["scoring"] == "zscore"
    items = body["items"]
    assert all(set(i) >= {"rank", "entry_id", "title", "raw_mean", "normalized", "scores_count"}
               for i in items)
    s = math.sqrt(312.5)
    expected = [  # (entry, rank, raw_mean, normalized, scores_count)
        (entry_ids[0], 1, 75.0, (25 / s + 0) / 2, 2),
        (entry_ids[1], 2, 62.5, 0.0, 2),
        (entry_ids[2], 2, 62.5, 0.0, 2),
        (entry_ids[3], 4, 50.0, (-25 / s + 0) / 2, 2),
        (entry_ids[4], None, None, None, 0),
    ]
    assert [i["entry_id"] for i in items[:3]] in ([entry_ids[0], entry_ids[1], entry_ids[2]],
                                                  [entry_ids[0], entry_ids[2], entry_ids[1]])
    by_id = {i["entry_id"]: i for i in items}
    assert [i["entry_id"] for i in items][3:] == [entry_ids[3], entry_ids[4]]
    for entry_id, rank, raw_mean, normalized, count in expected:
        item = by_id[entry_id]
        assert item["rank"] == rank and item["scores_count"] == count
        assert item["title"] == f"Ứng dụng Nông nghiệp Thông minh {entry_ids.index(entry_id)}"
        if raw_mean is None:
            assert item["raw_mean"] is None and item["normalized"] is None
        else:  # not rounded to fewer than 6 decimals
            assert item["raw_mean"] == pytest.approx(raw_mean, abs=1e-7)
            assert item["normalized"] == pytest.approx(normalized, abs=1e-7)
    assert by_id[entry_ids[0]]["normalized"] == pytest.approx(0.7071067811865476, abs=1e-9)

    published = client.post(f"{API}/contests/{contest_id}/publish", headers=org)
    assert published.status_code == 200, published.get_json()
    public = client.get(f"{API}/contests/{contest_id}/results")
    assert public.status_code == 200
    assert public.get_json()["scoring"] == "zscore"
    assert [(i["entry_id"], i["rank"], i["raw_mean"], i["normalized"], i["scores_count"])
            for i in public.get_json()["items"]] == [
        (i["entry_id"], i["rank"], i["raw_mean"], i["normalized"], i["scores_count"]) for i in items]


def test_raw_scoring_closed_submissions_and_infeasible_assignment(client, people):
    organizer, judges, teams = people
    org = _token(client, organizer)
    slug = _event(client, org)

    closed = client.post(f"{API}/events/{slug}/contests", headers=org, json=_contest_body(
        "closed", submission_deadline="2020-12-10T17:00:00+07:00"))
    assert closed.status_code == 201, closed.get_json()
    refused = client.post(f"{API}/contests/{closed.get_json()['id']}/entries",
                          headers=_token(client, teams[0]), json={
                              "title": "Trễ hạn", "summary": "", "organization": "",
                              "team": [{"full_name": "Lê Văn Trễ", "email": "tre@khoinghiep.vn"}]})
    assert_error(refused, 403, "submission_closed")

    raw = client.post(f"{API}/events/{slug}/contests", headers=org,
                      json=_contest_body("raw", scoring="raw", judges_per_entry=1, blind=False))
    assert raw.status_code == 201, raw.get_json()
    raw_id = raw.get_json()["id"]
    client.post(f"{API}/contests/{raw_id}/judges", headers=org, json={"emails": [judges[0].email]})
    entry_ids = []
    for member in teams[:2]:
        response = client.post(f"{API}/contests/{raw_id}/entries", headers=_token(client, member), json={
            "title": f"Dự án của {member.full_name}", "summary": "Tóm tắt", "organization": "Sao Việt",
            "team": []})
        assert response.status_code == 201, response.get_json()
        entry_ids.append(response.get_json()["id"])
    assert client.post(f"{API}/contests/{raw_id}/assign", headers=org).status_code == 200
    headers = _token(client, judges[0])
    for entry_id, (team, market) in zip(entry_ids, [(7, 3), (9, 1)], strict=True):
        assert client.put(f"{API}/entries/{entry_id}/scores", headers=headers,
                          json={"scores": {"team": team, "market": market}}).status_code == 200
    body = client.get(f"{API}/contests/{raw_id}/results", headers=org).get_json()
    assert body["scoring"] == "raw"
    # 7.5·7 + 5·3 = 67.5 and 7.5·9 + 5·1 = 72.5; normalized = raw_mean
    assert [(i["entry_id"], i["rank"], i["raw_mean"], i["normalized"], i["scores_count"])
            for i in body["items"]] == [(entry_ids[1], 1, 72.5, 72.5, 1), (entry_ids[0], 2, 67.5, 67.5, 1)]

    three = client.post(f"{API}/events/{slug}/contests", headers=org,
                        json=_contest_body("three", judges_per_entry=3))
    three_id = three.get_json()["id"]
    client.post(f"{API}/contests/{three_id}/judges", headers=org, json={"emails": [j.email for j in judges]})
    client.post(f"{API}/contests/{three_id}/entries", headers=_token(client, teams[3]),
                json={"title": "Ba giám khảo", "summary": "", "organization": "", "team": []})
    error = assert_error(client.post(f"{API}/contests/{three_id}/assign", headers=org), 422,
                         "assignment_infeasible")
    assert error["message"]


def test_only_the_contract_fields_are_needed(client, people):
    """A client sending just what api.md lists – no description, rules, judging deadline, round –
    and an entry without `links` (optional in api.md)."""
    organizer, judges, teams = people
    org = _token(client, organizer)
    slug = _event(client, org)
    body = {"code": "Pitch-2026", "name": "Pitch",
            "criteria": [{"key": "Team", "name": "Team", "weight": 0.5, "max_score": 10}],
            "judges_per_entry": 1, "blind": False, "scoring": "raw",
            "submission_deadline": "2099-01-01T00:00:00+07:00"}
    created = client.post(f"{API}/events/{slug}/contests", headers=org, json=body)
    assert created.status_code == 201, created.get_json()
    contest_id = created.get_json()["id"]
    entry = client.post(f"{API}/contests/{contest_id}/entries", headers=_token(client, teams[0]),
                        json={"title": "T", "summary": "S", "organization": "O",
                              "team": [{"full_name": "Ngô Thị Ánh", "email": "anh@khoinghiep.vn"}]})
    assert entry.status_code == 201, entry.get_json()
    client.post(f"{API}/contests/{contest_id}/judges", headers=org, json={"emails": [judges[0].email]})
    assert client.post(f"{API}/contests/{contest_id}/assign", headers=org).status_code == 200
    put = client.put(f"{API}/entries/{entry.get_json()['id']}/scores", headers=_token(client, judges[0]),
                     json={"scores": {"Team": 10}})
    assert put.status_code == 200, put.get_json()
    item = client.get(f"{API}/contests/{contest_id}/results", headers=org).get_json()["items"][0]
    assert (item["rank"], item["raw_mean"], item["normalized"], item["scores_count"]) == (1, 100.0, 100.0, 1)


def test_the_judges_list_pages_as_every_api_list_does(client, people):
    """api.md "Lists": `{"items","page","per_page","total"}` with `?page=&per_page=` (≤ 500)."""
    organizer, judges, teams = people
    org = _token(client, organizer)
    slug = _event(client, org)
    contest_id = client.post(f"{API}/events/{slug}/contests", headers=org,
                             json=_contest_body("paged", judges_per_entry=1)).get_json()["id"]
    client.post(f"{API}/contests/{contest_id}/judges", headers=org, json={"emails": [judges[0].email]})
    for member in teams:
        client.post(f"{API}/contests/{contest_id}/entries", headers=_token(client, member),
                    json={"title": f"Dự án {member.id}", "summary": "", "organization": "", "team": []})
    assert client.post(f"{API}/contests/{contest_id}/assign", headers=org).status_code == 200
    headers = _token(client, judges[0])
    whole = client.get(f"{API}/judge/assignments", headers=headers).get_json()
    assert (whole["page"], whole["per_page"], whole["total"], len(whole["items"])) == (1, 50, 5, 5)
    seen = []
    for page in (1, 2, 3):
        body = client.get(f"{API}/judge/assignments?page={page}&per_page=2", headers=headers).get_json()
        assert (body["page"], body["per_page"], body["total"]) == (page, 2, 5)
        seen += [i["entry_id"] for i in body["items"]]
    assert seen == [i["entry_id"] for i in whole["items"]]
    assert_error(client.get(f"{API}/judge/assignments?per_page=501", headers=headers), 422)
    client.post(f"{API}/events/{slug}/contests", headers=org, json=_contest_body("second"))
    for url in (f"{API}/events/{slug}/contests?per_page=1",
                f"{API}/contests/{contest_id}/entries?per_page=2"):
        body = client.get(url, headers=org).get_json()
        assert len(body["items"]) == body["per_page"] and body["total"] > body["per_page"], url
