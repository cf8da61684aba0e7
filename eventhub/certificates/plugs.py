"""What certificates adds to other features' pages, menus and duties, through eventhub.hooks."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .. import permissions
from ..hooks import REGISTRATION_PAGE, Hooks
from . import cockpit, panels, privacy
from .audit_words import plug_in as plug_in_audit_words


def plug_in(hooks: Hooks) -> None:
    plug_in_audit_words(hooks)  # how its audit entries read
    _pages(hooks)
    _personal_data(hooks)


def _pages(hooks: Hooks) -> None:
    """Panels on other features' pages and links in the menus."""
    hooks.add_cockpit(cockpit.load, order=80)
    hooks.add_panel(REGISTRATION_PAGE, "certificates/_manage_list.html", panels.registration_page,
                    order=10)
    hooks.add_organizer_link(_l("Certificates"), "certificates.index", permissions.can_manage_event,
                             order=110)


def _personal_data(hooks: Hooks) -> None:
    """This feature's part of a person's data export and erasure."""
    hooks.add_personal_data("certificates", privacy.export, privacy.forget, order=50)
