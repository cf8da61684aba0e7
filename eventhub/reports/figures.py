"""The summary report's figures (api.md "Summary report"), one small function each.

Each figure of the database is a grouped `SELECT event_id, n` over a list of events; all of them
run as ONE statement (UNION ALL), so they are read from one snapshot – on PostgreSQL, separate
statements could each see a different moment, a check-in counted in one figure and not yet in
another – and a series costs the same number of queries as one event, whatever the number of rows.
Matchmaking computes its three figures itself (eventhub/matchmaking/figures.py), per event.

Reports sit at the top of the layering (docs/architecture.md): they read every feature's models.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from sqlalchemy import Select, func, literal_column, union_all

from ..booths.models import Exhibitor
from ..certificates.models import Certificate
from ..checkin.days import on_event_days_of_ids
from ..checkin.models import CheckIn, SessionCheckIn
from ..contests.models import Contest, Entry
from ..extensions import db
from ..matchmaking import figures as matchmaking_figures
from ..registration.models import EventSession, Registration, RegistrationStatus, SessionChoice

# The order of api.md's answer: the report's tables list the figures in this order too.
FIGURES = ("registrations", "checked_in", "visitor_attendances", "exhibitors", "contests", "entries",
           "sessions", "session_attendance", "session_checkins", "investors", "meetings_held",
           "projects_connected", "certificates")

Counts = dict[int, int]


def _count(event_id, n, *conditions) -> Select:
    """`SELECT event_id, n WHERE … GROUP BY event_id`, the shape of every figure's query."""
    return db.select(event_id.label("event_id"), n.label("n")).where(*conditions).group_by(event_id)


# --- registration and check-in ----------------------------------------------------------------------

def registrations(event_ids: Sequence[int]) -> Select:
    """Registrations that are not cancelled (confirmed, pending approval, waitlisted)."""
    return _count(Registration.event_id, func.count(Registration.id), Registration.event_id.in_(event_ids),
                  Registration.status != RegistrationStatus.cancelled)


def checked_in(event_ids: Sequence[int]) -> Select:
    """People checked in: registrations with at least one check-in not undone on one of the event's days
    (a test scan before or after the event is no attendance; the live numbers show those apart)."""
    return _count(CheckIn.event_id, func.count(func.distinct(CheckIn.registration_id)),
                  CheckIn.event_id.in_(event_ids), CheckIn.undone_at.is_(None),
                  on_event_days_of_ids(event_ids))


def visitor_attendances(event_ids: Sequence[int]) -> Select:
    """Check-ins, one per person per event day: a person who came on two days counts twice; test scans
    outside the event's days do not count."""
    per_day = (db.select(CheckIn.event_id, CheckIn.registration_id, CheckIn.day)
               .where(CheckIn.event_id.in_(event_ids), CheckIn.undone_at.is_(None),
                      on_event_days_of_ids(event_ids))
               .distinct().subquery())
    return _count(per_day.c.event_id, func.count()).select_from(per_day)


def sessions(event_ids: Sequence[int]) -> Select:
    """Workshops and conferences of the event."""
    return _count(EventSession.event_id, func.count(EventSession.id), EventSession.event_id.in_(event_ids))


def session_attendance(event_ids: Sequence[int]) -> Select:
    """Seats held in the event's sessions (a waitlisted or cancelled registration holds none)."""
    return (_count(EventSession.event_id, func.count(), EventSession.event_id.in_(event_ids),
                   SessionChoice.holding.is_(True))
            .select_from(SessionChoice).join(EventSession, EventSession.id == SessionChoice.session_id))


def session_checkins(event_ids: Sequence[int]) -> Select:
    """People scanned in at the sessions' doors, each person once per session (walk-ins included)."""
    return (_count(EventSession.event_id, func.count(SessionCheckIn.id), EventSession.event_id.in_(event_ids))
            .select_from(SessionCheckIn).join(EventSession, EventSession.id == SessionCheckIn.session_id))


