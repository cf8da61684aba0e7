"""Decree 13: an account erased on request leaves no name, address or free text of the person in the
other features – a contest team, a booth application, matchmaking profiles, requests and meeting notes,
certificates – and its certificates are revoked (no table, no text or JSON column names them)."""

from __future__ import annotations

from eventhub.accounts.services import erase_user
from eventhub.certificates.models import Certificate, CertificateKind, CertificateStatus
from eventhub.extensions import db as _db
from tests.booths.factories import apply, hall_event
from tests.contests.factories import make_contest, make_entry
from tests.factories import PASSWORD, make_user
from tests.matchmaking.factories import accepted, investor, startup
from tests.support.personal_data import traces

NAME, EMAIL = "Nguyễn Thị Xoá Được", "xoa.duoc@example.vn"
TRACES = ("Xoá Được", "xoa.duoc", "912345678", "912 345 678", "Công ty Bí Mật")


def test_erasing_an_account_scrubs_every_feature(db):
    event = hall_event()
    person = make_user("participant", email=EMAIL, full_name=NAME)
    apply(event, person, organization="Công ty CP Hoa Sen", contact_email=EMAIL)
    make_entry(make_contest(event), person, team=[{"full_name": NAME, "email": EMAIL}])
    fund = investor(event)
    mine = startup(event, user=person, seeking="Gọi vốn – liên hệ Xoá Được", traction="Xoá Được sáng lập")
    accepted(mine, fund, message="Chào quỹ, tôi là Xoá Được")
    _db.session.add(Certificate(event_id=event.id, kind=CertificateKind.participation,
                                serial="ERAS-0000-0001", holder_key=EMAIL, holder_name=NAME,
                                holder_email=EMAIL, user_id=person.id))
    _db.session.commit()
    assert any("contest_entry_members" in t for t in traces(TRACES))  # the scan sees them before

    erase_user(person, PASSWORD)

    assert traces(TRACES) == []
    cert = _db.session.scalar(_db.select(Certificate).filter_by(serial="ERAS-0000-0001"))
    assert cert.status == CertificateStatus.revoked and cert.holder_name == "—"
