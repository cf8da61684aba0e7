"""The demo's second year: Startup Week 2021, which shares startups, funds and visitors with 2020.

25 of its 40 exhibitors exhibited in 2020 (data2021.RETURNING: most write their name so it folds to the
2020 one, a few mistype it), 7 of its 10 funds came in 2020, and a quarter of its visitors too. It has
registrations, one workshop, check-ins at the gates and the workshop's door, booths, meetings held and
certificates; at the end every row that names an organization is linked (organizations.link_all), so
the 2021 rows land on the 2020 organizations, and the mistyped ones on the duplicates page.

Idempotent like the rest of the demo: accounts by e-mail, registrations by (event, e-mail), one
application per account, the floor plan, slots, check-ins and placements made only while there are none.
Its own seeded random, so the 2020 series draws what it always drew.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from sqlalchemy import func, insert

from ..accounts.models import Role, User
from ..booths import allocation
from ..booths import services as booths
from ..booths.layout import hall
from ..booths.models import Exhibitor, ExhibitorStatus
from ..certificates.holders import holders_for
from ..certificates.models import CertificateKind
from ..certificates.services import ensure_certificates
from ..certificates.templates import set_signer, signer_of
from ..checkin.models import CheckIn, SessionCheckIn
from ..dbtypes import utcnow
from ..events.models import Event
from ..events.services import create_event
from ..extensions import db
from ..matchmaking import requesting, scheduling, slots
from ..matchmaking.models import MeetingRequest
from ..organizations.matching import fold_name
from ..organizations.models import Organization
from ..organizations.services import link_all
from ..registration import catalog
from ..registration.models import Registration, RegistrationStatus, RegistrationType, SessionChoice
from ..vietnamese import fold
from . import data2021 as facts
from .attendance import GATES, SECOND_DAY, SHOW_UP
from .booths import PRODUCTS, SECTOR_BY_SUFFIX, ZONES
from .certificates import SIGNER_NAME, SIGNER_TITLE, issued_at
from .data import STAFF, TYPES
from .matchmaking import _investor_values, _outcomes, _profile, _startup_values, _users
from .names import vietnamese_name
from .registrations import _ensure_types, _register, _registered_emails

SIZES = ["standard"] * 30 + ["small"] * 5 + ["large"] * 5
FUND_TAX_CODES = {"Quỹ Đầu tư Sáng tạo Phương Nam": "0316539990"}


def _email(name: str, domain: str) -> str:
    family, *rest = fold(name).split()
    return f"{rest[-1] if rest else family}.{family}@{domain}"


def _account(name: str, email: str, role: Role, organization: str, password_hash: str) -> User:
    user = db.session.scalar(db.select(User).where(User.email == email))
    if user is None:
        user = User(email=email, full_name=name, role=role, organization=organization,
                    password_hash=password_hash, consent_at=utcnow(), consent_version="demo",
                    email_verified_at=utcnow())
        db.session.add(user)
    return user


def _startups(password_hash: str) -> list[tuple[User, str, str | None, str]]:
    """(account, name on the application, tax code, name on the matchmaking profile) of every exhibitor."""
    known = {u.organization: u for u in db.session.scalars(db.select(User).where(
        User.role == Role.participant, User.email.like("%@startup%.vn")))}
    found = [(known[f"Công ty CP {company}"], written, tax, written)
             for company, written, tax in facts.RETURNING if f"Công ty CP {company}" in known]
    for company, founder, on_profile in facts.NEW_STARTUPS:
        domain = fold_name(company).replace(" ", "") + ".vn"
        user = _account(founder, _email(founder, domain), Role.participant, company, password_hash)
        found.append((user, company, facts.NEW_TAX_CODES.get(company), on_profile or company))
    db.session.commit()
    return found


def _funds(password_hash: str) -> list[User]:
    funds = _users("%@fund%.vn", Role.investor)[::3][:facts.RETURNING_FUNDS]
    funds += [_account(person, _email(person, domain), Role.investor, fund, password_hash)
              for fund, person, domain in facts.NEW_FUNDS]
    db.session.commit()
    return funds


def _registrations(rng: random.Random, event: Event, organizer, startups, funds, scale: float) -> int:
    _ensure_types(event, TYPES, organizer)
    if not catalog.sessions_of(event):
        title, room, starts_at, ends_at, capacity, speakers = facts.WORKSHOP
        catalog.create_session(event, title=title, room=room, starts_at=starts_at, ends_at=ends_at,
                               capacity=capacity, speakers=speakers, actor=organizer)
    workshop = catalog.sessions_of(event)[0]
    done, added = _registered_emails(event), 0
    people = [("startup", user, written) for user, written, _tax, _profile_name in startups]
    people += [("investor", user, user.organization) for user in funds]
    for code, user, organization in people:
        chosen = [workshop.id] if rng.random() < 0.35 else []  # drawn every time: the same demo each run
        if user.email not in done:
            added += _register(event, code, user.full_name, user.email, user.phone, organization, organizer,
                               chosen if workshop.remaining else [])
    came_before = db.session.execute(
        db.select(Registration.full_name, Registration.email, Registration.phone, Registration.organization)
        .join(Event, Event.id == Registration.event_id)
        .join(RegistrationType, RegistrationType.id == Registration.registration_type_id)
        .where(Event.slug == "startup-week-2020", RegistrationType.code == "visitor")
        .order_by(Registration.id)).all()
    count = int(facts.VISITORS * scale)
    again = rng.sample(came_before, min(len(came_before), int(count * facts.RETURNING_VISITORS)))
    for index in range(count):
        if index < len(again):
            name, email, phone, organization = again[index]
        else:
            name = vietnamese_name(rng)
            email = f"{fold(name).replace(' ', '.')}.{index}@tuanle2021.khach.vn"
            phone = f"+849{rng.choice('0134')}{rng.randrange(1_000_000, 9_999_999)}"
            organization = rng.choice(["Đại học Bách khoa TP.HCM", "Đại học Kinh tế TP.HCM", "Sinh viên",
                                       "Đại học FPT", "Ngân hàng TMCP Á Châu", "Tự do"])
        chosen = [workshop.id] if rng.random() < 0.35 else []
        if email not in done:
            added += _register(event, "visitor", name, email, phone, organization, organizer,
                               chosen if workshop.remaining else [])
    return added


def _exhibitors(rng: random.Random, event: Event, organizer, startups) -> str:
    if not booths.booths_of(event):
        plan = hall(ZONES, booths_per_zone=8, mix={"standard": 6, "small": 1, "large": 1})
        booths.replace_floorplan(event, plan, actor=organizer)
    applied = set(db.session.scalars(db.select(Exhibitor.user_id).filter_by(event_id=event.id)))
    for index, (user, written, tax, _on_profile) in enumerate(startups):
        sector = SECTOR_BY_SUFFIX.get(written.rsplit(" ", 1)[-1]) or rng.choice(list(PRODUCTS))
        zone = next(z["code"] for z in ZONES if z["sector"] == sector)
        stage = rng.choice(["pre_seed", "seed", "seed", "series_a"])
        if user.id in applied:
            continue
        booths.apply(event, user, organization=written, tax_code=tax, sector=sector,
                     size=SIZES[index % len(SIZES)], stage=stage, product=PRODUCTS[sector],
                     preferences=[zone], notify=False, now=event.starts_at - timedelta(days=45 - index // 2))
    for exhibitor in db.session.scalars(db.select(Exhibitor).filter_by(
            event_id=event.id, status=ExhibitorStatus.submitted)).all():
        booths.review(exhibitor, "approve", actor=organizer, notify=False)
    if booths.has_placements(event):
        return "already placed"
    return f"{allocation.assign_booths(event, actor=organizer, time_limit=3).placed} placed"


def _matchmaking(rng: random.Random, event: Event, organizer, startups, funds) -> int:
    investors = [_profile(event, user, {**_investor_values(rng, user.organization, index),
                                        "tax_code": FUND_TAX_CODES.get(user.organization)})
                 for index, user in enumerate(funds)]
    founders = [_profile(event, user, {**_startup_values(rng, written), "organization": on_profile,
                                       "tax_code": tax})
                for user, written, tax, on_profile in startups[::2]]
    made = db.session.scalar(db.select(func.count(MeetingRequest.id)).filter_by(event_id=event.id))
    for index in range(made, facts.REQUESTS):
        startup = founders[index % len(founders)]
        fits = [i for i in investors if startup.sector in i.sectors] or investors
        investor = fits[(index // len(founders)) % len(fits)]
        if requesting.between(startup, investor) is not None:
            continue
        sender, recipient = (investor, startup) if index % 4 == 0 and startup.contactable else (startup,
                                                                                             investor)
        request = requesting.send_request(sender, recipient, "Rất mong được gặp tại Tuần lễ 2021.",
                                          notify=False, now=datetime(2021, 12, 6, 9, tzinfo=event.tz))
        if index < facts.ACCEPTED:
            requesting.accept(request, recipient, notify=False)
        elif index < facts.ACCEPTED + facts.DECLINED:
            requesting.decline(request, recipient, notify=False)
    if not slots.slots_of(event):
        wanted = [*slots.day_slots(event, facts.MEETING_DAY, time(9, 0), time(12, 0), 20),
                  *slots.day_slots(event, facts.MEETING_DAY, time(13, 30), time(17, 10), 20)]
        slots.set_slots(event, wanted, 8, day=facts.MEETING_DAY)
    if scheduling.waiting_requests(event):  # a run with nothing to place would still leave an audit entry
        scheduling.run_scheduler(event, actor=organizer, time_limit=2, notify=False)
    return _outcomes(rng, event)


def _check_ins(rng: random.Random, event: Event) -> int:
    """At the gates on the event's days (the workshop's people on its day), and at the workshop's door."""
    if db.session.scalar(db.select(CheckIn.id).filter_by(event_id=event.id).limit(1)) is not None:
        return 0
    staff = list(db.session.scalars(db.select(User.id).where(User.email.in_([e for _n, e in STAFF]))))
    first = event.local_starts_at.replace(hour=8, minute=0)
    days = [first + timedelta(days=n) for n in range((event.local_ends_at.date() - first.date()).days + 1)]
    workshop = catalog.sessions_of(event)[0]
    workshop_day = (workshop.starts_at.astimezone(event.tz).date() - first.date()).days
    chose = set(db.session.scalars(db.select(SessionChoice.registration_id)
                                   .filter_by(session_id=workshop.id)))
    gates, door = [], []
    for reg_id in db.session.scalars(db.select(Registration.id).where(
            Registration.event_id == event.id, Registration.status == RegistrationStatus.confirmed)
            .order_by(Registration.id)):
        if rng.random() > SHOW_UP:
            continue
        chosen = {workshop_day if reg_id in chose else rng.randrange(len(days))}
        if rng.random() < SECOND_DAY:
            chosen.add(rng.randrange(len(days)))
        for index in sorted(chosen):
            at = days[index] + timedelta(minutes=int(abs(rng.gauss(50, 45))))
            gates.append({"event_id": event.id, "registration_id": reg_id, "day": at.date(),
                          "checked_in_at": at, "gate": rng.choice(GATES), "staff_id": rng.choice(staff)})
        if reg_id in chose and rng.random() < 0.85:
            door.append({"session_id": workshop.id, "registration_id": reg_id, "staff_id": rng.choice(staff),
                         "checked_in_at": workshop.starts_at + timedelta(minutes=rng.randint(-15, 20))})
    for model, rows in ((CheckIn, gates), (SessionCheckIn, door)):
        if rows:
            db.session.execute(insert(model), rows)
    db.session.commit()
    return len(gates) + len(door)


