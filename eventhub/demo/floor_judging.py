"""Demo pairwise judging at the 2026 exhibition (issue 20): two awards by sector on one floor – the AI
booths, and the fintech and agritech booths – whose entries are the exhibitors at their booths (the same
organization names, demo/exhibition.py), four demo judges, and the votes of the first hours of the floor.

The votes are made through the judges' own service (floor_judging.next_stop and vote), so the ranking, the
judges' progress and reliabilities, the phone page and the exports all show what the service really did.
Each judge is simulated: hidden qualities of the entries (seeded), a judge's sharpness, and a coin per vote
(Bradley–Terry: the better entry wins more often, the sharper the judge the more often). The demo judge –
the one `flask demo` prints – is left mid-walk: sent to a booth, with the booth before to compare it with.

Idempotent: nothing is done when the first contest exists. Deterministic: the same seed, the same votes.
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta

from ..accounts.models import User
from ..contests import entries, setup
from ..contests import floor_judging as service
from ..contests.models import Contest, Entry
from ..dbtypes import utcnow
from ..events.models import Event
from ..extensions import db
from .exhibition import SLUG, product_of, sector_startups

# (code, name, sectors of its entries, votes per judge)
CONTESTS = [
    ("gian-hang-ai-2026", "Giải Gian hàng AI xuất sắc 2026", {"ai"}, 6),
    ("gian-hang-fintech-agritech-2026", "Giải Gian hàng Fintech – Agritech 2026", {"fintech", "agritech"}, 8),
]
# The judges' sharpness: how strongly a quality difference shows in their votes (0.6: often a coin flip).
SHARPNESS = [2.5, 2.0, 1.5, 0.6]
STEP = timedelta(minutes=3)  # a walk to the next booth, a look and a vote
SEED = 2026


def _dates(event: Event, now: datetime) -> tuple[datetime, datetime]:
    """Submissions closed a week before the event (or yesterday, if that is earlier); the floor stays
    open until the event ends – for a demo loaded after it, two weeks after loading (as the pitch)."""
    yesterday = (now.astimezone(event.tz) - timedelta(days=1)).replace(hour=17, minute=0, second=0,
                                                                      microsecond=0)
    closes = event.ends_at if event.ends_at > now + timedelta(days=1) else now + timedelta(days=14)
    return min(event.starts_at - timedelta(days=7), yesterday), closes


def _make_contest(event: Event, organizer: User, code: str, name: str, deadlines) -> Contest:
    submission_deadline, judging_deadline = deadlines
    return setup.create_contest(event, {
        "code": code, "name": name, "criteria": [], "judges_per_entry": 3, "blind": False,
        "scoring": "pairwise", "submission_deadline": submission_deadline,
        "judging_deadline": judging_deadline,
        "description": f"{name}: ban giám khảo đi dọc các gian hàng của triển lãm và so sánh từng cặp gian "
                       "hàng – gian hàng nào ấn tượng hơn?",
        "rules": "Mọi đơn vị trưng bày của khu vực đều tham gia; không cần nộp hồ sơ riêng.",
    }, actor=organizer)


def _enter(contest: Contest, leader: User, product: str, when: datetime) -> Entry:
    company = (leader.organization or "").removeprefix("Công ty CP ")
    return entries.submit_entry(contest, {
        "title": f"{company} – {product}", "summary": f"Gian hàng của {leader.organization}: {product}.",
        "organization": leader.organization or "", "team": [], "links": [],
    }, user=leader, now=when)


def _stop(contest: Contest, judge: User, sharpness: float, quality: dict[int, float], coins: random.Random,
          when: datetime) -> int | None:
    """One stop of the judge's walk: sent to the next booth and, with a booth before it, a vote.
    The votes cast (0 or 1); None when the judge has nothing left to compare."""
    stop = service.next_stop(contest, judge, now=when)
    if stop is None:
        return None
    if stop.previous is None:  # the first booth: nothing to compare yet
        return 0
    here, before = stop.entry.id, stop.previous.id
    here_wins = coins.random() < 1 / (1 + math.exp(-sharpness * (quality[here] - quality[before])))
    winner, loser = (here, before) if here_wins else (before, here)
    service.vote(contest, judge, winner, loser, now=when)
    return 1


def load_floor_judging(organizer: User, *, now: datetime | None = None) -> str:
    """The two pairwise contests of 2026 with their entries, judges and votes; a summary line."""
    now = now or utcnow()
    event = db.session.scalar(db.select(Event).where(Event.slug == SLUG))
    judges = list(db.session.scalars(db.select(User).where(User.email.like("%@giamkhao.vn"))
                                     .order_by(User.id)))
    exhibitors = sector_startups()
    if event is None or len(judges) < len(SHARPNESS) or not exhibitors:
        return "no 2026 floor"
    if db.session.scalar(db.select(Contest.id).filter_by(event_id=event.id, code=CONTESTS[0][0])):
        return "already loaded"
    rng = random.Random(SEED)
    # the demo judge (the first, whom `flask demo` prints) and three others, not the 2026 pitch's panel
    panel = [judges[0], *judges[2:2 + len(SHARPNESS) - 1]]
    deadlines = _dates(event, now)
    quality: dict[int, float] = {}
    made = []
    for code, name, sectors, per_judge in CONTESTS:
        contest = _make_contest(event, organizer, code, name, deadlines)
        setup.add_judges(contest, [j.email for j in panel], actor=organizer)
        for index, (leader, sector) in enumerate(exhibitors):
            if sector in sectors:
                when = deadlines[0] - timedelta(days=1 + index % 9, hours=index % 7)
                entry = _enter(contest, leader, product_of(sector, index), when)
                quality[entry.id] = rng.gauss(0.0, 1.0)
        made.append((contest, per_judge))
    # Every judge walks one category, then the other (half the panel starts with each): a first booth, then
    # a vote at each next one. The judges take their stops in turn, a few minutes apart, so that the votes'
    # order is their time order and each judge meets the others' walks as they were; the walks end a few
    # minutes before now, when the demo judge is sent to one more booth in the category they walk last.
    walks = []
    for j in range(len(panel)):
        order = made[j % 2:] + made[:j % 2]
        walks.append([contest for contest, per_judge in order for _ in range(per_judge + 1)])
    steps = max(len(w) for w in walks)
    start = now - STEP * (steps + 2)
    coins = random.Random(SEED + 1)
    votes, done = 0, set()
    for step in range(steps):
        for j, judge in enumerate(panel):
            if step >= len(walks[j]) or (j, walks[j][step].id) in done:
                continue
            cast = _stop(walks[j][step], judge, SHARPNESS[j], quality, coins,
                         start + STEP * step + timedelta(seconds=40 * j))
            if cast is None:
                done.add((j, walks[j][step].id))  # nothing left in this category
            votes += cast or 0
    stop = service.next_stop(walks[0][-1], panel[0], now=now - timedelta(minutes=2))
    at = f"{stop.spot.code} – {stop.entry.organization}" if stop and stop.spot else "–"
    return (f"{len(made)} pairwise contests at the 2026 exhibition, {len(quality)} entries at their booths, "
            f"{votes} votes by {len(panel)} judges; {panel[0].email} is mid-walk, sent to booth {at} "
            f"(/events/{event.slug}/floor-judging)")
