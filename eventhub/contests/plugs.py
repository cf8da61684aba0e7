"""What contests adds to other features' pages, menus and duties, through eventhub.hooks."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .. import permissions
from ..hooks import EVENT_PAGE, REGISTRATION_PAGE, Hooks
from . import (
    cockpit,
    floor_models,  # noqa: F401 – the pairwise tables are part of the schema wherever contests are
    org_records,
    panels,
    privacy,
)
from .audit_words import plug_in as plug_in_audit_words
from .floor_view import sees_floor


def plug_in(hooks: Hooks) -> None:
    plug_in_audit_words(hooks)  # how its audit entries read
    _pages(hooks)
    _personal_data(hooks)


def _pages(hooks: Hooks) -> None:
    """Panels on other features' pages and links in the menus."""
    hooks.add_cockpit(cockpit.load, order=40)
    hooks.add_organization_records(org_records.events, org_records.history, order=30)
    hooks.add_panel(EVENT_PAGE, "contests/_event_contests.html", panels.event_page, order=20,
                    key=panels.event_page_key, key_data=panels.event_page_key_data)
    hooks.add_panel(REGISTRATION_PAGE, "contests/_vote_link.html", panels.vote_link, order=20)
    hooks.add_menu_link(_l("Judging"), "contests.judge_home", panels.judges_any_contest, order=10)
    hooks.add_organizer_link(_l("Contests"), "contests.event_contests", permissions.can_manage_event,
                             order=120)
    hooks.add_organizer_link(_l("Floor judging"), "contests.floor_admin_overview", sees_floor,
                             order=121)


def _personal_data(hooks: Hooks) -> None:
    """This feature's part of a person's data export and erasure."""
    hooks.add_personal_data("contest_memberships", privacy.export_memberships, privacy.forget_memberships,
                            order=20)
    hooks.add_personal_data("contest_judging", privacy.export_judging, order=20)
