"""What reports adds to other features' pages, menus and duties, through eventhub.hooks."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .. import permissions
from ..hooks import EVENT_ORGANIZER, Hooks
from . import cockpit, panels


def plug_in(hooks: Hooks) -> None:
    _pages(hooks)
    _personal_data(hooks)


def _pages(hooks: Hooks) -> None:
    """Panels on other features' pages and links in the menus."""
    hooks.add_panel(EVENT_ORGANIZER, "reports/_event_link.html", panels.event_organizer)
    hooks.add_menu_link(_l("Summary report"), "reports.series_dashboard",
                        permissions.can_view_series_report, order=20)
    hooks.add_organizer_link(_l("Summary report"), "reports.event_dashboard",
                             permissions.can_view_event_report, order=100)
    hooks.add_cockpit(cockpit.load, order=25)  # a past event's no-show figures


def _personal_data(hooks: Hooks) -> None:
    """This feature's part of a person's data export and erasure."""
