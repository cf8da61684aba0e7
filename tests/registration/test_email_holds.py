"""Registration types with `confirm_email`: a seat is only held (pending_email) until the e-mailed link
is opened; a hold not confirmed in EMAIL_HOLD_MINUTES gives its seat back as a cancel does.

Issue 13, item 3: one anonymous client took all 30 seats of a type with throw-away addresses.
"""

from __future__ import annotations

import email
import email.policy
import re
from collections import Counter
from datetime import timedelta

import pytest

from eventhub.checkin import services as checkin_services
from eventhub.checkin.errors import NotConfirmed
from eventhub.dbtypes import utcnow
from eventhub.errors import EventHubError
from eventhub.extensions import db as _db
from eventhub.registration import services
from eventhub.registration.errors import HoldExpired
from eventhub.registration.models import Registration, RegistrationType
from eventhub.registration.tickets import make_email_token
from tests.factories import make_type, make_user, open_event, register
from tests.support.racing import race

CONFIRM_LINK = re.compile(r"http://localhost/registrations/confirm/\S+")


def _messages(outbox) -> list[email.message.EmailMessage]:
    return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for path in sorted(outbox.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)]


def _body(message) -> str:
    return message.get_body(("plain",)).get_content()


def _taken(db, rtype_id: int) -> int:
    db.session.expire_all()
    return db.session.get(RegistrationType, rtype_id).taken


def _status(db, reg_id: int) -> str:
    db.session.expire_all()
    return db.session.get(Registration, reg_id).status.value


def test_a_new_registration_only_holds_its_seat_and_has_no_ticket(db, outbox):
    event = open_event()
    rtype = make_type(event, capacity=30, confirm_email=True)
    now = utcnow()
    reg, _token = register(event, rtype, email="khach@example.vn", now=now)
    assert reg.status.value == "pending_email"
    assert reg.ticket_code is None
    assert reg.hold_expires_at == now + timedelta(minutes=30)
    assert _taken(db, rtype.id) == 1  # the hold counts while it runs
    [message] = _messages(outbox)
    body = _body(message)
    assert "30 phút" in body and CONFIRM_LINK.search(body)  # registered in Vietnamese
    assert not list(message.iter_attachments())  # no QR code: there is no ticket yet


def test_types_without_the_option_confirm_at_once(db):
    event = open_event()
    rtype = make_type(event, capacity=30)
    reg, _token = register(event, rtype)
    assert reg.status.value == "confirmed" and reg.ticket_code


def test_the_confirmation_link_flow_end_to_end(client, db, smtp_server):
    event = open_event()
    rtype = make_type(event, capacity=30, confirm_email=True)
    client.get("/?lang=en")
    response = client.post(f"/events/{event.slug}/register/{rtype.code}", data={
        "full_name": "Nguyễn Thị Quý Trúc", "email": "truc@example.vn", "consent": "y"})
    assert response.status_code == 302
    manage_path = response.headers["Location"]
    page = client.get(manage_path).get_data(as_text=True)
    assert ("open the link in the e-mail we sent to truc@example.vn within 30 minutes to keep your seat"
            in page)
    assert "ticket-qr" not in page  # no QR code while the seat is only held
    reg = _db.session.scalar(_db.select(Registration).filter_by(email="truc@example.vn"))
    assert client.get(manage_path.split("?")[0] + "/ticket.png").status_code == 404

    [held] = smtp_server.messages
    message = email.message_from_bytes(held.content, policy=email.policy.default)
    assert message["Subject"].startswith("Open this link to keep your seat")
    link = CONFIRM_LINK.search(_body(message)).group(0)
    path = link.removeprefix("http://localhost")
    confirm_page = client.get(path)
    assert confirm_page.status_code == 200
    assert _status(db, reg.id) == "pending_email"  # opening the page (a mail scanner too) changes nothing
    done = client.post(path)
    assert done.status_code == 302 and done.headers["Location"].startswith("/r/")
    db.session.expire_all()
    reg = db.session.get(Registration, reg.id)
    assert reg.status.value == "confirmed" and reg.ticket_code and reg.hold_expires_at is None
    assert reg.email_confirmed_at is not None
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "ticket-qr" in page and reg.ticket_code in page.replace(" ", "")  # shown in groups of four
    ticket_mail = email.message_from_bytes(smtp_server.messages[-1].content, policy=email.policy.default)
    assert ticket_mail["Subject"].startswith("Your registration is confirmed")
    assert reg.ticket_code in _body(ticket_mail).replace(" ", "")
    # Opening the link again is harmless.
    assert client.post(path).status_code == 302
    assert _status(db, reg.id) == "confirmed"


