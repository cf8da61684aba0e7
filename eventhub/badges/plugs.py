"""What badges adds to other features' pages, menus and duties, through eventhub.hooks."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .. import hooks as slots
from .. import permissions
from ..hooks import Hooks
from . import panels


def plug_in(hooks: Hooks) -> None:
    _pages(hooks)
    _personal_data(hooks)


def _pages(hooks: Hooks) -> None:
    """Panels on other features' pages and links in the menus."""
    hooks.add_organizer_link(_l("Badges"), "badges.bulk_badges", permissions.can_manage_event, order=40)
    hooks.add_panel(slots.REGISTRATION_ADMIN, "badges/_registration_admin.html", panels.registration_admin,
                    order=10)


def _personal_data(hooks: Hooks) -> None:
    """This feature's part of a person's data export and erasure."""
