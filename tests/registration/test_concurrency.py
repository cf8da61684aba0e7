"""Many people at once, each in its own database session: capacity and uniqueness hold.

Threads start together behind a barrier and each uses its own app context (its own connection),
as gunicorn workers would; the database alone decides who gets the last seat.
"""

from collections import Counter

from eventhub.extensions import db as _db
from eventhub.registration import services
from eventhub.registration.models import EventSession, Registration, RegistrationStatus, RegistrationType
from tests.factories import make_session, make_type, open_event, register
from tests.support.racing import race


def _register_job(event_id, code, email, **extra):
    def job():
        from eventhub.events.models import Event

        event = _db.session.get(Event, event_id)
        reg, _token = services.register(event, type_code=code, full_name="Khách Đồng Thời", email=email,
                                        consent=True, notify=False, **extra)
        return reg.status.value
    return job


def test_sixty_people_for_the_last_ten_seats(app, db):
    event = open_event()
    rtype = make_type(event, capacity=12)
    register(event, rtype), register(event, rtype)  # 10 seats left
    jobs = [_register_job(event.id, rtype.code, f"racer{i}@example.vn") for i in range(60)]
    outcomes = Counter(race(app, jobs))
    assert outcomes == {"confirmed": 10, "sold_out": 50}
    db.session.expire_all()
    confirmed = db.session.scalar(db.select(db.func.count(Registration.id)).where(
        Registration.status == RegistrationStatus.confirmed))
    assert confirmed == 12 == db.session.get(RegistrationType, rtype.id).taken


def test_one_person_clicking_twenty_times_registers_once(app, db):
    event = open_event()
    rtype = make_type(event)
    jobs = [_register_job(event.id, rtype.code, " Same@Example.vn ") for _ in range(20)]
    outcomes = Counter(race(app, jobs))
    assert outcomes == {"confirmed": 1, "already_registered": 19}
    assert db.session.scalar(db.select(db.func.count(Registration.id))) == 1


def test_last_session_seat_goes_to_exactly_one(app, db):
    event = open_event()
    rtype = make_type(event)
    talk = make_session(event, capacity=1)
    jobs = [_register_job(event.id, rtype.code, f"s{i}@example.vn", session_ids=[talk.id]) for i in range(15)]
    outcomes = Counter(race(app, jobs))
    assert outcomes == {"confirmed": 1, "session_full": 14}
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(Registration.id))) == 1
    assert db.session.get(EventSession, talk.id).taken == 1


def test_simultaneous_cancellations_each_move_one_waitlisted_person_up(app, db):
    event = open_event()
    rtype = make_type(event, capacity=10, waitlist=True)
    holders = [register(event, rtype)[0].id for _ in range(10)]
    waiting = [register(event, rtype)[0].id for _ in range(10)]

    def cancel_job(reg_id):
        def job():
            reg = _db.session.get(Registration, reg_id)
            return services.cancel_registration(reg).status.value
        return job

    outcomes = race(app, [cancel_job(i) for i in holders[:6]] + [cancel_job(holders[0])] * 3)
    assert set(outcomes) == {"cancelled"}
    db.session.expire_all()
    statuses = Counter(db.session.get(Registration, i).status.value for i in waiting)
    assert statuses == {"confirmed": 6, "waitlisted": 4}
    assert db.session.get(RegistrationType, rtype.id).taken == 10


def test_two_organizers_creating_the_same_type_code_get_one_type_and_one_conflict(app, db):
    from eventhub.events.models import Event
    from eventhub.registration import catalog

    event_id = open_event().id  # read here: the threads must not touch the test's session

    def create_job():
        def job():
            catalog.create_type(_db.session.get(Event, event_id), code="visitor", name="Khách")
            return "created"
        return job

    outcomes = Counter(race(app, [create_job() for _ in range(8)]))
    assert outcomes == {"created": 1, "code_taken": 7}
