"""The contests part of api.md, call by call, with refusals in the error shape."""

from __future__ import annotations

import json

import pytest

from eventhub.contests.models import Assignment, Entry, EntryMember, Score
from tests.contests.factories import (
    CRITERIA,
    accept_invitation,
    make_contest,
    make_entry,
    make_judges,
    pdf_bytes,
)
from tests.factories import make_event, make_user, token_headers
from tests.support.api import assert_error


@pytest.fixture
def organizer(db):
    return make_user("organizer", email="bantochuc@sokhcn.vn", full_name="Võ Thị Ban Tổ Chức")


@pytest.fixture
def org_headers(organizer):
    return token_headers(organizer)


def _create_body(**kw):
    body = {"code": "startup-pitch", "name": "Cuộc thi Gọi vốn Khởi nghiệp", "criteria": CRITERIA,
            "judges_per_entry": 2, "blind": True, "scoring": "zscore",
            "submission_deadline": "2099-12-10T17:00:00+07:00"}
    body.update(kw)
    return body


def test_organizer_creates_a_contest_and_anyone_reads_it(client, org_headers):
    event = make_event()
    response = client.post(f"/api/v1/events/{event.slug}/contests", json=_create_body(), headers=org_headers)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["id"] and body["code"] == "startup-pitch" and body["blind"] is True
    assert body["criteria"] == [{"key": "team", "name": "Đội ngũ", "weight": 2.0, "max_score": 10.0},
                                {"key": "market", "name": "Thị trường", "weight": 1.0, "max_score": 5.0}]
    assert body["submission_deadline"] == "2099-12-10T17:00:00+07:00"
    read = client.get(f"/api/v1/contests/{body['id']}")
    assert read.status_code == 200 and read.get_json()["name"] == "Cuộc thi Gọi vốn Khởi nghiệp"


@pytest.mark.parametrize("change, field", [
    ({"criteria": []}, "criteria"),
    ({"criteria": [{"key": "a", "name": "A", "weight": "x", "max_score": 10}]}, "criteria.0.weight"),
    ({"criteria": [{"key": "a", "name": "A", "weight": 1, "max_score": 0}]}, "criteria.0.max_score"),
    ({"criteria": [{"key": "a", "name": "A", "weight": True, "max_score": 5}]}, "criteria.0.weight"),
    ({"criteria": [{"key": "a", "name": "A", "weight": 1, "max_score": 5}] * 2}, "criteria.1.key"),
    ({"judges_per_entry": 0}, "judges_per_entry"),
    ({"judges_per_entry": 10**30}, "judges_per_entry"),
    ({"scoring": "median"}, "scoring"),
    ({"code": "Bad Code"}, "code"),
    ({"name": "\x00"}, "name"),
    ({"submission_deadline": "yesterday"}, "submission_deadline"),
    ({"blind": "yes"}, "blind"),
])
def test_bad_contest_fields_are_422_and_nothing_is_stored(client, org_headers, change, field):
    event = make_event()
    response = client.post(f"/api/v1/events/{event.slug}/contests", json=_create_body(**change),
                           headers=org_headers)
    error = assert_error(response, 422)
    assert field in error["fields"]
    assert client.get(f"/api/v1/events/{event.slug}/contests").get_json()["total"] == 0


def test_only_organizers_create_contests(client, db):
    event = make_event()
    assert_error(client.post(f"/api/v1/events/{event.slug}/contests", json=_create_body()), 401)
    judge = make_user("judge")
    assert_error(client.post(f"/api/v1/events/{event.slug}/contests", json=_create_body(),
                             headers=token_headers(judge)), 403)


def test_judges_are_existing_accounts_unknown_emails_422(client, org_headers):
    contest = make_contest()
    judge = make_user("participant", email="giamkhao.a@giamkhao.vn")
    bad = client.post(f"/api/v1/contests/{contest.id}/judges",
                      json={"emails": [judge.email, "nobody@giamkhao.vn"]}, headers=org_headers)
    assert "emails.1" in assert_error(bad, 422)["fields"]
    ok = client.post(f"/api/v1/contests/{contest.id}/judges", json={"emails": [judge.email.upper()]},
                     headers=org_headers)
    assert ok.status_code == 200 and ok.get_json()["judges"][0]["email"] == judge.email
    assert_error(client.post(f"/api/v1/contests/{contest.id}/judges", json={"emails": "x"},
                             headers=org_headers), 422)


