"""An organizer writes a message in a real browser, on a phone and at a desk: the placeholder buttons, the
time field shown only for "later", the preview with its count, sending after the confirmation (CSRF on,
the job in a background thread) and each recipient's delivery; then a scheduled one is cancelled."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from eventhub.accounts.services import grant_event_role
from eventhub.dbtypes import utcnow
from eventhub.events.models import Event
from tests.factories import HCMC, PASSWORD, make_type, make_user, open_event, register

from .helpers import SIZES, new_context, sign_in

pytestmark = pytest.mark.slow


@pytest.fixture(params=list(SIZES))
def size(request):
    return request.param


def test_an_organizer_previews_sends_and_cancels_messages(browser, live, db, shots, size):
    _app, base = live
    event: Event = open_event(slug="startup-day", name="Ngày hội Khởi nghiệp Đổi mới sáng tạo TP.HCM")
    visitor = make_type(event, code="visitor", name="Khách tham quan")
    for i, name in enumerate(["Nguyễn Thị Quý Trúc", "Lê Văn Dũng", "Phạm Minh Anh"]):
        register(event, visitor, full_name=name, email=f"khach{i}@example.vn", notify=False)
    organizer = make_user("participant", email="btc@example.vn", full_name="Lê Thị Ban Tổ Chức")
    grant_event_role(organizer, event, "organizer")

    page = new_context(browser, size).new_page()
    sign_in(page, base, organizer.email, PASSWORD)
    page.goto(f"{base}/events/startup-day/messages")
    page.click("text=Soạn tin nhắn")
    expect(page.locator(".send-at")).to_be_hidden()  # "now" is chosen: no time to type (the script ran)
    page.fill("input[name=subject]", "Thư mời tham dự {{ event }}")
    page.fill("textarea[name=body]", "Chào ")
    page.click("textarea[name=body]")
    page.keyboard.press("End")
    if size == "phone":  # beside the message on a desk; below it, folded, on a phone
        page.click("details.placeholders summary")
    page.click(".placeholder-insert[data-insert='{{ name }}']:visible")
    assert page.input_value("textarea[name=body]") == "Chào {{ name }}"
    page.click("button[value=preview]")
    page.wait_for_selector(".message-preview")
    assert "Sẽ gửi đến 3 người." in page.inner_text(".recipient-count")
    assert "Chào Nguyễn Thị Quý Trúc" in page.inner_text(".preview-body")
    shots(page, "preview")

    page.click("button[value=send]")
    page.wait_for_selector(".confirm-send")
    assert "3 người" in page.inner_text(".confirm-send")
    page.click("button[value=confirm]")
    page.wait_for_url(re.compile(r".*/messages/\d+$"))
    for _ in range(30):  # the job queues the e-mails in the background; the outbox then sends them
        if page.locator(".recipients .badge", has_text="Đã gửi").count() == 3:
            break
        page.wait_for_timeout(300)
        page.reload()
    assert page.locator(".recipients .badge", has_text="Đã gửi").count() == 3
    shots(page, "sent")

    page.goto(f"{base}/events/startup-day/messages/new")
    page.check("input[name=when][value=later]")
    expect(page.locator(".send-at")).to_be_visible()
    expect(page.locator(".send-button")).to_have_text("Lên lịch")
    later = (utcnow() + timedelta(days=1)).astimezone(HCMC).strftime("%Y-%m-%dT%H:%M")
    page.fill("input[name=send_at]", later)
    page.fill("input[name=subject]", "Nhắc lịch")
    page.fill("textarea[name=body]", "Hẹn gặp {{ name }} tại {{ venue }}")
    page.click("button[value=send]")
    page.click("button[value=confirm]")
    page.wait_for_url(re.compile(r".*/messages/\d+$"))
    page.click(".cancel-schedule summary")
    shots(page, "cancel asked")
    page.click(".cancel-schedule button[type=submit]")
    page.wait_for_load_state()
    assert "Đã hủy lịch gửi" in page.inner_text("main")
    page.goto(f"{base}/events/startup-day/messages")
    shots(page, "list")
    assert page.locator(".messages tbody tr").count() == 2
    page.context.close()


def test_the_message_page_reloads_once_when_sending_ends(browser, live, db, size):
    """The bar reaching its end reloads the page once: the badge then says the message is sent."""
    from eventhub.extensions import db as _db
    from eventhub.jobs.models import Job, JobState
    from eventhub.messaging.models import Message, MessageState

    _app, base = live
    event: Event = open_event(slug="startup-day", name="Ngày hội Khởi nghiệp Đổi mới sáng tạo TP.HCM")
    organizer = make_user("participant", email="btc@example.vn", full_name="Lê Thị Ban Tổ Chức")
    grant_event_role(organizer, event, "organizer")
    job = Job(kind="messages.send", event_id=event.id, created_by_id=organizer.id, state=JobState.running,
              total=4, done=1)
    _db.session.add(job)
    _db.session.flush()
    message = Message(event_id=event.id, subject="Thư mời {{ name }}", body="Chào", recipients=4,
                      audience={"kind": "registrants"}, state=MessageState.sending, job_id=job.id)
    _db.session.add(message)
    _db.session.commit()

    page = new_context(browser, size).new_page()
    sign_in(page, base, organizer.email, PASSWORD)
    loads = []
    page.on("load", lambda _page: loads.append(page.url))
    page.goto(f"{base}/events/startup-day/messages/{message.id}")
    expect(page.locator("h1 + .badge, .badge").first).to_have_text("Đang gửi")
    page.wait_for_timeout(1000)  # a few polls while running: no reload
    assert len(loads) == 1
    message.state, message.sent_at = MessageState.sent, utcnow()
    job.state, job.done = JobState.done, 4
    _db.session.commit()
    expect(page.locator("main")).to_contain_text("Đã gửi xong", timeout=5000)
    expect(page.locator("#job")).to_have_count(0)
    page.wait_for_timeout(1500)
    assert len(loads) == 2  # once
    page.context.close()
