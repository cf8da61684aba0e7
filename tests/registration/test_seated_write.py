"""The morning rush's write (registration/seated_write.py): a registration that takes a seat is written as
one statement on PostgreSQL, outside any transaction (that statement is its own), and as four statements
in one transaction on SQLite; the rows are those the unit of work writes; everything else – no seat left,
sessions, a new organization – goes the whole way in a transaction."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta
from email import policy
from email.parser import BytesParser

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import IntegrityError

from eventhub.audit.models import AuditEntry
from eventhub.dbtypes import utcnow
from eventhub.extensions import each_statement_commits, statements_in_transaction
from eventhub.mail.models import OutboundEmail
from eventhub.registration import seated_write, services
from eventhub.registration.models import Registration, RegistrationType
from tests.factories import make_session, make_type, open_event, register
from tests.support.api import assert_error

API = "/api/v1"
WRITES = ("INSERT", "UPDATE", "WITH")
_ROWS_WITH_IT = ("INSERT INTO audit_entries", "INSERT INTO outbound_emails")


@contextmanager
def _writes(db):
    """(first word, whether it left a transaction open) of each statement writing registrations or seats
    (not the e-mail delivery's, which tests run at once). Asked after the statement: SQLite's driver
    begins a transaction right before a write, PostgreSQL's in autocommit never."""
    seen: list[tuple[str, bool]] = []

    def note(conn, _cursor, statement, _parameters, _context, _executemany):
        word = statement.lstrip().split(None, 1)[0].upper()
        if word not in WRITES or not ("registration" in statement or statement.startswith(_ROWS_WITH_IT)):
            return
        raw = conn.connection.dbapi_connection
        inside = raw.in_transaction if conn.dialect.name == "sqlite" else not raw.autocommit
        seen.append((word, inside))

    sa_event.listen(db.engine, "after_cursor_execute", note)
    try:
        yield seen
    finally:
        sa_event.remove(db.engine, "after_cursor_execute", note)


def _register(client, event, rtype, email, **extra):
    return client.post(f"{API}/events/{event.slug}/registrations", json={
        "type": rtype.code, "full_name": "Nguyễn Thị Quý Trúc", "email": email, "phone": "0912 345 678",
        "consent": True, **extra})


_CREATED = select(func.count(AuditEntry.id)).where(AuditEntry.action == "registration.created")


def email_message(path):
    return BytesParser(policy=policy.default).parse(path.open("rb"))


def _postgres(db) -> bool:
    return db.engine.dialect.name == "postgresql"


def test_a_seat_with_its_row_audit_entry_and_email_is_one_statement_on_postgresql(client, db, outbox):
    event = open_event()
    rtype = make_type(event, capacity=5)
    with _writes(db) as writes:
        answer = _register(client, event, rtype, "truc.nguyen@example.vn")
    assert answer.status_code == 201, answer.get_json()
    if _postgres(db):
        assert writes == [("WITH", False)]  # its own transaction: no BEGIN, no COMMIT round trips
    else:
        assert writes == [("UPDATE", True)] + [("INSERT", True)] * 3
    created = answer.get_json()
    db.session.expire_all()
    reg = db.session.get(Registration, created["id"])
    assert (reg.status.value, reg.ticket_code, reg.full_name) == (
        "confirmed", created["ticket_code"], "Nguyễn Thị Quý Trúc")
    assert reg.phone == "+84912345678" and reg.email_normalized == "truc.nguyen@example.vn"
    assert db.session.get(RegistrationType, rtype.id).taken == 1
    entry = db.session.scalars(db.select(AuditEntry).filter_by(action="registration.created")).one()
    assert (entry.object_type, entry.object_id, entry.event_id) == ("registration", str(reg.id), event.id)
    assert entry.changes == {"status": "confirmed", "type": rtype.code}
    email = db.session.scalars(db.select(OutboundEmail)).one()
    assert (email.kind, email.to, email.status.value) == ("registration.received", "truc.nguyen@example.vn",
                                                          "sent")
    # written from its payload (registration_id, status), then sent: the confirmation with the ticket
    message = email_message(next(outbox.glob("*.eml")))
    assert message["To"] == "truc.nguyen@example.vn" and "xác nhận" in message["Subject"]
    assert any(part.get_filename() == "ticket-qr.png" for part in message.iter_attachments())


def test_the_rows_are_those_the_whole_way_writes(client, db):
    """One registration by the one statement, one the whole way (a session chosen): every column but the
    person's own and the moment's reads the same, so no default is forgotten on either way."""
    event = open_event()
    rtype = make_type(event)
    talk = make_session(event)
    with _writes(db) as writes:
        quick = _register(client, event, rtype, "mot@example.vn").get_json()["id"]
        whole = _register(client, event, rtype, "hai@example.vn", sessions=[talk.id]).get_json()["id"]
    assert ("INSERT", False) not in writes and ("UPDATE", False) not in writes  # the whole way: a transaction
    db.session.expire_all()
    own = {"id", "email", "email_normalized", "ticket_code", "manage_nonce", "search_text", "created_at",
           "updated_at", "consent_at", "confirmed_at"}
    columns = [c.key for c in Registration.__table__.c if c.key not in own]
    rows = [db.session.get(Registration, i) for i in (quick, whole)]
    assert {c: getattr(rows[0], c) for c in columns} == {c: getattr(rows[1], c) for c in columns}
    assert all(row.ticket_code and row.confirmed_at and row.consent_at for row in rows)
    entries = db.session.scalars(db.select(AuditEntry).filter_by(action="registration.created")
                                 .order_by(AuditEntry.id)).all()
    assert [e.changes for e in entries] == [{"status": "confirmed", "type": rtype.code}] * 2
    assert [e.object_id for e in entries] == [str(quick), str(whole)]


def test_a_second_registration_of_the_address_takes_no_seat(client, db):
    event = open_event()
    rtype = make_type(event, capacity=3)
    assert _register(client, event, rtype, "mot@example.vn").status_code == 201
    assert_error(_register(client, event, rtype, " MOT@example.vn "), 409, "already_registered")
    db.session.expire_all()
    assert db.session.get(RegistrationType, rtype.id).taken == 1
    assert db.session.scalar(_CREATED) == 1
    assert db.session.scalar(db.select(db.func.count(OutboundEmail.id))) == 1
    # and the next person still gets a seat on the same connection
    assert _register(client, event, rtype, "hai@example.vn").get_json()["status"] == "confirmed"


def test_with_no_seat_left_the_waiting_list_is_written_in_a_transaction(client, db):
    event = open_event()
    rtype = make_type(event, capacity=1, waitlist=True)
    assert _register(client, event, rtype, "mot@example.vn").get_json()["status"] == "confirmed"
    with _writes(db) as writes:
        answer = _register(client, event, rtype, "hai@example.vn")
    assert answer.get_json()["status"] == "waitlisted"
    inserts = [inside for word, inside in writes if word == "INSERT"]
    assert inserts and all(inserts)  # the registration, its audit entry and e-mail in one transaction
    db.session.expire_all()
    assert db.session.get(RegistrationType, rtype.id).taken == 1
    waiting = db.session.scalars(db.select(Registration).filter_by(email="hai@example.vn")).one()
    assert waiting.ticket_code is None and waiting.confirmed_at is None and waiting.waitlisted_at


def test_sold_out_writes_nothing(client, db):
    event = open_event()
    rtype = make_type(event, capacity=1)
    _register(client, event, rtype, "mot@example.vn")
    assert_error(_register(client, event, rtype, "hai@example.vn"), 409, "sold_out")
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(Registration.id))) == 1
    assert db.session.scalar(_CREATED) == 1


