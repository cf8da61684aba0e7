"""What follow-ups add through eventhub.hooks: the report's two figures, the organizer's tab, and the
outcomes in organizations' histories, and the person's answers in their data export and erasure."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .. import permissions
from ..hooks import Hooks
from . import figures, history, mailing, privacy  # noqa: F401  (mailing: the e-mail's builder)


def plug_in(hooks: Hooks) -> None:
    hooks.add_report_figures(figures.LABELS, figures.load, order=100, total=figures.series_total)
    hooks.add_organizer_link(_l("Follow-ups"), "followups.event_page", permissions.can_manage_event,
                             order=220)
    hooks.add_organization_records(history.events, history.history, order=150)
    # before contests' erasure (order 20) renames the person's team seats: the rows are found by them
    hooks.add_personal_data("followups", privacy.export, privacy.forget, order=15)
