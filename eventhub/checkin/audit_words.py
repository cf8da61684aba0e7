"""How the audit log reads the gate's entries (issue 16)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..audit.words import Words, day, ids_of, load_names, person, when
from ..registration.models import Registration


def _load(entries, context) -> None:
    load_names(context, "registration", Registration.full_name, ids_of(entries, key="registration_id"),
               show=person)


def _name(entry, context) -> str:
    changes = entry.changes or {}
    return context.name("registration", changes.get("registration_id"), person(changes.get("full_name")))


words = Words(_l("Check-in"), name=_name, load=_load)
words.say("checkin.undone", _l("%(actor)s undid the check-in of %(object)s"),
          hide=("registration_id", "full_name"))
words.field("day", _l("Day"), day)
words.field("gate", _l("Gate"))
words.field("checked_in_at", _l("Checked in at"), when)


def plug_in(hooks) -> None:
    hooks.add_audit_words("checkin.", words)
