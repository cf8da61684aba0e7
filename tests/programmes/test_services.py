"""Programme rules and its report: actuals are the series report's figures of each year."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest

from eventhub.errors import Conflict, ValidationError
from eventhub.programmes import services
from eventhub.programmes.labels import INDICATORS, indicator_label
from eventhub.reports import services as reports
from eventhub.reports.distinct import distinct_figures
from eventhub.reports.figures import FIGURES

from .conftest import BODY


def _body(**changes):
    body = copy.deepcopy(BODY)
    body.update(changes)
    return body


def _errors(body) -> dict:
    with pytest.raises(ValidationError) as caught:
        services.save(body)
    return caught.value.fields


def test_indicators_are_the_figures_and_the_distinct_counts():
    assert INDICATORS[:len(FIGURES)] == FIGURES
    assert INDICATORS[len(FIGURES):] == ("distinct.exhibitors", "distinct.investors",
                                         "distinct.projects_connected", "distinct.people_checked_in")


def test_the_report_reads_each_year_of_the_series(programme, world, monkeypatch):
    # after the year's events (the week ends on 15 December 2026): a figure below its target is a miss
    monkeypatch.setattr(services, "utcnow", lambda: datetime(2027, 1, 10, tzinfo=UTC))
    found = services.report(programme)
    assert found.years == [2024, 2025, 2026]
    assert found.indicators == ["registrations", "exhibitors", "distinct.people_checked_in"]
    series = reports.series_report(2026).totals
    distinct = distinct_figures([world["week"].id, world["ai_day"].id])
    assert found.cells["registrations", 2026].actual == series["registrations"] == 6  # 4 + 2, by hand
    assert found.cells["exhibitors", 2026].actual == series["exhibitors"] == 2
    assert found.cells["distinct.people_checked_in", 2026].actual == distinct["people_checked_in"] == 3
    assert found.cells["registrations", 2026].reached is True
    assert found.cells["exhibitors", 2026].reached is False
    assert not found.cells["exhibitors", 2026].in_progress
    assert found.cells["distinct.people_checked_in", 2026].reached is True  # 3 ≥ 2.5
    # no event in 2024: no actual, so neither reached nor missed
    assert found.cells["registrations", 2024] == services.Cell(100.0, None)
    assert found.cells["registrations", 2024].reached is None
    assert found.cells["exhibitors", 2025] == services.Cell(None, None)


def test_the_json_lists_every_indicator_every_year(programme):
    body = services.report(programme).as_json()
    assert [year["year"] for year in body["years"]] == [2024, 2025, 2026]
    assert body["years"][0]["indicators"]["exhibitors"] == {"target": None, "actual": None}
    assert body["years"][2]["indicators"]["exhibitors"] == {"target": 3.0, "actual": 2}


def test_a_bounded_number_of_queries(programme, count_queries):
    with count_queries() as counted:
        services.report(programme)
    few = counted.count
    wide = services.save(_body(code="WIDE", start_year=2010, end_year=2035, targets=[
        {"indicator": key, "year": year, "target": 1} for key in INDICATORS for year in range(2010, 2036)]))
    with count_queries() as counted:
        services.report(wide)
    # every indicator over 26 years costs what three did: years without events read nothing more
    assert counted.count == few


@pytest.mark.parametrize("target, needle", [
    ({"indicator": "visitors", "year": 2025, "target": 1}, "visitors"),
    ({"indicator": "distinct.entries", "year": 2025, "target": 1}, "distinct.entries"),
    ({"indicator": "exhibitors", "year": 2027, "target": 1}, "2027"),
    ({"indicator": "exhibitors", "year": 2025, "target": -1}, "2025"),
])
def test_bad_targets_name_what_is_wrong(db, target, needle):
    errors = _errors(_body(targets=[target]))
    assert list(errors) == ["targets"] and needle in errors["targets"][0]


def test_a_target_given_twice_is_refused(db):
    row = {"indicator": "exhibitors", "year": 2025, "target": 1}
    # a known indicator is named in words (the form's select shows words, not codes)
    assert indicator_label("exhibitors") in _errors(_body(targets=[row, dict(row, target=2)]))["targets"][0]


def test_a_figure_below_its_target_is_no_miss_while_the_years_events_go_on(programme, world, monkeypatch):
    monkeypatch.setattr(services, "utcnow", lambda: datetime(2026, 12, 14, 3, 0, tzinfo=UTC))  # day one
    cells = services.report(programme).cells
    assert cells["exhibitors", 2026].reached is None and cells["exhibitors", 2026].in_progress  # 2 of 3
    assert cells["registrations", 2026].reached is True  # 6 ≥ 5: reached already
    assert not cells["registrations", 2024].in_progress  # no event that year: no figure at all


def test_the_fields_are_checked(db):
    errors = _errors({"code": "có dấu", "name": " ", "start_year": 2026, "end_year": 2024, "targets": []})
    assert set(errors) == {"code", "name", "end_year"}
    assert set(_errors(_body(start_year=1990, end_year="2026"))) == {"start_year", "end_year"}


def test_a_code_is_one_programme_and_editing_replaces_the_targets(programme, people):
    with pytest.raises(Conflict):
        services.save(_body(name="Khác"))
    services.save(_body(targets=[{"indicator": "contests", "year": 2025, "target": 4}]), programme=programme)
    again = services.get(BODY["code"])
    assert [(t.indicator, t.year, t.target) for t in again.targets] == [("contests", 2025, 4.0)]
