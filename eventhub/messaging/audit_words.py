"""How the audit log reads messaging's entries: a message created, cancelled, sent (named by its subject)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..audit.words import Words, ids_of, load_names, when
from .models import Message


def _load(entries, context) -> None:
    load_names(context, "message", Message.subject, ids_of(entries, object_type="message"))


def _name(entry, context) -> str:
    return context.name("message", entry.object_id, (entry.changes or {}).get("subject"))


words = Words(_l("Messages"), name=_name, load=_load)
say = words.say
say("message.created", _l("%(actor)s wrote the message “%(object)s”"), hide=("subject",))
say("message.cancelled", _l("%(actor)s cancelled the message “%(object)s”"), hide=("subject",))
say("message.sent", _l("%(actor)s sent the message “%(object)s”"),
    alone=_l("The message “%(object)s” was queued for every recipient"))

field = words.field
field("recipients", _l("Recipients"))
field("send_at", _l("Send at"), when)


def plug_in(hooks) -> None:
    hooks.add_audit_words("message.", words)
