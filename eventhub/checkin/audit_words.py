"""How the audit log reads the gate's entries (issue 16)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..audit.words import Words, day, ids_of, load_names, number, person, when
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
# A scan made offline, synced later, was earlier than the check-in of its day: it became the check-in.
words.say("checkin.moved_earlier",
          _l("%(actor)s moved the check-in of %(object)s to an earlier scan made offline"),
          diff=("checked_in_at", "gate", "device"), hide=("registration_id",),
          alone=_l("The check-in of %(object)s moved to an earlier scan made offline"))
# The counts as fields, not in the sentence: "1 scans" would need a plural form in each language. The
# device is a random id the desk made itself (checkin-offline.js): a technical detail among the fields
# ("Device ID"), never in the sentence people read.
words.say("checkin.batch_synced", _l("%(actor)s synced the scans of an offline desk"),
          alone=_l("The scans of an offline desk were synced"))
words.field("day", _l("Day"), day)
words.field("gate", _l("Gate"))
words.field("device", _l("Device ID"))
words.field("checked_in_at", _l("Checked in at"), when)
words.field("scans", _l("Scans sent"), number)
words.field("recorded", _l("New check-ins"), number)
words.field("moved", _l("Check-ins moved to an earlier scan"), number)
words.field("refused", _l("Scans refused"), number)


def plug_in(hooks) -> None:
    hooks.add_audit_words("checkin.", words)
