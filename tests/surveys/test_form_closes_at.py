"""The organizers' survey form takes an optional closing time, typed in the event's time zone (as the API's
closes_at), refused beside the field when it is past or not a date and time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from eventhub.dbtypes import utcnow
from eventhub.extensions import db as _db
from eventhub.surveys.models import Survey
from tests.factories import login

from .helpers import survey_world

QUESTION = {"title": "Khảo sát sau sự kiện", "kind-0": "rating", "label-0": "Bạn thấy sự kiện thế nào?"}


def _post(client, world, closes_at: str):
    return client.post(f"/events/{world.event.slug}/surveys/new", data={**QUESTION, "closes_at": closes_at})


def test_the_closing_time_is_read_in_the_event_s_time_zone(db, client):
    world = survey_world()
    world.event.timezone = "Asia/Tokyo"  # not the default zone: the form must use the event's
    _db.session.commit()
    login(client, world.organizer)
    form = client.get(f"/events/{world.event.slug}/surveys/new").text
    assert 'type="datetime-local"' in form and 'name="closes_at"' in form and "(UTC+9)" in form
    typed = (utcnow() + timedelta(days=10)).astimezone(ZoneInfo("Asia/Tokyo")).replace(second=0,
                                                                                       microsecond=0)
    assert _post(client, world, typed.strftime("%Y-%m-%dT%H:%M")).status_code == 302
    survey = _db.session.scalar(_db.select(Survey))
    assert survey.closes_at == typed.astimezone(UTC)
    page = client.get(f"/events/{world.event.slug}/surveys/{survey.id}").text
    assert "Đóng lúc" in page


def test_a_blank_closing_time_leaves_the_survey_open_ended(db, client):
    world = survey_world()
    login(client, world.organizer)
    assert _post(client, world, "").status_code == 302
    assert _db.session.scalar(_db.select(Survey)).closes_at is None


def test_a_past_or_garbled_closing_time_is_refused_beside_the_field(db, client):
    world = survey_world()
    login(client, world.organizer)
    past = (datetime.now(world.event.tz) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    refusals = ((past, "Thời điểm đóng phải ở tương lai"), ("mai nhé", "Giá trị ngày giờ không hợp lệ."))
    for value, message in refusals:
        page = _post(client, world, value)
        assert page.status_code == 422
        assert 'id="closes_at-error"' in page.text and message in page.text
        assert f'value="{value}"' in page.text  # kept as typed
    assert _db.session.scalar(_db.select(Survey)) is None
