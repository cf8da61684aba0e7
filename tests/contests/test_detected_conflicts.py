"""A team cannot steer its judges with a detected conflict (issue 13.12).

Before: adding a team member with a judge's company domain made a *detected* conflict that blocked the
judge at once – the team removed the judge it did not want. Now a detected conflict is shown (pending)
and blocks only once an organizer confirms it; declared and organizer-set conflicts still block at once.
"""

from __future__ import annotations

import re

import pytest

from eventhub.contests.models import Assignment, Conflict, ConflictSource, ConflictStatus
from tests.contests.factories import make_contest, make_entry, make_judges
from tests.factories import login, make_user, token_headers

API = "/api/v1"
SCORES = {"team": 7, "market": 3}


@pytest.fixture
def organizer(db):
    return make_user("organizer", email="bantochuc13@sokhcn.vn", full_name="Đặng Thị Ban Tổ Chức")


@pytest.fixture
def judged(client, db, organizer):
    """One entry, one judge (from a company) assigned to it."""
    contest = make_contest(submission_deadline=None, judges_per_entry=1)
    leader = make_user(email="truongnhom@hoasen.vn", full_name="Trịnh Văn Trưởng Nhóm")
    entry = make_entry(contest, leader, organization="Công ty Hoa Sen",
                       team=[{"full_name": "Trịnh Văn Trưởng Nhóm", "email": "truongnhom@hoasen.vn"}])
    judge = make_user("judge", email="khanh@quybaolanh.vn", full_name="Lâm Quốc Khánh")
    from eventhub.contests import setup

    setup.add_judges(contest, [judge.email])
    answer = client.post(f"{API}/contests/{contest.id}/assign", headers=token_headers(organizer))
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["assignments"] == [{"entry_id": entry.id, "judge_email": judge.email}]
    return contest, entry, leader, judge


def _add_member_with_the_judges_domain(client, entry, leader):
    team = [{"full_name": "Trịnh Văn Trưởng Nhóm", "email": "truongnhom@hoasen.vn"},
            {"full_name": "Người Lạ", "email": "bat.ky.ai@quybaolanh.vn"}]
    answer = client.patch(f"{API}/entries/{entry.id}", json={"team": team}, headers=token_headers(leader))
    assert answer.status_code == 200, answer.get_json()


def test_a_team_adding_a_member_with_a_judges_domain_does_not_remove_the_judge(client, db, judged, organizer):
    contest, entry, leader, judge = judged
    _add_member_with_the_judges_domain(client, entry, leader)

    conflict = db.session.scalar(db.select(Conflict).where(Conflict.entry_id == entry.id))
    assert conflict.source == ConflictSource.detected and conflict.status == ConflictStatus.pending
    assert conflict.user_id == judge.id and not conflict.blocks
    assert db.session.scalar(db.select(Assignment).where(Assignment.entry_id == entry.id,
                                                         Assignment.user_id == judge.id)) is not None
    # the judge still sees and scores the entry
    judge_headers = token_headers(judge)
    mine = client.get(f"{API}/judge/assignments", headers=judge_headers).get_json()["items"]
    assert [i["entry_id"] for i in mine] == [entry.id]
    assert client.get(f"{API}/entries/{entry.id}", headers=judge_headers).status_code == 200
    scored = client.put(f"{API}/entries/{entry.id}/scores", json={"scores": SCORES}, headers=judge_headers)
    assert scored.status_code == 200, scored.get_json()
    # the organizer sees it, with its state, in the API's conflict objects
    listed = client.get(f"{API}/contests/{contest.id}/conflicts", headers=token_headers(organizer)).get_json()
    assert [(c["judge_email"], c["source"], c["status"], c["blocking"]) for c in listed["items"]] == [
        (judge.email, "detected", "pending", False)]


def test_confirming_the_detected_conflict_removes_the_assignment_as_before(client, db, judged, organizer):
    contest, entry, leader, judge = judged
    _add_member_with_the_judges_domain(client, entry, leader)
    conflict = db.session.scalar(db.select(Conflict).where(Conflict.entry_id == entry.id))
    decided = client.post(f"{API}/conflicts/{conflict.id}", json={"status": "confirmed"},
                          headers=token_headers(organizer))
    assert decided.status_code == 200, decided.get_json()
    assert decided.get_json()["status"] == "confirmed" and decided.get_json()["blocking"] is True
    assert db.session.scalar(db.select(Assignment).where(Assignment.user_id == judge.id)) is None
    judge_headers = token_headers(judge)
    assert client.get(f"{API}/judge/assignments", headers=judge_headers).get_json()["items"] == []
    refused = client.put(f"{API}/entries/{entry.id}/scores", json={"scores": SCORES}, headers=judge_headers)
    assert refused.status_code == 403
    # and a new assignment keeps the confirmed conflict: the only judge is now conflicted
    again = client.post(f"{API}/contests/{contest.id}/assign", headers=token_headers(organizer))
    assert again.status_code == 422 and again.get_json()["error"]["code"] == "assignment_infeasible"


