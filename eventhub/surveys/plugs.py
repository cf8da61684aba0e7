"""What surveys add to other features' pages and duties, through eventhub.hooks."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .. import permissions
from ..hooks import REGISTRATION_PAGE, Hooks
from . import cockpit, invitation_mail, panels, privacy  # noqa: F401  (invitation_mail: its e-mail builder)
from .audit_words import plug_in as plug_in_audit_words


def plug_in(hooks: Hooks) -> None:
    plug_in_audit_words(hooks)  # how its audit entries read
    hooks.add_organizer_link(_l("Surveys"), "surveys.index", permissions.can_read_survey_answers, order=210)
    hooks.add_cockpit(cockpit.load, order=90)
    hooks.add_panel(REGISTRATION_PAGE, "surveys/_registration_panel.html", panels.registration_page, order=30)
    hooks.add_personal_data("survey_answers", privacy.export, order=85)
    hooks.add_registration_erasure(privacy.forget_registration)
    hooks.add_registration_export("survey_answers", privacy.export_registration)