def test_the_manage_token_the_api_hands_out_cannot_confirm_the_address(client, db):
    """Whoever registered gets the manage token; only the mailbox gets the confirmation link."""
    event = open_event()
    rtype = make_type(event, capacity=30, confirm_email=True)
    reg, token = register(event, rtype)
    assert client.get(f"/registrations/confirm/{token}").status_code == 404
    assert client.post(f"/registrations/confirm/{token}").status_code == 404
    forged = make_email_token(reg.id, "not-the-nonce")
    assert client.post(f"/registrations/confirm/{forged}").status_code == 404
    assert _status(db, reg.id) == "pending_email"


def test_a_hold_expires_after_the_configured_minutes_and_the_waiting_list_moves_up(db, outbox):
    event = open_event()
    rtype = make_type(event, capacity=1, waitlist=True, confirm_email=True)
    t0 = utcnow()
    held, _ = register(event, rtype, email="a@example.vn", now=t0)
    waiting, _ = register(event, rtype, email="b@example.vn", now=t0)
    assert (held.status.value, waiting.status.value) == ("pending_email", "waitlisted")
    assert services.expire_holds(now=t0 + timedelta(minutes=29)) == 0
    assert _status(db, held.id) == "pending_email"
    assert services.expire_holds(now=t0 + timedelta(minutes=30, seconds=1)) == 1
    db.session.expire_all()
    held = db.session.get(Registration, held.id)
    assert held.status.value == "cancelled" and held.cancel_reason == "hold_expired"
    # The address of the one moving up is not proven either: it gets a hold of its own, and the link.
    waiting = db.session.get(Registration, waiting.id)
    assert waiting.status.value == "pending_email"
    assert waiting.hold_expires_at == t0 + timedelta(minutes=60, seconds=1)
    assert _taken(db, rtype.id) == 1
    subjects = [m["Subject"] for m in _messages(outbox)]
    assert any(s.startswith("Chỗ giữ của bạn đã được trả lại") for s in subjects), subjects
    assert any(s.startswith("Đã có chỗ trống – mở liên kết") for s in subjects), subjects


def test_a_waitlisted_person_who_proved_the_address_moves_up_confirmed(db):
    event = open_event()
    rtype = make_type(event, capacity=1, waitlist=True, confirm_email=True)
    t0 = utcnow()
    register(event, rtype, now=t0)
    waiting, _ = register(event, rtype, now=t0)
    services.confirm_email(waiting, now=t0 + timedelta(minutes=1))  # the link of the waiting-list e-mail
    assert _status(db, waiting.id) == "waitlisted"
    services.expire_holds(now=t0 + timedelta(minutes=31))
    db.session.expire_all()
    waiting = db.session.get(Registration, waiting.id)
    assert waiting.status.value == "confirmed" and waiting.ticket_code


def test_an_expired_hold_never_counts_even_when_no_sweep_has_run(db):
    event = open_event()
    rtype = make_type(event, capacity=1, confirm_email=True)
    t0 = utcnow()
    first, _ = register(event, rtype, now=t0)
    with pytest.raises(EventHubError) as refused:
        register(event, rtype, now=t0 + timedelta(minutes=10))
    assert refused.value.code == "sold_out"  # a running hold takes the seat
    second, _ = register(event, rtype, now=t0 + timedelta(minutes=31))  # nobody swept meanwhile
    assert second.status.value == "pending_email"
    assert _status(db, first.id) == "cancelled"
    assert _taken(db, rtype.id) == 1


def test_a_capacity_change_does_not_count_expired_holds(db):
    from eventhub.registration import catalog

    event = open_event()
    rtype = make_type(event, capacity=1, waitlist=True, confirm_email=True)
    t0 = utcnow()
    first, _ = register(event, rtype, now=t0)
    catalog.update_type(rtype, capacity=1, now=t0 + timedelta(minutes=31))  # expired: released first
    assert _status(db, first.id) == "cancelled"
    assert _taken(db, rtype.id) == 0


def test_confirming_too_late_is_refused_and_releases_the_seat(client, db):
    event = open_event()
    rtype = make_type(event, capacity=1, confirm_email=True)
    t0 = utcnow()
    reg, _ = register(event, rtype, now=t0)
    with pytest.raises(HoldExpired):
        services.confirm_email(reg, now=t0 + timedelta(minutes=30))
    assert _status(db, reg.id) == "cancelled"
    assert _taken(db, rtype.id) == 0
    # The page says so instead of a server error.
    token = make_email_token(reg.id, reg.manage_nonce)
    client.get("/?lang=en")
    followed = client.post(f"/registrations/confirm/{token}", follow_redirects=True)
    assert followed.status_code == 200
    assert "was not opened in time" in followed.get_data(as_text=True)


