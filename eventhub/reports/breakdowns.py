"""The numbers behind the report's charts, for one event or a series: plain lists of (label, count).

A fixed number of queries whatever the number of rows or events (the dashboard's query count is
tested). Times are counted per hour of each event's local time: in the database when every zone
involved keeps one UTC offset all year (Ho Chi Minh City does), which returns at most one row per
hour; otherwise each time is fetched and converted here, which is exact across daylight-saving
changes too. Both work the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import BigInteger, Integer, and_, case, cast, func

from ..checkin.days import on_event_days
from ..checkin.models import CheckIn
from ..contests.models import Contest, Entry
from ..events.models import Event
from ..extensions import db
from ..matchmaking import figures as matchmaking_figures
from ..matchmaking import models as matchmaking_models
from ..registration.models import EventSession, Registration, RegistrationStatus, SessionChoice
from .figures import not_withdrawn

Series = list[tuple[str, int]]


@dataclass
class Breakdowns:
    """What the charts draw; `arrivals_unit` is "hour" (one day of check-ins) or "day"."""

    arrivals: Series = field(default_factory=list)
    arrivals_unit: str = "hour"
    arrivals_continuous: bool = True  # every hour or day in its span, so a line may join them
    registrations_per_day: Series = field(default_factory=list)
    session_attendance: Series = field(default_factory=list)
    entries_per_contest: Series = field(default_factory=list)
    meeting_outcomes: Series = field(default_factory=list)


def _day_label(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _spans_short(counts: Counter) -> bool:
    return bool(counts) and (max(counts) - min(counts)).days <= 62


def _days_filled(counts: Counter) -> Series:
    """Every day from the first to the last (gaps as 0) when the span is short; else only the days seen."""
    if not counts:
        return []
    first, last = min(counts), max(counts)
    if _spans_short(counts):
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    else:
        days = sorted(counts)
    return [(_day_label(day), counts.get(day, 0)) for day in days]


def fixed_offset(event: Event) -> timedelta | None:
    """The zone's UTC offset if it keeps one all year around the event (no daylight saving); else None."""
    year = event.starts_at.year
    offsets = {event.tz.utcoffset(datetime(y, month, 1)) for y in (year - 1, year, year + 1)
               for month in (1, 4, 7, 10)}
    return offsets.pop() if len(offsets) == 1 else None


def _epoch_seconds(column):
    if db.session.get_bind().dialect.name == "sqlite":
        return cast(func.strftime("%s", column), Integer)
    return cast(func.floor(func.extract("epoch", column)), BigInteger)


EPOCH = datetime(1970, 1, 1)


def local_hours(events: Sequence[Event], event_column, time_column, *conditions) -> Counter:
    """{local hour (a naive datetime in the event's zone): rows} of the rows of these events."""
    if not events:
        return Counter()
    ids = [event.id for event in events]
    offsets = {event.id: fixed_offset(event) for event in events}
    if all(offset is not None for offset in offsets.values()):
        shift = case({event_id: int(offset.total_seconds()) for event_id, offset in offsets.items()},
                     value=event_column, else_=0)
        hour = (_epoch_seconds(time_column) + shift) // 3600
        rows = db.session.execute(db.select(hour, func.count()).where(event_column.in_(ids), *conditions)
                                  .group_by(hour))
        return Counter({EPOCH + timedelta(hours=int(index)): int(n) for index, n in rows})
    zones = {event.id: event.tz for event in events}
    rows = db.session.execute(db.select(event_column, time_column).where(event_column.in_(ids), *conditions))
    return Counter(at.astimezone(zones[event_id]).replace(minute=0, second=0, microsecond=0, tzinfo=None)
                   for event_id, at in rows)


def _per_day(hours: Counter) -> Counter:
    days: Counter = Counter()
    for hour, n in hours.items():
        days[hour.date()] += n
    return days


def arrivals(events: Sequence[Event]) -> tuple[Series, str, bool]:
    """Check-ins (not undone, on the event's days: no test scans) per hour when they all fall on one day,
    else per day; event time."""
    hours = local_hours(events, CheckIn.event_id, CheckIn.checked_in_at, CheckIn.undone_at.is_(None),
                        on_event_days(*events))
    days = _per_day(hours)
    if len(days) != 1:
        return _days_filled(days), "day", _spans_short(days) or not days
    by_hour = Counter({moment.hour: n for moment, n in hours.items()})
    return ([(f"{hour:02d}:00", by_hour.get(hour, 0)) for hour in range(min(by_hour), max(by_hour) + 1)],
            "hour", True)


