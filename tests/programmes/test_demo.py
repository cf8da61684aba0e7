"""The demo's programme: targets in the demo's years, its actuals those of the series report."""

from __future__ import annotations

from eventhub.demo.programmes import CODE, TARGETS
from eventhub.programmes import services
from eventhub.reports import services as reports
from eventhub.reports.distinct import distinct_figures


def test_the_demo_programme_reads_the_demo_series(demo):
    found = services.report(services.get(CODE))
    assert found.years == list(range(2020, 2027))
    assert found.indicators == list(TARGETS)
    for year in (2020, 2021, 2026):  # 2021: the demo's second year (demo/series2021.py), without targets
        series = reports.series_report(year)
        distinct = distinct_figures([event.id for event in series.events])
        assert found.cells["registrations", year].actual == series.totals["registrations"]
        assert found.cells["exhibitors", year].actual == series.totals["exhibitors"] > 0
        assert found.cells["distinct.people_checked_in", year].actual == distinct["people_checked_in"]
    assert all(found.cells[key, year].actual is None for key in TARGETS for year in range(2022, 2026))
    states = {found.cells[key, year].reached for key in TARGETS for year in (2020, 2026)}
    assert {True, False} <= states  # the page shows both words
