"""The registration rules: seats, waiting list, approval, sessions, duplicates, tickets."""

from datetime import datetime

import pytest

from eventhub.errors import ValidationError
from eventhub.registration import services
from eventhub.registration.errors import (
    AlreadyRegistered,
    NotPending,
    RegistrationClosed,
    SessionFull,
    SoldOut,
)
from eventhub.registration.models import EventSession, Registration, RegistrationType
from eventhub.registration.tickets import read_ticket_code, ticket_key
from tests.factories import HCMC, make_session, make_type, open_event, register


def _taken(db, model, row_id):
    return db.session.scalar(db.select(model.taken).where(model.id == row_id))


def test_confirmed_registration_gets_a_signed_ticket(db, outbox):
    event = open_event()
    rtype = make_type(event, capacity=2)
    reg, token = register(event, rtype, phone="0912 345 678", email=" Truc@Example.VN ")
    assert reg.status.value == "confirmed"
    assert reg.email == "truc@example.vn" and reg.phone == "+84912345678"
    assert len(reg.ticket_code) >= 16
    assert read_ticket_code(reg.ticket_code.lower(), ticket_key()) == reg.ticket_code
    assert token and services.manage_token(reg) == token
    assert _taken(db, RegistrationType, rtype.id) == 1
    assert len(list(outbox.glob("*.eml"))) == 1


def test_full_type_without_waitlist_is_sold_out(db):
    event = open_event()
    rtype = make_type(event, capacity=1)
    register(event, rtype)
    with pytest.raises(SoldOut):
        register(event, rtype)
    assert db.session.scalar(db.select(db.func.count(Registration.id))) == 1


def test_full_type_with_waitlist_queues_and_cancel_moves_the_oldest_up(db, outbox):
    event = open_event()
    rtype = make_type(event, capacity=1, waitlist=True)
    first, _ = register(event, rtype)
    second, _ = register(event, rtype)
    third, _ = register(event, rtype)
    assert (second.status.value, third.status.value) == ("waitlisted", "waitlisted")
    assert second.ticket_code is None
    services.cancel_registration(first)
    db.session.expire_all()
    assert db.session.get(Registration, second.id).status.value == "confirmed"
    assert db.session.get(Registration, second.id).ticket_code
    assert db.session.get(Registration, third.id).status.value == "waitlisted"
    assert _taken(db, RegistrationType, rtype.id) == 1


def test_approval_types_hold_the_seat_while_pending(db):
    event = open_event()
    rtype = make_type(event, capacity=1, waitlist=True, requires_approval=True)
    pending, _ = register(event, rtype)
    waiting, _ = register(event, rtype)
    assert (pending.status.value, waiting.status.value) == ("pending_approval", "waitlisted")
    services.approve(pending)
    assert pending.status.value == "confirmed" and pending.ticket_code
    with pytest.raises(NotPending):
        services.approve(pending)


def test_reject_frees_the_seat_for_the_waitlist_which_still_needs_approval(db):
    event = open_event()
    rtype = make_type(event, capacity=1, waitlist=True, requires_approval=True)
    pending, _ = register(event, rtype)
    waiting, _ = register(event, rtype)
    services.reject(pending, reason="Không phù hợp")
    db.session.expire_all()
    assert db.session.get(Registration, pending.id).status.value == "cancelled"
    assert db.session.get(Registration, pending.id).cancel_reason == "Không phù hợp"
    assert db.session.get(Registration, waiting.id).status.value == "pending_approval"


def test_same_email_cannot_hold_two_live_registrations(db):
    event = open_event()
    rtype = make_type(event)
    reg, _ = register(event, rtype, email="an@example.vn")
    with pytest.raises(AlreadyRegistered):
        register(event, rtype, email="  AN@example.vn")
    services.cancel_registration(reg)
    again, _ = register(event, rtype, email="an@example.vn")
    assert again.status.value == "confirmed"


