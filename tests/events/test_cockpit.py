"""The organizer's cockpit (an event's "Manage" page): figures, decisions and deadlines from every feature,
counted right against a hand-built event, gone once acted on, at a bounded number of queries."""

from __future__ import annotations

import html as html_module
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask_babel import force_locale
from sqlalchemy import event as sa_event

from eventhub import hooks
from eventhub.accounts.services import grant_event_role
from eventhub.audit.models import AuditEntry
from eventhub.audit.words import Context
from eventhub.booths import services as booths
from eventhub.certificates import holders
from eventhub.certificates import services as certificates
from eventhub.checkin import services as checkin
from eventhub.contests import conflicts, entries, setup
from eventhub.contests.models import Conflict, ConflictSource, ConflictStatus, Score, ScoreStatus
from eventhub.dbtypes import utcnow
from eventhub.events import cockpit
from eventhub.extensions import db as _db
from eventhub.jobs.models import Job, JobState
from eventhub.mail.models import EmailStatus, OutboundEmail
from eventhub.matchmaking import profiles, requesting
from eventhub.registration import services as registration
from tests.factories import HCMC, login, make_event, make_type, make_user, register
from tests.support.feature_world import BOOTH_PLAN


def _event_under_way(**overrides):
    now = utcnow()
    return make_event(starts_at=now - timedelta(hours=2), ends_at=now + timedelta(days=1, hours=6),
                      registration_open=True, **overrides)


def _build(event, *, visitors: int = 3, entries_n: int = 3, exhibitors: int = 2) -> dict:
    """Registrations of three types, check-ins today, a contest short of scores with a detected conflict,
    booth applications, meeting requests, a certificate, a failed job and a failed e-mail."""
    now = utcnow()
    visitor = make_type(event, code="visitor", name="Khách tham quan", capacity=400,
                        closes_at=now + timedelta(days=1))
    startup = make_type(event, code="startup", name="Startup", capacity=50, requires_approval=True)
    vip = make_type(event, code="vip", name="Khách mời", capacity=1, waitlist=True)
    visitors_made = [register(event, visitor, notify=False)[0] for _ in range(visitors)]
    pending = [register(event, startup, notify=False)[0] for _ in range(2)]
    register(event, vip, notify=False)
    waiting = register(event, vip, notify=False)[0]
    for reg in visitors_made[:2]:
        checkin.check_in_registration(event, reg)

    contest = setup.create_contest(event, {
        "code": "pitch", "name": "Cuộc thi Gọi vốn", "judges_per_entry": 2, "blind": False, "scoring": "raw",
        "submission_deadline": now + timedelta(days=3),
        "criteria": [{"key": "team", "name": "Đội ngũ", "weight": 1, "max_score": 10}]})
    judges = [make_user(email=f"gk{i}.{event.slug}@giamkhao.vn", full_name=f"Giám khảo {i}")
              for i in range(2)]
    setup.add_judges(contest, [judge.email for judge in judges])
    made = [entries.submit_entry(contest, {"title": f"Dự án {i}", "summary": "", "organization": "Sao Việt",
                                           "team": [], "links": []}, user=make_user())
            for i in range(entries_n)]
    round_ = contest.active_round
    for judge in judges:  # the first entry has its two scores; the others none
        from_db = Score(round_id=round_.id, entry_id=made[0].id, user_id=judge.id,
                        criteria_version=round_.criteria_version, values={"team": 7},
                        status=ScoreStatus.submitted, submitted_at=now)
        _db.session.add(from_db)
    conflict = Conflict(contest_id=contest.id, entry_id=made[1].id, user_id=judges[0].id,
                        source=ConflictSource.detected, status=ConflictStatus.pending, reason="Cùng công ty")
    _db.session.add(conflict)

    booths.replace_floorplan(event, BOOTH_PLAN)
    applications = [booths.apply(event, make_user(), organization=f"Công ty {i}", sector="ai",
                                 size="standard", preferences=[], product="", notify=False)
                    for i in range(exhibitors)]
    booths.review(applications[0], "approve", notify=False)  # approved, no booth yet

    fund = profiles.save_profile(event, make_user("investor"), {
        "kind": "investor", "organization": "Quỹ Mekong", "sectors": ["ai"], "stages": ["seed"],
        "ticket_min": 1_000_000_000, "ticket_max": 10_000_000_000, "currency": "VND", "contactable": True,
        "countries": ["VN"]})
    startups = [profiles.save_profile(event, make_user(), {
        "kind": "startup", "organization": f"Đổi Mới {i}", "sector": "ai", "stage": "seed", "seeking": "Vốn",
        "amount": 5_000_000_000, "currency": "VND", "contactable": True}) for i in range(2)]
    accepted = requesting.send_request(fund, startups[0], "Xin chào", notify=False)
    requesting.accept(accepted, startups[0], notify=False)
    requesting.send_request(startups[1], fund, "Hẹn gặp", notify=False)

    certificates.ensure_certificates(event, "participation", holders.holders_for(
        event, "participation", registration_ids=[visitors_made[0].id]))
    job = Job(kind="badges", event_id=event.id, state=JobState.failed, error="WeasyPrint",
              created_at=now - timedelta(minutes=5))
    _db.session.add_all([job, OutboundEmail(kind="registration.received", to="x@example.vn", payload={},
                                           status=EmailStatus.failed, attempts=6)])
    _db.session.commit()
    return {"pending": pending, "waiting": waiting, "conflict": conflict, "applications": applications,
            "contest": contest, "job": job}


