"""The demo tells the truth about time: each record is dated inside its event's season (registrations in
the weeks before, check-ins on its days, certificates after it), nothing of the 2026 event lies after
"now" but the open contest's deadlines, and the series report opens on the latest year with data."""

from __future__ import annotations

from datetime import timedelta

from eventhub.accounts.models import User
from eventhub.certificates.models import Certificate
from eventhub.checkin.models import CheckIn
from eventhub.dbtypes import UTCDateTime, utcnow
from eventhub.events.models import Event
from eventhub.registration import services as registration
from eventhub.registration.models import Registration
from eventhub.reports import services
from eventhub.reports.breakdowns import registrations_per_day
from tests.factories import login
from tests.support.demo import PASSWORD

SEASON_BEFORE, SEASON_AFTER = timedelta(days=90), timedelta(days=30)
# What of an event not yet held may lie ahead of now: when it, its sessions and its slots happen,
# when its registration closes, and the open contest's deadlines.
FUTURE_ALLOWED = {"events": {"starts_at", "ends_at"}, "event_sessions": {"starts_at", "ends_at"},
                  "meeting_slots": {"starts_at", "ends_at"}, "registration_types": {"opens_at", "closes_at"},
                  "contests": {"submission_deadline", "judging_deadline", "vote_closes_at"},
                  "contest_rounds": {"deadline"}, "registrations": {"hold_expires_at"},
                  "api_tokens": {"expires_at"},
                  "messages": {"send_at"}}  # a scheduled organizers' message: when it will be sent
# What is asked after the season by design: follow-ups of meetings and awards, 30 and 90 days on (the 90 days'
# answered within a week, counted from an award published at the event).
AFTER_SEASON_ALLOWED = {"outcome_followups": timedelta(days=100)}


def _dated_rows(db, event: Event):
    """(table, column, value) of every date of a row that belongs to the event."""
    tables = db.metadata.tables
    contest, entry, reg = tables["contests"], tables["contest_entries"], tables["registrations"]
    contests = db.select(contest.c.id).where(contest.c.event_id == event.id)
    entries = db.select(entry.c.id).where(entry.c.contest_id.in_(contests))
    registrations = db.select(reg.c.id).where(reg.c.event_id == event.id)
    for table in db.metadata.sorted_tables:
        if table.name == "events":
            where = table.c.id == event.id
        elif "event_id" in table.c:
            where = table.c.event_id == event.id
        elif "contest_id" in table.c:
            where = table.c.contest_id.in_(contests)
        elif "entry_id" in table.c:
            where = table.c.entry_id.in_(entries)
        elif "registration_id" in table.c:
            where = table.c.registration_id.in_(registrations)
        else:
            continue
        columns = [c for c in table.c if isinstance(c.type, UTCDateTime)]
        for row in db.session.execute(db.select(*columns).where(where)) if columns else ():
            for column, value in zip(columns, row, strict=True):
                if value is not None:
                    yield table.name, column.name, value


def test_no_demo_record_lies_outside_its_events_season(db, demo):
    now = utcnow()
    events = db.session.scalars(db.select(Event).order_by(Event.starts_at)).all()
    for event in events:
        dated = list(_dated_rows(db, event))
        assert len(dated) > 10
        if event.ends_at < now:  # held: everything between two months before and a month after
            late = [(t, c, v) for t, c, v in dated
                    if v > event.ends_at + AFTER_SEASON_ALLOWED.get(t, SEASON_AFTER)]
            early = [(t, c, v) for t, c, v in dated if v < event.starts_at - SEASON_BEFORE]
            assert not late and not early, (event.slug, (late + early)[:5])
        else:  # not held yet: nothing after now but when things will happen
            ahead = [(t, c, v) for t, c, v in dated if v > now and c not in FUTURE_ALLOWED.get(t, ())]
            assert not ahead, (event.slug, ahead[:5])
    past = [event for event in events if event.ends_at < now]
    assert len(past) == 4  # the 2020 series and Startup Week 2021
    for event in past:
        made = db.session.scalars(db.select(Registration.created_at).filter_by(event_id=event.id)).all()
        assert made and max(made) < event.starts_at  # registered before it began
        assert min(made) >= event.starts_at - timedelta(days=43)  # in the six weeks before
        issued = db.session.scalars(db.select(Certificate.issued_at).filter_by(event_id=event.id)).all()
        assert issued and min(issued) > event.ends_at  # handed out after it ended
        checked = db.session.scalars(db.select(CheckIn.checked_in_at).filter_by(event_id=event.id)).all()
        assert checked and event.starts_at.date() <= min(checked).date() <= max(checked).date() \
            <= event.ends_at.date()
    # An event not yet held has no certificates (its speakers have not spoken yet).
    coming = db.session.scalar(db.select(Event).where(Event.slug == "startup-week-2026"))
    assert coming.starts_at > now
    assert db.session.scalar(db.select(db.func.count(Certificate.id)).filter_by(event_id=coming.id)) == 0
    # The "registrations per day" chart spreads over the weeks before, not one bar on the day of loading.
    series = registrations_per_day([past[-1]])
    days_with_registrations = [day for day, count in series if count]
    assert len(days_with_registrations) >= 20  # not one bar on the day the demo was loaded
    assert utcnow().strftime("%d/%m/%Y") not in {day for day, _count in series}


def test_the_series_report_opens_on_the_latest_year_with_data(client, db, demo):
    assert services.years_with_events()[0] == 2026  # the 2026 edition is there, registration open
    assert services.default_series_year() == 2021  # Startup Week 2021, the latest held
    coming = db.session.scalar(db.select(Event).where(Event.slug == "startup-week-2026"))
    registration.register(coming, type_code="visitor", full_name="Lê Thị Sớm", email="som@example.vn",
                          consent=True, notify=False)
    assert services.default_series_year() == 2021  # one early registration does not make 2026 the year
    assert services.default_series_year(now=coming.starts_at + timedelta(hours=1)) == 2026  # under way: yes
    organizer = db.session.scalar(db.select(User).where(User.email == "truc.ptq@eventhub.demo"))
    login(client, organizer, PASSWORD)
    page = client.get("/reports/series").get_data(as_text=True)
    assert '<option value="2021" selected>' in page and '<option value="2026" >' in page
