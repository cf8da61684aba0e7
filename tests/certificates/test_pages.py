"""Organizers' pages, the public verification page (vi, en), holders' pages, e-mail, Open Badges."""

from __future__ import annotations

import email
import email.policy
import re

import pytest

from eventhub.accounts.services import grant_event_role
from eventhub.certificates import services, templates
from eventhub.certificates.holders import holders_for
from eventhub.certificates.models import Certificate, CertificateAsset, CertificateTemplate
from eventhub.jobs.models import Job, JobState
from tests.factories import login, make_user
from tests.support.pdf import pdf_text, png_bytes

from .helpers import TRUC

BASE = "/events/startup-day/certificates"


@pytest.fixture
def issued(db, day):
    event = day["event"]
    services.ensure_certificates(event, "participation", holders_for(event, "participation"))
    return {c.holder_name: c for c in db.session.scalars(db.select(Certificate))}


@pytest.fixture
def signed_in(client, organizer):
    login(client, organizer)
    return client


def test_the_list_shows_who_qualifies_and_what_is_issued(signed_in, day, issued):
    page = signed_in.get(BASE)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert issued[TRUC].serial in html and TRUC in html
    assert signed_in.get(BASE + "?kind=award&page=999999999").status_code == 200


def test_issuing_from_the_page_goes_to_the_progress_bar(signed_in, db, day):
    response = signed_in.post(BASE + "/issue", data={"kind": "participation"})
    assert response.status_code == 302 and "/jobs/" in response.location
    job = db.session.scalars(db.select(Job)).one()
    assert job.state == JobState.done and job.total == 3
    progress = signed_in.get(response.location)
    assert progress.status_code == 200 and "job-progress.js" in progress.get_data(as_text=True)
    result = signed_in.get(f"/jobs/{job.id}/result")
    assert result.mimetype == "application/pdf" and len(pdf_text(result.data)) == 3
    assert signed_in.post(BASE + "/issue", data={"kind": "nope"}).status_code == 302
    assert db.session.scalar(db.select(db.func.count(Job.id))) == 1


@pytest.mark.parametrize("who", ["anonymous", "participant", "staff", "other_organizer"])
def test_only_organizers_of_the_event_may_use_the_pages(client, db, day, issued, who):
    from tests.factories import open_event

    if who != "anonymous":
        user = make_user("participant")
        if who == "staff":
            grant_event_role(user, day["event"], "staff")
        if who == "other_organizer":
            grant_event_role(user, open_event(), "organizer")
        login(client, user)
    serial = issued[TRUC].serial
    for method, url, data in (
        ("get", BASE, None),
        ("post", BASE + "/issue", {"kind": "award"}),
        ("post", BASE + "/mail", {}),
        ("get", BASE + "/templates/award", None),
        ("post", BASE + "/templates/award/preview", {"html": "x"}),
        ("get", f"{BASE}/{serial}.pdf", None),
        ("get", f"{BASE}/{serial}/revoke", None),
    ):
        response = getattr(client, method)(url, data=data)
        assert response.status_code in ((302, 401) if who == "anonymous" else (403,)), (
            url,
            response.status_code,
        )
    assert db.session.scalar(db.select(db.func.count(Job.id))) == 0


def test_the_editor_saves_previews_and_refuses_errors_with_their_line(signed_in, db, day):
    page = signed_in.get(BASE + "/templates/award")
    assert page.status_code == 200 and "certificate-editor.js" in page.get_data(as_text=True)
    assert signed_in.get(BASE + "/templates/diploma").status_code == 404
    good = {
        "locale": "vi",
        "html": '<h1>{{ holder_name }}</h1>\n<p>{{ award }} {{ serial }}</p><img src="{{ qr }}" alt="">',
        "css": "h1 { color: red } img { width: 30mm }",
    }
    preview = signed_in.post(BASE + "/templates/award/preview", data=good)
    assert preview.status_code == 200 and preview.mimetype == "application/pdf"
    assert preview.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "Nguyễn Thị Quý Trúc" in pdf_text(preview.data)[0]
    bad = {"locale": "vi", "html": "<h1>{{ holder_name }}</h1>\n<p>{{ award }</p>"}
    shown = signed_in.post(BASE + "/templates/award/preview", data=bad)
    assert shown.status_code == 422 and shown.mimetype == "text/html"
    assert re.search(r"\b2\b", shown.get_data(as_text=True))
    refused = signed_in.post(BASE + "/templates/award", data=bad)
    assert refused.status_code == 200 and "is-invalid" in refused.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(CertificateTemplate.id))) == 0
    unknown = signed_in.post(
        BASE + "/templates/award/preview", data={"locale": "vi", "html": "{{ giai_thuong }}"}
    )
    assert "giai_thuong" in unknown.get_data(as_text=True)
    saved = signed_in.post(BASE + "/templates/award", data=good)
    assert saved.status_code == 302
    assert templates.template_of(day["event"], "award").html == good["html"]
    assert signed_in.post(BASE + "/templates/award/reset").status_code == 302
    assert templates.template_of(day["event"], "award") is None


