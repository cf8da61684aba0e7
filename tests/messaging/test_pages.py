"""The organizers' message pages: the list, composing with a preview and the count, errors next to their
fields, sending and each recipient's delivery, cancelling a scheduled message, who may open them, and that
people read words (Vietnamese by default), never codes."""

from __future__ import annotations

import html as html_module
import re
from datetime import timedelta

import pytest
from sqlalchemy import event as sa_event

from eventhub.accounts.services import grant_event_role
from eventhub.dbtypes import utcnow
from eventhub.mail.models import EmailStatus, OutboundEmail
from eventhub.messaging import services
from eventhub.messaging.models import Message, MessageRecipient, MessageState
from tests.factories import HCMC, login, make_event, make_type, make_user, register

CODES = ("registrants", "exhibitors", "confirmed", "pending_approval", "scheduled", "sending", "cancelled",
         "unsubscribed", "checked_in", "visitor", "investor")


def _event():
    event = make_event(registration_open=True, starts_at=utcnow() + timedelta(days=10),
                       ends_at=utcnow() + timedelta(days=10, hours=8))
    visitor = make_type(event, code="visitor", name="Khách tham quan")
    investor = make_type(event, code="investor", name="Nhà đầu tư")
    people = [register(event, visitor, full_name=name, email=email, notify=False)[0]
              for name, email in (("Nguyễn Thị Quý Trúc", "truc@example.vn"),
                                  ("Lê Văn Dũng", "dung@example.vn"), ("Phạm Minh Anh", "anh@example.vn"))]
    people.append(register(event, investor, full_name="Đặng Hoài Nam", email="nam@quy.vn", notify=False)[0])
    return event, people


def _organizer(client, event):
    person = make_user("participant", full_name="Võ Thị Tổ Chức")
    grant_event_role(person, event, "organizer")
    login(client, person)
    return person


def _form(**overrides) -> dict:
    data = {"kind": "registrants", "statuses": ["confirmed"], "subject": "Nhắc lịch {{ event }}",
            "body": "Chào {{ name }},\nHẹn gặp bạn tại {{ venue }}.", "when": "now", "action": "preview"}
    data.update(overrides)
    return data


def _text(response) -> str:
    """What a person reads: the page without its tags, scripts and attributes."""
    body = response.get_data(as_text=True)
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return html_module.unescape(re.sub(r"<[^>]+>", " ", body))


def _error_of(response, field: str) -> str:
    found = re.search(rf'id="{field}-error"[^>]*>(.*?)</div>', response.get_data(as_text=True), re.S)
    return html_module.unescape(found.group(1)).strip() if found else ""


def _assert_no_codes(response) -> None:
    words = set(re.findall(r"[a-z_]+", _text(response)))
    assert not words & set(CODES), words & set(CODES)


def test_the_list_shows_each_message_in_words_newest_first(client, db):
    event, _people = _event()
    actor = _organizer(client, event)
    services.create_message(event, audience={"kind": "registrants", "types": ["visitor", "investor"],
                                             "statuses": ["confirmed"], "checked_in": False},
                            subject="Thư cảm ơn", body="Cảm ơn {{ name }}", actor=actor)
    later = utcnow() + timedelta(days=2)
    services.create_message(event, audience={"kind": "registrants", "types": ["investor"]},
                            subject="Hẹn gặp nhà đầu tư", body="Chào {{ name }}", send_at=later, actor=actor)

    response = client.get(f"/events/{event.slug}/messages")
    assert response.status_code == 200
    text = _text(response)
    assert text.index("Hẹn gặp nhà đầu tư") < text.index("Thư cảm ơn")  # newest first
    assert "Người đăng ký · Khách tham quan, Nhà đầu tư · đã xác nhận" in text
    assert "Đã lên lịch gửi" in text and "Đã gửi xong" in text
    assert later.astimezone(HCMC).strftime("%H:%M") in text  # the scheduled time in the event's zone
    assert "Soạn tin nhắn" in text
    _assert_no_codes(response)


