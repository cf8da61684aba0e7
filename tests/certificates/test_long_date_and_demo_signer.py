"""Certificates and the summary report date themselves as official documents do ("TP. Hồ Chí Minh, ngày
03 tháng 02 năm 2026"), and the demo's events name who signs for the organizers – a deputy director of
the department – on every kind of certificate and on the report."""

from __future__ import annotations

from datetime import UTC, datetime

from eventhub.certificates import services, templates
from eventhub.certificates.holders import holders_for
from eventhub.certificates.models import Certificate, CertificateKind, CertificateTemplate
from eventhub.demo.certificates import SIGNER_NAME, SIGNER_TITLE, load_certificates
from eventhub.events.models import Event
from eventhub.reports import services as reports
from eventhub.reports.pdf import render_report_pdf
from tests.support.pdf import pdf_text

ISSUED = datetime(2026, 2, 2, 18, 0, tzinfo=UTC)  # 01:00 on 3 February in Ho Chi Minh City


def _issued_pdf(db, event, kind="participation") -> str:
    services.ensure_certificates(event, kind, holders_for(event, kind), now=ISSUED)
    cert = db.session.scalars(db.select(Certificate).filter_by(event_id=event.id, kind=kind)).first()
    return " ".join(pdf_text(services.certificate_pdf(cert)))


def test_the_default_certificate_writes_its_date_out_in_vietnamese(db, day):
    text = _issued_pdf(db, day["event"])
    assert "TP. Hồ Chí Minh, ngày 03 tháng 02 năm 2026" in text
    assert "03/02/2026" not in text


def test_the_english_default_certificate_writes_its_date_out_in_english(db, day):
    event = day["event"]
    templates.save_template(event, "participation", templates.default_draft("participation", "en"))
    text = _issued_pdf(db, event)
    assert "Ho Chi Minh City, 3 February 2026" in text


def test_a_custom_template_may_print_the_long_date(db, day):
    event = day["event"]
    templates.save_template(event, "participation", templates.Draft(
        html='<p>Hà Nội, {{ long_date }}</p><p>{{ serial }}</p><img src="{{ qr }}" alt="">'))
    assert "Hà Nội, ngày 03 tháng 02 năm 2026" in _issued_pdf(db, event)


def test_every_demo_event_names_its_signer_on_every_kind(db, demo):
    events = db.session.scalars(db.select(Event)).all()
    assert events
    for event in events:
        assert templates.signer_of(event) == (SIGNER_NAME, SIGNER_TITLE)
        for kind in CertificateKind:
            saved = templates.template_of(event, kind.value)
            assert (saved.signer_name, saved.signer_title) == (SIGNER_NAME, SIGNER_TITLE)
    assert demo.added_by_second_run[CertificateTemplate.__tablename__] == 0


def test_a_demo_certificate_shows_the_signer_and_its_date_in_words(db, demo):
    for kind in (CertificateKind.participation, CertificateKind.award):
        cert = db.session.scalars(db.select(Certificate).filter_by(kind=kind)
                                  .order_by(Certificate.id)).first()
        text = " ".join(pdf_text(services.certificate_pdf(cert)))
        day = cert.issued_at.astimezone(cert.event.tz).date()
        assert day.month >= 3  # the 2020 series is in November and December: the month has no leading zero
        assert f"TP. Hồ Chí Minh, ngày {day.day:02d} tháng {day.month} năm {day.year}" in text
        assert "BAN TỔ CHỨC" in text and SIGNER_TITLE in text and SIGNER_NAME in text


def test_the_demo_reports_are_signed_and_dated_in_words(db, demo):
    event = db.session.scalars(db.select(Event).order_by(Event.starts_at)).first()
    now = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)
    year = event.starts_at.year
    for report in (reports.event_report(event, now=now), reports.series_report(year, now=now)):
        text = " ".join(pdf_text(render_report_pdf(report, "vi")))
        assert "Thành phố Hồ Chí Minh, ngày 07 tháng 12 năm 2026" in text
        assert SIGNER_TITLE.upper() in text and SIGNER_NAME in text
    english = " ".join(pdf_text(render_report_pdf(reports.event_report(event, now=now), "en")))
    assert "Ho Chi Minh City, 7 December 2026" in english


def test_running_the_demo_again_keeps_a_signer_the_organizer_chose(db, demo):
    event = db.session.scalars(db.select(Event)).first()
    assert templates.set_signer(event, "Trần Thị Bích Ngọc", "Trưởng Ban Tổ chức") == len(CertificateKind)
    assert templates.set_signer(event, "Trần Thị Bích Ngọc", "Trưởng Ban Tổ chức") == 0
    load_certificates(None)
    assert templates.signer_of(event) == ("Trần Thị Bích Ngọc", "Trưởng Ban Tổ chức")
