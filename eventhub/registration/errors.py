"""The registration refusals that api.md names."""

from flask_babel import lazy_gettext as _l

from ..errors import Conflict, Forbidden


class AlreadyRegistered(Conflict):
    code = "already_registered"
    default_message = _l("This e-mail is already registered for this event.")


class SoldOut(Conflict):
    code = "sold_out"
    default_message = _l("This ticket type is sold out.")


class SessionFull(Conflict):
    code = "session_full"
    default_message = _l("A session you chose is full. Nothing was registered; please choose again.")


class RegistrationClosed(Forbidden):
    code = "registration_closed"
    default_message = _l("Registration is closed.")


class NotPending(Conflict):
    code = "not_pending"
    default_message = _l("Only registrations waiting for approval can be approved or rejected.")


class HoldExpired(Conflict):
    code = "hold_expired"
    default_message = _l("The link was not opened in time, so the seat was released. Please register again.")


class NotPendingEmail(Conflict):
    code = "registration_cancelled"
    default_message = _l("This registration is cancelled.")


class NotConfirmed(Conflict):
    """Only a confirmed registration answers "will you come?" (a cancelled one cannot say yes again)."""

    code = "not_confirmed"
    default_message = _l("Only a confirmed registration can answer whether you will come.")


class AttendanceClosed(Conflict):
    code = "attendance_closed"
    default_message = _l("The event is over: the answer can no longer be changed.")
