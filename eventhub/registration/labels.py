"""What people read for registration statuses and question kinds, in their language."""

from flask_babel import lazy_gettext as _l

from .models import QuestionKind

STATUS_LABELS = {
    "confirmed": _l("Confirmed"),
    "pending_email": _l("Waiting for e-mail confirmation"),
    "pending_approval": _l("Waiting for approval"),
    "waitlisted": _l("On the waiting list"),
    "cancelled": _l("Cancelled"),
}

KIND_LABELS = {
    QuestionKind.short_text: _l("Short text"),
    QuestionKind.long_text: _l("Long text (a paragraph)"),
    QuestionKind.single_choice: _l("One choice from a list"),
    QuestionKind.multiple_choice: _l("Several choices from a list"),
    QuestionKind.checkbox: _l("Tick box (yes or no)"),
    QuestionKind.number: _l("Number"),
}
