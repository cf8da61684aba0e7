"""The base form and helpers shared by every feature's forms."""

from __future__ import annotations

from flask_babel import get_translations, lazy_ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from .errors import ValidationError


class _BabelTranslations:
    """Sends WTForms' built-in messages through our catalogs (WTForms ships no Vietnamese).

    The raw catalog lookups: WTForms fills in `%(min)d`, `%(max)d` itself, which Flask-Babel's
    formatting functions would try (and fail) to do first.
    """

    def gettext(self, string: str) -> str:
        return get_translations().gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ngettext(singular, plural, n)


class Form(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return _BabelTranslations()


# WTForms' and Flask-WTF's own messages that our forms can show; listed so that the message
# extractor puts them in our catalogs.
BUILTIN_MESSAGES = (
    _l("This field is required."),
    _l("Not a valid choice."),
    _l("Not a valid datetime value."),
    _l("Not a valid date value."),
    _l("Not a valid integer value."),
    _l("Not a valid decimal value."),
    _l("Invalid email address."),
    _l("The CSRF token is missing."),
    _l("The CSRF token is invalid."),
    _l("The CSRF token has expired."),
    _l("The CSRF tokens do not match."),
    _l("Field must be between %(min)d and %(max)d characters long."),
    lazy_ngettext("Field must be at least %(min)d character long.",
                  "Field must be at least %(min)d characters long.", 1),
    lazy_ngettext("Field cannot be longer than %(max)d character.",
                  "Field cannot be longer than %(max)d characters.", 1),
    lazy_ngettext("Field must be exactly %(max)d character long.",
                  "Field must be exactly %(max)d characters long.", 1),
)


def apply_errors(form: FlaskForm, error: ValidationError) -> None:
    """Shows a service's field errors next to the form's fields (or at the top when unmatched)."""
    for name, messages in (error.fields or {}).items():
        field = getattr(form, name, None)
        if field is None or not hasattr(field, "errors"):
            form.form_errors.extend(messages)
            continue
        field.errors = [*field.errors, *messages]
