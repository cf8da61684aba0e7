"""How the audit log reads surveys' entries: a survey made, sent (to how many more), closed."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..audit.words import Words, ids_of, load_names
from .models import Survey


def _load(entries, context) -> None:
    load_names(context, "survey", Survey.title, ids_of(entries, object_type="survey"))


def _name(entry, context) -> str:
    return context.name("survey", entry.object_id, (entry.changes or {}).get("title"))


words = Words(_l("Surveys"), name=_name, load=_load)
say = words.say
say("survey.created", _l("%(actor)s made the survey “%(object)s”"), hide=("title",))
say("survey.sent", _l("%(actor)s sent the survey “%(object)s”"))
say("survey.closed", _l("%(actor)s closed the survey “%(object)s”"))

field = words.field
field("questions", _l("Questions"))
field("invited", _l("Newly invited"))


def plug_in(hooks) -> None:
    hooks.add_audit_words("survey.", words)
