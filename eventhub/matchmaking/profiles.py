"""Saving and finding matchmaking profiles: an investor account holds an investor profile, a
participant account a startup profile, one per event."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..accounts.models import Role, User
from ..audit.services import record
from ..dbtypes import MAX_ID, utcnow
from ..errors import ValidationError
from ..events.models import Event
from ..extensions import db
from ..organizations.services import clean_tax_code
from ..organizations.services import link as link_organization
from ..validation import FieldErrors
from ..vietnamese import normalize_text
from .errors import WrongRole
from .labels import COUNTRIES, INVESTOR_TYPES, SECTORS
from .models import Currency, InvestorType, Profile, ProfileKind, Stage

MAX_SECTOR = 20  # the column's length
MAX_AMOUNT = 10**15  # đồng (or dollars): far above any ticket, far below what a column holds
KIND_OF_ROLE = {Role.investor: ProfileKind.investor, Role.participant: ProfileKind.startup}
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def kind_for(user: User) -> ProfileKind | None:
    """The kind of profile this account may hold (None: none)."""
    return KIND_OF_ROLE.get(user.role)


def profile_of(event: Event, user) -> Profile | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(db.select(Profile).filter_by(event_id=event.id, user_id=user.id))


def get_profile(event: Event, profile_id: Any) -> Profile | None:
    if not isinstance(profile_id, int) or isinstance(profile_id, bool) or not 1 <= profile_id <= MAX_ID:
        return None
    profile = db.session.get(Profile, profile_id)
    return profile if profile is not None and profile.event_id == event.id else None


# --- cleaning --------------------------------------------------------------------------------------------

def _text(errors: FieldErrors, values: dict, name: str, *, required: bool = False, max_length: int = 2000):
    value = values.get(name)
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.add(name, _("Enter text."))
        return ""
    value = normalize_text(value) if max_length <= 200 else value.strip()
    if required and not value:
        errors.add(name, _("This field is required."))
    elif len(value) > max_length:
        errors.add(name, _("At most %(n)d characters.", n=max_length))
    return value


def _choice(errors: FieldErrors, values: dict, name: str, choices, *, default=None):
    value = values.get(name, default)
    if value is None or value == "":
        if default is None:
            errors.add(name, _("This field is required."))
        return default
    if not isinstance(value, str) or value not in choices:
        errors.add(name, _("Choose one of: %(choices)s", choices=", ".join(choices)))
        return default
    return value


def _choices(errors: FieldErrors, values: dict, name: str, choices, *, required: bool) -> list[str]:
    value = values.get(name)
    if value is None:
        value = []
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        errors.add(name, _("Enter a list."))
        return []
    unknown = [v for v in value if v not in choices]
    if unknown:
        errors.add(name, _("Choose among: %(choices)s", choices=", ".join(choices)))
        return []
    if required and not value:
        errors.add(name, _("Choose at least one."))
    return sorted(set(value), key=list(choices).index)


def _sector(errors: FieldErrors, value: Any, name: str) -> str | None:
    """A sector code: one of SECTORS (what the forms offer) or any other short one an API client
    uses (api.md fixes no list); compared case-insensitively, so stored folded to lower case."""
    if value is None or (isinstance(value, str) and not value.strip()):
        errors.add(name, _("This field is required."))
        return None
    if not isinstance(value, str):
        errors.add(name, _("Enter text."))
        return None
    code = normalize_text(value).casefold()
    if len(code) > MAX_SECTOR or any(ord(ch) < 32 for ch in code):
        errors.add(name, _("At most %(n)d characters.", n=MAX_SECTOR))
        return None
    return code


def _sectors(errors: FieldErrors, values: dict) -> list[str]:
    value = values.get("sectors")
    if value is None:
        value = []
    if not isinstance(value, list | tuple) or len(value) > 50:
        errors.add("sectors", _("Enter a list."))
        return []
    if not value:
        errors.add("sectors", _("Choose at least one."))
        return []
    inner = FieldErrors()
    codes = [_sector(inner, v, "sectors") for v in value]
    if inner.fields:
        errors.fields.setdefault("sectors", []).extend(inner.fields["sectors"][:1])
        return []
    known = list(SECTORS)
    return sorted(set(codes), key=lambda c: (known.index(c) if c in known else len(known), c))


def _seeking_as_text(values: dict) -> dict:
    """api.md names `seeking` without its type: text is stored as it is, a list of texts (what the
    startup seeks) joined, a bare true/false (it seeks, or not) says nothing more than the profile."""
    value = values.get("seeking")
    if isinstance(value, bool):
        return {**values, "seeking": ""}
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return {**values, "seeking": ", ".join(v.strip() for v in value if v.strip())}
    return values


def _amount(errors: FieldErrors, values: dict, name: str) -> int | None:
    value = values.get(name)
    if value is None or value == "":
        errors.add(name, _("This field is required."))
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        errors.add(name, _("Enter a whole number."))
        return None
    if not 0 <= value <= MAX_AMOUNT:
        errors.add(name, _("This value is out of the allowed range."))
        return None
    return value


def _contactable(errors: FieldErrors, values: dict) -> bool:
    value = values.get("contactable", True)
    if not isinstance(value, bool):
        errors.add("contactable", _("Enter true or false."))
        return True
    return value


def _tax_code(errors: FieldErrors, values: dict, cleaned: dict) -> None:
    """The optional mã số thuế, normalized; a save that does not name it keeps the one given before."""
    if "tax_code" in values:
        cleaned["tax_code"] = errors.clean(clean_tax_code, values.get("tax_code"))


def _clean_investor(values: dict) -> dict[str, Any]:
    errors = FieldErrors()
    cleaned = {
        "organization": _text(errors, values, "organization", required=True, max_length=200),
        "investor_type": _choice(errors, values, "investor_type", list(INVESTOR_TYPES), default="fund"),
        "sectors": _sectors(errors, values),
        "stages": _choices(errors, values, "stages", [s.value for s in Stage], required=True),
        "ticket_min": _amount(errors, values, "ticket_min"),
        "ticket_max": _amount(errors, values, "ticket_max"),
        "currency": _choice(errors, values, "currency", [c.value for c in Currency], default="VND"),
        "countries": _choices(errors, values, "countries", list(COUNTRIES), required=False),
        "thesis": _text(errors, values, "thesis"),
        "contactable": _contactable(errors, values),
    }
    low, high = cleaned["ticket_min"], cleaned["ticket_max"]
    if low is not None and high is not None and low > high:
        errors.add("ticket_max", _("The largest ticket must be at least the smallest."))
    _tax_code(errors, values, cleaned)
    errors.raise_if_any()
    cleaned["investor_type"] = InvestorType(cleaned["investor_type"])
    cleaned["currency"] = Currency(cleaned["currency"])
    return cleaned


def _clean_startup(values: dict) -> dict[str, Any]:
    errors = FieldErrors()
    cleaned = {
        "organization": _text(errors, values, "organization", required=True, max_length=200),
        "sector": _sector(errors, values.get("sector"), "sector"),
        "stage": _choice(errors, values, "stage", [s.value for s in Stage]),
        "seeking": _text(errors, _seeking_as_text(values), "seeking"),
        "amount": _amount(errors, values, "amount"),
        "currency": _choice(errors, values, "currency", [c.value for c in Currency], default="VND"),
        "traction": _text(errors, values, "traction"),
        "deck_url": _text(errors, values, "deck_url", max_length=500) or None,
        "contactable": _contactable(errors, values),
    }
    if cleaned["deck_url"] and not _URL.match(cleaned["deck_url"]):
        errors.add("deck_url", _("Enter a link that starts with https://"))
    _tax_code(errors, values, cleaned)
    errors.raise_if_any()
    cleaned["stage"] = Stage(cleaned["stage"])
    cleaned["currency"] = Currency(cleaned["currency"])
    return cleaned


# Fields of the other kind, emptied when a profile is saved.
_INVESTOR_DEFAULTS = {"investor_type": None, "sectors": [], "stages": [], "ticket_min": None,
                      "ticket_max": None, "countries": [], "thesis": ""}
_STARTUP_DEFAULTS = {"sector": None, "stage": None, "seeking": "", "amount": None, "traction": "",
                     "deck_url": None}


def save_profile(event: Event, user: User, values: dict[str, Any], *, now=None, _retry: bool = True
                 ) -> Profile:
    """Creates or replaces the account's profile for the event. Commits.

    WrongRole (403) for accounts that hold no profile; a `kind` that is not the account's → 422.
    """
    kind = kind_for(user)
    if kind is None:
        raise WrongRole()
    asked = values.get("kind", kind.value)
    if asked != kind.value:
        message = (_("An investor account holds an investor profile.") if kind == ProfileKind.investor
                   else _("A participant account holds a startup profile."))
        raise ValidationError({"kind": [message]})
    if kind == ProfileKind.investor:
        cleaned = {**_STARTUP_DEFAULTS, **_clean_investor(values)}
    else:
        cleaned = {**_INVESTOR_DEFAULTS, **_clean_startup(values)}
    now = now or utcnow()
    profile = profile_of(event, user)
    created = profile is None
    if created:
        profile = Profile(event_id=event.id, user_id=user.id, kind=kind, created_at=now)
        db.session.add(profile)
    for key, value in cleaned.items():
        setattr(profile, key, value)
    profile.updated_at = now
    try:
        db.session.flush()
    except IntegrityError:  # the same account saved twice at once: the other one is kept, then ours
        db.session.rollback()
        if not _retry:
            raise
        return save_profile(event, user, values, now=now, _retry=False)
    link_organization(profile)  # an investor's fund or a startup, by the profile's kind
    record("matchmaking.profile_saved" if not created else "matchmaking.profile_created", profile,
           actor=user, event=event, object_type="match_profile",
           changes={"kind": kind.value, "contactable": profile.contactable})
    db.session.commit()
    return profile