def test_uploading_images_checks_their_content(signed_in, db, day):
    from io import BytesIO

    ok = signed_in.post(
        BASE + "/assets",
        data={"file": (BytesIO(png_bytes()), "Chữ ký.png"), "kind": "signature", "kind_page": "award"},
        content_type="multipart/form-data",
    )
    assert ok.status_code == 302 and ok.location.endswith("/templates/award")
    asset = db.session.scalars(db.select(CertificateAsset)).one()
    assert signed_in.get(f"{BASE}/assets/{asset.id}").mimetype == "image/png"
    fake = signed_in.post(
        BASE + "/assets",
        data={"file": (BytesIO(b"<?php echo 1; ?>"), "anh.png"), "kind": "image"},
        content_type="multipart/form-data",
    )
    assert fake.status_code == 302
    assert db.session.scalar(db.select(db.func.count(CertificateAsset.id))) == 1
    assert signed_in.get(f"{BASE}/assets/999999").status_code == 404


def test_revoking_from_the_page(signed_in, day, issued):
    cert = issued[TRUC]
    url = f"{BASE}/{cert.serial}/revoke"
    assert signed_in.get(url).status_code == 200
    empty = signed_in.post(url, data={"reason": ""})
    assert empty.status_code == 200 and "is-invalid" in empty.get_data(as_text=True)
    assert signed_in.post(url, data={"reason": "Không tham dự thực tế"}).status_code == 302
    assert signed_in.post(url, data={"reason": "Lần nữa"}).status_code == 302
    assert services.get(cert.serial).revoke_reason == "Không tham dự thực tế"


