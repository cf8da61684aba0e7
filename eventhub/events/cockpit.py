"""The organizer's cockpit (an event's "Manage" page): every feature's cards put together, the decisions
waiting (what went wrong first), the next deadlines and where the event stands (`page`). And what the core
tells it: e-mails the outbox gave up on (`load`). The outbox is the department's (an e-mail names no
event), so only its organizers see it. One query."""

from __future__ import annotations

from datetime import date, datetime

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func

from .. import hooks, permissions
from ..dbtypes import utcnow
from ..extensions import db
from ..hooks import CockpitPart, Deadline, Decision
from ..i18n import format_date, format_number
from ..mail.models import EmailStatus, OutboundEmail
from ..mail.outbox import retriable

DEADLINES_SHOWN = 8


def page(event, user, *, now: datetime | None = None) -> dict:
    """The cockpit's cards, the decisions waiting (what went wrong first), the next deadlines with the days
    left, and the event's phase: what templates/events/manage.html shows."""
    now = now or utcnow()
    parts = hooks.cockpit_parts(event, user)
    decisions = sorted((decision for part in parts for decision in part.decisions),
                       key=lambda decision: not decision.urgent)
    deadlines = [deadline for part in parts for deadline in part.deadlines if deadline.at > now]
    if event.starts_at > now:
        deadlines.append(Deadline(_("The event starts"), event.starts_at,
                                  url_for("events.edit", slug=event.slug)))
    deadlines.sort(key=lambda deadline: deadline.at)
    today = now.astimezone(event.tz).date()
    return {"parts": [part for part in parts if part.figures], "decisions": decisions,
            "deadlines": [(deadline, days_left(deadline.at.astimezone(event.tz).date(), today))
                          for deadline in deadlines[:DEADLINES_SHOWN]],
            "phase": phase(event, now)}


def days_left(day: date, today: date) -> str:
    days = (day - today).days
    if days == 0:
        return _("today")
    if days == 1:
        return _("tomorrow")
    return ngettext("in %(n)s day", "in %(n)s days", days, n=format_number(days))


def phase(event, now: datetime) -> str:
    """Where the event stands today (its time zone), in words."""
    today = now.astimezone(event.tz).date()
    first, last = event.local_starts_at.date(), event.local_ends_at.date()
    if today < first:
        days = (first - today).days
        return ngettext("Starts tomorrow", "Starts in %(n)s days", days, n=format_number(days))
    if today > last:
        return _("Ended on %(day)s", day=format_date(event.ends_at, event.tz))
    return _("Under way: day %(n)s of %(total)s", n=format_number((today - first).days + 1),
             total=format_number((last - first).days + 1))


def load(event, user) -> CockpitPart | None:
    if not permissions.can_manage_outbox(user):
        return None
    failed = db.session.scalar(db.select(func.count(OutboundEmail.id))
                               .where(OutboundEmail.status == EmailStatus.failed, retriable())) or 0
    if not failed:
        return None
    return CockpitPart(_l("E-mail"), "", decisions=[Decision(
        ngettext("%(n)s e-mail could not be sent after every retry: check the mail server settings",
                 "%(n)s e-mails could not be sent after every retry: check the mail server settings",
                 failed, n=format_number(failed)), failed, url_for("events.failed_emails"), urgent=True)],
        order=95)
