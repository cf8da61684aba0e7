"""Participation certificates of one session (issue 17, item 2): for the people scanned in at a
workshop's door (booked or walk-in), naming the workshop, one serial per person and session."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from flask_babel import force_locale

from eventhub import storage
from eventhub.accounts.services import grant_event_role
from eventhub.audit.models import AuditEntry
from eventhub.audit.words import describe_page
from eventhub.certificates import services, templates
from eventhub.certificates.holders import holders_for, session_counts
from eventhub.checkin import services as checkin
from eventhub.checkin.models import SessionCheckIn
from eventhub.errors import ValidationError
from eventhub.extensions import db as _db
from eventhub.jobs.models import Job
from eventhub.registration import services as registration
from tests.factories import (
    HCMC,
    login,
    make_session,
    make_type,
    make_user,
    open_event,
    register,
    token_headers,
)
from tests.support.api import assert_error, assert_field_errors
from tests.support.pdf import pdf_text

from .helpers import MORNING, TRUC, certificates, run_job

WORKSHOP = "Chuyển đổi số cho doanh nghiệp nhỏ"
HA = "Đặng Thị Thu Hà"
DUNG = "Lê Văn Dũng"
BASE = "/events/startup-day/certificates"
API = "/api/v1/events/startup-day/certificates"


@pytest.fixture
def workshop(db, day):
    """The workshop's door let in Hà (booked), Dũng (a walk-in) and Sơn (who cancelled afterwards);
    Khoa booked and never came; Trúc went to another session. A row no door would write (the door
    refuses other events' tickets) puts a person of another event in it too."""
    event, visitor = day["event"], day["visitor"]
    session = make_session(event, title=WORKSHOP, speakers=[])
    other_session = make_session(event, title="Hội thảo Năng lượng xanh", speakers=[])
    ha, _t = register(event, visitor, full_name=HA, email="thuha@example.vn", session_ids=[session.id],
                      notify=False)
    khoa, _t = register(event, visitor, full_name="Bùi Văn Khoa", email="khoa@example.vn",
                        session_ids=[session.id], notify=False)
    son, _t = register(event, visitor, full_name="Trịnh Công Sơn", email="son@example.vn", notify=False)
    for reg in (ha, day["dung"], son):
        checkin.check_in_session(event, session, reg.ticket_code, now=MORNING)
    checkin.check_in_session(event, other_session, day["truc"].ticket_code, now=MORNING)
    registration.cancel_registration(son, notify=False)
    elsewhere = open_event(slug="other-day", name="Ngày hội khác")
    stranger, _t = register(elsewhere, make_type(elsewhere, code="visitor"), full_name="Người Lạ",
                            email="la@example.vn", notify=False)
    _db.session.add(SessionCheckIn(session_id=session.id, registration_id=stranger.id, walk_in=True))
    foreign = make_session(elsewhere, title="Hội thảo của sự kiện khác", speakers=[])
    _db.session.commit()
    return {**day, "session": session, "other_session": other_session, "ha": ha, "khoa": khoa, "son": son,
            "stranger": stranger, "foreign": foreign}


def _issue(client, headers, body):
    return client.post(API, json=body, headers=headers)


def _job_count(db) -> int:
    return db.session.scalar(db.select(db.func.count(Job.id)))


# --- who ----------------------------------------------------------------------------------------


def test_holders_are_exactly_the_people_scanned_in(db, workshop):
    session = workshop["session"]
    scanned = db.session.scalars(db.select(SessionCheckIn.registration_id)
                                 .where(SessionCheckIn.session_id == session.id)).all()
    assert len(scanned) == 4  # Hà, Dũng, Sơn (cancelled since) and the stranger are all in the door's log
    found = holders_for(workshop["event"], "participation", session_id=session.id)
    assert [h.full_name for h in found] == [DUNG, HA]  # not Khoa (booked only), Sơn, the stranger, Trúc
    assert [h.registration_id for h in found] == [workshop["dung"].id, workshop["ha"].id]
    assert [h.holder_key for h in found] == [f"session:{session.id}:email:dung@example.vn",
                                             f"session:{session.id}:email:thuha@example.vn"]
    assert all(h.details == {"session": WORKSHOP, "session_id": session.id, "sessions": [WORKSHOP]}
               for h in found)
    other = holders_for(workshop["event"], "participation", session_id=workshop["other_session"].id)
    assert [h.full_name for h in other] == [TRUC]


def test_chosen_people_must_have_been_scanned_in(workshop):
    event, session_id = workshop["event"], workshop["session"].id
    chosen = holders_for(event, "participation", [workshop["ha"].id], session_id)
    assert [h.full_name for h in chosen] == [HA]
    for who in ("khoa", "son", "stranger", "truc"):
        with pytest.raises(ValidationError) as refused:
            holders_for(event, "participation", [workshop[who].id], session_id)
        assert "registration_ids" in refused.value.fields


# --- issuing and printing -----------------------------------------------------------------------


def test_issuing_twice_keeps_one_serial_per_person_and_session(db, workshop, organizer):
    event, session = workshop["event"], workshop["session"]
    first = run_job(db, event, organizer, "participation", session_id=session.id)
    assert (first.total, first.done) == (2, 2)
    assert first.result_filename == f"certificates-startup-day-participation-session-{session.id}.pdf"
    serials = {c.holder_name: c.serial for c in certificates(db, event)}
    assert set(serials) == {DUNG, HA}
    run_job(db, event, organizer, "participation", session_id=session.id)
    assert {c.holder_name: c.serial for c in certificates(db, event)} == serials
    # The event's own participation certificate and another session's are certificates of their own.
    run_job(db, event, organizer, "participation")
    run_job(db, event, organizer, "participation", session_id=workshop["other_session"].id)
    issued = certificates(db, event, "participation")
    dung = [c for c in issued if c.holder_name == DUNG]
    assert len(dung) == 2 and {c.details.get("session") for c in dung} == {WORKSHOP, None}
    truc = sorted((c.details.get("session") or "") for c in issued if c.holder_name == TRUC)
    assert truc == ["", "Hội thảo Năng lượng xanh"]
    assert serials[DUNG] in {c.serial for c in dung}


def test_the_printed_certificate_names_the_holder_and_the_workshop(db, workshop, organizer):
    event = workshop["event"]
    job = run_job(db, event, organizer, "participation", session_id=workshop["session"].id)
    pages = pdf_text(storage.get(job.result_key))
    assert len(pages) == 2
    ha = next(c for c in certificates(db, event) if c.holder_name == HA)
    (text,) = pdf_text(services.certificate_pdf(ha))
    assert HA in text and ha.serial in text
    assert f"đã tham dự hội thảo “{WORKSHOP}” tại Ngày hội Khởi nghiệp Đổi mới Sáng tạo 2026" in text
    # An event-wide certificate of the same event keeps its own words.
    run_job(db, event, organizer, "participation", [workshop["ha"].id])
    whole = next(c for c in certificates(db, event) if c.holder_name == HA and not c.details.get("session"))
    (text,) = pdf_text(services.certificate_pdf(whole))
    assert WORKSHOP not in text and "đã tham dự Ngày hội Khởi nghiệp" in text


def test_an_english_template_says_attended_the_workshop(db, workshop, organizer):
    event = workshop["event"]
    templates.save_template(event, "participation", templates.default_draft("participation", "en"))
    run_job(db, event, organizer, "participation", [workshop["dung"].id], workshop["session"].id)
    (cert,) = certificates(db, event)
    (text,) = pdf_text(services.certificate_pdf(cert))
    assert DUNG in text and f"attended the workshop “{WORKSHOP}”" in text


def test_the_verification_page_and_api_show_the_workshop(client, db, workshop, organizer):
    event = workshop["event"]
    run_job(db, event, organizer, "participation", session_id=workshop["session"].id)
    ha = next(c for c in certificates(db, event) if c.holder_name == HA)
    vi_page = client.get(f"/verify/{ha.serial}?lang=vi").get_data(as_text=True)
    assert HA in vi_page and WORKSHOP in vi_page and "Hội thảo" in vi_page
    en_page = client.get(f"/verify/{ha.serial}?lang=en").get_data(as_text=True)
    assert WORKSHOP in en_page and "Workshop" in en_page
    public = client.get(f"/api/v1/certificates/{ha.serial}").get_json()
    assert public["session"] == WORKSHOP and public["holder_name"] == HA and public["status"] == "valid"
    run_job(db, event, organizer, "participation", [workshop["ha"].id])
    whole = next(c for c in certificates(db, event) if c.holder_name == HA and c.serial != ha.serial)
    assert client.get(f"/api/v1/certificates/{whole.serial}").get_json()["session"] is None
    assert WORKSHOP not in client.get(f"/verify/{whole.serial}").get_data(as_text=True)


# --- the API ------------------------------------------------------------------------------------


def test_issuing_through_the_api(client, db, workshop, organizer):
    headers = token_headers(organizer)
    response = _issue(client, headers, {"kind": "participation", "session_id": workshop["session"].id})
    assert response.status_code == 202, response.get_json()
    status = client.get(f"/api/v1/jobs/{response.get_json()['job_id']}", headers=headers).get_json()
    assert status["state"] == "done" and status["total"] == status["done"] == 2
    listed = client.get(API, headers=headers).get_json()["items"]
    assert sorted((i["holder_name"], i["session"]) for i in listed) == [(DUNG, WORKSHOP), (HA, WORKSHOP)]
    again = _issue(client, headers, {"kind": "participation", "session_id": workshop["session"].id,
                                     "registration_ids": [workshop["ha"].id]})
    assert again.status_code == 202
    assert client.get(API, headers=headers).get_json()["total"] == 2  # Hà kept hers


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "participation", "session_id": "FOREIGN"},
        {"kind": "participation", "session_id": 999_999},
        {"kind": "award", "session_id": "WORKSHOP"},
        {"kind": "speaker", "session_id": "WORKSHOP"},
        {"kind": "participation", "session_id": "1"},
        {"kind": "participation", "session_id": 1.5},
        {"kind": "participation", "session_id": True},
        {"kind": "participation", "session_id": 0},
        {"kind": "participation", "session_id": -3},
        {"kind": "participation", "session_id": 10**30},
        {"kind": "participation", "session_id": ["WORKSHOP"]},
    ],
)
def test_bad_sessions_are_422_and_start_nothing(client, db, workshop, organizer, body):
    ids = {"FOREIGN": workshop["foreign"].id, "WORKSHOP": workshop["session"].id}
    value = body["session_id"]
    body = {**body, "session_id": ids.get(value, value) if isinstance(value, str) else value}
    assert_field_errors(_issue(client, token_headers(organizer), body), "session_id")
    assert _job_count(db) == 0


