"""Many clients at once over real HTTP: the app runs in a threaded server, each request in its own
thread, app context and database connection, as under gunicorn; the database alone decides who gets
the last seat, and api.md's capacity and one-registration-per-e-mail promises hold.
"""

from __future__ import annotations

from collections import Counter

from eventhub.registration.models import EventSession, Registration, RegistrationStatus, RegistrationType
from tests.factories import make_session, make_type, open_event, register
from tests.support.racing import race_requests


def _outcome(result: tuple) -> str:
    """`201 confirmed`, `409 sold_out`, …: the status with the registration status or error code."""
    status, data = result
    if status == 201:
        assert set(data) == {"id", "status", "manage_token"} | (
            {"ticket_code"} if data["status"] == "confirmed" else set()), data
        return f"201 {data['status']}"
    if isinstance(status, int) and 400 <= status < 500 and isinstance(data, dict):
        assert set(data) == {"error"} and {"code", "message"} <= set(data["error"]), data
        return f"{status} {data['error']['code']}"
    return f"{status} {data!r}"


def _registration(type_code: str, email: str, **extra) -> dict:
    return {"type": type_code, "full_name": "Khách Đồng Thời", "email": email, "consent": True, **extra}


def _count(db, *conditions) -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count(Registration.id)).where(*conditions))


def test_sixty_clients_for_the_last_ten_seats(server, db):
    event = open_event()
    rtype = make_type(event, code="visitor", capacity=12)
    earlier = [register(event, rtype)[0].id, register(event, rtype)[0].id]  # 10 seats left
    path = f"/api/v1/events/{event.slug}/registrations"
    results = race_requests(server, [("POST", path, _registration("visitor", f"racer{i}@example.vn"), {})
                             for i in range(60)])
    outcomes = Counter(_outcome(r) for r in results)
    assert outcomes == {"201 confirmed": 10, "409 sold_out": 50}, outcomes
    winners = [data for status, data in results if status == 201]
    assert len({w["ticket_code"] for w in winners}) == 10
    confirmed = db.session.scalars(db.select(Registration.id).where(
        Registration.status == RegistrationStatus.confirmed)).all()
    assert sorted(confirmed) == sorted(earlier + [w["id"] for w in winners])
    assert _count(db) == 12
    assert db.session.get(RegistrationType, rtype.id).taken == 12


def test_twenty_simultaneous_posts_of_one_email_register_once(server, db):
    event = open_event()
    make_type(event, code="visitor")
    path = f"/api/v1/events/{event.slug}/registrations"
    spellings = ["same@example.vn", " Same@Example.vn ", "SAME@EXAMPLE.VN", "same@example.VN"]
    results = race_requests(server, [("POST", path, _registration("visitor", spellings[i % 4]), {})
                             for i in range(20)])
    outcomes = Counter(_outcome(r) for r in results)
    assert outcomes == {"201 confirmed": 1, "409 already_registered": 19}, outcomes
    assert _count(db) == 1
    assert _count(db, Registration.email_normalized == "same@example.vn") == 1


def test_the_last_session_seat_goes_to_exactly_one_client(server, db):
    event = open_event()
    make_type(event, code="visitor")
    talk = make_session(event, capacity=1)
    path = f"/api/v1/events/{event.slug}/registrations"
    bodies = [_registration("visitor", f"s{i}@example.vn", sessions=[talk.id]) for i in range(15)]
    results = race_requests(server, [("POST", path, body, {}) for body in bodies])
    outcomes = Counter(_outcome(r) for r in results)
    assert outcomes == {"201 confirmed": 1, "409 session_full": 14}, outcomes
    assert _count(db) == 1  # a refused session registers nothing
    assert db.session.get(EventSession, talk.id).taken == 1


def test_simultaneous_cancellations_move_one_waitlisted_client_up_each(server, db):
    event = open_event()
    rtype = make_type(event, code="visitor", capacity=10, waitlist=True)
    holders = [register(event, rtype) for _ in range(10)]
    waiting = [register(event, rtype)[0].id for _ in range(10)]
    cancels = [("POST", f"/api/v1/registrations/{reg.id}/cancel", None, {"X-Manage-Token": token})
               for reg, token in holders[:6]]
    cancels += [cancels[0]] * 3  # the same person pressing cancel again, at the same moment
    results = race_requests(server, cancels)
    assert [r[0] for r in results] == [200] * 9, results
    assert all(data == {"status": "cancelled"} for _status, data in results)
    db.session.expire_all()
    moved = Counter(db.session.get(Registration, i).status.value for i in waiting)
    assert moved == {"confirmed": 6, "waitlisted": 4}
    first_six = [db.session.get(Registration, i).status.value for i in waiting[:6]]
    assert first_six == ["confirmed"] * 6  # the oldest first
    assert db.session.get(RegistrationType, rtype.id).taken == 10
    assert _count(db, Registration.status == RegistrationStatus.confirmed) == 10
