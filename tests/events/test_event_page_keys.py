"""The event page reads the event and every panel's key in one statement (hooks.Panel.key_data, each feature
giving its part), on SQLite and PostgreSQL alike; whatever a feature's data become shows on the next request,
and a page kept once is served from what was kept."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlalchemy import delete, update

from eventhub import fragments, hooks
from eventhub.booths import services as booths
from eventhub.booths.models import Booth
from eventhub.contests import publishing
from eventhub.events import services as events
from eventhub.registration import catalog
from eventhub.registration.models import RegistrationType
from tests.booths.factories import PLAN
from tests.contests.factories import make_contest
from tests.factories import HCMC, login, make_session, make_type, make_user, open_event, register
from tests.support.database import statements_sent


@pytest.fixture
def kept(app):
    cache = fragments.cache()
    cache.clear()
    yield cache
    cache.clear()


def _statements(db, client, path: str) -> tuple[list[str], str]:
    """(the SQL statements one request sent, its page)."""
    with statements_sent(db.engine) as sent:
        response = client.get(path)
    assert response.status_code == 200
    return sent, response.get_data(as_text=True)


def _page(db, client, path: str) -> str:
    """The page as the next visitor sees it; asked once more, it is the same, from one statement (the event
    and every panel's key) and what was kept."""
    html = _statements(db, client, path)[1]
    sent, again = _statements(db, client, path)
    assert len(sent) == 1 and again == html, sent
    return html


def _full_event():
    """An event where every keyed panel has something to show."""
    event = open_event(name="Ngày hội Khởi nghiệp Quận 5")
    make_type(event, name="Khách tham quan", capacity=40)
    make_session(event)
    make_contest(event, name="Cuộc thi Khởi nghiệp Xanh")
    booths.replace_floorplan(event, PLAN)
    return event


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_signed_out_visit_is_one_statement_for_the_event_and_every_panels_key(client, db, kept, lang):
    event = _full_event()
    path = f"/events/{event.slug}?lang={lang}"
    first, html = _statements(db, client, path)  # renders and keeps: the loaders read their own data
    assert "Khách tham quan" in html and "Cuộc thi Khởi nghiệp Xanh" in html
    assert f'href="/events/{event.slug}/floor-map"' in html and f"/events/{event.slug}/agenda" in html

    sent, again = _statements(db, client, path)
    assert len(sent) == 1, sent  # was five: the event, then the registration types, the contests, the map
    statement = sent[0].lower()
    assert "from events" in statement and "registration_types" in statement
    assert "contests" in statement and "booths" in statement and "event_sessions" in statement
    assert again == html and len(first) > 1


def test_every_fragment_read_once_is_kept_on_both_databases(client, db, kept):
    """The keys read again after rendering (the race guard) equal those read with the event: else nothing
    would ever be kept (the aggregates' text must not depend on how they were read)."""
    event = _full_event()
    path = f"/events/{event.slug}?lang=en"
    client.get(path)
    kept.misses = kept.hits = 0
    client.get("/?lang=en")  # another page in between
    misses = kept.misses
    _page(db, client, path)
    assert kept.misses == misses and kept.hits >= 1

    login(client, make_user("participant"))  # signed in: the page is rendered, its fragments are kept
    client.get(path)
    before = kept.misses
    sent, html = _statements(db, client, path)
    assert "Booth application" in html and kept.misses == before
    # the user's own row aside, the event and its keys are still one statement
    assert sum("from events" in s.lower() for s in sent) == 1, sent


def test_places_capacity_and_order_of_the_types_show_on_the_next_request(client, db, kept):
    event = open_event()
    first = make_type(event, name="Khách tham quan", capacity=3)
    second = make_type(event, name="Nhà đầu tư", capacity=None)
    path = f"/events/{event.slug}?lang=en"
    client.get(path)
    html = _page(db, client, path)
    assert "3 places left." in html and html.index("Khách tham quan") < html.index("Nhà đầu tư")

    register(event, first, notify=False)
    assert "2 places left." in _page(db, client, path)

    # another worker's write, straight to the table: nothing of the session's objects is trusted
    db.session.execute(update(RegistrationType).where(RegistrationType.id == first.id).values(taken=3))
    db.session.commit()
    html = _page(db, client, path)
    assert "Sold out." in html and f"/register/{first.code}" not in html

    catalog.update_type(db.session.get(RegistrationType, first.id), capacity=10)
    html = _page(db, client, path)
    assert "7 places left." in html and f"/register/{first.code}" in html

    # the order alone changes (SQLite before 3.44 cannot order an aggregate: the key holds the positions)
    db.session.execute(update(RegistrationType).where(RegistrationType.id == first.id).values(position=9))
    db.session.commit()
    html = _page(db, client, path)
    assert html.index("Nhà đầu tư") < html.index("Khách tham quan")

    db.session.delete(db.session.get(RegistrationType, second.id))
    db.session.commit()
    html = _page(db, client, path)
    assert "Nhà đầu tư" not in html and "7 places left." in html


def test_a_contest_published_renamed_or_taken_back_shows_on_the_next_request(client, db, kept):
    event = open_event()
    contest = make_contest(event, name="Cuộc thi Khởi nghiệp Xanh")
    path = f"/events/{event.slug}?lang=en"
    client.get(path)
    html = _page(db, client, path)
    assert "Cuộc thi Khởi nghiệp Xanh" in html and ">Results<" not in html

    publishing.publish(contest, now=datetime(2026, 12, 14, 18, 0, tzinfo=HCMC))
    assert ">Results<" in _page(db, client, path)

    contest.name = 'Cuộc thi "Đổi mới", Xanh'  # quotes and commas: the key is JSON, not joined text
    db.session.commit()
    html = _page(db, client, path)
    assert "Cuộc thi &#34;Đổi mới&#34;, Xanh" in html and "Khởi nghiệp Xanh" not in html

    publishing.unpublish(contest)
    assert ">Results<" not in _page(db, client, path)


def test_the_floor_map_link_comes_and_goes_with_the_booths(client, db, kept):
    event = open_event()
    path = f"/events/{event.slug}?lang=en"
    client.get(path)
    assert "Floor map" not in _page(db, client, path)
    booths.replace_floorplan(event, PLAN)
    assert "Floor map" in _page(db, client, path)
    db.session.execute(delete(Booth).where(Booth.event_id == event.id))
    db.session.commit()
    assert "Floor map" not in _page(db, client, path)


def test_the_agenda_link_follows_the_sessions(client, db, kept):
    event = open_event()
    path = f"/events/{event.slug}?lang=en"
    client.get(path)
    assert "See the agenda" not in _page(db, client, path)
    make_session(event)
    assert "See the agenda" in _page(db, client, path)


def test_a_panel_reads_its_own_key_when_the_page_gives_none(app, db, kept):
    """render_panels without `data` (another page, or a panel added later) reads each key by itself."""
    event = _full_event()
    user = make_user("participant")
    with app.test_request_context("/?lang=en"):
        keys = hooks.panel_keys(hooks.EVENT_SLOTS, events.EVENT_ID)
        found, values = events.get_event_with(event.slug, keys.columns)
        data = keys.split(values)
        for slot in hooks.EVENT_SLOTS:
            given = hooks.render_panels(slot, data=data, event=found, user=user)
            alone = hooks.render_panels(slot, event=found, user=user)
            assert given == alone, slot
        assert {len(value) for value in data.values()} == {1, 2}  # booths and contests one, registration two


def test_json_rows_text_gives_back_the_very_values(db):
    """The key's text is JSON: it decodes to the rows, so different rows never read the same."""
    event = open_event()
    tricky = ['a", "b', "a", "b", "Khách [VIP], hạng 1", "", "\\"]
    for name in tricky:
        make_type(event, name=name or "x", description=name)
    types = RegistrationType.__table__.c
    text = db.session.scalar(db.select(fragments.json_rows(types.description, types.capacity,
                                                           order_by=(types.id,)))
                             .where(types.event_id == event.id))
    assert sorted(json.loads(text)) == sorted([name, None] for name in tricky)
    none = db.session.scalar(db.select(fragments.json_rows(types.name)).where(types.event_id == -1))
    assert none in (None, "[]")  # PostgreSQL's json_agg of nothing is NULL, SQLite's json_group_array "[]"


def test_key_data_goes_with_a_key_on_the_event_page_only():
    registry = hooks.Hooks()
    with pytest.raises(ValueError):
        registry.add_panel(hooks.EVENT_PAGE, "x.html", lambda **_: None, key_data=lambda event_id: ())
    with pytest.raises(ValueError):
        registry.add_panel(hooks.REGISTRATION_PAGE, "x.html", lambda **_: None, key=lambda **_: 1,
                           key_data=lambda event_id: ())
