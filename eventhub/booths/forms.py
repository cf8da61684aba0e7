"""Booth forms: the floor plan, applications, review, and the organizers' allocation tools."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DecimalField,
    EmailField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..forms import Form

STATUS_LABELS = {
    "submitted": _l("Submitted"),
    "changes_requested": _l("Changes requested"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
    "withdrawn": _l("Withdrawn"),
}
STAGE_LABELS = {
    "idea": _l("Idea"),
    "pre_seed": _l("Pre-seed"),
    "seed": _l("Seed"),
    "series_a": _l("Series A"),
    "growth": _l("Growth"),
}
REASON_LABELS = {
    "no_booth_of_size": _l("No booth of its size in the plan"),
    "booths_of_size_taken": _l("Every booth of its size is taken on its days"),
    "avoid_constraints": _l("The free booths of its size are next to a competitor it avoids"),
    "search_stopped": _l("The optimizer stopped before placing it; run it longer"),
}
# The booth sizes of the generated plans; a floor plan may name others (then shown as typed).
SIZE_LABELS = {
    "small": _l("Small"),
    "standard": _l("Standard"),
    "large": _l("Large"),
}
DECISION_LABELS = {
    "approve": _l("Approve"),
    "request_changes": _l("Ask for changes"),
    "reject": _l("Reject"),
}


def size_label(size: str | None) -> str:
    """A booth size as people read it: "Tiêu chuẩn" for `standard`, a plan's own size as typed."""
    return str(SIZE_LABELS[size]) if size in SIZE_LABELS else (size or "")


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class FloorplanForm(Form):
    plan_csv = TextAreaField(_l("Floor plan (CSV)"), validators=[Optional(), Length(max=400_000)],
                             description=_l("One row per zone or booth: kind,code,name,sector,zone,x,y,w,h,"
                                            "size,price_tier. Grid units; a zone's outline is optional."))
    plan_file = FileField(_l("Or import a file (JSON or CSV)"))


class ApplicationForm(Form):
    organization = StringField(_l("Organization"), validators=[DataRequired(_l("This field is required.")),
                                                                Length(max=200)])
    tax_code = StringField(_l("Tax code (mã số thuế), optional"), validators=[Length(max=40)],
                           description=_l("Ten digits, or thirteen for a branch: it tells your startup "
                                          "apart from others with a similar name."))
    sector = SelectField(_l("Sector"), validate_choice=False,
                         description=_l("Booths in a zone of your sector count as preferred."))
    stage = SelectField(_l("Stage"), validators=[Optional()],
                        choices=[SelectChoice("", "—"),
                                 *(SelectChoice(k, v) for k, v in STAGE_LABELS.items())])
    product = TextAreaField(_l("Product or technology you will show"), validators=[Length(max=5000)])
    size = SelectField(_l("Booth size"), validate_choice=False)
    preferences = StringField(_l("Preferred zones or booths, best first"), validators=[Length(max=300)],
                              description=_l("Codes separated by commas, e.g. AI, AI01, FIN."))
    avoid = SelectMultipleField(_l("Competitors to keep away from"), coerce=int, validate_choice=False,
                                description=_l("Never on a booth next to yours."))
    days = MultiCheckboxField(_l("Days you exhibit"), validate_choice=False,
                              description=_l("None ticked: every day of the event."))
    contact_email = EmailField(_l("Contact e-mail"), validators=[Optional(), Length(max=254)])
    logo = FileField(_l("Logo (PNG, JPEG, GIF or WebP, at most 2 MB)"))


class ReviewForm(Form):
    decision = SelectField(_l("Decision"), choices=[SelectChoice(k, v) for k, v in DECISION_LABELS.items()])
    note = TextAreaField(_l("Note to the startup"), validators=[Optional(), Length(max=1000)],
                         description=_l("Required when you ask for changes; sent by e-mail."))


class RunForm(Form):
    time_limit = DecimalField(_l("Time limit (seconds)"), default=10, places=1,
                              validators=[Optional(), NumberRange(min=0.1, max=60)])


class PlaceForm(Form):
    booth = SelectField(_l("Booth"), validate_choice=False)
    exhibitor = SelectField(_l("Exhibitor"), validate_choice=False,
                            description=_l("Empty: clear the booth."))
    locked = BooleanField(_l("Lock: re-runs keep it here"), default=True)


class SwapForm(Form):
    first = SelectField(_l("Exhibitor"), validate_choice=False)
    second = SelectField(_l("Swap with"), validate_choice=False)


class DirectoryForm(Form):
    class Meta:
        csrf = False

    q = SearchField(_l("Search"), validators=[Optional(), Length(max=200)],
                    description=_l("Organization, sector or product; accents are optional."))
    sector = SelectField(_l("Sector"), validators=[Optional()], validate_choice=False)
