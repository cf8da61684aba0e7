"""Field cleaners shared by forms, the API and the CLI; each raises ValidationError(field)."""

from __future__ import annotations

import re
from datetime import datetime, tzinfo

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from .errors import ValidationError
from .vietnamese import InvalidPhone, normalize_phone, normalize_text

# NUL and lone surrogates: no database stores them (PostgreSQL refuses NUL, UTF-8 has no surrogates).
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(text: str) -> bool:
    return UNSTORABLE.search(text) is None


def clean_email(value: str, field: str = "email") -> str:
    """Trimmed, lower-cased e-mail; the address's syntax is checked, the domain is not looked up."""
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: [_("Please enter an e-mail address.")]})
    try:
        result = validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValidationError({field: [_("This e-mail address is not valid.")]}) from exc
    return result.normalized.lower()


def clean_name(value: str, field: str = "full_name", max_length: int = 200) -> str:
    value = normalize_text(value or "")
    if not value:
        raise ValidationError({field: [_("Please enter a name.")]})
    if len(value) > max_length:
        raise ValidationError({field: [_("At most %(n)d characters.", n=max_length)]})
    if any(ord(ch) < 32 for ch in value):
        raise ValidationError({field: [_("This name contains characters that are not allowed.")]})
    return value


def clean_optional_phone(value: str | None, field: str = "phone") -> str | None:
    if value is None or not str(value).strip():
        return None
    try:
        return normalize_phone(str(value))
    except InvalidPhone as exc:
        raise ValidationError({field: [_("This phone number is not valid.")]}) from exc


# Times near year 1 or 9999 overflow when moved between zones, and long ago zones had offsets in
# seconds (Ho Chi Minh City +07:06:30 before 1906) that ISO 8601 cannot write.
YEARS = (2000, 2999)


def clean_datetime(value, tz: tzinfo, field: str, *, required: bool = True) -> datetime | None:
    """An aware datetime; a time without an offset is read in `tz` (the event's own zone)."""
    if value is None and not required:
        return None
    if not isinstance(value, datetime):
        raise ValidationError({field: [_("Please enter a date and time.")]})
    if not YEARS[0] <= value.year <= YEARS[1]:
        raise ValidationError({field: [_("This value is out of the allowed range.")]})
    return value.replace(tzinfo=tz) if value.tzinfo is None else value


class FieldErrors:
    """Collects the errors of several cleaners, so that a form shows every wrong field at once."""

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def clean(self, cleaner, *args, **kwargs):
        """`cleaner(*args)`, or None after recording its field errors."""
        try:
            return cleaner(*args, **kwargs)
        except ValidationError as exc:
            self.fields.update(exc.fields or {})
            return None

    def add(self, field: str, message: str) -> None:
        self.fields.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.fields:
            raise ValidationError(self.fields)