def test_psycopg_keeps_the_statement_converted():
    """psycopg converts a query's %(name)s to $n anew on every execution when it is over 4,096 characters
    or 50 parameters (1.5 ms of CPU a registration): the statement stays under both."""
    from psycopg import _queries

    for with_email in (True, False):
        compiled = seated_write._statement(with_email).compile(dialect=postgresql.psycopg.dialect())
        assert len(str(compiled)) <= _queries.MAX_CACHED_STATEMENT_LENGTH
        assert len(compiled.params) <= _queries.MAX_CACHED_STATEMENT_PARAMS


def test_the_email_and_audit_entry_are_timed_as_the_whole_way_times_them(db):
    """`now` dates the registration, not its e-mail or audit entry: the whole way's `mail.queue` and
    `record` take the clock's time, and the one statement must too – else a registration dated ahead
    (a test, an import) queues its confirmation for later instead of sending it at once."""
    event = open_event()
    rtype = make_type(event)
    talk = make_session(event)
    ahead = utcnow() + timedelta(days=2)
    quick, _token = register(event, rtype, email="mot@example.vn", now=ahead)
    whole, _token = register(event, rtype, email="hai@example.vn", now=ahead, session_ids=[talk.id])
    db.session.expire_all()
    for reg in (quick, whole):
        email = db.session.scalars(db.select(OutboundEmail).filter_by(to=reg.email)).one()
        assert email.status.value == "sent", (reg.email, email.status, email.next_attempt_at)
        entry = db.session.scalars(db.select(AuditEntry).filter_by(action="registration.created",
                                                                   object_id=str(reg.id))).one()
        assert entry.created_at < ahead, reg.email


def test_a_refusal_by_another_constraint_is_not_called_already_registered(db):
    """Only the one-live-registration-per-address index means "already registered". Here the
    organization read with the event is erased before the write (its foreign key refuses the row):
    the person is not registered, and must not be told they are."""
    event = open_event()
    rtype = make_type(event, capacity=3)
    gone = 987_654  # the organization's id as read a moment ago; erased since
    for sessions in ([], [make_session(event).id]):  # the one statement, and the whole way
        preloaded = services.EventWithType(event, rtype, "Công ty Đã Xoá", gone)
        with pytest.raises(IntegrityError):
            services.register(event, preloaded=preloaded, type_code=rtype.code, full_name="Lê Văn Tám",
                              email="tam@example.vn", consent=True, organization="Công ty Đã Xoá",
                              session_ids=sessions)
        db.session.rollback()
        assert db.session.scalar(db.select(func.count(Registration.id))) == 0
        assert db.session.get(RegistrationType, rtype.id).taken == 0


def test_a_transaction_begun_after_the_statements_committed_is_not_committed_by_ending_them(db):
    """`each_statement_commits` lasts as long as its connection: once a commit or a rollback has let that go
    (the one statement written, a refusal rolled back), what the session does next is an ordinary
    transaction, which `statements_in_transaction` must leave to its owner – not commit it half done.
    (PostgreSQL's; on SQLite both are no-ops.)"""
    event = open_event()  # committed: the next statement is the session's first again
    each_statement_commits()
    db.session.scalar(select(func.count(Registration.id)))
    db.session.commit()  # seated_write's commit, or a refusal's rollback: the connection let go
    db.session.add(AuditEntry(action="half.done", object_type="event", event_id=event.id))
    db.session.flush()  # a caller's first statement of several, in a transaction again
    statements_in_transaction()
    db.session.rollback()  # the caller gives up
    assert db.session.scalar(select(func.count(AuditEntry.id)).filter_by(action="half.done")) == 0