def test_a_team_submits_an_entry_and_members_get_an_invitation(client, db, outbox):
    contest = make_contest(submission_deadline="2099-01-01T00:00:00+07:00")
    leader = make_user(email="truongnhom@nongtech.vn", full_name="Đặng Thị Trưởng Nhóm")
    body = {"title": "Nông Tech – tưới tiêu thông minh", "summary": "IoT", "organization": "Nông Tech",
            "team": [{"full_name": "Bùi Văn Thành Viên", "email": "thanhvien@nongtech.vn"}],
            "links": ["https://nongtech.vn/demo"]}
    response = client.post(f"/api/v1/contests/{contest.id}/entries", json=body, headers=token_headers(leader))
    assert response.status_code == 201, response.get_json()
    entry_id = response.get_json()["id"]
    members = db.session.scalars(db.select(EntryMember).filter_by(entry_id=entry_id)).all()
    assert {m.email for m in members} == {"truongnhom@nongtech.vn", "thanhvien@nongtech.vn"}
    mails = [p.read_text() for p in outbox.glob("*.eml")]
    assert any("thanhvien@nongtech.vn" in m for m in mails)
    # the invited member makes an account later, and sees the entry once they accept the invitation
    member = make_user(email="thanhvien@nongtech.vn", full_name="Bùi Văn Thành Viên")
    headers = token_headers(member)
    assert client.get(f"/api/v1/entries/{entry_id}", headers=headers).status_code == 403
    accept_invitation(db.session.get(Entry, entry_id), member)
    seen = client.get(f"/api/v1/entries/{entry_id}", headers=headers)
    assert seen.status_code == 200 and seen.get_json()["title"] == "Nông Tech – tưới tiêu thông minh"
    assert_error(client.get(f"/api/v1/entries/{entry_id}", headers=token_headers(make_user())), 403)


def test_after_the_deadline_submitting_is_403_submission_closed(client, db):
    contest = make_contest(submission_deadline="2020-01-01T00:00:00+07:00")
    response = client.post(f"/api/v1/contests/{contest.id}/entries", json={"title": "Muộn"},
                           headers=token_headers(make_user()))
    assert assert_error(response, 403)["code"] == "submission_closed"
    assert db.session.scalar(db.select(db.func.count(Entry.id))) == 0


@pytest.mark.parametrize("body, field", [({}, "title"), ({"title": ""}, "title"),
                                         ({"title": "A", "team": [{"full_name": "X", "email": "no"}]},
                                          "team.0.email"),
                                         ({"title": "A", "links": ["javascript:alert(1)"]}, "links.0"),
                                         ({"title": ["A"]}, "title")])
def test_bad_entries_are_422(client, db, body, field):
    contest = make_contest(submission_deadline=None)
    response = client.post(f"/api/v1/contests/{contest.id}/entries", json=body,
                           headers=token_headers(make_user()))
    assert field in assert_error(response, 422)["fields"]


def _upload(client, entry_id, data, headers, name="Deck Sao Việt.pdf"):
    import io

    return client.post(f"/api/v1/entries/{entry_id}/files", data={"file": (io.BytesIO(data), name)},
                       headers=headers, content_type="multipart/form-data")


def test_deck_upload_checks_the_content_and_size(client, db, app):
    contest = make_contest(submission_deadline=None)
    leader = make_user()
    entry = make_entry(contest, leader)
    headers = token_headers(leader)
    assert assert_error(_upload(client, entry.id, b"not a pdf at all", headers), 422)["fields"]["file"]
    assert_error(_upload(client, entry.id, b"%PDF-1.7\nbroken beyond repair", headers), 422)
    fake = b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024)
    assert assert_error(_upload(client, entry.id, fake, headers), 413)["code"] == "too_large"
    huge = b"%PDF-1.4\n" + b"0" * (26 * 1024 * 1024)  # above the app's MAX_CONTENT_LENGTH
    assert_error(_upload(client, entry.id, huge, headers), 413)
    db.session.refresh(entry)
    assert entry.deck_key is None
    ok = _upload(client, entry.id, pdf_bytes(2), headers)
    assert ok.status_code == 200 and ok.get_json()["has_deck"] is True
    got = client.get(f"/api/v1/entries/{entry.id}/deck.pdf", headers=headers)
    assert got.status_code == 200 and got.data.startswith(b"%PDF-")
    assert "Deck%20Sao%20Vi" in got.headers["Content-Disposition"]
    assert_error(_upload(client, entry.id, pdf_bytes(), token_headers(make_user())), 403)


