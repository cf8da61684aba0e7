"""The e-mailed link /follow-ups/<token> (no account) and the organizers' page of an event's follow-ups.

Mail scanners open links: a GET only shows the buttons; each answer is one click, a POST."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from ..access import managed_event
from ..downloads import XLSX_MIMETYPE, file_response
from ..errors import NotFound, ValidationError
from . import services, views
from .labels import ANSWER_LABELS
from .mailing import recipient

bp = Blueprint("followups", __name__)


def _followup_or_404(token: str):
    try:
        return services.by_token(token)
    except NotFound:
        abort(404)


def _page(token: str, followup, errors: dict | None = None, status: int = 200):
    person = recipient(followup)
    return render_template("followups/answer.html", token=token, followup=followup, answers=ANSWER_LABELS,
                           other=person[3] if person else "", open=services.asks_still(followup),
                           errors=errors or {}, amount=request.form.get("amount", "")), status


@bp.get("/follow-ups/<token>")
def answer_page(token: str):
    """The question and one button per answer; records nothing."""
    return _page(token, _followup_or_404(token))


@bp.post("/follow-ups/<token>")
def answer(token: str):
    """One click: records the answer on the same row (a link used again updates it)."""
    followup = _followup_or_404(token)
    if not services.asks_still(followup):
        return _page(token, followup, status=409)
    try:
        services.answer(followup, request.form.get("answer", ""), amount=request.form.get("amount"),
                        remove=request.form.get("remove") == "1")
    except ValidationError as exc:
        return _page(token, followup, exc.fields, status=422)
    flash(_("Thank you: your answer is saved. You can change it with the same link."), "success")
    return redirect(url_for(".answer_page", token=token))


@bp.get("/events/<slug>/follow-ups")
@login_required
def event_page(slug: str):
    """Who was asked, who answered what, and the totals (organizers of the event)."""
    event = managed_event(slug)
    followups = services.event_followups(event)
    return render_template("followups/event.html", event=event, rows=views.rows(followups),
                           totals=views.totals(event, followups))


@bp.get("/events/<slug>/follow-ups.xlsx")
@login_required
def event_xlsx(slug: str):
    event = managed_event(slug)
    return file_response(views.xlsx(event, services.event_followups(event)), XLSX_MIMETYPE,
                         f"follow-ups-{event.slug}.xlsx")
