"""The contest services keep their own rules, whoever calls them (a page, the API, a script): the deck
deadline, who records a conflict for whom, which pair an assignment names, which contest a vote is for,
whose invitation a listed one is; and the score sheet as the judge's page reads and loads it."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta

import pytest
from werkzeug.datastructures import MultiDict

from eventhub.contests import assigning, conflicts, entries, invitations, judging, voting
from eventhub.contests.errors import SubmissionClosed
from eventhub.contests.forms import parse_score_sheet
from eventhub.contests.models import ConflictSource, Criterion
from eventhub.errors import Forbidden, ValidationError
from tests.contests.factories import (
    AFTER_DEADLINE,
    BEFORE_DEADLINE,
    make_contest,
    make_entry,
    make_judges,
    pdf_bytes,
)
from tests.factories import HCMC, login, make_event, make_type, make_user, open_event, register, token_headers

LONG_AGO = datetime(2020, 12, 10, 17, 0, tzinfo=HCMC)

# --- the deck deadline --------------------------------------------------------------------------------


def test_the_team_uploads_its_deck_until_the_deadline_and_not_after(db):
    leader = make_user()
    entry = make_entry(make_contest(), leader)
    entries.upload_deck(entry, pdf_bytes(), "deck.pdf", user=leader, now=BEFORE_DEADLINE)
    kept = entry.deck_key
    with pytest.raises(SubmissionClosed):
        entries.upload_deck(entry, pdf_bytes(), "late.pdf", user=leader, now=AFTER_DEADLINE)
    assert entry.deck_key == kept and entry.deck_filename == "deck.pdf"


def test_after_the_deadline_the_refusal_comes_before_any_look_at_the_file(db):
    leader = make_user()
    entry = make_entry(make_contest(), leader)
    for data in (b"", b"not a pdf"):
        with pytest.raises(SubmissionClosed):
            entries.upload_deck(entry, data, "x.pdf", user=leader, now=AFTER_DEADLINE)


def test_organizers_may_replace_the_deck_after_the_deadline(db):
    entry = make_entry(make_contest())
    organizer = make_user("organizer")
    entries.upload_deck(entry, pdf_bytes(), "fixed.pdf", user=organizer, by_organizer=True,
                        now=AFTER_DEADLINE)
    assert entry.deck_key and entry.deck_filename == "fixed.pdf"


def test_no_file_is_a_field_error_while_submissions_are_open(db):
    leader = make_user()
    entry = make_entry(make_contest(), leader)
    with pytest.raises(ValidationError) as refused:
        entries.upload_deck(entry, b"", None, user=leader, now=BEFORE_DEADLINE)
    assert list(refused.value.fields) == ["file"]


def _closed_entry():
    """An entry of a contest whose deadline has passed (submitted before it), with its leader."""
    leader = make_user()
    contest = make_contest(submission_deadline=LONG_AGO)
    return make_entry(contest, leader, now=LONG_AGO - timedelta(days=1)), leader


def test_after_the_deadline_the_api_and_the_page_refuse_the_team_alike(client, db):
    entry, leader = _closed_entry()
    upload = {"file": (io.BytesIO(pdf_bytes()), "late.pdf")}
    api = client.post(f"/api/v1/entries/{entry.id}/files", headers=token_headers(leader), data=upload,
                      content_type="multipart/form-data")
    assert api.status_code == 403 and api.get_json()["error"]["code"] == "submission_closed"
    login(client, leader)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(f"/entries/{entry.id}").text)[1]
    page = client.post(f"/entries/{entry.id}/deck", content_type="multipart/form-data",
                       data={"csrf_token": token, "file": (io.BytesIO(pdf_bytes()), "late.pdf")})
    assert page.status_code == 422  # the page of a closed contest shows no upload form, so no message
    db.session.expire_all()
    assert entry.deck_key is None


def test_after_the_deadline_an_organizer_still_uploads_through_the_api(client, db):
    entry, _leader = _closed_entry()
    response = client.post(f"/api/v1/entries/{entry.id}/files", headers=token_headers(make_user("organizer")),
                           data={"file": (io.BytesIO(pdf_bytes()), "deck.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["deck_url"]


# --- who records a conflict for whom ------------------------------------------------------------------


def _panel():
    contest = make_contest(submission_deadline=None)
    entry = make_entry(contest)
    judge, other = make_judges(contest, 2)
    return contest, entry, judge, other


def test_a_judge_declares_for_themself_with_or_without_their_own_address(db):
    contest, entry, judge, _other = _panel()
    declared = conflicts.add_conflict(contest, entry.id, actor=judge, actor_manages=False,
                                      judge_email=f"  {judge.email.upper()} ", reason="Người quen")
    assert declared.user_id == judge.id and declared.source == ConflictSource.declared and declared.blocks
    again = conflicts.add_conflict(contest, entry.id, actor=judge, actor_manages=False)
    assert again.id == declared.id


def test_a_judge_never_declares_for_another_judge(db):
    contest, entry, judge, other = _panel()
    with pytest.raises(Forbidden):
        conflicts.add_conflict(contest, entry.id, actor=judge, actor_manages=False, judge_email=other.email)
    assert conflicts.contest_conflicts(contest) == []


def test_someone_off_the_panel_who_does_not_manage_the_contest_records_nothing(db):
    contest, entry, _judge, _other = _panel()
    with pytest.raises(Forbidden):
        conflicts.add_conflict(contest, entry.id, actor=make_user(), actor_manages=False)


def test_an_organizer_names_any_judge_of_the_panel_and_locks_it_by_default(db):
    contest, entry, judge, _other = _panel()
    organizer = make_user("organizer")
    added = conflicts.add_conflict(contest, entry.id, actor=organizer, actor_manages=True,
                                   judge_email=judge.email)
    assert added.user_id == judge.id and added.source == ConflictSource.organizer and added.locked


def test_an_organizer_off_the_panel_must_name_a_judge(db):
    contest, entry, _judge, _other = _panel()
    organizer = make_user("organizer")
    for email in (None, organizer.email):
        with pytest.raises(ValidationError) as refused:
            conflicts.add_conflict(contest, entry.id, actor=organizer, actor_manages=True, judge_email=email)
        assert list(refused.value.fields) == ["judge_email"]


# --- the pair an assignment names ---------------------------------------------------------------------


def test_an_assignment_names_an_entry_of_this_contest_and_an_account(db):
    contest, entry, judge, _other = _panel()
    assert assigning.find_pair(contest, entry.id, judge.id) == (entry, judge)
    elsewhere = make_entry(make_contest(submission_deadline=None))
    for entry_id, judge_id in ((elsewhere.id, judge.id), (entry.id, 0), (0, judge.id)):
        with pytest.raises(ValidationError):
            assigning.find_pair(contest, entry_id, judge_id)
    assert assigning.find_pair_by_email(contest, entry.id, judge.email.upper()) == (entry, judge)
    refusals = [(elsewhere.id, judge.email, "entry_id"), ("1", judge.email, "entry_id"),
                (entry.id, "nobody@example.vn", "judge_email"), (entry.id, 5, "judge_email")]
    for entry_id, email, field in refusals:
        with pytest.raises(ValidationError) as refused:
            assigning.find_pair_by_email(contest, entry_id, email)
        assert list(refused.value.fields) == [field]


# --- the contest a vote is for, the invitation a listed one is ----------------------------------------


def test_a_vote_names_a_contest_of_the_registrations_event(db):
    event = open_event()
    reg, _token = register(event, make_type(event))
    elsewhere = make_contest(make_event(), peoples_choice=True, submission_deadline=None)
    for contest_id in (elsewhere.id, 0):
        with pytest.raises(ValidationError) as refused:
            voting.cast_vote_by_ids(reg, contest_id, 1)
        assert list(refused.value.fields) == ["contest_id"]


def test_a_listed_invitation_is_found_only_for_its_proven_address(db):
    invited = make_user(email="ban@doi.vn")
    unproven = make_user(email="chua@doi.vn", email_verified=False)
    entry = make_entry(make_contest(), team=[{"full_name": "Bạn Đội", "email": "ban@doi.vn"},
                                             {"full_name": "Chưa Xác", "email": "chua@doi.vn"}])
    members = {m.email_normalized: m for m in entry.members}
    assert invitations.invitation_for(members["ban@doi.vn"].id, invited) is members["ban@doi.vn"]
    assert invitations.invitation_for(members["ban@doi.vn"].id, unproven) is None
    assert invitations.invitation_for(members["chua@doi.vn"].id, unproven) is None
    assert invitations.invitation_for(members["chua@doi.vn"].id, invited) is None


# --- the score sheet ----------------------------------------------------------------------------------


def test_the_posted_sheet_reads_decimal_commas_keeps_text_and_leaves_out_blanks():
    criteria = [Criterion(key="team"), Criterion(key="market"), Criterion(key="tech")]
    posted = parse_score_sheet(MultiDict({"c_team": " 7,5 ", "c_market": "abc", "c_tech": "  ",
                                          "comment": "Tốt", "action": "submit"}), criteria)
    assert posted.scores == {"team": 7.5, "market": "abc"} and posted.comment == "Tốt" and posted.submit
    assert not parse_score_sheet(MultiDict({"action": "draft"}), criteria).submit


def test_the_sheet_shows_the_judges_scores_until_the_rubric_changes(db):
    contest = make_contest(submission_deadline=None, judges_per_entry=1)
    entry = make_entry(contest)
    judge = make_judges(contest, 1)[0]
    assigning.run_assignment(contest)
    empty = judging.load_sheet(entry, judge)
    assert empty.score is None and empty.values == {} and empty.comment == ""
    judging.save_scores(entry, judge, {"team": 6}, comment="Ổn", submit=False)
    sheet = judging.load_sheet(entry, judge)
    assert sheet.values == {"team": 6} and sheet.comment == "Ổn" and sheet.round == contest.active_round
    contest.active_round.criteria_version += 1  # as a change of meaning after scoring does
    db.session.commit()
    stale = judging.load_sheet(entry, judge)
    assert stale.score is not None and stale.values == {} and stale.comment == "Ổn"
