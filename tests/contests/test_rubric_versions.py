"""Saving a contest's settings does not void the judging (issue 14.3).

Before: the settings form re-sends the criteria with every save, and any save after the first score
started a new rubric version – extending the judging deadline of a published contest sent every judge
"criteria changed, score again" and dropped every submitted count to 0. Now only a change of meaning (a
key, weight or maximum, a criterion added or removed) starts a version; names and descriptions are edited
in place; the page asks before sending sheets back; a published rubric keeps its meaning.
"""

from __future__ import annotations

from datetime import datetime
from html.parser import HTMLParser

import pytest

from eventhub.contests import assigning, judging, publishing, setup
from eventhub.contests.errors import RescoringNeedsConfirmation, RubricPublished
from eventhub.contests.models import Contest, Criterion, Score
from eventhub.contests.results import contest_results
from tests.contests.factories import CRITERIA, make_contest, make_entry, make_judges
from tests.factories import HCMC, login, make_user, token_headers
from tests.support.api import assert_error

NEW_DEADLINE = datetime(2026, 12, 20, 17, 0, tzinfo=HCMC)


@pytest.fixture
def organizer(db):
    return make_user("organizer", email="bantochuc14@sokhcn.vn", full_name="Huỳnh Thị Ban Tổ Chức")


@pytest.fixture
def scored(db):
    """Two entries, two judges each, every sheet submitted: 4 sheets on rubric version 1."""
    contest = make_contest(submission_deadline=None, judges_per_entry=2,
                           criteria=[{**CRITERIA[0], "description": "Kinh nghiệm của đội"}, CRITERIA[1]])
    entries = [make_entry(contest), make_entry(contest)]
    judges = make_judges(contest, 2)
    assigning.run_assignment(contest)
    for entry in entries:
        for n, judge in enumerate(judges):
            judging.save_scores(entry, judge, {"team": 6 + n, "market": 3})
    return contest, entries, judges


def _counts(contest) -> list[int]:
    return [r.scores_count for r in contest_results(contest).results]


def _states(contest, judges) -> set[str]:
    return {item.state for judge in judges for item in judging.judge_items(judge, contest)}


def _resent(criteria=CRITERIA, **change) -> list[dict]:
    """The criteria as the settings form sends them: every one, with every save, no description."""
    return [{k: v for k, v in {**c, **change.get(c["key"], {})}.items() if k != "description"}
            for c in criteria]


# --- the service -------------------------------------------------------------------------------------

def test_a_deadline_only_save_keeps_every_sheet_counting(db, scored):
    contest, _entries, judges = scored
    setup.update_contest(contest, {"judging_deadline": NEW_DEADLINE, "criteria": _resent()})
    assert contest.first_round.criteria_version == 1
    assert contest.first_round.deadline == NEW_DEADLINE
    assert _counts(contest) == [2, 2]
    assert _states(contest, judges) == {"submitted"}
    assert contest.first_round.criteria[0].description == "Kinh nghiệm của đội"  # not wiped by the form


def test_a_name_or_description_change_is_an_edit_in_place(db, scored):
    contest, _entries, judges = scored
    criteria = _resent(team={"name": "Đội ngũ sáng lập"})
    criteria[1]["description"] = "Quy mô thị trường"
    setup.update_contest(contest, {"criteria": criteria})
    round_ = contest.first_round
    assert round_.criteria_version == 1
    assert [(c.name, c.description) for c in round_.criteria] == [
        ("Đội ngũ sáng lập", "Kinh nghiệm của đội"), ("Thị trường", "Quy mô thị trường")]
    assert db.session.scalar(db.select(db.func.count(Criterion.id))) == 2  # no new rows
    assert _counts(contest) == [2, 2] and _states(contest, judges) == {"submitted"}


def test_reordering_is_an_edit_in_place(db, scored):
    contest, _entries, _judges = scored
    setup.update_contest(contest, {"criteria": list(reversed(_resent()))})
    assert contest.first_round.criteria_version == 1
    in_order = sorted(contest.first_round.criteria, key=lambda c: c.position)
    assert [c.key for c in in_order] == ["market", "team"]
    assert _counts(contest) == [2, 2]


