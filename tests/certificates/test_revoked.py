"""13.7: a revoked certificate no longer downloads clean, through any door – the holder's e-mailed link,
their manage page, the organizers' page, the API – but with "ĐÃ THU HỒI / REVOKED" across every page;
the verification page and the API keep saying revoked."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from eventhub import storage
from eventhub.certificates import services
from eventhub.certificates.holders import holders_for
from eventhub.certificates.models import Certificate
from tests.factories import login, token_headers
from tests.support.pdf import page_image, pdf_text

from .helpers import TRUC

STAMP = "ĐÃ THU HỒI / REVOKED"
REVOKED_AT = datetime(2026, 12, 20, 18, 0, tzinfo=UTC)  # 21/12/2026 01:00 in Ho Chi Minh City


@pytest.fixture
def cert(db, day):
    event = day["event"]
    services.ensure_certificates(event, "participation", holders_for(event, "participation"))
    return db.session.scalars(db.select(Certificate).filter_by(holder_name=TRUC)).one()


def _doors(client, day, cert, organizer):
    """Every way the PDF is handed out: (name, response)."""
    token = services.download_token(cert)
    yield "e-mailed link", client.get(f"/certificates/{cert.serial}/download?t={token}")
    yield "manage page", client.get(f"/r/{day['truc_token']}/certificates/{cert.serial}.pdf")
    yield "API, manage token", client.get(f"/api/v1/certificates/{cert.serial}.pdf",
                                          headers={"X-Manage-Token": day["truc_token"]})
    yield "API, organizer", client.get(f"/api/v1/certificates/{cert.serial}.pdf",
                                       headers=token_headers(organizer))
    login(client, organizer)
    yield "organizer page", client.get(f"/events/startup-day/certificates/{cert.serial}.pdf")
    client.post("/logout")


def test_before_revocation_every_door_gives_the_clean_certificate(client, day, cert, organizer):
    for door, response in _doors(client, day, cert, organizer):
        assert response.status_code == 200 and response.mimetype == "application/pdf", door
        [text] = pdf_text(response.data)
        assert TRUC in text and STAMP not in text, door


def test_after_revocation_every_door_gives_it_stamped(client, db, day, cert, organizer):
    clean = services.certificate_pdf(cert)
    services.revoke(cert, "Không tham dự", now=REVOKED_AT)
    for door, response in _doors(client, day, cert, organizer):
        # Before the fix: 200 with the clean PDF, indistinguishable from a valid certificate.
        assert response.status_code == 200 and response.mimetype == "application/pdf", door
        assert f"certificate-{cert.serial}-revoked.pdf" in response.headers["Content-Disposition"], door
        pages = pdf_text(response.data)
        assert len(pages) == len(PdfReader(io.BytesIO(clean)).pages), door
        for text in pages:
            assert STAMP in text, door
            assert "21/12/2026" in text and f"/verify/{cert.serial}" in text, door
            assert TRUC in text and cert.serial in text, door  # still a readable record of what was revoked
    # The stored file stays the certificate as issued; the stamp is laid over it at each download.
    assert STAMP not in pdf_text(storage.get(cert.file_key))[0]


def test_the_stamp_is_seen_on_the_page(client, day, cert, tmp_path):
    """Drawn in red across the page's middle (not just text hidden in the file)."""
    url = f"/certificates/{cert.serial}/download?t={services.download_token(cert)}"

    def red_rows(pdf: bytes) -> int:
        image = page_image(pdf, tmp_path, dpi=40)
        width, height = image.size
        rows = 0
        for y in range(height):
            reds = sum(1 for x in range(width) if (lambda p: p[0] > 150 and p[1] < 80 and p[2] < 80)(
                image.getpixel((x, y))))
            rows += reds > width * 0.5  # a red rule across most of the width
        return rows

    assert red_rows(client.get(url).data) == 0
    services.revoke(cert, "Không tham dự")
    assert red_rows(client.get(url).data) >= 2  # the band's top and bottom rules


