"""The check-in refusals that api.md names, each carrying what the desk page shows about it."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..errors import Conflict, EventHubError, NotFound
from ..i18n import format_time


class NotATicket(EventHubError):
    """`400 invalid_ticket`: garbage, truncated or altered – not a code this system issued."""

    status = 400
    code = "invalid_ticket"
    default_message = _l("Not a ticket: this code was not issued by EventHub (damaged, altered or not a "
                         "ticket at all).")

    def card_reason(self) -> str:
        """The reason under the card's "Not a ticket" heading (the API's message starts with those words)."""
        return _("This code was not issued by EventHub (damaged, altered or not a ticket at all).")


class UnknownTicket(NotFound):
    code = "unknown_ticket"
    default_message = _l("Unknown ticket: the code is genuine, but no registration has it.")

    def card_reason(self) -> str:
        return _("The code is genuine, but no registration has it.")


class CheckInRefused(Conflict):
    """A refusal about a known registration; `registration` is kept for the desk page (not the API)."""

    def __init__(self, message=None, *, registration=None, **kw):
        super().__init__(message, **kw)
        self.registration = registration


class WrongEvent(CheckInRefused):
    code = "wrong_event"
    default_message = _l("Wrong event: this ticket is for another event.")

    @classmethod
    def for_registration(cls, reg) -> WrongEvent:
        # The event's name only: who the person is stays with the staff of their own event.
        refusal = cls(_("Wrong event: this ticket is for “%(event)s”.", event=reg.event.name))
        refusal.event_name = reg.event.name
        return refusal

    def card_reason(self) -> str:
        """Under the card's own heading ("Wrong event", "Another event’s ticket"): no repeated prefix."""
        name = getattr(self, "event_name", None)
        if name:
            return _("This ticket is for “%(event)s”.", event=name)
        return _("This ticket is for another event.")


class NotConfirmed(CheckInRefused):
    code = "not_confirmed"
    default_message = _l("This registration is not confirmed.")

    @classmethod
    def for_registration(cls, reg) -> NotConfirmed:
        messages = {
            "cancelled": _("This registration is cancelled."),
            "waitlisted": _("This registration is on the waiting list, not confirmed."),
            "pending_approval": _("This registration is waiting for approval, not confirmed."),
            "pending_email": _("This registration is waiting for its e-mail address to be confirmed."),
        }
        return cls(messages.get(reg.status.value), registration=reg)


class AlreadyCheckedIn(CheckInRefused):
    """`409 already_checked_in`: today (in the event's time zone); says when and at which gate."""

    code = "already_checked_in"
    default_message = _l("Already checked in today.")

    def __init__(self, message=None, *, checkin=None, **kw):
        super().__init__(message, **kw)
        self.checkin = checkin

    @classmethod
    def for_checkin(cls, checkin, event) -> AlreadyCheckedIn:
        local = checkin.checked_in_at.astimezone(event.tz)
        if checkin.gate:
            message = _("Already checked in today at %(time)s at %(gate)s.",
                        time=format_time(local, event.tz), gate=checkin.gate)
        else:
            message = _("Already checked in today at %(time)s.", time=format_time(local, event.tz))
        return cls(message, checkin=checkin, registration=checkin.registration,
                   extra={"checked_in_at": local.isoformat(timespec="seconds"), "gate": checkin.gate})


class AlreadyUndone(Conflict):
    code = "already_undone"
    default_message = _l("This check-in has already been undone.")


class SessionFull(CheckInRefused):
    """`409 session_full`: a walk-in at a workshop's door when no seat is left."""

    code = "session_full"
    default_message = _l("This session is full: no seat is left for a person who did not book it.")


class AlreadyInSession(CheckInRefused):
    """`409 already_checked_in` at a workshop's door: this person was scanned into the session already."""

    code = "already_checked_in"
    default_message = _l("Already checked in to this session.")
