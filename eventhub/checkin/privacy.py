"""What check-in keeps of a person (Decree 13/2023/ND-CP): when and where their account's registrations
were checked in. The gate's rows name no one (a registration's number, a day, a gate, a device); they
leave the account with its registrations (registration.privacy), and they stay when one registration is
erased through its manage link, nameless: the event's attendance figures of past days stay true. The
workshops a person went to say more of them: the account's erasure and the registration's remove them.
"""

from __future__ import annotations

from ..accounts.models import User
from ..extensions import db
from ..registration.models import Registration
from .models import CheckIn, SessionCheckIn


def export(user: User) -> list[dict]:
    """The check-ins of the registrations the account holds, undone ones marked."""
    found = db.session.scalars(
        db.select(CheckIn).join(Registration, Registration.id == CheckIn.registration_id)
        .where(Registration.user_id == user.id).order_by(CheckIn.checked_in_at, CheckIn.id))
    return [{"registration": c.registration_id, "day": c.day.isoformat(), "gate": c.gate,
             "checked_in_at": c.checked_in_at.isoformat(), "undone": c.undone_at is not None} for c in found]


def _session_checkins_of(user: User):
    held = db.select(Registration.id).where(Registration.user_id == user.id)
    return db.select(SessionCheckIn).where(SessionCheckIn.registration_id.in_(held))


def export_session_checkins(user: User) -> list[dict]:
    """The workshop doors the account's registrations were scanned in at."""
    found = db.session.scalars(_session_checkins_of(user).order_by(SessionCheckIn.checked_in_at,
                                                                   SessionCheckIn.id))
    return [{"registration": c.registration_id, "session": c.session_id, "session_title": c.session.title,
             "checked_in_at": c.checked_in_at.isoformat(), "walk_in": c.walk_in} for c in found]


def forget_registration_session_checkins(reg: Registration) -> None:
    """Erasing one registration (its manage link) removes its workshop check-ins (no commit)."""
    db.session.execute(db.delete(SessionCheckIn).where(SessionCheckIn.registration_id == reg.id)
                       .execution_options(synchronize_session="fetch"))


def forget_session_checkins(user: User) -> None:
    """Erasure removes them (no commit): runs before registration.privacy lets the registrations go."""
    for entry in db.session.scalars(_session_checkins_of(user)):
        db.session.delete(entry)
