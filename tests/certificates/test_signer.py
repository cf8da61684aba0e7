"""Who signs for the organizers: a template's signer name and title, printed under "BAN TỔ CHỨC"."""

from __future__ import annotations

import io

import pdfplumber
import pytest

from eventhub.certificates import services, templates
from eventhub.certificates.holders import holders_for
from eventhub.certificates.models import Certificate, CertificateTemplate
from eventhub.certificates.sandbox import PLACEHOLDERS
from eventhub.errors import ValidationError
from tests.factories import login
from tests.support.pdf import pdf_text

BASE = "/events/startup-day/certificates"
TITLE, NAME = "Trưởng Ban Tổ chức", "PGS. TS. Nguyễn Hoàng Dũng"


@pytest.fixture
def signed_in(client, organizer):
    login(client, organizer)
    return client


def lines_of(pdf: bytes) -> list[tuple[float, str]]:
    """The text lines of the first page, top to bottom, with their top (pt from the top)."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        lines = document.pages[0].extract_text_lines()
    return [(line["top"], line["text"].strip()) for line in lines]


def top_of(lines, text: str) -> float:
    (found,) = [top for top, line in lines if line == text]
    return found


def save_default(client, kind: str, locale: str = "vi", **fields):
    form = templates.default_draft(kind, locale)
    return client.post(f"{BASE}/templates/{kind}", data={"locale": locale, "html": form.html, "css": form.css,
                                                         **fields})


@pytest.mark.parametrize("kind", ["participation", "award", "judge", "speaker"])
def test_the_signer_is_printed_under_the_organizers_on_every_kind(signed_in, db, day, contest, kind):
    response = save_default(signed_in, kind, signer_title=f"  {TITLE} ", signer_name=NAME)
    assert response.status_code == 302
    saved = templates.template_of(day["event"], kind)
    assert (saved.signer_title, saved.signer_name) == (TITLE, NAME)  # trimmed
    event = day["event"]
    services.ensure_certificates(event, kind, holders_for(event, kind))
    cert = db.session.scalars(db.select(Certificate).filter_by(kind=kind)).first()
    lines = lines_of(services.certificate_pdf(cert))
    organizers, title, name = top_of(lines, "BAN TỔ CHỨC"), top_of(lines, TITLE), top_of(lines, NAME)
    assert organizers < title < name  # the title right under BAN TỔ CHỨC, the name below the signature
    assert name - title > 40  # room to sign between them (pt)
    page = signed_in.get(f"{BASE}/templates/{kind}").get_data(as_text=True)
    assert f'value="{TITLE}"' in page and f'value="{NAME}"' in page


def test_english_certificates_name_the_signer_too(signed_in, day):
    draft = templates.default_draft("participation", "en")
    draft.signer_name, draft.signer_title = "Dr. Tran Thi Mai", "Head of the Organizing Committee"
    result = templates.preview(day["event"], "participation", draft)
    assert result.problems == []
    lines = lines_of(result.pdf)
    assert top_of(lines, "THE ORGANIZERS") < top_of(lines, "Head of the Organizing Committee") < top_of(
        lines, "Dr. Tran Thi Mai")


def test_without_a_signer_the_certificate_keeps_a_blank_line_to_sign(day):
    result = templates.preview(day["event"], "participation", templates.default_draft("participation"))
    (text,) = pdf_text(result.pdf)
    assert "BAN TỔ CHỨC" in text and TITLE not in text and "None" not in text


@pytest.mark.parametrize("field, value, message", [
    ("signer_name", "Nguyễn " * 20 + "A", "120"),
    ("signer_title", "Trưởng ban\nPhó ban", "một dòng"),
])
def test_the_signer_fields_are_checked(signed_in, db, day, field, value, message):
    response = save_default(signed_in, "participation", **{field: value})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "is-invalid" in html and message in html
    assert db.session.scalar(db.select(db.func.count(CertificateTemplate.id))) == 0


def test_the_service_refuses_a_signer_too_long_even_without_the_form(day):
    draft = templates.default_draft("participation")
    draft.signer_title = "x" * 121
    with pytest.raises(ValidationError) as refused:
        templates.save_template(day["event"], "participation", draft)
    assert "signer_title" in refused.value.fields


def test_custom_templates_may_print_the_signer(signed_in, day):
    assert {"signer_name", "signer_title"} <= PLACEHOLDERS
    html = ('<p>{{ holder_name }} {{ serial }}</p><img src="{{ qr }}" alt="">'
            '<p>Ký thay: {{ signer_title|upper }} – {{ signer_name }}</p>')
    response = signed_in.post(f"{BASE}/templates/participation/preview",
                              data={"locale": "vi", "html": html, "signer_title": "Phó Giám đốc",
                                    "signer_name": "Lê Thị Hồng"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "Ký thay: PHÓ GIÁM ĐỐC – Lê Thị Hồng" in pdf_text(response.data)[0]
