"""Demo matchmaking for Startup Week 2020: the 25 funds' investor profiles, startup profiles,
about 60 meeting requests (most accepted), one day of slots, the schedule and outcomes – more than
30 projects connected, as the department reported.

Idempotent: profiles are found by (event, account), requests by pair, slots are made once, the
scheduler only adds, and outcomes are written only where nobody reported one. No e-mails are sent.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time

from sqlalchemy import func

from ..accounts.models import Role, User
from ..events.models import Event
from ..extensions import db
from ..matchmaking import outcomes, profiles, recommendations, requesting, scheduling, slots
from ..matchmaking.figures import projects_connected
from ..matchmaking.models import Meeting, MeetingRequest, Profile, RequestStatus

EVENT_SLUG = "startup-week-2020"
MEETING_DAY = date(2020, 12, 16)
SECTOR_OF_SUFFIX = {"AI": "ai", "Tech": "smart_city", "Labs": "ai", "Data": "ai", "Farm": "agritech",
                    "Edu": "edtech", "Health": "healthtech", "Go": "logistics", "Pay": "fintech",
                    "Green": "cleantech"}
FOREIGN = ("Ventures", "Capital", "Partners", "Startups", "Network", "Valley", "Angels", "Vietnam")
# An investor's thesis says what its profile says: its sectors and stages, in words.
SECTOR_WORDS = {"ai": "trí tuệ nhân tạo", "smart_city": "đô thị thông minh",
                "agritech": "nông nghiệp công nghệ cao", "edtech": "giáo dục", "healthtech": "y tế",
                "logistics": "logistics", "fintech": "tài chính số", "cleantech": "năng lượng sạch"}
STAGE_WORDS = {("pre_seed", "seed"): "giai đoạn sớm (tiền hạt giống, hạt giống)",
               ("seed", "series_a", "growth"): "từ vòng hạt giống đến Series A và tăng trưởng"}
SEEKING = ["Vốn hạt giống để mở rộng thị trường miền Nam", "Nhà đầu tư chiến lược và mạng lưới khách hàng",
           "Vốn Series A và cố vấn quốc tế", "Đối tác thử nghiệm với Thành phố", "Vốn và cố vấn sản phẩm"]
REQUESTS, ACCEPTED, DECLINED = 60, 42, 6


def _users(pattern: str, role: Role) -> list[User]:
    """The demo's accounts of a role, in the order of their domains (fund01.vn, fund02.vn, …)."""
    found = db.session.scalars(db.select(User).where(User.email.like(pattern), User.role == role))
    return sorted(found, key=lambda user: (user.email.rsplit("@", 1)[-1], user.email))


def _thesis(sectors: list[str], stages: list[str], foreign: bool) -> str:
    words = [SECTOR_WORDS[s] for s in sectors]
    fields = ", ".join(words[:-1]) + f" và {words[-1]}" if len(words) > 1 else words[0]
    where = "Việt Nam và Đông Nam Á" if foreign else "TP.HCM và các tỉnh phía Nam"
    return f"Đầu tư {STAGE_WORDS[tuple(stages)]} vào startup {fields} tại {where}."


def _investor_values(rng: random.Random, fund: str, index: int) -> dict:
    foreign = any(word in fund for word in FOREIGN) and not fund.startswith("Quỹ")
    sectors = rng.sample(list(SECTOR_OF_SUFFIX.values()), k=rng.randint(3, 5))
    if index % 3 == 0:
        sectors = sorted(set(sectors) | {"ai"})
    stages = ["pre_seed", "seed"] if index % 4 else ["seed", "series_a", "growth"]
    if foreign:
        (low, high), currency = rng.choice([(20_000, 500_000), (50_000, 2_000_000)]), "USD"
    else:
        (low, high), currency = rng.choice([(500_000_000, 10_000_000_000),
                                            (1_000_000_000, 30_000_000_000)]), "VND"
    return {"kind": "investor", "organization": fund, "investor_type": "angel" if "Angel" in fund else "fund",
            "sectors": sorted(set(sectors)), "stages": stages, "ticket_min": low, "ticket_max": high,
            "currency": currency, "countries": ["VN"] if not foreign else ["VN", "SG", "ID"],
            "thesis": _thesis(sorted(set(sectors)), stages, foreign), "contactable": True}


