"""The HTML pages: teams enter, judges score on the sheet, organizers assign, see results, export."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import event as sa_event

from eventhub.contests import assigning, judging
from eventhub.contests.models import Entry, Score
from eventhub.extensions import db as _db
from tests.contests.factories import make_contest, make_entry, make_judges, pdf_bytes
from tests.factories import login, make_user


def _csrf(client, url):
    html = client.get(url).get_data(as_text=True)
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html)
    return found.group(1) if found else ""


@pytest.fixture
def organizer(db):
    return make_user("organizer", email="bantochuc2@sokhcn.vn", full_name="Trương Thị Tổ Chức")


def test_a_team_enters_on_the_page_and_uploads_a_deck(client, db):
    contest = make_contest(submission_deadline=None)
    leader = make_user(email="nhom@lua.vn", full_name="Phan Thị Lúa")
    login(client, leader)
    url = f"/contests/{contest.id}/enter"
    token = _csrf(client, url)
    bad = client.post(url, data={"csrf_token": token, "title": "", "team": "Không email"})
    assert bad.status_code == 200 and "is-invalid" in bad.get_data(as_text=True)
    ok = client.post(url, data={"csrf_token": token, "title": "Lúa Việt – truy xuất nguồn gốc",
                                "organization": "HTX Lúa Việt", "team": "Ngô Văn Hạt, hat@lua.vn",
                                "links": "https://luaviet.vn"})
    assert ok.status_code == 302
    entry = db.session.scalar(db.select(Entry))
    assert entry.title == "Lúa Việt – truy xuất nguồn gốc" and len(entry.members) == 2
    page = client.get(f"/entries/{entry.id}")
    assert "Lúa Việt – truy xuất nguồn gốc" in page.get_data(as_text=True)
    token = _csrf(client, f"/entries/{entry.id}")
    wrong = client.post(f"/entries/{entry.id}/deck", data={"csrf_token": token,
                                                          "file": (io.BytesIO(b"hello"), "x.pdf")},
                        content_type="multipart/form-data")
    assert wrong.status_code == 422 and "is-invalid" in wrong.get_data(as_text=True)
    good = client.post(f"/entries/{entry.id}/deck", data={"csrf_token": token,
                                                         "file": (io.BytesIO(pdf_bytes()), "lua.pdf")},
                       content_type="multipart/form-data")
    assert good.status_code == 302
    pdf = client.get(f"/entries/{entry.id}/deck.pdf")
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(pdf.data)).pages) == 1
    assert "Lúa Việt" in client.get("/my/entries").get_data(as_text=True)


def test_strangers_cannot_see_an_entry_or_its_deck(client, db):
    contest = make_contest(submission_deadline=None)
    entry = make_entry(contest)
    login(client, make_user())
    assert client.get(f"/entries/{entry.id}").status_code == 403
    assert client.get(f"/entries/{entry.id}/deck.pdf").status_code in (403, 404)


def _judged(blind=True):
    contest = make_contest(submission_deadline=None, blind=blind, judges_per_entry=1)
    leader = make_user(email="ceo@meokhoai.vn", full_name="Quách Thị Mèo Khoai")
    entry = make_entry(contest, leader, organization="Mèo Khoai JSC", title="Khoai lang sấy giòn")
    judge = make_judges(contest, 1)[0]
    assigning.run_assignment(contest)
    return contest, entry, judge


def test_the_judge_scores_on_the_sheet_drafts_then_submits(client, db):
    _contest, entry, judge = _judged()
    login(client, judge)
    client.get("/?lang=en")  # messages in English for the assertions
    home = client.get("/judge").get_data(as_text=True)
    assert "0 of 1 scored" in home and "Khoai lang sấy giòn" in home
    url = f"/judge/entries/{entry.id}"
    page = client.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Đội ngũ" in html
    for secret in ("Quách Thị Mèo Khoai", "ceo@meokhoai.vn", "Mèo Khoai JSC"):
        assert secret not in html and secret not in home
    token = _csrf(client, url)
    bad = client.post(url, data={"csrf_token": token, "c_team": "12", "c_market": "abc", "action": "submit"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and html.count("invalid-feedback d-block") == 2
    draft = client.post(url, data={"csrf_token": token, "c_team": "7,5", "action": "draft",
                                   "comment": "Sản phẩm tốt"})
    assert draft.status_code == 302
    score = db.session.scalar(db.select(Score))
    assert score.status.value == "draft" and score.values == {"team": 7.5} and score.comment == "Sản phẩm tốt"
    done = client.post(url, data={"csrf_token": token, "c_team": "8", "c_market": "4", "action": "submit"})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(db.select(Score)).status.value == "submitted"
    assert "1 of 1 scored" in client.get("/judge").get_data(as_text=True)


def test_a_judge_not_assigned_gets_403_on_the_sheet(client, db):
    contest, entry, _judge = _judged()
    other = make_judges(contest, 1)[0]
    login(client, other)
    assert client.get(f"/judge/entries/{entry.id}").status_code == 403
    assert client.get(f"/entries/{entry.id}/deck.pdf").status_code in (403, 404)


def test_recusing_takes_the_entry_off_the_judges_list(client, db):
    _contest, entry, judge = _judged()
    login(client, judge)
    token = _csrf(client, f"/judge/entries/{entry.id}")
    response = client.post(f"/judge/entries/{entry.id}/recuse",
                           data={"csrf_token": token, "reason": "Người quen"})
    assert response.status_code == 302
    assert "Khoai lang sấy giòn" not in client.get("/judge").get_data(as_text=True)
    assert client.get(f"/judge/entries/{entry.id}").status_code == 403


def _results_setup(n_entries: int):
    contest = make_contest(submission_deadline=None, judges_per_entry=2)
    made = [make_entry(contest) for _ in range(n_entries)]
    judges = make_judges(contest, 3)
    assigning.run_assignment(contest)
    from eventhub.contests.models import Assignment

    for a in _db.session.scalars(_db.select(Assignment)).all():
        judging.save_scores(a.entry, a.user, {"team": (a.entry_id * 7 + a.user_id) % 11, "market": 3})
    return contest, made, judges


def _count_queries(client, url):
    count = {"n": 0}

    def before(*_args, **_kw):
        count["n"] += 1

    engine = _db.engine
    sa_event.listen(engine, "before_cursor_execute", before)
    try:
        response = client.get(url)
    finally:
        sa_event.remove(engine, "before_cursor_execute", before)
    assert response.status_code == 200
    return count["n"], response


def test_the_results_page_uses_a_bounded_number_of_queries(client, db, organizer):
    small, _m, _j = _results_setup(3)
    big, _m2, _j2 = _results_setup(30)
    login(client, organizer)
    few, _page = _count_queries(client, f"/contests/{small.id}/results/manage")
    many, page_big = _count_queries(client, f"/contests/{big.id}/results/manage")
    assert many == few, (few, many)
    assert few <= 25
    html = page_big.get_data(as_text=True)
    assert "Krippendorff" in html or "alpha" in html


def test_organizer_pages_and_export(client, db, organizer):
    contest, made, judges = _results_setup(4)
    login(client, organizer)
    manage = client.get(f"/contests/{contest.id}/manage")
    assert manage.status_code == 200 and judges[0].email in manage.get_data(as_text=True)
    xlsx = client.get(f"/contests/{contest.id}/scores.xlsx")
    assert xlsx.status_code == 200
    wb = load_workbook(io.BytesIO(xlsx.data))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 1 + 4 * 2 and "Đội ngũ" in " ".join(str(c) for c in rows[0])
    assert client.get(f"/contests/{contest.id}/manage").status_code == 200
    # publishing shows results on the public page
    token = _csrf(client, f"/contests/{contest.id}/results/manage")
    assert client.post(f"/contests/{contest.id}/publish", data={"csrf_token": token}).status_code == 302
    client.post("/logout", data={"csrf_token": token})
    public = client.get(f"/contests/{contest.id}").get_data(as_text=True)
    assert made[0].title in public


def test_judges_and_participants_cannot_open_organizer_pages(client, db):
    contest, _entry, judge = _judged()
    login(client, judge)
    for url in (f"/contests/{contest.id}/manage", f"/contests/{contest.id}/results/manage",
                f"/contests/{contest.id}/scores.xlsx", f"/events/{contest.event.slug}/contests"):
        assert client.get(url).status_code == 403, url


def test_an_organizer_creates_a_contest_on_the_page(client, db, organizer):
    from tests.factories import make_event

    event = make_event()
    login(client, organizer)
    url = f"/events/{event.slug}/contests"
    token = _csrf(client, url)
    bad = client.post(url, data={"csrf_token": token, "code": "ai", "name": "Thử thách AI",
                                 "criteria": "tech | Công nghệ | x | 10", "judges_per_entry": "3",
                                 "scoring": "zscore"})
    assert bad.status_code == 200 and "is-invalid" in bad.get_data(as_text=True)
    ok = client.post(url, data={"csrf_token": token, "code": "ai", "name": "Thử thách AI",
                                "criteria": "tech | Công nghệ | 2 | 10\nimpact | Tác động | 1 | 5",
                                "judges_per_entry": "3", "scoring": "raw",
                                "submission_deadline": "2026-12-10T17:00"})
    assert ok.status_code == 302
    from eventhub.contests.models import Contest

    contest = db.session.scalar(db.select(Contest))
    assert [c.key for c in contest.first_round.criteria] == ["tech", "impact"]
    assert contest.submission_deadline.astimezone(event.tz).hour == 17


def test_settings_links_and_an_organizer_conflict_on_the_pages(client, db, organizer):
    contest, entry, judge = _judged(blind=False)
    login(client, organizer)
    client.get("/?lang=en")
    page = client.get(f"/contests/{contest.id}/settings").get_data(as_text=True)
    assert "team | Đội ngũ | 2 | 10" in page
    token = _csrf(client, f"/contests/{contest.id}/settings")
    saved = client.post(f"/contests/{contest.id}/settings", data={
        "csrf_token": token, "code": contest.code, "name": "Cuộc thi đã đổi tên", "scoring": "raw",
        "criteria": "team | Đội ngũ | 2 | 10\nmarket | Thị trường | 1 | 5", "judges_per_entry": "1"})
    assert saved.status_code == 302
    db.session.expire_all()
    assert contest.name == "Cuộc thi đã đổi tên" and str(contest.scoring) == "raw"
    event_page = client.get(f"/events/{contest.event.slug}").get_data(as_text=True)
    assert "Cuộc thi đã đổi tên" in event_page
    added = client.post(f"/contests/{contest.id}/conflicts", data={
        "csrf_token": token, "entry_id": str(entry.id), "judge_email": judge.email, "reason": "Đồng sáng lập",
        "locked": "1"})
    assert added.status_code == 302
    manage = client.get(f"/contests/{contest.id}/manage").get_data(as_text=True)
    assert "Đồng sáng lập" in manage


def test_the_manage_link_page_offers_the_vote(client, db):
    from tests.factories import make_type, open_event, register

    event = open_event()
    make_contest(event, submission_deadline=None, peoples_choice=True)
    _reg, token = register(event, make_type(event))
    page = client.get(f"/r/{token}").get_data(as_text=True)
    assert f"/r/{token}/vote" in page


def test_the_results_page_says_there_are_no_votes_rather_than_an_empty_list(client, db, organizer):
    contest = make_contest(submission_deadline=None, peoples_choice=True)
    make_entry(contest)
    login(client, organizer)
    html = client.get(f"/contests/{contest.id}/results/manage").get_data(as_text=True)
    assert "Giải bình chọn" in html and "Chưa có lượt bình chọn nào." in html
    assert "Giải Khuyến khích" in html and "award-select" in html  # fitted to the whole name (eventhub.css)


def test_the_results_page_saves_award_levels_all_at_once(client, db, organizer):
    contest, made, _judges = _results_setup(3)
    login(client, organizer)
    token = _csrf(client, f"/contests/{contest.id}/results/manage")
    response = client.post(f"/contests/{contest.id}/awards", data={
        "csrf_token": token, f"award_{made[0].id}": "first", f"award_{made[1].id}": "consolation",
        f"award_{made[2].id}": ""})
    assert response.status_code == 302
    db.session.expire_all()
    assert [str(e.award_level) if e.award_level else None for e in made] == ["first", "consolation", None]
    bad = client.post(f"/contests/{contest.id}/awards",
                      data={"csrf_token": token, f"award_{made[2].id}": "gold"})
    assert bad.status_code == 302
    db.session.expire_all()
    assert made[2].award_level is None and str(made[0].award_level) == "first"


def test_a_wrong_criteria_line_is_named_by_line_and_column_with_the_manage_labels_in_words(client, db,
                                                                                         organizer):
    """The criteria box is one textarea of lines: an error says which line and which column, once each
    (not "Enter a number. Enter a number." for a single bad weight), and the manage page shows the scoring
    and the conflicts' source and status as words, not as codes."""
    contest, entry, judge = _judged(blind=False)
    login(client, organizer)
    client.get("/?lang=en")
    url = f"/contests/{contest.id}/settings"
    token = _csrf(client, url)
    base = {"csrf_token": token, "code": contest.code, "name": contest.name, "scoring": "zscore",
            "judges_per_entry": "1"}
    page = client.post(url, data={**base,
                                  "criteria": "team | Đội ngũ | abc | 10\nmarket | Thị trường | 1 | 0"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Line 1, weight: Enter a number." in text
    assert "Line 2, maximum score:" in text
    assert text.count("Enter a number.") == 1  # the maximum score of line 1 was a number: not blamed
    shape = client.post(url, data={**base, "criteria": "team - Đội ngũ - 2 - 10"}).get_data(as_text=True)
    assert "Line 1: write it as: code | name | weight | maximum score." in shape
    assert "Enter an object" not in shape
    client.post(f"/contests/{contest.id}/conflicts", data={
        "csrf_token": token, "entry_id": str(entry.id), "judge_email": judge.email, "reason": "Đồng sáng lập",
        "locked": "1"})
    manage = client.get(f"/contests/{contest.id}/manage").get_data(as_text=True)
    assert "Normalized per judge (z-scores)" in manage and "· zscore" not in manage
    assert "Added by an organizer" in manage and "<td>organizer</td>" not in manage
    assert "<td>confirmed" not in manage