# --- the other features -----------------------------------------------------------------------------

def exhibitors(event_ids: Sequence[int]) -> Select:
    """Exhibiting startups: applications in `Exhibitor.ACTIVE_STATUSES` (submitted, approved)."""
    return _count(Exhibitor.event_id, func.count(Exhibitor.id), Exhibitor.event_id.in_(event_ids),
                  Exhibitor.status.in_(list(Exhibitor.ACTIVE_STATUSES)))


def contests(event_ids: Sequence[int]) -> Select:
    """The event's contests."""
    return _count(Contest.event_id, func.count(Contest.id), Contest.event_id.in_(event_ids))


def not_withdrawn():
    """The condition "the entry is not withdrawn"."""
    return Entry.status != "withdrawn"


def entries(event_ids: Sequence[int]) -> Select:
    """Entries of the event's contests, not withdrawn."""
    return (_count(Contest.event_id, func.count(Entry.id), Contest.event_id.in_(event_ids),
                   not_withdrawn())
            .select_from(Entry).join(Contest, Contest.id == Entry.contest_id))


def certificates(event_ids: Sequence[int]) -> Select:
    """Certificates issued and still valid (revoked ones do not count)."""
    return _count(Certificate.event_id, func.count(Certificate.id), Certificate.event_id.in_(event_ids),
                  Certificate.status == "valid")


# The figures the database answers in one statement, and those matchmaking computes (its function).
QUERIES: dict[str, Callable[[Sequence[int]], Select]] = {
    "registrations": registrations, "checked_in": checked_in, "visitor_attendances": visitor_attendances,
    "exhibitors": exhibitors, "contests": contests, "entries": entries, "sessions": sessions,
    "session_attendance": session_attendance, "session_checkins": session_checkins,
    "certificates": certificates,
}
MATCHMAKING = {"investors": "investor_count", "meetings_held": "meetings_held",
               "projects_connected": "projects_connected"}
assert set(QUERIES) | set(MATCHMAKING) == set(FIGURES)


def _database_figures(names: Sequence[str], ids: list[int]) -> dict[str, Counts]:
    """The figures `names` of QUERIES for the events `ids`, in one statement (one snapshot)."""
    columns = {name: dict.fromkeys(ids, 0) for name in names}
    parts = []
    for index, name in enumerate(names):
        part = QUERIES[name](ids).subquery()
        parts.append(db.select(literal_column(str(index)).label("figure"), part.c.event_id, part.c.n))
    if ids and parts:
        for index, event_id, n in db.session.execute(union_all(*parts)):
            columns[names[int(index)]][event_id] = int(n or 0)
    return columns


def _matchmaking_figure(name: str, ids: list[int]) -> Counts:
    compute = getattr(matchmaking_figures, MATCHMAKING[name])
    return {event_id: int(compute(event_id) or 0) for event_id in ids}


def figure(name: str, event_ids: Iterable[int]) -> Counts:
    """One figure for each of the events: {event id: n}."""
    ids = list(dict.fromkeys(event_ids))
    if name in MATCHMAKING:
        return _matchmaking_figure(name, ids)
    return _database_figures([name], ids)[name]


def figures_by_event(event_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """{event id: {figure: n}} with the figures of api.md for each event."""
    ids = list(dict.fromkeys(event_ids))
    columns = _database_figures(list(QUERIES), ids)
    columns.update({name: _matchmaking_figure(name, ids) for name in MATCHMAKING})
    return {event_id: {name: columns[name][event_id] for name in FIGURES} for event_id in ids}


def event_figures(event_id: int) -> dict[str, int]:
    return figures_by_event([event_id])[event_id]


def sum_figures(per_event: Iterable[dict[str, int]]) -> dict[str, int]:
    """The series' figures: the sums over its events."""
    totals = dict.fromkeys(FIGURES, 0)
    for figures in per_event:
        for name in FIGURES:
            totals[name] += figures[name]
    return totals
