"""Uploads are judged by their content, never by their name or declared type: a script or a web page
dressed up as a PDF, PNG or JPEG is refused and nothing is stored."""

from __future__ import annotations

import io

import pytest

from tests.factories import token_headers
from tests.support.pdf import png_bytes
from tests.support.world import build_world, sign_in

DISGUISED = [
    ("deck.pdf", "application/pdf", b"<html><script>alert(1)</script></html>"),
    ("deck.pdf", "application/pdf", b"%PDF-1.4 but then nothing that makes a document"),
    ("logo.png", "image/png", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
    ("photo.jpg", "image/jpeg", b"GIF89a<script>alert(1)</script>"),
    ("empty.pdf", "application/pdf", b""),
]


@pytest.fixture
def world(db):
    return build_world()


def _pdf() -> bytes:
    from pypdf import PdfWriter

    writer, buffer = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=200, height=200)
    writer.write(buffer)
    return buffer.getvalue()


def _png() -> bytes:
    return png_bytes()


def test_the_real_thing_is_accepted(app, world):
    """The controls: a real PDF deck, PNG image and PNG logo go through the same requests."""
    from eventhub.booths.models import Exhibitor
    from eventhub.certificates.models import CertificateAsset
    from eventhub.contests.models import Entry
    from eventhub.extensions import db
    from tests.factories import make_user

    entry = world.extra["entry"]
    client = app.test_client()
    response = client.post(f"/api/v1/entries/{entry.id}/files", content_type="multipart/form-data",
                           headers=token_headers(world.users["global_organizer"]),
                           data={"file": (io.BytesIO(_pdf()), "deck.pdf", "application/pdf")})
    assert response.status_code == 200, response.get_data(as_text=True)
    before = db.session.scalar(db.select(db.func.count()).select_from(CertificateAsset))
    sign_in(client, world.users["organizer"])
    client.post(f"/events/{world.event.slug}/certificates/assets", content_type="multipart/form-data",
                data={"file": (io.BytesIO(_png()), "con-dau.png", "image/png"), "kind": "image"})
    founder = make_user("participant", email="logo@startup.vn")
    client = app.test_client()
    sign_in(client, founder)
    client.post(f"/events/{world.event.slug}/booth-application", content_type="multipart/form-data",
                data={"organization": "Công ty Logo", "sector": "ai", "size": "standard",
                      "logo": (io.BytesIO(_png()), "logo.png", "image/png")})
    db.session.expire_all()
    assert db.session.get(Entry, entry.id).deck_key
    assert db.session.scalar(db.select(db.func.count()).select_from(CertificateAsset)) == before + 1
    mine = db.session.scalar(db.select(Exhibitor).where(Exhibitor.user_id == founder.id))
    assert mine is not None and mine.logo_key


@pytest.mark.parametrize(("filename", "mimetype", "content"), DISGUISED)
def test_contest_decks_are_checked_by_content(app, world, filename, mimetype, content):
    from eventhub.contests.models import Entry

    entry = world.extra["entry"]
    client = app.test_client()
    headers = token_headers(world.users["global_organizer"])
    response = client.post(f"/api/v1/entries/{entry.id}/files", headers=headers,
                           data={"file": (io.BytesIO(content), filename, mimetype)},
                           content_type="multipart/form-data")
    assert response.status_code in (400, 413, 415, 422), response.get_data(as_text=True)
    from eventhub.extensions import db

    db.session.expire_all()
    assert db.session.get(Entry, entry.id).deck_key is None


@pytest.mark.parametrize(("filename", "mimetype", "content"), DISGUISED)
def test_certificate_images_are_checked_by_content(app, world, filename, mimetype, content):
    from eventhub.certificates.models import CertificateAsset
    from eventhub.extensions import db

    before = db.session.scalar(db.select(db.func.count()).select_from(CertificateAsset))
    client = app.test_client()
    sign_in(client, world.users["organizer"])
    client.post(f"/events/{world.event.slug}/certificates/assets", content_type="multipart/form-data",
                data={"file": (io.BytesIO(content), filename, mimetype), "kind": "image"})
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count()).select_from(CertificateAsset)) == before


@pytest.mark.parametrize(("filename", "mimetype", "content"), DISGUISED)
def test_booth_logos_are_checked_by_content(app, world, filename, mimetype, content):
    from eventhub.booths.models import Exhibitor
    from eventhub.extensions import db
    from tests.factories import make_user

    founder = make_user("participant", email="logo@startup.vn")
    client = app.test_client()
    sign_in(client, founder)
    client.post(f"/events/{world.event.slug}/booth-application", content_type="multipart/form-data",
                data={"organization": "Công ty Logo", "sector": "ai", "size": "standard",
                      "logo": (io.BytesIO(content), filename, mimetype)})
    db.session.expire_all()
    mine = db.session.scalar(db.select(Exhibitor).where(Exhibitor.user_id == founder.id))
    assert mine is None or mine.logo_key is None
