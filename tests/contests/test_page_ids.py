"""Ids posted in the contest pages' forms that name nothing – beyond 32 bits, superscript digits,
text – are refused like any unknown id, never a 500 (PostgreSQL errors on an out-of-range integer)."""

from __future__ import annotations

from tests.contests.factories import make_contest, make_entry, make_judges
from tests.factories import login, make_type, make_user, open_event, register

HUGE = str(2**63 + 5)
ODD_IDS = [HUGE, "-1", "0", "abc", "²", "٣", "1e9", ""]


def test_organizer_forms_with_odd_ids(client, db):
    organizer = make_user("organizer", email="bantochuc@sokhcn.vn")
    contest = make_contest(submission_deadline=None)
    make_judges(contest, 2)
    entry = make_entry(contest)
    login(client, organizer)
    for value in ODD_IDS:
        for url, data in [
            (f"/contests/{contest.id}/assignments", {"entry_id": value, "user_id": value}),
            (f"/contests/{contest.id}/assignments", {"entry_id": str(entry.id), "user_id": value}),
            (f"/contests/{contest.id}/conflicts", {"entry_id": value, "judge_email": "x@y.vn"}),
            (f"/contests/{contest.id}/awards", {f"award_{value}": "first"}),
            (f"/contests/{contest.id}/promote", {"entry_ids": [value, str(entry.id)], "top_n": value}),
        ]:
            response = client.post(url, data=data)
            assert response.status_code < 500, (url, data, response.status_code)


def test_the_vote_form_with_odd_ids(client, db):
    event = open_event()
    contest = make_contest(event, submission_deadline=None, peoples_choice=True)
    entry = make_entry(contest)
    _reg, token = register(event, make_type(event))
    for value in ODD_IDS:
        for data in ({"contest_id": value, "entry_id": str(entry.id)},
                     {"contest_id": str(contest.id), "entry_id": value}):
            response = client.post(f"/r/{token}/vote", data=data)
            assert response.status_code < 500, (data, response.status_code)
