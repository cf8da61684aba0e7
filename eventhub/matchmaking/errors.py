"""The matchmaking refusals that api.md names, and a few more with codes of their own."""

from flask_babel import lazy_gettext as _l

from ..errors import Conflict, Forbidden, NotFound


class NotContactable(Forbidden):
    code = "not_contactable"
    default_message = _l("This profile does not accept meeting requests.")


class AlreadyRequested(Conflict):
    code = "already_requested"
    default_message = _l("A meeting between you two has already been requested.")


class TooManyPending(Conflict):
    code = "too_many_pending_requests"
    default_message = _l("You have too many requests waiting for an answer. Wait for answers before "
                         "asking more people.")


class NotPending(Conflict):
    code = "request_not_pending"
    default_message = _l("This request has already been answered.")


class NotRecipient(Forbidden):
    code = "not_recipient"
    default_message = _l("Only the person who received this request can answer it.")


class ProfileRequired(Forbidden):
    code = "profile_required"
    default_message = _l("Create your matchmaking profile for this event first.")


class WrongRole(Forbidden):
    code = "profile_not_allowed"
    default_message = _l("Only investor accounts and participant (startup) accounts can have a "
                         "matchmaking profile.")


class ProfileNotFound(NotFound):
    code = "profile_not_found"
    default_message = _l("There is no such profile in this event.")


class SlotInUse(Conflict):
    code = "slot_in_use"
    default_message = _l("A slot that holds meetings cannot be removed or given fewer tables.")


class SlotBusy(Conflict):
    code = "slot_busy"
    default_message = _l("This place is taken.")


class MeetingLocked(Conflict):
    code = "meeting_locked"
    default_message = _l("This meeting is locked. Unlock it first.")


class MeetingCancelled(Conflict):
    code = "meeting_cancelled"
    default_message = _l("This meeting is cancelled.")


class NotParticipant(Forbidden):
    code = "not_participant"
    default_message = _l("Only the two sides of this meeting can do this.")
