"""The judge's phone on the exhibition floor (issue 20): the walk page and its four forms, with the Flask
test client – where to go (the map marks the booth), "done here", the vote, skip, undo, the end; two
categories on one floor sharing one walk; who may use it; bad form input."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from eventhub.contests import setup
from eventhub.contests.floor_models import PairwiseVisit, PairwiseVote, VisitOutcome
from eventhub.extensions import db as _db
from tests.booths.factories import hall_event
from tests.contests.factories import make_contest, make_entry, make_judges
from tests.factories import login, make_user

BOOTHS = ["A1", "A2", "B1", "L1"]


def floor(entries: int = 3, *, event=None, booths=BOOTHS, judges=1, name: str | None = None):
    """A pairwise contest at a hall (tests/booths/factories.PLAN), each entry at its own booth; `judges`: how
    many new ones, or the accounts to add."""
    event = event or hall_event()
    extra = {"name": name} if name else {}
    contest = make_contest(event, scoring="pairwise", criteria=[], submission_deadline=None, **extra)
    made = [make_entry(contest, organization=f"Công ty TNHH Sáng Tạo {code}", title=f"Giải pháp gian {code}")
            for code in booths[:entries]]
    for entry, code in zip(made, booths, strict=False):
        entry.booth_code = code
    _db.session.commit()
    if isinstance(judges, list):
        setup.add_judges(contest, [j.email for j in judges])
        return event, contest, made, judges
    return event, contest, made, make_judges(contest, judges)


def page(client, event, **query) -> str:
    response = client.get(f"/events/{event.slug}/floor-judging", query_string=query)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def post(client, event, action: str, **data):
    response = client.post(f"/events/{event.slug}/floor-judging/{action}", data=data)
    assert response.status_code == 303, (response.status_code, response.get_data(as_text=True)[:500])
    assert response.headers["Location"].startswith(f"/events/{event.slug}/floor-judging")
    return response


def target(html: str) -> str:
    """The booth the page sends the judge to, read from the map's marked booth."""
    found = re.findall(r'<g class="booth[^"]*\bbooth-target\b[^"]*"[^>]*data-code="([^"]+)"', html)
    assert len(found) == 1, found
    return found[0]


def entry_at(entries, code: str):
    return next(e for e in entries if e.booth_code == code)


def votes(contest) -> list[PairwiseVote]:
    return list(_db.session.scalars(_db.select(PairwiseVote).where(PairwiseVote.contest_id == contest.id)
                                    .order_by(PairwiseVote.id)))


