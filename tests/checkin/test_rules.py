"""The rules of a check-in, against the service: signed tickets first, once per event day, refusals
with their api.md codes, undo, and a registration's status that never changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import event as sa_event
from sqlalchemy import inspect

from eventhub.audit.models import AuditEntry
from eventhub.checkin import services
from eventhub.checkin.errors import AlreadyCheckedIn, AlreadyUndone, NotATicket, NotConfirmed, UnknownTicket
from eventhub.checkin.models import CheckIn
from eventhub.errors import EventHubError, ValidationError
from eventhub.registration.models import Registration
from eventhub.registration.tickets import make_ticket_code, ticket_key
from tests.checkin.helpers import MORNING
from tests.factories import HCMC, make_user


def _refusal(event, code, **kw) -> EventHubError:
    with pytest.raises(EventHubError) as caught:
        services.check_in(event, code, **kw)
    return caught.value


def _live(db, reg) -> list[CheckIn]:
    return list(db.session.scalars(db.select(CheckIn).where(CheckIn.registration_id == reg.id,
                                                            CheckIn.undone_at.is_(None))))


def test_a_confirmed_ticket_is_checked_in_with_time_gate_staff_and_day(db, gate):
    staff = make_user("staff")
    checkin = services.check_in(gate["event"], gate["truc"].ticket_code, gate="Cổng A", staff=staff,
                                now=MORNING)
    db.session.expire_all()
    stored = db.session.get(CheckIn, checkin.id)
    assert stored.registration_id == gate["truc"].id and stored.event_id == gate["event"].id
    assert stored.checked_in_at == MORNING.astimezone(UTC)
    assert stored.gate == "Cổng A" and stored.staff_id == staff.id
    assert stored.day == date(2026, 12, 14) and stored.undone_at is None


def test_checking_in_never_changes_the_registration_status(db, gate):
    services.check_in(gate["event"], gate["truc"].ticket_code, now=MORNING)
    services.check_in(gate["event"], gate["truc"].ticket_code, now=MORNING + timedelta(days=1))
    db.session.expire_all()
    assert db.session.get(Registration, gate["truc"].id).status.value == "confirmed"


def test_the_same_ticket_twice_on_one_day_is_already_checked_in_with_when_and_where(db, gate):
    event, code = gate["event"], gate["truc"].ticket_code
    services.check_in(event, code, gate="Cổng A", now=MORNING)
    with force_locale("en"):
        refusal = _refusal(event, code, gate="Cổng B", now=MORNING.replace(hour=16, minute=5))
    assert isinstance(refusal, AlreadyCheckedIn) and refusal.status == 409
    assert refusal.code == "already_checked_in"
    assert refusal.extra == {"checked_in_at": "2026-12-14T08:42:00+07:00", "gate": "Cổng A"}
    assert "08:42" in refusal.describe() and "Cổng A" in refusal.describe()
    assert len(_live(db, gate["truc"])) == 1


def test_the_day_is_the_event_day_not_the_utc_day(db, gate):
    """23:30 and 00:10 in Ho Chi Minh City are both on 14 December in UTC, but two event days."""
    event, code = gate["event"], gate["truc"].ticket_code
    late = datetime(2026, 12, 14, 23, 30, tzinfo=HCMC)
    after_midnight = datetime(2026, 12, 15, 0, 10, tzinfo=HCMC)
    assert late.astimezone(UTC).date() == after_midnight.astimezone(UTC).date()
    first = services.check_in(event, code, now=late)
    second = services.check_in(event, code, now=after_midnight)
    assert (first.day, second.day) == (date(2026, 12, 14), date(2026, 12, 15))


def test_a_multi_day_event_admits_a_ticket_once_each_day(db, gate):
    event, code = gate["event"], gate["truc"].ticket_code
    for offset in range(5):  # Startup Week: Monday to Friday
        day = MORNING + timedelta(days=offset)
        services.check_in(event, code, gate="Cổng A", now=day)
        assert _refusal(event, code, now=day + timedelta(hours=3)).code == "already_checked_in"
    assert [c.day.day for c in _live(db, gate["truc"])] == [14, 15, 16, 17, 18]


def test_the_event_dates_do_not_restrict_check_in(db, gate):
    event = gate["event"]
    before = services.check_in(event, gate["truc"].ticket_code, now=datetime(2026, 11, 1, 9, 0, tzinfo=HCMC))
    after = services.check_in(event, gate["dung"].ticket_code, now=datetime(2027, 3, 1, 9, 0, tzinfo=HCMC))
    assert before.day == date(2026, 11, 1) and after.day == date(2027, 3, 1)


@pytest.mark.parametrize("mangle", [
    lambda code: code[:-1],                                      # truncated
    lambda code: code[:-1] + ("A" if code[-1] != "A" else "B"),  # one character altered
    lambda code: code + "A",                                     # one too many
    lambda code: code[::-1],                                     # scrambled
    lambda code: "",
    lambda code: "   ",
    lambda code: "garbage",
    lambda code: "https://eventhub.example/t/" + code,
    lambda code: code + "\n" + code,
    lambda code: code[:16] + "0" * 16,                           # not base32
    lambda code: "A" * 101,
    lambda code: "ẞ" * 32,
    lambda code: make_ticket_code(b"someone else's key"),       # signed, but not by this system
], ids=["truncated", "altered", "longer", "reversed", "empty", "blank", "word", "url", "twice",
        "not-base32", "very-long", "non-ascii", "foreign-key"])
def test_codes_this_system_did_not_issue_are_invalid_tickets(db, gate, mangle):
    refusal = _refusal(gate["event"], mangle(gate["truc"].ticket_code))
    assert isinstance(refusal, NotATicket) and (refusal.status, refusal.code) == (400, "invalid_ticket")
    assert _live(db, gate["truc"]) == []


@pytest.mark.parametrize("value", [None, 12345, b"bytes", ["list"]])
def test_a_ticket_code_that_is_no_text_is_an_invalid_ticket(db, gate, value):
    assert _refusal(gate["event"], value).code == "invalid_ticket"


def test_the_signature_is_checked_before_any_query(db, gate):
    code = gate["truc"].ticket_code
    altered = code[:-1] + ("A" if code[-1] != "A" else "B")
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", count)
    try:
        _refusal(gate["event"], altered)
        _refusal(gate["event"], "x" * 5000)
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", count)
    assert statements == []


def test_case_and_surrounding_space_do_not_matter(db, gate):
    checkin = services.check_in(gate["event"], f"  {gate['truc'].ticket_code.lower()}\r\n", now=MORNING)
    assert checkin.registration_id == gate["truc"].id


def test_a_genuine_code_that_no_registration_holds_is_an_unknown_ticket(db, gate):
    refusal = _refusal(gate["event"], make_ticket_code(ticket_key()))
    assert isinstance(refusal, UnknownTicket) and (refusal.status, refusal.code) == (404, "unknown_ticket")


def test_a_ticket_of_another_event_is_the_wrong_event(db, gate, other_event):
    with force_locale("en"):
        refusal = _refusal(gate["event"], other_event["reg"].ticket_code)
    assert (refusal.status, refusal.code) == (409, "wrong_event")
    assert other_event["event"].name in refusal.describe()
    assert _live(db, other_event["reg"]) == []
    # …and at its own event it is fine.
    assert services.check_in(other_event["event"], other_event["reg"].ticket_code).id


@pytest.mark.parametrize(("who", "words"), [
    ("cancelled", "cancelled"), ("pending", "waiting for approval"), ("waitlisted", "waiting list")])
def test_a_registration_that_is_not_confirmed_is_refused_and_says_its_status(db, gate, who, words):
    reg = gate[who]
    with force_locale("en"):
        with pytest.raises(NotConfirmed) as caught:
            services.check_in_registration(gate["event"], reg, now=MORNING)
        refusal = caught.value
    assert (refusal.status, refusal.code) == (409, "not_confirmed")
    assert words in refusal.describe()
    assert refusal.registration.id == reg.id
    assert _live(db, reg) == []


def test_a_cancelled_ticket_scanned_is_not_confirmed(db, gate):
    # A cancelled registration keeps its code: the scan says "cancelled", not "unknown".
    reg = gate["cancelled"]
    code = db.session.scalar(db.select(Registration.ticket_code).where(Registration.id == reg.id))
    assert code
    assert _refusal(gate["event"], code).code == "not_confirmed"


def test_by_hand_a_registration_of_another_event_is_the_wrong_event(db, gate, other_event):
    with pytest.raises(EventHubError) as caught:
        services.check_in_registration(gate["event"], other_event["reg"])
    assert caught.value.code == "wrong_event"


def test_by_hand_the_same_once_per_day_rule_holds(db, gate):
    services.check_in_registration(gate["event"], gate["dung"], now=MORNING)
    with pytest.raises(AlreadyCheckedIn):
        services.check_in(gate["event"], gate["dung"].ticket_code, now=MORNING + timedelta(minutes=5))
    with pytest.raises(AlreadyCheckedIn):
        services.check_in_registration(gate["event"], gate["dung"], now=MORNING + timedelta(hours=1))


def test_undo_admits_the_ticket_again_and_is_audited(db, gate):
    organizer = make_user("organizer")
    event, code = gate["event"], gate["truc"].ticket_code
    first = services.check_in(event, code, gate="Cổng A", now=MORNING)
    services.undo_check_in(first, actor=organizer, now=MORNING + timedelta(minutes=1))
    again = services.check_in(event, code, gate="Cổng B", now=MORNING + timedelta(minutes=2))
    assert again.id != first.id
    db.session.expire_all()
    undone = db.session.get(CheckIn, first.id)
    assert undone.undone_by_id == organizer.id and undone.undone_at is not None
    assert [c.id for c in _live(db, gate["truc"])] == [again.id]
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "checkin.undone"))
    assert entry.actor_id == organizer.id and entry.event_id == event.id
    assert entry.object_id == str(first.id) and entry.changes["gate"] == "Cổng A"
    with pytest.raises(AlreadyUndone):
        services.undo_check_in(undone, actor=organizer)


def test_a_second_scan_is_refused_by_the_index_and_still_says_when_and_where(db, gate, monkeypatch):
    """No look before the insert (one query fewer per scan): the partial unique index refuses the
    second row, and only then is the first check-in read, to say when and at which gate."""
    event, code = gate["event"], gate["truc"].ticket_code
    services.check_in(event, code, gate="Cổng A", now=MORNING)
    real = services._live_checkin
    calls = []

    def counted(registration_id, day):
        calls.append(day)
        return real(registration_id, day)

    monkeypatch.setattr(services, "_live_checkin", counted)
    refusal = _refusal(event, code, gate="Cổng B", now=MORNING + timedelta(seconds=1))
    assert refusal.code == "already_checked_in" and refusal.extra["gate"] == "Cổng A"
    assert len(calls) == 1
    assert len(_live(db, gate["truc"])) == 1


def test_gate_names_are_tidied_and_limited(db, gate):
    checkin = services.check_in(gate["event"], gate["truc"].ticket_code, gate="  Cổng \t A\x00 ", now=MORNING)
    assert checkin.gate == "Cổng A"
    with pytest.raises(ValidationError) as caught:
        services.check_in(gate["event"], gate["dung"].ticket_code, gate="C" * 61, now=MORNING)
    assert "gate" in caught.value.fields
    assert services.check_in(gate["event"], gate["dung"].ticket_code, gate=None, now=MORNING).gate == ""


def test_a_second_scan_comes_back_with_who_scanned_first_already_loaded(db, gate):
    # The desk names them on the card ("Already entered at 08:00 · Trần Thanh Tâm") without a query.
    staff = make_user("staff", full_name="Trần Thanh Tâm")
    services.check_in(gate["event"], gate["truc"].ticket_code, gate="", staff=staff, now=MORNING)
    db.session.expire_all()
    refusal = _refusal(gate["event"], gate["truc"].ticket_code, now=MORNING + timedelta(minutes=5))
    assert isinstance(refusal, AlreadyCheckedIn)
    assert "staff" not in inspect(refusal.checkin).unloaded
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert refusal.checkin.staff.full_name == "Trần Thanh Tâm"
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", count)
    assert statements == []
