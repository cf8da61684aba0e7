"""The organizer's side of pairwise judging: the contest form's choice, an entry's booth, the live floor page
(ranking with uncertainty, unvisited entries, judges' reliability in words), awards and publishing from it,
the event's floor overview and menu link, and the cockpit's figures."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from eventhub.booths import services as booths
from eventhub.contests import floor_judging as fj
from eventhub.contests import floor_view, rounds
from eventhub.contests.floor_results import PairwiseRow, pairwise_report
from eventhub.contests.floor_spots import set_booth_code
from eventhub.contests.models import AwardLevel, Contest, Scoring
from tests.contests.factories import make_contest, make_entry
from tests.contests.floor_world import NOW, later, pairwise_world, walk
from tests.factories import HCMC, login, make_event, make_user


@pytest.fixture
def organizer(db):
    return make_user("organizer", email="bantochuc@sokhcn.vn", full_name="Trương Thị Tổ Chức")


def _floor_plan(event, codes=("AI01", "AI02", "AI03", "AI04", "AI05", "AI06")) -> None:
    booths.replace_floorplan(event, {
        "zones": [{"code": "AI", "name": "Trí tuệ nhân tạo", "sector": "ai",
                   "x": 0, "y": 0, "w": 30, "h": 6}],
        "booths": [{"code": code, "zone": "AI", "x": 1 + 4 * i, "y": 1, "w": 3, "h": 3, "size": "standard"}
                   for i, code in enumerate(codes)]})


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def floor(db):
    """Five entries at booths AI01–AI05 (one left unvisited), three judges: two walked and voted."""
    contest, made, panel = pairwise_world(entries=5, judges=3)
    _floor_plan(contest.event)
    for entry, code in zip(made, ("ai01", "AI02", "AI03", "AI04", "AI05"), strict=True):
        set_booth_code(entry, code)
    walk(contest, panel[0], 4)
    walk(contest, panel[1], 3, start=NOW.replace(hour=10))
    fj.next_stop(contest, panel[0], now=NOW.replace(hour=11))  # on the way to their next booth
    return contest, made, panel


# --- the contest form and the entry's booth ---------------------------------------------------------

def test_the_contest_form_offers_pairwise_in_words_and_needs_no_criteria(client, db, organizer):
    event = make_event()
    login(client, organizer)
    html = client.get(f"/events/{event.slug}/contests").get_data(as_text=True)
    assert '<option value="pairwise">So sánh từng cặp trên sàn triển lãm</option>' in html
    assert "Pairwise" not in html  # the explanation is Vietnamese too
    assert "giám khảo đi từ gian hàng này sang gian hàng khác" in html
    posted = client.post(f"/events/{event.slug}/contests", data={
        "code": "san-ai", "name": "Giải Trí tuệ nhân tạo trên sàn", "scoring": "pairwise", "criteria": "",
        "judges_per_entry": "1"})
    assert posted.status_code == 302, _text(posted.get_data(as_text=True))[:2000]
    contest = db.session.scalar(db.select(Contest).filter_by(code="san-ai"))
    assert contest.scoring == Scoring.pairwise and contest.first_round.criteria == []
    manage = client.get(f"/contests/{contest.id}/manage").get_data(as_text=True)
    assert f'href="/contests/{contest.id}/floor/manage"' in manage
    assert f"/contests/{contest.id}/assign" not in manage  # nobody is assigned on the floor
    settings = client.get(f"/contests/{contest.id}/settings").get_data(as_text=True)
    assert '<option selected value="pairwise">' in settings
    rubric = client.post(f"/events/{event.slug}/contests", data={
        "code": "pitch", "name": "Gọi vốn", "scoring": "zscore", "criteria": "", "judges_per_entry": "1"})
    assert rubric.status_code == 200 and "is-invalid" in rubric.get_data(as_text=True)  # a rubric needs one


def test_the_organizer_places_an_entry_at_a_booth_the_team_cannot(app, client, db, organizer):
    _contest, (entry,), _panel = pairwise_world(entries=1, judges=1)
    login(client, organizer)
    form = client.get(f"/entries/{entry.id}/edit").get_data(as_text=True)
    assert "Mã gian hàng" in form and "Chỉ cần khi" in form  # the hint says when it is needed
    data = {"title": entry.title, "organization": entry.organization, "summary": "", "team": "", "links": ""}
    bad = client.post(f"/entries/{entry.id}/edit", data={**data, "booth_code": "AI 05!"})
    assert bad.status_code == 200 and 'id="booth_code-error"' in bad.get_data(as_text=True)
    db.session.refresh(entry)
    assert entry.booth_code is None
    assert client.post(f"/entries/{entry.id}/edit", data={**data, "booth_code": "ai05"}).status_code == 302
    db.session.refresh(entry)
    assert entry.booth_code == "AI05"
    assert "AI05" in client.get(f"/entries/{entry.id}").get_data(as_text=True)
    team = app.test_client()
    login(team, entry.members[0].user)
    assert "booth_code" not in team.get(f"/entries/{entry.id}/edit").get_data(as_text=True)
    assert team.post(f"/entries/{entry.id}/edit", data={**data, "booth_code": "XX01"}).status_code == 302
    db.session.refresh(entry)
    assert entry.booth_code == "AI05"  # a team's post cannot move its entry


def test_after_the_entries_close_the_booth_is_still_set(app, client, db, organizer):
    closed = datetime(2026, 1, 10, 17, 0, tzinfo=HCMC)  # long past on any clock running these tests
    contest = make_contest(scoring="pairwise", criteria=[], submission_deadline=closed)
    entry = make_entry(contest, now=closed - timedelta(days=3))
    login(client, organizer)
    page = client.get(f"/entries/{entry.id}/edit").get_data(as_text=True)
    assert f'action="/entries/{entry.id}/booth"' in page
    refused = client.post(f"/entries/{entry.id}/booth", data={"booth_code": "=A1"})
    assert refused.status_code == 422 and "is-invalid" in refused.get_data(as_text=True)
    assert client.post(f"/entries/{entry.id}/booth", data={"booth_code": "fi-03"}).status_code == 302
    db.session.refresh(entry)
    assert entry.booth_code == "FI-03"
    team = app.test_client()
    login(team, entry.members[0].user)
    assert team.post(f"/entries/{entry.id}/booth", data={"booth_code": "X1"}).status_code == 403


# --- the floor page ---------------------------------------------------------------------------------

def test_the_floor_page_ranks_with_uncertainty_and_lists_who_is_where(client, db, organizer, floor):
    contest, made, panel = floor
    login(client, organizer)
    response = client.get(f"/contests/{contest.id}/floor/manage")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="30">' in html  # live without any script
    ranking = html.split('id="floor-ranking"', 1)[1].split('id="unvisited"', 1)[0]
    assert re.search(r"\d,\d\d <span class=\"text-muted\">± \d,\d\d</span>", ranking)  # Vietnamese decimals
    assert "gian hàng AI01" in ranking and "<svg" in ranking
    visited = {e.id for e in made} - {r.entry_id for r in fj_unvisited(contest)}
    assert len(visited) >= 4
    unvisited = html.split('id="unvisited"', 1)[1].split("<h2", 1)[0]
    for entry in made:
        assert (entry.title in unvisited) == (entry.id not in visited)
    judges = _text(html.split('id="floor-judges"', 1)[1].split('id="next-round"', 1)[0])
    assert panel[0].full_name in judges and "đáng tin" in judges and "%" in judges
    assert "chưa ở trên sàn" in judges  # the third judge has not started
    stop = fj.current_stop(contest, panel[0])
    assert stop is not None and stop.entry.title in judges  # where the first judge is now


def fj_unvisited(contest):
    return pairwise_report(contest).unvisited


def test_only_organizers_open_the_floor_page_of_a_pairwise_contest(app, client, db, organizer, floor):
    contest, _made, panel = floor
    url = f"/contests/{contest.id}/floor/manage"
    assert client.get(url).status_code == 302  # to the sign-in page
    judge = app.test_client()
    login(judge, panel[0])
    assert judge.get(url).status_code == 403
    assert judge.get(f"/contests/{contest.id}/floor.xlsx").status_code == 403
    login(client, organizer)
    rubric = make_contest(contest.event)
    assert client.get(f"/contests/{rubric.id}/floor/manage").status_code == 404
    assert client.get("/contests/999999/floor/manage").status_code == 404


def test_awards_are_set_from_the_ranking_and_published_from_the_floor_page(client, db, organizer, floor):
    contest, made, _panel = floor
    login(client, organizer)
    awarding = client.get(f"/contests/{contest.id}/floor/manage?awards=1").get_data(as_text=True)
    assert 'http-equiv="refresh"' not in awarding  # choosing levels is not wiped by a refresh
    assert f'name="award_{made[0].id}"' in awarding and 'name="back" value="floor"' in awarding
    saved = client.post(f"/contests/{contest.id}/awards",
                        data={f"award_{made[0].id}": "first", f"award_{made[1].id}": "", "back": "floor"})
    assert saved.headers["Location"].endswith(f"/contests/{contest.id}/floor/manage")
    db.session.refresh(made[0])
    assert made[0].award_level == AwardLevel.first
    assert "Giải Nhất" in client.get(f"/contests/{contest.id}/floor/manage").get_data(as_text=True)
    published = client.post(f"/contests/{contest.id}/publish", data={"action": "publish", "back": "floor"})
    assert published.headers["Location"].endswith(f"/contests/{contest.id}/floor/manage")
    db.session.refresh(contest)
    assert contest.is_published
    public = client.get(f"/contests/{contest.id}").get_data(as_text=True)
    assert made[0].title in public and "Chất lượng ước tính" in public and "Điểm trung bình" not in public
    results = client.get(f"/contests/{contest.id}/results/manage").get_data(as_text=True)
    assert f'href="/contests/{contest.id}/floor/manage"' in results


def test_after_the_final_opens_the_floor_page_stays_as_a_record(client, db, organizer, floor):
    contest, _made, _panel = floor
    rounds.promote(contest, top_n=3, criteria=[{"key": "pitch", "name": "Thuyết trình", "weight": 1,
                                                "max_score": 10}])
    login(client, organizer)
    manage = _text(client.get(f"/contests/{contest.id}/manage").get_data(as_text=True))
    assert "Chuẩn hóa theo từng giám khảo" in manage  # the final is scored with the rubric and z-scores
    html = client.get(f"/contests/{contest.id}/floor/manage").get_data(as_text=True)
    assert "Đã kết thúc chấm" in html and 'http-equiv="refresh"' not in html
    assert 'id="next-round"' not in html  # the final is already open


def test_a_judge_far_below_the_others_is_named_for_a_second_look():
    class Row:
        def __init__(self, user_id, reliability, votes):
            self.user_id, self.reliability, self.votes = user_id, reliability, votes

    judges = [Row(1, 0.92, 20), Row(2, 0.90, 18), Row(3, 0.74, 19), Row(4, 0.40, 2)]
    assert floor_view.judge_verdicts(judges) == {1: "reliable", 2: "reliable", 3: "check", 4: "few"}
    assert floor_view.verdict(0.65, 10, None) == "check"  # below what even a careless judge keeps
    assert floor_view.verdict(0.88, 10, 0.9) == "reliable"


def test_a_judge_who_votes_backwards_is_named_on_the_page(client, db, organizer):
    contest, made, panel = pairwise_world(entries=10, judges=4)
    quality = {e.id: -i for i, e in enumerate(made)}  # the first entry is the best
    for k, judge in enumerate(panel):
        for step in range(25):
            now = later(minutes=2 * step + k)
            stop = fj.next_stop(contest, judge, now=now)
            if stop.previous is not None:
                a, b = stop.previous.id, stop.entry.id
                better = a if (quality[a] > quality[b]) != (k == 3) else b  # the fourth judge: backwards
                fj.vote(contest, judge, better, b if better == a else a, now=now)
    login(client, organizer)
    html = client.get(f"/contests/{contest.id}/floor/manage").get_data(as_text=True)
    section = html.split('id="floor-judges"', 1)[1].split('id="next-round"', 1)[0]
    rows = [_text(chunk).strip() for chunk in section.split('floor-judge">')[1:]]
    words = {judge.full_name: row for judge in panel for row in rows if row.startswith(judge.full_name)}
    assert all("đáng tin" in words[j.full_name] for j in panel[:3])
    assert "cần xem lại" in words[panel[3].full_name] and "đáng tin" not in words[panel[3].full_name]


def test_when_a_judge_last_voted_reads_as_a_time_and_minutes_ago(app):
    from flask_babel import force_locale

    with app.test_request_context(), force_locale("vi"):
        assert floor_view.ago(NOW, NOW + timedelta(minutes=7, seconds=59), HCMC) == "09:00 (7 phút trước)"
        assert floor_view.ago(NOW, NOW + timedelta(seconds=20), HCMC) == "09:00 (vừa xong)"
        assert floor_view.ago(NOW, NOW + timedelta(hours=3), HCMC) == "09:00"
        assert floor_view.ago(None, NOW, HCMC) == "–"
        row = PairwiseRow(rank=3, entry_id=1, title="", organization="", score=-0.001, sigma=0.614, votes=4,
                          wins=2, booth=None, award_level=None, visitors=2)
        assert (floor_view.score_text(row), floor_view.sigma_text(row)) == ("0,00", "± 0,61")  # not "-0,00"
    with app.test_request_context(), force_locale("en"):
        assert floor_view.ago(NOW, NOW + timedelta(minutes=1), HCMC) == "09:00 (1 minute ago)"


# --- the event's floor overview, the menu and the cockpit --------------------------------------------

def test_the_overview_lists_each_category_with_its_progress(app, client, db, organizer, floor):
    contest, _made, panel = floor
    other, _entries, _judges = pairwise_world(entries=3, judges=1, event=contest.event)
    rubric = make_contest(contest.event, name="Cuộc thi Gọi vốn")
    login(client, organizer)
    html = client.get(f"/events/{contest.event.slug}/contests/floor").get_data(as_text=True)
    assert contest.name in html and other.name in html and rubric.name not in html
    text = _text(html)
    visited = 5 - len(fj_unvisited(contest))
    assert f"{visited} trên 5 bài dự thi đã được ghé thăm" in text and "0 trên 3 bài dự thi" in text
    assert '<meta http-equiv="refresh" content="30">' in html
    menu = client.get(f"/events/{contest.event.slug}/manage").get_data(as_text=True)
    assert f'href="/events/{contest.event.slug}/contests/floor"' in menu
    plain = make_event()
    make_contest(plain)
    assert "/contests/floor" not in client.get(f"/events/{plain.slug}/manage").get_data(as_text=True)
    judge = app.test_client()
    login(judge, panel[0])
    assert judge.get(f"/events/{contest.event.slug}/contests/floor").status_code == 403


def test_the_cockpit_counts_comparisons_and_unvisited_entries_in_words(client, db, organizer, floor):
    contest, _made, _panel = floor
    login(client, organizer)
    text = _text(client.get(f"/events/{contest.event.slug}/manage?lang=en").get_data(as_text=True))
    votes = 3 + 2  # four stops make three votes, three make two
    assert f"Comparisons made on the floor {votes}" in text
    unvisited = len(fj_unvisited(contest))
    assert f"Entries nobody has visited yet {unvisited} / 5" in text
    assert "Entries without enough scores" not in text
    vi = _text(client.get(f"/events/{contest.event.slug}/manage?lang=vi").get_data(as_text=True))
    assert "Số lần so sánh trên sàn" in vi and "Bài dự thi chưa ai ghé thăm" in vi


def test_an_undone_vote_is_not_counted_on_the_pages(client, db, organizer):
    contest, _made, panel = pairwise_world(entries=3, judges=1)
    walk(contest, panel[0], 2)
    fj.undo_last(contest, panel[0], now=later(minutes=1, seconds=30))
    login(client, organizer)
    text = _text(client.get(f"/events/{contest.event.slug}/manage?lang=en").get_data(as_text=True))
    assert "Comparisons made on the floor 0" in text
