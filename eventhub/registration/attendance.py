"""A registrant's answer to the reminder's "will you come?" (issue 18).

Yes is recorded; no cancels the registration exactly as a cancel does (the seat goes to the waiting list,
the cancel e-mail is sent) and is recorded with it, in one transaction. The latest answer wins, but a no
cannot be undone: the registration is cancelled, and only a confirmed registration answers.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update

from ..audit.services import record
from ..dbtypes import utcnow
from ..extensions import db
from .errors import AttendanceClosed, NotConfirmed, NotPending
from .models import Registration, RegistrationStatus
from .services import cancel_registration

S = RegistrationStatus
ACTION = "registration.attendance"


def can_answer(reg: Registration, *, now: datetime | None = None) -> bool:
    """Whether the manage page offers the two answers: confirmed, and the event not over yet."""
    return reg.status == S.confirmed and (now or utcnow()) < reg.event.ends_at


def set_attendance(reg: Registration, attending: bool, *, actor=None, now: datetime | None = None
                   ) -> Registration:
    """Records the answer; no cancels as cancel_registration does. Commits.

    NotConfirmed (409) unless the registration is confirmed; AttendanceClosed (409) once the event is over
    (the no-show figures read the answers given before it)."""
    now = now or utcnow()
    if reg.status != S.confirmed:
        raise NotConfirmed()
    if now >= reg.event.ends_at:
        raise AttendanceClosed()
    if attending:
        return _say_yes(reg, actor, now)
    # Flushed by the cancel's own conditional UPDATE, so both commit (or roll back) together.
    reg.attending, reg.attendance_at = False, now
    try:
        cancel_registration(reg, actor=actor, action=ACTION, only_from=S.confirmed, now=now)
    except NotPending as exc:  # cancelled by someone else a moment ago: nothing was written
        raise NotConfirmed() from exc
    return reg


def _say_yes(reg: Registration, actor, now: datetime) -> Registration:
    previous = reg.attending
    # Conditional on the status, so a cancel at the same moment is never answered "yes" afterwards.
    result = db.session.execute(
        update(Registration).where(Registration.id == reg.id, Registration.status == S.confirmed)
        .values(attending=True, attendance_at=now, updated_at=now)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.rollback()
        raise NotConfirmed()
    reg.attending, reg.attendance_at = True, now
    db.session.expire(reg, ["updated_at"])
    record("registration.attendance", reg, actor=actor, event=reg.event,
           changes={"attending": [previous, True]})
    db.session.commit()
    return reg