@pytest.mark.parametrize("lang,valid_word", [("vi", None), ("en", "Valid certificate")])
def test_the_verification_page_in_both_languages(client, day, issued, lang, valid_word):
    cert = issued[TRUC]
    page = client.get(f"/verify/{cert.serial}?lang={lang}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and TRUC in html and day["event"].name in html and cert.serial in html
    assert 'name="viewport"' in html  # phone friendly: the base layout's viewport
    if valid_word:
        assert valid_word in html
    services.revoke(cert, "Sai thông tin")
    revoked = client.get(f"/verify/{cert.serial.lower()}?lang={lang}").get_data(as_text=True)
    assert "Sai thông tin" in revoked
    assert client.get("/verify/2222-2222-2222").status_code == 404
    assert client.get("/verify/" + "x" * 500).status_code == 404


def test_holders_find_theirs_on_the_manage_page(client, day, issued):
    token = day["truc_token"]
    page = client.get(f"/r/{token}").get_data(as_text=True)
    cert = issued[TRUC]
    assert cert.serial in page
    pdf = client.get(f"/r/{token}/certificates/{cert.serial}.pdf")
    assert pdf.status_code == 200 and cert.serial in pdf_text(pdf.data)[0]
    other = issued["Lê Văn Dũng"]
    assert client.get(f"/r/{token}/certificates/{other.serial}.pdf").status_code == 404
    assert client.get(f"/r/forged/certificates/{cert.serial}.pdf").status_code == 404


def test_the_links_are_e_mailed_once_as_a_job(signed_in, db, day, contest, issued, outbox):
    services.ensure_certificates(day["event"], "award", holders_for(day["event"], "award"))
    response = signed_in.post(BASE + "/mail", data={"kind": ""})
    assert response.status_code == 302
    files = sorted(outbox.glob("*.eml"))
    assert len(files) == 5  # three participants, two award winners
    messages = [email.message_from_bytes(f.read_bytes(), policy=email.policy.default) for f in files]
    to_truc = [m for m in messages if m["To"] == "truc@example.vn"]
    assert len(to_truc) == 2
    body = to_truc[0].get_content()
    assert "Nguyễn Thị Quý Trúc" in body and day["event"].name in body
    assert day["event"].name.replace(" ", "") in to_truc[0]["Subject"].replace(" ", "")
    link = re.search(r"http://localhost(/certificates/\S+/download\?t=\S+)", body).group(1)
    pdf = signed_in.get(link)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert signed_in.get(link[:-3] + "abc").status_code == 404
    signed_in.post(BASE + "/mail", data={"kind": ""})
    assert len(list(outbox.glob("*.eml"))) == 5  # not again
    signed_in.post(BASE + "/mail", data={"kind": "award", "again": "y"})
    assert len(list(outbox.glob("*.eml"))) == 7


def test_open_badges_documents(client, day, issued):
    cert = issued[TRUC]
    assertion = client.get(f"/ob/assertions/{cert.serial}.json")
    assert assertion.status_code == 200 and assertion.mimetype == "application/ld+json"
    body = assertion.get_json()
    assert body["type"] == "Assertion" and body["verification"] == {"type": "HostedBadge"}
    assert body["id"].endswith(f"/ob/assertions/{cert.serial}.json")
    assert body["recipient"]["hashed"] and body["recipient"]["identity"].startswith("sha256$")
    assert "truc@example.vn" not in assertion.get_data(as_text=True)
    from eventhub.certificates.openbadges import hashed_identity

    assert body["recipient"]["identity"] == hashed_identity("truc@example.vn", body["recipient"]["salt"])
    badge = client.get(body["badge"].removeprefix("http://localhost")).get_json()
    assert badge["type"] == "BadgeClass" and day["event"].name in badge["name"]
    issuer = client.get(badge["issuer"].removeprefix("http://localhost")).get_json()
    assert issuer["type"] == "Issuer" and issuer["id"] == badge["issuer"]
    services.revoke(cert, "Sai")
    gone = client.get(f"/ob/assertions/{cert.serial}.json")
    assert gone.status_code == 410 and gone.get_json()["revoked"] is True
    assert client.get("/ob/assertions/2222-2222-2222.json").status_code == 404
    assert client.get("/ob/events/startup-day/diploma.json").status_code == 404


def test_the_whole_day_after(signed_in, db, day, contest):
    """Edit and preview a template, issue for the checked-in and the winners, download the print file,
    then open the verification page whose link the certificate prints under its QR code."""
    html = (
        '<img class="bg" src="{{ background }}" alt=""><h1>{{ holder_name }}</h1><p>{{ title }}</p>'
        '<img class="qr" src="{{ qr }}" alt=""><p>{{ serial }} {{ verify_url }}</p>'
    )
    css = ".bg { position: absolute; width: 297mm; height: 210mm } h1 { font-size: 30pt } .qr { width: 30mm }"
    data = {"locale": "vi", "html": html, "css": css}
    assert signed_in.post(BASE + "/templates/participation/preview", data=data).mimetype == "application/pdf"
    assert signed_in.post(BASE + "/templates/participation", data=data).status_code == 302
    prints = []
    for kind in ("participation", "award"):
        progress = signed_in.post(BASE + "/issue", data={"kind": kind}).location
        status = signed_in.get(progress.replace("/jobs/", "/jobs/", 1) + "/status.json").get_json()
        assert status["state"] == "done" and status["done"] == status["total"]
        prints.append(pdf_text(signed_in.get(status["result_url"]).data))
    assert len(prints[0]) == 3 and len(prints[1]) == 2
    link = re.search(r"http://localhost(/verify/[A-Z0-9-]{14})", prints[0][0]).group(1)
    signed_in.post("/logout")
    page = signed_in.get(link)
    assert page.status_code == 200 and link.rsplit("/", 1)[1] in page.get_data(as_text=True)