def test_the_whole_walk_first_booth_vote_skip_undo_and_the_end(client, db):
    event, contest, entries, (judge,) = floor(3)
    login(client, judge)

    html = page(client, event)
    first = entry_at(entries, target(html))
    assert f"Đi đến gian {first.booth_code}" in html and first.title in html
    assert "Đã xem xong – sang gian tiếp theo" in html and 'name="csrf_token"' in html
    assert "Gian nào tốt hơn?" not in html
    assert target(page(client, event)) == first.booth_code  # a reload sends nowhere new

    post(client, event, "first", contest=contest.id, entry=first.id)
    post(client, event, "first", contest=contest.id, entry=first.id)  # a double tap: nothing more
    assert _db.session.scalar(_db.select(_db.func.count(PairwiseVisit.id))) == 1

    html = page(client, event)
    second = entry_at(entries, target(html))
    assert second.id != first.id
    assert "Gian nào tốt hơn?" in html and first.title in html and second.title in html
    assert f"Gian trước · {first.booth_code}" in html  # the booth seen before is named on its button
    assert "Hoàn tác phiếu vừa bầu" not in html and "0 so sánh" in html

    post(client, event, "vote", contest=contest.id, winner=second.id, loser=first.id)
    post(client, event, "vote", contest=contest.id, winner=second.id, loser=first.id)  # a double tap
    assert [(v.winner_id, v.loser_id) for v in votes(contest)] == [(second.id, first.id)]

    html = page(client, event)
    third = entry_at(entries, target(html))
    assert third.id not in (first.id, second.id)
    assert "1 so sánh" in html and "Hoàn tác phiếu vừa bầu" in html
    assert 'class="spot-marker spot-here"' in html  # the judge is at the booth they just voted at

    post(client, event, "skip", contest=contest.id, entry=third.id)
    html = page(client, event)
    assert "Bạn đã so sánh hết các gian" in html and "booth-target" not in html
    assert "Hoàn tác phiếu vừa bầu" in html  # still within the minute

    vote = votes(contest)[0]
    post(client, event, "undo", contest=contest.id, vote=vote.id)
    post(client, event, "undo", contest=contest.id, vote=vote.id)  # a double tap undoes nothing more
    _db.session.refresh(vote)
    assert vote.undone_at is not None
    html = page(client, event)
    assert target(html) == second.booth_code and "Gian nào tốt hơn?" in html and "0 so sánh" in html

    post(client, event, "vote", contest=contest.id, winner=first.id, loser=second.id)
    html = page(client, event)
    assert "Bạn đã so sánh hết các gian" in html and "1 so sánh" in html
    assert _db.session.scalar(_db.select(_db.func.count(PairwiseVisit.id)).where(
        PairwiseVisit.outcome == VisitOutcome.skipped)) == 1

    # A minute later the undo is gone from the page.
    last = votes(contest)[-1]
    last.created_at = last.created_at - timedelta(minutes=2)
    _db.session.commit()
    assert "Hoàn tác phiếu vừa bầu" not in page(client, event)

    en = page(client, event, lang="en")
    assert "You have compared every booth" in en and "1 comparison" in en


def test_a_judge_of_two_categories_walks_both_on_one_floor(client, db):
    event, ai, ai_entries, (judge,) = floor(2, booths=["A1", "A2"], name="Hạng mục Trí tuệ nhân tạo")
    _, agri, agri_entries, _ = floor(2, event=event, booths=["B1", "L1"], judges=[judge],
                                     name="Hạng mục Nông nghiệp")
    login(client, judge)

    seen = set()
    for _step in range(12):
        html = page(client, event)
        if "Bạn đã so sánh hết các gian" in html:
            break
        code = target(html)
        assert code not in seen or "Gian nào tốt hơn?" in html
        entry = next(e for e in ai_entries + agri_entries if e.booth_code == code)
        if "Gian nào tốt hơn?" in html:
            winner, loser = re.search(r'name="winner" value="(\d+)">\s*<input type="hidden" name="loser" '
                                      r'value="(\d+)"', html).groups()
            assert entry.id in (int(winner), int(loser))  # the pair is the booth before and this one
            post(client, event, "vote", contest=entry.contest_id, winner=winner, loser=loser)
        else:
            post(client, event, "first", contest=entry.contest_id, entry=entry.id)
        seen.add(code)
    else:
        pytest.fail("the walk never ended")
    assert seen == {"A1", "A2", "B1", "L1"}
    assert {v.contest_id for v in _db.session.scalars(_db.select(PairwiseVote))} == {ai.id, agri.id}
    assert html.count("1 so sánh") == 2  # one comparison in each category, both listed

    # One category's own address keeps the walk to it.
    response = client.get(f"/contests/{ai.id}/floor-judging")
    assert response.status_code == 302 and f"category={ai.id}" in response.headers["Location"]
    one = page(client, event, category=ai.id)
    assert "Hạng mục Trí tuệ nhân tạo" in one and "Hạng mục Nông nghiệp" not in one


def test_the_map_marks_the_booth_to_walk_to_and_where_the_judge_is(client, db):
    event, contest, entries, (judge,) = floor(2)
    entries[0].booth_code = "a1"  # organizers type codes in any case
    _db.session.commit()
    login(client, judge)
    html = page(client, event)
    code = target(html)
    assert code in ("A1", "A2")
    assert f"Đi đến {code}" in html  # the label drawn over the booth
    assert 'data-focus="1"' in html and "js/floormap.js" in html
    assert "floormap-zones" not in html  # the walk's map lists no zones
    entry = next(e for e in entries if e.booth_code.upper() == code)
    post(client, event, "first", contest=contest.id, entry=entry.id)
    html = page(client, event)
    assert re.search(rf'class="booth[^"]*booth-here[^"]*"[^>]*data-code="{code}"', html)
    assert "Bạn đang ở đây" in html and target(html) != code


