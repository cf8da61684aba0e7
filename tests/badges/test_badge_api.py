"""GET /registrations/{id}/badge.pdf and POST /events/{slug}/badges (api.md, badges and jobs)."""

from __future__ import annotations

import pytest

from eventhub.accounts.services import grant_event_role
from eventhub.checkin.models import BadgePrint
from eventhub.jobs.models import Job, JobState
from eventhub.registration import services
from tests.factories import make_type, make_user, open_event, register, token_headers
from tests.support.api import assert_error, assert_field_errors
from tests.support.pdf import badge_texts, pdf_pages

from .helpers import NFC_NAME

MM = 72 / 25.4


def _badge_url(reg) -> str:
    return f"/api/v1/registrations/{reg.id}/badge.pdf"


def _assert_pdf(response, pages: int | None = 1) -> bytes:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    if pages is not None:
        assert len(pdf_pages(response.data)) == pages
    return response.data


# --- one badge -------------------------------------------------------------------------------------

def test_who_may_have_a_badge(client, event, visitor_type, confirmed, organizer, staff):
    reg, token = confirmed
    other_reg, other_token = register(event, visitor_type, notify=False)
    gate = make_user("participant")
    grant_event_role(gate, event, "staff")
    elsewhere = make_user("participant")
    grant_event_role(elsewhere, open_event(), "staff")  # gate staff of another event only
    url = _badge_url(reg)

    assert_error(client.get(url), 401, "not_authenticated")
    assert_error(client.get(url, headers=token_headers(make_user("participant"))), 403, "forbidden")
    assert_error(client.get(url, headers=token_headers(elsewhere)), 403, "forbidden")
    assert_error(client.get(url, headers={"X-Manage-Token": other_token}), 403, "forbidden")
    assert_error(client.get(url, headers={"X-Manage-Token": "garbage"}), 403, "forbidden")
    for headers in (token_headers(staff), token_headers(gate), token_headers(organizer),
                    {"X-Manage-Token": token}):
        pdf = _assert_pdf(client.get(url, headers=headers))
        assert NFC_NAME in badge_texts(pdf, "a6")[0]
    assert client.get(_badge_url(other_reg), headers={"X-Manage-Token": other_token}).status_code == 200


def test_a_badge_download_is_not_a_print_at_the_desk(client, confirmed, organizer, db):
    reg, _token = confirmed
    _assert_pdf(client.get(_badge_url(reg), headers=token_headers(organizer)))
    assert db.session.scalar(db.select(db.func.count(BadgePrint.id))) == 0


def test_layouts_of_one_badge(client, confirmed, organizer):
    reg, _token = confirmed
    headers = token_headers(organizer)
    a6 = pdf_pages(_assert_pdf(client.get(_badge_url(reg) + "?layout=a6", headers=headers)))[0]
    assert (a6["width"], a6["height"]) == pytest.approx((105 * MM, 148 * MM), abs=0.5)
    a4 = pdf_pages(_assert_pdf(client.get(_badge_url(reg) + "?layout=a4-4up", headers=headers)))[0]
    assert (a4["width"], a4["height"]) == pytest.approx((210 * MM, 297 * MM), abs=0.5)
    assert_field_errors(client.get(_badge_url(reg) + "?layout=a5", headers=headers), "layout")
    assert_error(client.get(_badge_url(reg) + "?layout=a5"), 401)  # who asks comes first


def test_no_ticket_no_badge(client, event, organizer):
    approval = make_type(event, code="vip", name="Khách mời", requires_approval=True)
    pending, token = register(event, approval, notify=False)
    assert pending.status.value == "pending_approval" and pending.ticket_code is None
    headers = token_headers(organizer)
    assert_error(client.get(_badge_url(pending), headers=headers), 409, "not_confirmed")
    assert_error(client.get(_badge_url(pending), headers={"X-Manage-Token": token}), 409, "not_confirmed")
    visitor = make_type(event, code="walk-in")
    cancelled, _token = register(event, visitor, notify=False)
    services.cancel_registration(cancelled, notify=False)
    assert cancelled.ticket_code  # a cancelled registration keeps its (now refused) code
    assert_error(client.get(_badge_url(cancelled), headers=headers), 409, "not_confirmed")


