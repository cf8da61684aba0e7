"""Each person gets a message once: two callers starting the same message at once (a double click, the
periodic sweep of two processes), and two runs of its sending job at once (a job resumed while the first
run still goes), each in its own thread, app context and database connection, as two workers would."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from eventhub.extensions import db as _db
from eventhub.jobs.models import Job
from eventhub.jobs.runner import run_job
from eventhub.messaging import services
from eventhub.messaging.models import Message, MessageRecipient, MessageState
from tests.factories import register
from tests.support.mail import parsed_message
from tests.support.racing import race

from .helpers import NOW, registrants_world

PEOPLE = 25
ROUNDS = 3


def _world_with_people():
    world = registrants_world()
    for i in range(PEOPLE - 3):
        register(world.event, world.visitor_type, full_name=f"Phạm Thị Khách {i}",
                 email=f"khach{i}@example.vn", notify=False)
    return world


def _scheduled(world, subject: str) -> int:
    message = services.create_message(world.event, audience={"kind": "registrants"}, subject=subject,
                                      body="Chào {{ name }}", send_at=NOW + timedelta(days=1),
                                      actor=world.organizer, now=NOW)
    return message.id


def _started(message_id: int) -> int | None:
    message = services.send_message(message_id)
    return message.id if message is not None else None


def _copies(smtp_server, subject: str) -> Counter:
    return Counter(parsed_message(e)["To"].addresses[0].addr_spec for e in smtp_server.messages
                   if parsed_message(e)["Subject"] == subject)


def test_starting_a_message_twice_at_once_sends_it_once(app, db, smtp_server):
    world = _world_with_people()
    for round_ in range(ROUNDS):
        subject = f"Thông báo số {round_}"
        message_id = _scheduled(world, subject)
        outcomes = race(app, [lambda message_id=message_id: _started(message_id) for _ in range(4)])
        assert sorted(outcomes, key=str) == sorted([message_id, None, None, None], key=str), outcomes
        copies = _copies(smtp_server, subject)
        assert len(copies) == PEOPLE and set(copies.values()) == {1}, copies
        db.session.expire_all()
        assert db.session.get(Message, message_id).state == MessageState.sent


def test_two_runs_of_the_sending_job_queue_each_recipient_once(app, db, smtp_server):
    world = _world_with_people()
    subject = "Thư gửi lại"
    message_id = _scheduled(world, subject)
    app.config["JOBS_EAGER"], eager = False, app.config["JOBS_EAGER"]
    app.extensions.pop("eventhub_jobs", None)
    app.config["MAIL_DELIVERY"] = "worker"  # the jobs only queue; delivered below, all at once
    app.extensions.pop("eventhub_mail", None)
    try:
        # Started as it would be, but its job left queued (no runner takes it here); then a second run.
        _db.session.execute(_db.update(Message).where(Message.id == message_id)
                            .values(state=MessageState.sending))
        _db.session.commit()
        services_rows = services.resolve_recipients(message_id)
        assert services_rows == PEOPLE
        jobs = [Job(kind="messages.send", params={"message_id": message_id}) for _ in range(4)]
        _db.session.add_all(jobs)
        _db.session.commit()
        ids = [job.id for job in jobs]
        outcomes = race(app, [lambda job_id=job_id: run_job(job_id) for job_id in ids])
        assert outcomes == [None] * 4, outcomes
    finally:
        app.config["JOBS_EAGER"] = eager
        app.extensions.pop("eventhub_jobs", None)
        app.config["MAIL_DELIVERY"] = "eager"
        app.extensions.pop("eventhub_mail", None)
    from eventhub.mail import deliver_due

    deliver_due()
    copies = _copies(smtp_server, subject)
    assert len(copies) == PEOPLE and set(copies.values()) == {1}, copies
    db.session.expire_all()
    queued = db.session.scalars(db.select(MessageRecipient.outbound_email_id)
                                .where(MessageRecipient.message_id == message_id))
    assert Counter(queued).most_common(1)[0][1] == 1
