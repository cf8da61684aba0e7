"""Programmes: the rules of creating and editing one, and its report of target against actual per year.

`actual` of an indicator in a year is the series report's figure of that year (its sum over the year's
events; `distinct.*` counts each organization or person once over them), None for a year without events.
The report costs a bounded number of queries whatever the size: one for the events, one for all their
figures, and the distinct counts per year of the programme.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from .. import hooks
from ..dbtypes import utcnow
from ..errors import Conflict, NotFound, ValidationError
from ..events.models import Event
from ..extensions import db
from ..reports.distinct import distinct_figures
from ..reports.figures import figures_by_event, sum_figures
from ..reports.services import MAX_YEAR, MIN_YEAR
from .labels import DISTINCT, indicator_label, indicators
from .models import Programme, ProgrammeTarget

CODE_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")
MAX_YEARS = 30  # a programme spans a few years; a typo such as 2021–2210 should not make 190 columns


def programmes() -> list[Programme]:
    newest_first = db.select(Programme).order_by(Programme.start_year.desc(), Programme.code)
    return list(db.session.scalars(newest_first))


def get(code: str) -> Programme:
    programme = db.session.scalar(db.select(Programme).where(Programme.code == code))
    if programme is None:
        raise NotFound(_("No programme has this code."), code="not_found")
    return programme


def _year(value, field: str, errors: dict) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_YEAR <= value <= MAX_YEAR:
        errors.setdefault(field, []).append(_("Enter a year between %(low)d and %(high)d.",
                                              low=MIN_YEAR, high=MAX_YEAR))
        return None
    return value


def _clean(data: dict) -> tuple[dict, list[tuple[str, int, float]]]:
    """The programme's fields and targets, or ValidationError naming every field that is wrong."""
    errors: dict[str, list[str]] = {}
    code = (data.get("code") or "").strip()
    name = " ".join((data.get("name") or "").split())
    if not code:
        errors["code"] = [_("Enter a code.")]
    elif len(code) > 40 or not set(code) <= CODE_CHARS:
        errors["code"] = [_("Use at most 40 letters without diacritics, digits, dots, dashes or "
                            "underscores.")]
    if not name:
        errors["name"] = [_("Enter a name.")]
    elif len(name) > 300:
        errors["name"] = [_("Use at most 300 characters.")]
    start = _year(data.get("start_year"), "start_year", errors)
    end = _year(data.get("end_year"), "end_year", errors)
    if start is not None and end is not None:
        if end < start:
            errors["end_year"] = [_("The last year cannot come before the first.")]
        elif end - start >= MAX_YEARS:
            errors["end_year"] = [_("A programme spans at most %(n)d years.", n=MAX_YEARS)]
    targets, seen, problems = [], set(), []
    for row in data.get("targets") or []:
        indicator, year, target = row.get("indicator"), row.get("year"), row.get("target")
        if indicator not in indicators():
            problems.append(_("Unknown indicator: %(name)s.", name=str(indicator)))
            continue
        if start is not None and end is not None and not (isinstance(year, int) and start <= year <= end):
            problems.append(_("%(indicator)s: the year %(year)s is outside the programme's years.",
                              indicator=indicator_label(indicator), year=year))
            continue
        if isinstance(target, bool) or not isinstance(target, int | float) or not math.isfinite(target) \
                or target < 0:
            problems.append(_("%(indicator)s, %(year)s: the target must be a number, 0 or more.",
                              indicator=indicator_label(indicator), year=year))
            continue
        if (indicator, year) in seen:
            problems.append(_("%(indicator)s, %(year)s: given twice.", indicator=indicator_label(indicator),
                              year=year))
            continue
        seen.add((indicator, year))
        targets.append((indicator, year, float(target)))
    if problems:
        errors["targets"] = problems
    if errors:
        raise ValidationError(errors)
    return {"code": code, "name": name, "start_year": start, "end_year": end}, targets


