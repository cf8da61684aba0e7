"""The organizers' pages of an event's messages, on the messaging blueprint: the list, composing (preview with
a real recipient, the count, a confirmation that repeats it), one message with its delivery, cancelling.

Composing works without JavaScript: "Preview" and "Send"/"Schedule" post the form back and the page shows the
preview (and, for sending, a confirmation with the count and one button that really sends);
static/js/messaging-compose.js only inserts placeholders and hides the time field while "now" is chosen.
"""

from __future__ import annotations

import secrets

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from ..access import get_or_404, managed_event
from ..errors import EventHubError, ValidationError
from ..extensions import db
from ..i18n import format_datetime, format_number
from ..jobs.models import Job, JobState
from ..paging import Page
from ..registration.catalog import types_of
from . import services
from .audiences import count_audience
from .blueprint import bp
from .forms import ComposeForm
from .labels import (
    MESSAGE_STATE_LABELS,
    MESSAGE_STATE_TONES,
    PLACEHOLDER_LABELS,
    RECIPIENT_STATE_LABELS,
    RECIPIENT_STATE_TONES,
    audience_words,
)
from .models import Message, MessageState

PER_PAGE = 50  # recipients on one page of a message


@bp.context_processor
def _labels():
    return {"message_state_labels": MESSAGE_STATE_LABELS, "message_state_tones": MESSAGE_STATE_TONES,
            "recipient_state_labels": RECIPIENT_STATE_LABELS, "recipient_state_tones": RECIPIENT_STATE_TONES}


def _type_names(event) -> dict[str, str]:
    return {t.code: t.name for t in types_of(event)}


@bp.get("/events/<slug>/messages")
@login_required
def index(slug: str):
    event = managed_event(slug)
    return render_template("messaging/list.html", event=event, rows=services.messages_of(event),
                           type_names=_type_names(event), audience_words=audience_words)


@bp.route("/events/<slug>/messages/new", methods=["GET", "POST"])
@login_required
def compose(slug: str):
    event = managed_event(slug)
    form = ComposeForm.for_event(event)
    shown, confirming, send_at = None, False, None
    if form.validate_on_submit():
        action = request.form.get("action")
        try:
            draft = form.draft(event)
            if action == "confirm":
                message = services.create_message(event, **draft, actor=current_user,
                                                  request_token=form.request_token.data or None)
                flash(_created_words(event, message), "success")
                return redirect(url_for(".show", slug=slug, message_id=message.id))
            checked = services.validate_draft(event, **draft)
            shown = services.preview(event, audience=checked["audience"], subject=draft["subject"],
                                     body=draft["body"], recipient_email=form.preview_email.data or None)
            confirming, send_at = action == "send", checked.get("send_at") or draft["send_at"]
            if confirming:
                form.request_token.data = secrets.token_urlsafe(32)
        except services.MessageTooLarge:
            form.body.errors = [*form.body.errors, _("The message is longer than 50 KB. Please shorten it.")]
        except ValidationError as exc:
            form.show_errors(exc)
        except EventHubError as exc:
            form.form_errors.append(exc.describe())
    return render_template("messaging/compose.html", event=event, form=form, shown=shown,
                           confirming=confirming, send_at=send_at, placeholders=PLACEHOLDER_LABELS)


def _created_words(event, message: Message) -> str:
    n = message.recipients
    if message.state == MessageState.scheduled:
        return ngettext("The message will be sent to %(count)s person on %(when)s.",
                        "The message will be sent to %(count)s people on %(when)s.", n,
                        count=format_number(n), when=format_datetime(message.send_at, event.tz))
    return ngettext("The message is being sent to %(count)s person.",
                    "The message is being sent to %(count)s people.", n, count=format_number(n))


@bp.get("/events/<slug>/messages/<int:message_id>")
@login_required
def show(slug: str, message_id: int):
    event = managed_event(slug)
    message = get_or_404(Message, message_id, event=event)
    page = request.args.get("page", 1, type=int)
    page = page if 1 <= page <= 100_000 else 1
    listing = services.recipients_page(message, page, PER_PAGE)
    job = db.session.get(Job, message.job_id) if message.job_id else None
    if job is not None and message.state != MessageState.sending and job.state == JobState.done:
        job = None  # the bar is for the time it is being sent
    figures = services.message_figures(message)
    if message.state in (MessageState.scheduled, MessageState.draft):  # recipients are chosen when it goes
        figures["recipients"] = count_audience(event, message.audience)
    return render_template(
        "messaging/show.html", event=event, message=message, figures=figures,
        listing=Page(listing["items"], listing["page"], listing["per_page"], listing["total"]), job=job,
        audience=audience_words(message.audience, _type_names(event)))


@bp.post("/events/<slug>/messages/<int:message_id>/cancel")
@login_required
def cancel(slug: str, message_id: int):
    event = managed_event(slug)
    message = get_or_404(Message, message_id, event=event)
    try:
        services.cancel_message(message, actor=current_user)
    except EventHubError as exc:
        flash(exc.describe(), "danger")
    else:
        flash(_("The scheduled message is cancelled: nobody will receive it."), "success")
    return redirect(url_for(".show", slug=slug, message_id=message.id))
