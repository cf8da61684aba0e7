"""What booths adds to other features' pages, menus and duties, through eventhub.hooks."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .. import permissions
from ..hooks import EVENT_LINKS, Hooks
from . import cockpit, org_records, panels, privacy, spots
from .audit_words import plug_in as plug_in_audit_words


def plug_in(hooks: Hooks) -> None:
    plug_in_audit_words(hooks)  # how its audit entries read
    _pages(hooks)
    _personal_data(hooks)


def _pages(hooks: Hooks) -> None:
    """Panels on other features' pages and links in the menus."""
    hooks.add_cockpit(cockpit.load, order=50)
    hooks.add_organization_records(org_records.events, org_records.history, order=20)
    hooks.set_floor(spots.booth_spots, spots.render_spot_map)
    hooks.add_panel(EVENT_LINKS, "booths/_event_links.html", panels.event_links, order=10,
                    key=panels.event_links_key, key_data=panels.event_links_key_data)
    hooks.add_organizer_link(_l("Floor plan"), "booths_admin.edit_floorplan", permissions.can_manage_booths,
                             order=70)
    hooks.add_organizer_link(_l("Booth applications"), "booths_admin.applications",
                             permissions.can_manage_booths, order=80)
    hooks.add_organizer_link(_l("Booth allocation"), "booths_admin.allocation_page",
                             permissions.can_manage_booths, order=90)


def _personal_data(hooks: Hooks) -> None:
    """This feature's part of a person's data export and erasure."""
    hooks.add_personal_data("booth_applications", privacy.export, privacy.forget, order=30)