def test_check_in_refuses_a_hold(db):
    event = open_event()
    rtype = make_type(event, capacity=5, confirm_email=True)
    reg, _ = register(event, rtype)
    with pytest.raises(NotConfirmed) as refused:
        checkin_services.check_in_registration(event, reg, gate="A")
    assert refused.value.code == "not_confirmed"


def test_an_organizer_registering_someone_vouches_for_them(db):
    event = open_event()
    organizer = make_user("organizer")
    rtype = make_type(event, capacity=5, confirm_email=True)
    reg, _ = register(event, rtype, actor=organizer)
    assert reg.status.value == "confirmed"


def test_the_sweep_runs_from_the_cli(app, db):
    event = open_event()
    rtype = make_type(event, capacity=2, confirm_email=True)
    past = utcnow() - timedelta(minutes=31)
    reg, _ = register(event, rtype, now=past)
    result = app.test_cli_runner().invoke(args=["registrations", "expire-holds"])
    assert result.exit_code == 0, result.output
    assert "Released 1 expired holds." in result.output
    assert _status(db, reg.id) == "cancelled"
    assert _taken(db, rtype.id) == 0


def test_the_mail_thread_sweeps_expired_holds(app, db):
    """The periodic round of the mail thread (or `mail deliver --loop`) releases holds unattended."""
    from eventhub.mail.outbox import run_periodic

    event = open_event()
    rtype = make_type(event, capacity=2, confirm_email=True)
    reg, _ = register(event, rtype, now=utcnow() - timedelta(minutes=45))
    run_periodic()
    assert _status(db, reg.id) == "cancelled"


def test_statuses_have_labels_in_both_languages(client, db):
    from tests.factories import login

    event = open_event()
    organizer = make_user("organizer")
    rtype = make_type(event, capacity=5, confirm_email=True)
    register(event, rtype, full_name="Phạm Thị Hồng")
    login(client, organizer)
    client.get("/?lang=vi")
    page = client.get(f"/events/{event.slug}/registrations").get_data(as_text=True)
    assert "Chờ xác nhận e-mail" in page
    client.get("/?lang=en")
    page = client.get(f"/events/{event.slug}/registrations").get_data(as_text=True)
    assert "Waiting for e-mail confirmation" in page


# --- two at once: the link is opened as the hold runs out --------------------------------------------

def test_confirming_while_the_hold_expires_has_exactly_one_outcome(app, db):
    event = open_event()
    rtype = make_type(event, capacity=12, confirm_email=True)
    t0 = utcnow()
    regs = [register(event, rtype, now=t0, notify=False)[0] for _ in range(12)]
    ids = [reg.id for reg in regs]
    just_before = t0 + timedelta(minutes=30) - timedelta(milliseconds=1)
    after = t0 + timedelta(minutes=31)

    def confirm(reg_id):
        def job():
            reg = _db.session.get(Registration, reg_id)
            return services.confirm_email(reg, now=just_before).status.value
        return job

    def sweep():
        return f"swept {services.expire_holds(now=after)}"

    outcomes = race(app, [confirm(i) for i in ids] + [sweep, sweep])
    assert not [o for o in outcomes if str(o).startswith("crash")], outcomes
    confirms = Counter(outcomes[:12])
    swept = sum(int(o.split()[1]) for o in outcomes[12:])
    db.session.expire_all()
    statuses = Counter(_status(db, i) for i in ids)
    # Each hold either was confirmed (and got its ticket) or expired (and gave its seat back): never both.
    assert set(statuses) <= {"confirmed", "cancelled"}, statuses
    assert confirms["confirmed"] == statuses["confirmed"]
    assert confirms["hold_expired"] == statuses["cancelled"] == swept, (outcomes, statuses)
    assert confirms["confirmed"] + confirms["hold_expired"] == 12
    for reg_id in ids:
        reg = db.session.get(Registration, reg_id)
        assert (reg.ticket_code is not None) == (reg.status.value == "confirmed")
    assert _taken(db, rtype.id) == statuses["confirmed"]


def test_the_waiting_list_email_carries_the_link_that_proves_the_address(client, db, outbox):
    event = open_event()
    rtype = make_type(event, capacity=1, waitlist=True, confirm_email=True)
    register(event, rtype)
    waiting, _ = register(event, rtype, email="cho@example.vn")
    message = next(m for m in _messages(outbox) if "cho@example.vn" in m["To"])
    link = CONFIRM_LINK.search(_body(message)).group(0)
    assert client.post(link.removeprefix("http://localhost")).status_code == 302
    db.session.expire_all()
    waiting = db.session.get(Registration, waiting.id)
    assert waiting.status.value == "waitlisted" and waiting.email_confirmed_at is not None
