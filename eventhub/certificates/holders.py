"""Who gets which kind of certificate, as plain `Holder`s.

- participation: the event's registrations with a check-in (not undone) on one of the event's days, not
  cancelled (a scan before or after the event is a scanner test, not attendance: eventhub.checkin.days);
- speaker: the names in the event's sessions' `speakers`. A speaker's e-mail is known when the
  name (without titles such as "TS.", folded) matches exactly one live registration of the event;
  otherwise the speaker still gets a certificate, without e-mail, keyed by the folded name. An
  organizer may also name the speakers' registrations (`registration_ids`);
- award: team members of awarded entries of the event's published contests (one certificate per
  person and entry); judge: the judges of the event's contests (eventhub.contests.recipients);
- participation in one session (a workshop): the event's registrations, not cancelled, scanned in at
  its door (eventhub.checkin SessionCheckIn, walk-ins included), keyed "session:<id>:" + the person's
  key so that the same unique constraint keeps one serial per person and session.

With `registration_ids`, only those registrations' people get one: participation and speaker take
the registrations themselves; award and judge keep the recipients with the same e-mail or account.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from flask_babel import gettext as _

from ..checkin import days, doors
from ..checkin.models import CheckIn, SessionCheckIn
from ..contests.recipients import award_recipients, judge_recipients
from ..dbtypes import MAX_ID
from ..errors import ValidationError
from ..events.models import Event
from ..extensions import db
from ..registration.models import EventSession, Registration, RegistrationStatus
from ..vietnamese import fold, normalize_text, sort_people
from .models import CertificateKind

MAX_IDS = 10_000
# Titles written before a speaker's name, which their registration does not carry.
_TITLES = re.compile(
    r"^(?:(?:gs|pgs|ts|ths|ks|bs|cn|ls|nts|tskh|dr|prof|mr|mrs|ms|ong|ba)\.?\s*)+", re.IGNORECASE
)


@dataclass(frozen=True)
class Holder:
    holder_key: str
    full_name: str
    email: str = ""
    registration_id: int | None = None
    user_id: int | None = None
    details: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


def email_key(email: str) -> str:
    return "email:" + (email or "").strip().lower()


def name_key(name: str) -> str:
    return "name:" + fold(_TITLES.sub("", fold(name)))


def holders_for(
    event: Event,
    kind: CertificateKind | str,
    registration_ids: list[int] | None = None,
    session_id: int | None = None,
) -> list[Holder]:
    """The holders of `kind` for the event (with `session_id`: of that session), in Vietnamese
    given-name order."""
    kind = CertificateKind(kind)
    chosen = _chosen_registrations(event, registration_ids) if registration_ids is not None else None
    if session_id is not None:
        found = _session_participants(event, check_session(event, kind, session_id), chosen)
    elif kind == CertificateKind.participation:
        found = _participants(event) if chosen is None else [_registration_holder(r) for r in chosen]
    elif kind == CertificateKind.speaker:
        found = _speakers(event, chosen)
    elif kind == CertificateKind.award:
        found = _only_chosen(_award_holders(event), event, chosen)
    else:
        found = _only_chosen(_judge_holders(event), event, chosen)
    return sort_people(found, name=lambda h: h.full_name)


def _chosen_registrations(event: Event, ids: list[int]) -> list[Registration]:
    wanted = sorted({int(i) for i in ids})
    if len(wanted) > MAX_IDS:
        raise ValidationError({"registration_ids": [_("At most %(n)d registrations at once.", n=MAX_IDS)]})
    found = list(
        db.session.scalars(
            db.select(Registration).where(
                Registration.event_id == event.id,
                Registration.id.in_(wanted),
                Registration.status != RegistrationStatus.cancelled,
            )
        )
    )
    missing = sorted(set(wanted) - {r.id for r in found})
    if missing:
        shown = ", ".join(str(i) for i in missing[:20])
        raise ValidationError(
            {"registration_ids": [_("These are not live registrations of this event: %(ids)s", ids=shown)]}
        )
    return found


def _registration_holder(reg: Registration, **details) -> Holder:
    return Holder(
        email_key(reg.email_normalized),
        normalize_text(reg.full_name),
        reg.email,
        reg.id,
        reg.user_id,
        details,
    )


def _participants(event: Event) -> list[Holder]:
    checked_in = db.select(CheckIn.registration_id).where(
        CheckIn.event_id == event.id, CheckIn.undone_at.is_(None), days.on_event_days(event)
    )
    regs = db.session.scalars(
        db.select(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status != RegistrationStatus.cancelled,
            Registration.id.in_(checked_in),
        )
        .order_by(Registration.sort_key, Registration.id)
    )
    return [_registration_holder(reg) for reg in regs]


def check_session(event: Event, kind: CertificateKind | str, session_id: int) -> EventSession:
    """The event's session `session_id` for participation certificates; ValidationError otherwise."""
    if CertificateKind(kind) != CertificateKind.participation:
        raise ValidationError({"session_id": [_("Only participation certificates are issued per session.")]})
    session = db.session.get(EventSession, session_id) if 0 < session_id <= MAX_ID else None
    if session is None or session.event_id != event.id:
        raise ValidationError({"session_id": [_("This is not a session of this event.")]})
    if db.session.scalar(db.select(db.func.count()).select_from(_scanned_in(event, session).subquery())) == 0:
        # Said here rather than as an empty "0 / 0" job.
        raise ValidationError({"session_id": [_("No one has been scanned in at this workshop yet.")]})
    return session


