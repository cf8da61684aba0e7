"""Pages that show other features' parts through eventhub.hooks: the event page, a registrant's page, the
organizer's menu of an event and the main menu. Each part appears to the people it did before, in the same
order, and its data is loaded by the route: no query runs from inside a template."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest
from flask import before_render_template, template_rendered, url_for
from sqlalchemy import event as sa_event

from eventhub import hooks
from eventhub.accounts import services as accounts
from eventhub.booths import services as booths
from eventhub.certificates import services as certificates
from eventhub.certificates.holders import holders_for
from eventhub.checkin import services as checkin
from tests.booths.factories import PLAN
from tests.contests.factories import make_contest, make_judges
from tests.factories import HCMC, login, make_session, make_type, make_user, open_event, register

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
ON_THE_DAY = datetime(2026, 12, 14, 9, 0, tzinfo=HCMC)


@pytest.fixture
def fair(db):
    """An event with every feature in use: a type, a session chosen, a contest with a vote and a judge, a
    visitor checked in with a certificate; people of each role, and one organizer and gate staff of this
    event only. A second event has none of it."""
    event = open_event(slug="fair")
    visitor = make_type(event, code="visitor", name="Khách tham quan")
    session = make_session(event, title="Hội thảo Đô thị thông minh")
    contest = make_contest(event, name="Cuộc thi Khởi nghiệp Sáng tạo", submission_deadline=None,
                           peoples_choice=True, vote_closes_at="2099-01-01T00:00:00+07:00")
    judge = make_judges(contest, 1)[0]
    reg, token = register(event, visitor, session_ids=[session.id], notify=False)
    checkin.check_in_registration(event, reg, now=ON_THE_DAY)
    certificates.ensure_certificates(event, "participation", holders_for(event, "participation"))
    booths.replace_floorplan(event, PLAN)  # a published floor map (an event without one links none)
    plain = open_event(slug="plain")
    _other, plain_token = register(plain, make_type(plain), notify=False)
    people = {role: make_user(role) for role in ("participant", "investor", "staff", "organizer")}
    people["judge"] = judge
    people["event_organizer"] = make_user("participant")
    people["event_staff"] = make_user("participant")
    accounts.grant_event_role(people["event_organizer"], event, "organizer")
    accounts.grant_event_role(people["event_staff"], event, "staff")
    return {"event": event, "contest": contest, "token": token, "plain_token": plain_token, "people": people}


def _page(client, fair, who: str | None, path: str) -> str:
    if who is not None:
        login(client, fair["people"][who])
    response = client.get(f"{path}?lang=en")
    assert response.status_code == 200
    return response.get_data(as_text=True)


# --- the event page ---

EVENT_PAGE_PARTS = {
    "register": 'id="register-heading">Register<',
    "contests": "Cuộc thi Khởi nghiệp Sáng tạo",
    "manage contests": "Manage contests",
    "floor map": "Floor map",
    "booth application": "Booth application",
    "matchmaking": "Investor matchmaking",
    "check-in": "Check-in desk",
    "summary report": "Summary report",
}
EVERYONE = {"register", "contests", "floor map"}
SEES = {
    None: EVERYONE,
    "participant": EVERYONE | {"booth application", "matchmaking"},
    "investor": EVERYONE | {"matchmaking"},
    "judge": EVERYONE,
    "staff": EVERYONE | {"check-in"},
    "event_staff": EVERYONE | {"booth application", "matchmaking", "check-in"},
    "organizer": EVERYONE | {"manage contests", "check-in", "summary report"},
    "event_organizer": EVERYONE | {"manage contests", "booth application", "matchmaking", "check-in",
                                   "summary report"},
}


@pytest.mark.parametrize("who", list(SEES), ids=[str(who) for who in SEES])
def test_the_event_page_shows_each_feature_to_its_people(client, fair, who):
    html = _page(client, fair, who, "/events/fair")
    shown = {part for part, text in EVENT_PAGE_PARTS.items() if text in html}
    assert shown == SEES[who]


def test_the_event_page_keeps_its_order(client, fair):
    html = _page(client, fair, "event_organizer", "/events/fair")
    texts = ['id="register-heading">Register<', "See the agenda", "Cuộc thi Khởi nghiệp Sáng tạo",
             "Manage contests", "Floor map", "Exhibitor directory", "Booth application",
             "Investor matchmaking", "Check-in desk", "Live numbers", ">Edit<", ">Manage<", "Summary report"]
    positions = [html.index(text) for text in texts]
    assert positions == sorted(positions)


def test_an_event_without_contests_shows_the_section_to_its_organizers_only(client, fair):
    assert "Contests</h2>" not in _page(client, fair, None, "/events/plain")
    assert "Manage contests" in _page(client, fair, "organizer", "/events/plain")


# --- the registrant's page ---

def test_the_registrants_page_shows_certificates_then_the_vote(client, fair):
    html = _page(client, fair, None, f"/r/{fair['token']}")
    with client.application.test_request_context():
        vote = url_for("contests.vote", token=fair["token"])
    assert vote in html
    assert html.index("Your certificates") < html.index("People's choice") < html.index("Your personal data")


def test_a_registration_with_no_certificate_and_no_vote_shows_neither(client, fair):
    html = _page(client, fair, None, f"/r/{fair['plain_token']}")
    assert "Your certificates" not in html
    assert "People's choice" not in html
    assert "Your personal data" in html


# --- the organizer's menu of an event ---

ORGANIZER_MENU = [
    ("Registrations", "registration_admin.registrations"),
    ("Registration types", "registration_admin.types"),
    ("Sessions", "registration_admin.sessions"),
    ("Badges", "badges.bulk_badges"),
    ("Check-in desk", "checkin.desk"),
    ("Live numbers", "checkin.stats"),
    ("Floor plan", "booths_admin.edit_floorplan"),
    ("Booth applications", "booths_admin.applications"),
    ("Booth allocation", "booths_admin.allocation_page"),
    ("Summary report", "reports.event_dashboard"),
    ("Certificates", "certificates.index"),
    ("Contests", "contests.event_contests"),
    ("Investor matchmaking", "matchmaking_admin.meetings"),
    ("Messages", "messaging.index"),
    ("Surveys", "surveys.index"),
    ("Follow-ups", "followups.event_page"),
]


def _organizer_menu(html: str) -> list[tuple[str, str]]:
    nav = re.search(r'<nav class="nav nav-pills[^>]*>(.*?)</nav>', html, re.S).group(1)
    links = re.findall(r'<a class="nav-link border" href="([^"]+)">([^<]+)</a>', nav)
    return [(label, href) for href, label in links]


@pytest.mark.parametrize("who", ["organizer", "event_organizer"])
def test_the_organizer_menu_links_every_feature_in_order(client, fair, who):
    html = _page(client, fair, who, "/events/fair/manage")
    with client.application.test_request_context():
        expected = [(label, url_for(endpoint, slug="fair")) for label, endpoint in ORGANIZER_MENU]
    assert _organizer_menu(html) == expected


@pytest.mark.parametrize("who", ["participant", "staff", "event_staff", "judge"])
def test_the_organizer_menu_stays_with_organizers(client, fair, who):
    login(client, fair["people"][who])
    assert client.get("/events/fair/manage").status_code == 403


def test_gate_staff_would_see_only_the_gate_in_the_organizer_menu(app, fair):
    with app.test_request_context():
        links = hooks.organizer_links(fair["people"]["event_staff"], fair["event"])
        expected = [url_for("checkin.desk", slug="fair"), url_for("checkin.stats", slug="fair")]
    assert [url for _label, url in links] == expected


# --- the main menu ---

@pytest.mark.parametrize(("who", "links"), [
    (None, []), ("participant", []), ("judge", ["Judging"]),
    ("organizer", ["Summary report", "Programmes", "Organizations"]),
])
def test_the_main_menu_shows_judging_and_the_series_report_to_their_people(client, fair, who, links):
    html = _page(client, fair, who, "/")
    menu = re.search(r'<ul class="navbar-nav me-auto">(.*?)</ul>', html, re.S).group(1)
    shown = re.findall(r'<a class="nav-link" href="[^"]+">([^<]+)</a>', menu)
    assert [label for label in shown if label not in ("Events", "New event")] == links


@contextmanager
def _statements(app):
    """The SQL statements run while the block runs, and those run from inside a template being rendered
    (after the context processors, which are Python; panels render before the page that shows them)."""
    all_run, in_templates, rendering = [], [], []

    def before(_sender, template, **_kw):
        rendering.append(template.name)

    def after(_sender, template, **_kw):
        rendering.pop()

    def on_sql(_conn, _cursor, statement, *_args):
        all_run.append(statement)
        if rendering:
            in_templates.append((rendering[-1], statement))

    with app.app_context():
        engine = app.extensions["sqlalchemy"].engine
    sa_event.listen(engine, "before_cursor_execute", on_sql)
    before_render_template.connect(before, app)
    template_rendered.connect(after, app)
    try:
        yield all_run, in_templates
    finally:
        template_rendered.disconnect(after, app)
        before_render_template.disconnect(before, app)
        sa_event.remove(engine, "before_cursor_execute", on_sql)


def test_a_judge_costs_one_query_a_page_and_a_visitor_none(app, client, fair):
    login(client, fair["people"]["judge"])
    with _statements(app) as (run, _in_templates):
        assert "Judging" in client.get("/events/fair?lang=en").get_data(as_text=True)
    assert len([sql for sql in run if "contest_judges" in sql]) == 1
    anonymous = app.test_client()
    with _statements(app) as (run, _in_templates):
        anonymous.get("/events/fair")
    assert not [sql for sql in run if "contest_judges" in sql]


# --- no query from inside a template ---

@pytest.mark.parametrize("who", list(SEES), ids=[str(who) for who in SEES])
def test_the_pages_run_no_query_from_inside_templates(app, client, fair, who):
    if who is not None:
        login(client, fair["people"][who])
    pages = ["/", "/events/fair", "/events/plain", f"/r/{fair['token']}", f"/r/{fair['plain_token']}"]
    if who in ("organizer", "event_organizer"):
        pages.append("/events/fair/manage")
    for path in pages:
        with _statements(app) as (_run, in_templates):
            assert client.get(path).status_code == 200
        assert in_templates == [], path


REMOVED_GLOBALS = ["contests_of", "votable_contests_of", "is_contest_judge", "holder_certificates",
                   "registration_types_of", "sessions_of"]


def test_no_template_includes_what_may_be_missing_nor_calls_the_removed_query_globals(app):
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        assert "ignore missing" not in text, template
        for name in REMOVED_GLOBALS:
            assert not re.search(rf"\b{name}\(", text), (template, name)
    with app.test_request_context("/"):
        context = {}
        app.update_template_context(context)
    assert not set(REMOVED_GLOBALS) & set(context)


# Templates of the lower features' pages name no endpoint nor template of a feature above them.
PAGE_OWNERS = {"base.html": {"events", "accounts", "static"},
               "events/show.html": {"events", "static"},
               "events/manage.html": {"events", "static"},
               "registration/manage.html": {"registration", "events", "static"}}


@pytest.mark.parametrize("name", list(PAGE_OWNERS))
def test_the_lower_pages_name_only_their_own_features(name):
    text = (TEMPLATES / name).read_text()
    named = set(re.findall(r"url_for\('(\w+)", text)) | set(re.findall(r"include '(\w+)/", text))
    assert named <= PAGE_OWNERS[name] | {"_macros"}


# --- a panel with nothing to show ---

def test_a_panel_whose_loader_returns_none_shows_nothing(app, client, fair, monkeypatch):
    panels = hooks.registry().panels
    hidden = [hooks.Panel(p.template, lambda **_page: None, p.order) if p.template.startswith("contests/")
              else p for p in panels[hooks.EVENT_PAGE]]
    monkeypatch.setitem(panels, hooks.EVENT_PAGE, hidden)
    html = _page(client, fair, "organizer", "/events/fair")
    assert "Cuộc thi Khởi nghiệp Sáng tạo" not in html and "Manage contests" not in html
    assert 'id="register-heading">Register<' in html
    with app.test_request_context():
        monkeypatch.setitem(panels, "nowhere", [hooks.Panel("contests/_vote_link.html", lambda **_p: None)])
        assert hooks.render_panels("nowhere", reg=None, token="t") == ""
        assert hooks.render_panels("a slot no feature fills") == ""
