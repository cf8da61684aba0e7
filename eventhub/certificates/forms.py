"""The organizers' certificate forms: issue, e-mail, the template editor, images, revoking."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from ..forms import Form
from .labels import KIND_LABELS, LOCALE_LABELS
from .models import SIGNER_MAX


class OneLine:
    """A text printed on one line: no line breaks or other control characters; spaces trimmed."""

    def __call__(self, form, field) -> None:
        field.data = (field.data or "").strip()
        if any(ord(c) < 32 or ord(c) == 127 for c in field.data):
            raise ValidationError(_l("Write it on one line."))


KIND_CHOICES = [SelectChoice(k, v) for k, v in KIND_LABELS.items()]
ASSET_KIND_LABELS = {
    "background": _l("Background (A4 landscape)"),
    "signature": _l("Signature"),
    "image": _l("Other image (logo)"),
}


class VerifyForm(Form):
    """The public lookup (GET, no CSRF): a serial typed from the paper or read out over the phone."""

    class Meta:
        csrf = False

    serial = StringField(
        _l("Certificate serial"),
        validators=[InputRequired(), Length(max=40)],
        description=_l(
            "The 12 letters and digits printed on the certificate; capitals and dashes do not matter."
        ),
        render_kw={"autocapitalize": "characters", "spellcheck": "false", "inputmode": "text",
                   "placeholder": "XXXX-XXXX-XXXX", "maxlength": 40},
    )


class IssueForm(Form):
    kind = SelectField(_l("Kind of certificate"), choices=KIND_CHOICES, validators=[InputRequired()])
    # Participation in one workshop: the session is checked against the event by holders.check_session,
    # which says what is wrong (a stale page may offer a session deleted since).
    session_id = SelectField(
        _l("Workshop"),
        choices=[],
        default="",
        validate_choice=False,
        description=_l(
            "Participation certificates that name the workshop, for the people scanned in at its door "
            "(walk-ins included)."
        ),
    )

    def set_sessions(self, counted) -> None:
        """The choices: the event's sessions, each with how many people were scanned in."""
        # A workshop nobody entered is shown (so it is not missed) but cannot be chosen; the menu starts
        # on the first one with people (the page's GET: a POST keeps what was chosen).
        self.session_id.choices = [
            SelectChoice(str(s.id), _l("%(title)s (%(n)s scanned in)", title=s.title, n=n))
            if n
            else SelectChoice(str(s.id), _l("%(title)s (no one scanned in yet)", title=s.title),
                              render_kw={"disabled": True})
            for s, n in counted
        ]
        if not self.session_id.data:
            self.session_id.data = next((str(s.id) for s, n in counted if n), "")

    def session(self) -> int | None:
        """The chosen session's id; None for the event as a whole, -1 for a value that is no id."""
        value = str(self.session_id.data or "")
        return _id_or_minus_one(value) if value else None


def _id_or_minus_one(value) -> int:
    """A form's id as a number; -1 for anything else. ASCII digits only: "²".isdigit() is true, and
    int("²") then fails."""
    value = str(value)
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else -1


class MailForm(Form):
    kind = SelectField(
        _l("Kind of certificate"),
        validators=[Optional()],
        choices=[SelectChoice("", _l("Every kind")), *KIND_CHOICES],
    )
    again = BooleanField(_l("Also to holders who were e-mailed before"))


class TemplateForm(Form):
    locale = SelectField(
        _l("Language of the certificate"), choices=[SelectChoice(k, v) for k, v in LOCALE_LABELS.items()]
    )
    html = TextAreaField(
        _l("HTML"),
        validators=[InputRequired(), Length(max=100_000)],
        description=_l(
            "Placeholders: {{ holder_name }}, {{ event_name }}, {{ event_dates }}, {{ event_venue }}, "
            "{{ date }} (07/12/2026) and {{ long_date }} (the same written out in the template's language), "
            "{{ title }}, {{ kind }}, {{ kind_label }}, {{ award }}, {{ award_level }}, "
            "{{ contest }}, {{ entry }}, {{ sessions }} and {{ contests }} (lists), "
            "{{ session }} (the workshop of a certificate issued per session), {{ serial }}, {{ qr }}, "
            "{{ verify_url }}, {{ background }}, {{ signatures }} (a list of images), {{ signer_name }} and "
            "{{ signer_title }} (the fields below), {{ locale }}; images of this event: asset:NAME."
        ),
    )
    css = TextAreaField(_l("CSS"), validators=[Optional(), Length(max=100_000)])
    background = SelectField(_l("Background image"), validators=[Optional()])
    signatures = SelectMultipleField(_l("Signature images"), validators=[Optional()])
    signer_title = StringField(
        _l("Signer's title"),
        validators=[Optional(), Length(max=SIGNER_MAX), OneLine()],
        description=_l("Printed under “BAN TỔ CHỨC”, e.g. “Trưởng ban” or “Giám đốc Sở”."),
        render_kw={"maxlength": SIGNER_MAX, "autocomplete": "off"},
    )
    signer_name = StringField(
        _l("Signer's name"),
        validators=[Optional(), Length(max=SIGNER_MAX), OneLine()],
        description=_l("Printed below the signature. Leave both empty for a blank line to sign."),
        render_kw={"maxlength": SIGNER_MAX, "autocomplete": "off"},
    )

    def set_assets(self, assets) -> None:
        self.background.choices = [
            SelectChoice("", _l("The default background")),
            *(SelectChoice(str(a.id), a.name) for a in assets),
        ]
        self.signatures.choices = [SelectChoice(str(a.id), a.name) for a in assets]

    def ids(self) -> tuple[int | None, list[int]]:
        background = _id_or_minus_one(self.background.data) if self.background.data else None
        return background, [_id_or_minus_one(v) for v in self.signatures.data or []]


class AssetForm(Form):
    file = FileField(_l("Image (PNG, JPEG, GIF or WebP, at most 5 MB)"), validators=[FileRequired()])
    kind = SelectField(_l("Used as"), choices=[SelectChoice(k, v) for k, v in ASSET_KIND_LABELS.items()])


class RevokeForm(Form):
    reason = TextAreaField(_l("Reason"), validators=[InputRequired(), Length(max=500)])