def test_the_preview_shows_a_real_recipient_and_the_count(client, db):
    event, _people = _event()
    _organizer(client, event)
    response = client.post(f"/events/{event.slug}/messages/new", data=_form(types=["visitor"]))
    assert response.status_code == 200
    text = _text(response)
    assert "Sẽ gửi đến 3 người." in text
    assert "Chào Nguyễn Thị Quý Trúc," in text  # the first recipient, placeholders filled
    assert f"Nhắc lịch {event.name}" in text
    assert db.session.scalar(db.select(db.func.count(Message.id))) == 0  # a preview sends nothing

    chosen = client.post(f"/events/{event.slug}/messages/new",
                         data=_form(types=["visitor"], preview_email="DUNG@example.vn"))
    assert "Chào Lê Văn Dũng," in _text(chosen)
    stranger = client.post(f"/events/{event.slug}/messages/new",
                           data=_form(types=["visitor"], preview_email="nam@quy.vn"))
    assert _error_of(stranger, "preview_email")
    _assert_no_codes(response)


def test_the_check_in_choice_reaches_everyone_unless_narrowed(client, db):
    """Leaving the check-in choice alone must reach everyone – those who came too (a box left unticked
    once meant "only those who did not come")."""
    from eventhub.checkin import services as checkin

    event, people = _event()
    _organizer(client, event)
    checkin.check_in(event, people[0].ticket_code, now=event.starts_at + timedelta(hours=1))
    page = f"/events/{event.slug}/messages/new"
    everyone = _text(client.post(page, data=_form(types=["visitor"])))
    came = _text(client.post(page, data=_form(types=["visitor"], attended="yes")))
    absent = _text(client.post(page, data=_form(types=["visitor"], attended="no")))
    assert "Sẽ gửi đến 3 người." in everyone
    assert "Sẽ gửi đến 1 người." in came and "Chào Nguyễn Thị Quý Trúc," in came
    assert "Sẽ gửi đến 2 người." in absent and "Nguyễn Thị Quý Trúc" not in absent


def test_an_unknown_placeholder_is_shown_next_to_the_body(client, db):
    event, _people = _event()
    _organizer(client, event)
    response = client.post(f"/events/{event.slug}/messages/new", data=_form(body="Chào {{ ho_ten }}"))
    assert response.status_code == 200
    assert "ho_ten" in _error_of(response, "body")
    assert "Sẽ gửi đến" not in _text(response)


def test_a_schedule_time_in_the_past_is_shown_next_to_its_field(client, db):
    event, _people = _event()
    _organizer(client, event)
    response = client.post(f"/events/{event.slug}/messages/new",
                           data=_form(when="later", send_at="2020-11-20T09:00", action="send"))
    assert response.status_code == 200
    assert _error_of(response, "send_at")
    missing = client.post(f"/events/{event.slug}/messages/new", data=_form(when="later", action="send"))
    assert _error_of(missing, "send_at")
    assert db.session.scalar(db.select(db.func.count(Message.id))) == 0


def test_a_body_over_50_kb_is_shown_next_to_the_body_not_as_an_error_page(client, db):
    event, _people = _event()
    _organizer(client, event)
    response = client.post(f"/events/{event.slug}/messages/new",
                           data=_form(body="Chào {{ name }}. " + "Đổi mới sáng tạo. " * 3000, action="send"))
    assert response.status_code == 200
    assert "50 KB" in _error_of(response, "body")


def test_an_audience_of_nobody_is_said_next_to_who_receives_it(client, db):
    event, _people = _event()
    _organizer(client, event)
    response = client.post(f"/events/{event.slug}/messages/new", data=_form(kind="judges"))
    assert response.status_code == 200
    assert _error_of(response, "kind")


