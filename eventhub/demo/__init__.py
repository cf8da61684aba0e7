"""Demo data: the 2020 series of domain.md, with realistic Vietnamese people and startups.

Idempotent: people are found by e-mail, events by slug, types by code and registrations by
(event, e-mail), so a second run adds nothing.
"""

from __future__ import annotations

import random

from ..accounts.models import Role, User
from ..accounts.passwords import hash_password
from ..dbtypes import utcnow
from ..events.models import Event
from ..events.services import create_event
from ..extensions import db
from ..vietnamese import fold
from .answers import load_answers
from .attendance import load_attendance
from .booths import load_booths
from .certificates import load_certificates
from .contests import load_contests
from .data import EVENTS, FUNDS, ORGANIZERS, STAFF, STARTUP_SUFFIXES, STARTUP_WORDS
from .exhibition import load_exhibition
from .floor_judging import load_floor_judging
from .followups import load_followups
from .matchmaking import load_matchmaking
from .messages import load_messages
from .names import vietnamese_name
from .programmes import load_programmes
from .registrations import load_registrations
from .seasons import settle_dates
from .series2021 import load_2021
from .surveys import load_surveys


def _person_email(full_name: str, domain: str, taken: set[str]) -> str:
    family, *rest = fold(full_name).split()
    base = f"{rest[-1] if rest else family}.{family}"
    email, n = f"{base}@{domain}", 1
    while email in taken:
        n += 1
        email = f"{base}{n}@{domain}"
    taken.add(email)
    return email


def _ensure_user(email: str, name: str, role: Role, password_hash: str, **extra) -> bool:
    if db.session.scalar(db.select(User.id).where(User.email == email)):
        return False
    db.session.add(User(email=email, full_name=name, role=role, password_hash=password_hash,
                        consent_at=utcnow(), consent_version="demo", email_verified_at=utcnow(),  # vouched
                        **extra))
    return True


def load_demo(password: str = "demo1234", visitors: float = 1.0) -> list[str]:
    """Loads the series; `visitors` scales the 5,000 visitor registrations. Returns a summary."""
    started = utcnow()  # what the run writes is dated from here on; only that is moved into its season
    rng = random.Random(2020)
    password_hash = hash_password(password)  # one hash for all: hashing is slow on purpose
    added = {"events": 0, "users": 0}
    taken: set[str] = set()

    for name, email in ORGANIZERS:
        added["users"] += _ensure_user(email, name, Role.organizer, password_hash,
                                       organization="Sở Khoa học và Công nghệ TP.HCM")
        taken.add(email)
    for name, email in STAFF:
        added["users"] += _ensure_user(email, name, Role.staff, password_hash)
        taken.add(email)
    db.session.commit()

    organizer = db.session.scalar(db.select(User).where(User.email == ORGANIZERS[0][1]))
    for spec in EVENTS:
        if db.session.scalar(db.select(Event.id).where(Event.slug == spec["slug"])) is None:
            create_event(actor=organizer, **spec)
            added["events"] += 1

    startups = [f"{word} {suffix}" for word in STARTUP_WORDS for suffix in STARTUP_SUFFIXES]
    rng.shuffle(startups)
    for index, company in enumerate(startups[:150]):
        name = vietnamese_name(rng)
        email = _person_email(name, f"startup{index + 1:03d}.vn", taken)
        added["users"] += _ensure_user(email, name, Role.participant, password_hash,
                                       organization=f"Công ty CP {company}",
                                       phone=f"+8490{rng.randrange(1_000_000, 9_999_999)}")
    for index, fund in enumerate(FUNDS):
        name = vietnamese_name(rng)
        email = _person_email(name, f"fund{index + 1:02d}.vn", taken)
        added["users"] += _ensure_user(email, name, Role.investor, password_hash, organization=fund)
    for _ in range(24):  # 8 contests, 3 judges each
        name = vietnamese_name(rng)
        email = _person_email(name, "giamkhao.vn", taken)
        added["users"] += _ensure_user(email, name, Role.judge, password_hash,
                                       organization=rng.choice(["Đại học Quốc gia TP.HCM",
                                                                "Đại học Bách khoa TP.HCM",
                                                                "Hiệp hội Doanh nghiệp TP.HCM",
                                                                "Viện Công nghệ Sài Gòn"]))
    db.session.commit()
    registrations = load_registrations(rng, organizer, visitors=visitors)
    contests_added = load_contests(organizer)
    booths_summary = load_booths(organizer)
    exhibition_summary = load_exhibition(organizer)  # the 2026 floor, then the judges who walk it
    floor_summary = load_floor_judging(organizer)
    attendance_added = load_attendance(rng)  # before the certificates: participants are who came
    said_yes, said_no = load_answers()  # after the check-ins: who stayed away may have said no
    certificates_added = load_certificates(organizer)
    matchmaking_summary = load_matchmaking(organizer)
    messages_summary = load_messages(organizer)  # after booths and registrations: their people receive it
    summary_2021 = load_2021(organizer, password_hash=password_hash, visitors=visitors)  # after 2020's
    surveys_summary = load_surveys(organizer)  # after the attendance of 2020 and of 2021: who came is asked
    programmes_summary = load_programmes(organizer)
    settle_dates(since=started)  # what the run stamped with today's date goes back into its event's season
    # after the dates are settled: a 2020 award was given in 2020, so its follow-ups are long past
    followups_summary = load_followups()
    return [
        f"Events added: {added['events']} (of {len(EVENTS)}).",
        f"Accounts added: {added['users']}.",
        f"Registrations added: {registrations}.",
        f"Check-ins of past events added: {attendance_added}.",
        f"Answers to \"will you come?\" of past events added: {said_yes} yes, {said_no} no.",
        f"Contests added: {contests_added}.",
        f"Booths: {booths_summary}; the 2026 exhibition: {exhibition_summary}.",
        f"Floor judging: {floor_summary}.",
        f"Matchmaking: {matchmaking_summary}.",
        f"Certificates added: {certificates_added}.",
        f"Organizers' messages: {messages_summary}.",
        f"Startup Week 2021: {summary_2021}.",
        f"Surveys after the Startup Weeks: {surveys_summary}.",
        f"Programmes: {programmes_summary}.",
        f"Follow-ups of meetings and awards: {followups_summary}.",
        f"Every demo account's password: {password}",
        f"Organizer: {ORGANIZERS[0][1]}; check-in staff: {STAFF[0][1]}",
        *_sample_accounts(),
    ]


def _sample_accounts() -> list[str]:
    """One account of each other role, to sign in as (their e-mails come from generated names)."""
    lines = []
    for role, label in ((Role.judge, "A judge"), (Role.investor, "An investor"),
                        (Role.participant, "A startup")):
        email = db.session.scalar(db.select(User.email).where(User.role == role).order_by(User.id).limit(1))
        if email:
            lines.append(f"{label}: {email}")
    return lines