def test_chosen_people_not_scanned_in_are_422(client, db, workshop, organizer):
    for reg in ("khoa", "son", "truc", "stranger"):
        body = {"kind": "participation", "session_id": workshop["session"].id,
                "registration_ids": [workshop["ha"].id, workshop[reg].id]}
        assert_field_errors(_issue(client, token_headers(organizer), body), "registration_ids")
    assert _job_count(db) == 0


def test_only_organizers_of_the_event_issue_per_session(client, db, workshop):
    body = {"kind": "participation", "session_id": workshop["session"].id}
    assert_error(_issue(client, {}, body), 401, "not_authenticated")
    staff = make_user("participant")
    grant_event_role(staff, workshop["event"], "staff")
    stranger = make_user("participant")
    grant_event_role(stranger, open_event(), "organizer")
    for user in (make_user("participant"), staff, stranger, make_user("judge")):
        assert_error(_issue(client, token_headers(user), body), 403)
    assert _job_count(db) == 0
    partner = make_user("participant")
    grant_event_role(partner, workshop["event"], "organizer")
    assert _issue(client, token_headers(partner), body).status_code == 202


# --- the certificates page ----------------------------------------------------------------------


def test_the_page_offers_the_sessions_and_issues_for_one(client, db, workshop, organizer):
    login(client, organizer)
    html = client.get(BASE).get_data(as_text=True)
    assert f"{WORKSHOP} (2 " in html and "Hội thảo Năng lượng xanh (1 " in html
    assert "Hội thảo của sự kiện khác" not in html
    response = client.post(BASE + "/issue", data={"kind": "participation",
                                                  "session_id": str(workshop["session"].id)})
    assert response.status_code == 302 and "/jobs/" in response.location
    job = db.session.scalars(db.select(Job)).one()
    assert job.total == 2 and job.params["session_id"] == workshop["session"].id
    assert {c.holder_name: c.details["session"] for c in certificates(db, workshop["event"])} == {
        DUNG: WORKSHOP, HA: WORKSHOP}
    assert WORKSHOP in client.get(BASE).get_data(as_text=True)  # the list says which workshop