def test_sending_asks_first_then_creates_the_message_and_shows_each_recipient(client, db):
    event, people = _event()
    _organizer(client, event)
    services.unsubscribe("anh@example.vn")
    url = f"/events/{event.slug}/messages/new"

    asked = client.post(url, data=_form(types=["visitor"], action="send"))
    assert "Gửi tin nhắn này đến 3 người ngay bây giờ?" in _text(asked)
    assert db.session.scalar(db.select(db.func.count(Message.id))) == 0

    sent = client.post(url, data=_form(types=["visitor"], action="confirm"))
    message = db.session.scalars(db.select(Message)).one()
    assert sent.status_code == 302 and sent.headers["Location"].endswith(f"/messages/{message.id}")
    assert message.state == MessageState.sent and message.recipients == 3
    failed = db.session.scalar(db.select(MessageRecipient).where(MessageRecipient.email == "dung@example.vn"))
    db.session.get(OutboundEmail, failed.outbound_email_id).status = EmailStatus.failed
    db.session.commit()

    page = client.get(sent.headers["Location"])
    text = _text(page)
    for person in people[:3]:
        assert person.full_name in text and person.email in text
    assert "Đã gửi" in text and "Gửi không thành công" in text and "Đã từ chối nhận tin: không gửi" in text
    figures = dict(re.findall(r'data-figure="(\w+)">\s*<div[^>]*>(\d+)</div>', page.get_data(as_text=True)))
    assert figures == {"recipients": "3", "sent": "1", "failed": "1", "pending": "0", "unsubscribed": "1"}
    _assert_no_codes(page)


def test_pressing_yes_twice_sends_one_message(client, db):
    """The confirmation carries a one-time token: a double tap on a slow connection makes one message."""
    event, _people = _event()
    _organizer(client, event)
    url = f"/events/{event.slug}/messages/new"
    asked = client.post(url, data=_form(types=["visitor"], action="send"))
    token = re.search(r'name="request_token"[^>]*value="([^"]+)"', asked.get_data(as_text=True)).group(1)
    first = client.post(url, data=_form(types=["visitor"], action="confirm", request_token=token))
    second = client.post(url, data=_form(types=["visitor"], action="confirm", request_token=token))
    message = db.session.scalars(db.select(Message)).one()
    shown = f"/events/{event.slug}/messages/{message.id}"
    assert first.headers["Location"] == second.headers["Location"] == shown
    assert db.session.scalar(db.select(db.func.count(MessageRecipient.id))) == 3


def test_a_scheduled_message_is_cancelled_from_its_page(client, db):
    event, _people = _event()
    _organizer(client, event)
    url = f"/events/{event.slug}/messages/new"
    when = (utcnow() + timedelta(days=1)).astimezone(HCMC).strftime("%Y-%m-%dT%H:%M")
    asked = client.post(url, data=_form(when="later", send_at=when, action="send"))
    assert "Lên lịch gửi tin nhắn này đến 4 người lúc" in _text(asked)
    made = client.post(url, data=_form(when="later", send_at=when, action="confirm"))
    message = db.session.scalars(db.select(Message)).one()
    assert message.state == MessageState.scheduled
    assert message.send_at.astimezone(HCMC).strftime("%Y-%m-%dT%H:%M") == when  # typed in the event's zone

    page = client.get(made.headers["Location"])
    assert "Hủy lịch gửi" in _text(page)
    cancelled = client.post(f"/events/{event.slug}/messages/{message.id}/cancel")
    assert cancelled.status_code == 302
    db.session.refresh(message)
    assert message.state == MessageState.cancelled
    again = client.post(f"/events/{event.slug}/messages/{message.id}/cancel", follow_redirects=True)
    assert again.status_code == 200 and "Hủy lịch gửi" not in _text(again).replace("Đã hủy lịch gửi", "")


@pytest.mark.parametrize("who", ["anonymous", "participant", "staff", "event_staff", "other_organizer"])
def test_only_the_events_organizers_open_the_message_pages(client, db, who):
    event, _people = _event()
    other = make_event()
    message = services.create_message(event, audience={"kind": "registrants"}, subject="Tin", body="Chào",
                                       send_at=utcnow() + timedelta(days=1))
    if who != "anonymous":
        person = make_user("staff" if who == "staff" else "participant")
        if who == "event_staff":
            grant_event_role(person, event, "staff")
        if who == "other_organizer":
            grant_event_role(person, other, "organizer")
        login(client, person)
    base = f"/events/{event.slug}/messages"
    answers = [client.get(base), client.get(f"{base}/new"), client.post(f"{base}/new", data=_form()),
               client.get(f"{base}/{message.id}"), client.post(f"{base}/{message.id}/cancel")]
    for answer in answers:
        if who == "anonymous":
            assert answer.status_code == 302 and "/login" in answer.headers["Location"]
        else:
            assert answer.status_code == 403
    db.session.refresh(message)
    assert message.state == MessageState.scheduled