def _setup_judged_contest(client, org_headers, *, blind=True, judges=3, entries=3):
    contest = make_contest(submission_deadline=None, blind=blind, judges_per_entry=2)
    team_user = make_user(email="leader@rongxanh.vn", full_name="Hoàng Thị Rồng Xanh")
    made = [make_entry(contest, team_user if i == 0 else None, organization=f"Công ty Thanh Long {i}",
                       title=f"Dự án Rồng Xanh {i}") for i in range(entries)]
    js = make_judges(contest, judges)
    response = client.post(f"/api/v1/contests/{contest.id}/assign", headers=org_headers)
    assert response.status_code == 200, response.get_json()
    return contest, made, js, response.get_json()["assignments"]


def test_assign_gives_each_entry_its_judges_and_even_loads(client, org_headers):
    _contest, made, _judges, pairs = _setup_judged_contest(client, org_headers, judges=3, entries=3)
    assert len(pairs) == 6 and {p["entry_id"] for p in pairs} == {e.id for e in made}
    loads = {}
    for p in pairs:
        loads[p["judge_email"]] = loads.get(p["judge_email"], 0) + 1
    assert sorted(loads.values()) == [2, 2, 2]


def test_assign_infeasible_is_422_with_a_reason(client, org_headers):
    contest = make_contest(submission_deadline=None, judges_per_entry=3)
    make_entry(contest)
    make_judges(contest, 2)
    error = assert_error(client.post(f"/api/v1/contests/{contest.id}/assign", headers=org_headers), 422)
    assert error["code"] == "assignment_infeasible" and "3" in error["message"]


def _judge_of(pairs, entry_id, judges):
    email = next(p["judge_email"] for p in pairs if p["entry_id"] == entry_id)
    return next(j for j in judges if j.email == email)


def test_scores_put_validates_and_replaces(client, org_headers, db):
    _contest, made, judges, pairs = _setup_judged_contest(client, org_headers)
    entry = made[0]
    judge = _judge_of(pairs, entry.id, judges)
    h = token_headers(judge)
    url = f"/api/v1/entries/{entry.id}/scores"
    missing = client.put(url, json={"scores": {"team": 5}}, headers=h)
    assert "scores.market" in assert_error(missing, 422)["fields"]
    assert "scores.team" in assert_error(client.put(url, json={"scores": {"team": 11, "market": 1}},
                                                    headers=h), 422)["fields"]
    assert "scores.team" in assert_error(client.put(url, json={"scores": {"team": -1, "market": 1}},
                                                    headers=h), 422)["fields"]
    assert "scores.team" in assert_error(client.put(url, json={"scores": {"team": True, "market": 1}},
                                                    headers=h), 422)["fields"]
    nan = client.put(url, data='{"scores": {"team": NaN, "market": 1}}', headers={
        **h, "Content-Type": "application/json"})
    assert nan.status_code in (400, 422) and nan.status_code != 500
    assert_error(client.put(url, json={"scores": [1, 2]}, headers=h), 422)
    assert_error(client.put(url, json={"scores": {"team": 1e308 * 10 if False else 1e300, "market": 1}},
                            headers=h), 422)
    assert db.session.scalar(db.select(db.func.count(Score.id))) == 0
    ok = client.put(url, json={"scores": {"team": 8.5, "market": 4}, "comment": "Đội mạnh, thị trường rõ"},
                    headers=h)
    assert ok.status_code == 200, ok.get_json()
    assert ok.get_json()["scores"] == {"team": 8.5, "market": 4.0}
    again = client.put(url, json={"scores": {"team": 6, "market": 2}}, headers=h)
    assert again.status_code == 200
    rows = db.session.scalars(db.select(Score)).all()
    assert len(rows) == 1 and rows[0].values == {"team": 6.0, "market": 2.0} and rows[0].comment == ""