def test_a_full_session_refuses_the_whole_registration(db):
    event = open_event()
    rtype = make_type(event, capacity=10)
    full = make_session(event, capacity=1)
    other = make_session(event, capacity=5, starts_at=full.ends_at, ends_at=full.ends_at.replace(hour=23))
    register(event, rtype, session_ids=[full.id])
    with pytest.raises(SessionFull):
        register(event, rtype, session_ids=[other.id, full.id])
    assert db.session.scalar(db.select(db.func.count(Registration.id))) == 1
    assert _taken(db, RegistrationType, rtype.id) == 1
    assert _taken(db, EventSession, other.id) == 0


def test_waitlisted_hold_no_session_seat_and_lose_full_sessions_on_moving_up(db):
    event = open_event()
    rtype = make_type(event, capacity=1, waitlist=True)
    talk = make_session(event, capacity=1)
    first, _ = register(event, rtype)
    waiting, _ = register(event, rtype, session_ids=[talk.id])
    assert _taken(db, EventSession, talk.id) == 0
    other_type = make_type(event)
    register(event, other_type, session_ids=[talk.id])  # takes the talk's last seat
    services.cancel_registration(first)
    db.session.expire_all()
    moved = db.session.get(Registration, waiting.id)
    assert moved.status.value == "confirmed"
    assert moved.session_choices == []


def test_closed_registration_is_refused(db):
    event = open_event()
    rtype = make_type(event)
    event.registration_open = False
    db.session.commit()
    with pytest.raises(RegistrationClosed):
        register(event, rtype)


def test_invalid_fields_are_named(db):
    event = open_event()
    make_type(event)
    with pytest.raises(ValidationError) as info:
        services.register(event, type_code="nope", full_name=" ", email="not-an-email", phone="123",
                          consent=False)
    assert set(info.value.fields) >= {"type", "full_name", "email", "phone", "consent"}


def test_raising_capacity_moves_the_waitlist_up(db):
    from eventhub.registration import catalog

    event = open_event()
    rtype = make_type(event, capacity=1, waitlist=True)
    register(event, rtype)
    waiting, _ = register(event, rtype)
    catalog.update_type(rtype, capacity=2)
    db.session.expire_all()
    assert db.session.get(Registration, waiting.id).status.value == "confirmed"


def test_ticket_codes_refuse_forgery_and_truncation(db):
    from eventhub.registration.tickets import InvalidTicket, make_ticket_code

    key = ticket_key()
    code = make_ticket_code(key)
    assert len(code) == 32 and code.isalnum() and code.isupper()
    flipped = code[:10] + ("A" if code[10] != "A" else "B") + code[11:]
    for bad in (flipped, code[:-1], code + "A", "", "0" * 32, "Ä" * 32):
        with pytest.raises(InvalidTicket):
            read_ticket_code(bad, key)
    with pytest.raises(InvalidTicket):
        read_ticket_code(code, b"another-key")
    assert make_ticket_code(key) != code


def test_a_session_change_on_a_stale_copy_cannot_undo_a_cancellation(app, db):
    """Request A loaded the registration; request B cancelled it; A's change must see that."""
    from eventhub.extensions import db as _db

    event = open_event()
    rtype = make_type(event)
    kept = make_session(event, capacity=5)
    other = make_session(event, capacity=5, starts_at=datetime(2026, 12, 15, 9, tzinfo=HCMC),
                         ends_at=datetime(2026, 12, 15, 10, tzinfo=HCMC))
    reg, _token = register(event, rtype, session_ids=[kept.id])
    stale = db.session.get(Registration, reg.id)
    with app.app_context():  # another request, another session
        services.cancel_registration(_db.session.get(Registration, reg.id))
    with pytest.raises(ValidationError):
        services.change_sessions(stale, [other.id])
    db.session.expire_all()
    assert db.session.get(EventSession, kept.id).taken == 0
    assert db.session.get(EventSession, other.id).taken == 0


def test_oversized_ids_in_pages_are_not_found(client, db):
    from tests.factories import login, make_user

    event = open_event()
    login(client, make_user("organizer"))
    assert client.get(f"/events/{event.slug}/registrations/99999999999999999999").status_code == 404
    rtype = make_type(event)
    _reg, token = register(event, rtype)
    response = client.post(f"/r/{token}/sessions", data={"sessions": ["99999999999999999999"]})
    assert response.status_code in (200, 302)
