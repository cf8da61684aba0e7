"""An event with N confirmed registrations and a staff token, for bench_checkin.py.

A benchmark fixture, not the product: the registrations are inserted in bulk (the services would
take minutes for tens of thousands); their ticket codes are real, signed with the TICKET_KEY of the
environment, and written one per line to the file named by the second argument.
"""

import sys
from datetime import UTC, datetime

from eventhub import create_app
from eventhub.accounts import services as accounts
from eventhub.accounts.models import Role
from eventhub.events.services import create_event
from eventhub.extensions import db
from eventhub.registration import catalog
from eventhub.registration.models import Registration, RegistrationStatus
from eventhub.registration.tickets import make_ticket_code, new_nonce, ticket_key

SLUG = "bench-gate"

if __name__ == "__main__":
    count, codes_path, token_path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    with create_app().app_context():
        now = datetime.now(UTC)
        event = create_event(slug=SLUG, name="Ngày hội Cổng", kind="other", registration_open=True,
                             starts_at=datetime(2026, 12, 14, 1, tzinfo=UTC),
                             ends_at=datetime(2026, 12, 14, 10, tzinfo=UTC))
        rtype = catalog.create_type(event, code="visitor", name="Khách tham quan", capacity=None)
        key = ticket_key()
        codes = [make_ticket_code(key) for _ in range(count)]
        db.session.execute(db.insert(Registration), [{
            "event_id": event.id, "registration_type_id": rtype.id, "status": RegistrationStatus.confirmed,
            "full_name": f"Nguyễn Văn Khách {i}", "email": f"khach{i}@example.vn",
            "email_normalized": f"khach{i}@example.vn", "answers": [], "locale": "vi",
            "ticket_code": code, "manage_nonce": new_nonce(), "sort_key": "", "search_text": "",
            "created_at": now, "updated_at": now, "confirmed_at": now, "consent_at": now,
        } for i, code in enumerate(codes)])
        db.session.commit()
        staff = accounts.create_user("gate@example.vn", "gate-password-1", "Trần Thanh Tâm", role=Role.staff)
        token, _record = accounts.issue_token(staff)
    with open(codes_path, "w") as out:
        out.write("\n".join(codes) + "\n")
    with open(token_path, "w") as out:
        out.write(token)