def test_a_message_of_another_event_is_not_found(client, db):
    event, _people = _event()
    other, _ = _event()
    message = services.create_message(other, audience={"kind": "registrants"}, subject="Tin", body="Chào")
    login(client, make_user("organizer"))
    assert client.get(f"/events/{event.slug}/messages/{message.id}").status_code == 404
    assert client.post(f"/events/{event.slug}/messages/{message.id}/cancel").status_code == 404


def test_the_menu_and_the_cockpit_lead_to_the_messages(client, db):
    event, _people = _event()
    actor = _organizer(client, event)
    message = services.create_message(event, audience={"kind": "registrants"}, subject="Thư cảm ơn",
                                      body="Cảm ơn {{ name }}", actor=actor)
    services.create_message(event, audience={"kind": "registrants"}, subject="Nhắc lịch hội thảo",
                            body="Chào {{ name }}", send_at=utcnow() + timedelta(days=1), actor=actor)
    recipient = db.session.scalars(db.select(MessageRecipient)
                                   .where(MessageRecipient.message_id == message.id).limit(1)).one()
    db.session.get(OutboundEmail, recipient.outbound_email_id).status = EmailStatus.failed
    db.session.commit()

    page = client.get(f"/events/{event.slug}/manage")
    text = _text(page)
    assert f'href="/events/{event.slug}/messages"' in page.get_data(as_text=True)
    assert "Tin nhắn" in text
    assert "1 e-mail của tin nhắn “Thư cảm ơn” không gửi được" in text
    assert "Gửi tin nhắn “Nhắc lịch hội thảo”" in text


def test_the_demo_shows_a_sent_message_to_the_2020_exhibitors_and_adds_nothing_twice(client, db, demo):
    from eventhub.booths.models import Exhibitor, ExhibitorStatus
    from eventhub.events.models import Event

    week = db.session.scalar(db.select(Event).where(Event.slug == "startup-week-2020"))
    sent = db.session.scalars(db.select(Message).where(Message.event_id == week.id)).one()
    approved = db.session.scalar(db.select(db.func.count(Exhibitor.id)).where(
        Exhibitor.event_id == week.id, Exhibitor.status == ExhibitorStatus.approved))
    assert sent.state == MessageState.sent and sent.recipients == approved > 0
    assert services.message_figures(sent)["sent"] == approved

    login(client, make_user("organizer"))
    page = client.get(f"/events/{week.slug}/messages/{sent.id}")
    assert "Đơn vị trưng bày" in _text(page) and "Đã gửi" in _text(page)
    coming = db.session.scalar(db.select(Event).where(Event.slug == "startup-week-2026"))
    scheduled = db.session.scalars(db.select(Message).where(Message.event_id == coming.id)).all()
    if (coming.local_starts_at - timedelta(days=2)).replace(hour=9, minute=0) > utcnow():
        assert [m.state for m in scheduled] == [MessageState.scheduled] and scheduled[0].recipients > 0
    assert demo.added_by_second_run[Message.__tablename__] == 0
    assert demo.added_by_second_run[MessageRecipient.__tablename__] == 0