def test_an_entry_without_a_booth_is_still_judged_with_words_for_it(client, db):
    event, _contest, entries, (judge,) = floor(1)
    entries[0].booth_code = None
    entries[0].organization = "Hợp tác xã Không Gian Hàng"
    _db.session.commit()
    login(client, judge)
    html = page(client, event)
    assert "Tìm bài dự thi này" in html and "Hợp tác xã Không Gian Hàng" in html
    assert "booth-target" not in html


def test_who_may_use_the_floor_page(client, db):
    event, contest, _entries, (judge,) = floor(2)
    stranger = make_user("participant")
    login(client, stranger)
    assert client.get(f"/events/{event.slug}/floor-judging").status_code == 403
    refused = client.post(f"/events/{event.slug}/floor-judging/vote", data={"contest": contest.id})
    assert refused.status_code == 403
    assert client.get(f"/contests/{contest.id}/floor-judging").status_code == 403
    client.post("/logout")
    assert client.get(f"/events/{event.slug}/floor-judging").status_code in (302, 401)

    # A judge of a rubric contest of the event only: a page that says so, not an error.
    rubric = make_contest(event)
    (rubric_judge,) = make_judges(rubric, 1)
    login(client, rubric_judge)
    assert "Bạn không có phần chấm trên sàn ở sự kiện này" in page(client, event)
    assert "No judging on the floor for you here" in page(client, event, lang="en")

    # The judges' home links a pairwise contest to the floor instead of listing assignments.
    client.post("/logout")
    login(client, judge)
    home = client.get("/judge?lang=vi").get_data(as_text=True)
    assert "Chấm trên sàn triển lãm" in home and f"/events/{event.slug}/floor-judging" in home


def test_a_closed_floor_says_so_and_takes_no_vote(client, db):
    event, contest, entries, (judge,) = floor(2)
    login(client, judge)
    target(page(client, event))
    contest.published_at = contest.created_at
    _db.session.commit()
    html = page(client, event)
    assert "Chấm trên sàn đã đóng" in html and "booth-target" not in html
    post(client, event, "vote", contest=contest.id, winner=entries[0].id, loser=entries[1].id)
    assert votes(contest) == []
    assert "đóng" in page(client, event)
    assert "Chấm trên sàn đã đóng" in client.get("/judge").get_data(as_text=True)


@pytest.mark.parametrize("action, data", [
    ("first", {}), ("vote", {}), ("skip", {}), ("undo", {}),
    ("vote", {"winner": "x", "loser": "-1"}), ("skip", {"entry": "99999999999999"}),
    ("first", {"entry": "abc"}), ("undo", {"vote": "1e9"}),
])
def test_bad_form_input_is_never_a_server_error(client, db, action, data):
    event, contest, entries, (judge,) = floor(2)
    other_event, other, other_entries, _ = floor(2)
    login(client, judge)
    page(client, event)
    assert client.post(f"/events/{event.slug}/floor-judging/{action}", data=data).status_code == 404
    # A contest of another event, or an entry of another contest: refused, nothing recorded.
    assert client.post(f"/events/{event.slug}/floor-judging/{action}",
                       data={**data, "contest": other.id}).status_code == 404
    post(client, event, action, contest=contest.id, **data)
    post(client, event, "vote", contest=contest.id, winner=other_entries[0].id, loser=entries[0].id)
    post(client, event, "skip", contest=contest.id, entry=other_entries[1].id)
    assert votes(contest) == [] and votes(other) == []
    assert _db.session.scalar(_db.select(_db.func.count(PairwiseVisit.id)).where(
        PairwiseVisit.outcome == VisitOutcome.skipped)) == 0
    assert client.get(f"/events/{other_event.slug}/floor-judging").status_code == 403
    assert client.get("/events/no-such-event/floor-judging").status_code == 404
