"""The organizers' badge form: layout, registration type and status of the bulk badge job."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from ..forms import Form
from ..registration.labels import STATUS_LABELS
from ..registration.models import RegistrationType

LAYOUT_LABELS = {
    "a6": _l("A6: one badge a page"),
    "a4-4up": _l("A4: four badges a sheet, with cut marks"),
}


class BadgeJobForm(Form):
    layout = SelectField(_l("Layout"), validators=[InputRequired()],
                         choices=[SelectChoice(k, v) for k, v in LAYOUT_LABELS.items()])
    type = SelectField(_l("Registration type"))
    status = SelectField(_l("Status"), default="confirmed",
                         description=_l("Only confirmed registrations have a ticket, and so a badge."))

    def set_choices(self, types: list[RegistrationType]) -> None:
        self.type.choices = [SelectChoice("", _l("All types")),
                             *(SelectChoice(t.code, t.name) for t in types)]
        self.status.choices = [SelectChoice(k, v) for k, v in STATUS_LABELS.items()]