def test_scoring_an_unassigned_or_conflicted_entry_is_403(client, org_headers, db):
    contest, made, judges, pairs = _setup_judged_contest(client, org_headers)
    entry = made[0]
    assigned = {p["judge_email"] for p in pairs if p["entry_id"] == entry.id}
    outsider = next(j for j in judges if j.email not in assigned)
    url = f"/api/v1/entries/{entry.id}/scores"
    body = {"scores": {"team": 5, "market": 3}}
    refused = client.put(url, json=body, headers=token_headers(outsider))
    assert assert_error(refused, 403)["code"] == "not_assigned"
    judge = _judge_of(pairs, entry.id, judges)
    declared = client.post(f"/api/v1/contests/{contest.id}/conflicts", json={"entry_id": entry.id,
                           "reason": "Tôi từng cố vấn cho đội"}, headers=token_headers(judge))
    assert declared.status_code == 201 and declared.get_json()["source"] == "declared"
    assert_error(client.put(url, json=body, headers=token_headers(judge)), 403)
    assert_error(client.get(f"/api/v1/entries/{entry.id}", headers=token_headers(judge)), 403)
    assert_error(client.get(f"/api/v1/entries/{entry.id}/deck.pdf", headers=token_headers(judge)), 403)
    # the organizer sees the judge's assignment to it gone
    assert db.session.scalar(db.select(Assignment.id).filter_by(entry_id=entry.id, user_id=judge.id)) is None


def test_blind_judges_never_see_team_names_emails_or_organization(client, org_headers):
    _contest, made, judges, pairs = _setup_judged_contest(client, org_headers, blind=True)
    entry = made[0]
    import io

    _upload_ok = client.post(f"/api/v1/entries/{entry.id}/files",
                             data={"file": (io.BytesIO(pdf_bytes()), "Hoàng Thị Rồng Xanh.pdf")},
                             headers=token_headers(db_user(entry)), content_type="multipart/form-data")
    assert _upload_ok.status_code == 200
    judge = _judge_of(pairs, entry.id, judges)
    h = token_headers(judge)
    listing = client.get("/api/v1/judge/assignments", headers=h)
    one = client.get(f"/api/v1/entries/{entry.id}", headers=h)
    deck = client.get(f"/api/v1/entries/{entry.id}/deck.pdf", headers=h)
    assert listing.status_code == one.status_code == deck.status_code == 200
    assert deck.headers["Content-Disposition"].endswith(f"entry-{entry.id}.pdf")
    text = json.dumps(listing.get_json(), ensure_ascii=False) + json.dumps(one.get_json(), ensure_ascii=False)
    for secret in ("Hoàng Thị Rồng Xanh", "leader@rongxanh.vn", "Thanh Long", "rongxanh"):
        assert secret not in text and secret not in deck.headers["Content-Disposition"]
    assert "Dự án Rồng Xanh 0" in text  # the title is what they judge
    items = listing.get_json()["items"]
    mine = sum(1 for p in pairs if p["judge_email"] == judge.email)
    assert listing.get_json()["total"] == len(items) == mine


def db_user(entry):
    from eventhub.accounts.models import User
    from eventhub.extensions import db

    return db.session.get(User, entry.members[0].user_id)