@pytest.mark.parametrize("kind,session", [("participation", "FOREIGN"), ("participation", "abc"),
                                          ("participation", "99999999999"), ("participation", "²"),
                                          ("award", "WORKSHOP")])
def test_the_page_refuses_bad_sessions_with_a_message(client, db, workshop, organizer, kind, session):
    login(client, organizer)
    ids = {"FOREIGN": str(workshop["foreign"].id), "WORKSHOP": str(workshop["session"].id)}
    value = ids.get(session, session)
    response = client.post(BASE + "/issue", data={"kind": kind, "session_id": value})
    # Said next to the workshop menu, on the page itself.
    assert response.status_code == 422 and 'id="session_id-error"' in response.get_data(as_text=True)
    assert _job_count(db) == 0


@pytest.mark.parametrize("who", ["anonymous", "participant", "staff", "other_organizer"])
def test_only_organizers_issue_from_the_page(client, db, workshop, who):
    if who != "anonymous":
        user = make_user("participant")
        if who == "staff":
            grant_event_role(user, workshop["event"], "staff")
        if who == "other_organizer":
            grant_event_role(user, open_event(), "organizer")
        login(client, user)
    response = client.post(BASE + "/issue", data={"kind": "participation",
                                                  "session_id": str(workshop["session"].id)})
    assert response.status_code in ((302, 401) if who == "anonymous" else (403,))
    assert _job_count(db) == 0


