"""Running `flask demo` again touches only what that run writes: another event keeps its records and
their dates (no check-ins, certificates or signer of the demo's), and what people did in the demo
between two runs (a certificate revoked, an event edited) keeps the day they did it."""

from __future__ import annotations

from datetime import datetime

from eventhub.certificates import services as certificates
from eventhub.certificates.models import Certificate, CertificateStatus
from eventhub.certificates.templates import signer_of
from eventhub.checkin.models import CheckIn
from eventhub.dbtypes import UTCDateTime
from eventhub.demo import load_demo
from eventhub.demo.data import HCMC
from eventhub.events import services as events
from eventhub.events.models import Event
from tests.factories import make_type, make_user, register
from tests.support.demo import PASSWORD, VISITORS


def _dates(db) -> dict[tuple, tuple]:
    """(table, primary key) -> the row's dates, for every row of every table."""
    found = {}
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.c if isinstance(c.type, UTCDateTime)]
        if not columns:
            continue
        keys = list(table.primary_key.columns)
        for row in db.session.execute(db.select(*keys, *columns)):
            found[(table.name, *row[:len(keys)])] = tuple(row[len(keys):])
    return found


def test_a_second_demo_run_leaves_other_events_and_later_actions_alone(db, demo):
    organizer = make_user("organizer")
    other = events.create_event(
        actor=organizer, slug="hoi-cho-2021", name="Hội chợ Công nghệ 2021", kind="regional_day",
        starts_at=datetime(2021, 3, 10, 8, 0, tzinfo=HCMC), ends_at=datetime(2021, 3, 10, 17, 0, tzinfo=HCMC),
        venue="Nhà Văn hóa Thanh niên, Quận 1", registration_open=True)
    register(other, make_type(other), bypass_window=True, notify=False)
    # Someone uses the demo after it was loaded: revokes a certificate, edits a past event.
    cert = db.session.scalars(db.select(Certificate).order_by(Certificate.id)).first()
    certificates.revoke(cert, "Cấp nhầm người nhận", actor=organizer)
    past = db.session.scalar(db.select(Event).where(Event.slug == "ai-day-2020"))
    events.update_event(past, actor=organizer, venue="Hội trường Sở Khoa học và Công nghệ, Quận 3")
    before = _dates(db)

    load_demo(password=PASSWORD, visitors=VISITORS)

    db.session.expire_all()
    after = _dates(db)
    changed = [key for key, dates in before.items() if after.get(key) != dates]
    assert not changed, changed[:5]  # nothing that was there before the run is re-dated (or removed)
    assert db.session.scalar(db.select(db.func.count(CheckIn.id)).filter_by(event_id=other.id)) == 0
    assert db.session.scalar(db.select(db.func.count(Certificate.id)).filter_by(event_id=other.id)) == 0
    assert signer_of(db.session.get(Event, other.id)) == ("", "")
    assert db.session.get(Certificate, cert.id).status == CertificateStatus.revoked