def test_a_weight_change_before_any_score_rewrites_the_version_in_force(db):
    contest = make_contest(submission_deadline=None, judges_per_entry=1)
    make_entry(contest)
    make_judges(contest, 1)
    setup.update_contest(contest, {"criteria": _resent(team={"weight": 3})}, ask_before_rescoring=True)
    round_ = contest.first_round
    assert round_.criteria_version == 1 and [c.weight for c in round_.criteria] == [3.0, 1.0]


def test_a_weight_change_after_scores_asks_first_then_starts_a_new_version(db, scored):
    contest, _entries, judges = scored
    changed = {"criteria": _resent(team={"weight": 3}), "judging_deadline": NEW_DEADLINE}
    with pytest.raises(RescoringNeedsConfirmation) as asked:
        setup.update_contest(contest, changed, ask_before_rescoring=True)
    assert asked.value.sheets == 4 and asked.value.status == 409
    fresh = db.session.get(Contest, contest.id)
    assert fresh.first_round.criteria_version == 1 and fresh.first_round.deadline is None  # nothing saved
    with pytest.raises(RescoringNeedsConfirmation):  # accepted for fewer sheets than there are now
        setup.update_contest(fresh, changed, ask_before_rescoring=True, rescoring_confirmed=3)
    setup.update_contest(fresh, changed, ask_before_rescoring=True, rescoring_confirmed=4)
    assert fresh.first_round.criteria_version == 2 and fresh.first_round.deadline == NEW_DEADLINE
    assert _counts(fresh) == [0, 0] and _states(fresh, judges) == {"rescore"}
    assert fresh.first_round.criteria[0].description == "Kinh nghiệm của đội"  # carried to the new version
    old = db.session.scalars(db.select(Score)).all()
    assert len(old) == 4 and {s.criteria_version for s in old} == {1}  # kept, not counted


def test_adding_or_removing_a_criterion_is_a_change_of_meaning(db, scored):
    contest, _entries, _judges = scored
    setup.update_contest(contest, {"criteria": _resent(CRITERIA[:1])})
    assert contest.first_round.criteria_version == 2 and _counts(contest) == [0, 0]


def test_a_published_rubric_keeps_its_meaning_until_unpublished(db, scored, organizer):
    contest, _entries, _judges = scored
    publishing.publish(contest, actor=organizer)
    with pytest.raises(RubricPublished) as refused:
        setup.update_contest(contest, {"criteria": _resent(team={"weight": 3})})
    assert refused.value.status == 409 and refused.value.code == "rubric_published"
    fresh = db.session.get(Contest, contest.id)
    assert [c.weight for c in fresh.first_round.criteria] == [2.0, 1.0] and _counts(fresh) == [2, 2]
    setup.update_contest(fresh, {"criteria": _resent(team={"name": "Đội ngũ (sửa chính tả)"}),
                                 "judging_deadline": NEW_DEADLINE})
    assert fresh.first_round.criteria[0].name == "Đội ngũ (sửa chính tả)" and _counts(fresh) == [2, 2]
    publishing.unpublish(fresh, actor=organizer)
    setup.update_contest(fresh, {"criteria": _resent(team={"weight": 3})})
    assert fresh.first_round.criteria_version == 2


# --- the settings page ------------------------------------------------------------------------------