def test_a_message_being_sent_shows_its_jobs_progress_bar(client, db):
    from eventhub.jobs.models import Job, JobState

    event, _people = _event()
    actor = _organizer(client, event)
    job = Job(kind="messages.send", event_id=event.id, created_by_id=actor.id, state=JobState.running,
              total=400, done=100)
    db.session.add(job)
    db.session.flush()
    message = Message(event_id=event.id, subject="Thư mời", body="Chào {{ name }}", recipients=400,
                      audience={"kind": "registrants"}, state=MessageState.sending, job_id=job.id)
    db.session.add(message)
    db.session.commit()

    page = client.get(f"/events/{event.slug}/messages/{message.id}")
    body = page.get_data(as_text=True)
    assert f'data-status-url="/jobs/{job.id}/status.json"' in body and 'data-percent="25"' in body
    assert "js/job-progress.js" in body
    assert "Đang gửi" in _text(page) and "100 / 400" in _text(page)
    assert client.get(f"/jobs/{job.id}/status.json").json == {"state": "running", "done": 100, "total": 400}


def test_the_cockpit_card_costs_the_same_queries_for_more_messages(client, db):
    from eventhub.messaging import cockpit

    small, _ = _event()
    big, _ = _event()
    for event, n in ((small, 1), (big, 6)):
        for i in range(n):
            services.create_message(event, audience={"kind": "registrants"}, subject=f"Tin {i}", body="Chào",
                                    send_at=utcnow() + timedelta(days=1, hours=i))
            sent = services.create_message(event, audience={"kind": "registrants"}, subject=f"Thư {i}",
                                           body="Chào")
            for recipient in db.session.scalars(db.select(MessageRecipient)
                                                .where(MessageRecipient.message_id == sent.id)):
                db.session.get(OutboundEmail, recipient.outbound_email_id).status = EmailStatus.failed
    db.session.commit()
    counted = []

    def listener(*_args, **_kw):
        counted[-1] += 1

    with client.application.test_request_context():
        for event in (small, big):
            counted.append(0)
            sa_event.listen(db.engine, "before_cursor_execute", listener)
            try:
                part = cockpit.load(event, None)
            finally:
                sa_event.remove(db.engine, "before_cursor_execute", listener)
            assert part.decisions and part.deadlines
    assert counted[0] == counted[1] <= 2
    assert len(part.decisions) == cockpit.SHOWN and part.deadlines[0].at < part.deadlines[-1].at


def _figures(response) -> dict[str, str]:
    return dict(re.findall(r'data-figure="(\w+)">\s*<div[^>]*>(\d+)</div>', response.get_data(as_text=True)))


def test_the_body_keeps_its_line_breaks_in_the_pages_font(client, db, app):
    from pathlib import Path

    event, _people = _event()
    actor = _organizer(client, event)
    body = "Kính gửi {{ name }},\n\nMời anh/chị họp chuẩn bị chấm thi.\nTrân trọng, Ban tổ chức"
    message = services.create_message(event, audience={"kind": "registrants"}, subject="Họp giám khảo",
                                      body=body, actor=actor)
    html = client.get(f"/events/{event.slug}/messages/{message.id}").get_data(as_text=True)
    shown = re.search(r'<div class="([^"]*\bmessage-body\b[^"]*)">(.*?)</div>', html, re.S)
    assert shown and shown.group(2) == html_module.escape(body, quote=False).replace("'", "&#39;")
    # Not a monospace <pre>, nor Bootstrap's text-wrap (white-space: normal) that joined the lines.
    assert "<pre" not in html and "text-wrap" not in shown.group(1).split()
    css = (Path(app.static_folder) / "css" / "eventhub.css").read_text(encoding="utf-8")
    assert re.search(r"\.message-body\s*\{[^}]*white-space:\s*pre-wrap", css)


