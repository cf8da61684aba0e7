"""The combined final (issue 20): round 1 of a pairwise contest judged on the floor, the organizer opens
round 2 with the top 3 of the PAIRWISE ranking, a rubric of its own and a panel of two; round 2 is assigned,
scored and ranked by z-scores like any rubric round, and its awards reach the certificates. Round 1 refuses
the rubric's paths (assignment, score sheets)."""

from __future__ import annotations

import pytest

from eventhub.contests import assigning, judging, rounds
from eventhub.contests import floor_judging as fj
from eventhub.contests.errors import PairwiseContest
from eventhub.contests.floor_results import pairwise_report
from eventhub.contests.models import Assignment, Contest, Score
from eventhub.contests.recipients import award_recipients
from eventhub.errors import EventHubError
from tests.contests.floor_world import pairwise_world
from tests.factories import login, make_user, token_headers
from tests.support.api import assert_error, assert_field_errors

FINAL_RUBRIC = [{"key": "pitch", "name": "Thuyết trình", "weight": 2, "max_score": 10},
                {"key": "traction", "name": "Khách hàng và doanh thu", "weight": 1, "max_score": 10}]


def _walk_truthfully(contest, judge, quality: dict[int, float], votes: int) -> int:
    """The judge walks the floor through the service and always prefers the better entry; votes cast."""
    cast = 0
    while cast < votes:
        stop = fj.next_stop(contest, judge)
        if stop is None:
            break
        if stop.previous is None:  # the first booth: asking again means "done here" (GET /next, state 2)
            continue
        better, worse = sorted((stop.entry.id, stop.previous.id), key=lambda e: -quality[e])
        fj.vote(contest, judge, better, worse)
        cast += 1
    return cast


@pytest.fixture
def floor_judged(db):
    """Six entries, three judges, 15 truthful votes: the pairwise first round of a combined final."""
    contest, entries, judges = pairwise_world(entries=6, judges=3)
    quality = {e.id: float(q) for e, q in zip(entries, [3, 6, 1, 5, 2, 4], strict=True)}
    assert sum(_walk_truthfully(contest, judge, quality, votes=5) for judge in judges) == 15
    return contest, entries, judges, quality


def test_round_one_refuses_the_rubrics_paths(client, db, floor_judged):
    contest, entries, judges, _quality = floor_judged
    organizer = make_user("organizer")
    assert_error(client.post(f"/api/v1/contests/{contest.id}/assign", headers=token_headers(organizer)),
                 422, "pairwise_contest")
    added = client.post(f"/api/v1/contests/{contest.id}/assignments", headers=token_headers(organizer),
                        json={"entry_id": entries[0].id, "judge_email": judges[0].email})
    assert_error(added, 422, "pairwise_contest")
    with pytest.raises(PairwiseContest):
        assigning.run_assignment(contest)
    listed = client.get("/api/v1/judge/assignments", headers=token_headers(judges[0]))
    assert listed.status_code == 200 and listed.get_json()["items"] == []
    # an assignment left from before the contest was judged on the floor gives no score sheet
    db.session.add(Assignment(round_id=contest.first_round.id, entry_id=entries[0].id, user_id=judges[0].id))
    db.session.commit()
    with pytest.raises(EventHubError) as refused:
        judging.save_scores(entries[0], judges[0], {})
    assert (refused.value.status, refused.value.code) == (403, "not_assigned")
    assert judging.judge_items(judges[0], contest) == []
    assert db.session.scalar(db.select(db.func.count(Score.id))) == 0


