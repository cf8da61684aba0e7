"""The certificates part of api.md: issue (a job), list, verify, PDF, revoke."""

from __future__ import annotations

import pytest

from eventhub.accounts.services import grant_event_role
from eventhub.certificates import services
from eventhub.certificates.holders import holders_for
from eventhub.certificates.models import Certificate
from tests.factories import make_user, token_headers
from tests.support.api import assert_error, assert_field_errors, parse_time
from tests.support.pdf import pdf_text

from .helpers import TRUC

ITEM_KEYS = {"serial", "registration_id", "kind", "holder_name", "status"}
PUBLIC_KEYS = {"serial", "holder_name", "event", "kind", "title", "issued_at", "status"}


@pytest.fixture
def headers(organizer):
    return token_headers(organizer)


@pytest.fixture
def issued(db, day):
    """The participation certificates of the day, issued directly."""
    event = day["event"]
    services.ensure_certificates(event, "participation", holders_for(event, "participation"))
    return {c.holder_name: c for c in db.session.scalars(db.select(Certificate))}


def _issue(client, slug, headers, body):
    return client.post(f"/api/v1/events/{slug}/certificates", json=body, headers=headers)


def test_issuing_answers_a_job_that_ends_with_the_print_file(client, day, contest, headers):
    response = _issue(client, "startup-day", headers, {"kind": "participation"})
    assert response.status_code == 202, response.get_json()
    job_id = response.get_json()["job_id"]
    assert isinstance(job_id, str) and set(response.get_json()) == {"job_id"}
    status = client.get(f"/api/v1/jobs/{job_id}", headers=headers).get_json()
    assert status["state"] == "done" and status["total"] == status["done"] == 3
    pdf = client.get(status["result_url"], headers=headers)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and len(pdf_text(pdf.data)) == 3
    award = _issue(client, "startup-day", headers, {"kind": "award"})
    assert client.get(f"/api/v1/jobs/{award.get_json()['job_id']}", headers=headers).get_json()["total"] == 2


def test_issuing_for_chosen_registrations(client, db, day, headers):
    response = _issue(
        client,
        "startup-day",
        headers,
        {"kind": "participation", "registration_ids": [day["absent"].id, day["absent"].id]},
    )
    assert response.status_code == 202
    assert [c.holder_name for c in db.session.scalars(db.select(Certificate))] == ["Phạm Minh Huy"]


@pytest.mark.parametrize(
    "body,field",
    [
        ({}, "kind"),
        ({"kind": "diploma"}, "kind"),
        ({"kind": 7}, "kind"),
        ({"kind": "participation\x00"}, "kind"),
        ({"kind": "participation", "registration_ids": "1"}, "registration_ids"),
        ({"kind": "participation", "registration_ids": ["1"]}, "registration_ids.0"),
        ({"kind": "participation", "registration_ids": [10**30]}, "registration_ids.0"),
        ({"kind": "participation", "registration_ids": [0]}, "registration_ids.0"),
        ({"kind": "participation", "registration_ids": [123456]}, "registration_ids"),
    ],
)
def test_bad_issue_requests_are_422(client, day, headers, body, field):
    assert_field_errors(_issue(client, "startup-day", headers, body), field)


def test_who_may_issue(client, day, organizer):
    assert_error(_issue(client, "startup-day", {}, {"kind": "participation"}), 401, "not_authenticated")
    assert_error(
        _issue(client, "startup-day", token_headers(make_user("participant")), {"kind": "award"}), 403
    )
    staff = make_user("participant")
    grant_event_role(staff, day["event"], "staff")
    assert_error(_issue(client, "startup-day", token_headers(staff), {"kind": "award"}), 403)
    partner = make_user("participant")
    grant_event_role(partner, day["event"], "organizer")
    assert _issue(client, "startup-day", token_headers(partner), {"kind": "speaker"}).status_code == 202
    assert_error(_issue(client, "no-such-event", token_headers(organizer), {"kind": "award"}), 404)
    bad_json = client.post(
        "/api/v1/events/startup-day/certificates",
        data="{",
        headers=token_headers(organizer),
        content_type="application/json",
    )
    assert_error(bad_json, 400)


def test_the_list_is_paged_in_the_shape_of_api_md(client, day, issued, headers):
    body = client.get("/api/v1/events/startup-day/certificates?per_page=2", headers=headers).get_json()
    assert (body["page"], body["per_page"], body["total"]) == (1, 2, 3)
    assert len(body["items"]) == 2 and all(set(item) >= ITEM_KEYS for item in body["items"])
    everyone = client.get(
        "/api/v1/events/startup-day/certificates?kind=participation", headers=headers
    ).get_json()
    truc = next(i for i in everyone["items"] if i["holder_name"] == TRUC)
    assert truc == {
        **truc,
        "serial": issued[TRUC].serial,
        "registration_id": day["truc"].id,
        "kind": "participation",
        "status": "valid",
    }
    assert (
        client.get("/api/v1/events/startup-day/certificates?status=revoked", headers=headers).get_json()[
            "total"
        ]
        == 0
    )
    assert_field_errors(client.get("/api/v1/events/startup-day/certificates?kind=x", headers=headers), "kind")
    assert_field_errors(
        client.get("/api/v1/events/startup-day/certificates?per_page=501", headers=headers), "per_page"
    )
    assert_error(client.get("/api/v1/events/startup-day/certificates"), 401)
    assert_error(
        client.get(
            "/api/v1/events/startup-day/certificates", headers=token_headers(make_user("participant"))
        ),
        403,
    )