def test_the_verification_page_and_the_api_keep_saying_revoked(client, day, cert):
    services.revoke(cert, "Không tham dự", now=REVOKED_AT)
    client.get(f"/certificates/{cert.serial}/download?t={services.download_token(cert)}")  # downloading…
    for lang, word in (("vi", "Giấy chứng nhận đã bị thu hồi"), ("en", "Revoked certificate")):
        page = client.get(f"/verify/{cert.serial}?lang={lang}")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert word in html and "Không tham dự" in html and "21/12/2026" in html
    body = client.get(f"/api/v1/certificates/{cert.serial}").get_json()
    assert body["status"] == "revoked"


def test_an_erased_holder_is_not_named_by_the_kept_pdf(client, db, day, cert, organizer):
    """Erasure revokes the certificate and blanks its holder's name; the PDF kept in the file storage
    (since the first download) was printed with that name, and a stamp laid over it still showed it."""
    from eventhub.accounts.services import erase_user
    from tests.factories import PASSWORD, make_user

    person = make_user("participant", email="truc@example.vn", full_name=TRUC)
    cert.user_id = person.id
    db.session.commit()
    kept = services.certificate_pdf(cert)  # downloaded once: the file is kept, with the name
    assert TRUC in pdf_text(kept)[0]

    erase_user(person, PASSWORD)

    login(client, organizer)
    response = client.get(f"/events/startup-day/certificates/{cert.serial}.pdf")
    assert response.status_code == 200
    pages = pdf_text(response.data)
    assert all(STAMP in text for text in pages)
    assert not any(TRUC in text for text in pages)  # before the fix: the kept PDF, stamped, named her
    assert cert.file_key is None or TRUC not in pdf_text(storage.get(cert.file_key))[0]


def _pages_of_two_sizes(count: int) -> bytes:
    """A real PDF of `count` pages, landscape and portrait A4 in turn, each page naming its number."""
    from eventhub.printing import render_pdf

    pages = "".join(f'<div class="{"tall" if n % 2 else "wide"}">Trang số {n} – {TRUC}</div>'
                    for n in range(count))
    return render_pdf("<style>@page { size: A4 landscape } @page tall { size: A4 } .tall { page: tall }"
                      f" div {{ break-after: page }} div:last-child {{ break-after: auto }}</style>{pages}")


def test_every_page_of_a_document_with_two_page_sizes_is_stamped_and_each_size_costs_once(db, cert):
    from eventhub.certificates.revoked import stamp

    services.revoke(cert, "Không tham dự", now=REVOKED_AT)
    verify_url = f"https://eventhub.example/verify/{cert.serial}"
    short, long = _pages_of_two_sizes(2), _pages_of_two_sizes(30)
    stamped = PdfReader(io.BytesIO(stamp(long, cert, verify_url)))
    source = PdfReader(io.BytesIO(long))
    assert len(stamped.pages) == 30
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in source.pages} \
        == {(842, 595), (595, 842)}
    for n, (page, original) in enumerate(zip(stamped.pages, source.pages, strict=True)):
        text = " ".join((page.extract_text() or "").split())
        assert STAMP in text and "21/12/2026" in text and cert.serial in text, n
        assert f"Trang số {n} – {TRUC}" in text, n  # the page's own content is still there
        assert list(page.mediabox) == list(original.mediabox), n
    # The overlay (its fonts and drawing) is copied into the file once per page size, not once per page:
    # 28 pages more cost their text and the stamp's compressed drawing, ~1.1 KiB a page (measured 30 KiB
    # in all). Before: a copy of the overlay for every page, ~10.5 KiB a page (294 KiB).
    growth = len(stamp(long, cert, verify_url)) - len(stamp(short, cert, verify_url))
    assert growth < 28 * 2 * 1024, growth
