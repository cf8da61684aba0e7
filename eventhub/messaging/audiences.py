"""Who a message goes to: an audience dict ({"kind", "types"?, "statuses"?, "checked_in"?}) checked and
resolved to recipients, one per lowercased address (the first found keeps it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import exists

from ..accounts.models import User
from ..booths.models import Exhibitor, ExhibitorStatus
from ..checkin.days import event_dates
from ..checkin.models import CheckIn
from ..contests.models import Contest, ContestJudge
from ..events.models import Event
from ..extensions import db
from ..mail.outbox import ERASED_DOMAIN
from ..matchmaking.models import Profile, ProfileKind
from ..registration.models import Registration, RegistrationStatus, RegistrationType

KINDS = ("registrants", "exhibitors", "judges", "investors", "startups")
DEFAULT_STATUSES = ["confirmed"]
MAX_LIST = 50  # types or statuses named in one audience


@dataclass
class Candidate:
    """One person an audience reaches, with the records their placeholders are filled from."""

    email: str
    full_name: str = ""
    locale: str = "vi"
    registration_id: int | None = None
    user_id: int | None = None
    exhibitor_id: int | None = None

    @property
    def email_normalized(self) -> str:
        return self.email.strip().lower()


def normalize_audience(event: Event, audience: Any) -> tuple[dict, list[str]]:
    """The audience as stored ({"kind"} plus, for registrants, "types", "statuses", "checked_in") and the
    problems found (translated sentences; empty when it is usable)."""
    if not isinstance(audience, dict):
        return {}, [_("Choose who receives the message.")]
    kind = audience.get("kind")
    if kind not in KINDS:
        return {}, [_("Choose who receives the message.")]
    if kind != "registrants":
        return {"kind": kind}, []
    problems: list[str] = []
    normalized: dict[str, Any] = {"kind": kind}
    types = audience.get("types")
    if types not in (None, []):
        if not isinstance(types, list) or len(types) > MAX_LIST or not all(isinstance(t, str) for t in types):
            problems.append(_("Registration types must be a list of codes."))
        else:
            known = set(db.session.scalars(db.select(RegistrationType.code)
                                           .where(RegistrationType.event_id == event.id)))
            unknown = sorted(set(types) - known)
            if unknown:
                problems.append(_("No such registration type: %(codes)s", codes=", ".join(unknown)[:300]))
            normalized["types"] = sorted(set(types))
    statuses = audience.get("statuses")
    if statuses in (None, []):
        statuses = DEFAULT_STATUSES
    if (not isinstance(statuses, list) or len(statuses) > MAX_LIST
            or not all(isinstance(s, str) and s in RegistrationStatus.__members__ for s in statuses)):
        problems.append(_("Statuses must be a list of registration statuses."))
    else:
        normalized["statuses"] = sorted(set(statuses))
    checked_in = audience.get("checked_in")
    if checked_in is not None:
        if not isinstance(checked_in, bool):
            problems.append(_("“Checked in” must be true or false."))
        else:
            normalized["checked_in"] = checked_in
    return normalized, problems


def resolve(event: Event, audience: dict) -> list[Candidate]:
    """The recipients of a normalized audience, each address once, in a stable order."""
    finder = {"registrants": _registrants, "exhibitors": _exhibitors, "judges": _judges,
              "investors": _investors, "startups": _startups}[audience["kind"]]
    seen: set[str] = set()
    found = []
    for candidate in finder(event, audience):
        address = candidate.email_normalized
        if not address or address.endswith(ERASED_DOMAIN) or address in seen:
            continue  # an erased person's placeholder address is never written to
        seen.add(address)
        found.append(candidate)
    return found


def count_audience(event: Event, audience: dict) -> int:
    """How many people a normalized audience reaches (each address once)."""
    return len(resolve(event, audience))


def _registrants(event: Event, audience: dict):
    query = (db.select(Registration.id, Registration.email, Registration.full_name, Registration.locale,
                       Registration.user_id)
             .where(Registration.event_id == event.id,
                    Registration.status.in_([RegistrationStatus(s) for s in audience.get("statuses",
                                                                                          DEFAULT_STATUSES)]))
             .order_by(Registration.id))
    if audience.get("types"):
        query = query.join(RegistrationType, RegistrationType.id == Registration.registration_type_id).where(
            RegistrationType.code.in_(audience["types"]))
    if audience.get("checked_in") is not None:
        first, last = event_dates(event)  # a test scan before the event is no attendance (checkin/days.py)
        came = exists().where(CheckIn.registration_id == Registration.id, CheckIn.undone_at.is_(None),
                              CheckIn.day.between(first, last))
        query = query.where(came if audience["checked_in"] else ~came)
    for reg_id, email, name, locale, user_id in db.session.execute(query):
        yield Candidate(email, name, locale or "vi", registration_id=reg_id, user_id=user_id)


def _exhibitors(event: Event, _audience: dict):
    query = (db.select(Exhibitor.id, Exhibitor.contact_email, Exhibitor.organization, Exhibitor.user_id,
                       User.full_name, User.locale)
             .outerjoin(User, User.id == Exhibitor.user_id)
             .where(Exhibitor.event_id == event.id, Exhibitor.status == ExhibitorStatus.approved)
             .order_by(Exhibitor.id))
    for exhibitor_id, email, organization, user_id, user_name, locale in db.session.execute(query):
        yield Candidate(email, user_name or organization, locale or "vi", user_id=user_id,
                        exhibitor_id=exhibitor_id)


def _users(query):
    for user_id, email, name, locale in db.session.execute(query):
        yield Candidate(email, name, locale or "vi", user_id=user_id)


def _judges(event: Event, _audience: dict):
    return _users(db.select(User.id, User.email, User.full_name, User.locale)
                  .join(ContestJudge, ContestJudge.user_id == User.id)
                  .join(Contest, Contest.id == ContestJudge.contest_id)
                  .where(Contest.event_id == event.id, User.active.is_(True))
                  .distinct().order_by(User.id))


def _profiles(event: Event, kind: ProfileKind):
    return _users(db.select(User.id, User.email, User.full_name, User.locale)
                  .join(Profile, Profile.user_id == User.id)
                  .where(Profile.event_id == event.id, Profile.kind == kind, User.active.is_(True))
                  .distinct().order_by(User.id))


def _investors(event: Event, _audience: dict):
    return _profiles(event, ProfileKind.investor)


def _startups(event: Event, _audience: dict):
    return _profiles(event, ProfileKind.startup)