def test_a_scheduled_message_says_who_it_will_go_to_without_delivery_figures(client, db):
    event, _people = _event()
    actor = _organizer(client, event)
    scheduled = services.create_message(event, audience={"kind": "registrants"}, subject="Nhắc lịch",
                                        body="Chào {{ name }}", send_at=utcnow() + timedelta(days=1),
                                        actor=actor)
    page = client.get(f"/events/{event.slug}/messages/{scheduled.id}")
    text = _text(page)
    assert "Người nhận" in text and "Hiện có khoảng 4 người" in text
    assert "Người nhận được chọn lúc gửi" in text  # why it is "about"
    assert "Gửi đến" not in text and "Đang chờ" not in text and "Tình trạng gửi" not in text
    assert _figures(page) == {}
    english = _text(client.get(f"/events/{event.slug}/messages/{scheduled.id}?lang=en"))
    assert "About 4 people now" in english and "Sent to" not in english and "Waiting" not in english
    assert re.search(r"\bTo\s+Registrants", english)

    client.get("/?lang=vi")
    sent = services.create_message(event, audience={"kind": "registrants"}, subject="Thư cảm ơn",
                                   body="Cảm ơn {{ name }}", actor=actor)
    page = client.get(f"/events/{event.slug}/messages/{sent.id}")
    assert "Gửi đến" in _text(page) and "Hiện có khoảng" not in _text(page)
    assert _figures(page)["recipients"] == "4"


def test_the_progress_bar_reloads_the_message_page_when_sending_ends(client, db, app):
    """The message page opts in to one reload when the job ends (its badge, figures and recipients are then
    the final ones); the job page, which shows only the bar and its download, does not."""
    from pathlib import Path

    from eventhub.jobs.models import Job, JobState

    event, _people = _event()
    actor = _organizer(client, event)
    job = Job(kind="messages.send", event_id=event.id, created_by_id=actor.id, state=JobState.running,
              total=4, done=1)
    db.session.add(job)
    db.session.flush()
    message = Message(event_id=event.id, subject="Thư mời", body="Chào", recipients=4,
                      audience={"kind": "registrants"}, state=MessageState.sending, job_id=job.id)
    db.session.add(message)
    db.session.commit()

    box = re.search(r'<div id="job"[^>]*>', client.get(f"/events/{event.slug}/messages/{message.id}")
                    .get_data(as_text=True)).group(0)
    assert "data-reload-when-done" in box and 'data-state="running"' in box
    job_page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    job_page = re.search(r'<div id="job"[^>]*>', job_page).group(0)
    assert "data-reload-when-done" not in job_page
    script = (Path(app.static_folder) / "js" / "job-progress.js").read_text(encoding="utf-8")
    assert "data-reload-when-done" in script and "location.reload()" in script


def test_subjects_show_their_placeholders_as_labels(client, db):
    event, _people = _event()
    actor = _organizer(client, event)
    subject = "Cảm ơn {{ name }} đã chấm thi tại {{event}}"
    message = services.create_message(event, audience={"kind": "registrants"}, subject=subject,
                                      body="Chào {{ name }}", send_at=utcnow() + timedelta(days=1),
                                      actor=actor)
    words = "Cảm ơn ‹tên người nhận› đã chấm thi tại ‹tên sự kiện›"
    listing = client.get(f"/events/{event.slug}/messages")
    page = client.get(f"/events/{event.slug}/messages/{message.id}")
    for response in (listing, page):
        html = response.get_data(as_text=True)
        assert "{{" not in html.split("<main", 1)[1].split("message-body", 1)[0]
        assert words in re.sub(r"\s+", " ", _text(response))
        assert '<span class="placeholder-chip">‹tên người nhận›</span>' in html
    title = re.search(r"<title>(.*?)</title>", page.get_data(as_text=True), re.S).group(1)
    assert html_module.unescape(title).startswith(words)
    english = _text(client.get(f"/events/{event.slug}/messages?lang=en"))
    assert "Cảm ơn ‹recipient's name› đã chấm thi tại ‹event name›" in re.sub(r"\s+", " ", english)


def test_the_check_in_choices_and_the_audience_read_in_vietnamese(client, db):
    event, _people = _event()
    actor = _organizer(client, event)
    form = _text(client.get(f"/events/{event.slug}/messages/new"))
    assert "Tất cả, dù đã đến hay chưa" in form and "Chỉ những người chưa check-in" in form
    services.create_message(event, audience={"kind": "registrants", "checked_in": False}, subject="Tin",
                            body="Chào", send_at=utcnow() + timedelta(days=1), actor=actor)
    assert "· chưa check-in" in _text(client.get(f"/events/{event.slug}/messages"))
