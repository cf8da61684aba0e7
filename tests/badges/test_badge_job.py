"""The bulk badge job: who gets a badge, in Vietnamese given-name order, rendered in chunks, logged."""

from __future__ import annotations

import random

import pytest

from eventhub import jobs, storage
from eventhub.badges import services as badges
from eventhub.checkin.models import BadgePrint
from eventhub.jobs.models import Job, JobState
from eventhub.registration import services
from eventhub.vietnamese import sort_people
from tests.factories import login, make_type, open_event, register
from tests.support.pdf import badge_texts, pdf_pages

# By given name first, in the Vietnamese alphabet (a ă â … d đ …), then middle and family names.
IN_ORDER = [
    "Trần Văn An",
    "Nguyễn Thị Ánh",  # the same letters would tie An… but "anh" is longer than "an"
    "Lê Minh Ân",  # â comes after a: An, Anh < Ân
    "Phạm Ngọc Bình",
    "Hoàng Thu Dung",
    "Võ Văn Dũng",  # dung < dũng: the tone decides between equal letters
    "Đặng Hữu Đức",  # đ comes after d
    "Bùi Thị Hà",
    "Nguyễn Thị Quý Trúc",
]


def _run(db, event, organizer, **params) -> Job:
    """Runs the job (eagerly, as JOBS_EAGER does in tests) and returns it, read afresh."""
    job_id = jobs.start("badges", actor=organizer, event=event, event_id=event.id, **params).id
    db.session.expire_all()
    job = db.session.get(Job, job_id)
    assert job.state == JobState.done, job.error
    return job


@pytest.mark.parametrize("layout", badges.LAYOUTS)
def test_badges_come_in_given_name_order_across_chunks(db, event, visitor_type, investor_type, organizer,
                                                       monkeypatch, layout):
    monkeypatch.setattr(badges, "CHUNK_SIZE", 4)  # 9 badges: three documents appended into one
    documents = []
    render = badges.render_badges
    monkeypatch.setattr(badges, "render_badges", lambda data, layout: documents.append(len(data)) or
                        render(data, layout))
    shuffled = IN_ORDER[:]
    random.Random(4).shuffle(shuffled)
    for i, name in enumerate(shuffled):
        register(event, visitor_type if i % 2 else investor_type, full_name=name, notify=False)
    assert sort_people(shuffled) == IN_ORDER
    job = _run(db, event, organizer, layout=layout, type=None, status="confirmed")
    assert (job.total, job.done) == (9, 9)
    assert documents == [4, 4, 1]
    assert job.result_filename == f"badges-{event.slug}-{layout}.pdf"
    pdf = storage.get(job.result_key)
    assert len(pdf_pages(pdf)) == (9 if layout == "a6" else 3)  # whole sheets, even across chunks
    texts = badge_texts(pdf, layout)
    assert len(texts) == len(IN_ORDER)
    for name, text in zip(IN_ORDER, texts, strict=True):
        assert name in text


def test_only_confirmed_registrations_of_the_event_get_badges(db, event, visitor_type, organizer):
    register(event, visitor_type, full_name="Trần Văn An", notify=False)
    cancelled, _token = register(event, visitor_type, full_name="Lê Văn Bé", notify=False)
    services.cancel_registration(cancelled, notify=False)
    approval = make_type(event, code="vip", requires_approval=True)
    register(event, approval, full_name="Phạm Văn Chờ", notify=False)
    other_event = open_event()
    register(other_event, make_type(other_event, code="visitor"), full_name="Võ Văn Khác", notify=False)
    other_type = make_type(event, code="press", name="Báo chí")
    register(event, other_type, full_name="Hồ Thị Báo", notify=False)

    job = _run(db, event, organizer, layout="a6")
    texts = badge_texts(storage.get(job.result_key), "a6")
    assert len(texts) == job.total == 2
    assert "Trần Văn An" in texts[0] and "Hồ Thị Báo" in texts[1]
    assert "Báo chí" in texts[1]  # the label of its own type

    press = _run(db, event, organizer, layout="a6", type="press")
    texts = badge_texts(storage.get(press.result_key), "a6")
    assert press.total == 1 and "Hồ Thị Báo" in texts[0]


def test_the_bulk_print_is_logged_for_every_badge(db, event, visitor_type, organizer):
    regs = [register(event, visitor_type, notify=False)[0] for _ in range(3)]
    job = _run(db, event, organizer, layout="a4-4up")
    prints = db.session.scalars(db.select(BadgePrint).order_by(BadgePrint.registration_id)).all()
    assert [p.registration_id for p in prints] == [r.id for r in regs]
    assert {(p.job_id, p.printed_by_id, p.layout) for p in prints} == {(job.id, organizer.id, "a4-4up")}


def test_a_job_that_fails_logs_no_print_and_says_why(db, event, visitor_type, organizer, monkeypatch):
    register(event, visitor_type, notify=False)

    def broken(*args, **kwargs):
        raise RuntimeError("the printer's template is broken")

    monkeypatch.setattr(badges, "render_badges", broken)
    job_id = jobs.start("badges", actor=organizer, event=event, event_id=event.id, layout="a6").id
    db.session.expire_all()
    job = db.session.get(Job, job_id)
    assert job.state == JobState.failed and "template is broken" in job.error
    assert db.session.scalar(db.select(db.func.count(BadgePrint.id))) == 0


def test_the_job_page_names_the_badge_job(client, db, event, visitor_type, organizer):
    register(event, visitor_type, notify=False)
    job = _run(db, event, organizer, layout="a6")
    login(client, organizer)
    page = client.get(f"/jobs/{job.id}?lang=en").get_data(as_text=True)
    assert "<h1 class=\"h3\">Badges</h1>" in page


def test_two_processes_make_the_same_pdf_in_the_same_order(app, db):
    import io

    import pdfplumber

    from eventhub import jobs, storage
    from eventhub.badges import services as badges
    from eventhub.jobs.models import Job
    from tests.factories import make_type, make_user, open_event, register

    event = open_event()
    rtype = make_type(event)
    names = [f"Nguyễn Văn Khách {i:03d}" for i in range(9)]
    for name in names:
        register(event, rtype, full_name=name, notify=False)
    previous_chunk = badges.CHUNK_SIZE
    badges.CHUNK_SIZE, app.config["DOCUMENT_PROCESSES"] = 4, 2  # three chunks over two processes
    try:
        job = jobs.start("badges", actor=make_user("organizer"), event=event, event_id=event.id, layout="a6")
    finally:
        badges.CHUNK_SIZE, app.config["DOCUMENT_PROCESSES"] = previous_chunk, 1
    db.session.expire_all()  # the job ran in a session of its own
    finished = db.session.get(Job, job.id)
    assert finished.state.value == "done", finished.error

    with pdfplumber.open(io.BytesIO(storage.get(finished.result_key))) as pdf:
        texts = [" ".join((page.extract_text() or "").split()) for page in pdf.pages]
    assert len(texts) == 9
    assert [next(n for n in names if n in text) for text in texts] == sorted(names, key=lambda n: n[-3:])