def _startup_values(rng: random.Random, organization: str) -> dict:
    suffix = organization.rsplit(" ", 1)[-1]
    stage = rng.choice(["pre_seed", "seed", "seed", "seed", "series_a"])
    amount = {"pre_seed": 1_000_000_000, "seed": 3_000_000_000, "series_a": 9_000_000_000}[stage]
    return {"kind": "startup", "organization": organization, "sector": SECTOR_OF_SUFFIX.get(suffix, "other"),
            "stage": stage, "amount": amount + rng.randrange(0, 5) * 250_000_000, "currency": "VND",
            "seeking": rng.choice(SEEKING), "traction": f"{rng.randint(3, 60)} khách hàng doanh nghiệp, "
                                                        f"doanh thu tăng {rng.randint(20, 180)}%/năm",
            "contactable": rng.random() > 0.05}


def _profile(event: Event, user: User, values: dict) -> Profile:
    existing = profiles.profile_of(event, user)
    return existing or profiles.save_profile(event, user, values)


def _slots(event: Event) -> None:
    if slots.slots_of(event):
        return
    wanted = []
    for start, end in ((time(9, 0), time(12, 0)), (time(13, 30), time(17, 10))):
        wanted.extend(slots.day_slots(event, MEETING_DAY, start, end, 20))
    slots.set_slots(event, wanted, 12, day=MEETING_DAY)


def _requests(rng: random.Random, event: Event, investors: list[Profile], startups: list[Profile]) -> int:
    made = db.session.scalar(db.select(func.count(MeetingRequest.id)).where(
        MeetingRequest.event_id == event.id)) or 0
    if made >= REQUESTS:
        return 0
    added, per_investor = 0, {p.id: 0 for p in investors}
    for index, startup in enumerate(startups):
        if added + made >= REQUESTS:
            break
        fits = [r.profile for r in recommendations.recommendations(startup) if per_investor[r.profile.id] < 4]
        if not fits:
            continue
        investor = fits[0] if index % 5 else rng.choice(fits[:3])
        if requesting.between(startup, investor) is not None:
            continue
        by_investor = index % 4 == 0 and startup.contactable
        sender, recipient = (investor, startup) if by_investor else (startup, investor)
        request = requesting.send_request(sender, recipient, "Rất mong được trao đổi tại Tuần lễ 2020.",
                                          notify=False, now=datetime(2020, 12, 10, 9, tzinfo=event.tz))
        per_investor[investor.id] += 1
        count = made + added
        if count < ACCEPTED:
            requesting.accept(request, recipient, notify=False)
        elif count < ACCEPTED + DECLINED:
            requesting.decline(request, recipient, notify=False)
        added += 1
    return added


def _outcomes(rng: random.Random, event: Event) -> int:
    written = 0
    stages = ["follow_up", "follow_up", "due_diligence", None, "term_sheet", "follow_up", "invested"]
    meetings = db.session.scalars(db.select(Meeting).where(Meeting.event_id == event.id)
                                  .order_by(Meeting.starts_at, Meeting.id))
    for index, meeting in enumerate(list(meetings)):
        if meeting.investor_held is not None or meeting.startup_held is not None:
            continue
        held = index % 13 != 12  # a few no-shows
        stage = stages[index % len(stages)] if held else None
        outcomes.record_outcome(meeting, meeting.investor, held=held, stage=stage,
                                note="Ghi chú riêng của nhà đầu tư." if held else None)
        if held and index % 2 == 0:
            outcomes.record_outcome(meeting, meeting.startup, held=True, note="Buổi gặp hữu ích.")
        written += 1
    return written


def load_matchmaking(organizer: User) -> str:
    """Loads the demo's matchmaking into Startup Week 2020; returns a one-line summary."""
    event = db.session.scalar(db.select(Event).where(Event.slug == EVENT_SLUG))
    if event is None:
        return "no Startup Week 2020"
    rng = random.Random(2020_12)
    investors = [_profile(event, user, _investor_values(rng, user.organization or user.full_name, index))
                 for index, user in enumerate(_users("%@fund%.vn", Role.investor))]
    startups = [_profile(event, user, _startup_values(rng, user.organization or user.full_name))
                for user in _users("%@startup%.vn", Role.participant)[:90]]
    if not investors or not startups:
        return "no demo investors or startups"
    requests = _requests(rng, event, investors, startups)
    _slots(event)
    result = scheduling.run_scheduler(event, actor=organizer, time_limit=3, notify=False)
    written = _outcomes(rng, event)
    accepted = db.session.scalar(db.select(func.count(MeetingRequest.id)).where(
        MeetingRequest.event_id == event.id, MeetingRequest.status == RequestStatus.accepted))
    return (f"{len(investors)} investor and {len(startups)} startup profiles, {requests} requests added "
            f"({accepted} accepted in all), {len(result.added)} meetings placed, {written} outcomes, "
            f"{projects_connected(event.id)} projects connected")

