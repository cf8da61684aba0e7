"""What people read for a message's audience, states and placeholders, in their language (never the codes)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from ..registration.labels import STATUS_LABELS

AUDIENCE_LABELS = {
    "registrants": _l("Registrants"),
    "exhibitors": _l("Exhibiting companies"),
    "judges": _l("Contest judges"),
    "investors": _l("Investors with a profile"),
    "startups": _l("Startups with a profile"),
}

MESSAGE_STATE_LABELS = {
    "draft": _l("Not sent yet"),
    "scheduled": _l("Scheduled to send"),
    "sending": _l("Sending now"),
    "sent": _l("All queued for delivery"),
    "cancelled": _l("Sending cancelled"),
}
MESSAGE_STATE_TONES = {"draft": "secondary", "scheduled": "info", "sending": "warning", "sent": "success",
                       "cancelled": "secondary"}

# A recipient's delivery state, as message_figures/recipients_page name it.
RECIPIENT_STATE_LABELS = {
    "sent": _l("Delivered to the mail server"),
    "failed": _l("Delivery failed"),
    "pending": _l("Waiting to be delivered"),
    "queued": _l("Waiting to be delivered"),
    "unsubscribed": _l("Unsubscribed: not sent"),
}
RECIPIENT_STATE_TONES = {"sent": "success", "failed": "danger", "pending": "secondary", "queued": "secondary",
                         "unsubscribed": "warning"}

# The placeholders a subject or body may use, each with what it becomes (the order of the compose page).
PLACEHOLDER_LABELS = {
    "name": _l("the recipient's full name"),
    "event": _l("the event's name"),
    "event_dates": _l("the event's dates"),
    "venue": _l("the event's venue"),
    "manage_link": _l("registrants: the link to their own registration (empty for others)"),
    "ticket": _l("registrants: their ticket code (empty for others)"),
    "booth": _l("exhibitors: their booth code(s) (empty for others)"),
    "meetings": _l("investors and startups: their meetings – time, table and with whom, one per line"),
    "lost_link": _l("the form that e-mails a lost registration link again"),
}


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def audience_words(audience: Mapping[str, Any] | None, type_names: Mapping[str, str]) -> str:
    """"Registrants · Visitors, Investors · confirmed · checked in": who a message goes to, in words.
    `type_names` maps the event's registration type codes to their names, in the event's order."""
    audience = audience or {}
    kind = audience.get("kind")
    parts = [str(AUDIENCE_LABELS.get(kind, _l("Unknown audience")))]
    if kind == "registrants":
        order = {code: n for n, code in enumerate(type_names)}  # the event's order of its types
        types = sorted(audience.get("types") or [], key=lambda code: (order.get(code, len(order)), code))
        parts.append(", ".join(type_names.get(code, code) for code in types) if types
                     else str(_l("every registration type")))
        statuses = audience.get("statuses") or ["confirmed"]
        parts.append(", ".join(_lower_first(str(STATUS_LABELS.get(status, status))) for status in statuses))
        if audience.get("checked_in") is not None:
            parts.append(str(_l("checked in") if audience["checked_in"] else _l("not checked in")))
    return " · ".join(parts)
