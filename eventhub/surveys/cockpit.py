"""What surveys tell the cockpit: for each survey taking answers, how many of those invited answered. Three
queries (services.surveys_of), whatever the number of answers; an event with no open survey says nothing."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..dbtypes import utcnow
from ..hooks import CockpitPart, Figure
from .models import SurveyState
from .services import shown_state, surveys_of

SHOWN = 3


def load(event, user) -> CockpitPart | None:
    now = utcnow()
    open_ones = [(s, invited, answered) for s, invited, answered in surveys_of(event)
                 if shown_state(s, now) == SurveyState.sent][:SHOWN]
    if not open_ones:
        return None
    # gettext, not lazy_gettext: a lazy string is rendered as markup, and the title is the organizer's text.
    figures = [Figure(_("Answers to “%(title)s”", title=survey.title), answered,
                      url_for("surveys.show", slug=event.slug, survey_id=survey.id), total=invited,
                      meter=True)
               for survey, invited, answered in open_ones]
    return CockpitPart(_l("Surveys"), url_for("surveys.index", slug=event.slug), figures=figures, order=90)
