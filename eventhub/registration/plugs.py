"""What registration adds to other features' pages, menus and duties, through eventhub.hooks."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .. import permissions
from ..hooks import EVENT_PAGE, Hooks
from . import (
    cockpit,
    panels,
    privacy,
    reminders,  # noqa: F401  (registers the reminder sweep and its e-mail with eventhub.mail)
)
from .audit_words import plug_in as plug_in_audit_words


def plug_in(hooks: Hooks) -> None:
    plug_in_audit_words(hooks)  # how its audit entries read
    _pages(hooks)
    _personal_data(hooks)


def _pages(hooks: Hooks) -> None:
    """Panels on other features' pages and links in the menus."""
    hooks.add_cockpit(cockpit.load, order=10)
    hooks.add_panel(EVENT_PAGE, "registration/_event_panel.html", panels.event_page, order=10,
                    key=panels.event_page_key, key_data=panels.event_page_key_data)
    hooks.add_organizer_link(_l("Registrations"), "registration_admin.registrations",
                             permissions.can_manage_event, order=10)
    hooks.add_organizer_link(_l("Registration types"), "registration_admin.types",
                             permissions.can_manage_event, order=20)
    hooks.add_organizer_link(_l("Sessions"), "registration_admin.sessions", permissions.can_manage_event,
                             order=30)


def _personal_data(hooks: Hooks) -> None:
    """This feature's part of a person's data export and erasure."""
    # After certificates: a registration lets go of the account, it is not erased with it.
    hooks.add_personal_data("registrations", privacy.export, privacy.forget, order=60)