def test_unknown_registrations(client, organizer, staff):
    assert_error(client.get("/api/v1/registrations/999999/badge.pdf", headers=token_headers(organizer)),
                 404, "registration_not_found")
    assert_error(client.get("/api/v1/registrations/999999/badge.pdf", headers=token_headers(staff)), 403)
    assert_error(client.get("/api/v1/registrations/999999/badge.pdf"), 401)


# --- the bulk job ----------------------------------------------------------------------------------

def _start(client, slug, user, **body):
    return client.post(f"/api/v1/events/{slug}/badges", json=body, headers=token_headers(user))


def test_only_organizers_start_the_badge_job(client, event, confirmed, staff, db):
    url = f"/api/v1/events/{event.slug}/badges"
    assert_error(client.post(url, json={"layout": "a6"}), 401)
    assert_error(_start(client, event.slug, make_user("participant"), layout="a6"), 403)
    assert_error(_start(client, event.slug, staff, layout="a6"), 403)
    assert_error(_start(client, "no-such-event", make_user("organizer"), layout="a6"), 404)
    assert db.session.scalar(db.select(db.func.count(Job.id))) == 0


@pytest.mark.parametrize("layout, pages", [("a6", 5), ("a4-4up", 2)])
def test_the_badge_job_runs_to_a_pdf(client, event, visitor_type, investor_type, organizer, layout, pages):
    for i in range(3):
        register(event, visitor_type, full_name=f"Trần Văn Khách {i}", notify=False)
    for i in range(2):
        register(event, investor_type, full_name=f"Lê Thị Đầu Tư {i}", notify=False)
    response = _start(client, event.slug, organizer, layout=layout)
    assert response.status_code == 202
    body = response.get_json()
    assert set(body) == {"job_id"}
    headers = token_headers(organizer)
    status = client.get(f"/api/v1/jobs/{body['job_id']}", headers=headers).get_json()
    assert status == {"state": "done", "done": 5, "total": 5,
                      "result_url": f"/api/v1/jobs/{body['job_id']}/result"}
    result = client.get(status["result_url"], headers=headers)
    pdf = _assert_pdf(result, pages=pages)
    assert f"badges-{event.slug}-{layout}.pdf" in result.headers["Content-Disposition"]
    assert len(badge_texts(pdf, layout)) == 5
    stranger = token_headers(make_user("participant"))
    assert client.get(status["result_url"], headers=stranger).status_code == 403


def test_the_badge_job_filters_by_type(client, event, visitor_type, investor_type, organizer):
    register(event, visitor_type, full_name="Trần Văn Khách", notify=False)
    register(event, investor_type, full_name="Lê Thị Đầu Tư", notify=False)
    job_id = _start(client, event.slug, organizer, layout="a6", type="investor").get_json()["job_id"]
    status = client.get(f"/api/v1/jobs/{job_id}", headers=token_headers(organizer)).get_json()
    assert (status["state"], status["total"]) == ("done", 1)
    texts = badge_texts(client.get(status["result_url"], headers=token_headers(organizer)).data, "a6")
    assert len(texts) == 1 and "Lê Thị Đầu Tư" in texts[0] and "Nhà đầu tư" in texts[0]


def test_bad_input_to_the_badge_job(client, event, visitor_type, organizer, db):
    assert_field_errors(_start(client, event.slug, organizer, layout="a5"), "layout")
    assert_field_errors(_start(client, event.slug, organizer), "layout")
    assert_field_errors(_start(client, event.slug, organizer, layout="a6", status="checked_in"), "status")
    # An unknown type is refused rather than giving an empty PDF: a typo should not look like "nobody".
    assert_field_errors(_start(client, event.slug, organizer, layout="a6", type="vistor"), "type")
    assert db.session.scalar(db.select(db.func.count(Job.id))) == 0


def test_a_job_with_nothing_to_print_ends_done_without_a_file(client, event, visitor_type, organizer, db):
    register(event, visitor_type, notify=False)
    response = _start(client, event.slug, organizer, layout="a6", status="waitlisted")
    assert response.status_code == 202
    job = db.session.get(Job, response.get_json()["job_id"])
    assert (job.state, job.total, job.result_key) == (JobState.done, 0, None)
    status = client.get(f"/api/v1/jobs/{job.id}", headers=token_headers(organizer)).get_json()
    assert status == {"state": "done", "done": 0, "total": 0}
