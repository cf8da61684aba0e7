"""How the audit log reads accounts' entries: sign-ups, profiles, roles (issue 16)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..audit.words import Words, emails_of, ids_of, labelled, load_users
from .forms import EVENT_ROLE_LABELS, ROLE_LABELS


def _load(entries, context) -> None:
    load_users(context, ids=ids_of(entries), emails=emails_of(entries, "email"))


def _name(entry, context) -> str:
    return context.name("user", entry.object_id)


def _role(entry, context) -> dict:
    role = (entry.changes or {}).get("role")
    return {"role": labelled(EVENT_ROLE_LABELS)(role, context)}


words = Words(_l("Accounts and roles"), name=_name, load=_load)
words.say("user.created", _l("%(actor)s created the account of %(object)s"), hide=("role",))
words.say("user.email_changed", _l("%(actor)s changed the e-mail address of their account"))
words.say("user.email_verified", _l("%(actor)s confirmed the e-mail address of their account"))
words.say("user.updated", _l("%(actor)s updated their profile"))
words.say("user.password_changed", _l("%(actor)s changed their password"))
words.say("user.password_reset", _l("%(actor)s chose a new password through a reset link"))
words.say("user.role_changed", _l("%(actor)s changed the role of %(object)s"), diff=("role",))
words.say("user.erased", _l("%(actor)s erased their account"))
words.say("event_role.granted", _l("%(actor)s gave %(object)s the role “%(role)s”"), params=_role,
          hide=("email", "role"))
words.say("event_role.revoked", _l("%(actor)s took the role “%(role)s” from %(object)s"), params=_role,
          hide=("email", "role"))

_changed = _l("changed")
words.field("role", _l("Role"), labelled(ROLE_LABELS))
for key, label in (("full_name", _l("Name")), ("phone", _l("Phone")), ("organization", _l("Organization")),
                   ("locale", _l("Language"))):
    words.field(key, label, lambda value, context: str(_changed))


def plug_in(hooks) -> None:
    hooks.add_audit_words("user.", words)
    hooks.add_audit_words("event_role.", words)

