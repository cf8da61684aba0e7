"""Writing one recipient's copy of an organizer's message when the outbox delivers it: in their language,
with their placeholders, a footer with the unsubscribe link (and the lost-link form for registrants) and
the List-Unsubscribe headers (RFC 2369, RFC 8058 one-click)."""

from __future__ import annotations

from email.message import EmailMessage

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from .. import mail
from ..extensions import db
from ..mail.outbox import ERASED_DOMAIN
from ..urls import external_url
from . import placeholders, recovery  # noqa: F401  (recovery: its sweep runs from the mail thread)
from .models import MessageRecipient, RecipientState
from .services import is_unsubscribed, make_unsubscribe_token

# Why the recipient gets the message, said in the footer.
REASONS = {
    "registrants": _l("you registered for %(event)s"),
    "exhibitors": _l("your company exhibits at %(event)s"),
    "judges": _l("you judge a contest of %(event)s"),
    "investors": _l("you have an investor profile at %(event)s"),
    "startups": _l("you have a startup profile at %(event)s"),
}


def unsubscribe_url(email: str) -> str:
    """The address's own unsubscribe link (its page, and the one-click URL of List-Unsubscribe)."""
    return external_url("messaging.unsubscribe_page", token=make_unsubscribe_token(email))


@mail.builder("message.delivery")
def build(recipient_id: int) -> EmailMessage | None:
    """The e-mail of one recipient, or None (nothing is sent) for an unsubscribed or erased address."""
    recipient = db.session.get(MessageRecipient, recipient_id)
    if recipient is None or recipient.email_normalized.endswith(ERASED_DOMAIN):
        return None  # erased in the meantime: nobody to write to
    if recipient.state == RecipientState.unsubscribed or is_unsubscribed(recipient.email_normalized):
        recipient.state = RecipientState.unsubscribed  # committed by the outbox with the e-mail's state
        return None
    message = recipient.message
    event = message.event
    with force_locale(recipient.locale or "vi"):
        context = placeholders.context_for(event, recipient)
        subject = placeholders.one_line(placeholders.render_text(message.subject, context))
        text = placeholders.render_text(message.body, context)
        reason = str(REASONS.get((message.audience or {}).get("kind"), REASONS["registrants"])) % {
            "event": event.name}
    url = unsubscribe_url(recipient.email_normalized)
    email = mail.render(recipient.email, "message", locale=recipient.locale or "vi", subject=subject,
                        to_name=recipient.full_name or None, text=text, html=placeholders.html_of(text),
                        event=event, reason=reason, unsubscribe_url=url,
                        lost_link_url=context["lost_link"] if recipient.registration_id else None)
    email["List-Unsubscribe"] = f"<{url}>"
    email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return email
