"""What organizations add to other features' duties through eventhub.hooks: how their audit entries read,
and the organizers' menu link to the organizations' pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .. import permissions
from ..hooks import Hooks
from .audit_words import plug_in as plug_in_audit_words


def plug_in(hooks: Hooks) -> None:
    plug_in_audit_words(hooks)  # how its audit entries read
    hooks.add_menu_link(_l("Organizations"), "organizations.index", permissions.can_manage_organizations,
                        order=22)
