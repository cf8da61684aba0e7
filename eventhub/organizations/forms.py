"""The organizations' forms: the list's search (a GET, no CSRF), the choice of the organization to keep
when merging (its number, typed or picked from a search), and an organizer's correction of one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SearchField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from ..forms import Form
from .labels import KIND_LABELS
from .models import NAME_LENGTH

MAX_ID = 2**31 - 1


class SearchForm(Form):
    """The list's search and kind filter, read from the query string (it changes nothing)."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search"), validators=[Optional(), Length(max=200)],
                    description=_l("A name, a former name or a tax code; accents are optional."))
    kind = SelectField(_l("Kind of organization"), validators=[Optional()], validate_choice=False,
                       choices=[SelectChoice("", _l("All kinds")),
                                *(SelectChoice(k.value, v) for k, v in KIND_LABELS.items())])

    def kind_filter(self) -> str | None:
        """The chosen kind when it is one; anything else typed into the address shows every kind."""
        return self.kind.data if self.kind.data in {k.value for k in KIND_LABELS} else None


class MergeForm(Form):
    """Which organization survives the merge; `confirm` is set by the confirmation step's button."""

    into = StringField(_l("Number of the organization to keep"),
                       validators=[InputRequired(), Length(max=12)],
                       description=_l("Its record number, shown on its page and in the list."))
    confirm = HiddenField()
    back = HiddenField()

    def validate_into(self, field) -> None:
        text = (field.data or "").strip().lstrip("#")
        if not (text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_ID):
            raise ValidationError(_l("Enter the organization's number, e.g. 125."))

    @property
    def into_id(self) -> int:
        return int(self.into.data.strip().lstrip("#"))


class EditForm(Form):
    """An organizer corrects the name, the kind or the tax code (organizations.services.update checks the
    tax code and that no other organization has it)."""

    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=NAME_LENGTH)])
    kind = SelectField(_l("Kind of organization"),
                       choices=[SelectChoice(k.value, v) for k, v in KIND_LABELS.items()])
    tax_code = StringField(_l("Tax code"), validators=[Optional(), Length(max=40)],
                           description=_l("Mã số thuế: 10 digits, or 10 and a branch's 3. Typed by an "
                                          "applicant, it is unproven: correct it, or leave it empty to "
                                          "clear it."))