class _FormValues(HTMLParser):
    """What a browser submits for the page's form: inputs, checked boxes, textareas, selected options."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button"):
            if a.get("type") == "checkbox" and "checked" not in a:
                return
            self.values[a["name"]] = a.get("value") or ("y" if a.get("type") == "checkbox" else "")
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.values[self._textarea] = ""
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and ("selected" in a or self._select not in self.values):
            self.values[self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def _settings_form(client, contest) -> dict[str, str]:
    page = client.get(f"/contests/{contest.id}/settings")
    assert page.status_code == 200
    parser = _FormValues()
    parser.feed(page.get_data(as_text=True))
    values = parser.values
    values["criteria"] = values["criteria"].lstrip("\n")
    return values


def test_the_reported_case_extending_the_deadline_of_a_published_contest_on_the_page(
        client, db, scored, organizer):
    contest, _entries, judges = scored
    publishing.publish(contest, actor=organizer)
    login(client, organizer)
    form = _settings_form(client, contest)
    form["judging_deadline"] = "2026-12-20T17:00"
    saved = client.post(f"/contests/{contest.id}/settings", data=form)
    assert saved.status_code == 302, saved.get_data(as_text=True)[-3000:]
    fresh = db.session.get(Contest, contest.id)
    assert fresh.first_round.deadline == NEW_DEADLINE and fresh.first_round.criteria_version == 1
    assert _counts(fresh) == [2, 2] and _states(fresh, judges) == {"submitted"}


def test_the_page_asks_before_sending_sheets_back_and_works_without_script(client, db, scored, organizer):
    contest, _entries, judges = scored
    login(client, organizer)
    form = _settings_form(client, contest)
    form["criteria"] = form["criteria"].replace("team | Đội ngũ | 2 |", "team | Đội ngũ | 3 |")
    asked = client.post(f"/contests/{contest.id}/settings", data=form)
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200 and 'id="confirm-rescoring"' in html
    assert "4 phiếu chấm" in html and 'name="confirm_rescoring" value="4"' in html
    assert db.session.get(Contest, contest.id).first_round.criteria_version == 1  # nothing saved yet
    again = _FormValues()
    again.feed(html)
    assert "| 3 |" in again.values["criteria"]  # the page keeps what was typed
    confirmed = client.post(f"/contests/{contest.id}/settings",
                            data={**again.values, "confirm_rescoring": "4"})
    assert confirmed.status_code == 302
    fresh = db.session.get(Contest, contest.id)
    assert fresh.first_round.criteria_version == 2
    assert [c.weight for c in fresh.first_round.criteria] == [3, 1]
    assert _states(fresh, judges) == {"rescore"}


def test_the_page_shows_the_published_refusal_next_to_the_criteria(client, db, scored, organizer):
    contest, _entries, _judges = scored
    publishing.publish(contest, actor=organizer)
    login(client, organizer)
    form = _settings_form(client, contest)
    form["criteria"] = form["criteria"].replace("market | Thị trường | 1 |", "market | Thị trường | 2 |")
    refused = client.post(f"/contests/{contest.id}/settings", data={**form, "confirm_rescoring": "4"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 200
    textarea = html.split('name="criteria"', 1)[0].rsplit("<textarea", 1)[1]
    assert "is-invalid" in textarea
    feedback = html.split('name="criteria"', 1)[1].split("</div>", 2)
    assert "công bố" in "".join(feedback).lower()
    assert _counts(db.session.get(Contest, contest.id)) == [2, 2]


# --- the API's PATCH, same rules ---------------------------------------------------------------------

def test_the_api_patch_follows_the_same_rules(client, db, scored, organizer):
    contest, _entries, judges = scored
    headers = token_headers(organizer)
    url = f"/api/v1/contests/{contest.id}"
    client.post(f"{url}/publish", headers=headers)
    deadline_only = client.patch(url, json={"judging_deadline": "2026-12-20T17:00:00+07:00",
                                            "criteria": _resent()}, headers=headers)
    assert deadline_only.status_code == 200, deadline_only.get_json()
    renamed = client.patch(url, json={"criteria": _resent(team={"name": "Đội ngũ sáng lập"})},
                           headers=headers)
    assert renamed.status_code == 200 and renamed.get_json()["criteria"][0]["name"] == "Đội ngũ sáng lập"
    assert _counts(db.session.get(Contest, contest.id)) == [2, 2]
    weighted = client.patch(url, json={"criteria": _resent(team={"weight": 5})}, headers=headers)
    assert assert_error(weighted, 409, "rubric_published")
    assert client.post(f"{url}/unpublish", headers=headers).get_json()["published_at"] is None
    weighted = client.patch(url, json={"criteria": _resent(team={"weight": 5})}, headers=headers)
    assert weighted.status_code == 200 and weighted.get_json()["criteria"][0]["weight"] == 5.0
    fresh = db.session.get(Contest, contest.id)
    assert fresh.first_round.criteria_version == 2 and _states(fresh, judges) == {"rescore"}


def test_a_weight_with_many_digits_survives_the_form_round_trip(client, db, organizer):
    contest = make_contest(submission_deadline=None, judges_per_entry=1,
                           criteria=[{"key": "team", "name": "Đội ngũ", "weight": 1 / 3, "max_score": 7.25}])
    entry = make_entry(contest)
    judge = make_judges(contest, 1)[0]
    assigning.run_assignment(contest)
    judging.save_scores(entry, judge, {"team": 5})
    login(client, organizer)
    form = _settings_form(client, contest)
    form["name"] = form["name"] + " 2026"
    assert client.post(f"/contests/{contest.id}/settings", data=form).status_code == 302
    assert db.session.get(Contest, contest.id).first_round.criteria_version == 1
