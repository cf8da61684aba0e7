"""How the audit log reads registration's entries: registrants, types, questions, sessions (issue 16).

A registration is named by its registrant's name as it is now (an erased one says so, whatever the
entry stored); a type by its name, a session by its title, a question by its label."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..audit.words import (
    Words,
    ids_of,
    labelled,
    load_names,
    load_rows,
    names_of,
    person,
    plain,
    when,
)
from ..extensions import db
from ..vietnamese import format_phone
from .labels import KIND_LABELS, STATUS_LABELS
from .models import EventSession, Question, Registration, RegistrationType
from .privacy import ERASED
from .services import HOLD_EXPIRED

SESSION_KEYS = ("sessions", "dropped_sessions")


def _load(entries, context) -> None:
    regs = ids_of(entries, object_type="registration") | ids_of(entries, key="registrations")
    load_names(context, "registration", Registration.full_name, regs, show=person)
    load_names(context, "registration_type", RegistrationType.name,
               ids_of(entries, object_type="registrationtype"))
    load_names(context, "question", Question.label, ids_of(entries, object_type="question"))
    sessions = ids_of(entries, object_type="eventsession")
    for key in SESSION_KEYS:
        sessions |= ids_of(entries, key=key)
    load_names(context, "session", EventSession.title, sessions)
    codes = {(entry.changes or {}).get("type") for entry in entries} - {None}
    if codes and context.event is not None:
        load_rows(context, "type_code", db.select(RegistrationType.code, RegistrationType.name).where(
            RegistrationType.event_id == context.event.id, RegistrationType.code.in_(codes)),
            lambda row: row[1])


def _name(entry, context) -> str:
    kind = {"registration": "registration", "registrationtype": "registration_type",
            "question": "question", "eventsession": "session"}.get(entry.object_type)
    if kind is None:
        return ""
    return context.name(kind, entry.object_id, (entry.changes or {}).get("title"))


def _type(value, context) -> str:
    return context.name("type_code", value, value)


def _reason(value, context) -> str:
    return {ERASED: str(_l("the registrant erased their data")),
            HOLD_EXPIRED: str(_l("the e-mailed link was not opened in time"))}.get(value) or plain(value)


def _phone(value, context) -> str:
    return plain(value) if value in (None, "", ERASED) else format_phone(value)


def _count(key):
    def params(entry, context) -> dict:
        value = (entry.changes or {}).get(key)
        return {"count": len(value) if isinstance(value, list) else 0}
    return params


def _attendance_answer(entry, context) -> dict:
    """A no cancels the registration (its entry carries the status), a yes records only the answer."""
    changes = entry.changes or {}
    attending = changes.get("attending")
    said_no = "status" in changes or (isinstance(attending, list) and attending[-1] is False)
    return {"answer": _l("no, they cannot come (the registration is cancelled)") if said_no
            else _l("yes, they will come")}


_changed = _l("changed")
_no_limit = _l("No limit")
words = Words(_l("Registration"), name=_name, load=_load)
say = words.say
say("registration.created", _l("%(actor)s registered %(object)s"), alone=_l("%(object)s registered"))
say("registration.promoted", _l("%(object)s moved up from the waiting list"))
say("registration.cancelled", _l("%(actor)s cancelled the registration of %(object)s"), diff=("status",),
    alone=_l("The registration of %(object)s was cancelled"))
say("registration.rejected", _l("%(actor)s turned down the registration of %(object)s"), diff=("status",))
say("registration.hold_expired", _l("The seat held for %(object)s was released: the e-mail was not confirmed "
                                    "in time"), diff=("status",), hide=("reason",))
say("registration.email_confirmed", _l("%(object)s confirmed their e-mail address"))
say("registration.links_requested", _l("Someone asked for the links to their registrations again "
                                       "(%(count)s registrations)"), params=_count("registrations"))
say("registration.approved", _l("%(actor)s approved the registration of %(object)s"))
say("registration.updated", _l("%(actor)s changed the details of %(object)s"), diff=True)
say("registration.sessions_changed", _l("%(actor)s changed the sessions of %(object)s"), diff=("sessions",))
say("registration.erased", _l("%(actor)s erased the personal data of a registration"))
say("registration.attendance",
    _l("%(actor)s recorded the answer of %(object)s to “will you come?”: %(answer)s"),
    alone=_l("%(object)s answered “will you come?”: %(answer)s"), params=_attendance_answer,
    diff=("status",), hide=("attending", "reason"))
say("registration_type.created", _l("%(actor)s added the registration type %(object)s"), hide=("code",))
say("registration_type.updated", _l("%(actor)s edited the registration type %(object)s"), diff=True)
say("question.added", _l("%(actor)s added the question “%(object)s”"), hide=("key",))
say("question.updated", _l("%(actor)s edited the question “%(object)s”"), diff=True)
say("question.enabled", _l("%(actor)s showed the question “%(object)s” on the form again"))
say("question.disabled", _l("%(actor)s took the question “%(object)s” off the form"))
say("session.created", _l("%(actor)s added the session “%(object)s”"), hide=("title",))
say("session.updated", _l("%(actor)s edited the session “%(object)s”"), diff=True)

field = words.field
field("status", _l("Status"), labelled(STATUS_LABELS))
field("type", _l("Registration type"), _type)
field("reason", _l("Reason"), _reason)
field("sessions", _l("Sessions"), names_of("session"))
field("dropped_sessions", _l("Sessions no longer held for them"), names_of("session"))
field("registrations", _l("Registrations"), names_of("registration"))
field("full_name", _l("Name"))
field("phone", _l("Phone"), _phone)
field("organization", _l("Organization"))
field("answers", _l("Answers"), lambda value, context: plain(value) if value == ERASED else str(_changed))
# a type's, a question's and a session's own fields
field("code", _l("Short code"))
field("name", _l("Name"))
field("capacity", _l("Capacity"), lambda value, context: str(_no_limit) if value is None else plain(value))
field("waitlist", _l("Waiting list"))
field("requires_approval", _l("Needs approval"))
field("confirm_email", _l("E-mail must be confirmed"))
field("opens_at", _l("Registration opens"), when)
field("closes_at", _l("Registration closes"), when)
field("description", _l("Description"), lambda value, context: str(_l("changed")))
field("label", _l("Question"))
field("help_text", _l("Help text"))
field("kind", _l("Kind of answer"), labelled({k.value: v for k, v in KIND_LABELS.items()}))
field("required", _l("Required"))
field("options", _l("Choices"))
field("title", _l("Title"))
field("room", _l("Room"))
field("speakers", _l("Speakers"))
field("starts_at", _l("Starts"), when)
field("ends_at", _l("Ends"), when)


def plug_in(hooks) -> None:
    for prefix in ("registration.", "registration_type.", "question.", "session."):
        hooks.add_audit_words(prefix, words)