def _scanned_in(event: Event, session: EventSession):
    """The live registrations of the event scanned in at the session's door (walk-ins too) on the
    session's own day: a scan on another day tests the door (the door page says so), it is no attendance."""
    start, end = doors.day_window(event, doors.session_day(event, session))
    return db.select(Registration).where(
        Registration.event_id == event.id,
        Registration.status != RegistrationStatus.cancelled,
        Registration.id.in_(
            db.select(SessionCheckIn.registration_id).where(
                SessionCheckIn.session_id == session.id,
                SessionCheckIn.checked_in_at >= start,
                SessionCheckIn.checked_in_at < end,
            )
        ),
    ).order_by(Registration.sort_key, Registration.id)


def _session_participants(
    event: Event, session: EventSession, chosen: list[Registration] | None
) -> list[Holder]:
    regs = list(db.session.scalars(_scanned_in(event, session)))
    if chosen is not None:
        # Chosen people must have been scanned in: the certificate says they attended the workshop.
        wanted = {r.id for r in chosen}
        missing = sorted(wanted - {r.id for r in regs})
        if missing:
            shown = ", ".join(str(i) for i in missing[:20])
            message = _("These people were not scanned into this session: %(ids)s", ids=shown)
            raise ValidationError({"registration_ids": [message]})
        regs = [r for r in regs if r.id in wanted]
    title = normalize_text(session.title)
    return [
        replace(h, holder_key=f"session:{session.id}:{h.holder_key}")
        for h in (
            _registration_holder(reg, session=title, session_id=session.id, sessions=[title]) for reg in regs
        )
    ]


def session_counts(event: Event) -> list[tuple[EventSession, int]]:
    """The event's sessions, each with how many people would get a certificate of it (as _scanned_in:
    entries on the session's day). The day is counted in Python: a date in the event's zone is written
    differently in SQLite and PostgreSQL, and an event has few sessions and entries."""
    sessions = list(
        db.session.scalars(
            db.select(EventSession)
            .where(EventSession.event_id == event.id)
            .order_by(EventSession.starts_at, EventSession.id)
        )
    )
    entries = db.session.execute(
        db.select(SessionCheckIn.session_id, SessionCheckIn.checked_in_at)
        .join(Registration, Registration.id == SessionCheckIn.registration_id)
        .where(Registration.event_id == event.id, Registration.status != RegistrationStatus.cancelled)
    )
    by_id = {s.id: s for s in sessions}
    counts = dict.fromkeys(by_id, 0)
    for session_id, at in entries:
        session = by_id.get(session_id)
        if session is not None and doors.on_session_day(event, session, at):
            counts[session_id] += 1
    return [(session, counts[session.id]) for session in sessions]


def _speaker_sessions(event: Event) -> dict[str, tuple[str, list[str]]]:
    """{name key: (the name as printed, [session titles])} over the event's sessions."""
    found: dict[str, tuple[str, list[str]]] = {}
    for session in db.session.scalars(
        db.select(EventSession)
        .where(EventSession.event_id == event.id)
        .order_by(EventSession.starts_at, EventSession.id)
    ):
        for speaker in session.speakers or []:
            name = normalize_text(str(speaker))
            if name:
                found.setdefault(name_key(name), (name, []))[1].append(normalize_text(session.title))
    return found


