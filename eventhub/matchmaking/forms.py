"""Matchmaking forms: the two profiles, a request's message, slots, moves and outcomes.

The rules live in the services; these forms only collect values (choices come from labels.py).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..forms import Form
from .labels import COUNTRIES, CURRENCIES, FOLLOW_UPS, INVESTOR_TYPES, SECTORS, STAGES


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(key, label) for key, label in labels.items()]


MAX_AMOUNT = 10**15


class _ProfileForm(Form):
    organization = StringField(_l("Organization"), validators=[Length(max=200)],
                               description=_l("The fund, company or startup you represent."))
    tax_code = StringField(_l("Tax code (mã số thuế), optional"), validators=[Length(max=40)],
                           description=_l("Ten digits, or thirteen for a branch: it tells your organization "
                                          "apart from others with a similar name."))
    currency = SelectField(_l("Currency"), choices=_choices(CURRENCIES))
    contactable = BooleanField(_l("Others may ask me for meetings"), default=True,
                               description=_l("Untick to stay out of recommendations and requests."))


class InvestorProfileForm(_ProfileForm):
    investor_type = SelectField(_l("Type of investor"), choices=_choices(INVESTOR_TYPES))
    sectors = MultiCheckboxField(_l("Sectors you invest in"), choices=_choices(SECTORS))
    stages = MultiCheckboxField(_l("Stages you invest in"), choices=_choices(STAGES))
    ticket_min = IntegerField(_l("Smallest ticket"), validators=[InputRequired(), NumberRange(0, MAX_AMOUNT)])
    ticket_max = IntegerField(_l("Largest ticket"), validators=[InputRequired(), NumberRange(0, MAX_AMOUNT)])
    countries = MultiCheckboxField(_l("Countries you invest in"), choices=_choices(COUNTRIES),
                                   description=_l("None ticked: anywhere."))
    thesis = TextAreaField(_l("Investment thesis"), validators=[Length(max=2000)])

    def values(self) -> dict:
        return {"organization": self.organization.data, "tax_code": self.tax_code.data or None,
                "currency": self.currency.data,
                "contactable": bool(self.contactable.data), "investor_type": self.investor_type.data,
                "sectors": self.sectors.data or [], "stages": self.stages.data or [],
                "ticket_min": self.ticket_min.data, "ticket_max": self.ticket_max.data,
                "countries": self.countries.data or [], "thesis": self.thesis.data or ""}


class StartupProfileForm(_ProfileForm):
    sector = SelectField(_l("Sector"), choices=_choices(SECTORS))
    stage = SelectField(_l("Stage"), choices=_choices(STAGES))
    amount = IntegerField(_l("Amount you are raising"),
                          validators=[InputRequired(), NumberRange(0, MAX_AMOUNT)])
    seeking = TextAreaField(_l("What you are looking for"), validators=[Length(max=2000)],
                            description=_l("Investment, mentoring, partners, pilots with the city…"))
    traction = TextAreaField(_l("Traction"), validators=[Length(max=2000)],
                             description=_l("Customers, revenue, growth, awards."))
    deck_url = URLField(_l("Link to your pitch deck (optional)"), validators=[Optional(), Length(max=500)])

    def values(self) -> dict:
        return {"organization": self.organization.data, "tax_code": self.tax_code.data or None,
                "currency": self.currency.data,
                "contactable": bool(self.contactable.data), "sector": self.sector.data,
                "stage": self.stage.data, "amount": self.amount.data, "seeking": self.seeking.data or "",
                "traction": self.traction.data or "", "deck_url": self.deck_url.data or None}


class RequestForm(Form):
    message = TextAreaField(_l("Message (optional)"), validators=[Length(max=2000)],
                            description=_l("Say who you are and what you would like to talk about."))


class FilterForm(Form):
    class Meta:
        csrf = False

    sector = SelectField(_l("Sector"), choices=[SelectChoice("", _l("All sectors")), *_choices(SECTORS)],
                         validators=[Optional()], validate_choice=False)
    stage = SelectField(_l("Stage"), choices=[SelectChoice("", _l("All stages")), *_choices(STAGES)],
                        validators=[Optional()], validate_choice=False)


class SlotsForm(Form):
    day = DateField(_l("Day"), validators=[InputRequired()])
    start = TimeField(_l("First meeting starts"), validators=[InputRequired()])
    end = TimeField(_l("Last meeting ends by"), validators=[InputRequired()])
    minutes = IntegerField(_l("Minutes per meeting"), default=20,
                           validators=[InputRequired(), NumberRange(5, 240)])
    tables = IntegerField(_l("Tables"), default=10, validators=[InputRequired(), NumberRange(1, 500)])


class MoveForm(Form):
    slot = SelectField(_l("Time"), coerce=int, validate_choice=False)
    table = IntegerField(_l("Table"), validators=[InputRequired(), NumberRange(1, 500)])


class OutcomeForm(Form):
    held = RadioField(_l("Did the meeting take place?"),
                      choices=[SelectChoice("yes", _l("Yes, we met")),
                               SelectChoice("no", _l("No, it did not take place"))],
                      validators=[InputRequired()])
    stage = SelectField(_l("Where it led"), choices=[SelectChoice("", _l("Nothing yet")),
                                                     *_choices(FOLLOW_UPS)],
                        validators=[Optional()])
    note = TextAreaField(_l("Private note"), validators=[Length(max=2000)],
                         description=_l("Only you see this note; organizers see counts only."))