def save(data: dict, user=None, programme: Programme | None = None) -> Programme:
    """Creates the programme (or replaces one's fields and targets) from api.md's body; 422 on a broken
    rule, 409 when another programme has the code."""
    fields, targets = _clean(data)
    taken = db.session.scalar(db.select(Programme.id).where(Programme.code == fields["code"]))
    if taken is not None and (programme is None or taken != programme.id):
        raise Conflict(_("Another programme has this code."), code="duplicate_code")
    if programme is None:
        programme = Programme(created_by_id=getattr(user, "id", None))
        db.session.add(programme)
    for key, value in fields.items():
        setattr(programme, key, value)
    programme.targets.clear()
    db.session.flush()  # the old rows go before the new ones meet the unique (indicator, year)
    programme.targets.extend(ProgrammeTarget(indicator=i, year=y, target=t) for i, y, t in targets)
    try:
        db.session.commit()
    except IntegrityError as exc:  # two saves of one code at once: the second loses
        db.session.rollback()
        raise Conflict(_("Another programme has this code."), code="duplicate_code") from exc
    return programme


def delete(programme: Programme) -> None:
    db.session.delete(programme)
    db.session.commit()


# --- the report -------------------------------------------------------------------------------------

@dataclass
class Cell:
    target: float | None
    actual: int | None
    # Every event of the year has ended: until then a figure below its target is not yet a miss.
    final: bool = True

    @property
    def reached(self) -> bool | None:
        """Whether the actual meets the target; None when either is missing, or when the year's events are
        not over and the target is not met yet."""
        if self.target is None or self.actual is None:
            return None
        if self.actual >= self.target:
            return True
        return False if self.final else None

    @property
    def in_progress(self) -> bool:
        return self.target is not None and self.actual is not None and self.reached is None


@dataclass
class ProgrammeReport:
    programme: Programme
    indicators: list[str]  # those with a target in some year, in the report's order
    years: list[int]
    cells: dict[tuple[str, int], Cell]

    def as_json(self) -> dict:
        return {"code": self.programme.code, "name": self.programme.name,
                "years": [{"year": year, "indicators": {
                    key: {"target": self.cells[key, year].target, "actual": self.cells[key, year].actual}
                    for key in self.indicators}} for year in self.years]}


def _events_by_year(years: list[int]) -> tuple[dict[int, list[int]], set[int]]:
    """The ids of the events starting in each year (event time), like the series report's, and the years
    whose events are not all over yet."""
    rows = db.session.execute(db.select(Event.id, Event.starts_at, Event.ends_at, Event.timezone)).all()
    found: dict[int, list[int]] = {year: [] for year in years}
    open_years: set[int] = set()
    now = utcnow()
    for event_id, start, end, tz in rows:
        year = start.astimezone(ZoneInfo(tz)).year
        if year in found:
            found[year].append(event_id)
            if end > now:
                open_years.add(year)
    return found, open_years


def actuals(years: list[int], indicators: list[str],
            events: dict[int, list[int]] | None = None) -> dict[tuple[str, int], int | None]:
    """{(indicator, year): the figure}, None for a year without an event; `events` as _events_by_year's."""
    if events is None:
        events, _open = _events_by_year(years)
    per_event = figures_by_event([i for ids in events.values() for i in ids])
    wants_distinct = any(key.startswith("distinct.") for key in indicators)
    wants_added = any(key in hooks.report_figure_labels() for key in indicators)
    added = hooks.extra_report_figures(list(per_event)) if wants_added else None
    found: dict[tuple[str, int], int | None] = {}
    for year, ids in events.items():
        if not ids:
            found.update({(key, year): None for key in indicators})
            continue
        totals = sum_figures(per_event[i] for i in ids)
        if added is not None:  # figures features add: each its series value (a distinct count is no sum)
            totals.update(hooks.series_report_figures(ids, {i: added[i] for i in ids}))
        if wants_distinct:
            totals.update({f"distinct.{key}": value for key, value in distinct_figures(ids).items()
                           if key in DISTINCT})
        found.update({(key, year): totals[key] for key in indicators})
    return found


def report(programme: Programme) -> ProgrammeReport:
    targets = {(t.indicator, t.year): t.target for t in programme.targets}
    shown = [key for key in indicators() if any(k == key for k, _y in targets)]
    years = programme.years
    events, open_years = _events_by_year(years)
    found = actuals(years, shown, events)
    cells = {(key, year): Cell(targets.get((key, year)), found[key, year], final=year not in open_years)
             for key in shown for year in years}
    return ProgrammeReport(programme, shown, years, cells)