def _parts(app, event, user) -> dict[str, dict[str, tuple[int, int | None]]]:
    """{card title: {figure: (value, total)}}, in English."""
    with app.test_request_context(), force_locale("en"):
        return {str(part.title): {str(figure.label): (figure.value, figure.total) for figure in part.figures}
                for part in hooks.cockpit_parts(event, user)}


def _text(fragment: str) -> str:
    return " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _cards(page: str) -> dict[str, dict[str, str]]:
    """The cockpit's cards as a person reads them: {title: {figure label: "value" or "value / total"}}."""
    cards = {}
    for card in re.findall(r'<section class="col-12 col-md-6 col-xl-4">(.*?)</section>', page, re.S):
        title = _text(re.search(r"<h3[^>]*>(.*?)</h3>", card, re.S).group(1))
        figures = re.findall(r'<span class="cockpit-label">(.*?)(?:<span class="d-block[^>]*>.*?</span>)?'
                             r'</span>\s*<span class="cockpit-value">(.*?)</a>', card, re.S)
        cards[title] = {_text(label): _text(value.removesuffix("</span>")) for label, value in figures}
    return cards


def _decisions(app, event, user) -> list[str]:
    with app.test_request_context(), force_locale("en"):
        return [str(d.text) for part in hooks.cockpit_parts(event, user) for d in part.decisions]


def test_the_figures_count_the_hand_built_event(app, db):
    event = _event_under_way()
    _build(event)
    organizer = make_user("organizer")
    parts = _parts(app, event, organizer)
    assert parts["Registrations"] == {
        "Khách tham quan": (3, 400), "Startup": (2, 50), "Khách mời": (1, 1),
        "Waiting for approval": (2, None), "On the waiting list": (1, None)}
    assert parts["Check-in"] == {"Checked in today": (2, None),
                                           "Came on the event's days": (2, None)}
    assert parts["Cuộc thi Gọi vốn"] == {"Entries": (3, None),
                                                   "Entries without enough scores": (2, 3)}
    assert parts["Exhibition booths"] == {
        "Applications to review": (1, None), "Sent back for changes": (0, None),
        "Approved exhibitors without a booth": (1, 1)}
    assert parts["Investor matchmaking"] == {
        "Meetings requested": (2, None), "Meetings scheduled": (0, None),
        "Accepted, not yet scheduled": (1, None)}
    assert parts["Certificates"] == {"Certificates issued": (1, None)}
    with app.test_request_context(), force_locale("en"):
        deadlines = [str(d.label) for part in hooks.cockpit_parts(event, organizer) for d in part.deadlines]
    assert deadlines == ["Registration closes: Khách tham quan", "Entries close: Cuộc thi Gọi vốn"]


