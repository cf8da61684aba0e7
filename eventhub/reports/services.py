"""The summary report of one event or of a year's series: figures, breakdowns and charts.

Reading only: nothing here writes, so there is no commit. The routes, the API, the PDF and the XLSX
all take their numbers from these two functions, so every output shows the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from .. import hooks
from ..dbtypes import utcnow
from ..errors import ValidationError
from ..events.models import Event
from ..extensions import db
from ..i18n import format_number
from ..registration.models import Registration
from . import charts
from .attendance import Attendance, event_attendance
from .breakdowns import Breakdowns, breakdowns, local_year_bounds
from .distinct import distinct_figures
from .figures import figures_by_event, sum_figures
from .labels import chart_texts, outcome_label

MIN_YEAR, MAX_YEAR = 2000, 2100


@dataclass
class Report:
    """A report of one event (`year` None) or of the events starting in `year`."""

    events: list[Event]
    per_event: dict[int, dict[str, int]]
    totals: dict[str, int]
    breakdowns: Breakdowns
    generated_at: datetime
    year: int | None = None
    attendance: Attendance | None = None  # one event's no-show figures (a series has none)
    # A series' distinct counts (reports/distinct.py): each organization or person once over its events.
    distinct: dict[str, int] | None = None

    @property
    def is_series(self) -> bool:
        return self.year is not None

    @property
    def event(self) -> Event | None:
        return None if self.is_series else self.events[0]

    @property
    def period(self) -> tuple[datetime, datetime] | None:
        """From the first event's start to the last one's end; None without events."""
        if not self.events:
            return None
        return min(e.starts_at for e in self.events), max(e.ends_at for e in self.events)

    @property
    def timezone(self) -> str:
        return self.events[0].timezone if self.events else "Asia/Ho_Chi_Minh"


def clean_year(value) -> int:
    """The year asked for (an int or its digits), within 2000–2100; ValidationError otherwise."""
    text = str(value).strip() if value is not None else ""
    if isinstance(value, bool) or not text.isascii() or not text.isdigit() or len(text) > 4 \
            or not MIN_YEAR <= int(text) <= MAX_YEAR:
        raise ValidationError({"year": [_("Enter a year between %(low)d and %(high)d.",
                                          low=MIN_YEAR, high=MAX_YEAR)]})
    return int(text)


def _with_added_figures(per_event: dict[int, dict[str, int]]) -> dict[int, dict[str, int]]:
    """Each event's figures and, after them, those features above the reports add (hooks)."""
    added = hooks.extra_report_figures(list(per_event))
    return {event_id: {**figures, **added.get(event_id, {})} for event_id, figures in per_event.items()}


def event_report(event: Event, *, now: datetime | None = None) -> Report:
    now = now or utcnow()
    per_event = _with_added_figures(figures_by_event([event.id]))
    return Report(events=[event], per_event=per_event, totals=per_event[event.id],
                  breakdowns=breakdowns([event]), generated_at=now,
                  attendance=event_attendance(event, now=now))


def series_events(year: int) -> list[Event]:
    """The events that start in `year`, in each event's own time zone, by start."""
    low, high = local_year_bounds(year)
    candidates = db.session.scalars(db.select(Event).where(Event.starts_at >= low, Event.starts_at < high)
                                    .order_by(Event.starts_at, Event.id))
    return [event for event in candidates if event.local_starts_at.year == year]


def series_report(year: int, *, now: datetime | None = None) -> Report:
    """The figures of every event starting in `year`, their sums, and the distinct counts."""
    events = series_events(year)
    ids = [event.id for event in events]
    per_event = _with_added_figures(figures_by_event(ids))
    # The added figures' series values come from their feature: a count of distinct startups is no sum.
    totals = {**sum_figures(per_event.values()), **hooks.series_report_figures(ids, per_event)}
    return Report(events=events, per_event=per_event, totals=totals,
                  breakdowns=breakdowns(events), generated_at=now or utcnow(), year=year,
                  distinct=distinct_figures(ids))


def default_series_year(*, now: datetime | None = None) -> int:
    """The year the series report opens on: the latest with data – an event already under way or held
    that people registered for; else the latest year whose events have registrations (all still to
    come), else the latest year with events, else this year. A year whose only event is weeks away with
    a handful of early registrations is not the one an organizer wants to read first."""
    now = now or utcnow()
    has_registrations = db.exists().where(Registration.event_id == Event.id)
    rows = db.session.execute(db.select(Event.starts_at, Event.timezone, has_registrations)).all()
    events = [(start.astimezone(ZoneInfo(tz)).year, start <= now, has) for start, tz, has in rows]
    held = [year for year, started, has in events if has and started]
    registered = [year for year, _started, has in events if has]
    for years in (held, registered, [year for year, _s, _h in events]):
        if years:
            return max(years)
    return now.year


def years_with_events() -> list[int]:
    """The years (event time) in which some event starts, newest first: the series one can report on."""
    starts = db.session.execute(db.select(Event.starts_at, Event.timezone)).all()
    return sorted({start.astimezone(ZoneInfo(tz)).year for start, tz in starts}, reverse=True)


def chart_svgs(report: Report, *, prefix: str = "chart") -> dict[str, str]:
    """The report's charts as SVG strings, titled in the current language."""
    data = report.breakdowns
    texts = chart_texts(data.arrivals_unit, series=report.is_series)
    outcomes = [(outcome_label(stage), n) for stage, n in data.meeting_outcomes]
    plans = {  # key: (draw, items, colour)
        "arrivals": (charts.line_chart if len(data.arrivals) > 1 and data.arrivals_continuous
                     else charts.column_chart,
                     data.arrivals, charts.COLOURS[0]),
        "registrations_per_day": (charts.column_chart, data.registrations_per_day, charts.COLOURS[1]),
        "session_attendance": (charts.bar_chart, data.session_attendance, charts.COLOURS[0]),
        "entries_per_contest": (charts.bar_chart, data.entries_per_contest, charts.COLOURS[3]),
        "meeting_outcomes": (charts.bar_chart, outcomes, charts.COLOURS[4]),
    }
    if report.is_series:
        per_event = [(event.name, report.per_event[event.id]["registrations"]) for event in report.events]
        plans = {"registrations_per_event": (charts.bar_chart, per_event, charts.COLOURS[2]), **plans}
    empty = _("No data yet.")
    return {key: draw(items, chart_id=f"{prefix}-{key.replace('_', '-')}", colour=colour, empty_text=empty,
                      title=texts[key]["title"], description=texts[key]["desc"], fmt=format_number)
            for key, (draw, items, colour) in plans.items()}


def chart_titles(report: Report) -> dict[str, str]:
    texts = chart_texts(report.breakdowns.arrivals_unit, series=report.is_series)
    return {key: value["title"] for key, value in texts.items()}
