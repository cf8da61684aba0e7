"""Registration forms, built per registration type from its custom questions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DecimalField,
    EmailField,
    RadioField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from ..forms import Form
from ..i18n import format_datetime, format_time
from .models import EventSession, QuestionKind, RegistrationType


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class DetailsForm(Form):
    """What a registrant can change later (the e-mail is who they are)."""

    full_name = StringField(_l("Full name"), validators=[DataRequired(_l("Please enter a name."))],
                            description=_l("Family, middle and given name, e.g. Nguyễn Thị Quý Trúc"))
    phone = TelField(_l("Phone (optional)"), description=_l("e.g. 0912 345 678"))
    organization = StringField(_l("Organization (optional)"), validators=[Length(max=200)])


class PersonForm(DetailsForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(_l("Please enter an e-mail address."))],
                       description=_l("Your ticket and the link to manage your registration go here."))


def question_field_name(key: str) -> str:
    return f"q_{key}"


def _question_field(question):
    validators = [DataRequired(_l("This field is required."))] if question.required else [Optional()]
    kwargs = {"label": question.label, "description": question.help_text or None}
    kind = question.kind
    if kind == QuestionKind.short_text:
        return StringField(validators=[*validators, Length(max=300)], **kwargs)
    if kind == QuestionKind.long_text:
        return TextAreaField(validators=[*validators, Length(max=5000)], **kwargs)
    if kind == QuestionKind.number:
        return DecimalField(validators=validators, **kwargs)
    if kind == QuestionKind.checkbox:
        return BooleanField(validators=validators, **kwargs)
    choices = [SelectChoice(option, option) for option in question.options]
    if kind == QuestionKind.single_choice:
        return RadioField(choices=choices, validators=validators, **kwargs)
    return MultiCheckboxField(choices=choices, validators=validators, **kwargs)


def _session_label(session: EventSession, tz: str) -> str:
    label = f"{session.title} · {format_datetime(session.starts_at, tz)}–{format_time(session.ends_at, tz)}"
    if session.room:
        label += f" · {session.room}"
    if session.remaining is not None:
        label += " · " + str(_l("%(n)d seats left", n=session.remaining))
    return label


def registration_form_class(rtype: RegistrationType, sessions: list[EventSession], *,
                            base=PersonForm, with_consent: bool = True):
    """A form class with the person's fields, the type's questions, sessions and consent."""
    attrs = {}
    for question in rtype.active_questions:
        attrs[question_field_name(question.key)] = _question_field(question)
    if sessions:
        attrs["sessions"] = MultiCheckboxField(
            _l("Workshops and conferences (optional)"), coerce=int,
            choices=[SelectChoice(s.id, _session_label(s, rtype.event.timezone),
                                  render_kw={"disabled": True} if s.remaining == 0 else {})
                     for s in sessions],
            validators=[Optional()])
    if with_consent:
        attrs["consent"] = BooleanField(_l(
            "I agree to the processing of my personal data as described in the notice above "
            "(Decree 13/2023/ND-CP)."))
    return type("RegistrationForm", (base,), attrs)


def answers_from_form(form, rtype: RegistrationType) -> dict:
    """The form's question fields as {key: value} for the services."""
    answers = {}
    for question in rtype.active_questions:
        value = form[question_field_name(question.key)].data
        if question.kind == QuestionKind.number and value is not None:
            value = float(value)
        answers[question.key] = value
    return answers


def form_data_from_answers(reg) -> dict:
    return {question_field_name(k): v for k, v in reg.answers_by_key.items()}


class LostLinkForm(Form):
    """"Lost your link?": the address the registration was made with."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(_l("Please enter an e-mail address.")),
                                                 Length(max=254)],
                       description=_l("The address you registered with. We e-mail your links there."))