def test_decisions_appear_and_go_once_acted_on(app, db):
    event = _event_under_way()
    world = _build(event)
    organizer = make_user("organizer")
    assert _decisions(app, event, organizer) == [
        "2 registrations wait for your approval",
        "1 detected conflict of interest to confirm or dismiss in Cuộc thi Gọi vốn",
        "1 booth application waits for your review",
        "1 approved exhibitor has no booth yet",
        "1 accepted meeting has no table and time yet: run the scheduler",
        "The job “Badges” failed on "
        + world["job"].created_at.astimezone(event.tz).strftime("%d/%m/%Y %H:%M"),
        "1 e-mail could not be sent after every retry: check the mail server settings"]

    for reg in world["pending"]:
        registration.approve(reg, actor=organizer, notify=False)
    conflicts.decide(world["conflict"], "dismissed", actor=organizer)
    booths.review(world["applications"][1], "reject", note="Hết chỗ", notify=False)
    _db.session.add(Job(kind="badges", event_id=event.id, state=JobState.done))  # run again, with success
    _db.session.commit()
    left = _decisions(app, event, organizer)
    assert not [text for text in left if "approval" in text or "conflict" in text or "review" in text
                or "job" in text]
    assert "1 approved exhibitor has no booth yet" in left


def test_failed_emails_are_the_departments_only(app, db):
    event = _event_under_way()
    _build(event)
    partner = make_user()
    grant_event_role(partner, event, "organizer")
    assert not [text for text in _decisions(app, event, partner) if "e-mail" in text]
    assert [text for text in _decisions(app, event, make_user("organizer")) if "e-mail" in text]


def test_the_page_shows_each_figure_as_a_link_to_where_it_is_done(client, db):
    event = _event_under_way()
    world = _build(event)
    login(client, make_user("organizer"))
    html = client.get(f"/events/{event.slug}/manage?lang=en").get_data(as_text=True)
    assert f'href="/events/{event.slug}/registrations?status=pending_approval&amp;sort=oldest"' in html
    assert f'href="/contests/{world["contest"].id}/manage#pending-conflicts"' in html
    assert f'href="/contests/{world["contest"].id}/results/manage"' in html
    assert f'href="/events/{event.slug}/booth-applications?status=submitted"' in html
    assert f'href="/jobs/{world["job"].id}"' in html
    assert f'href="/events/{event.slug}/audit"' in html
    assert "Recent changes" not in html and "_audit_table" not in html  # the audit log has its own page
    cards = _cards(html)
    assert cards["Registrations"] == {
        "Khách tham quan": "3 / 400", "Startup": "2 / 50", "Khách mời": "1 / 1",
        "Waiting for approval": "2", "On the waiting list": "1"}
    assert cards["Check-in"] == {"Checked in today": "2", "Came on the event's days": "2"}
    assert cards["Cuộc thi Gọi vốn"] == {"Entries": "3", "Entries without enough scores": "2 / 3"}
    assert cards["Exhibition booths"] == {"Applications to review": "1", "Sent back for changes": "0",
                                          "Approved exhibitors without a booth": "1 / 1"}
    assert cards["Investor matchmaking"] == {"Meetings requested": "2", "Meetings scheduled": "0",
                                             "Accepted, not yet scheduled": "1"}
    assert cards["Certificates"] == {"Certificates issued": "1"}
    vi = client.get(f"/events/{event.slug}/manage?lang=vi").get_data(as_text=True)
    assert "Khách tham quan" in vi


def test_a_big_number_is_written_for_people(client, db):
    event = _event_under_way()
    rtype = make_type(event, code="visitor", name="Khách tham quan", capacity=12000)
    register(event, rtype, notify=False)
    login(client, make_user("organizer"))
    vi = client.get(f"/events/{event.slug}/manage?lang=vi").get_data(as_text=True)
    en = client.get(f"/events/{event.slug}/manage?lang=en").get_data(as_text=True)
    assert "12.000" in vi and "12,000" in en