def test_dismissing_it_keeps_the_judge_and_the_assignment(client, db, judged, organizer):
    _contest, entry, leader, judge = judged
    _add_member_with_the_judges_domain(client, entry, leader)
    conflict = db.session.scalar(db.select(Conflict).where(Conflict.entry_id == entry.id))
    decided = client.post(f"{API}/conflicts/{conflict.id}", json={"status": "dismissed"},
                          headers=token_headers(organizer))
    assert decided.get_json()["blocking"] is False
    assert db.session.scalar(db.select(Assignment).where(Assignment.user_id == judge.id)) is not None


def test_a_declared_or_organizer_set_conflict_still_blocks_at_once(client, db, organizer):
    contest = make_contest(submission_deadline=None, judges_per_entry=1)
    first, second = make_entry(contest), make_entry(contest)
    judge = make_judges(contest, 1)[0]
    client.post(f"{API}/contests/{contest.id}/assign", headers=token_headers(organizer))
    declared = client.post(f"{API}/contests/{contest.id}/conflicts", json={"entry_id": first.id},
                           headers=token_headers(judge))
    assert declared.get_json()["status"] == "confirmed" and declared.get_json()["blocking"] is True
    by_organizer = client.post(f"{API}/contests/{contest.id}/conflicts",
                               json={"entry_id": second.id, "judge_email": judge.email},
                               headers=token_headers(organizer))
    assert by_organizer.get_json()["blocking"] is True
    assert db.session.scalar(db.select(Assignment).where(Assignment.user_id == judge.id)) is None


def test_the_assignment_page_lists_pending_detected_conflicts_to_decide(client, db, judged, organizer):
    contest, entry, leader, judge = judged
    _add_member_with_the_judges_domain(client, entry, leader)
    conflict = db.session.scalar(db.select(Conflict).where(Conflict.entry_id == entry.id))
    login(client, organizer)
    page = client.get(f"/contests/{contest.id}/manage").get_data(as_text=True)
    pending = page.split('id="pending-conflicts"', 1)[1].split("</div>", 1)[0]
    assert judge.full_name in pending and entry.title in pending
    assert f"/conflicts/{conflict.id}/decide" in pending
    # right under the assign button, before the entries' assignment forms
    assert page.index(f"/contests/{contest.id}/assign\"") < page.index('id="pending-conflicts"') \
        < page.index(f"/contests/{contest.id}/assignments\"")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = client.post(f"/conflicts/{conflict.id}/decide",
                         data={"csrf_token": token, "status": "confirmed"})
    assert answer.status_code == 302
    assert db.session.scalar(db.select(Assignment).where(Assignment.user_id == judge.id)) is None
    after = client.get(f"/contests/{contest.id}/manage").get_data(as_text=True)
    assert 'id="pending-conflicts"' not in after


def test_the_assign_answer_names_the_pending_conflicts(client, db, judged, organizer):
    contest, entry, leader, judge = judged
    _add_member_with_the_judges_domain(client, entry, leader)
    answer = client.post(f"{API}/contests/{contest.id}/assign", headers=token_headers(organizer)).get_json()
    assert [(c["entry_id"], c["judge_email"], c["status"]) for c in answer["pending_conflicts"]] == [
        (entry.id, judge.email, "pending")]
    assert answer["assignments"] == [{"entry_id": entry.id, "judge_email": judge.email}]


def test_a_judge_who_accepts_a_place_on_the_team_is_blocked_at_once(client, db, judged, organizer):
    """The team naming the judge's address proves nothing; the judge accepting the invitation does."""
    from tests.contests.factories import accept_invitation

    _contest, entry, leader, judge = judged
    team = [{"full_name": "Trịnh Văn Trưởng Nhóm", "email": "truongnhom@hoasen.vn"},
            {"full_name": judge.full_name, "email": judge.email}]
    answer = client.patch(f"{API}/entries/{entry.id}", json={"team": team}, headers=token_headers(leader))
    assert answer.status_code == 200, answer.get_json()
    conflict = db.session.scalar(db.select(Conflict).where(Conflict.entry_id == entry.id))
    assert conflict.status == ConflictStatus.pending  # named by the team only: the judge stays
    assert db.session.scalar(db.select(Assignment).where(Assignment.user_id == judge.id)) is not None

    accept_invitation(db.session.get(type(entry), entry.id), judge)
    db.session.expire_all()
    conflict = db.session.scalar(db.select(Conflict).where(Conflict.entry_id == entry.id))
    assert conflict.status == ConflictStatus.confirmed and conflict.blocks
    assert db.session.scalar(db.select(Assignment).where(Assignment.user_id == judge.id)) is None
    refused = client.put(f"{API}/entries/{entry.id}/scores", json={"scores": SCORES},
                         headers=token_headers(judge))
    assert refused.status_code == 403