def test_results_are_for_organizers_until_published(client, org_headers, db):
    contest, made, judges, pairs = _setup_judged_contest(client, org_headers, blind=False)
    for p in pairs:
        judge = next(j for j in judges if j.email == p["judge_email"])
        value = 9 if p["entry_id"] == made[1].id else 5
        r = client.put(f"/api/v1/entries/{p['entry_id']}/scores",
                       json={"scores": {"team": value, "market": 4}}, headers=token_headers(judge))
        assert r.status_code == 200
    url = f"/api/v1/contests/{contest.id}/results"
    assert assert_error(client.get(url), 403)["code"] == "results_not_published"
    assert_error(client.get(url, headers=token_headers(judges[0])), 403)
    body = client.get(url, headers=org_headers).get_json()
    assert body["scoring"] == "zscore"
    assert set(body["items"][0]) >= {"rank", "entry_id", "title", "raw_mean", "normalized", "scores_count"}
    assert body["items"][0]["entry_id"] == made[1].id and body["items"][0]["rank"] == 1
    assert body["items"][0]["raw_mean"] == pytest.approx(100 * (2 * 0.9 + 0.8) / 3)
    assert all(i["scores_count"] == 2 for i in body["items"])
    published = client.post(f"/api/v1/contests/{contest.id}/publish", headers=org_headers)
    assert published.status_code == 200 and published.get_json()["published"] is True
    assert client.get(url).status_code == 200
    assert_error(client.post(f"/api/v1/contests/{contest.id}/publish", headers=token_headers(judges[0])), 403)


def test_drafts_do_not_count_in_results(client, org_headers):
    contest, _made, judges, pairs = _setup_judged_contest(client, org_headers, blind=False)
    p = pairs[0]
    judge = next(j for j in judges if j.email == p["judge_email"])
    r = client.put(f"/api/v1/entries/{p['entry_id']}/scores",
                   json={"scores": {"team": 4}, "draft": True}, headers=token_headers(judge))
    assert r.status_code == 200 and r.get_json()["status"] == "draft"
    items = client.get(f"/api/v1/contests/{contest.id}/results", headers=org_headers).get_json()["items"]
    assert all(i["scores_count"] == 0 and i["rank"] is None for i in items)


def test_unknown_ids_and_bad_bodies_never_500(client, org_headers):
    contest = make_contest()
    for method, url in [("get", "/api/v1/contests/999999"), ("get", "/api/v1/contests/2147483647/results"),
                        ("put", "/api/v1/entries/999999/scores"), ("post", "/api/v1/contests/99999/assign")]:
        response = getattr(client, method)(url, json={"scores": {}}, headers=org_headers)
        assert_error(response, 404)
    for body in [{"entry_id": "x"}, {"entry_id": 10**40}, {}, {"entry_id": None, "judge_email": 5}]:
        assert_error(client.post(f"/api/v1/contests/{contest.id}/conflicts", json=body, headers=org_headers),
                     None)
    assert_error(client.post(f"/api/v1/contests/{contest.id}/judges", data="{", headers={
        **org_headers, "Content-Type": "application/json"}), 400)


def test_organizer_conflicts_and_manual_assignment(client, org_headers):
    contest, made, judges, pairs = _setup_judged_contest(client, org_headers)
    entry = made[0]
    judge = _judge_of(pairs, entry.id, judges)
    added = client.post(f"/api/v1/contests/{contest.id}/conflicts",
                        json={"entry_id": entry.id, "judge_email": judge.email, "reason": "Cùng công ty"},
                        headers=org_headers)
    assert added.status_code == 201 and added.get_json()["locked"] is True
    refused = client.post(f"/api/v1/contests/{contest.id}/assignments",
                          json={"entry_id": entry.id, "judge_email": judge.email}, headers=org_headers)
    assert assert_error(refused, 409)["code"] == "conflict_of_interest"
    free = next(j for j in judges if not any(p["judge_email"] == j.email and p["entry_id"] == entry.id
                                             for p in pairs) and j.id != judge.id)
    ok = client.post(f"/api/v1/contests/{contest.id}/assignments",
                     json={"entry_id": entry.id, "judge_email": free.email}, headers=org_headers)
    assert ok.status_code == 200
    assert {"entry_id": entry.id, "judge_email": free.email} in ok.get_json()["assignments"]
    listed = client.get(f"/api/v1/contests/{contest.id}/conflicts", headers=org_headers).get_json()
    assert listed["total"] == 1