def _count_statements(client, url) -> int:
    count = {"n": 0}

    def before(*_args, **_kw):
        count["n"] += 1

    engine = _db.engine
    sa_event.listen(engine, "before_cursor_execute", before)
    try:
        assert client.get(url).status_code == 200
    finally:
        sa_event.remove(engine, "before_cursor_execute", before)
    return count["n"]


def test_the_cockpit_costs_the_same_queries_for_a_bigger_event(client, db):
    small, big = _event_under_way(), _event_under_way()
    _build(small, visitors=3, entries_n=3, exhibitors=2)
    _build(big, visitors=30, entries_n=12, exhibitors=8)
    for n in range(4):
        db.session.add(Job(kind=f"kind{n}", event_id=big.id, state=JobState.failed))
    db.session.commit()
    login(client, make_user("organizer"))
    few = _count_statements(client, f"/events/{small.slug}/manage")
    many = _count_statements(client, f"/events/{big.slug}/manage")
    assert many == few, (few, many)
    assert few <= 30


@pytest.mark.parametrize("who", ["staff", "event_staff", "other_organizer", "participant"])
def test_only_the_events_organizers_see_the_cockpit(client, db, who):
    event, other = _event_under_way(), _event_under_way()
    person = make_user("staff" if who == "staff" else "participant")
    if who == "event_staff":
        grant_event_role(person, event, "staff")
    if who == "other_organizer":
        grant_event_role(person, other, "organizer")
    login(client, person)
    assert client.get(f"/events/{event.slug}/manage").status_code == 403


def test_the_staff_menu_leads_to_the_desk(client, db):
    event = _event_under_way()
    later = make_event(starts_at=utcnow() + timedelta(days=20), ends_at=utcnow() + timedelta(days=21))
    gate = make_user()
    grant_event_role(gate, event, "staff")
    login(client, gate)
    home = client.get("/?lang=en").get_data(as_text=True)
    menu = re.search(r'<ul class="navbar-nav me-auto">(.*?)</ul>', home, re.S).group(1)
    assert 'href="/checkin">Check-in desk</a>' in menu
    response = client.get("/checkin")  # the one event under way today: straight to its desk
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/events/{event.slug}/checkin")
    grant_event_role(gate, later, "staff")
    grant_event_role(gate, _event_under_way(), "staff")  # two under way: the person chooses
    page = client.get("/checkin?lang=en").get_data(as_text=True)
    assert later.name in page and event.name in page
    client.post("/logout")
    login(client, make_user())
    assert "Check-in desk" not in client.get("/?lang=en").get_data(as_text=True)
    assert client.get("/checkin").status_code == 403


def test_failed_emails_link_to_their_page_where_they_are_sent_again(client, db):
    event = _event_under_way()
    _db.session.add(OutboundEmail(kind="registration.received", to="khach@example.vn", payload={},
                                  status=EmailStatus.failed, attempts=6, last_error="SMTPServerDisconnected"))
    _db.session.commit()
    organizer = make_user("organizer")
    login(client, organizer)
    cockpit = client.get(f"/events/{event.slug}/manage?lang=en").get_data(as_text=True)
    assert 'href="/outbox/failed"' in cockpit
    page = client.get("/outbox/failed?lang=en").get_data(as_text=True)
    assert "khach@example.vn" in page and "SMTPServerDisconnected" in page
    assert client.post("/outbox/failed/retry").status_code == 302
    assert not [text for text in _decisions(client.application, event, organizer) if "e-mail" in text]
    assert _db.session.scalar(_db.select(OutboundEmail.status)) != EmailStatus.failed


def test_the_cockpit_writes_its_figures_with_the_shared_number_filter(app, client, db, monkeypatch):
    """One formatter for every number people read (eventhub.i18n.format_number, the `number` filter):
    the cockpit brings none of its own."""
    event = _event_under_way()
    rtype = make_type(event, code="visitor", name="Khách tham quan", capacity=12000)
    register(event, rtype, notify=False)
    login(client, make_user("organizer"))
    monkeypatch.setitem(app.jinja_env.filters, "number", lambda value, *a: f"<{value}>")
    page = client.get(f"/events/{event.slug}/manage?lang=vi").get_data(as_text=True)
    assert "&lt;12000&gt;" in page


