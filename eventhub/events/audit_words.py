"""How the audit log reads an event's own entries: created, edited (issue 16)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..audit.words import Words, ids_of, labelled, load_names, number, when
from .forms import KIND_LABELS
from .models import Event


def _load(entries, context) -> None:
    load_names(context, "event", Event.name, ids_of(entries, object_type="event"))


def _name(entry, context) -> str:
    return context.name("event", entry.object_id, (entry.changes or {}).get("name"))


words = Words(_l("Event"), name=_name, load=_load)
words.say("event.created", _l("%(actor)s created the event %(object)s"), hide=("slug", "name"))
words.say("event.updated", _l("%(actor)s edited the event %(object)s"), diff=True)
words.field("name", _l("Name"))
words.field("slug", _l("Short address"))
words.field("kind", _l("Kind of event"), labelled({k.value: v for k, v in KIND_LABELS.items()}))
words.field("starts_at", _l("Starts"), when)
words.field("ends_at", _l("Ends"), when)
words.field("venue", _l("Venue"))
words.field("description", _l("Description"), lambda value, context: str(_l("changed")))
words.field("timezone", _l("Time zone"))
words.field("registration_open", _l("Registration open"))

outbox_words = Words(_l("E-mail"))  # the department's outbox: its entries name no event
outbox_words.say("outbox.retried", _l("%(actor)s queued again the e-mails that could not be sent"))
outbox_words.field("count", _l("E-mails"), number)


def plug_in(hooks) -> None:
    hooks.add_audit_words("event.", words)
    hooks.add_audit_words("outbox.", outbox_words)