def _speakers(event: Event, chosen: list[Registration] | None) -> list[Holder]:
    sessions = _speaker_sessions(event)
    if chosen is not None:
        return [
            _registration_holder(reg, sessions=sessions.get(name_key(reg.full_name), ("", []))[1])
            for reg in chosen
        ]
    if not sessions:
        return []
    live = db.session.execute(  # columns, not objects: an event has thousands of registrations
        db.select(
            Registration.id,
            Registration.full_name,
            Registration.email,
            Registration.email_normalized,
            Registration.user_id,
        ).where(Registration.event_id == event.id, Registration.status != RegistrationStatus.cancelled)
    )
    by_name: dict[str, list] = {}
    for reg in live:
        by_name.setdefault(name_key(reg.full_name), []).append(reg)
    holders = []
    for key, (name, titles) in sessions.items():
        matches = by_name.get(key, [])
        if len(matches) == 1:
            reg = matches[0]
            holders.append(
                Holder(
                    email_key(reg.email_normalized),
                    name,
                    reg.email,
                    reg.id,
                    reg.user_id,
                    {"sessions": titles},
                )
            )
        else:
            holders.append(Holder(key, name, details={"sessions": titles}))
    return holders


def _award_holders(event: Event) -> list[Holder]:
    return [
        Holder(
            f"entry:{r.entry_id}:" + email_key(r.email).removeprefix("email:")
            if r.email
            else f"entry:{r.entry_id}:" + name_key(r.full_name),
            normalize_text(r.full_name),
            r.email or "",
            None,
            r.user_id,
            {
                "award_level": r.award_level,
                "contest": normalize_text(r.contest_name),
                "contest_id": r.contest_id,
                "entry": normalize_text(r.entry_title),
                "entry_id": r.entry_id,
            },
        )
        for r in award_recipients(event.id)
    ]


def _judge_holders(event: Event) -> list[Holder]:
    return [
        Holder(
            email_key(r.email),
            normalize_text(r.full_name),
            r.email,
            None,
            r.user_id,
            {"contests": [normalize_text(n) for n in r.contest_names]},
        )
        for r in judge_recipients(event.id)
    ]


def _only_chosen(holders: list[Holder], event: Event, chosen: list[Registration] | None) -> list[Holder]:
    """The recipients linked to the event's registration of the same e-mail (or account) when there is
    one; with chosen registrations, only the recipients who are one of them."""
    if chosen is not None:
        regs = chosen
    else:
        emails = sorted({(h.email or "").strip().lower() for h in holders if h.email})
        users = sorted({h.user_id for h in holders if h.user_id})
        regs = (
            list(
                db.session.execute(
                    db.select(Registration.id, Registration.email_normalized, Registration.user_id).where(
                        Registration.event_id == event.id,
                        Registration.status != RegistrationStatus.cancelled,
                        db.or_(Registration.email_normalized.in_(emails), Registration.user_id.in_(users)),
                    )
                )
            )
            if holders
            else []
        )
    by_email = {r.email_normalized: r for r in regs}
    by_user = {r.user_id: r for r in regs if r.user_id}
    linked = []
    for h in holders:
        reg = by_email.get((h.email or "").strip().lower()) or (by_user.get(h.user_id) if h.user_id else None)
        if reg is None and chosen is not None:
            continue
        linked.append(
            Holder(h.holder_key, h.full_name, h.email, reg.id if reg else None, h.user_id, h.details)
        )
    return linked


def check_registration_ids(event: Event, ids: list[int]) -> None:
    """ValidationError unless every id is a live registration of the event."""
    _chosen_registrations(event, ids)


def check_issue(
    event: Event, kind: CertificateKind | str, registration_ids: list[int] | None, session_id: int | None
) -> None:
    """ValidationError unless the issuing job would find the chosen session and people (said before
    the job starts, not as a failed job)."""
    session = check_session(event, kind, session_id) if session_id is not None else None
    if registration_ids is not None:
        chosen = _chosen_registrations(event, registration_ids)
        if session is not None:
            _session_participants(event, session, chosen)
