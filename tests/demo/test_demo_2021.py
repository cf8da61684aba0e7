"""The demo's second year: Startup Week 2021 shares startups and funds with 2020 once its rows are linked,
so the organizations, the distinct counts and the programme have something true to show."""

from __future__ import annotations

from eventhub.booths.models import BoothPlacement, Exhibitor, ExhibitorStatus
from eventhub.certificates.models import Certificate
from eventhub.checkin.models import CheckIn, SessionCheckIn
from eventhub.demo import data2021
from eventhub.demo.programmes import CODE
from eventhub.events.models import Event
from eventhub.matchmaking.models import Meeting, Profile, ProfileKind
from eventhub.organizations import services as organizations
from eventhub.organizations.matching import fold_name, normalize_tax_code
from eventhub.organizations.models import Organization
from eventhub.programmes import services as programmes
from eventhub.registration.models import Registration
from eventhub.reports import services as reports
from eventhub.reports.distinct import distinct_figures

SLUG = data2021.EVENT["slug"]


def _event(db, slug: str) -> Event:
    return db.session.scalar(db.select(Event).where(Event.slug == slug))


def _organization_ids(db, model, event: Event, **where) -> set[int]:
    return set(db.session.scalars(db.select(model.organization_id).filter_by(event_id=event.id, **where)))


def test_the_demo_loads_startup_week_2021_once(db, demo):
    event = _event(db, SLUG)
    assert event.local_starts_at.year == 2021 and "TP.HCM" in event.name
    exhibitors = db.session.scalars(db.select(Exhibitor).filter_by(event_id=event.id)).all()
    assert len(exhibitors) == len(data2021.RETURNING) + len(data2021.NEW_STARTUPS) == 40
    assert all(x.status == ExhibitorStatus.approved for x in exhibitors)
    placed = db.session.scalars(db.select(BoothPlacement.exhibitor_id).filter_by(event_id=event.id))
    assert set(placed) == {x.id for x in exhibitors}  # a booth on each of its days
    investors = len(db.session.scalars(db.select(Profile.id).filter_by(event_id=event.id,
                                                                        kind=ProfileKind.investor)).all())
    assert investors == data2021.RETURNING_FUNDS + len(data2021.NEW_FUNDS) == 10
    held = [m for m in db.session.scalars(db.select(Meeting).filter_by(event_id=event.id)) if m.held]
    assert len(held) >= 10
    registrations = db.session.scalars(db.select(Registration.id).filter_by(event_id=event.id)).all()
    assert len(registrations) >= 50  # 40 startups and 10 funds, and the (scaled) visitors
    days = set(db.session.scalars(db.select(CheckIn.day).filter_by(event_id=event.id)))
    assert days and all(event.local_starts_at.date() <= day <= event.local_ends_at.date() for day in days)
    assert db.session.scalar(db.select(db.func.count(SessionCheckIn.id))) > 0  # the workshop's door
    assert db.session.scalars(db.select(Certificate.id).filter_by(event_id=event.id)).first()
    for table in ("events", "users", "registrations", "exhibitors", "match_profiles", "meeting_requests",
                  "meetings", "checkins", "session_checkins", "certificates", "organizations"):
        assert demo.added_by_second_run[table] == 0, table


def test_2021_shares_organizations_with_2020_after_linking(db, demo):
    week_2020, week_2021 = _event(db, "startup-week-2020"), _event(db, SLUG)
    assert db.session.scalars(db.select(Exhibitor.id).where(
        Exhibitor.organization_id.is_(None))).first() is None  # every application is linked
    exhibited = _organization_ids(db, Exhibitor, week_2020) & _organization_ids(db, Exhibitor, week_2021)
    assert len(exhibited) == data2021.LINKED_RETURNING >= 20
    funds = (_organization_ids(db, Profile, week_2020, kind=ProfileKind.investor)
             & _organization_ids(db, Profile, week_2021, kind=ProfileKind.investor))
    assert len(funds) == data2021.RETURNING_FUNDS
    # A tax code given in 2021 went to the 2020 record the name already pointed to.
    for company, _written, tax in data2021.RETURNING[:data2021.LINKED_RETURNING]:
        org = db.session.scalar(db.select(Organization).where(Organization.name_key == fold_name(company),
                                                              Organization.merged_into_id.is_(None)))
        assert org.id in exhibited and org.tax_code == normalize_tax_code(tax)


def test_the_mistyped_returners_are_on_the_duplicates_page(db, demo):
    mistyped = data2021.RETURNING[data2021.LINKED_RETURNING:]
    found = organizations.likely_duplicates()
    # first, most likely first: two startups differing by a weak word each ("… Tech" / "… Labs") are not
    # shown, nor registrants' employers
    top = {frozenset((a.name_key, b.name_key)) for a, b, _score in found[:len(mistyped)]}
    for company, written, _tax in mistyped:
        assert frozenset((fold_name(company), fold_name(written))) in top, written


def test_distinct_exhibitors_over_the_two_years_are_fewer_than_the_sum(db, demo):
    ids = [e.id for year in (2020, 2021) for e in reports.series_report(year).events]
    total = sum(reports.series_report(year).totals["exhibitors"] for year in (2020, 2021))
    assert total == 150 + 40
    assert distinct_figures(ids)["exhibitors"] == total - data2021.LINKED_RETURNING  # counted by hand
    # The returning startups' and funds' people came in both years: each counted once over the two.
    yearly = [reports.series_report(year).distinct["people_checked_in"] for year in (2020, 2021)]
    assert 0 < distinct_figures(ids)["people_checked_in"] < sum(yearly)


def test_the_programme_has_actuals_for_2020_and_2021(db, demo):
    found = programmes.report(programmes.get(CODE))
    for year in (2020, 2021):
        series = reports.series_report(year)
        assert found.cells["registrations", year].actual == series.totals["registrations"] > 0
        assert found.cells["exhibitors", year].actual == series.totals["exhibitors"] > 0
    assert found.cells["exhibitors", 2021].actual == 40
