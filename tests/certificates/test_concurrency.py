"""Two organizers issuing the same certificates at the same moment: one serial per person, always.

Threads with their own app contexts (their own connections), as two gunicorn workers would have; ids
are read before the threads start, so the threads never touch the test's session.
"""

from __future__ import annotations

from collections import Counter

from eventhub.certificates import services
from eventhub.certificates.holders import holders_for
from eventhub.certificates.models import Certificate
from eventhub.events.models import Event
from eventhub.extensions import db as _db
from tests.support.racing import race

ROUNDS = 4


def _issue_job(event_id: int, kind: str, organizer_id: int):
    def job():
        event = _db.session.get(Event, event_id)
        issued = services.ensure_certificates(event, kind, holders_for(event, kind), actor_id=organizer_id)
        return sorted((c.holder_key, c.serial) for c in issued)

    return job


def test_issuing_twice_at_once_keeps_one_serial_per_person(app, db, day, contest, organizer):
    event_id, organizer_id = day["event"].id, organizer.id
    for kind in ("participation", "award", "speaker", "judge"):
        outcomes = race(app, [_issue_job(event_id, kind, organizer_id) for _ in range(ROUNDS)])
        assert all(isinstance(o, list) for o in outcomes), outcomes
        assert all(o == outcomes[0] for o in outcomes), outcomes  # everyone got the same serials
        db.session.expire_all()
        rows = list(
            db.session.scalars(
                db.select(Certificate).where(Certificate.event_id == event_id, Certificate.kind == kind)
            )
        )
        assert sorted((c.holder_key, c.serial) for c in rows) == outcomes[0]
        assert max(Counter(c.holder_key for c in rows).values()) == 1


def test_two_revocations_at_once_are_one(app, db, day, organizer):
    services.ensure_certificates(day["event"], "participation", holders_for(day["event"], "participation"))
    serial = db.session.scalars(db.select(Certificate.serial)).first()

    def revoke(reason):
        def job():
            cert = services.get(serial)
            return services.revoke(cert, reason).revoke_reason

        return job

    outcomes = race(app, [revoke(f"Lý do {i}") for i in range(4)])
    assert len(set(outcomes)) == 1 and outcomes[0].startswith("Lý do"), outcomes
    from eventhub.audit.models import AuditEntry

    assert (
        db.session.scalar(
            db.select(db.func.count(AuditEntry.id)).where(AuditEntry.action == "certificate.revoked")
        )
        == 1
    )


def test_revoking_while_issuing_again_keeps_the_revocation_and_the_serials(app, db, day, organizer):
    """An organizer revokes Trúc's certificate while two others issue the participation ones again: the
    certificate stays revoked, nobody gets a second one, every serial is the one issued first."""
    event = day["event"]
    first = {c.holder_key: c.serial for c in services.ensure_certificates(
        event, "participation", holders_for(event, "participation"))}
    serial = next(c.serial for c in db.session.scalars(db.select(Certificate))
                  if c.registration_id == day["truc"].id)
    event_id, organizer_id = event.id, organizer.id

    def revoke():
        return services.revoke(services.get(serial), "Cấp nhầm").status.value

    for _round in range(ROUNDS):
        outcomes = race(app, [_issue_job(event_id, "participation", organizer_id), revoke,
                               _issue_job(event_id, "participation", organizer_id)])
        assert outcomes[1] == "revoked", outcomes
        assert outcomes[0] == outcomes[2] == sorted(first.items()), outcomes
    db.session.expire_all()
    rows = list(db.session.scalars(db.select(Certificate)))
    assert {c.holder_key: c.serial for c in rows} == first and len(rows) == len(first)
    assert {c.serial: c.status.value for c in rows}[serial] == "revoked"
    assert sum(c.status.value == "revoked" for c in rows) == 1
