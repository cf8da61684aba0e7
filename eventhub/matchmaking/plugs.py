"""What matchmaking adds to other features' pages, menus and duties, through eventhub.hooks."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .. import permissions
from ..hooks import EVENT_LINKS, Hooks
from . import cockpit, org_records, panels, privacy
from .audit_words import plug_in as plug_in_audit_words
from .reminders import queue_meeting_reminders  # noqa: F401  (registers the sweep with the mail thread)


def plug_in(hooks: Hooks) -> None:
    plug_in_audit_words(hooks)  # how its audit entries read
    _pages(hooks)
    _personal_data(hooks)


def _pages(hooks: Hooks) -> None:
    """Panels on other features' pages and links in the menus."""
    hooks.add_cockpit(cockpit.load, order=70)
    hooks.add_organization_records(org_records.events, org_records.history, order=40)
    hooks.add_panel(EVENT_LINKS, "matchmaking/_event_link.html", panels.event_link, order=20)
    hooks.add_organizer_link(_l("Investor matchmaking"), "matchmaking_admin.meetings",
                             permissions.can_manage_matchmaking, order=130)


def _personal_data(hooks: Hooks) -> None:
    """This feature's part of a person's data export and erasure."""
    hooks.add_personal_data("matchmaking_profiles", privacy.export, privacy.forget, order=40)