def test_award_levels_and_recipients(client, org_headers, db):
    from eventhub.contests.recipients import award_label, award_recipients, judge_recipients

    contest, made, judges, _pairs = _setup_judged_contest(client, org_headers, blind=False)
    r = client.put(f"/api/v1/entries/{made[0].id}/award", json={"award_level": "first"}, headers=org_headers)
    assert r.status_code == 200 and r.get_json()["award_level"] == "first"
    assert_error(client.put(f"/api/v1/entries/{made[1].id}/award", json={"award_level": "gold"},
                            headers=org_headers), 422)
    assert award_recipients(contest.event_id) == []  # not published yet
    client.post(f"/api/v1/contests/{contest.id}/publish", headers=org_headers)
    recipients = award_recipients(contest.event_id)
    assert [(x.full_name, x.award_level) for x in recipients] == [("Hoàng Thị Rồng Xanh", "first")]
    assert {j.email for j in judge_recipients(contest.event_id)} == {j.email for j in judges}
    assert judge_recipients(contest.event_id)[0].contest_names == (contest.name,)
    assert award_label("first")


def test_the_contest_calls_are_in_openapi(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ["/api/v1/events/{slug}/contests", "/api/v1/contests/{id}/assign",
                 "/api/v1/entries/{id}/scores", "/api/v1/contests/{id}/results", "/api/v1/judge/assignments"]:
        assert path in paths


@pytest.mark.parametrize("raw", ['{"scores": {"team": 1' + "0" * 400 + ', "market": 1}}',
                                 '{"scores": {"team": Infinity, "market": 1}}',
                                 '{"scores": {"team": "8", "market": 1}}',
                                 '{"scores": {"team": 8, "market": 1, "bogus": 2}}',
                                 '{"scores": null}', '{"scores": {"team": 8, "market": 1}, "comment": 5}'])
def test_odd_score_bodies_are_422_never_500(client, org_headers, raw):
    _contest, made, judges, pairs = _setup_judged_contest(client, org_headers)
    judge = _judge_of(pairs, made[0].id, judges)
    response = client.put(f"/api/v1/entries/{made[0].id}/scores", data=raw,
                          headers={**token_headers(judge), "Content-Type": "application/json"})
    assert_error(response, 422)


def test_huge_criterion_numbers_and_odd_entry_bodies_are_refused(client, org_headers):
    event = make_event()
    huge = client.post(f"/api/v1/events/{event.slug}/contests", headers={**org_headers,
                       "Content-Type": "application/json"}, data=json.dumps(_create_body())
                       .replace('"weight": 2', '"weight": 1' + "0" * 400))
    assert "criteria.0.weight" in assert_error(huge, 422)["fields"]
    contest = make_contest(submission_deadline=None)
    user = make_user()
    entry = make_entry(contest, user)
    patched = client.patch(f"/api/v1/entries/{entry.id}", data="title=x", headers={
        **token_headers(user), "Content-Type": "application/x-www-form-urlencoded"})
    assert patched.status_code in (200, 400, 415, 422)
    ok = client.patch(f"/api/v1/entries/{entry.id}", json={"title": "Tên mới có dấu – Đà Lạt"},
                      headers=token_headers(user))
    assert ok.status_code == 200 and ok.get_json()["title"] == "Tên mới có dấu – Đà Lạt"
    assert_error(client.post(f"/api/v1/contests/{contest.id}/conflicts", json={"entry_id": True},
                             headers=org_headers), None)


def test_who_may_call_is_checked_before_the_body(client, org_headers):
    contest, made, judges, pairs = _setup_judged_contest(client, org_headers)
    judge = _judge_of(pairs, made[0].id, judges)
    participant = token_headers(make_user())
    assert_error(client.put(f"/api/v1/entries/{made[0].id}/scores", json={}), 401)
    assert_error(client.put(f"/api/v1/entries/{made[0].id}/scores", json={}, headers=org_headers), 403)
    assert_error(client.get(f"/api/v1/contests/{contest.id}/entries", headers=token_headers(judge)), 403)
    assert_error(client.post(f"/api/v1/contests/{contest.id}/conflicts", json={}, headers=participant), 403)
    assert_error(client.patch(f"/api/v1/contests/{contest.id}", json={"judges_per_entry": "x"},
                              headers=token_headers(judge)), 403)
    assert_error(client.post(f"/api/v1/events/{contest.event.slug}/contests", json={}), 401)
    assert_error(client.put(f"/api/v1/entries/{made[0].id}/award", json={"award_level": "first"},
                            headers=token_headers(judge)), 403)
