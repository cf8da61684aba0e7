"""What checkin adds to other features' pages, menus and duties, through eventhub.hooks."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .. import permissions
from ..hooks import EVENT_GATE, SESSIONS_ADMIN, Hooks
from . import cockpit, org_records, panels, privacy
from .audit_words import plug_in as plug_in_audit_words


def plug_in(hooks: Hooks) -> None:
    plug_in_audit_words(hooks)  # how its audit entries read
    _pages(hooks)
    _personal_data(hooks)


def _pages(hooks: Hooks) -> None:
    """Panels on other features' pages and links in the menus."""
    hooks.add_cockpit(cockpit.load, order=20)
    # the registrations' line too: it counts check-ins, which registration cannot see
    hooks.add_organization_records(org_records.events, org_records.history, order=50)
    hooks.add_panel(EVENT_GATE, "checkin/_event_gate.html", panels.event_gate)
    hooks.add_panel(SESSIONS_ADMIN, "checkin/_session_row.html", panels.sessions_admin)
    hooks.add_organizer_link(_l("Check-in desk"), "checkin.desk", permissions.can_check_in, order=50)
    hooks.add_menu_link(_l("Check-in desk"), "checkin.gate_home", permissions.is_gate_staff, order=5)
    hooks.add_organizer_link(_l("Live numbers"), "checkin.stats", permissions.can_check_in, order=60)


def _personal_data(hooks: Hooks) -> None:
    """This feature's part of a person's data export and erasure."""
    hooks.add_personal_data("checkins", privacy.export, order=60)
    hooks.add_personal_data("session_checkins", privacy.export_session_checkins,
                            privacy.forget_session_checkins, order=55)
    hooks.add_registration_erasure(privacy.forget_registration_session_checkins)
