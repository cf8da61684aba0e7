"""Organizers' registration forms: filters, decisions, manual registration, types, questions, sessions.

The rules live in services and catalog; these forms only collect the values.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    SearchField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..forms import Form
from .forms import PersonForm
from .labels import KIND_LABELS, STATUS_LABELS
from .models import EventSession, Question, RegistrationType

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"

# The same words the public pages use, so one translation serves both.
SORT_LABELS = {
    "newest": _l("Newest first"),
    "oldest": _l("Oldest first"),
    "name": _l("Name (given name first)"),
}
# What the page calls an order → what queries.registrations_query calls it.
SORT_QUERY = {"newest": "-created", "oldest": "created", "name": "name"}


class FilterForm(Form):
    """The list's search and filters, read from the query string (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search"), validators=[Optional(), Length(max=200)],
                    description=_l("Name, e-mail, phone or organization; accents are optional."))
    status = SelectField(_l("Status"), validators=[Optional()], validate_choice=False)
    type = SelectField(_l("Registration type"), validators=[Optional()], validate_choice=False)
    sort = SelectField(_l("Order"), validators=[Optional()], validate_choice=False,
                       choices=[SelectChoice(k, v) for k, v in SORT_LABELS.items()])

    def set_choices(self, types: list[RegistrationType]) -> None:
        self.status.choices = [SelectChoice("", _l("All statuses")),
                               *(SelectChoice(k, v) for k, v in STATUS_LABELS.items())]
        self.type.choices = [SelectChoice("", _l("All types")),
                             *(SelectChoice(t.code, t.name) for t in types)]


class ReasonForm(Form):
    """Reject or cancel, with a reason the person is told."""

    reason = StringField(_l("Reason (optional)"), validators=[Optional(), Length(max=500)],
                         description=_l("The person is told this reason by e-mail."))


class ManualRegistrationForm(PersonForm):
    """An organizer registers someone; the type's questions and the sessions are added per type."""

    type = SelectField(_l("Registration type"), validate_choice=False)
    consent = BooleanField(
        _l("The person has agreed to the personal data notice (Decree 13/2023/ND-CP)."),
        validators=[DataRequired(_l("Register someone only after they have agreed to the notice."))])


class TypeForm(Form):
    code = StringField(_l("Code"), validators=[DataRequired(_l("Please enter a code."))],
                       description=_l("Part of the registration address: lower-case letters, digits, "
                                      "- and _ (e.g. guest)."))
    name = StringField(_l("Name of the type"), validators=[DataRequired(_l("Please enter a name."))],
                       description=_l("As people see it, e.g. Visitor, Startup, Investor."))
    description = TextAreaField(_l("Description"))
    capacity = IntegerField(_l("Capacity"), validators=[Optional()],
                            description=_l("Leave empty for no limit."))
    waitlist = BooleanField(_l("Open a waiting list when it is full"))
    requires_approval = BooleanField(_l("Organizers approve each registration"))
    confirm_email = BooleanField(
        _l("Hold the seat until the e-mailed link is opened"),
        description=_l("Stops anyone from taking seats with made-up addresses: a registration that is not "
                       "confirmed from its e-mail in time gives its seat back."))
    opens_at = DateTimeLocalField(_l("Registration opens"), format=DATETIME_FORMAT, validators=[Optional()])
    closes_at = DateTimeLocalField(_l("Registration closes"), format=DATETIME_FORMAT,
                                   validators=[Optional()])

    FIELDS = ("code", "name", "description", "capacity", "waitlist", "requires_approval", "confirm_email",
              "opens_at", "closes_at")


class QuestionEditForm(Form):
    label = StringField(_l("Question"), validators=[DataRequired(_l("Please enter the question."))])
    help_text = StringField(_l("Help text (optional)"), validators=[Length(max=500)])
    kind = SelectField(_l("Kind of answer"),
                       choices=[SelectChoice(k.value, v) for k, v in KIND_LABELS.items()])
    required = BooleanField(_l("An answer is required"))
    options = TextAreaField(_l("Options"), description=_l("For choices from a list: one option per line."))

    FIELDS = ("label", "help_text", "kind", "required", "options")


class QuestionForm(QuestionEditForm):
    key = StringField(_l("Key"), validators=[DataRequired(_l("Please enter a key."))],
                      description=_l("The column name in exports; cannot be changed later "
                                     "(e.g. company_size)."))

    FIELDS = ("key", *QuestionEditForm.FIELDS)


class SessionForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(_l("Please enter a title."))])
    description = TextAreaField(_l("Description"))
    speakers = TextAreaField(_l("Speakers"), description=_l("One name per line."))
    room = StringField(_l("Room"), validators=[Length(max=200)])
    starts_at = DateTimeLocalField(_l("Starts"), format=DATETIME_FORMAT,
                                   validators=[InputRequired(_l("Please enter a date and time."))])
    ends_at = DateTimeLocalField(_l("Ends"), format=DATETIME_FORMAT,
                                 validators=[InputRequired(_l("Please enter a date and time."))])
    capacity = IntegerField(_l("Capacity"), validators=[Optional()],
                            description=_l("Leave empty for no limit."))

    FIELDS = ("title", "description", "speakers", "room", "starts_at", "ends_at", "capacity")


def values_of(form: Form) -> dict:
    """The form's service fields as keyword arguments."""
    return {name: form[name].data for name in form.FIELDS}


def _local(value, tz):
    return value.astimezone(tz).replace(tzinfo=None) if value else None


def type_form_data(rtype: RegistrationType) -> dict:
    """A type as the form shows it: times in the event's own zone."""
    tz = rtype.event.tz
    return {"code": rtype.code, "name": rtype.name, "description": rtype.description,
            "capacity": rtype.capacity, "waitlist": rtype.waitlist,
            "requires_approval": rtype.requires_approval, "confirm_email": rtype.confirm_email,
            "opens_at": _local(rtype.opens_at, tz), "closes_at": _local(rtype.closes_at, tz)}


def question_form_data(question: Question) -> dict:
    return {"label": question.label, "help_text": question.help_text, "kind": question.kind.value,
            "required": question.required, "options": "\n".join(question.options or [])}


def session_form_data(session: EventSession) -> dict:
    tz = session.event.tz
    return {"title": session.title, "description": session.description,
            "speakers": "\n".join(session.speakers or []), "room": session.room,
            "starts_at": _local(session.starts_at, tz), "ends_at": _local(session.ends_at, tz),
            "capacity": session.capacity}