def registrations_per_day(events: Sequence[Event]) -> Series:
    """Registrations not cancelled, by the day they were made (event time)."""
    return _days_filled(_per_day(local_hours(events, Registration.event_id, Registration.created_at,
                                             Registration.status != RegistrationStatus.cancelled)))


def session_attendance(events: Sequence[Event]) -> Series:
    """Seats held per session, every session of the events listed (0 too), in time order."""
    ids = [event.id for event in events]
    if not ids:
        return []
    rows = db.session.execute(
        db.select(EventSession.title, func.count(SessionChoice.registration_id))
        .outerjoin(SessionChoice, and_(SessionChoice.session_id == EventSession.id,
                                       SessionChoice.holding.is_(True)))
        .where(EventSession.event_id.in_(ids))
        .group_by(EventSession.id, EventSession.title, EventSession.starts_at)
        .order_by(EventSession.starts_at, EventSession.id))
    return [(title, int(n)) for title, n in rows]


def entries_per_contest(events: Sequence[Event]) -> Series:
    """Entries (not withdrawn) per contest of the events, every contest listed (0 too)."""
    ids = [event.id for event in events]
    if not ids:
        return []
    rows = db.session.execute(
        db.select(Contest.name, func.count(Entry.id))
        .outerjoin(Entry, and_(Entry.contest_id == Contest.id, not_withdrawn()))
        .where(Contest.event_id.in_(ids))
        .group_by(Contest.id, Contest.name).order_by(Contest.id))
    return [(name, int(n)) for name, n in rows]


def meeting_outcomes(events: Sequence[Event]) -> Series:
    """The matchmaking funnel summed over the events: requested → accepted → scheduled → held, then
    the meetings held that reached each follow-up stage or a later one (further talks … invested)."""
    figures, models = matchmaking_figures, matchmaking_models
    ids = [event.id for event in events]
    if not ids:
        return []
    Request, Meeting = models.MeetingRequest, models.Meeting
    requested, accepted = db.session.execute(
        db.select(func.count(Request.id),
                  func.count(Request.id).filter(Request.status == models.RequestStatus.accepted))
        .where(Request.event_id.in_(ids))).one()
    scheduled = db.session.scalar(db.select(func.count(Meeting.id)).where(
        Meeting.event_id.in_(ids), Meeting.status == models.MeetingStatus.scheduled)) or 0
    stages = [stage.value for stage in models.FollowUp]
    per_stage = dict.fromkeys(stages, 0)
    held = 0
    for event_id in ids:
        counts = figures.outcome_counts(event_id)
        held += sum(int(n or 0) for n in counts.values())
        for stage in stages:
            per_stage[stage] += int(counts.get(stage, 0) or 0)
    funnel = [("requested", int(requested or 0)), ("accepted", int(accepted or 0)),
              ("scheduled", int(scheduled)), ("held", held)]
    reached = 0
    for stage in reversed(stages):  # a term sheet went through the earlier stages too
        reached += per_stage[stage]
        per_stage[stage] = reached
    return funnel + [(stage, per_stage[stage]) for stage in stages]


def breakdowns(events: Sequence[Event]) -> Breakdowns:
    arrived, unit, continuous = arrivals(events)
    return Breakdowns(arrivals=arrived, arrivals_unit=unit, arrivals_continuous=continuous,
                      registrations_per_day=registrations_per_day(events),
                      session_attendance=session_attendance(events),
                      entries_per_contest=entries_per_contest(events),
                      meeting_outcomes=meeting_outcomes(events))


def local_year_bounds(year: int) -> tuple[datetime, datetime]:
    """A window sure to hold every event starting in `year` in any time zone (±14 h), to narrow a query."""
    return (datetime(year, 1, 1, tzinfo=UTC) - timedelta(days=1),
            datetime(year + 1, 1, 1, tzinfo=UTC) + timedelta(days=1))
