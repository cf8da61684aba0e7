"""What messaging adds to other features' duties through eventhub.hooks: audit words, personal data."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .. import permissions
from ..hooks import Hooks
from . import cockpit, privacy
from .audit_words import plug_in as plug_in_audit_words


def plug_in(hooks: Hooks) -> None:
    plug_in_audit_words(hooks)  # how its audit entries read
    hooks.add_personal_data("messages", privacy.export, privacy.forget, order=80)
    hooks.add_registration_erasure(privacy.forget_registration)
    # The organizers' pages (msgpages): their menu link and the cockpit's card.
    hooks.add_organizer_link(_l("Messages"), "messaging.index", permissions.can_manage_event, order=200)
    hooks.add_cockpit(cockpit.load, order=85)
