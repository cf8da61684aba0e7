"""Event forms; the rules live in events.services."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..forms import Form
from .models import EventKind

KIND_LABELS = {
    EventKind.startup_week: _l("Startup & Innovation Week"),
    EventKind.regional_day: _l("Regional Startup Day"),
    EventKind.ai_day: _l("AI Day"),
    EventKind.other: _l("Other event"),
}


class EventForm(Form):
    name = StringField(_l("Event name"), validators=[DataRequired(_l("Please enter the event's name."))])
    slug = StringField(_l("Short address"), validators=[DataRequired(_l(
        "Please enter a short name for the address."))],
        description=_l("Lower-case letters, digits and hyphens, e.g. ai-day-2020"))
    kind = SelectField(_l("Kind of event"),
                       choices=[SelectChoice(k.value, label) for k, label in KIND_LABELS.items()])
    starts_at = DateTimeLocalField(_l("Starts"), format="%Y-%m-%dT%H:%M",
                                   validators=[InputRequired(_l("Please enter a date and time."))])
    ends_at = DateTimeLocalField(_l("Ends"), format="%Y-%m-%dT%H:%M",
                                 validators=[InputRequired(_l("Please enter a date and time."))])
    venue = StringField(_l("Venue"), validators=[Length(max=300)])
    description = TextAreaField(_l("Description"))
    registration_open = BooleanField(_l("Registration is open"))
    reminder_hours = IntegerField(
        _l("Reminder (hours before the start)"), default=24,
        validators=[Optional(), NumberRange(min=0, max=720, message=_l("From 0 to 720 hours."))],
        description=_l("0 = no reminder. Confirmed registrants get their ticket, the place and a "
                       "“will you come?” this many hours before the event starts."))


class GrantRoleForm(Form):
    email = EmailField(_l("E-mail of an existing account"),
                       validators=[DataRequired(_l("Please enter an e-mail address."))])
    role = SelectField(_l("Role"), choices=[SelectChoice("organizer", _l("Organizer of this event")),
                                            SelectChoice("staff", _l("Check-in staff"))])
