"""Distinct counts over a year's events (api.md "Organizations across the series"), counted by hand.

Two events of 2026 share organizations and people, written differently each time; the counts below
are what a person reading the lists would count, one organization or person once.
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from html import unescape

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from eventhub.checkin import services as checkin
from eventhub.extensions import db
from eventhub.organizations import services as services_org
from eventhub.organizations.services import link_all
from eventhub.reports import services
from eventhub.reports.distinct import distinct_figures
from eventhub.reports.figures import figures_by_event
from eventhub.reports.pdf import render_report_pdf
from eventhub.reports.xlsx import render_report_xlsx
from tests.factories import HCMC, login, make_type, make_user, open_event, register, token_headers

from .factories import make_exhibitor, make_meeting, make_profile

FAIR_DAY1 = datetime(2026, 3, 10, 9, 0, tzinfo=HCMC)
FAIR_DAY2 = datetime(2026, 3, 11, 9, 0, tzinfo=HCMC)
FORUM_DAY = datetime(2026, 9, 5, 9, 0, tzinfo=HCMC)

# The sums of the report (figures added over the two events) and the distinct counts, by hand:
# exhibitors   fair: Sao Khuê (TNHH), Nông Sạch | forum: SAO KHUÊ, Sao Khue Co., Ltd, nông sạch, Học Vui
#              → 2 + 4 = 6 applications, 3 organizations (sao khue, nong sach, hoc vui)
# investors    fair: Quỹ Mekong, Quỹ Sài Gòn, (no name, an@) | forum: QUỸ MEKONG, Công ty CP Quỹ Sài Gòn,
#              (no name, an@ again) → 3 + 3 = 6 profiles, 3 investors
# connected    fair: Nông Sạch | forum: NÔNG SẠCH JSC, Học Vui → 1 + 2 = 3, 2 startups
# people       fair: truc@ | forum: TRUC@Example.VN, dung@, nam@ → 1 + 3 = 4, 3 people
SUMS = {"exhibitors": 6, "investors": 6, "projects_connected": 3, "checked_in": 4}
DISTINCT = {"exhibitors": 3, "investors": 3, "projects_connected": 2, "people_checked_in": 3}


def _person(event, rtype, email):
    reg, _token = register(event, rtype, full_name="Nguyễn Thị Quý Trúc", email=email, notify=False)
    return reg


def _investor_without_name(event, user=None):
    """An investor profile whose organization was left empty: known by its account's e-mail."""
    from eventhub.matchmaking.models import Profile, ProfileKind

    profile = (make_profile(event, "investor") if user is None else
               Profile(event_id=event.id, user_id=user.id, kind=ProfileKind.investor, organization=""))
    profile.organization = ""
    db.session.add(profile)
    db.session.commit()
    return profile


@pytest.fixture
def shared(db):
    fair = open_event(slug="hoi-cho-2026", name="Hội chợ Khởi nghiệp 2026", starts_at=FAIR_DAY1,
                      ends_at=FAIR_DAY2.replace(hour=17))
    forum = open_event(slug="dien-dan-2026", name="Diễn đàn Đầu tư 2026", starts_at=FORUM_DAY,
                       ends_at=FORUM_DAY.replace(hour=17))
    # Exhibitors: only submitted or approved applications count, as in the figure.
    make_exhibitor(fair, "approved", "Công ty TNHH Sao Khuê")
    make_exhibitor(fair, "submitted", "Nông Sạch")
    make_exhibitor(fair, "rejected", "Học Vui")  # not counted here…
    make_exhibitor(forum, "approved", "SAO KHUÊ")
    make_exhibitor(forum, "submitted", "Sao Khue Co., Ltd")
    make_exhibitor(forum, "approved", "nông sạch")
    make_exhibitor(forum, "approved", "Học Vui")  # …but here
    make_exhibitor(forum, "withdrawn", "Ví Xanh")

    # Investors, and startups with a meeting held.
    mekong = make_profile(fair, "investor", "Quỹ Mekong")
    saigon = make_profile(fair, "investor", "Quỹ Sài Gòn")
    nameless = _investor_without_name(fair)
    make_profile(forum, "investor", "QUỸ MEKONG")
    forum_saigon = make_profile(forum, "investor", "Công ty CP Quỹ Sài Gòn")
    _investor_without_name(forum, nameless.user)
    make_meeting(fair, mekong, make_profile(fair, "startup", "Nông Sạch"), investor_held=True)
    make_meeting(fair, saigon, make_profile(fair, "startup", "Học Vui"))  # not held
    make_meeting(forum, forum_saigon, make_profile(forum, "startup", "NÔNG SẠCH JSC"), startup_held=True)
    make_meeting(forum, forum_saigon, make_profile(forum, "startup", "Học Vui"), investor_held=True)
    make_meeting(forum, forum_saigon, make_profile(forum, "startup", "Ví Xanh"), investor_held=True,
                 startup_held=True, cancelled=True)

    # People: a check-in not undone on one of the event's days.
    visitor, guest = make_type(fair), make_type(forum)
    truc = _person(fair, visitor, "truc@example.vn")
    checkin.check_in_registration(fair, truc, now=FAIR_DAY1)
    checkin.check_in_registration(fair, truc, now=FAIR_DAY2)
    dung = _person(fair, visitor, "dung@example.vn")
    checkin.undo_check_in(checkin.check_in_registration(fair, dung, now=FAIR_DAY1), actor=None,
                          now=FAIR_DAY1.replace(minute=5))
    _person(fair, visitor, "anh@example.vn")  # registered, never came
    for email in ("TRUC@Example.VN", "dung@example.vn", "nam@example.vn"):
        checkin.check_in_registration(forum, _person(forum, guest, email), now=FORUM_DAY)
    ha = _person(forum, guest, "ha@example.vn")
    checkin.check_in_registration(forum, ha, now=datetime(2026, 9, 1, 9, 0, tzinfo=HCMC))  # a test scan
    return {"fair": fair, "forum": forum}