def _certificates(event: Event, organizer) -> None:
    if signer_of(event) == ("", ""):
        set_signer(event, SIGNER_NAME, SIGNER_TITLE, actor=organizer)
    for kind in CertificateKind:
        holders = holders_for(event, kind)
        if holders:
            ensure_certificates(event, kind, holders, actor_id=organizer.id, now=issued_at(event))


def load_2021(organizer, *, password_hash: str, visitors: float = 1.0) -> str:
    """Loads Startup Week 2021 (`visitors` scales its visitor registrations); returns a summary line."""
    rng = random.Random(2021)
    event = db.session.scalar(db.select(Event).where(Event.slug == facts.EVENT["slug"]))
    if event is None:
        event = create_event(actor=organizer, **facts.EVENT)
    startups = _startups(password_hash)
    funds = _funds(password_hash)
    registrations = _registrations(rng, event, organizer, startups, funds, visitors)
    placed = _exhibitors(rng, event, organizer, startups)
    outcomes = _matchmaking(rng, event, organizer, startups, funds)
    checked_in = _check_ins(rng, event)
    _certificates(event, organizer)
    # Rows are linked to their organization as the services make them; this links what the demo wrote
    # directly (none today), so the count is of rows that were left over.
    left_over = link_all()
    organizations = db.session.scalar(db.select(func.count(Organization.id))
                                      .where(Organization.merged_into_id.is_(None)))
    return (f"{event.slug}: {registrations} registrations, {len(startups)} exhibitors ({placed}), "
            f"{len(funds)} funds, {outcomes} meeting outcomes, {checked_in} check-ins added; "
            f"{organizations} organizations across the series ({left_over} rows linked afterwards)")
