"""How the audit log reads organizations' entries: a merge (naming the one merged), a pair marked as two, a
tax code an organization took from a form (and which form), an organizer's correction."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..audit.words import Words, ids_of, labelled, load_names
from .labels import KIND_LABELS, source_words
from .models import Organization


def _load(entries, context) -> None:
    load_names(context, "organization", Organization.name, ids_of(entries, object_type="organization"))


def _name(entry, context) -> str:
    return context.name("organization", entry.object_id)


def _other(entry, context) -> dict:
    changes = entry.changes or {}
    return {"other": changes.get("merged_name") or changes.get("other_name") or "—"}


words = Words(_l("Organizations"), name=_name, load=_load)
say = words.say
say("organization.merged", _l("%(actor)s merged “%(other)s” into the organization “%(object)s”"),
    params=_other, hide=("merged_name",))
say("organization.distinct", _l("%(actor)s marked “%(object)s” and “%(other)s” as different organizations"),
    params=_other, hide=("other_name",))



def _typed(entry, context) -> dict:
    changes = entry.changes or {}
    return {"code": changes.get("tax_code") or "—",
            "source": source_words(changes.get("source"), changes.get("source_id"))}


say("organization.tax_code_set",
    _l("%(actor)s typed the tax code %(code)s in %(source)s: the organization “%(object)s” took it"),
    params=_typed, hide=("tax_code", "source", "source_id"),
    alone=_l("The organization “%(object)s” took the tax code %(code)s typed in %(source)s"))
say("organization.updated", _l("%(actor)s corrected the organization “%(object)s”"), diff=True)

field = words.field
field("merged_id", _l("Merged organization (id)"))
field("other_id", _l("Other organization (id)"))
field("name", _l("Name"))
field("kind", _l("Kind of organization"), labelled(KIND_LABELS))
field("tax_code", _l("Tax code"))


def plug_in(hooks) -> None:
    hooks.add_audit_words("organization.", words)
