"""The desk's forms: a scan, the gate of this device, and the CSRF-only buttons."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Length

from ..forms import Form
from .services import MAX_GATE_LENGTH


class ScanForm(Form):
    # No length rule here: the service answers any text, however long, with a reason in words.
    ticket_code = StringField(_l("Ticket code"),
                              description=_l("Scan the QR code or type the code, then Enter."))


class GateForm(Form):
    # An explicit message: WTForms' own one for Length fails in our ngettext bridge (a KeyError).
    gate = StringField(_l("Gate"), validators=[
        Length(max=MAX_GATE_LENGTH, message=_l("At most %(n)d characters.", n=MAX_GATE_LENGTH))],
                       description=_l("For example Cổng A. Remembered on this device."))


class ActionForm(Form):
    """A button that changes something: the CSRF token only."""