def test_the_e_mail_names_the_workshop(client, db, workshop, organizer, outbox):
    import email
    import email.policy

    event = workshop["event"]
    login(client, organizer)
    run_job(db, event, organizer, "participation", session_id=workshop["session"].id)
    run_job(db, event, organizer, "participation")
    assert client.post(BASE + "/mail", data={"kind": ""}).status_code == 302
    messages = [email.message_from_bytes(f.read_bytes(), policy=email.policy.default)
                for f in sorted(outbox.glob("*.eml"))]
    bodies = {m["To"]: [] for m in messages}
    for m in messages:
        bodies[m["To"]].append(m.get_content())
    assert len(bodies["thuha@example.vn"]) == 1  # scanned in at the door only: the workshop's
    (to_ha,) = bodies["thuha@example.vn"]
    assert f"đã sẵn sàng: Chứng nhận tham dự.\nHội thảo: {WORKSHOP}\n\nTải về" in to_ha, to_ha
    event_wide = [body for body in bodies["truc@example.vn"] if WORKSHOP not in body]
    assert event_wide and all("Hội thảo:" not in body and "tham dự.\n\nTải về" in body for body in event_wide)


@pytest.mark.parametrize("path", ["/templates/participation", "/templates/participation/preview"])
def test_odd_image_ids_in_the_template_editor_are_refused_not_a_500(client, db, workshop, organizer, path):
    login(client, organizer)
    html = '<img src="{{ qr }}" alt=""><p>{{ serial }}</p>'
    for odd in ("²", "٣", "-1", "99999999999"):
        answer = client.post(BASE + path, data={"locale": "vi", "html": html, "background": odd,
                                                "signatures": [odd]})
        assert answer.status_code in (200, 422), (odd, answer.status_code)


# --- entries on another day, a workshop nobody entered, finding them (walk 17) ------------------


