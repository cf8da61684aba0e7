"""Demo registration types, workshop sessions and registrations, made through the services."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from ..accounts.models import Role, User
from ..events.models import Event
from ..extensions import db
from ..registration import catalog, services
from ..registration.models import Registration
from ..vietnamese import fold
from .data import HCMC, OPEN_TYPES, SESSIONS, TYPES, VISITOR_ORGANIZATIONS, VISITORS
from .names import vietnamese_name


def _ensure_types(event: Event, specs, organizer) -> None:
    existing = {t.code for t in catalog.types_of(event)}
    for code, name, capacity, waitlist, approval in specs:
        if code not in existing:
            catalog.create_type(event, code=code, name=name, capacity=capacity, waitlist=waitlist,
                                requires_approval=approval, actor=organizer)


def _ensure_sessions(event: Event, organizer) -> None:
    if catalog.sessions_of(event):
        return
    year, month = event.local_starts_at.year, event.local_starts_at.month
    for title, room, start, end, capacity, speakers in SESSIONS:
        catalog.create_session(
            event, title=title, room=room, capacity=capacity, speakers=speakers, actor=organizer,
            starts_at=datetime(year, month, start[0], start[1], start[2], tzinfo=HCMC),
            ends_at=datetime(year, month, end[0], end[1], end[2], tzinfo=HCMC))


def _registered_emails(event: Event) -> set[str]:
    return set(db.session.scalars(db.select(Registration.email_normalized).filter_by(event_id=event.id)))


def registered_at(event: Event, email: str) -> datetime:
    """When the demo says this person registered: in the six weeks before the event, more of them as it
    nears, in the daytime. Drawn from the pair alone, so every run (and every scale) agrees."""
    rng = random.Random(f"{event.slug}/{email}")
    days_before = 1 + int(41 * rng.random() ** 2)
    midnight = event.local_starts_at.replace(hour=0, minute=0, second=0, microsecond=0)
    day = midnight - timedelta(days=days_before)
    return day + timedelta(hours=rng.randint(7, 22), minutes=rng.randrange(60))


def _register(event, code, name, email, phone, organization, organizer, session_ids=()) -> int:
    at = registered_at(event, email)
    reg, _token = services.register(
        event, type_code=code, full_name=name, email=email, phone=phone, organization=organization,
        consent=True, session_ids=list(session_ids), actor=organizer, bypass_window=True, notify=False,
        now=at)
    if reg.status.value == "pending_approval":  # approved the next working morning, before the event
        approved = min(at.replace(hour=9, minute=30) + timedelta(days=1),
                       event.starts_at - timedelta(hours=12))
        services.approve(reg, actor=organizer, notify=False, now=max(approved, at))
    return 1


def load_registrations(rng: random.Random, organizer, *, visitors: float) -> int:
    """The 2020 events' registrations: 150 startups, 25 investors and 5,000 visitors (scaled)."""
    added = 0
    events = {e.slug: e for e in db.session.scalars(db.select(Event))}
    for slug in VISITORS:
        _ensure_types(events[slug], TYPES, organizer)
    _ensure_types(events["startup-week-2026"], OPEN_TYPES, organizer)
    _ensure_sessions(events["startup-week-2020"], organizer)
    _ensure_sessions(events["startup-week-2026"], organizer)

    week = events["startup-week-2020"]
    done = _registered_emails(week)
    seats_left = {s.id: s.remaining for s in catalog.sessions_of(week)}
    # The 2020 accounts only (startup001.vn…, fund01.vn…): the 2021 edition's new startups and funds are not
    # registered for 2020 by a second run.
    for role, code, domain in ((Role.participant, "startup", "%@startup%.vn"),
                               (Role.investor, "investor", "%@fund%.vn")):
        for user in db.session.scalars(db.select(User).filter_by(role=role).where(User.email.like(domain))
                                       .order_by(User.id)):
            if user.email not in done:
                added += _register(week, code, user.full_name, user.email, user.phone, user.organization,
                                   organizer)
    for slug, count in VISITORS.items():
        event = events[slug]
        done = _registered_emails(event)
        for index in range(int(count * visitors)):
            name = vietnamese_name(rng)
            email = f"{fold(name).replace(' ', '.')}.{index}@{slug.split('-')[0]}.khach.vn"
            phone = f"+849{rng.choice('0134')}{rng.randrange(1_000_000, 9_999_999)}"
            wanted = rng.sample(sorted(seats_left), k=rng.choice((0, 0, 1, 2))) if slug == week.slug else []
            organization = rng.choice(VISITOR_ORGANIZATIONS)  # drawn every time: the same demo each run
            sessions = [s for s in wanted if seats_left[s]]  # the demo's sessions never overlap
            if email not in done:
                added += _register(event, "visitor", name, email, phone, organization, organizer, sessions)
                for session_id in sessions:
                    seats_left[session_id] -= 1
    return added