def test_the_combined_final_from_the_floor_to_the_awards(client, db, floor_judged):
    contest, _entries, judges, quality = floor_judged
    organizer = make_user("organizer")
    org = token_headers(organizer)
    report = pairwise_report(contest)
    top3 = [row.entry_id for row in report.rows if row.rank is not None][:3]
    assert top3[0] == max(quality, key=quality.get)  # every comparison of the best entry went its way
    url = f"/api/v1/contests/{contest.id}/rounds"
    panel = [judges[0].email, judges[2].email]
    # round 1 had no rubric: the final needs its own
    assert_field_errors(client.post(url, json={"top_n": 3, "judge_emails": panel}, headers=org), "criteria")
    opened = client.post(url, json={"top_n": 3, "judge_emails": panel, "criteria": FINAL_RUBRIC,
                                    "judges_per_entry": 2, "after_round": 1}, headers=org)
    assert opened.status_code == 201, opened.get_json()
    assert_field_errors(client.post(url, json={"top_n": 3, "after_round": 0}, headers=org), "after_round")
    # a second organizer who was also looking at round 1 opens no third round with the same entries
    assert_error(client.post(url, json={"top_n": 3, "judge_emails": panel, "criteria": FINAL_RUBRIC,
                                        "after_round": 1}, headers=org), 409, "round_changed")
    db.session.expire_all()
    final = db.session.get(Contest, contest.id).active_round
    assert final.number == 2 and [c.key for c in final.criteria] == ["pitch", "traction"]
    assert not fj.judging_open(contest)  # the floor closed with the promotion
    assert_error(client.get(f"/api/v1/contests/{contest.id}/next", headers=token_headers(judges[1])),
                 403, "judging_closed")

    assigned = client.post(f"/api/v1/contests/{contest.id}/assign", headers=org)
    assert assigned.status_code == 200, assigned.get_json()
    pairs = {(a["entry_id"], a["judge_email"]) for a in assigned.get_json()["assignments"]}
    assert pairs == {(e, email) for e in top3 for email in panel}
    # the lenient judge scores high and spreads little, the strict one low and wide: z-scores even them out
    sheets = {judges[0]: {top3[0]: (9, 9), top3[1]: (9, 8), top3[2]: (8, 8)},
              judges[2]: {top3[0]: (5, 5), top3[1]: (6, 6), top3[2]: (1, 1)}}
    for judge, by_entry in sheets.items():
        mine = client.get("/api/v1/judge/assignments", headers=token_headers(judge)).get_json()["items"]
        assert sorted(i["entry_id"] for i in mine) == sorted(top3)
        assert {i["round"] for i in mine} == {2}
        for entry_id, (pitch, traction) in by_entry.items():
            put = client.put(f"/api/v1/entries/{entry_id}/scores", headers=token_headers(judge),
                             json={"scores": {"pitch": pitch, "traction": traction}})
            assert put.status_code == 200, put.get_json()

    results = client.get(f"/api/v1/contests/{contest.id}/results", headers=org)
    body = results.get_json()
    assert results.status_code == 200 and body["scoring"] == "zscore" and body["round"] == 2
    # a floor judge saw the live floor ranking; the final's results wait for publishing (a rubric round)
    early = client.get(f"/api/v1/contests/{contest.id}/results", headers=token_headers(judges[0]))
    assert_error(early, 403, "results_not_published")
    items = body["items"]
    assert {i["entry_id"] for i in items} == set(top3)
    assert all(set(i) >= {"rank", "entry_id", "title", "raw_mean", "normalized", "scores_count"}
               for i in items)
    assert [i["scores_count"] for i in items] == [2, 2, 2]
    assert [i["normalized"] for i in items] == sorted((i["normalized"] for i in items), reverse=True)
    assert [i["rank"] for i in items] == [1, 2, 3]
    # raw means (70 against 73.3) would put the second entry ahead; the z-scores (0.77 against 0.60) do not
    assert [i["entry_id"] for i in items] == top3
    assert items[0]["raw_mean"] < items[1]["raw_mean"]

    for item, level in zip(items, ["first", "second", "third"], strict=True):
        assert client.put(f"/api/v1/entries/{item['entry_id']}/award", headers=org,
                          json={"award_level": level}).status_code == 200
    assert client.post(f"/api/v1/contests/{contest.id}/publish", headers=org).status_code == 200
    public = client.get(f"/api/v1/contests/{contest.id}/results").get_json()
    assert public["scoring"] == "zscore"
    assert [(i["entry_id"], i["award_level"]) for i in public["items"]] == [
        (items[0]["entry_id"], "first"), (items[1]["entry_id"], "second"), (items[2]["entry_id"], "third")]
    awarded = {(r.entry_id, r.award_level) for r in award_recipients(contest.event_id)}
    assert awarded == {(i["entry_id"], level) for i, level in zip(items, ["first", "second", "third"],
                                                                 strict=True)}


def test_the_organizers_form_opens_the_final_with_a_rubric_and_a_panel(client, db, floor_judged):
    contest, _entries, judges, _quality = floor_judged
    organizer = make_user("organizer")
    login(client, organizer)
    page = client.get(f"/contests/{contest.id}/results/manage").get_data(as_text=True)
    assert 'name="criteria"' in page and 'name="judge_emails"' in page and 'name="top_n"' in page
    url = f"/contests/{contest.id}/promote"
    refused = client.post(url, data={"top_n": "3", "criteria": ""}, follow_redirects=True)
    assert "ít nhất một tiêu chí" in refused.get_data(as_text=True)
    assert db.session.get(Contest, contest.id).current_round == 1
    bad_line = client.post(url, data={"top_n": "3", "criteria": "pitch | Thuyết trình | hai | 10"},
                           follow_redirects=True)
    assert "Dòng 1, trọng số" in bad_line.get_data(as_text=True)
    done = client.post(url, data={"top_n": "3", "criteria": "pitch | Thuyết trình | 2 | 10",
                                  "judge_emails": f"{judges[1].email}\n{judges[2].email}"})
    assert done.status_code == 302
    db.session.expire_all()
    contest = db.session.get(Contest, contest.id)
    final = contest.active_round
    assert final.number == 2 and [c.key for c in final.criteria] == ["pitch"]
    top3 = rounds.ranked_ids(contest, contest.first_round)[:3]
    assert len(top3) == 3
    assigning.run_assignment(contest)
    made = db.session.execute(db.select(Assignment.entry_id, Assignment.user_id).where(
        Assignment.round_id == final.id)).all()
    assert {e for e, _u in made} == set(top3) and {u for _e, u in made} == {judges[1].id, judges[2].id}
    # the final's score sheet opens for its judge, and saving it counts in round 2
    entry_id = made[0][0]
    judge = next(j for j in judges if j.id == made[0][1])
    client.post("/logout")
    login(client, judge)
    assert client.get(f"/judge/entries/{entry_id}").status_code == 200
    saved = client.post(f"/judge/entries/{entry_id}", data={"c_pitch": "7", "action": "submit"})
    assert saved.status_code == 302
    assert db.session.scalar(db.select(Score.round_id).where(Score.entry_id == entry_id)) == final.id
