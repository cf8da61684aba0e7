"""Who gets which certificate, the issuing job (PDFs per person and to print), serials kept."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from eventhub import storage
from eventhub.certificates import services
from eventhub.certificates.holders import holders_for
from eventhub.certificates.labels import KIND_TITLES
from eventhub.certificates.models import CertificateStatus
from eventhub.contests.recipients import award_label
from eventhub.errors import ValidationError
from tests.support.pdf import page_image, pdf_images, pdf_text

from .helpers import TRUC, certificates, run_job


def vi(text) -> str:
    """A label as Vietnamese readers get it (the catalogs may not have it yet: then as written)."""
    with force_locale("vi"):
        return str(text)


def prize(level: str) -> str:
    with force_locale("vi"):
        return award_label(level)


def test_participation_goes_to_the_checked_in_only(day):
    names = [h.full_name for h in holders_for(day["event"], "participation")]
    assert names == ["Lê Văn Dũng", "Lê Văn Tám", TRUC]  # given-name order: Dũng, Tám, Trúc


def test_speakers_are_matched_to_registrations_by_name_without_titles(day):
    found = {h.full_name: h for h in holders_for(day["event"], "speaker")}
    assert set(found) == {"TS. Lê Văn Tám", "ThS. Đỗ Thị Hoa"}
    assert found["TS. Lê Văn Tám"].registration_id == day["tam"].id
    assert found["TS. Lê Văn Tám"].email == "tam@example.vn"
    assert found["ThS. Đỗ Thị Hoa"].email == "" and found["ThS. Đỗ Thị Hoa"].holder_key == "name:do thi hoa"
    assert found["TS. Lê Văn Tám"].details["sessions"] == ["Hội thảo Đô thị thông minh"]


def test_award_and_judge_come_from_the_published_contests(day, contest):
    awards = holders_for(day["event"], "award")
    assert sorted(h.full_name for h in awards) == ["Hồ Ngọc Hà", TRUC]  # not withdrawn, not unpublished
    truc = next(h for h in awards if h.full_name == TRUC)
    assert truc.registration_id == day["truc"].id  # linked to her registration by e-mail
    assert truc.details["award_level"] == "first" and truc.details["entry"].startswith("Tưới tiêu")
    judges = holders_for(day["event"], "judge")
    assert [(h.full_name, h.details["contests"]) for h in judges] == [
        ("Trần Quốc Bảo", ["Cuộc thi Khởi nghiệp Sáng tạo", "Thử thách AI"])
    ]


def test_registration_ids_choose_people_and_refuse_strangers(day, contest):
    assert [h.full_name for h in holders_for(day["event"], "participation", [day["absent"].id])] == [
        "Phạm Minh Huy"
    ]
    assert [h.full_name for h in holders_for(day["event"], "award", [day["truc"].id])] == [TRUC]
    for bad in ([day["gone"].id], [999_999]):
        with pytest.raises(ValidationError) as refused:
            holders_for(day["event"], "participation", bad)
        assert "registration_ids" in refused.value.fields


def test_the_job_keeps_a_pdf_per_person_and_a_print_file(db, day, organizer, tmp_path):
    job = run_job(db, day["event"], organizer, "participation")
    assert (job.total, job.done) == (3, 3)
    assert job.result_filename == "certificates-startup-day-participation.pdf"
    printed = pdf_text(storage.get(job.result_key))
    issued = certificates(db, day["event"])
    assert len(printed) == 3 and len(issued) == 3
    for cert in issued:
        assert "/batches/" in cert.file_key  # kept as a page of its batch until first downloaded
        single = services.certificate_pdf(cert)
        assert cert.file_key == f"certificates/{cert.event_id}/{cert.serial}.pdf"  # now a file of its own
        assert services.certificate_pdf(cert) == single
        (text,) = pdf_text(single)
        assert cert.serial in text and cert.holder_name in text
        assert f"/verify/{cert.serial}" in text
        assert "GIẤY CHỨNG NHẬN" in text and "Ngày hội Khởi nghiệp Đổi mới Sáng tạo 2026" in text
        assert any(cert.serial in page and cert.holder_name in page for page in printed)
        assert len(pdf_images(single)) >= 2  # the background and the QR code
    truc = next(c for c in issued if c.holder_name == TRUC)
    assert truc.registration_id == day["truc"].id and truc.title == vi(KIND_TITLES["participation"])
    image = page_image(services.certificate_pdf(truc), tmp_path)
    assert image.size[0] > image.size[1]  # A4 landscape
    colours = image.getcolors(maxcolors=1_000_000)
    assert len(colours) > 20  # not a blank page: background, text, QR
    dark = sum(n for n, rgb in colours if sum(rgb) < 200)
    assert dark > 0.01 * image.size[0] * image.size[1]


def test_issuing_again_keeps_the_serials(db, day, organizer):
    run_job(db, day["event"], organizer, "participation")
    first = {c.holder_key: c.serial for c in certificates(db, day["event"])}
    run_job(db, day["event"], organizer, "participation")
    again = {c.holder_key: c.serial for c in certificates(db, day["event"])}
    assert first == again and len(again) == 3


def test_award_certificates_name_prize_contest_and_entry(db, day, contest, organizer):
    run_job(db, day["event"], organizer, "award")
    issued = certificates(db, day["event"], "award")
    assert len(issued) == 2
    truc = next(c for c in issued if c.holder_name == TRUC)
    assert truc.title == f"{prize('first')} – Cuộc thi Khởi nghiệp Sáng tạo"
    (text,) = pdf_text(services.certificate_pdf(truc))
    assert prize("first") in text and "Tưới tiêu thông minh cho nông dân miền Tây" in text
    ha = next(c for c in issued if c.holder_name != TRUC)
    assert ha.registration_id is None and ha.holder_email == "ha@example.vn"


def test_judges_and_speakers_get_theirs(db, day, contest, organizer):
    run_job(db, day["event"], organizer, "judge")
    run_job(db, day["event"], organizer, "speaker")
    judges = certificates(db, day["event"], "judge")
    assert [c.holder_name for c in judges] == ["Trần Quốc Bảo"]
    (text,) = pdf_text(services.certificate_pdf(judges[0]))
    assert "Ban Giám khảo" in text
    speakers = certificates(db, day["event"], "speaker")
    assert sorted(c.holder_name for c in speakers) == ["TS. Lê Văn Tám", "ThS. Đỗ Thị Hoa"]


def test_an_award_for_two_entries_gives_two_certificates(db, day, contest, organizer):
    from eventhub.contests.models import AwardLevel, Entry, EntryMember

    second = Entry(contest_id=contest["published"].id, title="Dự án thứ hai", award_level=AwardLevel.third)
    db.session.add(second)
    db.session.flush()
    db.session.add(
        EntryMember(
            entry_id=second.id, full_name=TRUC, email="truc@example.vn", email_normalized="truc@example.vn"
        )
    )
    db.session.commit()
    run_job(db, day["event"], organizer, "award")
    mine = [c for c in certificates(db, day["event"], "award") if c.holder_name == TRUC]
    assert sorted(c.title.split(" – ")[0] for c in mine) == sorted([prize("third"), prize("first")])
    assert len({c.serial for c in mine}) == 2


def test_revoked_certificates_stay_revoked_and_are_not_printed_again(db, day, organizer):
    run_job(db, day["event"], organizer, "participation")
    cert = certificates(db, day["event"])[0]
    services.revoke(cert, "Cấp nhầm người", actor=organizer)
    again = services.revoke(cert, "Lý do khác", actor=organizer)  # harmless
    assert again.status == CertificateStatus.revoked and again.revoke_reason == "Cấp nhầm người"
    job = run_job(db, day["event"], organizer, "participation")
    assert (job.total, job.done) == (3, 3)
    assert len(pdf_text(storage.get(job.result_key))) == 2
    with pytest.raises(ValidationError):
        services.revoke(certificates(db, day["event"])[1], "   ", actor=organizer)


def test_a_job_with_nobody_is_done_without_a_file(db, organizer):
    from tests.factories import open_event

    event = open_event()
    job = run_job(db, event, organizer, "participation")
    assert (job.total, job.result_key) == (0, None)


def test_two_processes_print_the_same_certificates_in_order(app, db, day, organizer, monkeypatch):
    from eventhub.certificates import jobs as certificate_jobs

    monkeypatch.setattr(certificate_jobs, "MIN_CHUNK", 1)  # three chunks of one for two processes
    monkeypatch.setitem(app.config, "DOCUMENT_PROCESSES", 2)
    job = run_job(db, day["event"], organizer, "participation")
    pages = pdf_text(storage.get(job.result_key))
    issued = certificates(db, day["event"])
    assert len(pages) == 3 and len({c.file_key.partition("#")[0] for c in issued}) == 3
    for cert in issued:
        page = int(cert.file_key.rpartition("#")[2])
        assert cert.serial in pdf_text(services.certificate_pdf(cert))[0]
        assert page == 0 and any(cert.serial in text for text in pages)


def test_chunks_leave_every_process_several():
    from eventhub.certificates.jobs import CHUNK_SIZE, chunk_size

    assert chunk_size(5000, 1) == CHUNK_SIZE
    assert chunk_size(5000, 2) == CHUNK_SIZE
    assert chunk_size(500, 2) == 63
    assert chunk_size(30, 2) == 20