def test_the_sums_count_every_event_apart(shared):
    per_event = figures_by_event([shared["fair"].id, shared["forum"].id]).values()
    assert {name: sum(figures[name] for figures in per_event) for name in SUMS} == SUMS


def test_each_organization_and_person_is_counted_once(shared):
    assert distinct_figures([shared["fair"].id, shared["forum"].id]) == DISTINCT


def test_linked_rows_are_counted_by_their_organization(shared):
    """The same counts once every row points to its organization record (the CLI's link_all)."""
    assert link_all() > 0
    assert distinct_figures([shared["fair"].id, shared["forum"].id]) == DISTINCT


def test_a_merge_shows_in_the_counts(shared):
    """"Học Vui" and "Nông Sạch" merged by an organizer: one exhibitor and one startup connected fewer;
    a row not linked yet still counts by its name beside them."""
    link_all()
    services_org.merge(services_org.resolve("Học Vui"), services_org.resolve("Nông Sạch"))
    expected = {**DISTINCT, "exhibitors": 2, "projects_connected": 1}
    assert distinct_figures([shared["fair"].id, shared["forum"].id]) == expected
    make_exhibitor(shared["forum"], "approved", "Công ty CP Ví Xanh")  # made directly: not linked
    assert distinct_figures([shared["fair"].id, shared["forum"].id])["exhibitors"] == 3


def test_over_one_event_the_distinct_counts_are_the_figures(shared):
    assert distinct_figures([shared["fair"].id]) == {"exhibitors": 2, "investors": 3,
                                                     "projects_connected": 1, "people_checked_in": 1}
    assert distinct_figures([]) == dict.fromkeys(DISTINCT, 0)


def test_a_bounded_number_of_queries(shared, count_queries):
    with count_queries() as counted:
        distinct_figures([shared["fair"].id, shared["forum"].id])
    assert counted.count <= 2  # the events' dates, then one statement for the four counts


# --- where people read them: beside the sums, in words ----------------------------------------------

@pytest.fixture
def organizer(shared):
    return make_user("organizer")


def test_the_series_api_answers_them(client, shared, organizer):
    response = client.get("/api/v1/series/report?year=2026", headers=token_headers(organizer))
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["distinct"] == DISTINCT
    assert {name: body[name] for name in SUMS} == SUMS  # the sums are unchanged
    event = client.get("/api/v1/events/hoi-cho-2026/report", headers=token_headers(organizer)).get_json()
    assert "distinct" not in event  # one event's report: its figures are already its own


def _words(html: str) -> str:
    """The page's text as a reader sees it: tags gone, spaces folded."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _block(html: str, attribute: str) -> str:
    """The words of the element that carries `attribute` (a card or its distinct part), to its end."""
    start = html.index(">", html.index(attribute)) + 1
    return _words(html[start:html.index("</div>", start)])


def test_the_dashboard_shows_them_beside_the_sums(client, shared, organizer):
    login(client, organizer)
    html = client.get("/reports/series?year=2026").get_data(as_text=True)
    card = html[html.index('data-figure="exhibitors"'):html.index('data-figure="contests"')]
    assert "6 Startup trưng bày (tổng các sự kiện)" in _words(card)
    assert "3 Startup trưng bày khác nhau (mỗi đơn vị tính một lần)" in _words(card)  # in the same card
    for key, n in DISTINCT.items():
        assert _block(html, f'data-distinct="{key}"').startswith(f"{n} ")
    assert "3 Số người khác nhau đã check-in (mỗi người tính một lần)" in _words(html)
    event_page = client.get("/events/hoi-cho-2026/report").get_data(as_text=True)
    assert "data-distinct" not in event_page and "tổng các sự kiện" not in event_page


def test_the_workbook_has_a_row_for_each_under_its_sum(shared):
    workbook = load_workbook(io.BytesIO(render_report_xlsx(services.series_report(2026), "vi")))
    rows = {row[0]: row for row in workbook["Số liệu"].iter_rows(min_row=2, values_only=True)}
    keys = list(rows)
    assert keys[keys.index("exhibitors") + 1] == "distinct.exhibitors"
    assert keys[keys.index("checked_in") + 1] == "distinct.people_checked_in"
    assert rows["exhibitors"][1] == "Startup trưng bày (tổng các sự kiện)" and rows["exhibitors"][-1] == 6
    assert rows["distinct.exhibitors"][1] == "Startup trưng bày khác nhau (mỗi đơn vị tính một lần)"
    assert {key: rows[f"distinct.{key}"][-1] for key in DISTINCT} == DISTINCT


def test_the_pdf_prints_them_in_words(shared):
    for lang, sums, once in (("vi", "Startup trưng bày (tổng các sự kiện)",
                              "Nhà đầu tư và quỹ khác nhau (mỗi đơn vị tính một lần)"),
                             ("en", "Exhibiting startups (sum over the events)",
                              "Different investors and funds (each counted once)")):
        pdf = render_report_pdf(services.series_report(2026), lang)
        text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)
        assert sums in text and once in text
        assert f"{once} 3" in text  # the number beside its words
