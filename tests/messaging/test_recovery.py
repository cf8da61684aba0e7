"""A message never stays `sending` or `draft` for ever: a job that could not start (the broker down), one that
failed half-way and a draft whose start was lost are started again by the minute's sweep, and everyone gets
the message once. Also: a double click or a retried API call makes one message; a time far after the event
is refused; the job reads as words."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from flask_babel import force_locale

from eventhub import mail
from eventhub.extensions import db as _db
from eventhub.jobs.labels import JOB_LABELS
from eventhub.jobs.models import Job, JobState
from eventhub.messaging import recovery, services
from eventhub.messaging.models import Message, MessageRecipient, MessageState, RecipientState
from tests.factories import login, token_headers
from tests.support.mail import parsed_message

from .helpers import NOW, registrants_world

REGISTRANTS = {"kind": "registrants"}
EVERYONE = {"truc@example.vn", "dung@example.vn", "hoa@baochi.vn"}


def _copies(smtp_server, subject: str) -> Counter:
    return Counter(parsed_message(envelope)["To"].addresses[0].addr_spec for envelope in smtp_server.messages
                   if parsed_message(envelope)["Subject"] == subject)


class _BrokerDown:
    def submit(self, job_id: str) -> None:
        raise ConnectionError("redis is down")


def test_a_job_that_could_not_start_is_restarted_and_everyone_gets_the_message_once(app, db, smtp_server):
    world = registrants_world()
    runner = app.extensions.pop("eventhub_jobs", None)
    app.extensions["eventhub_jobs"] = _BrokerDown()
    try:
        message = services.create_message(world.event, audience=REGISTRANTS, subject="Thư gửi lại",
                                          body="Chào {{ name }}", actor=world.organizer)
    finally:
        app.extensions.pop("eventhub_jobs", None)
        if runner is not None:
            app.extensions["eventhub_jobs"] = runner
    assert message.state == MessageState.sending
    assert _db.session.get(Job, message.job_id).state == JobState.failed
    assert smtp_server.messages == []

    assert recovery.resume_stuck_messages() == 1
    _db.session.refresh(message)
    assert message.state == MessageState.sent
    assert _copies(smtp_server, "Thư gửi lại") == Counter(dict.fromkeys(EVERYONE, 1))
    assert recovery.resume_stuck_messages() == 0  # nothing left to do


def test_a_job_that_failed_half_way_is_resumed_without_sending_twice(app, db, smtp_server, monkeypatch):
    world = registrants_world()
    monkeypatch.setattr(services, "CHUNK", 2)
    queue, calls = mail.queue, []

    def failing_queue(*args, **kwargs):
        calls.append(1)
        if len(calls) > 2:
            raise RuntimeError("the database went away")
        return queue(*args, **kwargs)

    monkeypatch.setattr(services.mail, "queue", failing_queue)
    message = services.create_message(world.event, audience=REGISTRANTS, subject="Nửa chừng",
                                      body="Chào {{ name }}", actor=world.organizer)
    assert message.state == MessageState.sending
    _db.session.expire_all()
    assert _db.session.get(Job, message.job_id).state == JobState.failed
    assert sum(_copies(smtp_server, "Nửa chừng").values()) == 2  # the first chunk went

    monkeypatch.setattr(services.mail, "queue", queue)
    assert recovery.resume_stuck_messages() == 1
    assert _copies(smtp_server, "Nửa chừng") == Counter(dict.fromkeys(EVERYONE, 1))
    _db.session.refresh(message)
    assert message.state == MessageState.sent


def test_a_draft_whose_start_was_lost_is_started_after_a_minute(db, smtp_server, monkeypatch):
    world = registrants_world()
    monkeypatch.setattr(services, "send_message", lambda *_args, **_kwargs: None)  # the process died here
    message = services.create_message(world.event, audience=REGISTRANTS, subject="Bản nháp bị bỏ",
                                      body="Chào {{ name }}", actor=world.organizer, now=NOW)
    monkeypatch.undo()
    assert message.state == MessageState.draft

    assert recovery.resume_stuck_messages(now=NOW + timedelta(seconds=30)) == 0  # may still be starting
    assert recovery.resume_stuck_messages(now=NOW + timedelta(minutes=2)) == 1
    assert recovery.resume_stuck_messages(now=NOW + timedelta(minutes=3)) == 0
    assert _copies(smtp_server, "Bản nháp bị bỏ") == Counter(dict.fromkeys(EVERYONE, 1))


def test_a_message_whose_job_is_running_is_left_alone(db):
    world = registrants_world()
    job = Job(kind="messages.send", event_id=world.event.id, state=JobState.running, params={})
    _db.session.add(job)
    _db.session.flush()
    _db.session.add(Message(event_id=world.event.id, subject="Đang gửi", body="Chào", audience=REGISTRANTS,
                            state=MessageState.sending, job_id=job.id, recipients=3))
    _db.session.commit()
    job.heartbeat_at = job.created_at
    _db.session.commit()
    assert recovery.resume_stuck_messages() == 0


def test_unsubscribed_addresses_are_marked_when_the_message_starts(db, smtp_server):
    world = registrants_world()
    services.unsubscribe("DUNG@example.vn")
    message = services.create_message(world.event, audience=REGISTRANTS, subject="Có người từ chối",
                                      body="Chào {{ name }}", actor=world.organizer)
    states = dict(_db.session.execute(_db.select(MessageRecipient.email_normalized, MessageRecipient.state)
                                      .where(MessageRecipient.message_id == message.id)).all())
    assert states == {"truc@example.vn": RecipientState.queued, "hoa@baochi.vn": RecipientState.queued,
                      "dung@example.vn": RecipientState.unsubscribed}
    assert set(_copies(smtp_server, "Có người từ chối")) == {"truc@example.vn", "hoa@baochi.vn"}


def test_a_second_click_on_yes_send_it_shows_the_message_the_first_made(db, client):
    world = registrants_world()
    login(client, world.organizer)
    form = {"kind": "registrants", "statuses": ["confirmed"], "subject": "Một lần thôi",
            "body": "Chào {{ name }}", "when": "now", "action": "confirm",
            "request_token": "token-of-this-confirmation"}
    url = f"/events/{world.event.slug}/messages/new"
    first = client.post(url, data=form)
    second = client.post(url, data=form)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert _db.session.scalar(_db.select(_db.func.count(Message.id))) == 1
    third = client.post(url, data={**form, "request_token": "another confirmation"})
    assert third.headers["Location"] != first.headers["Location"]  # a new confirmation: a new message


def test_an_api_call_repeated_with_its_idempotency_key_makes_one_message(db, client):
    world = registrants_world()
    headers = {**token_headers(world.organizer), "Idempotency-Key": "3f1c-ab"}
    payload = {"audience": REGISTRANTS, "subject": "Gọi lại", "body": "Chào {{ name }}"}
    url = f"/api/v1/events/{world.event.slug}/messages"
    first = client.post(url, json=payload, headers=headers)
    again = client.post(url, json=payload, headers=headers)
    assert first.status_code == again.status_code == 202
    assert first.get_json()["id"] == again.get_json()["id"]
    assert _db.session.scalar(_db.select(_db.func.count(Message.id))) == 1


def test_a_time_more_than_90_days_after_the_event_is_refused(db, client):
    world = registrants_world()
    late = world.event.ends_at + timedelta(days=91)
    with pytest.raises(services.MessageInvalid) as refused, force_locale("vi"):
        services.validate_draft(world.event, audience=REGISTRANTS, subject="Chào", body="Chào", send_at=late,
                                now=NOW)
    assert "90 ngày sau khi sự kiện kết thúc" in refused.value.fields["send_at"][0]
    fine = services.validate_draft(world.event, audience=REGISTRANTS, subject="Chào", body="Chào",
                                   send_at=world.event.ends_at + timedelta(days=89), now=NOW)
    assert fine["send_at"] is not None
    answer = client.post(f"/api/v1/events/{world.event.slug}/messages",
                         headers=token_headers(world.organizer),
                         json={"audience": REGISTRANTS, "subject": "Chào", "body": "Chào",
                               "send_at": late.isoformat()})
    assert answer.status_code == 422 and answer.get_json()["error"]["fields"]["send_at"]


def test_the_sending_job_reads_as_words(db):
    with force_locale("vi"):
        assert str(JOB_LABELS["messages.send"]) == "Gửi tin nhắn"
    with force_locale("en"):
        assert str(JOB_LABELS["messages.send"]) == "Sending a message"
