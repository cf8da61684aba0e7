"""Sending: messages read back from a real SMTP server (aiosmtpd), in each recipient's language, with their
manage link, the lost-link form, the unsubscribe link and the List-Unsubscribe headers; scheduling and
cancelling; the periodic start; unsubscribes honoured (the page, its button, a mail client's one-click)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from eventhub.extensions import db as _db
from eventhub.messaging import services
from eventhub.messaging.models import Message, MessageRecipient, MessageState, RecipientState
from tests.support.mail import parsed_message

from .helpers import NOW, registrants_world

REGISTRANTS = {"kind": "registrants"}
SUBJECT = "Thư mời {{ name }} – {{ event }}"
BODY = ("Kính gửi {{ name }},\n\nHẹn gặp bạn tại {{ venue }} ngày {{ event_dates }}.\n"
        "Vé của bạn: {{ ticket }}\nQuản lý đăng ký: {{ manage_link }}")


def _received(smtp_server, subject_start: str = "Thư mời") -> dict:
    found = {}
    for envelope in smtp_server.messages:
        message = parsed_message(envelope)
        if message["Subject"].startswith(subject_start):
            assert message["To"].addresses[0].addr_spec not in found, "an address got the message twice"
            found[message["To"].addresses[0].addr_spec] = message
    return found


def test_each_registrant_reads_the_message_in_their_language_with_their_links(db, client, smtp_server):
    world = registrants_world()
    message = services.create_message(world.event, audience=REGISTRANTS, subject=SUBJECT, body=BODY,
                                      actor=world.organizer)
    assert message.state == MessageState.sent and message.recipients == 3 and message.job_id
    received = _received(smtp_server)
    assert set(received) == {"truc@example.vn", "dung@example.vn", "hoa@baochi.vn"}

    truc = received["truc@example.vn"]
    assert truc["Subject"] == "Thư mời Nguyễn Thị Quý Trúc – Tuần lễ Đổi mới sáng tạo"
    assert truc["To"].addresses[0].display_name == "Nguyễn Thị Quý Trúc"
    text = truc.get_body(("plain",)).get_content()
    assert "Kính gửi Nguyễn Thị Quý Trúc," in text and "Nhà Văn hóa Thanh niên, Quận 1" in text
    manage = re.search(r"http://localhost(/r/[^\s]+)", text).group(1)
    assert f"/events/{world.event.slug}/lost-link" in text
    unsubscribe = re.search(r"http://localhost(/unsubscribe/[^\s]+)", text).group(1)
    assert truc["List-Unsubscribe"] == f"<http://localhost{unsubscribe}>"
    assert truc["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = truc.get_body(("html",)).get_content()
    assert f'href="http://localhost{manage}"' in html and "Nguyễn Thị Quý Trúc" in html
    assert "nhận thư này" in text  # the footer in Vietnamese

    dung = received["dung@example.vn"].get_body(("plain",)).get_content()
    assert "You receive this message because" in dung  # his footer in English

    assert client.get(manage).status_code == 200  # the manage link works
    figures = services.message_figures(message)
    assert figures == {"recipients": 3, "sent": 3, "failed": 0, "pending": 0, "unsubscribed": 0}


def test_unsubscribe_page_button_and_one_click_are_honoured(db, client, smtp_server):
    world = registrants_world()
    token_truc = services.make_unsubscribe_token("truc@example.vn")
    token_dung = services.make_unsubscribe_token("Dung@Example.vn")

    page = client.get(f"/unsubscribe/{token_truc}")
    assert page.status_code == 200 and "truc@example.vn" in page.get_data(as_text=True)
    assert not services.is_unsubscribed("truc@example.vn")  # looking changes nothing
    assert client.post(f"/unsubscribe/{token_truc}").status_code == 200  # the page's button
    one_click = client.post(f"/unsubscribe/{token_dung}", data="List-Unsubscribe=One-Click",
                            content_type="application/x-www-form-urlencoded")
    assert one_click.status_code == 200
    assert client.post(f"/unsubscribe/{token_dung}", data="List-Unsubscribe=One-Click",
                       content_type="application/x-www-form-urlencoded").status_code == 200  # twice: fine
    assert client.get("/unsubscribe/forged-token").status_code == 404
    assert services.is_unsubscribed("TRUC@example.vn") and services.is_unsubscribed("dung@example.vn")

    message = services.create_message(world.event, audience=REGISTRANTS, subject=SUBJECT, body=BODY,
                                      actor=world.organizer)
    assert set(_received(smtp_server)) == {"hoa@baochi.vn"}
    assert services.message_figures(message) == {"recipients": 3, "sent": 1, "failed": 0, "pending": 0,
                                                 "unsubscribed": 2}
    states = {r["email"]: r["state"] for r in services.recipients_page(message, 1, 50)["items"]}
    assert states == {"truc@example.vn": "unsubscribed", "dung@example.vn": "unsubscribed",
                      "hoa@baochi.vn": "sent"}


def test_an_address_that_unsubscribes_after_queueing_gets_nothing(db, app, smtp_server):
    world = registrants_world()
    app.config["MAIL_DELIVERY"] = "worker"  # queued, not delivered yet
    app.extensions.pop("eventhub_mail", None)
    try:
        message = services.create_message(world.event, audience=REGISTRANTS, subject=SUBJECT, body=BODY,
                                          actor=world.organizer)
        services.unsubscribe("hoa@baochi.vn")
    finally:
        app.config["MAIL_DELIVERY"] = "eager"
        app.extensions.pop("eventhub_mail", None)
    from eventhub.mail import deliver_due

    deliver_due()
    assert set(_received(smtp_server)) == {"truc@example.vn", "dung@example.vn"}
    assert services.message_figures(message)["unsubscribed"] == 1


def test_scheduled_message_waits_starts_once_when_due_and_a_cancelled_one_never(db, smtp_server):
    world = registrants_world()
    later = NOW + timedelta(days=2)
    scheduled = services.create_message(world.event, audience=REGISTRANTS, subject=SUBJECT, body=BODY,
                                        send_at=later, actor=world.organizer, now=NOW)
    cancelled = services.create_message(world.event, audience=REGISTRANTS, subject="Huỷ {{ name }}",
                                        body=BODY,
                                        send_at=later.isoformat(), actor=world.organizer, now=NOW)
    assert scheduled.state == MessageState.scheduled and scheduled.recipients == 3
    services.cancel_message(cancelled, actor=world.organizer, now=NOW)
    assert cancelled.state == MessageState.cancelled
    with pytest.raises(services.NotCancellable):
        services.cancel_message(cancelled, actor=world.organizer, now=NOW)

    assert services.start_due_messages(now=later - timedelta(minutes=1)) == 0
    assert smtp_server.messages == []
    assert services.start_due_messages(now=later) == 1
    assert services.start_due_messages(now=later + timedelta(minutes=1)) == 0  # started once
    assert len(_received(smtp_server)) == 3
    assert not _received(smtp_server, "Huỷ")
    _db.session.refresh(scheduled)
    assert scheduled.state == MessageState.sent
    with pytest.raises(services.NotCancellable):  # too late once it went
        services.cancel_message(scheduled, actor=world.organizer)
    listed = {row["message"].id: row for row in services.messages_of(world.event)}
    assert listed[scheduled.id]["sent"] == 3 and listed[cancelled.id]["pending"] == 0


def test_a_time_in_the_past_is_refused(db):
    world = registrants_world()
    with pytest.raises(services.MessageInvalid) as refused:
        services.create_message(world.event, audience=REGISTRANTS, subject=SUBJECT, body=BODY,
                                send_at=NOW - timedelta(minutes=1), actor=world.organizer, now=NOW)
    assert list(refused.value.fields) == ["send_at"]
    assert _db.session.scalar(_db.select(_db.func.count()).select_from(Message)) == 0


def test_erased_registrant_is_not_written_to(db, smtp_server):
    from eventhub.registration import services as registration

    world = registrants_world()
    message = services.create_message(world.event, audience=REGISTRANTS, subject=SUBJECT, body=BODY,
                                      send_at=NOW + timedelta(days=1), actor=world.organizer, now=NOW)
    services.send_message(message.id)
    rows = _db.session.scalars(_db.select(MessageRecipient).where(MessageRecipient.message_id == message.id))
    assert {r.state for r in rows} == {RecipientState.queued}
    registration.erase_personal_data(world.regs["hoa"])
    assert _db.session.scalar(_db.select(_db.func.count()).select_from(MessageRecipient)
                              .where(MessageRecipient.email_normalized == "hoa@baochi.vn")) == 0


def test_the_page_s_button_needs_its_csrf_token_and_the_one_click_post_none(app, db, client):
    token = services.make_unsubscribe_token("truc@example.vn")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post(f"/unsubscribe/{token}").status_code == 400  # a forged form post
        assert not services.is_unsubscribed("truc@example.vn")
        page = client.get(f"/unsubscribe/{token}").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        assert client.post(f"/unsubscribe/{token}", data={"csrf_token": csrf}).status_code == 200
        assert services.is_unsubscribed("truc@example.vn")
        other = services.make_unsubscribe_token("hoa@baochi.vn")
        one_click = client.post(f"/unsubscribe/{other}", data={"List-Unsubscribe": "One-Click"})
        assert one_click.status_code == 200 and services.is_unsubscribed("hoa@baochi.vn")
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
