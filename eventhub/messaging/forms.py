"""The compose form of an organizer's message: who, what and when, as the services take them."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateTimeLocalField,
    EmailField,
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from ..errors import ValidationError
from ..forms import Form
from ..i18n import zone_name
from ..registration.catalog import types_of
from ..registration.labels import STATUS_LABELS
from .labels import AUDIENCE_LABELS

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
AUDIENCE_FIELDS = {"types": "types", "statuses": "statuses", "checked_in": "attended"}  # service → form


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class ComposeForm(Form):
    """Lengths and the rest are the services' to judge (validate_draft), so the form and the API agree."""

    kind = RadioField(_l("Who receives it"), default="registrants",
                      choices=[SelectChoice(code, label) for code, label in AUDIENCE_LABELS.items()])
    types = MultiCheckboxField(_l("Registration types"), choices=[],
                               description=_l("None ticked: every registration type."))
    statuses = MultiCheckboxField(_l("Registration statuses"), default=["confirmed"],
                                  choices=[SelectChoice(code, text) for code, text in STATUS_LABELS.items()])
    # Three ways, not a box: an unticked "only those who came" must mean everyone, never "those who did not".
    attended = RadioField(_l("Check-in"), default="",
                          choices=[SelectChoice("", _l("Everyone, whether they came or not")),
                                   SelectChoice("yes", _l("Only people who have checked in")),
                                   SelectChoice("no", _l("Only people who have not checked in"))])
    subject = StringField(_l("Subject"))
    body = TextAreaField(_l("Message"), render_kw={"rows": 12})
    when = RadioField(_l("When"), default="now",
                      choices=[SelectChoice("now", _l("Send now")),
                               SelectChoice("later", _l("Send later, at a set time"))])
    send_at = DateTimeLocalField(_l("Send at"), format=DATETIME_FORMAT, validators=[Optional()])
    # Made when the confirmation is shown; the "Yes, send it" post carries it back, so that a second click
    # (or a resent form) finds the message the first made instead of making another.
    request_token = HiddenField()
    preview_email = EmailField(_l("Preview for (optional)"), validators=[Optional()],
                               description=_l("The e-mail address of one recipient; empty: the first one."))

    @classmethod
    def for_event(cls, event, **kwargs) -> ComposeForm:
        form = cls(**kwargs)
        form.types.choices = [SelectChoice(t.code, t.name) for t in types_of(event)]
        form.send_at.description = _l("In the event's time zone (%(zone)s).", zone=zone_name(event.tz))
        return form

    def draft(self, event) -> dict[str, Any]:
        """The arguments of validate_draft / create_message / preview: audience, subject, body, send_at."""
        audience: dict[str, Any] = {"kind": self.kind.data}
        if self.kind.data == "registrants":
            audience.update(types=list(self.types.data or []), statuses=list(self.statuses.data or []))
            if self.attended.data in ("yes", "no"):
                audience["checked_in"] = self.attended.data == "yes"
        send_at = None
        if self.when.data == "later":
            if self.send_at.data is None:
                raise ValidationError({"send_at": [str(_l("Please enter the date and time to send it."))]})
            send_at = self.send_at.data.replace(tzinfo=event.tz)  # typed in the event's zone
        return {"audience": audience, "subject": self.subject.data or "", "body": self.body.data or "",
                "send_at": send_at}

    def show_errors(self, error: ValidationError) -> None:
        """A service's field errors next to their fields: "audience" (or "audience.types"…) goes to who."""
        for name, messages in (error.fields or {}).items():
            head, _dot, rest = name.partition(".")
            target = name if name in ("subject", "body", "send_at") else None
            if head in ("recipient", "recipient_email"):  # preview: an address not among the recipients
                target = "preview_email"
            if head == "audience":
                target = AUDIENCE_FIELDS.get(rest, "kind")
            field = getattr(self, target, None) if target else None
            if field is None:
                self.form_errors.extend(messages)
            else:
                field.errors = [*field.errors, *messages]
