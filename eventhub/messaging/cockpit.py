"""What organizers' messages tell the cockpit: scheduled messages as deadlines (their sending time), and
messages some of whose e-mails failed as an urgent decision. Two queries, whatever the number of messages
or recipients; an event with neither says nothing."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func

from ..extensions import db
from ..hooks import CockpitPart, Deadline, Decision
from ..i18n import format_number
from ..mail.models import EmailStatus, OutboundEmail
from .models import Message, MessageRecipient, MessageState

SHOWN = 3  # scheduled messages, and messages with failures, named one by one


def load(event, user) -> CockpitPart | None:
    scheduled = db.session.execute(
        db.select(Message.id, Message.subject, Message.send_at)
        .where(Message.event_id == event.id, Message.state == MessageState.scheduled)
        .order_by(Message.send_at, Message.id).limit(SHOWN)).all()
    failing = db.session.execute(
        db.select(Message.id, Message.subject, func.count(MessageRecipient.id))
        .join(MessageRecipient, MessageRecipient.message_id == Message.id)
        .join(OutboundEmail, OutboundEmail.id == MessageRecipient.outbound_email_id)
        .where(Message.event_id == event.id, OutboundEmail.status == EmailStatus.failed)
        .group_by(Message.id, Message.subject)
        .order_by(Message.id.desc()).limit(SHOWN)).all()
    if not scheduled and not failing:
        return None
    index = url_for("messaging.index", slug=event.slug)
    decisions = [
        Decision(ngettext("%(n)s e-mail of the message “%(subject)s” could not be delivered",
                          "%(n)s e-mails of the message “%(subject)s” could not be delivered",
                          failed, n=format_number(failed), subject=subject),
                 failed, url_for("messaging.show", slug=event.slug, message_id=message_id), urgent=True)
        for message_id, subject, failed in failing]
    deadlines = [Deadline(_l("The message “%(subject)s” is sent", subject=subject), send_at,
                          url_for("messaging.show", slug=event.slug, message_id=message_id))
                 for message_id, subject, send_at in scheduled if send_at is not None]
    return CockpitPart(_l("Messages to people"), index, decisions=decisions, deadlines=deadlines, order=85)
