"""The same ticket scanned at several gates at the same moment: exactly one check-in.

Against the service, threads each with their own app context (their own connection), as gunicorn
workers would have; and over real HTTP against a threaded server. Ids and codes are read before the
threads start: the threads must not touch the test's session.
"""

from __future__ import annotations

from collections import Counter

from eventhub.checkin import services
from eventhub.checkin.models import CheckIn
from eventhub.events.models import Event
from eventhub.extensions import db as _db
from eventhub.registration.models import Registration
from tests.checkin.helpers import MORNING
from tests.factories import make_type, make_user, open_event, register, token_headers
from tests.support.racing import race, race_requests

GATES = 8


def _live_rows(db, reg_id: int) -> list[CheckIn]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(CheckIn).where(CheckIn.registration_id == reg_id,
                                                            CheckIn.undone_at.is_(None))))


def _scan_job(event_id: int, code: str, gate: str, staff_id: int | None = None):
    def job():
        from eventhub.accounts.models import User

        staff = _db.session.get(User, staff_id) if staff_id else None
        checkin = services.check_in(_db.session.get(Event, event_id), code, gate=gate, staff=staff,
                                    now=MORNING)
        return f"ok {checkin.gate}"
    return job


def test_one_ticket_at_eight_gates_at_once_is_checked_in_once(app, db):
    event = open_event()
    rtype = make_type(event)
    event_id = event.id
    tickets = [(reg.id, reg.ticket_code) for reg, _token in (register(event, rtype) for _ in range(5))]
    for reg_id, code in tickets:  # five rounds: five chances for the race to show
        outcomes = race(app, [_scan_job(event_id, code, f"Cổng {i}") for i in range(GATES)])
        counted = Counter(o.split()[0] for o in outcomes)
        assert counted == {"ok": 1, "already_checked_in": GATES - 1}, outcomes
        rows = _live_rows(db, reg_id)
        assert len(rows) == 1 and f"ok {rows[0].gate}" in outcomes
    assert db.session.scalar(db.select(db.func.count(CheckIn.id))) == len(tickets)


def test_scans_of_different_tickets_at_once_all_succeed(app, db):
    event = open_event()
    rtype = make_type(event)
    event_id = event.id
    codes = [register(event, rtype)[0].ticket_code for _ in range(12)]
    outcomes = race(app, [_scan_job(event_id, code, f"Cổng {i % 3}") for i, code in enumerate(codes)])
    assert Counter(o.split()[0] for o in outcomes) == {"ok": 12}, outcomes
    assert services.stats(db.session.get(Event, event_id), now=MORNING)["checked_in_today"] == 12


def test_two_organizers_undoing_at_once_undo_once(app, db):
    event = open_event()
    rtype = make_type(event)
    reg, _token = register(event, rtype)
    checkin_id = services.check_in(event, reg.ticket_code, now=MORNING).id
    organizer_ids = [make_user("organizer").id for _ in range(4)]

    def undo_job(user_id):
        def job():
            from eventhub.accounts.models import User

            checkin = _db.session.get(CheckIn, checkin_id)
            services.undo_check_in(checkin, actor=_db.session.get(User, user_id))
            return "undone"
        return job

    outcomes = Counter(race(app, [undo_job(i) for i in organizer_ids]))
    assert outcomes == {"undone": 1, "already_undone": 3}, outcomes
    from eventhub.audit.models import AuditEntry

    assert db.session.scalar(db.select(db.func.count(AuditEntry.id))
                             .where(AuditEntry.action == "checkin.undone")) == 1


def test_the_registration_stays_confirmed_whatever_the_race(app, db):
    event = open_event()
    rtype = make_type(event)
    reg, _token = register(event, rtype)
    reg_id, code, event_id = reg.id, reg.ticket_code, event.id
    race(app, [_scan_job(event_id, code, "Cổng A") for _ in range(6)])
    db.session.expire_all()
    assert db.session.get(Registration, reg_id).status.value == "confirmed"


# --- over HTTP ------------------------------------------------------------------------------------

def _outcome(result) -> str:
    status, data = result
    if status == 201:
        assert data["result"] == "ok", data
        return "201"
    if status == 409 and isinstance(data, dict):
        return f"409 {data['error']['code']}"
    return f"{status} {data!r}"


def test_one_ticket_at_ten_gates_over_http_gets_exactly_one_201(server, db):
    event = open_event(slug="regional-day")
    rtype = make_type(event, code="visitor")
    regs = [register(event, rtype)[0] for _ in range(3)]
    tickets = [(reg.id, reg.ticket_code) for reg in regs]
    headers = [token_headers(make_user("staff")) for _ in range(10)]
    path = "/api/v1/events/regional-day/checkins"
    for reg_id, code in tickets:
        results = race_requests(server, [
            ("POST", path, {"ticket_code": code, "gate": f"Cổng {i}"}, headers[i]) for i in range(10)])
        outcomes = Counter(_outcome(r) for r in results)
        assert outcomes == {"201": 1, "409 already_checked_in": 9}, outcomes
        winner = next(data for status, data in results if status == 201)
        # Every loser is told the winner's gate and time.
        for status, data in results:
            if status == 409:
                assert data["error"]["gate"] == winner["gate"], data
                assert data["error"]["checked_in_at"] == winner["checked_in_at"], data
        rows = _live_rows(db, reg_id)
        assert [row.id for row in rows] == [winner["checkin_id"]]