def test_a_job_run_again_mends_a_failure_only_once_it_is_done(app, db):
    event = _event_under_way()
    organizer = make_user("organizer")
    _db.session.add(Job(kind="badges", event_id=event.id, state=JobState.failed,
                        created_at=utcnow() - timedelta(minutes=5)))
    again = Job(kind="badges", event_id=event.id, state=JobState.queued, created_at=utcnow())
    _db.session.add(again)
    _db.session.commit()
    for state in (JobState.queued, JobState.running, JobState.failed):
        again.state = state
        _db.session.commit()
        assert len([text for text in _decisions(app, event, organizer) if "“Badges” failed" in text]) \
            == (2 if state == JobState.failed else 1), state
    again.state = JobState.done
    _db.session.commit()
    assert not [text for text in _decisions(app, event, organizer) if "job" in text]


def test_the_events_phase_and_days_left_are_in_its_time_zone(app, db):
    berlin = ZoneInfo("Europe/Berlin")
    event = make_event(starts_at=datetime(2026, 12, 12, 9, 0, tzinfo=berlin),
                       ends_at=datetime(2026, 12, 14, 23, 30, tzinfo=berlin), timezone="Europe/Berlin")
    with app.test_request_context(), force_locale("en"):
        assert cockpit.phase(event, datetime(2026, 12, 9, 8, 0, tzinfo=berlin)) == "Starts in 3 days"
        assert cockpit.phase(event, datetime(2026, 12, 11, 23, 0, tzinfo=berlin)) == "Starts tomorrow"
        assert cockpit.phase(event, datetime(2026, 12, 13, 1, 0, tzinfo=berlin)) == "Under way: day 2 of 3"
        # 05:30 on the 15th in Ho Chi Minh City is still the last day in Berlin
        assert cockpit.phase(event, datetime(2026, 12, 15, 5, 30, tzinfo=HCMC)) == "Under way: day 3 of 3"
        assert cockpit.phase(event, datetime(2026, 12, 16, 9, 0, tzinfo=berlin)) == "Ended on 14/12/2026"
        assert [cockpit.days_left(datetime(2026, 12, d).date(), datetime(2026, 12, 9).date())
                for d in (9, 10, 21)] == ["today", "tomorrow", "in 12 days"]


def test_failed_emails_sent_again_leave_out_erased_people_and_are_audited(client, db):
    _db.session.add_all([OutboundEmail(kind="registration.received", to=to, payload={},
                                       status=EmailStatus.failed, attempts=6)
                         for to in ("khach@example.vn", "erased-7@invalid")])
    _db.session.commit()
    event = _event_under_way()
    organizer = make_user("organizer")
    login(client, organizer)
    assert client.post("/outbox/failed/retry?lang=en").status_code == 302
    statuses = dict(_db.session.execute(_db.select(OutboundEmail.to, OutboundEmail.status)).all())
    assert statuses["erased-7@invalid"] == EmailStatus.failed  # no address: another try cannot help
    assert statuses["khach@example.vn"] != EmailStatus.failed
    assert "1 e-mail is queued again." in client.get("/outbox/failed?lang=en").get_data(as_text=True)
    entry = _db.session.scalar(_db.select(AuditEntry).where(AuditEntry.action == "outbox.retried"))
    assert entry.actor_id == organizer.id and entry.changes == {"count": 1}
    with client.application.test_request_context(), force_locale("en"):
        line = hooks.registry().audit_words_for("outbox.retried").describe(entry, Context())
    assert line.sentence == f"{organizer.full_name} queued again the e-mails that could not be sent"
    assert [(change.label, change.new) for change in line.changes] == [("E-mails", "1")]
    # the one left cannot be mended by a retry: the cockpit does not ask for one
    assert not [text for text in _decisions(client.application, event, organizer) if "e-mail" in text]