def test_only_entries_on_the_sessions_day_count(db, workshop):
    """A door tested the day before (a scan is recorded, api.md) gives no certificate of the workshop."""
    event, session, khoa = workshop["event"], workshop["session"], workshop["khoa"]
    evening_before = datetime(2026, 12, 13, 23, 30, tzinfo=HCMC)
    checkin.check_in_session(event, session, khoa.ticket_code, now=evening_before)
    names = {h.full_name for h in holders_for(event, "participation", session_id=session.id)}
    assert names == {HA, DUNG}  # not Khoa: 23:30 the evening before, in the event's zone
    assert dict((s.title, n) for s, n in session_counts(event))[WORKSHOP] == 2
    # Scanned again on the day, the test entry becomes the real one.
    checkin.check_in_session(event, session, khoa.ticket_code, now=MORNING)
    assert {h.full_name for h in holders_for(event, "participation", session_id=session.id)} == {HA, DUNG,
                                                                                          "Bùi Văn Khoa"}
    assert dict((s.title, n) for s, n in session_counts(event))[WORKSHOP] == 3


def test_a_workshop_nobody_entered_is_refused_on_the_api_and_the_page(client, db, workshop, organizer):
    empty = make_session(workshop["event"], title="Hội thảo vắng", speakers=[])
    response = _issue(client, token_headers(organizer), {"kind": "participation", "session_id": empty.id})
    assert_field_errors(response, "session_id")
    assert response.get_json()["error"]["fields"]["session_id"] == ["Chưa ai được quét vé vào hội thảo này."]
    login(client, organizer)
    client.get("/?lang=vi")
    response = client.post(BASE + "/issue", data={"kind": "participation", "session_id": str(empty.id)})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Chưa ai được quét vé vào hội thảo này" in html
    assert _job_count(db) == 0


def test_the_workshop_menu_starts_on_one_with_people_and_greys_out_empty_ones(client, workshop, organizer):
    early = make_session(workshop["event"], title="Hội thảo sớm vắng", speakers=[],
                         starts_at=datetime(2026, 12, 14, 7, 0, tzinfo=HCMC),
                         ends_at=datetime(2026, 12, 14, 8, 0, tzinfo=HCMC))
    login(client, organizer)
    html = client.get(BASE).get_data(as_text=True)
    menu = html[html.index('name="session_id"'):]
    menu = menu[:menu.index("</select>")]
    assert f'<option disabled value="{early.id}">' in menu and "(chưa ai được quét vé vào)" in menu
    assert f'<option selected value="{workshop["session"].id}">' in menu and menu.count("selected") == 1
    # First in time, yet not chosen: nobody came.
    assert menu.index(f'"{early.id}"') < menu.index(f'"{workshop["session"].id}"')


def test_the_list_filters_by_workshop_and_the_audit_names_it(client, db, workshop, organizer):
    run_job(db, workshop["event"], organizer, "participation", session_id=workshop["session"].id)
    run_job(db, workshop["event"], organizer, "participation", session_id=workshop["other_session"].id)
    login(client, organizer)
    client.get("/?lang=vi")
    html = client.get(f"{BASE}?session={workshop['other_session'].id}").get_data(as_text=True)
    rows = re.findall(r"<tr>\s*<td class=\"font-monospace.*?</tr>", html, re.S)
    assert len(rows) == 1 and TRUC in rows[0] and HA not in html.split("<tbody>")[1]
    html = client.get(f"{BASE}?session={workshop['session'].id}").get_data(as_text=True)
    assert len(re.findall(r'<td class="font-monospace', html)) == 2
    assert len(re.findall(r'<td class="font-monospace', client.get(BASE).get_data(as_text=True))) == 3
    assert client.get(f"{BASE}?session=abc").status_code == 200  # not a filter: all of them
    entries = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "certificates.issued")
                                 .order_by(AuditEntry.id)).all()
    with client.application.test_request_context("/?lang=vi"), force_locale("vi"):
        lines = describe_page(entries, event=workshop["event"])
    sentences = [line.sentence for line in lines]
    assert any(f"cấp giấy chứng nhận tham dự hội thảo “{WORKSHOP}”" in s for s in sentences), sentences
    assert tuple(c.new for line in lines for c in line.changes if c.new in ("1", "2")) == ("2", "1")