def test_anyone_can_verify(client, day, issued):
    cert = issued[TRUC]
    body = client.get(f"/api/v1/certificates/{cert.serial}").get_json()
    assert set(body) >= PUBLIC_KEYS
    assert body["holder_name"] == TRUC and body["event"] == day["event"].name
    assert (body["kind"], body["status"], body["serial"]) == ("participation", "valid", cert.serial)
    assert parse_time(body["issued_at"])
    assert (
        client.get(f"/api/v1/certificates/{cert.serial.lower().replace('-', '')}").get_json()["serial"]
        == cert.serial
    )
    for unknown in ("2222-2222-2222", "nonsense", "0" * 300, "ÁÁÁÁ-2222-2222"):
        assert_error(client.get(f"/api/v1/certificates/{unknown}"), 404, "certificate_not_found")
    assert_error(client.get("/api/v1/certificates/%00"), 400)  # refused for every path


def test_the_pdf_for_organizers_and_the_holders_manage_token(client, day, issued, headers):
    cert = issued[TRUC]
    url = f"/api/v1/certificates/{cert.serial}.pdf"
    as_organizer = client.get(url, headers=headers)
    assert as_organizer.status_code == 200 and as_organizer.mimetype == "application/pdf"
    assert cert.serial in pdf_text(as_organizer.data)[0]
    as_holder = client.get(url, headers={"X-Manage-Token": day["truc_token"]})
    assert as_holder.status_code == 200 and as_holder.data == as_organizer.data  # kept, not rendered again
    other = issued["Lê Văn Dũng"]
    assert_error(
        client.get(f"/api/v1/certificates/{other.serial}.pdf", headers={"X-Manage-Token": day["truc_token"]}),
        403,
    )
    assert_error(client.get(url, headers={"X-Manage-Token": "forged"}), 403)
    assert_error(client.get(url), 401)
    assert_error(client.get(url, headers=token_headers(make_user("participant"))), 403)
    assert_error(client.get("/api/v1/certificates/2222-2222-2222.pdf", headers=headers), 404)


def test_revoking_answers_the_revoked_certificate_and_twice_is_harmless(client, day, issued, headers):
    cert = issued[TRUC]
    url = f"/api/v1/certificates/{cert.serial}/revoke"
    assert_error(client.post(url, json={"reason": "x"}), 401)
    assert_error(client.post(url, json={"reason": "x"}, headers=token_headers(make_user("participant"))), 403)
    assert_field_errors(client.post(url, json={}, headers=headers), "reason")
    assert_field_errors(client.post(url, json={"reason": "   "}, headers=headers), "reason")
    assert_field_errors(client.post(url, json={"reason": "x" * 501}, headers=headers), "reason")
    assert_field_errors(client.post(url, json={"reason": "a\x00b"}, headers=headers), "reason")
    first = client.post(url, json={"reason": "Cấp nhầm người nhận"}, headers=headers)
    assert first.status_code == 200 and first.get_json()["status"] == "revoked"
    again = client.post(url, json={"reason": "Lần hai"}, headers=headers)
    assert again.status_code == 200 and again.get_json()["status"] == "revoked"
    assert again.get_json()["revoke_reason"] == "Cấp nhầm người nhận"
    assert client.get(f"/api/v1/certificates/{cert.serial}").get_json()["status"] == "revoked"
    assert_error(
        client.post("/api/v1/certificates/2222-2222-2222/revoke", json={"reason": "x"}, headers=headers), 404
    )


@pytest.mark.parametrize(
    "body",
    [
        None,
        [],
        "x",
        5,
        {"kind": None},
        {"kind": ["award"]},
        {"kind": "award", "registration_ids": [None]},
        {"kind": "award", "registration_ids": {"a": 1}},
        {"kind": "award", "registration_ids": [1.5]},
        {"kind": "award", "registration_ids": list(range(1, 10_002))},
    ],
)
def test_no_body_gives_a_500(client, day, headers, body):
    response = client.post("/api/v1/events/startup-day/certificates", json=body, headers=headers)
    assert response.status_code in (202, 400, 422), response.get_data(as_text=True)[:300]
    if response.status_code != 202:
        assert_error(response)


def test_the_openapi_description_lists_the_endpoints(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in (
        "/api/v1/events/{slug}/certificates",
        "/api/v1/certificates/{serial}",
        "/api/v1/certificates/{serial}.pdf",
        "/api/v1/certificates/{serial}/revoke",
    ):
        assert path in paths
